//! The boundary phase: deterministic scenarios on and just past the edges of every
//! constraint, for every parameter and the body (its [`edges`] are the proposals), and the
//! request-level breaks a real server meets: the optional body left out, an empty body, a
//! body that is not JSON, an undeclared or no `Content-Type`, a query parameter given twice.
//!
//! Each proposal is classified as the server will read it after serialisation: the compiled
//! validator accepts it (a positive), rejects it (a negative), or accepts a value past what a
//! machine type holds or a request HTTP lets a server read either way (a probe, judged on
//! server errors alone). A proposal that is neither cleanly valid nor cleanly invalid under
//! every reading is dropped, as is one that routes to another operation.

mod edges;

use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use self::edges::{Edge, EdgeValue};
use super::Generator;
use super::invalid::folded;
use super::media::{self, Writer};
use super::params::{primitive_text, serialize};
use super::scenario::{Slot, leaves_route, non_null, sendable, writable_media};
use super::value::ValueGen;
use crate::openapi::{Location, Operation, Parameter};
use crate::plan::{AuthMode, Body, Kind, PROBE};
use crate::schema::broken_rule;

/// How many properties of a body object get their own edges.
const MAX_PROPERTIES: usize = 8;

/// What the validator makes of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Positive,
    Negative,
    Probe,
}

/// A boundary scenario: its label, kind and request.
pub(super) type Found = (String, Kind, crate::plan::RequestSpec);

fn found(target: &str, edge: &str, class: Class, request: crate::plan::RequestSpec) -> Found {
    let (label, kind) = match class {
        Class::Positive => (format!("positive/{target}/{edge}"), Kind::Positive),
        Class::Negative => (
            format!("negative/{target}/{edge}"),
            Kind::Negative { target: target.into(), rule: edge.into() },
        ),
        Class::Probe => (
            format!("{PROBE}/{target}/{edge}"),
            Kind::Negative { target: PROBE.into(), rule: format!("{target}/{edge}") },
        ),
    };
    (label, kind, request)
}

/// A negative edge's label with the rule it breaks where the edge does not name it:
/// `zero:minimum`, `undeclared-property:additional-properties`; `max-length+1` stays as it is.
fn with_rule(edge: String, broken: Option<String>) -> String {
    match broken {
        Some(rule) if !edge.contains(rule.as_str()) => format!("{edge}:{rule}"),
        _ => edge,
    }
}

impl Generator<'_> {
    /// The boundary scenarios of `op`, from the valid `base` slots and the valid body (with
    /// the value it holds).
    pub(super) fn boundary_phase(
        &self,
        op: &Operation,
        base: &[Slot],
        body: Option<&(Body, Value)>,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Found> {
        let mut out = Vec::new();
        let valid_body = body.map(|(b, _)| b.clone());
        for (i, param) in op.parameters.iter().enumerate() {
            let target = format!("{}.{}", param.location.as_str(), param.name);
            // A pinned parameter keeps its value but where it is broken.
            let pinned = self.pinned(param).is_some();
            for (edge, class, slot) in self.parameter_edges(param, &base[i]) {
                if pinned && class != Class::Negative {
                    continue;
                }
                if param.location == Location::Path {
                    let text = match &slot {
                        Slot::Value(v) => primitive_text(v),
                        Slot::Text(t) => t.clone(),
                        Slot::Absent => continue,
                    };
                    if leaves_route(&text) {
                        continue;
                    }
                }
                let mut slots = base.to_vec();
                slots[i] = slot;
                let request = self.render(op, &slots, valid_body.clone(), AuthMode::Valid);
                if param.location == Location::Path && self.router.strays(&op.path, &request.path) {
                    continue;
                }
                out.push(found(&target, &edge, class, request));
            }
            // A scalar query parameter given twice: servers take the first, the last, or a
            // list; none may fail.
            if param.location == Location::Query
                && !pinned
                && let Slot::Value(v) = &base[i]
                && !v.is_array()
                && !v.is_object()
            {
                let mut request = self.render(op, base, valid_body.clone(), AuthMode::Valid);
                if let Some(pair) = request.query.iter().find(|(n, _)| *n == param.name).cloned() {
                    request.query.push(pair);
                    out.push(found(&target, "duplicated", Class::Probe, request));
                }
            }
        }
        if let Some(body) = body {
            for (edge, class, bytes) in self.body_edges(op, body, rng) {
                let request = self.render(op, base, bytes, AuthMode::Valid);
                out.push(found("body", &edge, class, request));
            }
        }
        out
    }

    /// Each edge of a parameter's schema, classified, with the slot that sends it.
    fn parameter_edges(&self, param: &Parameter, base: &Slot) -> Vec<(String, Class, Slot)> {
        let Some(schema) = self.schema_of(param) else { return Vec::new() };
        let Some(map) = non_null(self.doc, schema).and_then(|s| folded(self.doc, s)) else {
            return Vec::new();
        };
        let valid = match base {
            Slot::Value(v) => Some(v),
            _ => None,
        };
        let mut proposals = edges::scalar_edges(&map, valid);
        if map.get("format").and_then(Value::as_str) == Some("uuid") {
            for (label, text) in [
                ("nil-uuid", "00000000-0000-0000-0000-000000000000"),
                ("max-uuid", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
                ("uppercase-uuid", "3FA85F64-5717-4562-B3FC-2C963F66AFA6"),
            ] {
                proposals.push(Edge {
                    label: label.into(),
                    value: EdgeValue::Json(json!(text)),
                    beyond: false,
                    names_rule: false,
                });
            }
        }
        if let Some(Value::Array(values)) = map.get("enum")
            && values.len() <= 16
        {
            proposals.extend(values.iter().enumerate().map(|(i, v)| Edge {
                label: format!("enum-{i}"),
                value: EdgeValue::Json(v.clone()),
                beyond: false,
                names_rule: false,
            }));
        }
        proposals.into_iter().filter_map(|e| self.classify_param(param, e)).collect()
    }

    /// A proposal for `param` as the server reads it: the value itself where it is valid and
    /// sendable, else its text where that is invalid (as one field on the wire).
    fn classify_param(&self, param: &Parameter, e: Edge) -> Option<(String, Class, Slot)> {
        let accepted = if e.beyond { Class::Probe } else { Class::Positive };
        let text = match e.value {
            EdgeValue::Json(v) => {
                let slot = Slot::Value(v.clone());
                if sendable(param, &slot) && self.param_accepts(param, &slot) {
                    return Some((e.label, accepted, slot));
                }
                match &v {
                    Value::Array(_) | Value::Object(_) => match serialize(param, &v).as_slice() {
                        [(name, text)] if *name == param.name => text.clone(),
                        _ => return None,
                    },
                    _ => primitive_text(&v),
                }
            }
            EdgeValue::Digits(d) => d,
        };
        let slot = Slot::Text(text);
        if !sendable(param, &slot) {
            return None;
        }
        if self.param_accepts(param, &slot) {
            return Some((e.label, accepted, slot));
        }
        let label = match (&slot, self.schema_of(param), param.schema.as_ref()) {
            (Slot::Text(text), Some(schema), Some(at)) => {
                let read = super::params::read_param(self.doc, param, schema, text);
                let broken = self.validators.get(&at.pointer).and_then(|v| broken_rule(v, &read));
                with_rule(e.label, broken.filter(|_| !e.names_rule))
            }
            _ => e.label,
        };
        Some((label, Class::Negative, slot))
    }

    /// One invalid item at the last index of each array the valid body holds, at the top or
    /// in a property (`tags.items[2].too-long`): a server that checks only the first item
    /// lets it through.
    fn item_edges(&self, map: &serde_json::Map<String, Value>, value: &Value) -> Vec<Edge> {
        let broken = |schema: &serde_json::Map<String, Value>, items: &[Value]| {
            let (Some(item_schema), Some(first)) = (schema.get("items"), items.first()) else {
                return Vec::new();
            };
            let last = items.len() - 1;
            let invalid = super::invalid::invalid_values(self.doc, item_schema, first);
            let per_item = invalid.into_iter().take(2).map(|inv| {
                let mut array = items.to_vec();
                array[last] = inv.value;
                (format!("items[{last}].{}", inv.rule.label()), Value::Array(array))
            });
            per_item.collect::<Vec<_>>()
        };
        let edge = |label: String, value: Value| Edge {
            label,
            value: EdgeValue::Json(value),
            beyond: false,
            names_rule: true,
        };
        match value {
            Value::Array(items) => {
                broken(map, items).into_iter().map(|(l, v)| edge(l, v)).collect()
            }
            Value::Object(fields) => {
                let props = map.get("properties").and_then(Value::as_object);
                let mut out = Vec::new();
                for (name, v) in fields.iter().take(MAX_PROPERTIES) {
                    let Value::Array(items) = v else { continue };
                    let Some(schema) = props.and_then(|p| p.get(name)) else { continue };
                    let Some(schema) = folded(self.doc, schema) else { continue };
                    for (label, array) in broken(&schema, items) {
                        let mut object = fields.clone();
                        object.insert(name.clone(), array);
                        out.push(edge(format!("{name}.{label}"), Value::Object(object)));
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// The body's edges: request-level breaks, then its schema's edges, each classified by
    /// every reading of the bytes the server could make.
    fn body_edges(
        &self,
        op: &Operation,
        (valid, value): &(Body, Value),
        rng: &mut ChaCha8Rng,
    ) -> Vec<(String, Class, Option<Body>)> {
        let Some(rb) = &op.request_body else { return Vec::new() };
        let Some(media) = writable_media(rb) else { return Vec::new() };
        let schema = media.schema.as_ref().and_then(|s| self.doc.pointer(&s.pointer));
        let validator = media.schema.as_ref().and_then(|s| self.validators.get(&s.pointer));
        let with_bytes = |bytes: Vec<u8>| Body { content_type: valid.content_type.clone(), bytes };
        let readings_ok = |bytes: &[u8]| {
            media::decode(self.doc, schema, &valid.content_type, bytes)
                .iter()
                .map(|r| validator.is_none_or(|v| v.is_valid(r)))
                .collect::<Vec<bool>>()
        };
        let mut out = Vec::new();
        if !rb.required {
            out.push(("omitted".into(), Class::Positive, None));
        }
        let writer = media::writer(&media.name);
        if writer == Some(Writer::Json) {
            for (label, bytes) in edges::malformed_json(&valid.bytes) {
                out.push((label.into(), Class::Negative, Some(with_bytes(bytes))));
            }
            out.push(("utf-16".into(), Class::Probe, Some(with_bytes(edges::utf16(&valid.bytes)))));
        }
        // Zero bytes under the body's own type: a server that reads them as no body, or (as
        // Express does for JSON) as `{}`, must find that invalid too.
        let empty = match writer {
            Some(Writer::Json) => vec![validator.is_none_or(|v| v.is_valid(&json!({})))],
            _ => readings_ok(&[]),
        };
        if rb.required && !empty.is_empty() && empty.iter().all(|ok| !ok) {
            out.push(("empty".into(), Class::Negative, Some(with_bytes(Vec::new()))));
        }
        let declared =
            |ct: &str| rb.content.iter().any(|m| crate::checks::media_matches(&m.name, ct));
        // Zero bytes are no body at all, whatever type they are given.
        let other = ["text/plain", "application/x-gauntlet"].into_iter().find(|c| !declared(c));
        if let Some(other) = other.filter(|_| !valid.bytes.is_empty()) {
            let body = Body { content_type: other.into(), bytes: valid.bytes.clone() };
            out.push(("undeclared-content-type".into(), Class::Negative, Some(body)));
        }
        // HTTP lets a server sniff a body sent without a type (RFC 9110 §8.3).
        let untyped = Body { content_type: String::new(), bytes: valid.bytes.clone() };
        out.push(("no-content-type".into(), Class::Probe, Some(untyped)));
        let (Some(schema), Some(_)) = (schema, validator) else { return out };
        let Some(map) = folded(self.doc, schema) else { return out };
        let mut proposals = match value {
            Value::Object(fields) => {
                let mut values = ValueGen::new(self.doc, rng);
                edges::object_edges(&map, fields, &mut values, MAX_PROPERTIES)
            }
            other => edges::scalar_edges(&map, Some(other)),
        };
        proposals.extend(self.item_edges(&map, value));
        for e in proposals {
            let EdgeValue::Json(v) = &e.value else { continue };
            let Some(body) = media::encode(self.doc, media, Some(schema), v) else { continue };
            let readings = readings_ok(&body.bytes);
            if readings.is_empty() {
                continue;
            }
            let class = if readings.iter().all(|ok| *ok) {
                if e.beyond { Class::Probe } else { Class::Positive }
            } else if readings.iter().all(|ok| !ok) {
                if body.bytes.is_empty() && !rb.required {
                    continue; // an empty form is no body at all, which an optional body may be
                }
                Class::Negative
            } else {
                continue;
            };
            let label = match class {
                Class::Negative => {
                    let read =
                        media::decode(self.doc, Some(schema), &body.content_type, &body.bytes);
                    let broken = validator.zip(read.first()).and_then(|(v, r)| broken_rule(v, r));
                    with_rule(e.label, broken.filter(|_| !e.names_rule))
                }
                _ => e.label,
            };
            out.push((label, class, Some(body)));
        }
        out
    }
}
