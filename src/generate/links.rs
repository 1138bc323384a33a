//! The link graph: which operation's answer gives a value another operation's request takes.
//!
//! From two sources, merged in order: the spec's own OpenAPI `links` (on a 2xx response:
//! `operationId` or `operationRef`, and `parameters` whose runtime expressions are
//! `$response.body#/pointer`, `$response.header.NAME` or `$request.path.NAME`), then links
//! inferred from the paths: a producer (a POST, or a PUT on a collection, whose 2xx body
//! carries an id, directly or in a `data`/`item`/`result` wrapper, or whose 201 documents a
//! `Location`) matched to the operations on its item path (`/things` → `/things/{id}`,
//! `/things/{thingId}/parts`), where the id's type fits the parameter's. Path parameters the
//! two paths share are copied from the producer's request. Apart from these, for value
//! reuse only: lists (a GET on a collection whose items carry ids) linked to their reads.

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
    /// The body the link sends (its `requestBody`), as written: a literal, whose strings
    /// that are runtime expressions ([`body_expressions`]) take the values they name.
    pub body: Option<Value>,
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
        let inferred = item_links(doc, ops, p, &from, |c| {
            !out.iter().any(|l| l.producer == p && l.consumer == c)
        });
        out.extend(inferred);
    }
    out
}

/// Links from each list (a GET on a collection whose 2xx body holds an array of items with
/// ids, directly or in a wrapper such as `data` or `items`) to the reads on its item path,
/// one per item of the first [`LISTED`]: for value reuse only (a list creates nothing, so
/// it heads no chain).
pub fn listed(doc: &Value, ops: &[Operation]) -> Vec<Link> {
    let mut out = Vec::new();
    for (p, list) in ops.iter().enumerate() {
        let Some((pointer, id)) = listed_id(doc, list) else { continue };
        for item in 0..LISTED {
            let from = CaptureFrom::Body(pointer.replacen("/-/", &format!("/{item}/"), 1));
            let reads = item_links(doc, ops, p, &(from, id.clone()), |c| ops[c].method == "GET");
            out.extend(reads);
        }
    }
    out
}

/// How many items of a list answer give their ids to reads.
pub const LISTED: usize = 3;

/// The links from producer `p`, whose answers give `from` (an id of schema `from.1`), to
/// the operations on its item path that `keep` allows.
fn item_links(
    doc: &Value,
    ops: &[Operation],
    p: usize,
    from: &(CaptureFrom, Value),
    keep: impl Fn(usize) -> bool,
) -> Vec<Link> {
    let producer = &ops[p];
    let base = producer.path.as_str().trim_end_matches('/');
    let mut out = Vec::new();
    for (c, consumer) in ops.iter().enumerate() {
        if c == p || !keep(c) {
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
        out.push(Link { producer: p, consumer: c, bindings, body: None, declared: false });
    }
    out
}

/// Property names that hold a list's items in its answer.
const LIST_WRAPPERS: &[&str] =
    &["data", "items", "results", "content", "value", "records", "entries"];

/// Where a list's 2xx answer carries its items' ids, as a pointer with `-` for the item
/// (`/-/id`, `/data/-/id`), with the id's schema: a GET on a collection path.
fn listed_id(doc: &Value, op: &Operation) -> Option<(String, Value)> {
    let collection = !op.path.as_str().trim_end_matches('/').ends_with('}');
    if !collection || op.method != "GET" {
        return None;
    }
    let success = |k: StatusKey| matches!(k, StatusKey::Exact(200) | StatusKey::Range(2));
    let media = op
        .responses
        .iter()
        .filter(|r| success(r.status))
        .flat_map(|r| &r.content)
        .find(|m| crate::checks::is_json(&m.name))?;
    let schema = doc.pointer(&media.schema.as_ref()?.pointer)?;
    let array_items = |s: &Value| {
        let map = folded(doc, s)?;
        let items = map.get("items")?;
        let (name, id) = id_property(doc, &folded(doc, items)?, op)?;
        Some((crate::openapi::escape(&name), id))
    };
    if let Some((name, id)) = array_items(schema) {
        return Some((format!("/-/{name}"), id));
    }
    let props = folded(doc, schema)?.get("properties")?.as_object()?.clone();
    LIST_WRAPPERS.iter().find_map(|w| {
        let (name, id) = array_items(props.get(*w)?)?;
        Some((format!("/{w}/-/{name}"), id))
    })
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
                let params = link.get("parameters").and_then(Value::as_object);
                let bindings: Vec<Binding> = params
                    .into_iter()
                    .flatten()
                    .filter_map(|(key, value)| binding(&ops[c], key, value))
                    .collect();
                // A body only where the consumer takes JSON.
                let body = link.get("requestBody").filter(|_| takes_json(&ops[c])).cloned();
                if !bindings.is_empty() || body.is_some() {
                    out.push(Link { producer: p, consumer: c, bindings, body, declared: true });
                }
            }
        }
    }
    out
}

/// Whether `op`'s request body is JSON.
fn takes_json(op: &Operation) -> bool {
    op.request_body
        .as_ref()
        .is_some_and(|b| b.content.iter().any(|m| crate::checks::is_json(&m.name)))
}

/// A runtime expression gauntlet reads: `$response.body#/pointer`, `$response.header.NAME`,
/// `$request.LOCATION.NAME`, bare or in braces (`{$response.body#/id}`).
pub fn expression(text: &str) -> Option<CaptureFrom> {
    let expr = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    if let Some(pointer) = expr.strip_prefix("$response.body#") {
        Some(CaptureFrom::Body(pointer.to_owned()))
    } else if let Some(header) = expr.strip_prefix("$response.header.") {
        Some(CaptureFrom::Header(header.to_owned()))
    } else if let Some(rest) = expr.strip_prefix("$request.") {
        let (l, n) = rest.split_once('.')?;
        Location::parse(l)?;
        Some(CaptureFrom::Request(format!("{l}.{n}")))
    } else {
        None
    }
}

/// The runtime expressions in a link's `requestBody`, each with its JSON pointer (`""` for a
/// body that is one expression).
pub fn body_expressions(body: &Value) -> Vec<(String, CaptureFrom)> {
    fn walk(v: &Value, at: String, out: &mut Vec<(String, CaptureFrom)>) {
        match v {
            Value::String(s) => out.extend(expression(s).map(|e| (at, e))),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{at}/{i}"), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    walk(item, format!("{at}/{}", crate::openapi::escape(k)), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(body, String::new(), &mut out);
    out
}

/// One `parameters` entry of a link (`id: $response.body#/id`, `path.id: ...`, or a
/// constant: `kind: full`), when the consumer has the parameter; an expression that starts
/// with `$` but is not one gauntlet reads gives none.
fn binding(consumer: &Operation, key: &str, value: &Value) -> Option<Binding> {
    let (location, name) = match key.split_once('.') {
        Some((l, n)) if Location::parse(l).is_some() => (Location::parse(l), n),
        _ => (None, key),
    };
    let param = consumer
        .parameters
        .iter()
        .find(|q| q.name == name && location.is_none_or(|l| l == q.location))?;
    let from = match value.as_str() {
        Some(text) => match expression(text) {
            Some(from) => from,
            None if text.trim_start_matches('{').starts_with('$') => return None,
            None => CaptureFrom::Constant(value.clone()),
        },
        None => CaptureFrom::Constant(value.clone()),
    };
    Some(Binding { from, location: param.location, name: param.name.clone() })
}
