//! Hand-written scenarios from case files (`cases/*.yaml`), with `${VAR}` and
//! `${VAR:-default}` read from the environment.
//!
//! ```yaml
//! operation: retrieve-sip-endpoint
//! cases:
//!   - name: known endpoint is returned
//!     path: { id: "${SIP_ENDPOINT_ID}" }
//!     expect:
//!       status: 200
//!       body: { /id: "${SIP_ENDPOINT_ID}" }
//!       headers: { content-type: application/json }
//!       max_ms: 2000
//! ```
//!
//! Every mistake (unknown key, operation or parameter, unset variable, a pointer that is not a
//! JSON pointer) is an error naming the file, the line and the key; nothing is sent until every
//! case file has been read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{Error, Result};
use crate::generate::{encode_segment, primitive_text};
use crate::openapi::{ApiKeyLocation, Location, Operation, SecurityScheme};
use crate::plan::{AuthMode, Body, Expectation, Kind, RequestSpec, Scenario, Secret, SecretPlace};

/// How the error for a case file naming an operation the spec lacks begins (a folder used by
/// default skips such files).
pub const UNKNOWN_OPERATION: &str = "operation: unknown operation";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    operation: Spanned<String>,
    cases: Vec<Spanned<Case>>,
}

type Map = BTreeMap<String, Spanned<Value>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    path: Map,
    #[serde(default)]
    query: Map,
    #[serde(default)]
    headers: Map,
    /// Further headers whose values are secrets (beyond `Authorization`, `Cookie`,
    /// `Proxy-Authorization` and those a security scheme names).
    #[serde(default)]
    secret: Vec<String>,
    #[serde(default)]
    auth: Option<AuthSetting>,
    #[serde(default)]
    body: Option<Spanned<Value>>,
    #[serde(default)]
    expect: Option<Expect>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum AuthSetting {
    None,
    Valid,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    status: Option<Spanned<StatusSpec>>,
    #[serde(default)]
    body: Map,
    #[serde(default)]
    headers: Map,
    #[serde(default)]
    max_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "expect.status takes a status (200) or a list of statuses ([200, 404])"
)]
enum StatusSpec {
    One(u16),
    Many(Vec<u16>),
}

/// The case files under `path` (a file, or a folder read for `*.yaml` / `*.yml`, sorted).
pub fn files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    out.sort();
    Ok(out)
}

/// Reads one case file into scenarios for `operations`.
pub fn load(path: &Path, operations: &[Operation]) -> Result<Vec<Scenario>> {
    let err =
        |line: Option<u32>, message: String| Error::Case { path: path.to_owned(), line, message };
    let text = crate::support::fs::read_text(path)?;
    let file: CaseFile = crate::openapi::parse_yaml(&text).map_err(|e| {
        let (line, message) = crate::openapi::yaml_error(&e);
        err(line, message)
    })?;
    let Some(index) = operations.iter().position(|o| o.id == file.operation.value) else {
        return Err(err(
            Some(file.operation.referenced.line() as u32),
            format!("{UNKNOWN_OPERATION} '{}'", file.operation.value),
        ));
    };
    let op = &operations[index];
    let mut out = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (i, case) in file.cases.into_iter().enumerate() {
        let case_line = case.referenced.line() as u32;
        let case = case.value;
        // Names make the scenario labels: two alike would be one test to every report.
        if !names.insert(case.name.clone()) {
            return Err(err(
                Some(case_line),
                format!("cases[{i}].name: '{}' names another case of this file", case.name),
            ));
        }
        // An error at `key`, on the line of `at` (or of the case).
        let fail = |key: &str, at: Option<&Spanned<Value>>, message: String| {
            let line = at.map_or(case_line, |s| s.referenced.line() as u32);
            err(Some(line), format!("cases[{i}].{key}: {message}"))
        };
        let mut segments = std::collections::HashMap::new();
        for (name, value) in &case.path {
            let text = param_text(op, Location::Path, name, &value.value)
                .map_err(|m| fail(&format!("path.{name}"), Some(value), m))?;
            segments.insert(name.as_str(), encode_segment(&text));
        }
        let path_text = op.path.render(|name| segments.get(name).cloned());
        if let Some(missing) = op
            .parameters
            .iter()
            .find(|p| p.location == Location::Path && !case.path.contains_key(&p.name))
        {
            return Err(fail(
                "path",
                None,
                format!("path parameter '{}' is required", missing.name),
            ));
        }
        // Values from the environment in credential-bearing places stay templates: read at
        // send time, never written into the plan or a report.
        let mut secrets = Vec::new();
        let mut query = Vec::new();
        for (name, value) in &case.query {
            let text = param_text(op, Location::Query, name, &value.value)
                .map_err(|m| fail(&format!("query.{name}"), Some(value), m))?;
            let raw = primitive_text(&value.value);
            if raw.contains("${") && names_key(op, ApiKeyLocation::Query, name) {
                secrets.push(Secret {
                    place: SecretPlace::Query,
                    name: name.clone(),
                    template: raw,
                });
            } else {
                query.push((name.clone(), text));
            }
        }
        if let Some(unknown) =
            case.secret.iter().find(|s| !case.headers.keys().any(|h| h.eq_ignore_ascii_case(s)))
        {
            return Err(fail("secret", None, format!("'{unknown}' is not a header of this case")));
        }
        let mut headers = Vec::new();
        for (name, text) in header_values(&case.headers, "headers", &fail)? {
            let raw = case.headers.get(&name).map(|v| primitive_text(&v.value)).unwrap_or_default();
            let secret = CREDENTIAL_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(&name))
                || case.secret.iter().any(|s| s.eq_ignore_ascii_case(&name))
                || names_key(op, ApiKeyLocation::Header, &name);
            if secret && raw.contains("${") {
                secrets.push(Secret { place: SecretPlace::Header, name, template: raw });
            } else {
                headers.push((name, text));
            }
        }
        let body = match &case.body {
            None => None,
            Some(v) => {
                let value = interpolate_value(&v.value).map_err(|m| fail("body", Some(v), m))?;
                Some(Body {
                    content_type: "application/json".into(),
                    bytes: serde_json::to_vec(&value).unwrap_or_default(),
                })
            }
        };
        let expect = match case.expect {
            None => Expectation::default(),
            Some(expect) => {
                let status = match &expect.status {
                    None => Vec::new(),
                    Some(s) => {
                        let list = match &s.value {
                            StatusSpec::One(s) => vec![*s],
                            StatusSpec::Many(s) => s.clone(),
                        };
                        if list.is_empty() {
                            return Err(err(
                                Some(s.referenced.line() as u32),
                                format!(
                                    "cases[{i}].expect.status: an empty list allows no status; leave it out to allow any"
                                ),
                            ));
                        }
                        if let Some(bad) = list.iter().find(|s| !(100..=599).contains(*s)) {
                            return Err(err(
                                Some(s.referenced.line() as u32),
                                format!("cases[{i}].expect.status: {bad} is not an HTTP status"),
                            ));
                        }
                        list
                    }
                };
                let mut body = Vec::new();
                for (pointer, value) in &expect.body {
                    let key = format!("expect.body.{pointer}");
                    if !pointer.is_empty() && !pointer.starts_with('/') {
                        return Err(fail(
                            &key,
                            Some(value),
                            "not a JSON pointer (write /id, /items/0/name)".into(),
                        ));
                    }
                    let v =
                        interpolate_value(&value.value).map_err(|m| fail(&key, Some(value), m))?;
                    body.push((pointer.clone(), v));
                }
                let headers = header_values(&expect.headers, "expect.headers", &fail)?;
                Expectation { status, body, headers, max_ms: expect.max_ms }
            }
        };
        let auth = match case.auth {
            Some(AuthSetting::None) => AuthMode::Omit,
            _ => AuthMode::Valid,
        };
        let request = RequestSpec {
            path: path_text,
            query,
            headers,
            cookies: Vec::new(),
            body,
            auth,
            secrets,
            method: None,
        };
        let kind = Kind::Case { file: path.display().to_string() };
        let mut scenario = Scenario::single(index, format!("case/{}", case.name), kind, request);
        scenario.first_mut().expect = Some(expect);
        out.push(scenario);
    }
    Ok(out)
}

/// The text of a case's parameter `name`, which the operation must declare at `location`.
fn param_text(
    op: &Operation,
    location: Location,
    name: &str,
    value: &Value,
) -> std::result::Result<String, String> {
    if !op.parameters.iter().any(|p| p.location == location && p.name == name) {
        return Err(format!("unknown {} parameter of {}", location.as_str(), op.id));
    }
    interpolate(&primitive_text(value))
}

/// Header names and values of `map` (under `key` in the case), names checked and values
/// interpolated; `fail` makes the error for a key.
fn header_values(
    map: &Map,
    key: &str,
    fail: &impl Fn(&str, Option<&Spanned<Value>>, String) -> Error,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, value) in map {
        let key = format!("{key}.{name}");
        reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| fail(&key, Some(value), format!("'{name}' is not an HTTP header name")))?;
        let text =
            interpolate(&primitive_text(&value.value)).map_err(|m| fail(&key, Some(value), m))?;
        // Caught here, not at send time; the value is not quoted (it may be a secret).
        if text.contains(['\r', '\n']) {
            return Err(fail(&key, Some(value), "holds a line break, which no header can".into()));
        }
        out.push((name.clone(), text));
    }
    Ok(out)
}

pub use crate::support::env::interpolate;

/// Headers whose values are credentials whatever the spec says.
const CREDENTIAL_HEADERS: &[&str] = &["Authorization", "Proxy-Authorization", "Cookie"];

/// Whether one of `op`'s security schemes is an API key named `name` at `location`.
fn names_key(op: &Operation, location: ApiKeyLocation, name: &str) -> bool {
    op.auth.iter().any(|a| {
        matches!(a, SecurityScheme::ApiKey { name: n, location: l } if *l == location && n.eq_ignore_ascii_case(name))
    })
}

fn interpolate_value(value: &Value) -> std::result::Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(interpolate(s)?),
        Value::Array(items) => Value::Array(
            items.iter().map(interpolate_value).collect::<std::result::Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), interpolate_value(v)?)))
                .collect::<std::result::Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_reads_the_environment_and_names_unset_variables() {
        // PATH is always set in a test process.
        let path = std::env::var("PATH").unwrap();
        assert_eq!(interpolate("a${PATH}b").unwrap(), format!("a{path}b"));
        assert_eq!(interpolate("a${PATH:-x}b").unwrap(), format!("a{path}b"));
        assert_eq!(interpolate("${GAUNTLET_SURELY_UNSET_VAR:-x-y}").unwrap(), "x-y");
        assert!(
            interpolate("${GAUNTLET_SURELY_UNSET_VAR}")
                .unwrap_err()
                .contains("GAUNTLET_SURELY_UNSET_VAR")
        );
        assert!(interpolate("${A B}").unwrap_err().contains("does not name"));
    }
}
