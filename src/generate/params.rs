//! Parameter serialisation (`style`/`explode`) and the server's reading of parameter text.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Number, Value};

use crate::openapi::{Location, Parameter, resolve_ref};

/// Everything but RFC 3986's unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Whether `text` can go on the wire as a value in `location` as it is: header values are
/// visible ASCII (spaces and tabs inside), cookies RFC 6265 `cookie-octet`s; path and query
/// values are encoded, so anything goes.
pub fn wire_safe(location: Location, text: &str) -> bool {
    text.chars().all(|c| wire_char(location, c))
        && (location != Location::Header || text.trim() == text)
}

/// Whether character `c` can be in a value in `location` as it is (a header value's space
/// and tab only inside it: see [`wire_safe`]).
pub fn wire_char(location: Location, c: char) -> bool {
    match location {
        Location::Header => (' '..='~').contains(&c) || c == '\t',
        Location::Cookie => ('!'..='~').contains(&c) && !";,\\\"".contains(c),
        Location::Path | Location::Query => true,
    }
}

/// Percent-encodes one path segment.
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// The text of a primitive value as it appears in a URL or header.
pub fn primitive_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A path parameter's segment text, encoded, for its `style`: `simple` (`3,4`), `label`
/// (`.3,4`, exploded `.3.4`) or `matrix` (`;id=3,4`, exploded `;id=3;id=4`). Each value is
/// percent-encoded; the style's delimiters are not.
pub fn path_text(param: &Parameter, value: &Value) -> String {
    let scalar = |v: &Value| encode_segment(&primitive_text(v));
    let name = encode_segment(&param.name);
    match (param.style.as_str(), value) {
        ("label", Value::Array(items)) => {
            let sep = if param.explode { "." } else { "," };
            format!(".{}", items.iter().map(scalar).collect::<Vec<_>>().join(sep))
        }
        ("label", Value::Object(map)) => {
            let parts: Vec<String> = if param.explode {
                map.iter().map(|(k, v)| format!("{}={}", encode_segment(k), scalar(v))).collect()
            } else {
                map.iter().flat_map(|(k, v)| [encode_segment(k), scalar(v)]).collect()
            };
            format!(".{}", parts.join(if param.explode { "." } else { "," }))
        }
        ("label", v) => format!(".{}", scalar(v)),
        ("matrix", Value::Array(items)) if param.explode => {
            items.iter().map(|v| format!(";{name}={}", scalar(v))).collect()
        }
        ("matrix", Value::Array(items)) => {
            format!(";{name}={}", items.iter().map(scalar).collect::<Vec<_>>().join(","))
        }
        ("matrix", Value::Object(map)) if param.explode => {
            map.iter().map(|(k, v)| format!(";{}={}", encode_segment(k), scalar(v))).collect()
        }
        ("matrix", Value::Object(map)) => {
            let parts: Vec<String> =
                map.iter().flat_map(|(k, v)| [encode_segment(k), scalar(v)]).collect();
            format!(";{name}={}", parts.join(","))
        }
        ("matrix", v) => format!(";{name}={}", scalar(v)),
        (_, v) => {
            let pairs = serialize(param, v);
            encode_segment(&pairs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(","))
        }
    }
}

/// Raw text (a negative's) in a path parameter's segment, with its style's prefix.
pub fn path_raw(param: &Parameter, text: &str) -> String {
    match param.style.as_str() {
        "label" => format!(".{}", encode_segment(text)),
        "matrix" => format!(";{}={}", encode_segment(&param.name), encode_segment(text)),
        _ => encode_segment(text),
    }
}

/// A `label` or `matrix` path value (decoded) as `simple` text with its delimiters: the
/// prefix taken off, exploded parts joined with commas (`k=v` pairs of an exploded object
/// kept). `None` when the prefix is missing: the server cannot read it at all.
fn unstyle(param: &Parameter, text: &str) -> Option<String> {
    match param.style.as_str() {
        "label" => {
            let rest = text.strip_prefix('.')?;
            Some(if param.explode { rest.replace('.', ",") } else { rest.to_owned() })
        }
        "matrix" => {
            let own = format!(";{}=", param.name);
            if let Some(rest) = text.strip_prefix(own.as_str()) {
                return Some(if param.explode {
                    rest.replace(own.as_str(), ",")
                } else {
                    rest.to_owned()
                });
            }
            // An exploded object: `;k=v;k2=v2`.
            let rest = text.strip_prefix(';').filter(|_| param.explode)?;
            Some(rest.replace(';', ","))
        }
        _ => Some(text.to_owned()),
    }
}

/// Serialises a parameter value into `(name, text)` pairs (several for exploded queries).
pub fn serialize(param: &Parameter, value: &Value) -> Vec<(String, String)> {
    let name = param.name.clone();
    let delimiter = match param.style.as_str() {
        "spaceDelimited" => " ",
        "pipeDelimited" => "|",
        _ => ",",
    };
    match value {
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().map(primitive_text).collect();
            if param.explode && param.location == Location::Query {
                texts.into_iter().map(|t| (name.clone(), t)).collect()
            } else {
                vec![(name, texts.join(delimiter))]
            }
        }
        Value::Object(map) => {
            if param.location == Location::Query && param.style == "deepObject" {
                map.iter().map(|(k, v)| (format!("{name}[{k}]"), primitive_text(v))).collect()
            } else if param.explode && param.location == Location::Query {
                map.iter().map(|(k, v)| (k.clone(), primitive_text(v))).collect()
            } else if param.explode {
                let parts: Vec<String> =
                    map.iter().map(|(k, v)| format!("{k}={}", primitive_text(v))).collect();
                vec![(name, parts.join(","))]
            } else {
                let parts: Vec<String> =
                    map.iter().flat_map(|(k, v)| [k.clone(), primitive_text(v)]).collect();
                vec![(name, parts.join(","))]
            }
        }
        primitive => vec![(name, primitive_text(primitive))],
    }
}

/// How a server reads parameter `text` under `schema`: a number where the schema wants one and
/// the text is one, a boolean likewise, else the string. Used to tell whether a candidate
/// value is valid or invalid once it has been through the wire.
pub fn coerce(doc: &Value, schema: &Value, text: &str) -> Value {
    let schema = resolve_ref(doc, schema).map(|(s, _)| s).unwrap_or(schema);
    let types = types_of(doc, schema);
    let wants = |t: &str| types.iter().any(|x| x == t);
    // An integer parameter is read as servers read one: decimal digits with an optional
    // sign (`1e3` and `-3.4e26` are not integers on the wire), exact where it fits.
    if wants("integer") && !wants("number") {
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let unsigned = text.strip_prefix('+').unwrap_or(text);
            if let Ok(n) = unsigned.parse::<i64>() {
                return Value::Number(Number::from(n));
            }
            if let Ok(n) = unsigned.parse::<u64>() {
                return Value::Number(Number::from(n));
            }
            // Larger than 64 bits: still an integer, held as the nearest float (just below
            // i64::MIN, the float below -2^63, so that an int64 bound refuses it).
            if let Ok(n) = unsigned.parse::<f64>() {
                let n = if n == i64::MIN as f64 { n - 2048.0 } else { n };
                if let Some(n) = Number::from_f64(n) {
                    return Value::Number(n);
                }
            }
        }
        return Value::String(text.to_owned());
    }
    if wants("number")
        && let Ok(n) = text.parse::<f64>()
        && n.is_finite()
        && !text.trim().is_empty()
        && text.trim() == text
    {
        if n.fract() == 0.0 && n.abs() < 9e15 {
            return Value::Number(Number::from(n as i64));
        }
        if let Some(n) = Number::from_f64(n) {
            return Value::Number(n);
        }
    }
    if wants("boolean") && (text == "true" || text == "false") {
        return Value::Bool(text == "true");
    }
    if wants("array") && !wants("string") {
        // `tags=` is one empty item, as servers split it, not an empty list.
        let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
        return Value::Array(text.split(',').map(|t| coerce(doc, &items, t)).collect());
    }
    Value::String(text.to_owned())
}

/// How a server reads a parameter's `text` under its schema, objects included (`k,v,k,v`, or
/// `k=v,k=v` when exploded); other values as [`coerce`] reads them.
pub fn read_param(doc: &Value, param: &Parameter, schema: &Value, text: &str) -> Value {
    if param.location == Location::Path && matches!(param.style.as_str(), "label" | "matrix") {
        let Some(plain) = unstyle(param, text) else { return Value::Null };
        // Read as `simple` would read it (an exploded object's `k=v` pairs included).
        let simple = Parameter { style: "simple".into(), ..param.clone() };
        return read_param(doc, &simple, schema, &plain);
    }
    let resolved = resolve_ref(doc, schema).map(|(s, _)| s).unwrap_or(schema);
    let types = types_of(doc, resolved);
    let delimiter = match param.style.as_str() {
        "spaceDelimited" => Some(' '),
        "pipeDelimited" => Some('|'),
        _ => None,
    };
    if let Some(delimiter) = delimiter
        && types.iter().any(|t| t == "array")
        && !types.iter().any(|t| t == "string")
    {
        let items = resolved.get("items").cloned().unwrap_or(Value::Bool(true));
        return Value::Array(text.split(delimiter).map(|t| coerce(doc, &items, t)).collect());
    }
    if !types.iter().any(|t| t == "object") || types.iter().any(|t| t == "string") {
        return coerce(doc, schema, text);
    }
    let props = resolved.get("properties");
    let field = |k: &str, v: &str| match props.and_then(|p| p.get(k)) {
        Some(s) => coerce(doc, s, v),
        None => Value::String(v.to_owned()),
    };
    let mut map = serde_json::Map::new();
    if param.explode {
        for pair in text.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.insert(k.to_owned(), field(k, v));
        }
    } else {
        let parts: Vec<&str> = text.split(',').collect();
        for kv in parts.chunks(2) {
            if let [k, v] = kv {
                map.insert((*k).to_owned(), field(k, v));
            } else if !kv[0].is_empty() {
                map.insert(kv[0].to_owned(), Value::String(String::new()));
            }
        }
    }
    Value::Object(map)
}

/// The types a schema admits, looking through `$ref`, `allOf`, `oneOf` and `anyOf`.
fn types_of(doc: &Value, schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(schema, 0)];
    while let Some((s, depth)) = stack.pop() {
        let Ok((s, _)) = resolve_ref(doc, s) else { continue };
        match s.get("type") {
            Some(Value::String(t)) => out.push(t.clone()),
            Some(Value::Array(ts)) => {
                out.extend(ts.iter().filter_map(Value::as_str).map(str::to_owned))
            }
            _ => {}
        }
        if depth < 4 {
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(branches)) = s.get(key) {
                    stack.extend(branches.iter().map(|b| (b, depth + 1)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(location: Location, style: &str, explode: bool) -> Parameter {
        Parameter {
            name: "p".into(),
            location,
            required: true,
            schema: None,
            style: style.into(),
            explode,
        }
    }

    #[test]
    fn styles_serialise_as_openapi_says() {
        let arr = json!([1, 2]);
        assert_eq!(serialize(&param(Location::Query, "form", true), &arr).len(), 2);
        assert_eq!(
            serialize(&param(Location::Query, "form", false), &arr),
            [("p".into(), "1,2".into())]
        );
        assert_eq!(serialize(&param(Location::Query, "pipeDelimited", false), &arr)[0].1, "1|2");
        let obj = json!({"a": 1});
        assert_eq!(serialize(&param(Location::Query, "deepObject", true), &obj)[0].0, "p[a]");
        assert_eq!(encode_segment("a/b c..%"), "a%2Fb%20c..%25");
    }

    /// `label` and `matrix` path values were sent as `simple` ones (no `.` or `;id=`), and
    /// the mock did not read them: both now follow the style table.
    #[test]
    fn label_and_matrix_path_values_are_written_and_read_by_their_style() {
        let doc = json!({});
        let ints = json!({"type": "array", "items": {"type": "integer"}});
        let obj = json!({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}});
        let cases = [
            ("label", false, &ints, json!([3, 4]), ".3,4"),
            ("label", true, &ints, json!([3, 4]), ".3.4"),
            ("matrix", false, &ints, json!([3, 4]), ";p=3,4"),
            ("matrix", true, &ints, json!([3, 4]), ";p=3;p=4"),
            ("label", true, &obj, json!({"a": 1, "b": "x"}), ".a=1.b=x"),
            ("matrix", true, &obj, json!({"a": 1, "b": "x"}), ";a=1;b=x"),
            ("matrix", false, &obj, json!({"a": 1, "b": "x"}), ";p=a,1,b,x"),
        ];
        for (style, explode, schema, value, wire) in cases {
            let p = param(Location::Path, style, explode);
            assert_eq!(path_text(&p, &value), wire, "{style} {explode}");
            assert_eq!(read_param(&doc, &p, schema, wire), value, "{style} {explode}");
        }
        let label = param(Location::Path, "label", false);
        assert_eq!(read_param(&doc, &label, &ints, "3,4"), Value::Null, "no prefix, no value");
        assert_eq!(path_raw(&label, "x/y"), ".x%2Fy");
    }

    #[test]
    fn coercion_reads_text_as_the_server_would() {
        let doc = json!({});
        assert_eq!(coerce(&doc, &json!({"type": "integer"}), "42"), json!(42));
        assert_eq!(coerce(&doc, &json!({"type": "integer"}), "4x"), json!("4x"));
        // One below i64::MIN stays below it.
        let int64 = json!({"type": "integer"});
        let low = coerce(&doc, &int64, "-9223372036854775809").as_f64().unwrap();
        assert!(low < i64::MIN as f64, "{low}");
        assert_eq!(coerce(&doc, &int64, "-9223372036854775808"), json!(i64::MIN));
        assert_eq!(coerce(&doc, &json!({"type": "string"}), "42"), json!("42"));
        assert_eq!(coerce(&doc, &json!({"type": "boolean"}), "true"), json!(true));
        assert_eq!(
            coerce(&doc, &json!({"type": "array", "items": {"type": "integer"}}), "1,2"),
            json!([1, 2])
        );
        // Space- and pipe-delimited arrays are split where they were joined.
        let ints = json!({"type": "array", "items": {"type": "integer"}});
        let pipes = param(Location::Query, "pipeDelimited", false);
        assert_eq!(read_param(&doc, &pipes, &ints, "83|431"), json!([83, 431]));
        let spaces = param(Location::Query, "spaceDelimited", false);
        assert_eq!(read_param(&doc, &spaces, &ints, "1 2"), json!([1, 2]));
    }
}
