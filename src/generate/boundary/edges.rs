//! The boundary phase's proposals: for each constraint of a schema, the values on and just
//! past each edge, deterministic and labelled by the edge they test (`maximum+1`,
//! `max-length-1`, `int64-max+1`, `min-items`, `required-only`).
//!
//! Nothing here decides whether a value is valid: the generator classifies each proposal with
//! the compiled validator, as the server will read it after serialisation — accepted is a
//! positive, rejected a negative. A value the validator accepts but that is past what the
//! declared `format` (or any 64-bit integer) holds is marked [`Edge::beyond`]: a server may
//! rightly refuse 2^63 for an unbounded `integer`, but it may not fail with a 5xx, so such a
//! value becomes a probe judged on server errors alone.

use serde_json::{Map, Value, json};

use crate::generate::value::{MAX_SIZE, ValueGen};

/// Longest string a length edge is proposed for (past it the URL or the body cap is what a
/// server rejects, not the schema).
const MAX_LENGTH_EDGE: u64 = 4096;

/// Largest array an item-count edge is proposed for.
const MAX_ITEMS_EDGE: u64 = 256;

/// How many optional properties get a body of their own (`with-NAME`).
const MAX_OPTIONAL_ALONE: usize = 8;

/// One proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The edge it tests, as scenario labels carry it.
    pub label: String,
    /// The value.
    pub value: EdgeValue,
    /// Past what the schema's `format` (`int32`, `int64`, `float`) or a 64-bit integer holds.
    pub beyond: bool,
    /// The label already names the rule a negative breaks (`items[2].too-long`).
    pub names_rule: bool,
}

/// A proposed value.
#[derive(Debug, Clone, PartialEq)]
pub enum EdgeValue {
    /// A JSON value.
    Json(Value),
    /// Digits no JSON number here holds exactly (`-9223372036854775809`): sent as text, so
    /// only where a parameter's text is what goes on the wire.
    Digits(String),
}

fn edge(label: impl Into<String>, value: Value) -> Edge {
    Edge { label: label.into(), value: EdgeValue::Json(value), beyond: false, names_rule: false }
}

/// The types `schema` names (empty when it names none).
fn types(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The edges of a scalar schema (number, integer or string constraints); `valid` is a value
/// valid under it, which array edges are built from.
pub fn scalar_edges(map: &Map<String, Value>, valid: Option<&Value>) -> Vec<Edge> {
    let types = types(map);
    let mut out = Vec::new();
    if types.contains(&"integer") || types.contains(&"number") {
        number_edges(map, types.contains(&"integer") && !types.contains(&"number"), &mut out);
    }
    if types.contains(&"string") {
        string_edges(map, valid.and_then(Value::as_str), &mut out);
    }
    if types.contains(&"array")
        && let Some(Value::Array(items)) = valid
    {
        array_edges(map, items, &mut out);
    }
    out
}

/// A number as JSON: an integer where it is one and fits, else a float.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 { json!(x as i64) } else { json!(x) }
}

fn number_edges(map: &Map<String, Value>, integer: bool, out: &mut Vec<Edge>) {
    let num = |k: &str| map.get(k).and_then(Value::as_f64).filter(|x| x.is_finite());
    let bounded = |x: f64| x.abs() < 9e15;
    // One step is the next allowed value: a multiple away under `multipleOf`, so that an edge
    // breaks the bound alone.
    let step = num("multipleOf").filter(|k| *k > 0.0 && bounded(*k));
    let up = |x: f64| match step {
        Some(k) => x + k,
        None if integer => x + 1.0,
        None => x.next_up(),
    };
    let down = |x: f64| match step {
        Some(k) => x - k,
        None if integer => x - 1.0,
        None => x.next_down(),
    };
    if let Some(m) = num("minimum").filter(|m| bounded(*m)) {
        out.push(edge("minimum", number(m)));
        out.push(edge("minimum-1", number(down(m))));
        out.push(edge("minimum+1", number(up(m))));
    }
    if let Some(m) = num("maximum").filter(|m| bounded(*m)) {
        out.push(edge("maximum", number(m)));
        out.push(edge("maximum-1", number(down(m))));
        out.push(edge("maximum+1", number(up(m))));
    }
    if let Some(m) = num("exclusiveMinimum").filter(|m| bounded(*m)) {
        out.push(edge("exclusive-minimum", number(m)));
        out.push(edge("exclusive-minimum+1", number(up(m))));
    }
    if let Some(m) = num("exclusiveMaximum").filter(|m| bounded(*m)) {
        out.push(edge("exclusive-maximum", number(m)));
        out.push(edge("exclusive-maximum-1", number(down(m))));
    }
    if let Some(k) = num("multipleOf").filter(|k| *k > 0.0 && bounded(*k)) {
        out.push(edge("multiple-of", number(k)));
        out.push(edge("multiple-of*2", number(k * 2.0)));
        let between = if integer && k > 1.0 { k + 1.0 } else { k * 1.5 };
        out.push(edge("between-multiples", number(between)));
    }
    out.push(edge("zero", json!(0)));
    out.push(edge("minus-one", json!(-1)));
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    if integer {
        let int32 = format == "int32";
        let limits: [(&str, i128); 8] = [
            ("int32-max", i32::MAX as i128),
            ("int32-max+1", i32::MAX as i128 + 1),
            ("int32-min", i32::MIN as i128),
            ("int32-min-1", i32::MIN as i128 - 1),
            ("int64-max", i64::MAX as i128),
            ("int64-max+1", i64::MAX as i128 + 1),
            ("int64-min", i64::MIN as i128),
            ("int64-min-1", i64::MIN as i128 - 1),
        ];
        for (label, n) in limits {
            let beyond = if int32 {
                n > i32::MAX as i128 || n < i32::MIN as i128
            } else {
                n > i64::MAX as i128 || n < i64::MIN as i128
            };
            let value = if let Ok(i) = i64::try_from(n) {
                EdgeValue::Json(json!(i))
            } else if let Ok(u) = u64::try_from(n) {
                EdgeValue::Json(json!(u))
            } else {
                EdgeValue::Digits(n.to_string())
            };
            out.push(Edge { label: label.into(), value, beyond, names_rule: false });
        }
        out.push(Edge {
            label: "24-digits".into(),
            value: EdgeValue::Digits("123456789012345678901234".into()),
            beyond: true,
            names_rule: false,
        });
    }
    out.push(Edge {
        label: "1e30".into(),
        value: EdgeValue::Json(json!(1e30)),
        beyond: true,
        names_rule: false,
    });
}

/// Lengths one either side of each bound, as the valid text cut or padded with its own last
/// character (so that a `pattern` such as `^[A-Z][a-z0-9]*$` still holds); none for a text
/// of a known `format`, whose length the format fixes, nor where the padding breaks the
/// pattern (the edge would break two rules).
fn string_edges(map: &Map<String, Value>, valid: Option<&str>, out: &mut Vec<Edge>) {
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    if crate::generate::invalid::bad_format(format).is_some() {
        return;
    }
    let len = |k: &str| map.get(k).and_then(Value::as_u64).filter(|n| *n <= MAX_LENGTH_EDGE);
    let base: Vec<char> = valid.filter(|v| !v.is_empty()).unwrap_or("a").chars().collect();
    let pattern = map.get("pattern").and_then(Value::as_str).map(|p| json!({"pattern": p}));
    let text = |n: u64| -> Option<Value> {
        let last = *base.last()?;
        let mut chars: Vec<char> = base.iter().copied().take(n as usize).collect();
        chars.resize(n as usize, last);
        let text = json!(chars.into_iter().collect::<String>());
        pattern.as_ref().is_none_or(|p| jsonschema::is_valid(p, &text)).then_some(text)
    };
    let mut push = |label: &str, n: u64| {
        if let Some(t) = text(n) {
            out.push(edge(label, t));
        }
    };
    if let Some(n) = len("minLength") {
        if n > 0 {
            push("min-length-1", n - 1);
        }
        push("min-length", n);
        push("min-length+1", n + 1);
    }
    if let Some(n) = len("maxLength") {
        if n > 0 {
            push("max-length-1", n - 1);
        }
        push("max-length", n);
        push("max-length+1", n + 1);
    }
}

fn array_edges(map: &Map<String, Value>, items: &[Value], out: &mut Vec<Edge>) {
    let Some(first) = items.first() else { return };
    let count = |k: &str| map.get(k).and_then(Value::as_u64).filter(|n| *n <= MAX_ITEMS_EDGE);
    // Items cycled from the valid array; under `uniqueItems` no size that would repeat one
    // (the edge would break two rules).
    let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
    let mut push = |label: &str, n: u64| {
        if !unique || n as usize <= items.len() {
            let sized = items.iter().cycle().take(n as usize).cloned().collect();
            out.push(edge(label, Value::Array(sized)));
        }
    };
    if let Some(n) = count("minItems") {
        if n > 0 {
            push("min-items-1", n - 1);
        }
        push("min-items", n);
    }
    if let Some(n) = count("maxItems") {
        push("max-items", n);
        push("max-items+1", n + 1);
    }
    if map.get("uniqueItems") == Some(&Value::Bool(true)) {
        out.push(edge("duplicate-items", json!([first, first])));
    }
}

/// The edges of an object body built from `valid` (a value valid under `map`, the schema
/// with `allOf` folded in): only the required properties, each optional one alone with them,
/// all of them, and one undeclared property; then each property's own edges in place
/// (`limit.maximum+1`), for the first `max_properties` properties `valid` holds.
pub fn object_edges<R: rand::Rng>(
    map: &Map<String, Value>,
    valid: &Map<String, Value>,
    values: &mut ValueGen<'_, R>,
    max_properties: usize,
) -> Vec<Edge> {
    let mut out = Vec::new();
    let props = map.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = map
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let only_required: Map<String, Value> =
        valid.iter().filter(|(k, _)| required.contains(&k.as_str())).map(clone_pair).collect();
    if only_required.len() < valid.len() {
        out.push(edge("required-only", Value::Object(only_required.clone())));
    }
    if let Some(props) = props {
        let mut all = valid.clone();
        let optional = props.iter().filter(|(k, _)| !required.contains(&k.as_str()));
        for (name, schema) in optional.take(MAX_OPTIONAL_ALONE) {
            let Some(value) = valid.get(name).cloned().or_else(|| values.valid(schema, 1)) else {
                continue;
            };
            if size_of(&value) > MAX_SIZE as usize {
                continue;
            }
            let mut alone = only_required.clone();
            alone.insert(name.clone(), value.clone());
            out.push(edge(format!("with-{name}"), Value::Object(alone)));
            all.entry(name.clone()).or_insert(value);
        }
        if all.len() > valid.len() {
            out.push(edge("all-properties", Value::Object(all)));
        }
    }
    let mut extra = valid.clone();
    extra.insert("gauntlet_undeclared".into(), json!("x"));
    out.push(edge("undeclared-property", Value::Object(extra)));
    out.extend(count_edges(map, valid, values));
    for (name, value) in valid.iter().take(max_properties) {
        let Some(schema) = props.and_then(|p| p.get(name)).and_then(Value::as_object) else {
            continue;
        };
        let mut own = scalar_edges(schema, Some(value));
        if let Value::Object(fields) = value {
            own.extend(count_edges(schema, fields, values));
        }
        for e in own {
            let EdgeValue::Json(v) = e.value else { continue };
            let mut broken = valid.clone();
            broken.insert(name.clone(), v);
            out.push(Edge {
                label: format!("{name}.{}", e.label),
                value: EdgeValue::Json(Value::Object(broken)),
                beyond: e.beyond,
                names_rule: e.names_rule,
            });
        }
    }
    out
}

/// Property counts one either side of `minProperties` and `maxProperties`: the valid
/// object's own properties dropped, or new ones added with values for `additionalProperties`
/// (`gauntlet_k1`, ...), at most [`MAX_ITEMS_EDGE`].
fn count_edges<R: rand::Rng>(
    map: &Map<String, Value>,
    valid: &Map<String, Value>,
    values: &mut ValueGen<'_, R>,
) -> Vec<Edge> {
    let count = |k: &str| map.get(k).and_then(Value::as_u64).filter(|n| *n <= MAX_ITEMS_EDGE);
    let extra = map.get("additionalProperties").cloned().unwrap_or(Value::Bool(true));
    let mut sized = |n: u64| -> Option<Value> {
        let mut out: Map<String, Value> = valid.iter().take(n as usize).map(clone_pair).collect();
        let mut i = 0;
        while (out.len() as u64) < n {
            i += 1;
            let value =
                if extra == Value::Bool(true) { json!("x") } else { values.valid(&extra, 1)? };
            out.insert(format!("gauntlet_k{i}"), value);
        }
        Some(Value::Object(out))
    };
    let mut out = Vec::new();
    let mut push = |label: &str, n: Option<u64>| {
        if let Some(v) = n.and_then(&mut sized) {
            out.push(edge(label, v));
        }
    };
    if let Some(n) = count("minProperties") {
        push("min-properties-1", n.checked_sub(1));
        push("min-properties", Some(n));
    }
    if let Some(n) = count("maxProperties") {
        push("max-properties", Some(n));
        push("max-properties+1", Some(n + 1));
    }
    out
}

fn clone_pair((k, v): (&String, &Value)) -> (String, Value) {
    (k.clone(), v.clone())
}

/// A rough size of a value in bytes (its JSON text).
fn size_of(value: &Value) -> usize {
    serde_json::to_vec(value).map_or(usize::MAX, |v| v.len())
}

/// Malformed forms of a JSON body's bytes, each labelled: cut in half, trailing garbage.
/// (Bytes that are still JSON are left out.)
pub fn malformed_json(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let mut cut = bytes[..bytes.len() / 2].to_vec();
    if serde_json::from_slice::<Value>(&cut).is_ok() {
        cut.push(b'{');
    }
    out.push(("truncated-json", cut));
    let mut trailing = bytes.to_vec();
    trailing.extend_from_slice(b"}gauntlet");
    out.push(("trailing-garbage", trailing));
    out
}

/// The JSON text in UTF-16 (little-endian, no byte-order mark): JSON must be UTF-8 on the
/// wire (RFC 8259 §8.1), but some readers detect other encodings.
pub fn utf16(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(bytes).encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(edges: &[Edge]) -> Vec<&str> {
        edges.iter().map(|e| e.label.as_str()).collect()
    }

    fn value_of<'e>(edges: &'e [Edge], label: &str) -> &'e EdgeValue {
        &edges.iter().find(|e| e.label == label).unwrap_or_else(|| panic!("{label}")).value
    }

    #[test]
    fn string_lengths_one_either_side_of_each_bound() {
        let schema = json!({"type": "string", "minLength": 2, "maxLength": 10});
        let edges = scalar_edges(schema.as_object().unwrap(), None);
        let lengths: Vec<usize> = edges
            .iter()
            .map(|e| match &e.value {
                EdgeValue::Json(Value::String(s)) => s.len(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lengths, [1, 2, 3, 9, 10, 11]);
    }

    #[test]
    fn integer_limits_past_the_declared_format_are_beyond() {
        let schema = json!({"type": "integer", "format": "int32", "minimum": 1});
        let edges = scalar_edges(schema.as_object().unwrap(), None);
        assert_eq!(&labels(&edges)[..3], ["minimum", "minimum-1", "minimum+1"]);
        let beyond = |label: &str| edges.iter().find(|e| e.label == label).unwrap().beyond;
        assert!(!beyond("int32-max") && beyond("int32-max+1") && beyond("int64-max"));
        assert_eq!(
            value_of(&edges, "int64-min-1"),
            &EdgeValue::Digits("-9223372036854775809".into())
        );
        assert_eq!(
            value_of(&edges, "int64-max+1"),
            &EdgeValue::Json(json!(9223372036854775808u64))
        );
        let unformatted = json!({"type": "integer"});
        let edges = scalar_edges(unformatted.as_object().unwrap(), None);
        let beyond = |label: &str| edges.iter().find(|e| e.label == label).unwrap().beyond;
        assert!(!beyond("int64-max") && beyond("int64-max+1") && beyond("24-digits"));
    }

    #[test]
    fn number_bounds_step_to_the_next_float() {
        let schema = json!({"type": "number", "exclusiveMaximum": 1.5});
        let edges = scalar_edges(schema.as_object().unwrap(), None);
        let EdgeValue::Json(below) = value_of(&edges, "exclusive-maximum-1") else { panic!() };
        assert!(below.as_f64().unwrap() < 1.5 && below.as_f64().unwrap() > 1.4999999);
    }

    #[test]
    fn objects_get_required_only_each_optional_alone_and_an_undeclared_property() {
        let schema = json!({"type": "object", "required": ["id"],
            "properties": {"id": {"type": "integer", "maximum": 9}, "note": {"type": "string"}}});
        let valid = json!({"id": 3});
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        let mut values = ValueGen::new(&schema, &mut rng);
        let edges =
            object_edges(schema.as_object().unwrap(), valid.as_object().unwrap(), &mut values, 6);
        let labels = labels(&edges);
        for label in ["with-note", "all-properties", "undeclared-property", "id.maximum+1"] {
            assert!(labels.contains(&label), "{label} in {labels:?}");
        }
        assert!(!labels.contains(&"required-only"), "valid holds only the required one");
    }

    #[test]
    fn property_counts_step_past_each_bound_and_unique_arrays_never_repeat_an_item() {
        let schema = json!({"type": "object", "minProperties": 1, "maxProperties": 2,
            "additionalProperties": {"type": "integer"}});
        let valid = json!({"a": 1});
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        let mut values = ValueGen::new(&schema, &mut rng);
        let edges =
            object_edges(schema.as_object().unwrap(), valid.as_object().unwrap(), &mut values, 6);
        let size = |label: &str| match value_of(&edges, label) {
            EdgeValue::Json(Value::Object(m)) => m.len(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            [size("min-properties-1"), size("max-properties"), size("max-properties+1")],
            [0, 2, 3]
        );
        let array = json!({"type": "array", "maxItems": 3, "uniqueItems": true});
        let edges = scalar_edges(array.as_object().unwrap(), Some(&json!(["x", "y"])));
        assert_eq!(labels(&edges), ["duplicate-items"], "3 or 4 items would repeat one");
    }

    #[test]
    fn malformed_json_is_never_json() {
        for (label, bytes) in malformed_json(br#"{"a":1}"#).into_iter().chain(malformed_json(b"[]"))
        {
            assert!(serde_json::from_slice::<Value>(&bytes).is_err(), "{label}");
        }
    }
}
