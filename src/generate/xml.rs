//! XML bodies, in the plain shape most servers bind: the root element (the schema's
//! `xml.name`, else `root`), an object as child elements by property name, an array as its
//! items repeated under the property's name (under `item` at the top), a scalar as text, a
//! null as an empty element. Reading is the inverse under the schema, text coerced to the
//! types it declares. Attributes, namespaces and per-property `xml.name` are not modelled.

use serde_json::{Map, Value};

use crate::openapi::resolve_ref;

/// `value` as an XML document under `schema`.
pub fn write(doc: &Value, schema: Option<&Value>, value: &Value) -> String {
    let root = schema
        .and_then(|s| resolve_ref(doc, s).ok())
        .and_then(|(s, _)| s.pointer("/xml/name"))
        .and_then(Value::as_str)
        .filter(|n| is_name(n))
        .unwrap_or("root");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    match value {
        Value::Array(items) => {
            out.push_str(&format!("<{root}>"));
            for item in items {
                element(&mut out, "item", item);
            }
            out.push_str(&format!("</{root}>"));
        }
        other => element(&mut out, root, other),
    }
    out
}

/// The value an XML `bytes` holds under `schema`, or `None` when it is not well-formed XML.
pub fn read(doc: &Value, schema: Option<&Value>, bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    let parsed = roxmltree::Document::parse(text).ok()?;
    Some(node_value(doc, schema, parsed.root_element(), true, 0))
}

/// Whether `name` can be an XML element name (a conservative subset).
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| element(out, name, item)),
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (key, child) in map {
                element(out, if is_name(key) { key } else { "item" }, child);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => {
            let text = crate::support::text::escape_markup(s, false);
            out.push_str(&format!("<{name}>{text}</{name}>"));
        }
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// The schema's own view through `$ref`s and the parts of an `allOf`, for one keyword.
fn lookup<'a>(doc: &'a Value, schema: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    let mut stack = vec![(schema?, 0)];
    while let Some((s, depth)) = stack.pop() {
        let (s, _) = resolve_ref(doc, s).ok()?;
        if let Some(found) = s.get(key) {
            return Some(found);
        }
        if depth < 8
            && let Some(Value::Array(all)) = s.get("allOf")
        {
            stack.extend(all.iter().map(|b| (b, depth + 1)));
        }
    }
    None
}

fn types_of(doc: &Value, schema: Option<&Value>) -> Vec<String> {
    match lookup(doc, schema, "type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ if lookup(doc, schema, "properties").is_some() => vec!["object".into()],
        _ if lookup(doc, schema, "items").is_some() => vec!["array".into()],
        _ => Vec::new(),
    }
}

fn node_value(
    doc: &Value,
    schema: Option<&Value>,
    node: roxmltree::Node<'_, '_>,
    top: bool,
    depth: usize,
) -> Value {
    let types = types_of(doc, schema);
    let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    let text: String = node.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
    if depth > 64 {
        return Value::Null;
    }
    if top && types.iter().any(|t| t == "array") {
        let items = lookup(doc, schema, "items");
        let values = children.iter().map(|c| node_value(doc, items, *c, false, depth + 1));
        return Value::Array(values.collect());
    }
    let object = types.iter().any(|t| t == "object");
    // Text where elements are wanted (`<order>true</order>`) is no object.
    if object && children.is_empty() && !text.trim().is_empty() {
        return Value::String(text);
    }
    if object || (types.is_empty() && !children.is_empty()) {
        let props = lookup(doc, schema, "properties");
        let mut map = Map::new();
        for child in &children {
            let name = child.tag_name().name();
            if map.contains_key(name) {
                continue;
            }
            let prop = props.and_then(|p| p.get(name));
            let array = types_of(doc, prop).iter().any(|t| t == "array");
            let value = if array {
                let items = lookup(doc, prop, "items");
                let same = children.iter().filter(|c| c.tag_name().name() == name);
                Value::Array(same.map(|c| node_value(doc, items, *c, false, depth + 1)).collect())
            } else {
                node_value(doc, prop, *child, false, depth + 1)
            };
            map.insert(name.to_owned(), value);
        }
        return Value::Object(map);
    }
    if text.is_empty() && children.is_empty() && types.iter().any(|t| t == "null") {
        return Value::Null;
    }
    match schema {
        Some(s) => super::coerce(doc, s, &text),
        None => Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_written_as_xml_reads_back_as_itself() {
        let doc = json!({});
        let schema = json!({"type": "object", "xml": {"name": "order"}, "properties": {
            "id": {"type": "integer"}, "done": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {"type": "object", "properties": {"name": {"type": "string"}}}
        }});
        let value = json!({"id": 7, "done": true, "tags": ["a", "b<"], "owner": {"name": "x"}});
        let text = write(&doc, Some(&schema), &value);
        assert!(text.contains("<order>") && text.contains("<id>7</id>"), "{text}");
        assert_eq!(read(&doc, Some(&schema), text.as_bytes()), Some(value));
        // An empty element is no boolean.
        let empty = read(&doc, Some(&schema), b"<order><done></done></order>").unwrap();
        assert_eq!(empty, json!({"done": ""}));
        assert!(read(&doc, Some(&schema), b"<order>").is_none());
        assert_eq!(read(&doc, Some(&schema), b"<order>true</order>"), Some(json!("true")));
        let list = json!({"type": "array", "items": {"type": "integer"}});
        let text = write(&doc, Some(&list), &json!([1, 2]));
        assert_eq!(read(&doc, Some(&list), text.as_bytes()), Some(json!([1, 2])));
    }
}
