//! Building the operation model from a loaded document.

use std::collections::HashSet;

use serde_json::Value;

use super::PathTemplate;
use super::load::Spec;
use super::model::{
    ApiKeyLocation, Location, MediaType, Operation, Parameter, RequestBody, Response,
    ResponseHeader, SchemaRef, SecurityScheme, StatusKey,
};
use super::pointer::{escape, resolve_ref};
use crate::error::{Error, Result};

const METHODS: &[&str] =
    &["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// Headers OpenAPI says a parameter may not describe; credentials are handled apart.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Every operation under `paths`, in document order.
pub fn operations(spec: &Spec) -> Result<Vec<Operation>> {
    let doc = &spec.doc;
    let err = |pointer: &str, message: String| Error::Spec {
        path: spec.path.clone(),
        pointer: spec.written(&format!("#{pointer}")),
        message,
    };
    let Some(paths) = doc.get("paths") else { return Ok(Vec::new()) };
    let paths = paths.as_object().ok_or_else(|| err("/paths", "is not a mapping".into()))?;
    let mut ops = Vec::new();
    let mut seen_ids = HashSet::new();
    for (template, item) in paths {
        let item_ptr = format!("/paths/{}", escape(template));
        // A path item may be a `$ref` (to a bundled file, say): its schemas are found where
        // it really is, while reports name it by its place under `paths`.
        let (item, resolved) = resolve_ref(doc, item).map_err(|m| err(&item_ptr, m))?;
        let real_item = resolved.unwrap_or_else(|| item_ptr.clone());
        let Some(item_map) = item.as_object() else { continue };
        let shared = item_map.get("parameters");
        // The fixed methods (3.2 adds `query`), then 3.2's `additionalOperations` by name.
        let mut entries: Vec<(String, &Value, String)> = METHODS
            .iter()
            .filter_map(|m| {
                let op = item_map.get(*m).filter(|o| o.is_object())?;
                Some((m.to_uppercase(), op, (*m).to_owned()))
            })
            .collect();
        if let Some(Value::Object(extra)) = item_map.get("additionalOperations") {
            for (name, op) in extra.iter().filter(|(_, o)| o.is_object()) {
                let key = format!("additionalOperations/{}", escape(name));
                entries.push((name.to_uppercase(), op, key));
            }
        }
        for (method, op, key) in entries {
            let pointer = format!("{item_ptr}/{key}");
            let real = format!("{real_item}/{key}");
            let params = parameters(doc, template, shared, op.get("parameters"), &real_item, &real)
                .map_err(|(p, m)| err(&p, m))?;
            let mut id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{method} {template}"));
            if !seen_ids.insert(id.clone()) {
                let base = id.clone();
                let mut n = 2;
                while !seen_ids.insert(format!("{base}#{n}")) {
                    n += 1;
                }
                id = format!("{base}#{n}");
            }
            let declares_auth_header = params.1;
            let auth_alternatives = alternatives(doc, op);
            ops.push(Operation {
                id,
                method,
                path: PathTemplate::parse(template),
                request_body: request_body(doc, op.get("requestBody"), &real)
                    .map_err(|(p, m)| err(&p, m))?,
                responses: responses(doc, op.get("responses"), &real)
                    .map_err(|(p, m)| err(&p, m))?,
                auth: security(doc, op, &auth_alternatives, declares_auth_header),
                auth_alternatives,
                parameters: params.0,
                pointer,
            });
        }
    }
    Ok(ops)
}

type Located<T> = std::result::Result<T, (String, String)>;

/// Merges path-level and operation-level parameters; returns them and whether an
/// `Authorization` header parameter was declared.
fn parameters(
    doc: &Value,
    template: &str,
    shared: Option<&Value>,
    own: Option<&Value>,
    item_ptr: &str,
    op_ptr: &str,
) -> Located<(Vec<Parameter>, bool)> {
    let mut merged: Vec<Parameter> = Vec::new();
    let mut auth_header = false;
    let lists = [(shared, format!("{item_ptr}/parameters")), (own, format!("{op_ptr}/parameters"))];
    for (list, base) in lists {
        let Some(list) = list.and_then(Value::as_array) else { continue };
        for (i, raw) in list.iter().enumerate() {
            let at = format!("{base}/{i}");
            let (param, target) = resolve_ref(doc, raw).map_err(|m| (at.clone(), m))?;
            let at = target.unwrap_or(at);
            let name = param.get("name").and_then(Value::as_str);
            let location = param.get("in").and_then(Value::as_str).and_then(Location::parse);
            let (Some(name), Some(location)) = (name, location) else {
                return Err((
                    at,
                    "parameter needs a 'name' and an 'in' of path, query, header or cookie".into(),
                ));
            };
            if location == Location::Header
                && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            {
                auth_header |= name.eq_ignore_ascii_case("authorization");
                continue;
            }
            if location == Location::Path && !template.contains(&format!("{{{name}}}")) {
                continue;
            }
            let schema = if param.get("schema").is_some() {
                Some(SchemaRef { pointer: format!("{at}/schema") })
            } else {
                media_types(doc, param.get("content"), &format!("{at}/content"))?
                    .into_iter()
                    .find_map(|m| m.schema)
            };
            let style =
                param.get("style").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(
                    || {
                        match location {
                            Location::Path | Location::Header => "simple",
                            Location::Query | Location::Cookie => "form",
                        }
                        .to_owned()
                    },
                );
            let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
            let parsed = Parameter {
                name: name.to_owned(),
                location,
                required: location == Location::Path
                    || param.get("required").and_then(Value::as_bool).unwrap_or(false),
                schema,
                style,
                explode,
            };
            merged.retain(|p| !(p.name == parsed.name && p.location == parsed.location));
            merged.push(parsed);
        }
    }
    // A template variable nobody declared still needs a value.
    for var in PathTemplate::parse(template).vars() {
        if !merged.iter().any(|p| p.location == Location::Path && p.name == var) {
            merged.push(Parameter {
                name: var.to_owned(),
                location: Location::Path,
                required: true,
                schema: None,
                style: "simple".into(),
                explode: false,
            });
        }
    }
    Ok((merged, auth_header))
}

fn media_types(doc: &Value, content: Option<&Value>, at: &str) -> Located<Vec<MediaType>> {
    let Some(content) = content.and_then(Value::as_object) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for (name, media) in content {
        let media_at = format!("{at}/{}", escape(name));
        let (media, target) = resolve_ref(doc, media).map_err(|m| (media_at.clone(), m))?;
        let media_at = target.unwrap_or(media_at);
        out.push(MediaType {
            name: name.to_ascii_lowercase(),
            schema: media
                .get("schema")
                .map(|_| SchemaRef { pointer: format!("{media_at}/schema") }),
            encoding: media
                .get("encoding")
                .and_then(Value::as_object)
                .map(|e| {
                    e.iter()
                        .filter_map(|(k, v)| {
                            let ty = v.get("contentType")?.as_str()?;
                            Some((k.clone(), ty.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            streamed: media.get("itemSchema").is_some() && media.get("schema").is_none(),
        });
    }
    Ok(out)
}

fn request_body(doc: &Value, body: Option<&Value>, op_ptr: &str) -> Located<Option<RequestBody>> {
    let Some(body) = body else { return Ok(None) };
    let at = format!("{op_ptr}/requestBody");
    let (body, target) = resolve_ref(doc, body).map_err(|m| (at.clone(), m))?;
    let at = target.unwrap_or(at);
    Ok(Some(RequestBody {
        required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
        content: media_types(doc, body.get("content"), &format!("{at}/content"))?,
    }))
}

fn responses(doc: &Value, responses: Option<&Value>, op_ptr: &str) -> Located<Vec<Response>> {
    let Some(responses) = responses.and_then(Value::as_object) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for (key, response) in responses {
        let at = format!("{op_ptr}/responses/{}", escape(key));
        let status = match key.as_str() {
            "default" => StatusKey::Default,
            k if k.len() == 3 && k[1..].eq_ignore_ascii_case("xx") => match k[..1].parse() {
                Ok(d @ 1..=5) => StatusKey::Range(d),
                _ => return Err((at, format!("'{k}' is not a status code range"))),
            },
            k => match k.parse() {
                Ok(code @ 100..=599) => StatusKey::Exact(code),
                _ if k.starts_with("x-") => continue,
                _ => return Err((at, format!("'{k}' is not a status code"))),
            },
        };
        let (response, target) = resolve_ref(doc, response).map_err(|m| (at.clone(), m))?;
        let at = target.unwrap_or(at);
        out.push(Response {
            status,
            content: media_types(doc, response.get("content"), &format!("{at}/content"))?,
            headers: response_headers(doc, response.get("headers"), &format!("{at}/headers"))?,
        });
    }
    Ok(out)
}

/// The headers a response documents, `$ref`s to `components/headers` resolved.
fn response_headers(
    doc: &Value,
    headers: Option<&Value>,
    at: &str,
) -> Located<Vec<ResponseHeader>> {
    let Some(headers) = headers.and_then(Value::as_object) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for (name, header) in headers {
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let header_at = format!("{at}/{}", escape(name));
        let (header, target) = resolve_ref(doc, header).map_err(|m| (header_at.clone(), m))?;
        let header_at = target.unwrap_or(header_at);
        let schema = if header.get("schema").is_some() {
            Some(format!("{header_at}/schema"))
        } else {
            let content = header.get("content").and_then(Value::as_object);
            content
                .and_then(|c| c.iter().next())
                .filter(|(_, m)| m.get("schema").is_some())
                .map(|(media, _)| format!("{header_at}/content/{}/schema", escape(media)))
        };
        out.push(ResponseHeader {
            name: name.to_ascii_lowercase(),
            required: header.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: schema.map(|pointer| SchemaRef { pointer }),
        });
    }
    Ok(out)
}

/// The `tokenUrl` of the first OAuth2 scheme in `components.securitySchemes` with `flow`
/// (`clientCredentials`, `password`), and that scheme's name.
pub fn token_url(doc: &Value, flow: &str) -> Option<(String, String)> {
    let schemes = doc.pointer("/components/securitySchemes").and_then(Value::as_object)?;
    schemes.iter().find_map(|(name, raw)| {
        let (raw, _) = resolve_ref(doc, raw).ok()?;
        if raw.get("type").and_then(Value::as_str) != Some("oauth2") {
            return None;
        }
        let url = raw.get("flows")?.get(flow)?.get("tokenUrl")?.as_str()?;
        Some((name.clone(), url.to_owned()))
    })
}

/// The scheme named `name` in `components.securitySchemes`.
fn scheme(doc: &Value, name: &str) -> SecurityScheme {
    let schemes = doc.pointer("/components/securitySchemes").and_then(Value::as_object);
    let Some(raw) = schemes.and_then(|s| s.get(name)) else {
        return SecurityScheme::Unsupported(format!("undeclared scheme '{name}'"));
    };
    let Ok((raw, _)) = resolve_ref(doc, raw) else {
        return SecurityScheme::Unsupported(name.to_owned());
    };
    parse_scheme(raw).unwrap_or_else(|| SecurityScheme::Unsupported(name.to_owned()))
}

/// Every alternative of the operation's `security` (or the document's), as written.
fn alternatives(doc: &Value, op: &Value) -> Vec<Vec<SecurityScheme>> {
    let requirements = op.get("security").or_else(|| doc.get("security")).and_then(Value::as_array);
    let Some(alternatives) = requirements else { return Vec::new() };
    alternatives
        .iter()
        .filter_map(Value::as_object)
        .map(|alt| {
            let mut schemes: Vec<SecurityScheme> = alt.keys().map(|k| scheme(doc, k)).collect();
            schemes.dedup();
            schemes
        })
        .collect()
}

/// The credentials an operation requires: the first alternative gauntlet can send (see
/// [`super::model::sendable`]), else the first as written.
fn security(
    doc: &Value,
    op: &Value,
    options: &[Vec<SecurityScheme>],
    declares_auth_header: bool,
) -> Vec<SecurityScheme> {
    let schemes = doc.pointer("/components/securitySchemes").and_then(Value::as_object);
    let requirements = op.get("security").or_else(|| doc.get("security")).and_then(Value::as_array);
    match requirements {
        Some(list) if !list.is_empty() => {
            if options.iter().any(Vec::is_empty) {
                return Vec::new(); // `{}`: credentials are optional
            }
            if let Some(alt) = options.iter().find(|o| super::model::sendable(o)) {
                return alt.clone();
            }
            let unsupported =
                options.iter().flatten().find(|s| matches!(s, SecurityScheme::Unsupported(_)));
            vec![unsupported.cloned().unwrap_or_else(|| {
                SecurityScheme::Unsupported(
                    "two schemes in the Authorization header at once".into(),
                )
            })]
        }
        Some(_) => Vec::new(),
        None if declares_auth_header => {
            // The seed's shape: an `Authorization` header parameter and an http scheme that no
            // requirement names. Treat the scheme as required.
            let found = schemes.into_iter().flat_map(|s| s.values()).filter_map(parse_scheme);
            let http: Vec<_> = found
                .filter(|s| matches!(s, SecurityScheme::Basic | SecurityScheme::Bearer))
                .collect();
            http.into_iter().take(1).collect()
        }
        None => Vec::new(),
    }
}

fn parse_scheme(raw: &Value) -> Option<SecurityScheme> {
    let kind = raw.get("type")?.as_str()?;
    Some(match kind {
        "http" => match raw.get("scheme")?.as_str()?.to_ascii_lowercase().as_str() {
            "basic" => SecurityScheme::Basic,
            "bearer" => SecurityScheme::Bearer,
            other => SecurityScheme::Unsupported(format!("http {other}")),
        },
        "apiKey" => SecurityScheme::ApiKey {
            name: raw.get("name")?.as_str()?.to_owned(),
            location: match raw.get("in")?.as_str()? {
                "header" => ApiKeyLocation::Header,
                "query" => ApiKeyLocation::Query,
                "cookie" => ApiKeyLocation::Cookie,
                _ => return None,
            },
        },
        // Both end in a bearer token in `Authorization` (from `--bearer`), however it was
        // obtained.
        "oauth2" | "openIdConnect" => SecurityScheme::Bearer,
        other => SecurityScheme::Unsupported(other.to_owned()),
    })
}
