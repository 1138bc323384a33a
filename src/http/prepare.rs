//! One step's request, prepared once: URL, method, headers, cookies and body, with the
//! credentials the runner rendered for it.

use crate::credentials::Placement;
use crate::plan::RequestSpec;

use super::{TransportError, TransportKind};

/// Builds the request for `spec` against `base_url` (no trailing `/`), with `placements`
/// (rendered credentials) added where each belongs. A request that cannot be formed is a
/// transport error of its scenario, said through `redact`.
pub fn prepare(
    client: &reqwest::Client,
    base_url: &str,
    method: &reqwest::Method,
    spec: &RequestSpec,
    placements: &[Placement],
    redact: impl Fn(&str) -> String,
) -> Result<reqwest::Request, TransportError> {
    let invalid = |m: String| TransportError { kind: TransportKind::Other, message: m };
    let mut url = reqwest::Url::parse(&format!("{base_url}{}", spec.path)).map_err(|e| {
        invalid(redact(&format!("cannot form a URL from {base_url}{}: {e}", spec.path)))
    })?;
    let mut headers: Vec<(&str, &str)> =
        spec.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut cookies: Vec<(&str, &str)> =
        spec.cookies.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut query: Vec<(&str, &str)> =
        spec.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for placement in placements {
        match placement {
            Placement::Header(n, v) => headers.push((n, v)),
            Placement::Query(n, v) => query.push((n, v)),
            Placement::Cookie(n, v) => cookies.push((n, v)),
        }
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    let mut builder = client.request(method.clone(), url);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if !cookies.is_empty() {
        let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        builder = builder.header(reqwest::header::COOKIE, joined.join("; "));
    }
    if let Some(body) = &spec.body {
        // An empty type is a body sent without `Content-Type` (a probe of a server's sniffing).
        if !body.content_type.is_empty() {
            builder = builder.header(reqwest::header::CONTENT_TYPE, body.content_type.as_str());
        }
        builder = builder.body(body.bytes.clone());
    }
    builder.build().map_err(|e| invalid(redact(&super::send::chain(&e))))
}
