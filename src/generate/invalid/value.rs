//! Invalid JSON values for a schema, each with the one [`Rule`] it means to break.
//!
//! Built from a valid value by changing one thing: its type, a bound, a length, an enum or
//! format, a required property, an extra property. Candidates are proposals; callers keep those
//! the compiled validator rejects ([`crate::generate::Generator`] does), so a label can be
//! trusted to name a rule that really fails.

use serde_json::{Map, Value, json};

use super::rule::{NOT_CONST, NOT_IN_ENUM, Rule, bad_format};
use crate::generate::value::merge_all_of;
use crate::openapi::resolve_ref;

/// How many properties of an object get their own invalid values.
const MAX_PROPERTIES: usize = 6;

/// An invalid value and the rule it breaks (labelled `wrong-type`,
/// `missing-required-property:id`, `codecs.too-long`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// The rule broken.
    pub rule: Rule,
    /// The value.
    pub value: Value,
}

fn inv(rule: Rule, value: Value) -> Invalid {
    Invalid { rule, value }
}

/// Invalid values for `schema`, derived from `valid` (a value valid under it).
pub fn invalid_values(doc: &Value, schema: &Value, valid: &Value) -> Vec<Invalid> {
    let mut out = top_level(doc, schema, valid);
    if let (Value::Object(values), Some(map)) = (valid, resolved(doc, schema)) {
        let props = map.get("properties").and_then(Value::as_object);
        for (name, value) in values.iter().take(MAX_PROPERTIES) {
            let Some(prop_schema) = props.and_then(|p| p.get(name)) else { continue };
            for nested in top_level(doc, prop_schema, value).into_iter().take(8) {
                let mut broken = values.clone();
                broken.insert(name.clone(), nested.value);
                let rule = Rule::Property(name.clone(), Box::new(nested.rule));
                out.push(inv(rule, Value::Object(broken)));
            }
        }
    }
    out
}

/// The schema behind `$ref`s, with `allOf` folded in.
pub(crate) fn resolved(doc: &Value, schema: &Value) -> Option<Map<String, Value>> {
    let (s, _) = resolve_ref(doc, schema).ok()?;
    let map = s.as_object()?;
    match map.get("allOf") {
        Some(Value::Array(all)) => match merge_all_of(doc, map, all) {
            Value::Object(m) => Some(m),
            _ => None,
        },
        _ => Some(map.clone()),
    }
}

fn top_level(doc: &Value, schema: &Value, valid: &Value) -> Vec<Invalid> {
    let Some(map) = resolved(doc, schema) else { return Vec::new() };
    let mut out = Vec::new();
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let allows = |t: &str| types.contains(&t) || (t == "integer" && types.contains(&"number"));
        let samples = [
            ("string", json!("gauntlet")),
            ("integer", json!(42)),
            ("boolean", json!(true)),
            ("array", json!([])),
            ("object", json!({})),
        ];
        if let Some((_, v)) = samples.iter().find(|(t, _)| !allows(t)) {
            out.push(inv(Rule::WrongType, v.clone()));
        }
        if !allows("null") {
            out.push(inv(Rule::NullNotAllowed, Value::Null));
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let candidate = match valid {
            Value::Number(_) => json!(987_654_321),
            _ => json!(NOT_IN_ENUM),
        };
        if !values.contains(&candidate) {
            out.push(inv(Rule::NotInEnum, candidate));
        }
    }
    if map.contains_key("const") {
        out.push(inv(Rule::NotConst, json!(NOT_CONST)));
    }
    let num = |k: &str| map.get(k).and_then(Value::as_f64);
    let number =
        |x: f64| if x.fract() == 0.0 && x.abs() < 9e15 { json!(x as i64) } else { json!(x) };
    if let Some(min) = num("minimum") {
        out.push(inv(Rule::BelowMinimum, number(min - 1.0)));
    }
    if let Some(max) = num("maximum") {
        out.push(inv(Rule::AboveMaximum, number(max + 1.0)));
    }
    if let Some(min) = num("exclusiveMinimum") {
        out.push(inv(Rule::AtExclusiveMinimum, number(min)));
    }
    if let Some(max) = num("exclusiveMaximum") {
        out.push(inv(Rule::AtExclusiveMaximum, number(max)));
    }
    if let (Some(m), Some(x)) = (num("multipleOf"), valid.as_f64()) {
        out.push(inv(Rule::NotMultipleOf, json!(x + m / 2.0)));
    }
    let len = |k: &str| map.get(k).and_then(Value::as_u64).map(|n| n as usize);
    if let Some(min) =
        len("minLength").filter(|m| *m > 0 && *m as u64 <= super::super::value::MAX_SIZE)
    {
        out.push(inv(Rule::TooShort, json!("a".repeat(min - 1))));
    }
    if let Some(max) = len("maxLength").filter(|m| *m < 100_000) {
        out.push(inv(Rule::TooLong, json!("a".repeat(max + 1))));
    }
    if map.contains_key("pattern") {
        for text in ["", "!~ gauntlet ~!", " "] {
            out.push(inv(Rule::PatternMismatch, json!(text)));
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str)
        && let Some(bad) = bad_format(format)
    {
        out.push(inv(Rule::BadFormat, json!(bad)));
    }
    if let Value::Array(items) = valid {
        if let Some(min) = len("minItems").filter(|m| *m > 0) {
            out.push(inv(
                Rule::TooFewItems,
                Value::Array(items.iter().take(min - 1).cloned().collect()),
            ));
        }
        if let (Some(max), Some(first)) = (len("maxItems").filter(|m| *m < 10_000), items.first()) {
            out.push(inv(Rule::TooManyItems, Value::Array(vec![first.clone(); max + 1])));
        }
        if map.get("uniqueItems") == Some(&Value::Bool(true))
            && let Some(first) = items.first()
        {
            let mut dup = items.clone();
            dup.push(first.clone());
            out.push(inv(Rule::DuplicateItems, Value::Array(dup)));
        }
    }
    if let Value::Object(values) = valid {
        let required = map.get("required").and_then(Value::as_array);
        for name in required.into_iter().flatten().filter_map(Value::as_str).take(MAX_PROPERTIES) {
            let mut broken = values.clone();
            if broken.remove(name).is_some() {
                out.push(inv(
                    Rule::MissingRequiredProperty(name.to_owned()),
                    Value::Object(broken),
                ));
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            let mut broken = values.clone();
            broken.insert("gauntlet_extra".into(), json!(1));
            out.push(inv(Rule::ExtraProperty, Value::Object(broken)));
        }
        if let Some(name) = map.get("propertyNames").and_then(|p| bad_property_name(doc, p))
            && !values.contains_key(&name)
        {
            let mut broken = values.clone();
            broken.insert(name, json!(1));
            out.push(inv(Rule::BadPropertyName, Value::Object(broken)));
        }
    }
    out
}

/// A property name `propertyNames` rejects, by the first of its rules that gives one: outside
/// its `enum` or `const`, one past `maxLength`, not matching `pattern` (text no identifier
/// pattern takes), one under `minLength`.
fn bad_property_name(doc: &Value, names: &Value) -> Option<String> {
    let map = resolved(doc, names)?;
    if map.contains_key("enum") || map.contains_key("const") {
        return Some(NOT_IN_ENUM.into());
    }
    if let Some(max) = map.get("maxLength").and_then(Value::as_u64).filter(|m| *m < 1024) {
        return Some("a".repeat(max as usize + 1));
    }
    if map.contains_key("pattern") {
        return Some("!~ gauntlet ~!".into());
    }
    match map.get("minLength").and_then(Value::as_u64) {
        Some(min) if (1..=1024).contains(&min) => Some("a".repeat(min as usize - 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `propertyNames` had no negative: a server that takes any key was never caught.
    #[test]
    fn a_property_name_breaking_property_names_is_proposed() {
        let doc = json!({"s": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$", "maxLength": 8}}});
        let found = invalid_values(&doc, &doc["s"], &json!({"ok": 1}));
        let broken = found.iter().find(|i| i.rule.label() == "bad-property-name").unwrap();
        assert_eq!(broken.value, json!({"ok": 1, "aaaaaaaaa": 1}));
        let enumerated = json!({"s": {"type": "object", "propertyNames": {"enum": ["a", "b"]}}});
        let found = invalid_values(&enumerated, &enumerated["s"], &json!({}));
        assert!(found.iter().any(|i| i.value.get(NOT_IN_ENUM).is_some()), "{found:?}");
    }

    #[test]
    fn each_rule_has_its_invalid_value() {
        let doc = json!({"s": {"type": "object", "required": ["id", "n"], "additionalProperties": false,
            "properties": {"id": {"type": "string", "format": "uuid"}, "n": {"type": "integer", "minimum": 1, "maximum": 5},
                           "tags": {"type": "array", "maxItems": 2, "uniqueItems": true, "items": {"enum": ["a", "b"]}}}}});
        let valid = json!({"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "n": 3, "tags": ["a"]});
        let rules: Vec<String> =
            invalid_values(&doc, &doc["s"], &valid).into_iter().map(|i| i.rule.label()).collect();
        for rule in [
            "wrong-type",
            "null-not-allowed",
            "missing-required-property:id",
            "extra-property",
            "id.bad-format",
            "n.below-minimum",
            "n.above-maximum",
            "tags.too-many-items",
            "tags.duplicate-items",
        ] {
            assert!(rules.iter().any(|r| r == rule), "{rule} in {rules:?}");
        }
    }
}
