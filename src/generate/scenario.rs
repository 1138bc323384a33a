//! Scenarios for one operation: positives, one-thing-broken negatives, broken credentials.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::invalid::invalid_values;
use super::invalid::{self as negative, Rule};
use super::media;
use super::params::{coerce, read_param, serialize};
use super::route::Router;
use super::value::ValueGen;
use crate::openapi::{Location, Operation, Parameter, SecurityScheme, resolve_ref};
use crate::plan::{AuthBreak, AuthMode, Body, Kind, ROUTE, RequestSpec, Scenario};
use crate::schema::Validators;
use crate::support::fnv1a;

/// How many times a value is drawn before the generator gives up on a schema.
const ATTEMPTS: usize = 24;

/// Builds scenarios for the operations of one document.
pub struct Generator<'a> {
    pub(super) doc: &'a Value,
    pub(super) validators: &'a Validators,
    pub(super) router: Router,
    max_examples: usize,
    /// Parameters sent with a fixed value (`--param`).
    pins: Vec<super::Pin>,
    /// Schemas found by pointer: each is looked up once, not once per example.
    schemas: std::cell::RefCell<HashMap<String, Option<&'a Value>>>,
}

/// A parameter's value in a request under construction.
#[derive(Clone)]
pub(super) enum Slot {
    /// Not sent.
    Absent,
    /// A schema value, serialised by style.
    Value(Value),
    /// Raw text (a negative candidate).
    Text(String),
}

impl<'a> Generator<'a> {
    /// A generator over `doc` and its compiled `validators`; `templates` are every path
    /// template of the spec (to keep negatives from routing to another operation).
    pub fn new(
        doc: &'a Value,
        validators: &'a Validators,
        templates: impl IntoIterator<Item = crate::openapi::PathTemplate>,
        max_examples: usize,
    ) -> Self {
        let router = Router::new(templates);
        Generator {
            doc,
            validators,
            router,
            max_examples,
            pins: Vec::new(),
            schemas: Default::default(),
        }
    }

    /// The same generator with `pins`: each parameter a pin is for is sent with its value in
    /// every scenario but those that break it, and gets no boundary positives of its own.
    pub fn with_pins(mut self, pins: Vec<super::Pin>) -> Self {
        self.pins = pins;
        self
    }

    /// The pinned value of `param`, as a slot.
    pub(super) fn pinned(&self, param: &Parameter) -> Option<Slot> {
        super::pin::pinned(&self.pins, param).map(|p| Slot::Text(p.value.clone()))
    }

    /// Whether the schema of `param` accepts its pinned value as the server reads it (`true`
    /// for a parameter without a pin).
    pub fn pin_accepted(&self, param: &Parameter) -> bool {
        self.pinned(param).is_none_or(|slot| self.param_accepts(param, &slot))
    }

    /// The scenarios of operation `index`, deterministic for `seed`; or why it gets none
    /// (`query.limit: no valid value found`): the operation is not tested then.
    pub fn operation(
        &self,
        index: usize,
        op: &Operation,
        seed: u64,
    ) -> Result<Vec<Scenario>, String> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ fnv1a(&[op.id.as_bytes()]));
        let mut base = Vec::with_capacity(op.parameters.len());
        for param in &op.parameters {
            if let Some(pinned) = self.pinned(param) {
                base.push(pinned);
                continue;
            }
            if !param.required {
                base.push(Slot::Absent);
                continue;
            }
            match self.valid_value(param, &mut rng) {
                Some(v) => base.push(Slot::Value(v)),
                None => {
                    let why = self
                        .schema_of(param)
                        .and_then(|s| super::value::oversized(self.doc, s))
                        .unwrap_or_else(|| "no valid value found".into());
                    return Err(format!("{}.{}: {why}", param.location.as_str(), param.name));
                }
            }
        }
        if let Some(m) = op.request_body.as_ref().and_then(writable_media).filter(|m| m.streamed) {
            return Err(format!(
                "request body: {} is a stream of items (itemSchema, OpenAPI 3.2), not yet generated",
                m.name
            ));
        }
        let valid_body = self.valid_body(op, &mut rng);
        let body = valid_body.as_ref().map(|(b, _)| b.clone());
        if body.is_none() && op.request_body.as_ref().is_some_and(|b| b.required) {
            let media = op.request_body.as_ref().and_then(writable_media);
            let why = match media {
                None => format!("no media type gauntlet can write ({})", media_names(op)),
                Some(m) => m
                    .schema
                    .as_ref()
                    .and_then(|s| self.doc.pointer(&s.pointer))
                    .and_then(|s| super::value::oversized(self.doc, s))
                    .unwrap_or_else(|| "no valid value found".into()),
            };
            return Err(format!("request body: {why}"));
        }
        let mut out = Vec::new();
        let push = |out: &mut Vec<Scenario>, label: String, kind: Kind, request: RequestSpec| {
            out.push(Scenario::single(index, label, kind, request));
        };
        let base_request = self.render(op, &base, body.clone(), AuthMode::Valid);
        push(&mut out, "positive/base".into(), Kind::Positive, base_request.clone());

        // One parameter broken at a time.
        for (i, param) in op.parameters.iter().enumerate() {
            let target = format!("{}.{}", param.location.as_str(), param.name);
            let negative =
                |rule: &Rule| Kind::Negative { target: target.clone(), rule: rule.label() };
            if param.required && param.location != Location::Path {
                let mut slots = base.clone();
                slots[i] = Slot::Absent;
                let request = self.render(op, &slots, body.clone(), AuthMode::Valid);
                let label = format!("negative/{target}/{}", Rule::Missing.label());
                push(&mut out, label, negative(&Rule::Missing), request);
            }
            for candidate in self.invalid_texts(param, &base[i]) {
                let mut slots = base.clone();
                let routing = param.location == Location::Path && leaves_route(&candidate.text);
                slots[i] = Slot::Text(candidate.text);
                let request = self.render(op, &slots, body.clone(), AuthMode::Valid);
                if param.location == Location::Path && self.router.strays(&op.path, &request.path) {
                    continue;
                }
                if routing {
                    let rule = format!("{target}-{}", candidate.rule.label());
                    let label = format!("negative/{ROUTE}/{rule}");
                    push(&mut out, label, Kind::Negative { target: ROUTE.into(), rule }, request);
                    continue;
                }
                let label = format!("negative/{target}/{}", candidate.rule.label());
                push(&mut out, label, negative(&candidate.rule), request);
            }
        }
        // The body broken.
        for (rule, bad) in self.invalid_bodies(op, valid_body.as_ref().map(|(_, v)| v)) {
            let kind = Kind::Negative { target: "body".into(), rule: rule.clone() };
            let request = self.render(op, &base, bad, AuthMode::Valid);
            push(&mut out, format!("negative/body/{rule}"), kind, request);
        }
        // The credentials broken.
        if op.requires_auth() {
            for (rule, mode) in auth_breaks(&op.auth[0]) {
                let kind = Kind::Negative { target: "auth".into(), rule: rule.into() };
                let request = RequestSpec { auth: mode, ..base_request.clone() };
                push(&mut out, format!("negative/auth/{rule}"), kind, request);
            }
        }
        // The boundary phase: each constraint's edges, and the request-level breaks.
        let mut seen: HashSet<u64> = out.iter().map(|s| request_key(&s.first().request)).collect();
        for (label, kind, request) in self.boundary_phase(op, &base, valid_body.as_ref(), &mut rng)
        {
            if seen.insert(request_key(&request)) {
                push(&mut out, label, kind, request);
            }
        }
        // Random positives fill the budget of valid examples; identical requests are not sent
        // twice (only their hashes are kept, so a large budget costs eight bytes a request).
        let mut positives = out.iter().filter(|s| s.kind == Kind::Positive).count();
        let mut misses = 0;
        let mut n = 0;
        while positives < self.max_examples && misses < ATTEMPTS {
            let slots: Option<Vec<Slot>> = op
                .parameters
                .iter()
                .map(|param| {
                    if let Some(pinned) = self.pinned(param) {
                        return Some(pinned);
                    }
                    if !param.required && !rng.random_bool(0.5) {
                        return Some(Slot::Absent);
                    }
                    match self.valid_value(param, &mut rng) {
                        Some(v) => Some(Slot::Value(v)),
                        None if param.required => None,
                        None => Some(Slot::Absent),
                    }
                })
                .collect();
            let Some(slots) = slots else {
                misses += 1;
                continue;
            };
            let body = self.valid_body(op, &mut rng).map(|(b, _)| b).or_else(|| body.clone());
            let request = self.render(op, &slots, body, AuthMode::Valid);
            if !seen.insert(request_key(&request)) {
                misses += 1;
                continue;
            }
            n += 1;
            positives += 1;
            push(&mut out, format!("positive/random-{n}"), Kind::Positive, request);
        }
        dedupe_labels(&mut out);
        Ok(out)
    }

    pub(super) fn schema_of(&self, param: &Parameter) -> Option<&'a Value> {
        let pointer = &param.schema.as_ref()?.pointer;
        if let Some(found) = self.schemas.borrow().get(pointer) {
            return *found;
        }
        let found = self.doc.pointer(pointer);
        self.schemas.borrow_mut().insert(pointer.clone(), found);
        found
    }

    /// A value valid under the parameter's schema, as the server will read it.
    fn valid_value(&self, param: &Parameter, rng: &mut ChaCha8Rng) -> Option<Value> {
        let Some(schema) = self.schema_of(param) else {
            return Some(json!(format!("gauntlet{}", rng.random_range(0..1000))));
        };
        let mut generator = ValueGen::new(self.doc, rng);
        for _ in 0..ATTEMPTS {
            let Some(value) = generator.valid(schema, 0) else { continue };
            let slot = Slot::Value(value);
            if self.param_accepts(param, &slot) && sendable(param, &slot) {
                let Slot::Value(v) = slot else { unreachable!() };
                return Some(v);
            }
        }
        None
    }

    /// Whether the parameter's validator accepts `slot` as the server reads it (true when the
    /// schema could not be compiled: nothing to hold it to).
    pub(super) fn param_accepts(&self, param: &Parameter, slot: &Slot) -> bool {
        let Some(schema_ref) = &param.schema else { return true };
        let Some(validator) = self.validators.get(&schema_ref.pointer) else { return true };
        let Some(schema) = self.schema_of(param) else { return true };
        // A path value in the `label` or `matrix` style is read as its whole segment.
        let styled =
            param.location == Location::Path && matches!(param.style.as_str(), "label" | "matrix");
        let wire = match slot {
            Slot::Value(v) if styled => Some(super::params::path_text(param, v)),
            Slot::Text(t) if styled => Some(super::params::path_raw(param, t)),
            _ => None,
        };
        if let Some(wire) = wire {
            // `.` alone (an empty label list) is a dot segment, which URLs drop.
            if wire == "." || wire == ".." {
                return false;
            }
            let text = percent_encoding::percent_decode_str(&wire).decode_utf8_lossy();
            let read = read_param(self.doc, param, schema, &text);
            let value_ok = match slot {
                Slot::Value(v) => validator.is_valid(v),
                _ => true,
            };
            return value_ok && validator.is_valid(&read);
        }
        match slot {
            Slot::Absent => !param.required,
            // Valid as a value, and as the server reads it back: an empty list sent as
            // `tags=` reads as one empty item, and an exploded one as no parameter at all.
            Slot::Value(v @ (Value::Array(_) | Value::Object(_))) => {
                validator.is_valid(v)
                    && match super::params::serialize(param, v).as_slice() {
                        [] => !param.required,
                        [(name, text)] if *name == param.name => {
                            validator.is_valid(&read_param(self.doc, param, schema, text))
                        }
                        // Repeated (`ids=1&ids=2`): read as one list, as servers join them.
                        pairs if pairs.iter().all(|(name, _)| *name == param.name) => {
                            let texts: Vec<&str> = pairs.iter().map(|(_, t)| t.as_str()).collect();
                            let read = read_param(self.doc, param, schema, &texts.join(","));
                            read.is_array() && validator.is_valid(&read)
                        }
                        _ => true,
                    }
            }
            Slot::Value(v) => {
                let text = super::params::primitive_text(v);
                validator.is_valid(&coerce(self.doc, schema, &text)) && validator.is_valid(v)
            }
            Slot::Text(text) => validator.is_valid(&read_param(self.doc, param, schema, text)),
        }
    }

    fn invalid_texts(&self, param: &Parameter, base: &Slot) -> Vec<negative::Candidate> {
        let Some(schema) = self.schema_of(param) else { return Vec::new() };
        let Some(map) = non_null(self.doc, schema).and_then(Value::as_object) else {
            return Vec::new();
        };
        let valid = match base {
            Slot::Value(v) => super::params::primitive_text(v),
            _ => String::new(),
        };
        negative::for_schema(map, &valid)
            .into_iter()
            .filter(|c| {
                let slot = Slot::Text(c.text.clone());
                sendable(param, &slot) && !self.param_accepts(param, &slot)
            })
            .collect()
    }

    /// A valid body for the first media type gauntlet can write, and the value it holds
    /// (valid as the server reads the body back).
    fn valid_body(&self, op: &Operation, rng: &mut ChaCha8Rng) -> Option<(Body, Value)> {
        let media = writable_media(op.request_body.as_ref()?)?;
        let schema = media.schema.as_ref().and_then(|s| self.doc.pointer(&s.pointer));
        let validator = media.schema.as_ref().and_then(|s| self.validators.get(&s.pointer));
        let Some(schema) = schema else {
            let value = match media::writer(&media.name) {
                Some(media::Writer::Text | media::Writer::Raw) => json!("gauntlet"),
                _ => json!({}),
            };
            return Some((media::encode(self.doc, media, None, &value)?, value));
        };
        let mut generator = ValueGen::new(self.doc, rng);
        (0..ATTEMPTS).find_map(|_| {
            let value = generator.valid(schema, 0)?;
            let body = media::encode(self.doc, media, Some(schema), &value)?;
            let readings = media::decode(self.doc, Some(schema), &body.content_type, &body.bytes);
            let valid = !readings.is_empty()
                && readings.iter().all(|r| validator.is_none_or(|v| v.is_valid(r)));
            valid.then_some((body, value))
        })
    }

    /// Bodies that break one rule of the schema, kept only when the validator rejects them
    /// as the server reads them back.
    fn invalid_bodies(&self, op: &Operation, valid: Option<&Value>) -> Vec<(String, Option<Body>)> {
        let Some(rb) = &op.request_body else { return Vec::new() };
        let mut out = Vec::new();
        if rb.required {
            out.push((Rule::Missing.label(), None));
        }
        let Some(media) = writable_media(rb) else { return out };
        let Some(validator) = media.schema.as_ref().and_then(|s| self.validators.get(&s.pointer))
        else {
            return out;
        };
        let (Some(current), Some(schema)) =
            (valid, media.schema.as_ref().and_then(|s| self.doc.pointer(&s.pointer)))
        else {
            return out;
        };
        for invalid in invalid_values(self.doc, schema, current) {
            let Some(body) = media::encode(self.doc, media, Some(schema), &invalid.value) else {
                continue;
            };
            if body.bytes.is_empty() && !rb.required {
                continue; // an empty form is no body at all, which an optional body may be
            }
            let readings = media::decode(self.doc, Some(schema), &body.content_type, &body.bytes);
            if readings.iter().all(|r| !validator.is_valid(r)) {
                out.push((invalid.rule.label(), Some(body)));
            }
        }
        out
    }

    pub(super) fn render(
        &self,
        op: &Operation,
        slots: &[Slot],
        body: Option<Body>,
        auth: AuthMode,
    ) -> RequestSpec {
        let mut segments: Vec<(&str, String)> = Vec::new();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let mut cookies = Vec::new();
        for (param, slot) in op.parameters.iter().zip(slots) {
            if param.location == Location::Path {
                let text = match slot {
                    Slot::Absent => continue,
                    Slot::Value(v) => super::params::path_text(param, v),
                    Slot::Text(t) => super::params::path_raw(param, t),
                };
                segments.push((param.name.as_str(), text));
                continue;
            }
            let pairs = match slot {
                Slot::Absent => continue,
                Slot::Value(v) => serialize(param, v),
                Slot::Text(t) => vec![(param.name.clone(), t.clone())],
            };
            match param.location {
                Location::Path => {}
                Location::Query => query.extend(pairs),
                Location::Header => headers.extend(pairs),
                Location::Cookie => cookies.extend(pairs),
            }
        }
        let path = op
            .path
            .render(|name| segments.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()));
        RequestSpec { path, query, headers, cookies, body, auth, secrets: Vec::new(), method: None }
    }
}

/// Whether a value can go on the wire where the parameter goes (header values are visible
/// ASCII; path, query and cookies are encoded).
pub(super) fn sendable(param: &Parameter, slot: &Slot) -> bool {
    let text = match slot {
        Slot::Text(t) => t.clone(),
        Slot::Value(v) => {
            let pairs = serialize(param, v);
            // An empty array or object sends nothing: for a required parameter, that is "missing".
            if pairs.is_empty() && param.required {
                return false;
            }
            pairs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
        }
        Slot::Absent => return true,
    };
    super::params::wire_safe(param.location, &text)
}

/// A schema with `null` taken out: the one other branch of an `anyOf`/`oneOf` with a
/// `{type: null}` branch (how FastAPI and 3.1 write an optional value), else the schema
/// itself; `$ref`s resolved.
pub(super) fn non_null<'d>(doc: &'d Value, schema: &'d Value) -> Option<&'d Value> {
    let (resolved, _) = resolve_ref(doc, schema).ok()?;
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = resolved.get(key) else { continue };
        let is_null = |b: &Value| b.get("type").and_then(Value::as_str) == Some("null");
        let others: Vec<&Value> = branches.iter().filter(|b| !is_null(b)).collect();
        if let [only] = others.as_slice()
            && others.len() < branches.len()
        {
            return resolve_ref(doc, only).ok().map(|(s, _)| s);
        }
    }
    Some(resolved)
}

/// Whether a path value takes the request off its operation's route: an empty segment, a
/// `/` (or `%2F` for a server that decodes twice), a dot segment. Such a value reaches the
/// router, not the operation.
pub(super) fn leaves_route(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    text.is_empty()
        || text.contains('/')
        || matches!(text, "." | "..")
        || lower.contains("%2f")
        || matches!(lower.as_str(), "%2e" | "%2e%2e" | ".%2e" | "%2e.")
}

/// The media type of a request body that gauntlet writes: JSON where one is documented,
/// then a form, multipart, XML, text and raw bytes (raw bytes hold only a string, so a
/// Kubernetes patch documented as `+json` and `+yaml` goes as JSON).
pub(super) fn writable_media(
    body: &crate::openapi::RequestBody,
) -> Option<&crate::openapi::MediaType> {
    use media::Writer;
    let rank = |w: Writer| match w {
        Writer::Json => 0,
        Writer::Form => 1,
        Writer::Multipart => 2,
        Writer::Xml => 3,
        Writer::Text => 4,
        Writer::Raw => 5,
    };
    body.content
        .iter()
        .filter_map(|m| Some((rank(media::writer(&m.name)?), m)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, m)| m)
}

/// The request media types of `op`, for notes.
fn media_names(op: &Operation) -> String {
    let names = op.request_body.iter().flat_map(|b| &b.content).map(|m| m.name.as_str());
    names.collect::<Vec<_>>().join(", ")
}

/// The ways of breaking one security scheme's credentials.
fn auth_breaks(scheme: &SecurityScheme) -> Vec<(&'static str, AuthMode)> {
    let mut out = vec![("missing", AuthMode::Omit)];
    let breaks: &[AuthBreak] = match scheme {
        SecurityScheme::Basic => AuthBreak::BASIC,
        SecurityScheme::Bearer => {
            &[AuthBreak::Empty, AuthBreak::OtherScheme, AuthBreak::WrongToken]
        }
        SecurityScheme::ApiKey { .. } => &[AuthBreak::Empty, AuthBreak::WrongToken],
        SecurityScheme::Unsupported(_) => &[],
    };
    out.extend(breaks.iter().map(|b| (b.label(), AuthMode::Broken(*b))));
    out
}

fn request_key(r: &RequestSpec) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    let body = r.body.as_ref().map(|b| (&b.content_type, &b.bytes));
    (&r.path, &r.query, &r.headers, &r.cookies, body).hash(&mut h);
    h.finish()
}

/// Makes labels unique within an operation (`x`, `x#2`, ...).
fn dedupe_labels(scenarios: &mut [Scenario]) {
    let mut seen = HashSet::new();
    for s in scenarios {
        if !seen.insert(s.label.clone()) {
            let mut n = 2;
            while !seen.insert(format!("{}#{n}", s.label)) {
                n += 1;
            }
            s.label = format!("{}#{n}", s.label);
        }
    }
}
