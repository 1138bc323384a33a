//! The document as a request sees it and as a response sees it.
//!
//! OpenAPI adds three things to JSON Schema that change what is valid where: a `readOnly`
//! property is never sent in a request (nor required there), a `writeOnly` one is never
//! returned in a response (nor required there), and a `discriminator` says which `oneOf` or
//! `anyOf` branch a value is by the value of one property. A plain JSON Schema validator
//! knows none of them, so each view is the document rewritten to say them in JSON Schema:
//! the properties that do not belong removed (from `properties` and `required`), and each
//! discriminated branch wrapped as `allOf: [branch, {properties: {kind: {enum: [names]}},
//! required: [kind]}]`. Generation, the mock and the checks all read the view of the
//! direction they deal with, so they agree by construction.

use serde_json::{Map, Value, json};

use super::pointer::resolve_ref;

/// The direction a schema is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// In a request: `readOnly` properties are left out.
    Request,
    /// In a response: `writeOnly` properties are left out.
    Response,
}

impl Direction {
    fn hidden(self) -> &'static str {
        match self {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        }
    }
}

/// The view of `doc` for `direction`, or `None` when it would be `doc` itself (no
/// `readOnly`, `writeOnly` or `discriminator` that matters).
pub fn view(doc: &Value, direction: Direction) -> Option<Value> {
    if !mentions_any(doc) {
        return None;
    }
    let mut out = doc.clone();
    let mut changed = false;
    let mut stack = vec![&mut out];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                changed |= hide_properties(doc, map, direction);
                changed |= discriminate(doc, map);
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    changed.then_some(out)
}

/// Whether the document uses any keyword a view rewrites (a cheap scan that spares a copy
/// of most documents).
fn mentions_any(doc: &Value) -> bool {
    let mut stack = vec![doc];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if ["readOnly", "writeOnly", "discriminator"].iter().any(|k| map.contains_key(*k)) {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Removes the properties `direction` hides from `schema`'s `properties` and `required`.
fn hide_properties(doc: &Value, schema: &mut Map<String, Value>, direction: Direction) -> bool {
    let Some(Value::Object(properties)) = schema.get("properties") else { return false };
    let hidden: Vec<String> = properties
        .iter()
        .filter(|(_, property)| {
            let resolved = resolve_ref(doc, property).map(|(s, _)| s).unwrap_or(property);
            [*property, resolved].iter().any(|s| s.get(direction.hidden()) == Some(&json!(true)))
        })
        .map(|(name, _)| name.clone())
        .collect();
    if hidden.is_empty() {
        return false;
    }
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        properties.retain(|name, _| !hidden.contains(name));
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| name.as_str().is_none_or(|n| !hidden.iter().any(|h| h == n)));
        if required.is_empty() {
            schema.remove("required");
        }
    }
    true
}

/// Wraps each `$ref` branch of a discriminated `oneOf`/`anyOf` so that it admits only its
/// discriminator values: the `mapping` keys that name it, or, where none does, its schema's
/// name (the implicit mapping). A branch that fixes the property itself (`const: circle`,
/// as 3.1 specs and Pydantic write it) keeps its own value: that is what servers dispatch on.
fn discriminate(doc: &Value, schema: &mut Map<String, Value>) -> bool {
    let Some(discriminator) = schema.get("discriminator").and_then(Value::as_object) else {
        return false;
    };
    let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
        return false;
    };
    let property = property.to_owned();
    let mapping: Vec<(String, String)> = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter().filter_map(|(k, v)| Some((k.clone(), mapping_pointer(v.as_str()?)))).collect()
        })
        .unwrap_or_default();
    let mut changed = false;
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(keyword) else { continue };
        for branch in branches.iter_mut() {
            let Some(pointer) =
                branch.get("$ref").and_then(Value::as_str).and_then(super::ref_to_pointer)
            else {
                continue;
            };
            let mut names: Vec<Value> = mapping
                .iter()
                .filter(|(_, target)| *target == pointer)
                .map(|(name, _)| json!(name))
                .collect();
            if names.is_empty() && fixes(doc, &pointer, &property) {
                continue;
            }
            if names.is_empty() {
                let name = pointer.rsplit('/').next().unwrap_or_default();
                names.push(json!(super::unescape(name)));
            }
            let tag =
                json!({"properties": {property.clone(): {"enum": names}}, "required": [property]});
            *branch = json!({"allOf": [branch.take(), tag]});
            changed = true;
        }
    }
    changed
}

/// Whether the schema at `pointer` gives `property` a `const` or an `enum` of its own (in its
/// properties, or in those of an `allOf` part).
fn fixes(doc: &Value, pointer: &str, property: &str) -> bool {
    let Some(schema) = doc.pointer(pointer) else { return false };
    let own = |s: &Value| {
        let p = s.get("properties").and_then(|p| p.get(property));
        p.is_some_and(|p| p.get("const").is_some() || p.get("enum").is_some())
    };
    let parts = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
    own(schema) || parts.filter_map(|p| super::resolve_ref(doc, p).ok()).any(|(p, _)| own(p))
}

/// A mapping value as a pointer: `#/components/schemas/Cat` as it is, a bare `Cat` as the
/// schema of that name.
fn mapping_pointer(value: &str) -> String {
    match super::ref_to_pointer(value) {
        Some(pointer) if value.starts_with('#') => pointer,
        _ => format!("/components/schemas/{}", super::escape(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Id": {"type": "integer", "readOnly": true},
            "Thing": {"type": "object", "required": ["id", "name", "secret"], "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "name": {"type": "string"},
                "secret": {"type": "string", "writeOnly": true}
            }},
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}
        }}})
    }

    #[test]
    fn read_only_leaves_requests_and_write_only_leaves_responses() {
        let request = view(&doc(), Direction::Request).expect("changed");
        let thing = &request["components"]["schemas"]["Thing"];
        assert_eq!(thing["required"], json!(["name", "secret"]));
        assert!(thing["properties"].get("id").is_none());
        let response = view(&doc(), Direction::Response).expect("changed");
        let thing = &response["components"]["schemas"]["Thing"];
        assert_eq!(thing["required"], json!(["id", "name"]));
        assert!(thing["properties"].get("secret").is_none());
    }

    #[test]
    fn discriminated_branches_admit_their_mapped_or_implicit_names() {
        let request = view(&doc(), Direction::Request).expect("changed");
        let branches = &request["components"]["schemas"]["Pet"]["oneOf"];
        assert_eq!(branches[0]["allOf"][1]["properties"]["kind"]["enum"], json!(["cat"]));
        assert_eq!(branches[1]["allOf"][1]["properties"]["kind"]["enum"], json!(["Dog"]));
        assert_eq!(branches[1]["allOf"][1]["required"], json!(["kind"]));
    }

    /// A 3.1 branch that fixes its tag with `const` (`type: {const: circle}` under an
    /// implicit mapping) was also made to admit only its schema's name: no value fitted both.
    #[test]
    fn a_branch_that_fixes_its_own_tag_keeps_it() {
        let doc = json!({"components": {"schemas": {
            "Circle": {"type": "object", "properties": {"type": {"const": "circle"}}},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}],
                      "discriminator": {"propertyName": "type"}}
        }}});
        let request = view(&doc, Direction::Request);
        let shape = request.as_ref().map_or(&doc, |d| d)["components"]["schemas"]["Shape"].clone();
        assert_eq!(shape["oneOf"][0], json!({"$ref": "#/components/schemas/Circle"}));
    }

    #[test]
    fn a_document_without_these_keywords_has_no_view() {
        assert!(view(&json!({"paths": {}}), Direction::Request).is_none());
    }
}
