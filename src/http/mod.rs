//! HTTP: the client (TLS, pool, no redirects, no proxies), a request prepared once per step,
//! and one exchange bounded by a timeout and a body cap, with transport trouble said in one
//! redacted line.

mod client;
mod exchange;
mod prepare;
mod send;

pub use client::{ClientConfig, client};
pub use exchange::{Exchange, Response, TRANSPORT, TransportError, TransportKind};
pub use prepare::prepare;
pub use send::{parse_retry_after, send};

/// An error of the HTTP client with its causes, in one line (`error sending request: connection refused`).
pub fn describe_error(e: &reqwest::Error) -> String {
    send::chain(e)
}
