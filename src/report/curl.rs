//! A `curl` command that reproduces one scenario, credentials read from the environment.

use crate::credentials::{Placement, curl_form};
use crate::openapi::Operation;
use crate::plan::{AuthMode, Capture, CaptureFrom, SecretPlace, Step};

/// Quotes `s` for a POSIX shell (single quotes).
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The `curl` line for one step's request against `base_url`. Credentials appear as
/// `$GAUNTLET_USER` (or `$GAUNTLET_BEARER`, `$GAUNTLET_API_KEY`) when the run has them, never
/// as values.
pub fn curl_line(base_url: &str, op: &Operation, step: &Step, has_credentials: bool) -> String {
    let mut line = request_line(base_url, op, step, has_credentials);
    // Another identity's credentials come from its own variables (`$GAUNTLET_BOB_BEARER`).
    if let Some(name) = &step.identity {
        let upper: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
            .collect();
        for var in ["USER", "BEARER", "API_KEY"] {
            line = line.replace(&format!("GAUNTLET_{var}"), &format!("GAUNTLET_{upper}_{var}"));
        }
    }
    // A chain step takes earlier answers' values from shell variables...
    for used in &step.uses {
        line = line.replace(&used.marker(), &format!("'\"${}\"'", used.name));
    }
    // ...which its producer sets from its own answer (the first capture; `jq` reads a body).
    match step.captures.first() {
        Some(Capture { name, from: CaptureFrom::Body(pointer) }) => {
            format!("{name}=$({line} | jq -r {})", quote(&jq_path(pointer)))
        }
        Some(Capture { name, from: CaptureFrom::Header(h) | CaptureFrom::HeaderTail(h) }) => {
            let tail = matches!(step.captures[0].from, CaptureFrom::HeaderTail(_));
            let strip = if tail { " | sed 's#.*/##'" } else { "" };
            format!(
                "{name}=$({line} -o /dev/null -D - | sed -n {} | tr -d '\\r'{strip})",
                quote(&format!("s/^{h}: *//Ip"))
            )
        }
        _ => line,
    }
}

/// A JSON pointer as a `jq` path (`/data/id` → `.data.id`, `/items/0` → `.items[0]`).
fn jq_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = crate::openapi::unescape(token);
        if token.chars().all(|c| c.is_ascii_digit()) && !token.is_empty() {
            out.push_str(&format!("[{token}]"));
        } else if token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !token.is_empty()
        {
            out.push('.');
            out.push_str(&token);
        } else {
            out.push_str(&format!(".[{}]", serde_json::Value::String(token.clone())));
        }
    }
    if out.is_empty() { ".".into() } else { out }
}

fn request_line(base_url: &str, op: &Operation, step: &Step, has_credentials: bool) -> String {
    let spec = &step.request;
    let method = spec.method.as_deref().unwrap_or(&op.method);
    let mut url = match reqwest::Url::parse(&format!("{base_url}{}", spec.path)) {
        Ok(u) => u,
        Err(_) => {
            return format!("curl -g -X {} {}", method, quote(&format!("{base_url}{}", spec.path)));
        }
    };
    if !spec.query.is_empty() {
        url.query_pairs_mut()
            .extend_pairs(spec.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    let mut args = vec![
        "curl".to_owned(),
        "-sS".to_owned(),
        "-g".to_owned(),
        "-X".to_owned(),
        method.to_owned(),
    ];
    let mut url_text = quote(url.as_str());
    let mut headers: Vec<String> = spec.headers.iter().map(|(k, v)| quote(&header(k, v))).collect();
    let mut cookies: Vec<String> = spec.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for (i, scheme) in op.auth.iter().enumerate() {
        let mode = if i == 0 { spec.auth } else { AuthMode::Valid };
        match curl_form(scheme, mode, has_credentials) {
            Some(Placement::Header(flag, value)) if flag == "-u" => {
                headers.push(format!("-u \"{value}\""))
            }
            Some(Placement::Header(name, value)) => {
                headers.push(format!("\"{}\"", header(&name, &value)))
            }
            Some(Placement::Query(name, value)) => {
                let sep = if url.query().is_some() { '&' } else { '?' };
                url_text.push_str(&format!("\"{sep}{name}={value}\""));
            }
            Some(Placement::Cookie(name, value)) => cookies.push(format!("{name}={value}")),
            None => {}
        }
    }
    for secret in &spec.secrets {
        let value = shell_double_quoted(&secret.template);
        match secret.place {
            SecretPlace::Header => headers.push(format!("\"{}\"", header(&secret.name, &value))),
            SecretPlace::Query => {
                let sep = if url.query().is_some() || url_text.contains("\"?") { '&' } else { '?' };
                url_text.push_str(&format!("\"{sep}{}={value}\"", secret.name));
            }
            SecretPlace::Cookie => cookies.push(format!("{}={value}", secret.name)),
        }
    }
    args.push(url_text);
    for h in headers {
        if h.starts_with("-u ") {
            args.push(h);
        } else {
            args.push(format!("-H {h}"));
        }
    }
    if !cookies.is_empty() {
        args.push(format!("-H \"Cookie: {}\"", cookies.join("; ")));
    }
    let mut piped = None;
    if let Some(body) = &spec.body {
        // `Content-Type:` with no value makes curl send none (its default would be a form).
        args.push(format!("-H {}", quote(&format!("Content-Type: {}", body.content_type))));
        match std::str::from_utf8(&body.bytes) {
            Ok(text) if !text.contains('\0') => {
                args.push(format!("--data-binary {}", quote(text)));
            }
            // Bytes that are not text go through `printf` as octal escapes, exactly.
            _ => {
                piped = Some(format!("printf '{}' |", octal(&body.bytes)));
                args.push("--data-binary @-".into());
            }
        }
    }
    piped.into_iter().chain(args).collect::<Vec<_>>().join(" ")
}

/// `bytes` as a `printf` format that writes them back exactly: printable ASCII as itself
/// (`%` doubled), every other byte, `\` and `'` too, as an octal escape (`\000`).
fn octal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        match b {
            b'%' => out.push_str("%%"),
            0x20..=0x7e if b != b'\\' && b != b'\'' => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out
}

/// `template` for the inside of a double-quoted shell word: its `${VAR}` references are
/// left for the shell to expand, anything else that the shell would read is escaped.
fn shell_double_quoted(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => out.push('$'),
            '$' | '"' | '\\' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `Name: value`, or curl's `Name;` for an empty value.
fn header(name: &str, value: &str) -> String {
    if value.is_empty() { format!("{name};") } else { format!("{name}: {value}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::SecurityScheme;
    use crate::plan::{AuthBreak, Kind, RequestSpec, Scenario};

    fn op() -> Operation {
        Operation {
            id: "op".into(),
            method: "GET".into(),
            path: crate::openapi::PathTemplate::parse("/e/{id}"),
            pointer: String::new(),
            parameters: vec![],
            request_body: None,
            responses: vec![],
            auth: vec![SecurityScheme::Basic],
            auth_alternatives: vec![vec![SecurityScheme::Basic]],
        }
    }

    fn scenario(auth: AuthMode) -> Step {
        let request = RequestSpec {
            path: "/e/it's".into(),
            query: vec![("q".into(), "a b&c".into())],
            headers: vec![],
            cookies: vec![],
            body: None,
            auth,
            secrets: vec![],
            method: None,
        };
        Scenario::single(0, "l".into(), Kind::Positive, request).steps.remove(0)
    }

    #[test]
    fn curl_lines_quote_values_and_read_secrets_from_the_environment() {
        let line = curl_line("http://127.0.0.1:9/api", &op(), &scenario(AuthMode::Valid), true);
        assert_eq!(
            line,
            r#"curl -sS -g -X GET 'http://127.0.0.1:9/api/e/it'\''s?q=a+b%26c' -u "$GAUNTLET_USER""#
        );
        let wrong =
            curl_line("http://h", &op(), &scenario(AuthMode::Broken(AuthBreak::WrongToken)), true);
        assert!(wrong.ends_with(r#"-u "${GAUNTLET_USER%%:*}:gauntlet-wrong-token""#), "{wrong}");
        let none = curl_line("http://h", &op(), &scenario(AuthMode::Omit), true);
        assert!(!none.contains("-u") && !none.contains("Authorization"), "{none}");
    }

    #[test]
    fn a_body_that_is_not_text_is_piped_through_printf_byte_for_byte() {
        let bytes: Vec<u8> = b"{\"a\":\"%s\\' \xff\x00\"}".to_vec();
        let mut step = scenario(AuthMode::Omit);
        let body = crate::plan::Body { content_type: String::new(), bytes: bytes.clone() };
        step.request.body = Some(body);
        let line = curl_line("http://h", &op(), &step, false);
        assert!(line.contains("-H 'Content-Type: ' --data-binary @-"), "{line}");
        let printf = line.split(" | curl").next().expect("a pipe");
        let out = std::process::Command::new("sh").arg("-c").arg(printf).output().expect("sh runs");
        assert_eq!(out.stdout, bytes, "{printf}");
    }
}
