//! Rewriting OpenAPI 3.0 schema dialect into JSON Schema 2020-12, once, at load.
//!
//! 3.0 says `nullable: true` where 2020-12 adds `"null"` to `type`, and says
//! `exclusiveMinimum: true` beside `minimum` where 2020-12 gives the bound itself. Values that
//! are data rather than schema (`example`, `examples`, `default`, `enum`, `const`) are left as
//! they are. In both versions a `required` list naming a property twice (real specs do, and
//! the validator then reports the property missing when it is there) keeps each name once,
//! an integer of a sized format (`int64`) gets its type's bounds where it states none, and a
//! draft-4 tuple (`items: [A, B]`) becomes `prefixItems`.

use serde_json::{Map, Value, json};

/// Keys whose values are instance data, never schemas.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

/// Whether the value under `key` of an object (itself under `parent`) is instance data: a
/// schema's `default` is, a `responses` map's `default` response is not.
pub(super) fn is_data(key: &str, parent: &str) -> bool {
    DATA_KEYS.contains(&key) && !(key == "default" && parent == "responses")
}

/// Normalises every schema-like object in a 3.0 document (iteratively: deep specs are fine).
pub fn openapi30(doc: &mut Value) {
    walk(doc, schema30);
}

/// Fixes the habits that make a 3.1 schema uncompilable: boolean
/// `exclusiveMinimum`/`exclusiveMaximum` (3.0's), `$recursiveRef` (2019-09's). (`nullable` means nothing in 3.1 and is left alone.)
pub fn openapi31(doc: &mut Value) {
    walk(doc, schema31);
}

fn walk(doc: &mut Value, rewrite: fn(&mut Map<String, Value>)) {
    // Each value with the key it stands under.
    let mut stack: Vec<(&mut Value, String)> = vec![(doc, String::new())];
    while let Some((value, parent)) = stack.pop() {
        match value {
            Value::Object(map) => {
                rewrite(map);
                for (key, child) in map.iter_mut() {
                    if !is_data(key, &parent) && (child.is_object() || child.is_array()) {
                        stack.push((child, key.clone()));
                    }
                }
            }
            Value::Array(items) => {
                let items = items.iter_mut().filter(|c| c.is_object() || c.is_array());
                stack.extend(items.map(|c| (c, String::new())));
            }
            _ => {}
        }
    }
}

/// Rewrites one object if it uses the 3.0 dialect.
fn schema30(map: &mut Map<String, Value>) {
    schema31(map);
    nullable(map);
}

/// Rewrites one object of either version.
fn schema31(map: &mut Map<String, Value>) {
    exclusive_bounds(map);
    unique_required(map);
    sized_integers(map);
    tuple_items(map);
}

/// A draft-4 tuple (`items: [A, B]`, as Swagger 2.0 documents write it, with
/// `additionalItems` for the rest) as 2020-12 writes it: `prefixItems: [A, B]`, `items` for
/// the rest (left open where nothing is said).
fn tuple_items(map: &mut Map<String, Value>) {
    if !matches!(map.get("items"), Some(Value::Array(_))) {
        return;
    }
    if let Some(prefix) = map.remove("items") {
        map.insert("prefixItems".into(), prefix);
    }
    if let Some(rest) = map.remove("additionalItems") {
        map.insert("items".into(), rest);
    }
}

/// An integer of a sized format (`int32`, `int64`, the registry's `int8`…`uint64`) bounded
/// as its type is, where the schema gives no bound of its own: a server reading `int64`
/// refuses 2^63, and the validator, which asserts no format on numbers, now does too.
fn sized_integers(map: &mut Map<String, Value>) {
    let integer = match map.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    let Some(format) = map.get("format").and_then(Value::as_str).filter(|_| integer) else {
        return;
    };
    let (min, max): (Value, Value) = match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0.into(), u8::MAX.into()),
        "uint16" => (0.into(), u16::MAX.into()),
        "uint32" => (0.into(), u32::MAX.into()),
        "uint64" => (0.into(), u64::MAX.into()),
        _ => return,
    };
    if !map.contains_key("minimum") && !map.contains_key("exclusiveMinimum") {
        map.insert("minimum".into(), min);
    }
    if !map.contains_key("maximum") && !map.contains_key("exclusiveMaximum") {
        map.insert("maximum".into(), max);
    }
}

/// `required: [id, name, id]` as `[id, name]`.
fn unique_required(map: &mut Map<String, Value>) {
    let Some(Value::Array(names)) = map.get_mut("required") else { return };
    if names.len() < 2 || !names.iter().all(Value::is_string) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.as_str().unwrap_or_default().to_owned()));
}

fn exclusive_bounds(map: &mut Map<String, Value>) {
    // Draft 2019-09's recursion keywords mean nothing in 2020-12, and `"#"` would name the
    // whole OpenAPI document: drop them (the spot accepts anything rather than failing to
    // compile).
    if map.get("$recursiveAnchor").is_some_and(Value::is_boolean) {
        map.remove("$recursiveAnchor");
    }
    if map.get("$recursiveRef").is_some_and(Value::is_string) {
        map.remove("$recursiveRef");
    }
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(exclusive)) = map.get(flag) {
            if *exclusive && let Some(limit) = map.remove(bound) {
                map.insert(flag.to_owned(), limit);
            } else {
                map.remove(flag);
            }
        }
    }
}

fn nullable(map: &mut Map<String, Value>) {
    if let Some(Value::Bool(nullable)) = map.get("nullable") {
        let nullable = *nullable;
        map.remove("nullable");
        if !nullable {
            return;
        }
        if let Some(Value::Array(values)) = map.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        match map.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                map.insert("type".into(), json!([t, "null"]));
            }
            Some(Value::Array(types)) => {
                if !types.contains(&json!("null")) {
                    types.push(json!("null"));
                }
            }
            _ => {
                // No type ($ref, allOf, ...): "this, or null".
                let inner = std::mem::take(map);
                map.insert("anyOf".into(), json!([Value::Object(inner), {"type": "null"}]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `format: int64` bounded nothing: 2^63 in a path was accepted by the mock (Schemathesis
    /// found it) and never generated as a negative.
    #[test]
    fn sized_integer_formats_get_their_bounds_unless_the_schema_has_its_own() {
        let mut doc = json!({"components": {"schemas": {
            "a": {"type": "integer", "format": "int64"},
            "b": {"type": "integer", "format": "int32", "minimum": 1},
            "c": {"type": "string", "format": "int64"}
        }}});
        openapi31(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["a"]["maximum"], json!(i64::MAX));
        assert_eq!(s["a"]["minimum"], json!(i64::MIN));
        assert_eq!(
            (s["b"]["minimum"].clone(), s["b"]["maximum"].clone()),
            (json!(1), json!(i32::MAX))
        );
        assert!(s["c"].get("maximum").is_none());
    }

    /// A `default` response was taken for a schema's `default` value and left as 3.0 wrote
    /// it: its `nullable` schema then refused the `null` the spec allows.
    #[test]
    fn the_schema_of_a_default_response_is_normalised_but_a_default_value_is_not() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"default": {
            "description": "error",
            "content": {"application/json": {"schema": {
                "type": "string", "nullable": true, "default": {"nullable": true}
            }}}
        }}}}}});
        openapi30(&mut doc);
        let schema = &doc["paths"]["/a"]["get"]["responses"]["default"]["content"]["application/json"]
            ["schema"];
        assert_eq!(schema["type"], json!(["string", "null"]));
        assert_eq!(schema["default"], json!({"nullable": true}));
    }

    /// Slack's Swagger 2.0 document writes tuples as `items: [{type: null}, {enum}]`: the
    /// validator read them as tuples and the generator as one item schema, so the mock
    /// answered bodies its own validator refused.
    #[test]
    fn a_draft_4_tuple_becomes_prefix_items() {
        let mut doc = json!({"a": {"type": "array", "items": [{"type": "null"}, {"enum": ["x"]}],
            "additionalItems": false, "properties": {"items": {"type": "string"}}}});
        openapi30(&mut doc);
        assert_eq!(doc["a"]["prefixItems"], json!([{"type": "null"}, {"enum": ["x"]}]));
        assert_eq!(doc["a"]["items"], json!(false));
        assert_eq!(doc["a"]["properties"]["items"], json!({"type": "string"}));
    }

    #[test]
    fn a_property_required_twice_is_required_once() {
        let mut doc = json!({"components": {"schemas": {
            "c": {"type": "object", "required": ["id", "name", "id"]},
        }}, "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query", "required": true}]}}}});
        openapi31(&mut doc);
        assert_eq!(doc.pointer("/components/schemas/c/required"), Some(&json!(["id", "name"])));
        assert_eq!(doc.pointer("/paths/~1a/get/parameters/0/required"), Some(&json!(true)));
        let mut doc30 = json!({"c": {"required": ["a", "a"]}});
        openapi30(&mut doc30);
        assert_eq!(doc30.pointer("/c/required"), Some(&json!(["a"])));
    }

    #[test]
    fn nullable_and_exclusive_bounds_become_2020_12() {
        let mut doc = json!({"components": {"schemas": {
            "a": {"type": "string", "nullable": true, "enum": ["x"]},
            "b": {"$ref": "#/components/schemas/a", "nullable": true},
            "c": {"type": "integer", "minimum": 1, "exclusiveMinimum": true,
                  "maximum": 9, "exclusiveMaximum": false},
            "d": {"type": "object", "example": {"nullable": true}}
        }}});
        openapi30(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["a"], json!({"type": ["string", "null"], "enum": ["x", null]}));
        assert_eq!(
            s["b"],
            json!({"anyOf": [{"$ref": "#/components/schemas/a"}, {"type": "null"}]})
        );
        assert_eq!(s["c"], json!({"type": "integer", "exclusiveMinimum": 1, "maximum": 9}));
        assert_eq!(s["d"]["example"], json!({"nullable": true}));
    }
}
