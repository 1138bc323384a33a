//! The link graph: which operation's answer gives a value another operation's request takes.
//!
//! From two sources, merged in order: the spec's own OpenAPI `links` (on a 2xx response:
//! `operationId` or `operationRef`, and `parameters` whose runtime expressions are
//! `$response.body#/pointer`, `$response.header.NAME` or `$request.path.NAME`), then links
//! inferred from the paths: a producer (a POST, or a PUT on a collection, whose 2xx body
//! carries an id, directly or in a `data`/`item`/`result` wrapper, or whose 201 documents a
//! `Location`) matched to the operations on its item path (`/things` → `/things/{id}`,
//! `/things/{thingId}/parts`), where the id's type fits the parameter's. Path parameters the
//! two paths share are copied from the producer's request.

use serde_json::{Map, Value};

use super::invalid::folded;
use crate::openapi::{Location, Operation, StatusKey, resolve_ref};
use crate::plan::CaptureFrom;

/// Where a linked value comes from and which parameter of the consumer takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Read from the producer's answer (or request).
    pub from: CaptureFrom,
    /// The consumer's parameter.
    pub location: Location,
    /// Its name.
    pub name: String,
}

/// One link: `producer`'s answer feeds `consumer`'s request (indexes into the operations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The operation whose answer gives the values.
    pub producer: usize,
    /// The operation whose request takes them.
    pub consumer: usize,
    /// The values, each into one parameter.
    pub bindings: Vec<Binding>,
    /// Written in the spec (`links`), not inferred.
    pub declared: bool,
}

/// Property names that wrap a created resource in its answer.
const WRAPPERS: &[&str] = &["data", "item", "result", "resource"];

/// Every link between `ops` over the document `doc` (the response view): the spec's own,
/// then inferred ones for pairs the spec does not link.
pub fn links(doc: &Value, ops: &[Operation]) -> Vec<Link> {
    let mut out = declared(doc, ops);
    for (p, producer) in ops.iter().enumerate() {
        let Some(from) = produced_id(doc, producer) else { continue };
        let base = producer.path.as_str().trim_end_matches('/');
        for (c, consumer) in ops.iter().enumerate() {
            if c == p || out.iter().any(|l| l.producer == p && l.consumer == c) {
                continue;
            }
            let Some(rest) = consumer.path.as_str().strip_prefix(base) else { continue };
            let Some(var) = item_var(rest) else { continue };
            let Some(param) =
                consumer.parameters.iter().find(|q| q.location == Location::Path && q.name == var)
            else {
                continue;
            };
            if !names_an_id(&param.name) || !fits(doc, &from.1, param) {
                continue;
            }
            let mut bindings =
                vec![Binding { from: from.0.clone(), location: Location::Path, name: var.into() }];
            // The path parameters the producer's path has too are the same resource's.
            for shared in producer.path.vars().filter(|v| *v != var) {
                if consumer.path.vars().any(|v| v == shared) {
                    bindings.push(Binding {
                        from: CaptureFrom::Request(format!("path.{shared}")),
                        location: Location::Path,
                        name: shared.into(),
                    });
                }
            }
            out.push(Link { producer: p, consumer: c, bindings, declared: false });
        }
    }
    out
}

/// The variable of `rest` when it is `/{var}` or `/{var}/...` (an item path under the
/// producer's collection).
fn item_var(rest: &str) -> Option<&str> {
    let rest = rest.strip_prefix('/')?;
    let segment = rest.split('/').next()?;
    let var = segment.strip_prefix('{')?.strip_suffix('}')?;
    (!var.is_empty() && !var.contains(['{', '}'])).then_some(var)
}

/// Whether a parameter's name says it holds an id (`id`, `thingId`, `thing_id`, `uuid`).
fn names_an_id(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "id" || lower.ends_with("id") || lower == "uuid" || lower.ends_with("uuid")
}

/// Where a producer's 2xx answer carries the id of what it made, with the id's schema: a
/// POST (or a PUT on a collection path) whose body has an `id` (or `NAMEId`) property,
/// directly or in a wrapper, or whose 201 documents a `Location`.
fn produced_id(doc: &Value, op: &Operation) -> Option<(CaptureFrom, Value)> {
    let collection = !op.path.as_str().trim_end_matches('/').ends_with('}');
    if !collection || !matches!(op.method.as_str(), "POST" | "PUT") {
        return None;
    }
    let success = |k: StatusKey| matches!(k, StatusKey::Exact(200..=299) | StatusKey::Range(2));
    for response in op.responses.iter().filter(|r| success(r.status)) {
        for media in response.content.iter().filter(|m| crate::checks::is_json(&m.name)) {
            let Some(schema) = media.schema.as_ref().and_then(|s| doc.pointer(&s.pointer)) else {
                continue;
            };
            if let Some((pointer, id_schema)) = id_pointer(doc, schema, op) {
                return Some((CaptureFrom::Body(pointer), id_schema));
            }
        }
    }
    let location = op.responses.iter().any(|r| {
        r.status == StatusKey::Exact(201) && r.headers.iter().any(|h| h.name == "location")
    });
    location.then(|| (CaptureFrom::HeaderTail("Location".into()), Value::Object(Map::new())))
}

/// The pointer of the id in bodies of `schema` (`/id`, `/data/id`) and the id's schema.
pub fn id_pointer(doc: &Value, schema: &Value, op: &Operation) -> Option<(String, Value)> {
    let map = folded(doc, schema)?;
    if let Some((name, s)) = id_property(doc, &map, op) {
        return Some((format!("/{}", crate::openapi::escape(&name)), s));
    }
    let props = map.get("properties")?.as_object()?;
    WRAPPERS.iter().find_map(|w| {
        let inner = folded(doc, props.get(*w)?)?;
        let (name, s) = id_property(doc, &inner, op)?;
        Some((format!("/{w}/{}", crate::openapi::escape(&name)), s))
    })
}

/// The id property of an object schema: `id`, else `NAMEId`/`NAME_id` for the collection's
/// name, else the one property whose name ends in `id`; with its schema (resolved).
fn id_property(doc: &Value, map: &Map<String, Value>, op: &Operation) -> Option<(String, Value)> {
    let props = map.get("properties")?.as_object()?;
    let collection = op.path.as_str().trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let singular = collection.strip_suffix('s').unwrap_or(collection).to_ascii_lowercase();
    let scalar = |s: &Value| {
        let resolved = folded(doc, s)?;
        let t = resolved.get("type").and_then(Value::as_str).unwrap_or("string");
        matches!(t, "string" | "integer" | "number").then(|| Value::Object(resolved))
    };
    let by = |name: &str| props.get(name).and_then(&scalar).map(|s| (name.to_owned(), s));
    if let Some(found) = by("id") {
        return Some(found);
    }
    let named = props.keys().find(|k| {
        let lower = k.to_ascii_lowercase().replace('_', "");
        lower == format!("{singular}id") || lower == format!("{singular}uuid")
    });
    if let Some(found) = named.and_then(|k| by(k)) {
        return Some(found);
    }
    let mut ids = props.keys().filter(|k| k.to_ascii_lowercase().ends_with("id"));
    match (ids.next(), ids.next()) {
        (Some(only), None) => by(only),
        _ => None,
    }
}

/// Whether an id of schema `id` can stand in `param` (an empty `id` schema, a Location's,
/// fits any): the same kind of value, and a `format` the parameter does not contradict.
fn fits(doc: &Value, id: &Value, param: &crate::openapi::Parameter) -> bool {
    let Some(schema) = param.schema.as_ref().and_then(|s| doc.pointer(&s.pointer)) else {
        return true;
    };
    let Some(p) = folded(doc, schema) else { return true };
    let kind = |m: &Value| m.get("type").and_then(Value::as_str).map(str::to_owned);
    let (id_type, param_type) = (kind(id), kind(&Value::Object(p.clone())));
    let numeric = |t: &Option<String>| matches!(t.as_deref(), Some("integer" | "number"));
    let types_fit = match (&id_type, &param_type) {
        (None, _) | (_, None) => true,
        (a, b) if numeric(a) && numeric(b) => true,
        (a, b) => a == b,
    };
    let format = |m: &Value| m.get("format").and_then(Value::as_str).map(str::to_owned);
    let formats_fit = match (format(id), p.get("format").and_then(Value::as_str)) {
        (Some(a), Some(b)) => a == b,
        // An id of no known format may not be one the parameter's format takes.
        (None, Some(_)) => false,
        _ => true,
    };
    types_fit && formats_fit
}

/// The links the spec writes: `links` of each operation's 2xx responses.
fn declared(doc: &Value, ops: &[Operation]) -> Vec<Link> {
    let mut out = Vec::new();
    for (p, op) in ops.iter().enumerate() {
        let Some(responses) = doc.pointer(&format!("{}/responses", op.pointer)) else { continue };
        let Some(responses) = responses.as_object() else { continue };
        for (status, response) in responses {
            if !status.starts_with('2') {
                continue;
            }
            let Ok((response, _)) = resolve_ref(doc, response) else { continue };
            let Some(links) = response.get("links").and_then(Value::as_object) else { continue };
            for link in links.values() {
                let Ok((link, _)) = resolve_ref(doc, link) else { continue };
                let target = if let Some(id) = link.get("operationId").and_then(Value::as_str) {
                    ops.iter().position(|o| o.id == id)
                } else if let Some(r) = link.get("operationRef").and_then(Value::as_str) {
                    let pointer = r.strip_prefix('#').unwrap_or(r);
                    ops.iter().position(|o| o.pointer == pointer)
                } else {
                    None
                };
                let Some(c) = target else { continue };
                let Some(params) = link.get("parameters").and_then(Value::as_object) else {
                    continue;
                };
                let bindings: Vec<Binding> = params
                    .iter()
                    .filter_map(|(key, expr)| binding(&ops[c], key, expr.as_str()?))
                    .collect();
                if !bindings.is_empty() {
                    out.push(Link { producer: p, consumer: c, bindings, declared: true });
                }
            }
        }
    }
    out
}

/// One `parameters` entry of a link (`id: $response.body#/id`, `path.id: ...`), when the
/// consumer has the parameter and the expression is one gauntlet reads.
fn binding(consumer: &Operation, key: &str, expr: &str) -> Option<Binding> {
    let (location, name) = match key.split_once('.') {
        Some((l, n)) if Location::parse(l).is_some() => (Location::parse(l), n),
        _ => (None, key),
    };
    let param = consumer
        .parameters
        .iter()
        .find(|q| q.name == name && location.is_none_or(|l| l == q.location))?;
    let from = if let Some(pointer) = expr.strip_prefix("$response.body#") {
        CaptureFrom::Body(pointer.to_owned())
    } else if let Some(header) = expr.strip_prefix("$response.header.") {
        CaptureFrom::Header(header.to_owned())
    } else if let Some(rest) = expr.strip_prefix("$request.") {
        let (l, n) = rest.split_once('.')?;
        Location::parse(l)?;
        CaptureFrom::Request(format!("{l}.{n}"))
    } else {
        return None;
    };
    Some(Binding { from, location: param.location, name: param.name.clone() })
}
