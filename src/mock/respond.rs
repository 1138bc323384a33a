//! Answering one request: route, `Prefer: code=N`, credentials, validation, then a documented
//! response with a generated, schema-valid body (faults applied last).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::fault::{Fault, Trigger, mutations};
use super::route::{Route, Routes};
use crate::checks::{essence, is_json, media_matches};
use crate::credentials::Credentials;
use crate::generate::{ValueGen, Writer, coerce, read_param};
use crate::openapi::{
    ApiKeyLocation, Location, MediaType, Operation, SecurityScheme, Spec, StatusKey,
};
use crate::schema::Validators;

/// How the mock behaves.
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// Credentials to require; without them any well-formed credential of the right scheme
    /// is accepted.
    pub credentials: Option<Credentials>,
    /// Seed for generated bodies (each request's body is fixed by the seed and the request).
    pub seed: u64,
    /// Contract breaks to commit.
    pub faults: Vec<Fault>,
    /// Remember what producers create and what is deleted (`--stateful`).
    pub stateful: bool,
}

/// A request as the mock reads it.
#[derive(Debug, Clone, Default)]
pub struct MockRequest {
    /// HTTP method.
    pub method: String,
    /// Raw (percent-encoded) path.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl MockRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What the mock sends back.
#[derive(Debug, Clone, Default)]
pub struct MockResponse {
    /// Status code.
    pub status: u16,
    /// Headers to send.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Never answer.
    pub hang: bool,
    /// Break the connection after the head.
    pub reset: bool,
}

/// The mock of one spec.
pub struct Mock {
    spec: Arc<Spec>,
    operations: Vec<Operation>,
    routes: Routes,
    validators: Arc<Validators>,
    config: MockConfig,
    /// Valid requests answered so far (for `flaky:N`).
    served: AtomicUsize,
    /// What was created and deleted, when stateful.
    state: Option<super::state::State>,
    /// Ids minted for created resources so far.
    minted: AtomicUsize,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock").field("operations", &self.operations.len()).finish()
    }
}

impl Mock {
    /// A mock of `operations` of `spec` (every schema they use is compiled here, once).
    pub fn new(spec: Arc<Spec>, operations: Vec<Operation>, config: MockConfig) -> Self {
        let validators = Validators::for_operations(&spec, &operations);
        Mock::with_validators(spec, operations, Arc::new(validators), config)
    }

    /// A mock whose schemas are already compiled (every operation's, as the run that starts it
    /// in-process has them): the two share one set instead of compiling it twice.
    pub fn with_validators(
        spec: Arc<Spec>,
        operations: Vec<Operation>,
        validators: Arc<Validators>,
        config: MockConfig,
    ) -> Self {
        let routes = Routes::new(&operations);
        let state =
            config.stateful.then(|| super::state::State::new(spec.response_doc(), &operations));
        Mock {
            routes,
            spec,
            operations,
            validators,
            config,
            served: AtomicUsize::new(0),
            state,
            minted: AtomicUsize::new(0),
        }
    }

    /// The operations served.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    fn has(&self, fault: Fault) -> bool {
        self.config.faults.contains(&fault)
    }

    /// The narrow fault a path parameter trips, if any.
    fn tripped(&self, path_params: &[(String, String)]) -> Option<&Trigger> {
        self.config.faults.iter().find_map(|f| match f {
            Fault::Trigger(t) if path_params.iter().any(|(_, v)| t.trips(v)) => Some(t),
            _ => None,
        })
    }

    /// Answers one request.
    pub fn respond(&self, req: &MockRequest) -> MockResponse {
        let (index, path_params) = match self.routes.find(&req.method, &req.path) {
            Route::Found { operation, params } => (operation, params),
            Route::MethodNotAllowed(methods) if self.has(Fault::IgnoresMethod) => {
                // Served as the path's first declared method would be.
                let as_declared = MockRequest { method: methods[0].clone(), ..req.clone() };
                return self.respond(&as_declared);
            }
            Route::MethodNotAllowed(methods) => {
                let mut r = plain_json(405, json!({"error": "Method Not Allowed"}));
                if !self.has(Fault::NoAllowHeader) {
                    r.headers.push(("allow".into(), methods.join(", ")));
                }
                return r;
            }
            Route::NotFound => return plain_json(404, json!({"error": "Not Found"})),
        };
        let op = &self.operations[index];
        let mut rng = ChaCha8Rng::seed_from_u64(self.config.seed ^ request_hash(req));
        if let Some(code) = prefer_code(req)
            && op.response_for(code).is_some()
        {
            return self.documented(op, code, &mut rng, &path_params);
        }
        if op.requires_auth() && !self.has(Fault::AuthBypass) && !self.authorised(op, req) {
            return self.documented(op, 401, &mut rng, &path_params);
        }
        // A narrow fault trips before validation, where real servers break on odd input.
        match self.tripped(&path_params) {
            Some(Trigger::Case(_)) => {
                let mut response =
                    self.documented(op, success_status(op, &mut rng), &mut rng, &path_params);
                response.reset = true;
                return response;
            }
            Some(_) => return self.documented(op, 500, &mut rng, &path_params),
            None => {}
        }
        let valid = self.valid_request(op, &path_params, req);
        if (!valid && !self.has(Fault::AcceptsInvalidInput))
            || (valid && self.has(Fault::RejectsValidInput))
        {
            // A path value that names no resource may be "not found" where that is what the
            // operation documents and it documents no 400 or 422.
            let status = match validation_status(op) {
                400 if !op.documents_status(400)
                    && op.documents_status(404)
                    && !self.path_valid(op, &path_params, req) =>
                {
                    404
                }
                status => status,
            };
            return self.documented(op, status, &mut rng, &path_params);
        }
        for fault in &self.config.faults {
            match fault {
                Fault::ServerError => return self.documented(op, 500, &mut rng, &path_params),
                Fault::Flaky(n) if self.served.fetch_add(1, Ordering::Relaxed) < *n => {
                    return self.documented(op, 500, &mut rng, &path_params);
                }
                Fault::UndocumentedStatus => {
                    return plain_json(418, json!({"error": "I'm a teapot"}));
                }
                Fault::Hang => return MockResponse { hang: true, ..Default::default() },
                _ => {}
            }
        }
        if let Some(state) = &self.state {
            let known = state.known(index, &path_params);
            if known == super::state::Known::Deleted
                || known == super::state::Known::Created && self.has(Fault::ForgetsCreated)
            {
                return self.documented(op, 404, &mut rng, &path_params);
            }
        }
        let mut response =
            self.documented(op, success_status(op, &mut rng), &mut rng, &path_params);
        if let Some(state) = &self.state
            && (200..300).contains(&response.status)
        {
            if state.produces(index) {
                self.mint(index, op, &mut response);
            }
            let keep = self.has(Fault::KeepsDeleted);
            state.record(index, op, &path_params, &response.body, &response.headers, keep);
        }
        for fault in &self.config.faults {
            match fault {
                Fault::Slow(d) => response.delay = Some(*d),
                Fault::Reset => response.reset = true,
                Fault::WrongContentType => set_header(&mut response, "content-type", "text/html"),
                Fault::MalformedJson => {
                    let keep = response.body.len() / 2;
                    response.body.truncate(keep.max(1));
                    response.body.extend_from_slice(b"\"<<");
                }
                Fault::EmptyBody => {
                    response.body.clear();
                    set_header(&mut response, "content-type", "application/json");
                }
                _ => {}
            }
        }
        response
    }

    /// A response documented for `status` (or a plain one), with a generated valid body;
    /// success bodies echo path parameters and carry body faults.
    fn documented(
        &self,
        op: &Operation,
        status: u16,
        rng: &mut ChaCha8Rng,
        path_params: &[(String, String)],
    ) -> MockResponse {
        let Some(documented) = op.response_for(status) else {
            let error = match status {
                401 => "Unauthorized",
                500 => "Internal Server Error",
                _ => "Bad Request",
            };
            return plain_json(status, json!({"error": error}));
        };
        let left_out = (200..300).contains(&status) && self.has(Fault::MissingRequiredHeader);
        let mut headers = if left_out { Vec::new() } else { self.headers(documented, rng) };
        if status == 201
            && !left_out
            && let Some(location) = self.location(op, documented, path_params)
        {
            headers.retain(|(name, _)| name != "location");
            headers.push(("location".into(), location));
        }
        // A JSON media type when one is documented: its body is generated from the schema.
        let media = documented.content.iter().find(|m| is_json(&m.name) && !m.name.contains('*'));
        let Some(media) = media.or(documented.content.first()) else {
            return MockResponse { status, headers, ..Default::default() };
        };
        let content_type = if media.name.contains('*') {
            if media.name.starts_with("text/") { "text/plain" } else { "application/json" }
                .to_owned()
        } else {
            media.name.clone()
        };
        let mut response = MockResponse { status, headers, ..Default::default() };
        response.headers.push(("content-type".into(), content_type.clone()));
        if !is_json(&content_type) {
            response.body = self.other_body(media, &content_type, rng);
            return response;
        }
        let mut body = self.body_value(media, rng);
        if (200..300).contains(&status) {
            body = self.echo(op, media, body, path_params);
            if let (Some(schema_ref), Some(fault)) =
                (&media.schema, self.config.faults.iter().find(|f| f.mutates_body()))
            {
                let schema =
                    self.spec.response_doc().pointer(&schema_ref.pointer).unwrap_or(&Value::Null);
                let validator = self.validators.get(&schema_ref.pointer);
                let broken = mutations(self.spec.response_doc(), schema, &body, fault)
                    .into_iter()
                    .find(|b| validator.is_none_or(|v| !v.is_valid(b)));
                if let Some(broken) = broken {
                    body = broken;
                }
            }
        }
        response.body = serde_json::to_vec(&body).unwrap_or_default();
        response
    }

    /// A created resource's id made unique (`1000 + n`, or a uuid from `n`), where the
    /// answer stays valid with it: two creates of the same request are two resources.
    fn mint(&self, index: usize, op: &Operation, response: &mut MockResponse) {
        let Some(documented) = op.response_for(response.status) else { return };
        let Some(media) = documented.content.iter().find(|m| is_json(&m.name)) else { return };
        let Some(schema_ref) = &media.schema else { return };
        let doc = self.spec.response_doc();
        let Some(schema) = doc.pointer(&schema_ref.pointer) else { return };
        let Some((pointer, id_schema)) = crate::generate::links::id_pointer(doc, schema, op) else {
            return;
        };
        let Ok(body) = serde_json::from_slice::<Value>(&response.body) else { return };
        // An optional id the generator left out is put in: a created resource has one.
        let current = body.pointer(&pointer).cloned().unwrap_or_else(|| {
            match (id_schema.get("type").and_then(Value::as_str), id_schema.get("format")) {
                (Some("integer" | "number"), _) => json!(0),
                (_, Some(f)) if f == "uuid" => json!("00000000-0000-4000-8000-000000000000"),
                _ => json!("id"),
            }
        });
        let n = self.minted.fetch_add(1, Ordering::Relaxed) as u64;
        // An integer id the operations that name it take (Petstore's orders go up to 10).
        let named = self.state.as_ref().map(|st| st.naming(index)).unwrap_or_default();
        let taken = |v: &Value| {
            named.iter().all(|(op, name)| {
                let param = self.operations[*op].parameters.iter().find(|p| &p.name == name);
                let validator = param
                    .and_then(|p| p.schema.as_ref())
                    .and_then(|s| self.validators.get(&s.pointer));
                validator.is_none_or(|val| val.is_valid(v))
            })
        };
        let uuid = {
            let bits = (0x4a11_7e57u128 << 96) | u128::from(n);
            uuid::Builder::from_random_bytes(bits.to_be_bytes()).into_uuid().to_string()
        };
        // The first candidate the answer's schema and every operation naming it take.
        let candidates: Vec<Value> = match &current {
            Value::Number(_) => vec![json!(1000 + n), json!(1 + n % 10), json!(1)],
            Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => vec![json!(uuid)],
            Value::String(s) => vec![
                json!(format!("{s}{n}")),
                json!((1000 + n).to_string()),
                json!(uuid),
                json!(format!("id{n}")),
            ],
            _ => return,
        };
        let validator = self.validators.get(&schema_ref.pointer);
        for fresh in candidates {
            let mut minted = body.clone();
            if !set_pointer(&mut minted, &pointer, fresh.clone()) {
                return;
            }
            if taken(&fresh) && validator.is_none_or(|v| v.is_valid(&minted)) {
                response.body = serde_json::to_vec(&minted).unwrap_or_default();
                return;
            }
        }
    }

    /// A `Location` for a 201 that documents one: the created resource's path (the
    /// operation's path with one more variable segment, where the spec has such a path, else
    /// its own), relative or, where the header's schema wants a URI, absolute.
    fn location(
        &self,
        op: &Operation,
        response: &crate::openapi::Response,
        path_params: &[(String, String)],
    ) -> Option<String> {
        let header = response.headers.iter().find(|h| h.name == "location")?;
        let own = op
            .path
            .render(|name| path_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()));
        let prefix = format!("{}/{{", op.path.as_str());
        let child = self.operations.iter().any(|o| {
            o.path.segment_count() == op.path.segment_count() + 1
                && o.path.as_str().starts_with(&prefix)
        });
        let path = if child { format!("{}/1", own.trim_end_matches('/')) } else { own };
        let validator = header.schema.as_ref().and_then(|s| self.validators.get(&s.pointer));
        [path.clone(), format!("http://localhost{path}")]
            .into_iter()
            .find(|v| validator.is_none_or(|val| val.is_valid(&Value::String(v.clone()))))
    }

    /// The headers `response` documents as required, each with a value valid for its schema,
    /// written as the `simple` style says (arrays and objects comma-separated).
    fn headers(
        &self,
        response: &crate::openapi::Response,
        rng: &mut ChaCha8Rng,
    ) -> Vec<(String, String)> {
        let doc = self.spec.response_doc();
        let mut out = Vec::new();
        for header in response.headers.iter().filter(|h| h.required) {
            let schema = header.schema.as_ref().and_then(|s| doc.pointer(&s.pointer));
            let validator = header.schema.as_ref().and_then(|s| self.validators.get(&s.pointer));
            let mut generator = ValueGen::new(doc, rng);
            let value = (0..8).find_map(|_| {
                let v = match schema {
                    Some(schema) => generator.valid(schema, 0)?,
                    None => Value::String("gauntlet".into()),
                };
                let text = simple_style(&v);
                let fits = validator.is_none_or(|val| val.is_valid(&v));
                (fits && text.bytes().all(|b| b == b' ' || b.is_ascii_graphic())).then_some(text)
            });
            if let Some(value) = value {
                out.push((header.name.clone(), value));
            }
        }
        out
    }

    /// A body for a media type that is not JSON: text for `text/*` (the schema's string when it
    /// has one), a small document for XML, bytes for anything else.
    fn other_body(&self, media: &MediaType, content_type: &str, rng: &mut ChaCha8Rng) -> Vec<u8> {
        let doc = self.spec.response_doc();
        match crate::generate::writer(&essence(content_type)) {
            Some(Writer::Xml) => {
                let schema = media.schema.as_ref().and_then(|s| doc.pointer(&s.pointer));
                crate::generate::xml::write(doc, schema, &self.body_value(media, rng)).into_bytes()
            }
            Some(Writer::Text) => match self.body_value(media, rng) {
                Value::String(s) => s.into_bytes(),
                Value::Object(m) if m.is_empty() => b"gauntlet".to_vec(),
                other => other.to_string().into_bytes(),
            },
            _ => b"gauntlet".to_vec(),
        }
    }

    /// A value valid for the media type: its example when it has a valid one, else generated.
    fn body_value(&self, media: &MediaType, rng: &mut ChaCha8Rng) -> Value {
        let Some(schema_ref) = &media.schema else { return json!({}) };
        let validator = self.validators.get(&schema_ref.pointer);
        let valid = |v: &Value| validator.is_none_or(|val| val.is_valid(v));
        let media_ptr = schema_ref.pointer.trim_end_matches("/schema");
        if let Some(media_obj) = self.spec.response_doc().pointer(media_ptr) {
            let example = media_obj.get("example").cloned().or_else(|| {
                let examples = media_obj.get("examples")?.as_object()?;
                let (_, first) = examples.iter().next()?;
                crate::openapi::resolve_ref(self.spec.response_doc(), first)
                    .ok()?
                    .0
                    .get("value")
                    .cloned()
            });
            if let Some(example) = example.filter(|e| valid(e)) {
                return example;
            }
        }
        let Some(schema) = self.spec.response_doc().pointer(&schema_ref.pointer) else {
            return json!({});
        };
        let mut generator = ValueGen::new(self.spec.response_doc(), rng);
        let mut last = Value::Null;
        // Hard schemas (OpenAI's responses) take many draws; an invalid body is the last resort.
        for _ in 0..64 {
            if let Some(v) = generator.valid(schema, 0) {
                if valid(&v) {
                    return v;
                }
                last = v;
            }
        }
        last
    }

    /// Puts path parameter values into matching properties of a success body (`id` for a
    /// lone `...id` parameter), when the body stays valid.
    fn echo(
        &self,
        op: &Operation,
        media: &MediaType,
        body: Value,
        path_params: &[(String, String)],
    ) -> Value {
        let Value::Object(map) = &body else { return body };
        let Some(validator) = media.schema.as_ref().and_then(|s| self.validators.get(&s.pointer))
        else {
            return body;
        };
        let mut echoed: Map<String, Value> = map.clone();
        for (name, raw) in path_params {
            let key = if map.contains_key(name) {
                name.clone()
            } else if path_params.len() == 1
                && map.contains_key("id")
                && name.to_ascii_lowercase().ends_with("id")
            {
                "id".into()
            } else {
                continue;
            };
            let schema = op
                .parameters
                .iter()
                .find(|p| p.location == Location::Path && &p.name == name)
                .and_then(|p| p.schema.as_ref())
                .and_then(|s| self.spec.doc.pointer(&s.pointer));
            let value = schema
                .map_or_else(|| Value::String(raw.clone()), |s| coerce(&self.spec.doc, s, raw));
            // A number past 64 bits would be written as a float (`8.73e20`), which is not
            // what was sent: such a value is not echoed.
            if value.as_f64().is_some()
                && value.as_i64().is_none()
                && value.as_u64().is_none()
                && !raw.contains(['.', 'e', 'E'])
            {
                continue;
            }
            echoed.insert(key, value);
        }
        let echoed = Value::Object(echoed);
        if validator.is_valid(&echoed) { echoed } else { body }
    }

    /// Whether the request satisfies one alternative of the operation's security (every
    /// scheme of it), as a server reads `security` (OR of ANDs).
    fn authorised(&self, op: &Operation, req: &MockRequest) -> bool {
        if op.auth_alternatives.is_empty() {
            return op.auth.iter().all(|scheme| self.satisfied(scheme, req));
        }
        op.auth_alternatives.iter().any(|alt| alt.iter().all(|scheme| self.satisfied(scheme, req)))
    }

    fn satisfied(&self, scheme: &SecurityScheme, req: &MockRequest) -> bool {
        let creds = self.config.credentials.as_ref();
        match scheme {
            SecurityScheme::Basic => {
                let Some(value) = req.header("authorization") else { return false };
                let Some(payload) = strip_scheme(value, "basic") else { return false };
                let Some(decoded) =
                    STANDARD.decode(payload).ok().and_then(|b| String::from_utf8(b).ok())
                else {
                    return false;
                };
                let Some((id, token)) = decoded.split_once(':') else { return false };
                match creds.and_then(|c| c.basic.as_ref()) {
                    Some((want_id, want_token)) => id == want_id && token == want_token,
                    None => !id.is_empty() && !token.is_empty(),
                }
            }
            SecurityScheme::Bearer => {
                let Some(token) =
                    req.header("authorization").and_then(|v| strip_scheme(v, "bearer"))
                else {
                    return false;
                };
                let want = creds.and_then(|c| {
                    c.bearer.clone().or_else(|| c.basic.as_ref().map(|(_, t)| t.clone()))
                });
                match want {
                    Some(want) => token == want,
                    None => !token.is_empty(),
                }
            }
            SecurityScheme::ApiKey { name, location } => {
                let given = match location {
                    ApiKeyLocation::Header => req.header(name).map(str::to_owned),
                    ApiKeyLocation::Query => {
                        query_pairs(req).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
                    }
                    ApiKeyLocation::Cookie => {
                        cookies(req).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
                    }
                };
                let Some(given) = given.filter(|g| !g.is_empty()) else { return false };
                let want = creds.and_then(|c| {
                    c.api_key.clone().or_else(|| c.basic.as_ref().map(|(_, t)| t.clone()))
                });
                want.is_none_or(|w| given == w)
            }
            SecurityScheme::Unsupported(_) => true,
        }
    }

    /// Whether every parameter and the body are valid under their schemas.
    fn valid_request(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        req: &MockRequest,
    ) -> bool {
        let query = query_pairs(req);
        let cookies = cookies(req);
        let read = Read { path_params, query: &query, cookies: &cookies, req };
        if !op.parameters.iter().all(|p| self.param_valid(p, &read)) {
            return false;
        }
        let doc = self.spec.request_doc();
        let Some(body_spec) = &op.request_body else { return true };
        // No body is no body; but an empty one sent as raw bytes or text of a documented type
        // (`Content-Type: application/octet-stream`, zero bytes) is a body, read as such.
        let raw = |m: &crate::openapi::MediaType| {
            matches!(crate::generate::writer(&m.name), Some(Writer::Raw | Writer::Text))
        };
        let declared = essence(req.header("content-type").unwrap_or(""));
        let empty_raw =
            body_spec.content.iter().any(|m| raw(m) && media_matches(&m.name, &declared));
        if req.body.is_empty() && !empty_raw {
            return !body_spec.required;
        }
        let Some(media) = body_spec.content.iter().find(|m| media_matches(&m.name, &declared))
        else {
            return body_spec.content.is_empty();
        };
        // JSON that does not parse is invalid whatever its schema, or with none.
        if crate::generate::writer(&media.name) == Some(Writer::Json)
            && serde_json::from_slice::<serde::de::IgnoredAny>(&req.body).is_err()
        {
            return false;
        }
        let Some(validator) = media.schema.as_ref().and_then(|s| self.validators.get(&s.pointer))
        else {
            return true;
        };
        let schema = media.schema.as_ref().and_then(|s| doc.pointer(&s.pointer));
        let content_type = req.header("content-type").unwrap_or("");
        if crate::generate::writer(&media.name).is_none() {
            return true; // a multipart other than form-data: the mock does not read it
        }
        // Read as the harness wrote it (`generate::media`): a body that cannot be read is invalid.
        let readings = crate::generate::decode_body(doc, schema, content_type, &req.body);
        readings.iter().any(|r| validator.is_valid(r))
    }

    /// Whether the request's path parameters are all valid (a wrong one may be answered 404:
    /// no such resource).
    fn path_valid(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        req: &MockRequest,
    ) -> bool {
        let read = Read { path_params, query: &[], cookies: &[], req };
        let mut path = op.parameters.iter().filter(|p| p.location == Location::Path);
        path.all(|p| self.param_valid(p, &read))
    }

    /// Whether `param` is present where required and valid as the server reads it.
    fn param_valid(&self, param: &crate::openapi::Parameter, read: &Read<'_>) -> bool {
        let doc = self.spec.request_doc();
        let (query, cookies, req) = (read.query, read.cookies, read.req);
        let text: Option<String> = match param.location {
            Location::Path => {
                read.path_params.iter().find(|(n, _)| n == &param.name).map(|(_, v)| v.clone())
            }
            Location::Query => {
                let values: Vec<&str> = query
                    .iter()
                    .filter(|(k, _)| k == &param.name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                (!values.is_empty()).then(|| values.join(","))
            }
            Location::Header => req.header(&param.name).map(str::to_owned),
            Location::Cookie => {
                cookies.iter().find(|(k, _)| k == &param.name).map(|(_, v)| v.clone())
            }
        };
        let text = text.or_else(|| {
            // An exploded object spreads its properties over the query.
            (param.location == Location::Query).then(|| {
                let schema = param.schema.as_ref().and_then(|s| doc.pointer(&s.pointer))?;
                object_from_query(doc, param, schema, query).map(|_| String::new())
            })?
        });
        let Some(text) = text else { return !param.required };
        let Some(schema_ref) = &param.schema else { return true };
        let (Some(validator), Some(schema)) =
            (self.validators.get(&schema_ref.pointer), doc.pointer(&schema_ref.pointer))
        else {
            return true;
        };
        let value = match (param.location, object_from_query(doc, param, schema, query)) {
            (Location::Query, Some(object)) => object,
            _ => read_param(doc, param, schema, &text),
        };
        // A parameter that is not an array, given twice, is two values where one is allowed.
        let given = query.iter().filter(|(k, _)| k == &param.name).count();
        if param.location == Location::Query && given > 1 && !value.is_array() {
            return false;
        }
        validator.is_valid(&value)
    }
}

/// A request's parts as the parameter checks read them (query and cookies parsed once).
struct Read<'a> {
    path_params: &'a [(String, String)],
    query: &'a [(String, String)],
    cookies: &'a [(String, String)],
    req: &'a MockRequest,
}

/// An object-typed query parameter rebuilt from the query: `name[k]=v` (deepObject) or the
/// schema's own property names (form, exploded). `None` for other parameters.
fn object_from_query(
    doc: &Value,
    param: &crate::openapi::Parameter,
    schema: &Value,
    query: &[(String, String)],
) -> Option<Value> {
    let resolved = crate::openapi::resolve_ref(doc, schema).ok()?.0;
    let props = resolved.get("properties")?.as_object()?;
    let mut map = Map::new();
    // `name[]=a&name[]=b` is an array where an object is wanted.
    let listed = format!("{}[]", param.name);
    if param.style == "deepObject" && query.iter().any(|(k, _)| *k == listed) {
        let items = query.iter().filter(|(k, _)| *k == listed).map(|(_, v)| json!(v)).collect();
        return Some(Value::Array(items));
    }
    for (k, v) in query {
        let key = if param.style == "deepObject" {
            k.strip_prefix(param.name.as_str())
                .and_then(|r| r.strip_prefix('['))
                .and_then(|r| r.strip_suffix(']'))
        } else if param.explode && param.style == "form" {
            props.contains_key(k).then_some(k.as_str())
        } else {
            None
        };
        if let Some(key) = key {
            let value =
                props.get(key).map_or_else(|| Value::String(v.clone()), |s| coerce(doc, s, v));
            map.insert(key.to_owned(), value);
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

fn plain_json(status: u16, body: Value) -> MockResponse {
    MockResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string().into_bytes(),
        ..Default::default()
    }
}

/// A header value in the `simple` style: arrays and objects comma-separated.
fn simple_style(value: &Value) -> String {
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.clone(), scalar(v)]).collect::<Vec<_>>().join(",")
        }
        other => scalar(other),
    }
}

fn set_header(response: &mut MockResponse, name: &str, value: &str) {
    response.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    response.headers.push((name.to_owned(), value.to_owned()));
}

/// `Prefer: code=404` (Prism's convention).
fn prefer_code(req: &MockRequest) -> Option<u16> {
    req.header("prefer")?
        .split([',', ';'])
        .find_map(|part| part.trim().strip_prefix("code=")?.trim().parse().ok())
}

/// 422 if documented, else 400, else another documented 4xx, else 400.
fn validation_status(op: &Operation) -> u16 {
    for code in [422, 400] {
        if op.responses.iter().any(|r| r.status == StatusKey::Exact(code)) {
            return code;
        }
    }
    op.responses
        .iter()
        .find_map(|r| match r.status {
            StatusKey::Exact(c)
                if (400..500).contains(&c)
                    && !matches!(c, 401 | 403 | 404 | 405 | 406 | 415 | 429) =>
            {
                Some(c)
            }
            _ => None,
        })
        .unwrap_or(400)
}

/// One of the documented 2xx, chosen by the request (so a run sees each of them); else 200
/// when `2XX` or `default` covers it (or nothing is documented); else the first documented
/// status a server can send as a final answer.
fn success_status(op: &Operation, rng: &mut ChaCha8Rng) -> u16 {
    let exact = |range: std::ops::Range<u16>| {
        op.responses.iter().find_map(|r| match r.status {
            StatusKey::Exact(c) if range.contains(&c) => Some(c),
            _ => None,
        })
    };
    let successes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Exact(c) if (200..300).contains(&c) => Some(c),
            _ => None,
        })
        .collect();
    successes
        .choose(rng)
        .copied()
        .or_else(|| (op.responses.is_empty() || op.response_for(200).is_some()).then_some(200))
        .or_else(|| exact(200..600))
        .unwrap_or(200)
}

fn strip_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then(|| rest.trim()).filter(|r| !r.is_empty())
}

fn query_pairs(req: &MockRequest) -> Vec<(String, String)> {
    req.query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn cookies(req: &MockRequest) -> Vec<(String, String)> {
    req.header("cookie")
        .map(|c| {
            c.split(';')
                .filter_map(|pair| {
                    pair.trim().split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The request's method, path, query and body, hashed: the same request gets the same answer.
fn request_hash(req: &MockRequest) -> u64 {
    let text = format!("{} {}?{}", req.method, req.path, req.query.as_deref().unwrap_or(""));
    crate::support::hash::fnv1a(&[text.as_bytes(), &req.body])
}

/// Sets `pointer` (`/id`, `/data/id`) in `value`, adding the last property where its parent
/// object is there; whether it could.
fn set_pointer(value: &mut Value, pointer: &str, new: Value) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let target = if parent.is_empty() { Some(value) } else { value.pointer_mut(parent) };
    match target {
        Some(Value::Object(map)) => {
            map.insert(crate::openapi::unescape(last), new);
            true
        }
        _ => false,
    }
}
