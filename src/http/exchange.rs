//! What came back for one request: a response, or the transport error that stood in for one.

use std::time::Duration;

/// A response as the checks see it (body decoded, capped).
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Every response header (kept for case expectations on headers).
    pub headers: reqwest::header::HeaderMap,
    /// The body, decoded (gzip, deflate, br), at most the configured cap.
    pub body: Vec<u8>,
    /// `Retry-After`, in seconds or as an HTTP date, as a wait from now.
    pub retry_after: Option<std::time::Duration>,
}

/// The name under which a request that got no usable answer is listed, beside the checks.
pub const TRANSPORT: &str = "transport";

/// Why a request got no usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The connection was refused or could not be made.
    Connect,
    /// The exchange took longer than the timeout.
    Timeout,
    /// The body was larger than the cap.
    BodyTooLarge,
    /// This machine ran out of something (open files): the harness's problem, not the
    /// target's.
    Local,
    /// The connection was closed or reset before any byte of an answer came (a server that
    /// closes idle or errored connections without saying so): sent again on a fresh one.
    Closed,
    /// Reset, malformed HTTP, or anything else.
    Other,
}

/// A request that got no usable answer.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// What kind of trouble.
    pub kind: TransportKind,
    /// A one-line description (no credentials).
    pub message: String,
}

/// The result of sending one scenario.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The response, or the transport error.
    pub outcome: Result<Response, TransportError>,
    /// Time from send to the end of the body.
    pub elapsed: Duration,
}
