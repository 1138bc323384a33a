//! Request bodies as their media type says, and read back as a server reads them.
//!
//! JSON as JSON; `application/x-www-form-urlencoded` as pairs; `multipart/form-data` with a
//! boundary, one part per property (one per item of an array), a `filename` on every file
//! part, and each part's `Content-Type` from `encoding` (else `application/octet-stream` for
//! binary, `application/json` for objects, none for text); `text/*` and raw types as the
//! string's bytes. XML and other types gauntlet cannot write give `None`: such a body is
//! never sent wrong. [`decode`] is the server's reading (text coerced by each property's
//! schema), so what the validator judges is what the server will see; the mock reads
//! bodies with it too.

use serde_json::{Map, Value};

use super::params::{coerce, primitive_text};
use crate::openapi::{MediaType, resolve_ref};
use crate::plan::Body;

/// How a media type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// JSON (`application/json`, `+json`, or a range that admits it).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*` but XML: the string as UTF-8.
    Text,
    /// Anything else but XML (`application/octet-stream`, `image/png`): the string's bytes.
    Raw,
    /// `application/xml`, `text/xml`, `+xml`: the value as elements (`generate::xml`).
    Xml,
}

/// How `media` (lower case, as written in the spec) is written, or `None` when gauntlet
/// cannot produce it (a multipart other than form-data).
pub fn writer(media: &str) -> Option<Writer> {
    let essence = media.split(';').next().unwrap_or("").trim();
    if essence.ends_with("/xml") || essence.ends_with("+xml") {
        return Some(Writer::Xml);
    }
    Some(match essence {
        "application/json" | "*/*" | "application/*" => Writer::Json,
        m if m.ends_with("+json") => Writer::Json,
        "application/x-www-form-urlencoded" => Writer::Form,
        "multipart/form-data" | "multipart/*" => Writer::Multipart,
        m if m.starts_with("multipart/") => return None,
        m if m.starts_with("text/") => Writer::Text,
        _ => Writer::Raw,
    })
}

/// `value` written as `media` says, or `None` when it cannot be (a form body that is not an
/// object, raw bytes that are not a string, a media type gauntlet cannot write).
pub fn encode(
    doc: &Value,
    media: &MediaType,
    schema: Option<&Value>,
    value: &Value,
) -> Option<Body> {
    let concrete = |fallback: &str| {
        if media.name.contains('*') { fallback.to_owned() } else { media.name.clone() }
    };
    match writer(&media.name)? {
        Writer::Json => Some(Body {
            content_type: concrete("application/json"),
            bytes: serde_json::to_vec(value).ok()?,
        }),
        Writer::Form => {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (name, item) in fields(value.as_object()?) {
                form.append_pair(name, &field_text(item));
            }
            Some(Body { content_type: media.name.clone(), bytes: form.finish().into_bytes() })
        }
        Writer::Multipart => Some(multipart(doc, media, schema, value.as_object()?)),
        Writer::Xml => Some(Body {
            content_type: media.name.clone(),
            bytes: super::xml::write(doc, schema, value).into_bytes(),
        }),
        Writer::Text | Writer::Raw => match value {
            Value::String(s) => Some(Body {
                content_type: concrete("application/octet-stream"),
                bytes: s.as_bytes().to_vec(),
            }),
            _ => None,
        },
    }
}

/// A body of `content_type` read as servers read it under `schema`: one reading, or two
/// for a form whose array property got a lone field (one server reads `["x"]`, another
/// `"x"`). Empty when it cannot be read at all (JSON that does not parse, multipart without
/// its boundary). A positive must be valid under every reading and a negative invalid under
/// every one; the mock accepts a body any reading finds valid.
pub fn decode(doc: &Value, schema: Option<&Value>, content_type: &str, bytes: &[u8]) -> Vec<Value> {
    let essence = crate::checks::essence(content_type);
    let fields: Vec<(String, Value)> = match writer(&essence) {
        None => return Vec::new(),
        Some(Writer::Json) => {
            let mut value: Vec<Value> = serde_json::from_slice(bytes).into_iter().collect();
            value.iter_mut().for_each(below_i64);
            return value;
        }
        Some(Writer::Text | Writer::Raw) => {
            return vec![Value::String(String::from_utf8_lossy(bytes).into_owned())];
        }
        Some(Writer::Xml) => return super::xml::read(doc, schema, bytes).into_iter().collect(),
        Some(Writer::Form) => url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
        Some(Writer::Multipart) => {
            let Some(parts) = parameter(content_type, "boundary").and_then(|b| parts(bytes, &b))
            else {
                return Vec::new();
            };
            parts
        }
    };
    let lenient = object(doc, schema, &fields, false);
    let strict = object(doc, schema, &fields, true);
    if strict == lenient { vec![lenient] } else { vec![lenient, strict] }
}

/// An integer literal just below `i64::MIN` (`-9223372036854775809`) is read as the float
/// -2^63, which a bound of `i64::MIN` admits; it is moved to the next float down so that the
/// bound refuses it, as a server reading an int64 does. (The literal `-9223372036854775808`
/// itself is read exactly, as an `i64`.)
fn below_i64(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Number(n) if n.is_f64() && n.as_f64() == Some(i64::MIN as f64) => {
                if let Some(lower) = serde_json::Number::from_f64(i64::MIN as f64 - 2048.0) {
                    *n = lower;
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

/// The fields of a form body: a property per pair, an array's items each under its name,
/// nulls left out (a form cannot say null).
fn fields(map: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut out = Vec::new();
    for (name, value) in map {
        match value {
            Value::Null => {}
            Value::Array(items) => out.extend(items.iter().map(|i| (name.as_str(), i))),
            other => out.push((name.as_str(), other)),
        }
    }
    out
}

/// A field's text: primitives as in a URL, objects and arrays as JSON.
fn field_text(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => value.to_string(),
        other => primitive_text(other),
    }
}

/// The schema of property `name` of `schema` (looking through `$ref` and `allOf`).
fn property<'a>(doc: &'a Value, schema: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    let mut stack = vec![(schema?, 0)];
    while let Some((s, depth)) = stack.pop() {
        let (s, _) = resolve_ref(doc, s).ok()?;
        if let Some(p) = s.get("properties").and_then(|p| p.get(name)) {
            return resolve_ref(doc, p).ok().map(|(p, _)| p);
        }
        if depth < 8
            && let Some(Value::Array(all)) = s.get("allOf")
        {
            stack.extend(all.iter().map(|b| (b, depth + 1)));
        }
    }
    None
}

/// Whether a property is a file: `format: binary` (3.0) or a `contentMediaType` or
/// `contentEncoding` (3.1).
fn is_file(schema: Option<&Value>) -> bool {
    schema.is_some_and(|s| {
        s.get("format").and_then(Value::as_str) == Some("binary")
            || s.get("contentMediaType").is_some()
            || s.get("contentEncoding").is_some()
    })
}

/// Whether a property's schema is an array (so repeated fields are its items).
fn is_array(doc: &Value, schema: Option<&Value>) -> bool {
    schema.is_some_and(|s| coerce(doc, s, "").is_array())
        || schema.and_then(|s| s.get("type")).is_some_and(|t| t == "array")
}

/// Fields read back into an object: each text coerced by its property's schema, repeated
/// names gathered into an array where the property is one (a lone field too, unless
/// `lone_is_scalar`, as servers that read a single field as a string do).
fn object(
    doc: &Value,
    schema: Option<&Value>,
    fields: &[(String, Value)],
    lone_is_scalar: bool,
) -> Value {
    let mut out = Map::new();
    for (name, raw) in fields {
        if out.contains_key(name) {
            continue;
        }
        let prop = property(doc, schema, name);
        let array = is_array(doc, prop);
        let item_schema = if array { prop.and_then(|p| p.get("items")) } else { prop };
        let read = |raw: &Value| match (raw, item_schema) {
            (Value::String(text), Some(s)) => coerce(doc, s, text),
            _ => raw.clone(),
        };
        let all: Vec<Value> =
            fields.iter().filter(|(n, _)| n == name).map(|(_, v)| read(v)).collect();
        let value = match all.len() {
            1 if !array || lone_is_scalar => all.into_iter().next().unwrap_or(Value::Null),
            _ if array => Value::Array(all),
            _ => read(raw),
        };
        out.insert(name.clone(), value);
    }
    // A form has no way to say "an empty list": the lenient reading takes a required array
    // left out as one.
    if !lone_is_scalar {
        for name in required(doc, schema) {
            if !out.contains_key(&name) && is_array(doc, property(doc, schema, &name)) {
                out.insert(name, Value::Array(Vec::new()));
            }
        }
    }
    Value::Object(out)
}

/// The names `schema` requires (through `$ref` and `allOf`).
fn required(doc: &Value, schema: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, usize)> = schema.into_iter().map(|s| (s, 0)).collect();
    while let Some((s, depth)) = stack.pop() {
        let Ok((s, _)) = resolve_ref(doc, s) else { continue };
        if let Some(Value::Array(names)) = s.get("required") {
            out.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        if depth < 8
            && let Some(Value::Array(all)) = s.get("allOf")
        {
            stack.extend(all.iter().map(|b| (b, depth + 1)));
        }
    }
    out
}

/// A multipart body of `map` under a boundary that none of its parts contains.
fn multipart(
    doc: &Value,
    media: &MediaType,
    schema: Option<&Value>,
    map: &Map<String, Value>,
) -> Body {
    let parts: Vec<(String, Vec<u8>)> = fields(map)
        .into_iter()
        .map(|(name, value)| {
            let prop = property(doc, schema, name);
            let file = is_file(prop) || is_file(prop.and_then(|p| p.get("items")));
            let declared = media.encoding.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone());
            let content_type = declared.or_else(|| {
                if file {
                    let own = prop.and_then(|p| p.get("contentMediaType")).and_then(Value::as_str);
                    Some(own.unwrap_or("application/octet-stream").to_owned())
                } else if value.is_object() || value.is_array() {
                    Some("application/json".to_owned())
                } else {
                    None
                }
            });
            let escaped = name.replace('"', "%22");
            let mut head = format!("Content-Disposition: form-data; name=\"{escaped}\"");
            if file {
                head.push_str(&format!("; filename=\"{escaped}.bin\""));
            }
            if let Some(ty) = content_type {
                head.push_str(&format!("\r\nContent-Type: {ty}"));
            }
            (head, field_text(value).into_bytes())
        })
        .collect();
    let mut n = 0u64;
    let boundary = loop {
        let candidate =
            format!("gauntlet-{:016x}", crate::support::fnv1a(&[n.to_le_bytes().as_slice()]));
        let clash = parts
            .iter()
            .any(|(_, body)| body.windows(candidate.len()).any(|w| w == candidate.as_bytes()));
        if !clash {
            break candidate;
        }
        n += 1;
    };
    let mut bytes = Vec::new();
    for (head, body) in &parts {
        bytes.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Body { content_type: format!("multipart/form-data; boundary={boundary}"), bytes }
}

/// A parameter of a header value (`boundary` of `multipart/form-data; boundary=x`).
fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The named parts of a multipart body: the file parts' bytes as text, JSON parts parsed.
/// `None` when the body is not multipart under `boundary`.
fn parts(bytes: &[u8], boundary: &str) -> Option<Vec<(String, Value)>> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    let mut chunks = split(bytes, delimiter.as_bytes());
    chunks.next()?; // the preamble
    let mut closed = false;
    for chunk in chunks {
        if chunk.starts_with(b"--") {
            closed = true;
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n")?;
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let end = chunk.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&chunk[..end]);
        let body = &chunk[end + 4..];
        let mut name = None;
        let mut json = false;
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':')?;
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                name = parameter(value, "name");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                json = crate::checks::is_json(value);
            }
        }
        let text = String::from_utf8_lossy(body).into_owned();
        let value = if json {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        } else {
            Value::String(text)
        };
        out.push((name?, value));
    }
    closed.then_some(out)
}

/// `bytes` split at each occurrence of `delimiter`.
fn split<'a>(bytes: &'a [u8], delimiter: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.windows(delimiter.len()).position(|w| w == delimiter) {
            Some(at) => {
                rest = Some(&current[at + delimiter.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn media(name: &str, encoding: &[(&str, &str)]) -> MediaType {
        MediaType {
            name: name.into(),
            schema: None,
            encoding: encoding.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect(),
            streamed: false,
        }
    }

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"},
            "count": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "meta": {"type": "object"}
        }})
    }

    #[test]
    fn multipart_has_a_boundary_filenames_and_part_types_and_reads_back() {
        let doc = json!({});
        let s = schema();
        let value = json!({"file": "bytes", "count": 3, "tags": ["a", "b"], "meta": {"k": 1}, "gone": null});
        let m = media("multipart/form-data", &[("file", "image/png")]);
        let body = encode(&doc, &m, Some(&s), &value).expect("writable");
        let text = String::from_utf8_lossy(&body.bytes);
        assert!(
            body.content_type.starts_with("multipart/form-data; boundary=gauntlet-"),
            "{}",
            body.content_type
        );
        assert!(
            text.contains(
                "name=\"file\"; filename=\"file.bin\"\r\nContent-Type: image/png\r\n\r\nbytes"
            ),
            "{text}"
        );
        assert!(text.contains("name=\"meta\"\r\nContent-Type: application/json"), "{text}");
        assert!(!text.contains("gone"), "{text}");
        assert_eq!(text.matches("name=\"tags\"").count(), 2);
        let back = decode(&doc, Some(&s), &body.content_type, &body.bytes);
        assert_eq!(
            back,
            [json!({"file": "bytes", "count": 3, "tags": ["a", "b"], "meta": {"k": 1}})]
        );
    }

    #[test]
    fn forms_coerce_as_a_server_does_and_xml_is_written_as_elements() {
        let doc = json!({});
        let s = schema();
        let m = media("application/x-www-form-urlencoded", &[]);
        let body = encode(&doc, &m, Some(&s), &json!({"count": 3, "tags": ["x"]})).expect("form");
        assert_eq!(body.bytes, b"count=3&tags=x");
        // A lone field of an array property: some servers read an array, some a string.
        let back = decode(&doc, Some(&s), &body.content_type, &body.bytes);
        assert_eq!(back, [json!({"count": 3, "tags": ["x"]}), json!({"count": 3, "tags": "x"})]);
        let xml =
            encode(&doc, &media("application/xml", &[]), None, &json!({"a": 1})).expect("xml");
        assert!(String::from_utf8_lossy(&xml.bytes).ends_with("<root><a>1</a></root>"));
        assert!(encode(&doc, &m, None, &json!([1])).is_none());
        let raw =
            encode(&doc, &media("application/octet-stream", &[]), None, &json!("ab")).expect("raw");
        assert_eq!(raw.bytes, b"ab");
    }

    #[test]
    fn a_multipart_body_without_its_boundary_cannot_be_read() {
        assert!(decode(&json!({}), None, "multipart/form-data", b"--x\r\n").is_empty());
        assert!(
            decode(&json!({}), None, "multipart/form-data; boundary=x", b"no parts").is_empty()
        );
    }
}
