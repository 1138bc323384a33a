//! Hand-written scenarios from case files (`cases/*.yaml`), with `${VAR}` read from the
//! environment.
//!
//! ```yaml
//! operation: retrieve-sip-endpoint
//! cases:
//!   - name: known endpoint is returned
//!     path: { id: "${SIP_ENDPOINT_ID}" }
//!     expect: { status: 200 }
//! ```
//!
//! Every mistake (unknown key, operation or parameter, unset variable) is an error naming the
//! file and the key; nothing is sent until every case file has been read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::generate::{encode_segment, primitive_text};
use crate::openapi::{Location, Operation};
use crate::plan::{AuthMode, Body, Expectation, Kind, RequestSpec, Scenario};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    operation: String,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    path: BTreeMap<String, Value>,
    #[serde(default)]
    query: BTreeMap<String, Value>,
    #[serde(default)]
    headers: BTreeMap<String, Value>,
    #[serde(default)]
    auth: Option<AuthSetting>,
    #[serde(default)]
    body: Option<Value>,
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
    status: Option<StatusSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
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
    let err = |message: String| Error::Case { path: path.to_owned(), message };
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let file: CaseFile =
        crate::openapi::parse_yaml(&text).map_err(|e| err(one_line(&e.to_string())))?;
    let Some(index) = operations.iter().position(|o| o.id == file.operation) else {
        return Err(err(format!("operation: unknown operation '{}'", file.operation)));
    };
    let op = &operations[index];
    let mut out = Vec::new();
    for (i, case) in file.cases.into_iter().enumerate() {
        let key = |k: &str| format!("cases[{i}].{k}");
        let mut path_text = op.path.clone();
        for (name, value) in &case.path {
            let text = param_text(op, Location::Path, name, value)
                .map_err(|m| err(format!("{}{m}", key("path."))))?;
            path_text = path_text.replace(&format!("{{{name}}}"), &encode_segment(&text));
        }
        if let Some(missing) = op
            .parameters
            .iter()
            .find(|p| p.location == Location::Path && !case.path.contains_key(&p.name))
        {
            return Err(err(format!(
                "{}: path parameter '{}' is required",
                key("path"),
                missing.name
            )));
        }
        let mut query = Vec::new();
        for (name, value) in &case.query {
            let text = param_text(op, Location::Query, name, value)
                .map_err(|m| err(format!("{}{m}", key("query."))))?;
            query.push((name.clone(), text));
        }
        let mut headers = Vec::new();
        for (name, value) in &case.headers {
            let text = interpolate(&primitive_text(value))
                .map_err(|m| err(format!("{}: {m}", key(&format!("headers.{name}")))))?;
            headers.push((name.clone(), text));
        }
        let body = match &case.body {
            None => None,
            Some(v) => {
                let v = interpolate_value(v).map_err(|m| err(format!("{}: {m}", key("body"))))?;
                Some(Body {
                    content_type: "application/json".into(),
                    bytes: serde_json::to_vec(&v).unwrap_or_default(),
                })
            }
        };
        let status = match case.expect.and_then(|e| e.status) {
            None => Vec::new(),
            Some(StatusSpec::One(s)) => vec![s],
            Some(StatusSpec::Many(s)) => s,
        };
        if let Some(bad) = status.iter().find(|s| !(100..=599).contains(*s)) {
            return Err(err(format!("{}: {bad} is not an HTTP status", key("expect.status"))));
        }
        let auth = match case.auth {
            Some(AuthSetting::None) => AuthMode::Omit,
            _ => AuthMode::Valid,
        };
        out.push(Scenario {
            operation: index,
            label: format!("case/{}", case.name),
            kind: Kind::Case { file: path.display().to_string() },
            request: RequestSpec {
                path: path_text,
                query,
                headers,
                cookies: Vec::new(),
                body,
                auth,
            },
            expect: Some(Expectation { status }),
        });
    }
    Ok(out)
}

/// The text of a case's parameter `name`, which the operation must declare at `location`;
/// errors start with the parameter's name (`id: ...`).
fn param_text(
    op: &Operation,
    location: Location,
    name: &str,
    value: &Value,
) -> std::result::Result<String, String> {
    if !op.parameters.iter().any(|p| p.location == location && p.name == name) {
        return Err(format!("{name}: unknown {} parameter of {}", location.as_str(), op.id));
    }
    interpolate(&primitive_text(value)).map_err(|m| format!("{name}: {m}"))
}

fn one_line(message: &str) -> String {
    message.lines().map(str::trim).filter(|l| !l.is_empty()).take(4).collect::<Vec<_>>().join(" ")
}

/// Replaces `${VAR}` with the environment variable's value; an unset variable is an error.
pub fn interpolate(text: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| format!("unclosed '${{' in '{text}'"))?;
        let name = &after[..end];
        let value =
            std::env::var(name).map_err(|_| format!("environment variable {name} is not set"))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
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
        // SAFETY-free: PATH is always set in a test process.
        let path = std::env::var("PATH").unwrap();
        assert_eq!(interpolate("a${PATH}b").unwrap(), format!("a{path}b"));
        assert!(
            interpolate("${GAUNTLET_SURELY_UNSET_VAR}")
                .unwrap_err()
                .contains("GAUNTLET_SURELY_UNSET_VAR")
        );
    }
}
