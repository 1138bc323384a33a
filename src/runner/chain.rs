//! The values a chain carries from one step to the next: what each answer gives
//! ([`captured`]) and the next requests with them in place of their markers ([`filled`]).

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::http::Response;
use crate::openapi::Operation;
use crate::plan::{CaptureFrom, Step, text};

/// The values `step`'s captures read from its answer (or its own request), those it finds.
pub fn captured(step: &Step, op: &Operation, response: &Response) -> Vec<(String, Value)> {
    captured_by(&step.captures, step, op, response)
}

/// The values `captures` read from `step`'s answer (or its own request), those it finds.
pub fn captured_by(
    captures: &[crate::plan::Capture],
    step: &Step,
    op: &Operation,
    response: &Response,
) -> Vec<(String, Value)> {
    if captures.is_empty() {
        return Vec::new();
    }
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let header = |name: &str| response.headers.get(name)?.to_str().ok().map(str::to_owned);
    captures
        .iter()
        .filter_map(|c| {
            let value = match &c.from {
                CaptureFrom::Body(pointer) => body.as_ref()?.pointer(pointer)?.clone(),
                CaptureFrom::Header(name) => Value::String(header(name)?),
                CaptureFrom::HeaderTail(name) => {
                    let url = header(name)?;
                    let path = url.split(['?', '#']).next()?.trim_end_matches('/').to_owned();
                    let tail = path.rsplit('/').next().filter(|t| !t.is_empty())?;
                    let decoded = percent_encoding::percent_decode_str(tail).decode_utf8().ok()?;
                    Value::String(decoded.into_owned())
                }
                CaptureFrom::Request(key) => {
                    let inputs = step.inputs(op);
                    Value::String(inputs.into_iter().find(|(k, _)| k == key)?.1)
                }
                CaptureFrom::Constant(value) => value.clone(),
            };
            // An id that is nothing (null, an object) names no resource.
            match &value {
                Value::Null | Value::Object(_) | Value::Array(_) => None,
                Value::String(s) if s.is_empty() => None,
                _ => Some((c.name.clone(), value)),
            }
        })
        .collect()
}

/// Why a chain step is not sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// No earlier answer gave these values.
    Missing(Vec<String>),
    /// A value was given, but the parameter it goes into does not take it (its name, the
    /// value as text).
    Unfit(String, String),
}

/// `step` with each value it uses in place of its marker, or why it cannot be sent;
/// `fits(site, value)` says whether the step's parameter takes the value.
pub fn filled<'s>(
    step: &'s Step,
    values: &HashMap<String, Value>,
    fits: impl Fn(&crate::plan::Site, &Value) -> bool,
) -> Result<Cow<'s, Step>, Stop> {
    if step.uses.is_empty() {
        return Ok(Cow::Borrowed(step));
    }
    let missing: Vec<String> = step
        .uses
        .iter()
        .filter(|u| !values.contains_key(&u.name))
        .map(|u| u.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Stop::Missing(missing));
    }
    let mut out = step.clone();
    for used in &step.uses {
        let value = &values[&used.name];
        if !fits(&used.into, value) {
            return Err(Stop::Unfit(used.name.clone(), text(value)));
        }
        let marker = used.marker();
        let as_text = text(value);
        let r = &mut out.request;
        r.path = r.path.replace(&marker, &crate::generate::encode_segment(&as_text));
        for (_, v) in r.query.iter_mut().chain(r.headers.iter_mut()).chain(r.cookies.iter_mut()) {
            if v.contains(&marker) {
                *v = v.replace(&marker, &as_text);
            }
        }
        if let Some(body) = &mut r.body
            && let Ok(mut json) = serde_json::from_slice::<Value>(&body.bytes)
            && replace_marker(&mut json, &marker, value)
        {
            body.bytes = serde_json::to_vec(&json).unwrap_or_default();
        }
    }
    Ok(Cow::Owned(out))
}

/// Whether operation `op`'s parameter at `site` takes `value` (a text that is a number is
/// taken as the number too: a `Location`'s id is text); `true` where nothing says otherwise.
pub fn fits(
    op: &Operation,
    validators: &crate::schema::Validators,
    site: &crate::plan::Site,
    value: &Value,
) -> bool {
    use crate::openapi::Location;
    use crate::plan::Site;
    let (location, name) = match site {
        Site::Path(n) => (Location::Path, n),
        Site::Query(n) => (Location::Query, n),
        Site::Header(n) => (Location::Header, n),
        Site::Body(_) => return true,
    };
    let Some(param) = op.parameters.iter().find(|p| p.location == location && &p.name == name)
    else {
        return true;
    };
    let Some(validator) = param.schema.as_ref().and_then(|s| validators.get(&s.pointer)) else {
        return true;
    };
    let number = match value {
        Value::String(s) => serde_json::from_str::<Value>(s).ok().filter(Value::is_number),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    };
    validator.is_valid(value) || number.is_some_and(|n| validator.is_valid(&n))
}

/// Puts `value` wherever `json` holds the string `marker`; whether it found one.
fn replace_marker(json: &mut Value, marker: &str, value: &Value) -> bool {
    match json {
        Value::String(s) if s == marker => {
            *json = value.clone();
            true
        }
        // Every place is filled, so no short circuit.
        Value::Array(items) => {
            let mut found = false;
            for v in items {
                found |= replace_marker(v, marker, value);
            }
            found
        }
        Value::Object(map) => {
            let mut found = false;
            for v in map.values_mut() {
                found |= replace_marker(v, marker, value);
            }
            found
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Body, Site, Use};

    #[test]
    fn a_used_value_takes_its_marker_s_place_in_path_query_and_body() {
        let used = Use { name: "thing_id".into(), into: Site::Path("id".into()) };
        let marker = used.marker();
        let mut request = crate::plan::RequestSpec {
            path: format!("/things/{marker}"),
            query: vec![("of".into(), marker.clone())],
            headers: vec![],
            cookies: vec![],
            body: Some(Body {
                content_type: "application/json".into(),
                bytes: format!("{{\"ref\":\"{marker}\"}}").into_bytes(),
            }),
            auth: crate::plan::AuthMode::Valid,
            secrets: vec![],
            method: None,
        };
        request.headers.push(("X".into(), "y".into()));
        let mut step = Step::new(0, request);
        step.uses.push(used);
        let mut values = HashMap::new();
        let any = |_: &Site, _: &Value| true;
        assert_eq!(filled(&step, &values, any).err(), Some(Stop::Missing(vec!["thing_id".into()])));
        values.insert("thing_id".into(), serde_json::json!(7));
        let none = |_: &Site, _: &Value| false;
        assert_eq!(
            filled(&step, &values, none).err(),
            Some(Stop::Unfit("thing_id".into(), "7".into()))
        );
        let filled = filled(&step, &values, any).unwrap();
        assert_eq!(filled.request.path, "/things/7");
        assert_eq!(filled.request.query[0].1, "7");
        assert_eq!(filled.request.body.as_ref().unwrap().bytes, b"{\"ref\":7}".to_vec());
    }
}
