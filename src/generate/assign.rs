//! Mass-assignment probes: the properties a read answers with that the create's request
//! schema does not declare (an owner, a balance, a date: what the server sets), each with
//! a value the server would not choose by itself, for the create to carry. Flags and enum
//! values are left out: one read cannot tell a copy from a value the server held anyway.

use serde_json::{Map, Value, json};

use crate::openapi::{Operation, resolve_ref};

/// How deep `allOf` and `$ref` are followed for properties.
const MAX_DEPTH: usize = 8;

/// The properties `read`'s 2xx answer declares that `create`'s JSON request body does not,
/// but `skip` (the id the chain reads by), with the values to send; empty when the
/// request schema forbids properties it does not declare.
pub fn extras(
    requests: &Value,
    responses: &Value,
    create: &Operation,
    read: &Operation,
    skip: &[String],
) -> Vec<(String, Value)> {
    let json = |m: &&crate::openapi::MediaType| m.name.contains("json");
    let request = create.request_body.iter().flat_map(|b| &b.content).find(json);
    let Some(request) = request.and_then(|m| m.schema.as_ref()) else { return Vec::new() };
    let Some(request) = requests.pointer(&request.pointer) else { return Vec::new() };
    if closed(requests, request, 0) {
        return Vec::new();
    }
    let declared = properties(requests, request, 0);
    let answer = read
        .responses
        .iter()
        .filter(|r| r.status.matches(200))
        .flat_map(|r| &r.content)
        .find(json)
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| responses.pointer(&s.pointer));
    let Some(answer) = answer else { return Vec::new() };
    let mut out: Vec<(String, Value)> = Vec::new();
    for (name, schema) in properties(responses, answer, 0) {
        if declared.iter().any(|(n, _)| *n == name) || skip.contains(&name) {
            continue;
        }
        if out.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Some(value) = unlikely(responses, schema) {
            out.push((name, value));
        }
    }
    out
}

/// `body` (a JSON object) with `extras` added.
pub fn carry(body: &[u8], extras: &[(String, Value)]) -> Option<Vec<u8>> {
    let mut object: Map<String, Value> = serde_json::from_slice(body).ok()?;
    for (name, value) in extras {
        object.insert(name.clone(), value.clone());
    }
    serde_json::to_vec(&Value::Object(object)).ok()
}

/// Whether the schema forbids properties it does not declare.
fn closed(doc: &Value, schema: &Value, depth: usize) -> bool {
    let Ok((schema, _)) = resolve_ref(doc, schema) else { return true };
    if depth > MAX_DEPTH {
        return true;
    }
    let forbids = |k: &str| schema.get(k) == Some(&Value::Bool(false));
    forbids("additionalProperties")
        || forbids("unevaluatedProperties")
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(|s| closed(doc, s, depth + 1)))
}

/// The properties `schema` declares, through `$ref` and `allOf`.
fn properties<'a>(doc: &'a Value, schema: &'a Value, depth: usize) -> Vec<(String, &'a Value)> {
    let Ok((schema, _)) = resolve_ref(doc, schema) else { return Vec::new() };
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    let mut out: Vec<(String, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        out.extend(properties(doc, part, depth + 1));
    }
    out
}

/// A value `schema` takes that a server is unlikely to set by itself (`None` for a schema
/// whose values are too few or too shaped to tell a copy from a coincidence: flags, enums,
/// patterns, constants).
fn unlikely(doc: &Value, schema: &Value) -> Option<Value> {
    let (schema, _) = resolve_ref(doc, schema).ok()?;
    if schema.get("const").is_some() || schema.get("multipleOf").is_some() {
        return None;
    }
    // A flag or an enum value the server holds by chance looks like one it copied: only
    // values no server picks by itself tell the two apart with one read.
    if schema.get("enum").is_some() {
        return None;
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => {
            types.iter().filter_map(Value::as_str).find(|t| *t != "null")?
        }
        _ => return None,
    };
    let number = |pick: f64| {
        let min = schema.get("minimum").and_then(Value::as_f64).unwrap_or(f64::MIN);
        let max = schema.get("maximum").and_then(Value::as_f64).unwrap_or(f64::MAX);
        (min..=max).contains(&pick).then_some(pick)
    };
    match kind {
        "integer" => number(7_654_321.0).map(|n| json!(n as i64)),
        "number" => number(7_654.321).map(|n| json!(n)),
        "string" => {
            if schema.get("pattern").is_some() {
                return None;
            }
            let text = match schema.get("format").and_then(Value::as_str) {
                None => "gauntlet-assigned",
                Some("date-time") => "2001-02-03T04:05:06Z",
                Some("date") => "2001-02-03",
                Some("uuid") => "6a5516e0-0000-4000-8000-00000000a551",
                Some("email") => "assigned@gauntlet.example",
                Some(_) => return None,
            };
            let fits = |k: &str, ok: fn(usize, u64) -> bool| {
                schema.get(k).and_then(Value::as_u64).is_none_or(|n| ok(text.len(), n))
            };
            (fits("maxLength", |l, n| l as u64 <= n) && fits("minLength", |l, n| l as u64 >= n))
                .then(|| json!(text))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_set_values_are_ones_a_server_would_not_pick_and_closed_bodies_carry_none() {
        let doc = json!({});
        assert_eq!(unlikely(&doc, &json!({"type": "boolean"})), None);
        assert_eq!(unlikely(&doc, &json!({"enum": ["a", "b"]})), None);
        assert_eq!(unlikely(&doc, &json!({"type": "integer"})), Some(json!(7_654_321)));
        assert_eq!(
            unlikely(&doc, &json!({"type": ["string", "null"]})),
            Some(json!("gauntlet-assigned"))
        );
        assert_eq!(unlikely(&doc, &json!({"type": "string", "maxLength": 4})), None);
        assert_eq!(unlikely(&doc, &json!({"type": "integer", "maximum": 10})), None);
        assert_eq!(unlikely(&doc, &json!({"const": 1})), None);
        assert!(closed(&doc, &json!({"allOf": [{"additionalProperties": false}]}), 0));
        assert!(!closed(&doc, &json!({"properties": {}}), 0));
        let body = carry(br#"{"name": "x"}"#, &[("owner".into(), json!("gauntlet-assigned"))]);
        assert_eq!(body.unwrap(), br#"{"name":"x","owner":"gauntlet-assigned"}"#);
    }
}
