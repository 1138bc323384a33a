//! Swagger 2.0 read as OpenAPI 3.0: the document is converted once, at load, after its
//! `$ref`s were checked against the file the user wrote, so the rest of gauntlet sees one
//! model.
//!
//! `host`, `basePath` and `schemes` become `servers`; `consumes`/`produces` give each request
//! body and response its media types; a `body` parameter becomes the request body and
//! `formData` parameters the properties of a form (multipart where a file is sent or the
//! operation consumes it); `definitions`, `parameters`, `responses` and `securityDefinitions`
//! move under `components` with every `$ref` rewritten; `collectionFormat` becomes `style` and
//! `explode`; `x-nullable` becomes `nullable`, and `type: file` a binary string.

use serde_json::{Map, Value, json};

use super::pointer::escape;

/// Where each part of the converted document was written in the Swagger file: pairs of a
/// pointer prefix of the converted document and the pointer it came from, so errors, notes
/// and source locations name the place the user wrote (`/paths/~1pets/post/parameters/0/schema`
/// for the converted `/paths/~1pets/post/requestBody/content/application~1json/schema`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins(Vec<(String, String)>);

impl Origins {
    fn add(&mut self, converted: String, written: String) {
        if converted != written {
            self.0.push((converted, written));
        }
    }

    /// The pointer (with or without its leading `#`) as written in the Swagger file: the
    /// longest converted prefix that ends at a token is replaced by its origin.
    pub fn written(&self, pointer: &str) -> String {
        let (hash, bare) = match pointer.strip_prefix('#') {
            Some(rest) => ("#", rest),
            None => ("", pointer),
        };
        let at_token = |prefix: &str| {
            bare.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let best = self.0.iter().filter(|(c, _)| at_token(c)).max_by_key(|(c, _)| c.len());
        match best {
            Some((converted, written)) => format!("{hash}{written}{}", &bare[converted.len()..]),
            None => pointer.to_owned(),
        }
    }
}

/// The keys of a Swagger parameter, header or items object that belong to its schema.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// The methods a Swagger 2.0 path item may hold.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Whether `doc` is a Swagger 2.0 document.
pub fn is_swagger2(doc: &Value) -> bool {
    doc.get("swagger").is_some_and(|v| v.as_str().is_some_and(|s| s.starts_with("2.")))
}

/// Converts a Swagger 2.0 document (its external files already bundled) to OpenAPI 3.0.3,
/// with where each moved part was written.
pub fn convert(doc: &Value) -> (Value, Origins) {
    let mut origins = Origins::default();
    let empty = Map::new();
    let root = doc.as_object().unwrap_or(&empty);
    let global_params = root.get("parameters").and_then(Value::as_object).unwrap_or(&empty);
    let consumes = media_list(root.get("consumes"), "application/json");
    let produces = media_list(root.get("produces"), "application/json");
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for (key, value) in root {
        let keep = key.starts_with("x-")
            || matches!(key.as_str(), "info" | "tags" | "security" | "externalDocs");
        if keep {
            out.insert(key.clone(), value.clone());
        }
    }
    if let Some(servers) = servers(root) {
        out.insert("servers".into(), servers);
    }
    let mut paths = Map::new();
    for (path, item) in root.get("paths").and_then(Value::as_object).unwrap_or(&empty) {
        let Some(item) = item.as_object() else {
            paths.insert(path.clone(), item.clone());
            continue;
        };
        let shared = params_of(item.get("parameters"));
        let mut new_item = Map::new();
        for (key, value) in item {
            if key == "parameters" {
                continue;
            }
            match value.as_object() {
                Some(op) if METHODS.contains(&key.as_str()) => {
                    let ctx = Context { global_params, consumes: &consumes, produces: &produces };
                    let at = format!("/paths/{}", escape(path));
                    let converted = operation(op, &shared, &ctx, &at, key, &mut origins);
                    new_item.insert(key.clone(), converted);
                }
                _ => {
                    new_item.insert(key.clone(), value.clone());
                }
            }
        }
        paths.insert(path.clone(), Value::Object(new_item));
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if let Some(defs) = root.get("definitions") {
        components.insert("schemas".into(), defs.clone());
        origins.add("/components/schemas".into(), "/definitions".into());
    }
    let plain: Map<String, Value> = global_params
        .iter()
        .filter(|(_, p)| !matches!(location(p), "body" | "formData"))
        .map(|(name, p)| {
            let written = format!("/parameters/{}", escape(name));
            let converted = format!("/components/parameters/{}", escape(name));
            origins.add(format!("{converted}/schema"), written.clone());
            origins.add(converted, written);
            (name.clone(), parameter(p))
        })
        .collect();
    if !plain.is_empty() {
        components.insert("parameters".into(), Value::Object(plain));
    }
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        let mut converted = Map::new();
        for (k, r) in responses {
            let written = format!("/responses/{}", escape(k));
            let at = format!("/components/responses/{}", escape(k));
            let r = response(r, &produces);
            response_origins(&r, &at, &written, &mut origins);
            origins.add(at, written);
            converted.insert(k.clone(), r);
        }
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(schemes) = root.get("securityDefinitions").and_then(Value::as_object) {
        let converted = schemes.iter().map(|(k, s)| (k.clone(), security_scheme(s)));
        components.insert("securitySchemes".into(), Value::Object(converted.collect()));
        origins.add("/components/securitySchemes".into(), "/securityDefinitions".into());
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    if let Some(bundle) = root.get(super::external::BUNDLE_KEY) {
        out.insert(super::external::BUNDLE_KEY.into(), bundle.clone());
    }
    let mut out = Value::Object(out);
    rewrite(&mut out);
    (out, origins)
}

/// The origins of a converted response's schemas (`content/*/schema` from `schema`) and
/// headers (`headers/H/schema` from `headers/H`).
fn response_origins(r: &Value, at: &str, written: &str, origins: &mut Origins) {
    for media in r.get("content").and_then(Value::as_object).into_iter().flat_map(|c| c.keys()) {
        origins.add(format!("{at}/content/{}/schema", escape(media)), format!("{written}/schema"));
    }
    for name in r.get("headers").and_then(Value::as_object).into_iter().flat_map(|h| h.keys()) {
        let header = format!("headers/{}", escape(name));
        origins.add(format!("{at}/{header}/schema"), format!("{written}/{header}"));
    }
}

/// What every operation reads from the document's root.
struct Context<'a> {
    global_params: &'a Map<String, Value>,
    consumes: &'a [String],
    produces: &'a [String],
}

/// `servers` from `host`, `basePath` and `schemes` (a relative URL without a host).
fn servers(root: &Map<String, Value>) -> Option<Value> {
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return (!base.is_empty()).then(|| json!([{ "url": base }]));
    };
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .filter(|s: &Vec<&str>| !s.is_empty())
        .unwrap_or_else(|| vec!["https"]);
    Some(Value::Array(
        schemes.iter().map(|s| json!({ "url": format!("{s}://{host}{base}") })).collect(),
    ))
}

/// A `consumes` or `produces` list, or `fallback` alone.
fn media_list(value: Option<&Value>, fallback: &str) -> Vec<String> {
    let list: Vec<String> = value
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if list.is_empty() { vec![fallback.to_owned()] } else { list }
}

/// The parameter objects (or `$ref`s) of a `parameters` list.
fn params_of(value: Option<&Value>) -> Vec<Value> {
    value.and_then(Value::as_array).cloned().unwrap_or_default()
}

/// A parameter's `in`.
fn location(param: &Value) -> &str {
    param.get("in").and_then(Value::as_str).unwrap_or("")
}

/// One operation (`method` of the path item at `item`): its parameters, request body and
/// responses in 3.0 form, and where each was written.
fn operation(
    op: &Map<String, Value>,
    shared: &[Value],
    ctx: &Context<'_>,
    item: &str,
    method: &str,
    origins: &mut Origins,
) -> Value {
    let op_at = format!("{item}/{method}");
    let consumes = match op.get("consumes") {
        Some(c) => media_list(Some(c), "application/json"),
        None => ctx.consumes.to_vec(),
    };
    let produces = match op.get("produces") {
        Some(p) => media_list(Some(p), "application/json"),
        None => ctx.produces.to_vec(),
    };
    // The operation's own parameters override the path's of the same name and location.
    let own = params_of(op.get("parameters"));
    // Where a parameter was written: its `$ref`'s target when it is one, else its place.
    let written_at = |p: &Value, at: String| -> String {
        let reference = p.get("$ref").and_then(Value::as_str);
        match reference.and_then(|r| r.strip_prefix("#/parameters/")) {
            Some(name) if ctx.global_params.contains_key(&super::pointer::unescape(name)) => {
                format!("/parameters/{name}")
            }
            _ => at,
        }
    };
    let resolved = |p: &Value| -> Value {
        let reference = p.get("$ref").and_then(Value::as_str);
        match reference.and_then(|r| r.strip_prefix("#/parameters/")) {
            Some(name) => ctx
                .global_params
                .get(&super::pointer::unescape(name))
                .cloned()
                .unwrap_or_else(|| p.clone()),
            None => p.clone(),
        }
    };
    let key = |p: &Value| {
        let p = resolved(p);
        (p.get("name").cloned(), p.get("in").cloned())
    };
    let mut all: Vec<(Value, String)> = shared
        .iter()
        .enumerate()
        .filter(|(_, s)| !own.iter().any(|o| key(o) == key(s)))
        .map(|(i, s)| (s.clone(), written_at(s, format!("{item}/parameters/{i}"))))
        .collect();
    all.extend(
        own.iter()
            .enumerate()
            .map(|(i, o)| (o.clone(), written_at(o, format!("{op_at}/parameters/{i}")))),
    );
    let mut params = Vec::new();
    let mut body = None;
    let mut fields = Vec::new();
    for (p, written) in &all {
        let full = resolved(p);
        match location(&full) {
            "body" => body = Some((full, written.clone())),
            "formData" => fields.push((full, written.clone())),
            _ => {
                let at = format!("{op_at}/parameters/{}", params.len());
                if p.get("$ref").is_none() {
                    origins.add(format!("{at}/schema"), written.clone());
                }
                origins.add(at, written.clone());
                params.push(if p.get("$ref").is_some() { p.clone() } else { parameter(&full) });
            }
        }
    }
    let mut out = Map::new();
    for (key, value) in op {
        if !matches!(key.as_str(), "parameters" | "consumes" | "produces" | "responses" | "schemes")
        {
            out.insert(key.clone(), value.clone());
        }
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    let body_at = format!("{op_at}/requestBody");
    let request_body = match (body, fields.is_empty()) {
        (Some((body, written)), _) => {
            let converted = body_of(&body, &consumes);
            for media in converted["content"].as_object().into_iter().flat_map(|c| c.keys()) {
                let schema = format!("{body_at}/content/{}/schema", escape(media));
                origins.add(schema, format!("{written}/schema"));
            }
            origins.add(body_at.clone(), written);
            Some(converted)
        }
        (None, false) => {
            let only: Vec<Value> = fields.iter().map(|(f, _)| f.clone()).collect();
            let converted = form_of(&only, &consumes);
            for media in converted["content"].as_object().into_iter().flat_map(|c| c.keys()) {
                let schema = format!("{body_at}/content/{}/schema", escape(media));
                for (field, written) in &fields {
                    let Some(name) = field.get("name").and_then(Value::as_str) else { continue };
                    origins.add(format!("{schema}/properties/{}", escape(name)), written.clone());
                }
            }
            Some(converted)
        }
        (None, true) => None,
    };
    if let Some(request_body) = request_body {
        out.insert("requestBody".into(), request_body);
    }
    let mut responses = Map::new();
    for (status, resp) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let converted = response(resp, &produces);
        let at = format!("{op_at}/responses/{}", escape(status));
        response_origins(&converted, &at, &at, origins);
        responses.insert(status.clone(), converted);
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// A query, path, header or cookie parameter: its schema keys under `schema`, its
/// `collectionFormat` as `style` and `explode`.
fn parameter(p: &Value) -> Value {
    let Some(p) = p.as_object() else { return p.clone() };
    let mut out = Map::new();
    for (key, value) in p {
        if !SCHEMA_KEYS.contains(&key.as_str()) && key != "collectionFormat" {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("schema".into(), schema_of(p));
    if p.get("type").and_then(Value::as_str) == Some("array") {
        let format = p.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let query = p.get("in").and_then(Value::as_str) == Some("query");
        let (style, explode) = match format {
            "multi" => ("form", true),
            "ssv" if query => ("spaceDelimited", false),
            "pipes" if query => ("pipeDelimited", false),
            _ if query => ("form", false),
            _ => ("simple", false),
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

/// The schema a parameter, header or items object describes inline.
fn schema_of(p: &Map<String, Value>) -> Value {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        let Some(value) = p.get(*key) else { continue };
        let value = match *key {
            "items" => match value.as_object() {
                Some(items) if items.get("$ref").is_none() => schema_of(items),
                _ => value.clone(),
            },
            _ => value.clone(),
        };
        schema.insert((*key).to_owned(), value);
    }
    Value::Object(schema)
}

/// The request body a `body` parameter describes, once per media type consumed (form types,
/// which a JSON body cannot be, left out).
fn body_of(p: &Value, consumes: &[String]) -> Value {
    let schema = p.get("schema").cloned().unwrap_or_else(|| json!({}));
    let mut types: Vec<&String> =
        consumes.iter().filter(|c| !c.starts_with(FORM) && !c.starts_with(MULTIPART)).collect();
    let json = "application/json".to_owned();
    if types.is_empty() {
        types.push(&json);
    }
    let content: Map<String, Value> =
        types.into_iter().map(|t| (t.clone(), json!({ "schema": schema }))).collect();
    let mut out = json!({ "content": content, "required": p.get("required").cloned().unwrap_or(json!(false)) });
    if let Some(description) = p.get("description") {
        out["description"] = description.clone();
    }
    out
}

/// The form `formData` parameters make: one object with a property each, as multipart where
/// a file is sent or the operation consumes it, urlencoded where it consumes that.
fn form_of(fields: &[Value], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    let mut file = false;
    for field in fields {
        let Some(f) = field.as_object() else { continue };
        let Some(name) = f.get("name").and_then(Value::as_str) else { continue };
        file |= f.get("type").and_then(Value::as_str) == Some("file");
        let mut schema = schema_of(f);
        if let Some(description) = f.get("description") {
            schema["description"] = description.clone();
        }
        properties.insert(name.to_owned(), schema);
        if f.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        if f.get("type").and_then(Value::as_str) == Some("array") {
            let explode = f.get("collectionFormat").and_then(Value::as_str) == Some("multi");
            encoding.insert(name.to_owned(), json!({ "style": "form", "explode": explode }));
        }
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mut types: Vec<&str> = consumes
        .iter()
        .map(String::as_str)
        .filter(|c| c.starts_with(FORM) || c.starts_with(MULTIPART))
        .collect();
    if types.is_empty() {
        types.push(if file { MULTIPART } else { FORM });
    }
    if file {
        // A file goes only in a multipart body.
        types.retain(|t| t.starts_with(MULTIPART));
        if types.is_empty() {
            types.push(MULTIPART);
        }
    }
    let mut content = Map::new();
    for media in types {
        let mut entry = json!({ "schema": schema });
        if !encoding.is_empty() {
            entry["encoding"] = Value::Object(encoding.clone());
        }
        content.insert(media.to_owned(), entry);
    }
    let required = fields.iter().any(|f| f.get("required").and_then(Value::as_bool) == Some(true));
    json!({ "content": content, "required": required })
}

/// A response: its schema under each media type produced, `examples` on theirs, headers as
/// parameters with a schema.
fn response(r: &Value, produces: &[String]) -> Value {
    let Some(r) = r.as_object() else { return r.clone() };
    if r.contains_key("$ref") {
        return Value::Object(r.clone());
    }
    let mut out = Map::new();
    out.insert("description".into(), r.get("description").cloned().unwrap_or_else(|| json!("")));
    if let Some(schema) = r.get("schema") {
        let examples = r.get("examples").and_then(Value::as_object);
        let content: Map<String, Value> = produces
            .iter()
            .map(|media| {
                let mut entry = json!({ "schema": schema });
                if let Some(example) = examples.and_then(|e| e.get(media)) {
                    entry["example"] = example.clone();
                }
                (media.clone(), entry)
            })
            .collect();
        out.insert("content".into(), Value::Object(content));
    }
    if let Some(headers) = r.get("headers").and_then(Value::as_object) {
        let converted = headers.iter().map(|(name, h)| {
            let mut header = Map::new();
            if let Some(description) = h.get("description") {
                header.insert("description".into(), description.clone());
            }
            header.insert("schema".into(), h.as_object().map(schema_of).unwrap_or(json!({})));
            (name.clone(), Value::Object(header))
        });
        out.insert("headers".into(), Value::Object(converted.collect()));
    }
    for (key, value) in r {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// A security definition as a 3.0 security scheme.
fn security_scheme(s: &Value) -> Value {
    let kind = s.get("type").and_then(Value::as_str).unwrap_or("");
    let description = s.get("description").cloned();
    let mut out = match kind {
        "basic" => json!({ "type": "http", "scheme": "basic" }),
        "apiKey" => json!({ "type": "apiKey", "name": s.get("name"), "in": s.get("in") }),
        "oauth2" => {
            let flow = match s.get("flow").and_then(Value::as_str).unwrap_or("") {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut body = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = s.get(key) {
                    body.insert(key.into(), url.clone());
                }
            }
            body.insert("scopes".into(), s.get("scopes").cloned().unwrap_or_else(|| json!({})));
            json!({ "type": "oauth2", "flows": { flow: body } })
        }
        _ => s.clone(),
    };
    if let Some(description) = description {
        out["description"] = description;
    }
    out
}

/// Rewrites `$ref`s to their 3.0 homes and the Swagger-only schema keywords, everywhere
/// (iteratively: deep documents are fine).
fn rewrite(doc: &mut Value) {
    // Each value with the key it stands under.
    let mut stack: Vec<(&mut Value, String)> = vec![(doc, String::new())];
    while let Some((value, parent)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    for (from, to) in [
                        ("#/definitions/", "#/components/schemas/"),
                        ("#/parameters/", "#/components/parameters/"),
                        ("#/responses/", "#/components/responses/"),
                    ] {
                        if let Some(rest) = reference.strip_prefix(from) {
                            *reference = format!("{to}{rest}");
                        }
                    }
                }
                if let Some(nullable) = map.remove("x-nullable") {
                    map.insert("nullable".into(), nullable);
                }
                if map.get("type").and_then(Value::as_str) == Some("file") {
                    map.insert("type".into(), json!("string"));
                    map.insert("format".into(), json!("binary"));
                }
                for (key, child) in map.iter_mut() {
                    if !super::normalize::is_data(key, &parent)
                        && (child.is_object() || child.is_array())
                    {
                        stack.push((child, key.clone()));
                    }
                }
            }
            Value::Array(items) => {
                let items = items.iter_mut().filter(|c| c.is_object() || c.is_array());
                stack.extend(items.map(|c| (c, String::new())));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(yaml: &str) -> Value {
        let doc: Value = crate::openapi::parse_yaml(yaml).unwrap();
        convert(&doc).0
    }

    #[test]
    fn host_base_path_and_schemes_become_servers() {
        let doc = converted(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.com\nbasePath: /v1\nschemes: [https, http]\npaths: {}\n",
        );
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["servers"][0]["url"], "https://api.example.com/v1");
        assert_eq!(doc["servers"][1]["url"], "http://api.example.com/v1");
        let relative =
            converted("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v2\npaths: {}\n");
        assert_eq!(relative["servers"][0]["url"], "/v2");
    }

    #[test]
    fn body_form_and_query_parameters_take_their_3_0_places() {
        let doc = converted(
            r##"swagger: '2.0'
info: {title: t, version: '1'}
consumes: [application/json]
produces: [application/json, application/xml]
parameters:
  limit: {name: limit, in: query, type: integer, minimum: 1}
  pet: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string, format: uuid}
    put:
      parameters:
        - $ref: '#/parameters/pet'
        - $ref: '#/parameters/limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: header, type: array, items: {type: integer}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}, headers: {X-Rate: {type: integer}}}
        default: {$ref: '#/responses/Error'}
  /pets/{id}/photo:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string, x-nullable: true}
      responses:
        '204': {description: done}
responses:
  Error: {description: bad, schema: {type: object}}
definitions:
  Pet: {type: object, properties: {name: {type: string, x-nullable: true}}}
"##,
        );
        let put = &doc["paths"]["/pets/{id}"]["put"];
        let params = put["parameters"].as_array().unwrap();
        assert_eq!(params[0]["name"], "id", "the path's parameter is the operation's: {put}");
        assert_eq!(params[0]["schema"], json!({"type": "string", "format": "uuid"}));
        assert_eq!(params[1]["$ref"], "#/components/parameters/limit");
        assert_eq!((&params[2]["style"], &params[2]["explode"]), (&json!("form"), &json!(true)));
        assert_eq!((&params[3]["style"], &params[3]["explode"]), (&json!("simple"), &json!(false)));
        assert_eq!(put["requestBody"]["required"], true);
        assert_eq!(
            put["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        let ok = &put["responses"]["200"];
        assert!(ok["content"]["application/xml"].is_object(), "{ok}");
        assert_eq!(ok["headers"]["X-Rate"]["schema"]["type"], "integer");
        assert_eq!(put["responses"]["default"]["$ref"], "#/components/responses/Error");
        assert_eq!(doc["components"]["parameters"]["limit"]["schema"]["minimum"], 1);
        assert!(doc["components"]["parameters"].get("pet").is_none());
        assert_eq!(doc["components"]["schemas"]["Pet"]["properties"]["name"]["nullable"], true);
        let form = &doc["paths"]["/pets/{id}/photo"]["post"]["requestBody"];
        let schema = &form["content"]["multipart/form-data"]["schema"];
        assert_eq!(schema["properties"]["file"], json!({"type": "string", "format": "binary"}));
        assert_eq!(schema["properties"]["note"]["nullable"], true);
        assert_eq!(schema["required"], json!(["file"]));
    }

    #[test]
    fn security_definitions_become_schemes_of_each_type() {
        let doc = converted(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\nsecurityDefinitions:\n  b: {type: basic}\n  k: {type: apiKey, name: X-Key, in: header}\n  o: {type: oauth2, flow: application, tokenUrl: 'https://x/token', scopes: {read: r}}\n",
        );
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["b"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(schemes["k"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
        assert_eq!(schemes["o"]["flows"]["clientCredentials"]["tokenUrl"], "https://x/token");
    }
}
