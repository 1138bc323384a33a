//! The operation model: what gauntlet needs to know of each operation to test it.

use super::PathTemplate;

/// A schema, named by where it stands in the (normalised) document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaRef {
    /// JSON pointer into the document, without the leading `#`.
    pub pointer: String,
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// A path template segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl Location {
    /// The OpenAPI name of the location (`path`, `query`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    /// Parses an OpenAPI `in` value.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return None,
        })
    }
}

/// One parameter of an operation (path-level and operation-level merged).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The parameter's name.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether a valid request must carry it (always true for path parameters).
    pub required: bool,
    /// Its schema, if it has one.
    pub schema: Option<SchemaRef>,
    /// `style` (defaults per location: `simple` for path and header, `form` for query and cookie).
    pub style: String,
    /// `explode` (defaults to true for `form`).
    pub explode: bool,
}

/// A media type and its schema.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// The media type as written, lower-cased (`application/json`, `application/*`, ...).
    pub name: String,
    /// Its schema, if it has one.
    pub schema: Option<SchemaRef>,
    /// Per property of a form body, the part's `contentType` from `encoding`.
    pub encoding: Vec<(String, String)>,
    /// A stream of items (OpenAPI 3.2's `itemSchema` with no `schema`: `text/event-stream`,
    /// `application/jsonl`), which gauntlet does not yet write or read item by item.
    pub streamed: bool,
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Whether the body is required.
    pub required: bool,
    /// The media types it may be sent as.
    pub content: Vec<MediaType>,
}

/// The key of a documented response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKey {
    /// One status code, e.g. `404`.
    Exact(u16),
    /// A range, e.g. `4XX` (holds the leading digit).
    Range(u16),
    /// `default`.
    Default,
}

impl StatusKey {
    /// Whether `status` falls under this key.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusKey::Exact(code) => code == status,
            StatusKey::Range(digit) => status / 100 == digit,
            StatusKey::Default => true,
        }
    }
}

impl std::fmt::Display for StatusKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusKey::Exact(code) => write!(f, "{code}"),
            StatusKey::Range(digit) => write!(f, "{digit}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status it documents.
    pub status: StatusKey,
    /// Its media types (empty when no body is documented).
    pub content: Vec<MediaType>,
    /// The headers it documents (`Content-Type` aside, which the spec says to ignore).
    pub headers: Vec<ResponseHeader>,
}

/// A header a response documents.
#[derive(Debug, Clone)]
pub struct ResponseHeader {
    /// Its name, lower-cased.
    pub name: String,
    /// Whether every such response carries it.
    pub required: bool,
    /// Its schema (under `schema`, or the first media type of `content`).
    pub schema: Option<SchemaRef>,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// The query string.
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme gauntlet can send credentials for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// HTTP Basic.
    Basic,
    /// HTTP Bearer.
    Bearer,
    /// An API key.
    ApiKey {
        /// Header, query or cookie name.
        name: String,
        /// Where it goes.
        location: ApiKeyLocation,
    },
    /// OAuth2, OpenID Connect, mutual TLS or another HTTP scheme (named): not sent.
    Unsupported(String),
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `METHOD /path` when there is none (made unique).
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template, e.g. `/endpoints/sip/{id}`, parsed once.
    pub path: PathTemplate,
    /// JSON pointer to the operation object.
    pub pointer: String,
    /// Parameters other than credentials.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<RequestBody>,
    /// Documented responses, in document order.
    pub responses: Vec<Response>,
    /// The credentials a request needs (all of them), empty when none are required: the
    /// first alternative gauntlet can send, or the first the run has credentials for
    /// ([`Operation::choose_auth`]).
    pub auth: Vec<SecurityScheme>,
    /// Every alternative of its `security` (OR), each a list of schemes (AND); an empty
    /// alternative (`{}`) makes credentials optional. Empty when no security applies.
    pub auth_alternatives: Vec<Vec<SecurityScheme>>,
}

/// Whether gauntlet can send every scheme of an alternative at once: each is supported, and
/// no two different ones need the `Authorization` header (Basic and Bearer together cannot
/// be sent; two bearer schemes share one token).
pub fn sendable(alternative: &[SecurityScheme]) -> bool {
    let in_authorization = |s: &&SecurityScheme| match s {
        SecurityScheme::Basic | SecurityScheme::Bearer => true,
        SecurityScheme::ApiKey { name, location } => {
            *location == ApiKeyLocation::Header && name.eq_ignore_ascii_case("authorization")
        }
        SecurityScheme::Unsupported(_) => false,
    };
    let mut authorization: Vec<&SecurityScheme> =
        alternative.iter().filter(in_authorization).collect();
    authorization.dedup();
    alternative.iter().all(|s| !matches!(s, SecurityScheme::Unsupported(_)))
        && authorization.len() <= 1
}

impl Operation {
    /// The documented response for `status`: exact code first, then range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let find =
            |pred: &dyn Fn(StatusKey) -> bool| self.responses.iter().find(|r| pred(r.status));
        find(&|k| k == StatusKey::Exact(status))
            .or_else(|| find(&|k| matches!(k, StatusKey::Range(_)) && k.matches(status)))
            .or_else(|| find(&|k| k == StatusKey::Default))
    }

    /// Whether a success is documented: a 2xx or a 3xx (a redirect answers a valid request
    /// too), their ranges, or `default` (which may be one). An operation that documents none
    /// cannot say how a valid request is answered.
    pub fn documents_success(&self) -> bool {
        self.responses.iter().any(|r| match r.status {
            StatusKey::Exact(code) => (200..400).contains(&code),
            StatusKey::Range(digit) => digit == 2 || digit == 3,
            StatusKey::Default => true,
        })
    }

    /// Whether `status` is documented explicitly (exact or range; `default` does not count).
    pub fn documents_status(&self, status: u16) -> bool {
        self.responses.iter().any(|r| r.status != StatusKey::Default && r.status.matches(status))
    }

    /// Every schema the operation uses: parameters, request bodies, responses.
    pub fn schema_pointers(&self) -> impl Iterator<Item = &str> {
        self.request_schema_pointers().chain(self.response_schema_pointers())
    }

    /// The schemas of what is sent: parameters and request bodies.
    pub fn request_schema_pointers(&self) -> impl Iterator<Item = &str> {
        let params = self.parameters.iter().filter_map(|p| p.schema.as_ref());
        let bodies =
            self.request_body.iter().flat_map(|b| &b.content).filter_map(|m| m.schema.as_ref());
        params.chain(bodies).map(|s| s.pointer.as_str())
    }

    /// The schemas of what is answered: response bodies and headers.
    pub fn response_schema_pointers(&self) -> impl Iterator<Item = &str> {
        let media = self.responses.iter().flat_map(|r| &r.content);
        let bodies = media.filter_map(|m| m.schema.as_ref());
        let headers = self.responses.iter().flat_map(|r| &r.headers);
        bodies.chain(headers.filter_map(|h| h.schema.as_ref())).map(|s| s.pointer.as_str())
    }

    /// `METHOD /path`, the way people name an operation.
    pub fn title(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Takes, as the credentials to send, the first alternative gauntlet can send whose
    /// every scheme `covers` says the run has (so `--api-key` alone picks the API-key
    /// alternative of `[{oauth2}, {apiKey}]`); otherwise keeps the default.
    pub fn choose_auth(&mut self, covers: impl Fn(&SecurityScheme) -> bool) {
        if self.auth.is_empty() {
            return; // no security, or optional
        }
        let chosen =
            self.auth_alternatives.iter().find(|alt| sendable(alt) && alt.iter().all(&covers));
        if let Some(alt) = chosen {
            self.auth = alt.clone();
        }
    }

    /// Whether every request must carry credentials that gauntlet can produce.
    pub fn requires_auth(&self) -> bool {
        !self.auth.is_empty()
            && !self.auth.iter().any(|s| matches!(s, SecurityScheme::Unsupported(_)))
    }
}
