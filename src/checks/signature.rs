//! The signature of a server error: what tells two 500s apart as two root causes. A server
//! error's message is its cause (a SQL error and a NUL-byte error are two bugs), so failures
//! are grouped by it as well as by operation, check and status; the values in it (numbers,
//! quoted text, what the request sent) are stripped, so one cause met with many inputs stays
//! one finding. Client errors (4xx) and successes get none: their status is the contract
//! matter, and one missing 400 is one finding whatever each answer says.

use serde_json::Value;

/// Keys whose string value is an error's message in the bodies frameworks write.
const MESSAGE_KEYS: &[&str] =
    &["message", "error", "detail", "title", "msg", "error_description", "description", "reason"];

/// Longest signature kept (characters).
const MAX: usize = 120;

/// Sent values shorter than this are not stripped: `a` would strip every `a` of the text.
const MIN_SENT: usize = 3;

/// The signature of an answer with `status` and `body` to `request`, or `None` below 500.
pub fn signature(status: u16, body: &[u8], request: &crate::plan::RequestSpec) -> Option<String> {
    if status < 500 {
        return None;
    }
    Some(of(body, &sent_values(request)))
}

/// The signature of a 5xx `body` to a request that sent `sent`.
fn of(body: &[u8], sent: &[String]) -> String {
    let text = String::from_utf8_lossy(body);
    let raw = match serde_json::from_str::<Value>(&text) {
        Ok(value) => message(&value).unwrap_or_else(|| shape(&value, 0)),
        Err(_) => first_line(&strip_markup(&text)),
    };
    normalise(&raw, sent)
}

/// The request's values a server may echo in its message: decoded path segments, query,
/// header and cookie values, and the string leaves of a JSON body.
fn sent_values(request: &crate::plan::RequestSpec) -> Vec<String> {
    let mut out: Vec<String> = request
        .path
        .split('/')
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    out.extend(
        request.query.iter().chain(&request.headers).chain(&request.cookies).map(|p| p.1.clone()),
    );
    if let Some(body) = &request.body
        && let Ok(value) = serde_json::from_slice::<Value>(&body.bytes)
    {
        leaves(&value, &mut out);
    }
    out.retain(|v| v.chars().count() >= MIN_SENT);
    // Longest first, so a value is not half-stripped by one it contains.
    out.sort_by_key(|v| std::cmp::Reverse(v.len()));
    out.dedup();
    out
}

fn leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        _ => {}
    }
}

/// The message of a JSON error body: a message-like key at the top or in an `error` object.
fn message(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    for key in MESSAGE_KEYS {
        match map.get(*key) {
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
            Some(inner @ Value::Object(_)) => {
                if let Some(m) = message(inner) {
                    return Some(m);
                }
            }
            _ => {}
        }
    }
    None
}

/// A body's shape with its values left out: `{code,error{kind}}`, `[{id}]`.
fn shape(value: &Value, depth: usize) -> String {
    if depth > 3 {
        return "…".into();
    }
    match value {
        Value::Object(map) => {
            let mut keys: Vec<String> = map
                .iter()
                .take(16)
                .map(|(k, v)| match v {
                    Value::Object(_) | Value::Array(_) => format!("{k}{}", shape(v, depth + 1)),
                    _ => k.clone(),
                })
                .collect();
            keys.sort();
            format!("{{{}}}", keys.join(","))
        }
        Value::Array(items) => match items.first() {
            Some(first) => format!("[{}]", shape(first, depth + 1)),
            None => "[]".into(),
        },
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Null => "null".into(),
    }
}

/// Text with HTML tags left out (error pages).
fn strip_markup(text: &str) -> String {
    if !text.trim_start().starts_with('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The first line with text on it.
fn first_line(text: &str) -> String {
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_owned()
}

/// `raw` with the sent values, quoted text and every word holding a digit replaced, spaces
/// collapsed, cut to [`MAX`].
fn normalise(raw: &str, sent: &[String]) -> String {
    let mut text = raw.to_owned();
    for value in sent {
        if text.contains(value.as_str()) {
            text = text.replace(value.as_str(), "…");
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for c in text.chars() {
        // A quote opens only after a space or punctuation: the apostrophe of `can't` does not.
        let opens = !previous.is_alphanumeric();
        previous = c;
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push('…');
                out.push(c);
            }
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') && opens => {
                quote = Some(c);
                out.push(c);
            }
            None => out.push(if c.is_control() { ' ' } else { c }),
        }
    }
    let words: Vec<&str> = out
        .split_whitespace()
        .map(|w| if w.chars().any(|c| c.is_ascii_digit()) { "#" } else { w })
        .collect();
    let mut joined = words.join(" ");
    if quote.is_some() {
        joined.push('…'); // an unclosed quote: what followed it is left out
    }
    crate::support::text::truncate(&joined, MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(status: u16, body: &str, sent: &[&str]) -> Option<String> {
        let sent: Vec<String> = sent.iter().map(|s| s.to_string()).collect();
        (status >= 500).then(|| of(body.as_bytes(), &sent))
    }

    #[test]
    fn client_errors_and_successes_have_none() {
        assert_eq!(sig(400, r#"{"message":"bad"}"#, &[]), None);
        assert_eq!(sig(200, "ok", &[]), None);
    }

    #[test]
    fn one_cause_with_many_values_is_one_signature() {
        let a = sig(500, r#"{"error":"no row 17 for 'abc'"}"#, &[]);
        let b = sig(500, r#"{"error":"no row 92841 for 'zzzzzz'"}"#, &[]);
        assert_eq!(a, b);
        assert_eq!(a.as_deref(), Some("no row # for '…'"));
        // A value the request sent, echoed unquoted, is stripped too.
        let apostrophe = sig(500, r#"{"error":"can't reach 'db-7'"}"#, &[]);
        assert_eq!(apostrophe.as_deref(), Some("can't reach '…'"));
        let c = sig(500, "Internal error: cannot parse widget-xyz", &["widget-xyz"]);
        let d = sig(500, "Internal error: cannot parse gadget-q", &["gadget-q"]);
        assert_eq!(c, d);
    }

    #[test]
    fn two_causes_are_two_signatures() {
        let sql =
            sig(500, r#"{"detail":"sqlite3.OperationalError: near \"x\": syntax error"}"#, &[]);
        let nul = sig(500, r#"{"detail":"ValueError: embedded null byte"}"#, &[]);
        assert_ne!(sql, nul);
        // Bodies without a message differ by shape, not by value.
        assert_eq!(
            sig(500, r#"{"a":1,"b":[{"c":2}]}"#, &[]),
            sig(500, r#"{"b":[{"c":9}],"a":3}"#, &[])
        );
        assert_ne!(sig(500, r#"{"a":1}"#, &[]), sig(500, r#"{"z":1}"#, &[]));
    }

    #[test]
    fn error_pages_are_read_as_text() {
        let page =
            "<html><head><title>500 Internal Server Error</title></head><body>boom</body></html>";
        assert_eq!(sig(500, page, &[]).as_deref(), Some("# Internal Server Error"));
        assert_eq!(sig(502, "", &[]).as_deref(), Some(""));
    }

    #[test]
    fn sent_values_are_decoded_and_longest_first() {
        let request = crate::plan::RequestSpec {
            path: "/things/a%20b%20c/x".into(),
            query: vec![("q".into(), "long-value".into())],
            headers: vec![],
            cookies: vec![],
            body: Some(crate::plan::Body {
                content_type: "application/json".into(),
                bytes: br#"{"name":"long-value-too","n":12345}"#.to_vec(),
            }),
            auth: crate::plan::AuthMode::Valid,
            secrets: vec![],
            method: None,
        };
        let sent = sent_values(&request);
        assert_eq!(sent[0], "long-value-too");
        assert!(sent.contains(&"a b c".to_owned()) && sent.contains(&"12345".to_owned()));
        assert!(!sent.contains(&"x".to_owned()), "{sent:?}");
    }
}
