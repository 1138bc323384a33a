//! `response_headers_conformance`: the headers a response documents as required are there,
//! every documented header that is sent validates against its schema, and a documented
//! `Location` on a 201 names a path of the spec (under any base path).

use serde_json::Value;

use super::{Context, Failure};

/// The check's name.
pub const NAME: &str = "response_headers_conformance";

/// What a `Location` naming no path of the spec is told.
const NO_ROUTE: &str = "names no path of the spec";

/// Its code, severity and explanation (`gauntlet explain GA111`).
pub const RULE: super::Rule = super::Rule {
    code: "GA111",
    name: NAME,
    severity: super::Severity::Error,
    summary: "required response headers are sent, and each documented header validates against its schema",
    why: "clients read documented headers (Location, rate limits, pagination cursors, ETag); a missing or malformed one breaks them as a bad body does",
    fix: "send the header with a value its schema allows, or document it as optional (required: false) or with the schema it really has",
};

/// Fails when a required header is missing or a documented one does not validate; every
/// such header is named in the details.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // The responses document the operation's own method; `unsupported_method` judges probes.
    if ctx.scenario.kind.is_method_probe() {
        return None;
    }
    let status = ctx.response.status;
    let documented = ctx.operation.response_for(status)?;
    let mut problems = Vec::new();
    for header in &documented.headers {
        let values: Vec<&str> = ctx
            .response
            .headers
            .get_all(header.name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            if header.required {
                problems.push((header.name.as_str(), "missing".to_owned()));
            }
            continue;
        }
        let text = values.join(",");
        let Some(validator) = header.schema.as_ref().and_then(|s| ctx.validators.get(&s.pointer))
        else {
            continue;
        };
        if status == 201 && header.name == "location" && !names_a_route(&text, ctx.routes) {
            let shown = super::excerpt(text.as_bytes(), 80);
            problems.push((header.name.as_str(), format!("'{shown}' {NO_ROUTE}")));
            continue;
        }
        if !readings(&text).iter().any(|v| validator.is_valid(v)) {
            let shown = super::excerpt(text.as_bytes(), 80);
            problems.push((header.name.as_str(), format!("'{shown}' does not validate")));
        }
    }
    let (name, what) = problems.first()?;
    let title = if what == "missing" {
        format!("{status} response lacks required header {name}")
    } else if what.ends_with(NO_ROUTE) {
        format!("{status} response's Location names no path of the spec")
    } else {
        format!("{status} response header {name} violates its schema")
    };
    Some(Failure {
        check: NAME,
        title,
        expected: "every required header, each valid against its schema".into(),
        details: problems.iter().map(|(n, w)| format!("{n}: {w}")).collect(),
    })
}

/// Whether `location` (absolute, or a path reference) names a path of `routes`: its path, or
/// what is left of it once leading segments (the base path) are taken off. With no routes
/// known, anything does.
fn names_a_route(location: &str, routes: &[crate::openapi::PathTemplate]) -> bool {
    if routes.is_empty() {
        return true;
    }
    let base = reqwest::Url::parse("http://gauntlet.invalid/").expect("a valid URL");
    let Ok(url) = base.join(location.trim()) else { return false };
    let segments: Vec<&str> = url.path().trim_start_matches('/').split('/').collect();
    (0..segments.len()).any(|skip| {
        let candidate = format!("/{}", segments[skip..].join("/"));
        routes.iter().any(|r| r.matches(&candidate, false))
    })
}

/// The ways a server's `simple`-style header text can be read: as the string, a number, a
/// boolean, and a comma-separated list of those. A value is valid when one reading is.
fn readings(text: &str) -> Vec<Value> {
    let scalar = |t: &str| -> Vec<Value> {
        let t = t.trim();
        let mut out = vec![Value::String(t.to_owned())];
        if let Ok(n) = t.parse::<i64>() {
            out.push(Value::from(n));
        } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            out.push(Value::Number(n));
        }
        if let Ok(b) = t.parse::<bool>() {
            out.push(Value::Bool(b));
        }
        out
    };
    let mut out = scalar(text);
    // A list reads each item as its most specific scalar (a number where one parses).
    let items: Vec<Value> =
        text.split(',').map(|t| scalar(t).pop().unwrap_or(Value::Null)).collect();
    out.push(Value::Array(items));
    let strings = text.split(',').map(|t| Value::String(t.trim().to_owned())).collect();
    out.push(Value::Array(strings));
    out
}

#[cfg(test)]
mod tests {
    use super::{names_a_route, readings};
    use crate::openapi::PathTemplate;
    use serde_json::json;

    #[test]
    fn a_location_names_a_route_under_any_base_path_absolute_or_not() {
        let routes = [PathTemplate::parse("/things"), PathTemplate::parse("/things/{id}")];
        for good in ["/things/7", "https://api.example.com/v2/things/7", "things/7", "/api/things"]
        {
            assert!(names_a_route(good, &routes), "{good}");
        }
        for bad in ["/widgets/7/parts", "https://x/", "/things/7/extra"] {
            assert!(!names_a_route(bad, &routes), "{bad}");
        }
    }

    #[test]
    fn header_text_is_read_as_string_number_boolean_and_list() {
        let r = readings("12");
        assert!(r.contains(&json!("12")) && r.contains(&json!(12)));
        assert!(readings("true").contains(&json!(true)));
        assert!(readings("1, 2").contains(&json!([1, 2])));
        assert!(readings("a,b").contains(&json!(["a", "b"])));
    }
}
