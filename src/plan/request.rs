//! One request as planned ([`RequestSpec`]) and what a case expects of its answer.

use super::AuthMode;

/// A request body, serialised.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// The `Content-Type` to send.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One request, with its path encoded and everything but credentials in place.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequestSpec {
    /// Path relative to the base URL, segments percent-encoded (`/endpoints/sip/abc`).
    pub path: String,
    /// Query pairs, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Headers (names as written).
    pub headers: Vec<(String, String)>,
    /// Cookies.
    pub cookies: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// How credentials are sent.
    pub auth: AuthMode,
    /// Values a case file takes from the environment into credential-bearing places, kept
    /// as written (`Bearer ${TOKEN}`): read at send time, redacted in reports, and shown in
    /// `curl` lines as shell variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    /// The method to send instead of the operation's: a probe of one the path does not
    /// declare (`TRACE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// A credential-bearing value taken from the environment, held as its template.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Secret {
    /// Where it goes.
    pub place: SecretPlace,
    /// The header, query or cookie name.
    pub name: String,
    /// The value as written, with its `${VAR}` references.
    pub template: String,
}

/// Where a [`Secret`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SecretPlace {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// What a case expects of the response, beyond the common checks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expectation {
    /// Acceptable statuses (any, when empty).
    pub status: Vec<u16>,
    /// Values the JSON body must hold, by JSON pointer (`/id`).
    pub body: Vec<(String, serde_json::Value)>,
    /// Header values the response must carry (names case-insensitive).
    pub headers: Vec<(String, String)>,
    /// The longest the exchange may take, in milliseconds.
    pub max_ms: Option<u64>,
}
