//! Response bodies broken on purpose, for the built-in mock's faults: one property at a time,
//! by one [`Rule`].

use serde_json::{Map, Value, json};

use super::rule::{NOT_IN_ENUM, Rule};
use crate::openapi::resolve_ref;

/// What a property with a `format` gets under [`Rule::BadFormat`].
pub const NOT_FORMATTED: &str = "gauntlet-not-formatted";
/// The formats [`Rule::BadFormat`] breaks in a response (a validator asserts each).
const BROKEN_FORMATS: &[&str] = &["uuid", "date-time", "date", "email", "ipv4", "ipv6", "uri"];

/// Ways to break `body` (valid under `schema`) by `rule`, one per top-level property that
/// allows it; the caller keeps the first one its validator rejects. The rules that apply:
/// [`Rule::MissingRequiredProperty`] (any name: each required property in turn),
/// [`Rule::WrongType`], [`Rule::NotInEnum`], [`Rule::BadFormat`], [`Rule::NullNotAllowed`].
pub fn break_each_property(doc: &Value, schema: &Value, body: &Value, rule: &Rule) -> Vec<Value> {
    let mut out = Vec::new();
    let Some(props) = object_schema(doc, schema) else { return out };
    let Value::Object(map) = body else { return out };
    for (name, value) in map {
        let Some(prop_schema) = props.get("properties").and_then(|p| p.get(name)) else { continue };
        let Ok((resolved, _)) = resolve_ref(doc, prop_schema) else { continue };
        let broken = match rule {
            Rule::MissingRequiredProperty(_) => {
                let required = props.get("required").and_then(Value::as_array);
                if required.is_some_and(|r| r.contains(&json!(name))) {
                    let mut broken = map.clone();
                    broken.remove(name);
                    out.push(Value::Object(broken));
                }
                None
            }
            Rule::WrongType => Some(match value {
                Value::String(_) => json!(12345),
                Value::Null => continue,
                _ => json!("gauntlet-wrong-type"),
            }),
            Rule::NotInEnum => find_keyword(doc, resolved, "enum").map(|_| json!(NOT_IN_ENUM)),
            Rule::BadFormat => find_keyword(doc, resolved, "format")
                .filter(|f| f.as_str().is_some_and(|f| BROKEN_FORMATS.contains(&f)))
                .map(|_| json!(NOT_FORMATTED)),
            Rule::NullNotAllowed => Some(Value::Null),
            _ => None,
        };
        if let Some(broken) = broken {
            let mut with = map.clone();
            with.insert(name.clone(), broken);
            out.push(Value::Object(with));
        }
    }
    out
}

fn object_schema<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Map<String, Value>> {
    let resolved = resolve_ref(doc, schema).ok()?.0.as_object()?;
    if resolved.contains_key("properties") {
        return Some(resolved);
    }
    None
}

/// Finds `keyword` in `schema` or in the first branch of its `oneOf`/`anyOf` that has it.
fn find_keyword<'a>(doc: &'a Value, schema: &'a Value, keyword: &str) -> Option<&'a Value> {
    if let Some(v) = schema.get(keyword) {
        return Some(v);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            let Ok((resolved, _)) = resolve_ref(doc, branch) else { continue };
            if let Some(v) = resolved.get(keyword) {
                return Some(v);
            }
        }
    }
    None
}
