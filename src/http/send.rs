//! One exchange: send a prepared request and read its answer within one timer, the body
//! capped; transport trouble said in one line without the URL.

use std::time::{Duration, Instant};

use super::{Exchange, Response, TransportError, TransportKind};

/// Sends `request` and reads its response (at most `max_body` bytes of body) within
/// `timeout`; messages go through `redact`.
pub async fn send(
    client: &reqwest::Client,
    request: reqwest::Request,
    timeout: Duration,
    max_body: usize,
    redact: &(dyn Fn(&str) -> String + Sync),
) -> Exchange {
    let started = Instant::now();
    let fut = async {
        let mut response = client.execute(request).await.map_err(|e| {
            let error = transport(timeout, redact, &e);
            // Nothing of an answer came: a connection the server had closed, not a verdict.
            if error.kind == TransportKind::Other && closed_before_answer(&error.message) {
                return TransportError { kind: TransportKind::Closed, ..error };
            }
            error
        })?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        // Moved, not copied: case expectations read them.
        let headers = std::mem::take(response.headers_mut());
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| transport(timeout, redact, &e))?
        {
            if body.len() + chunk.len() > max_body {
                return Err(TransportError {
                    kind: TransportKind::BodyTooLarge,
                    message: format!(
                        "response body exceeds the cap of {max_body} bytes (status {status})"
                    ),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, content_type, headers, body, retry_after })
    };
    let outcome = match tokio::time::timeout(timeout, fut).await {
        Ok(outcome) => outcome,
        Err(_) => {
            Err(TransportError { kind: TransportKind::Timeout, message: timeout_message(timeout) })
        }
    };
    Exchange { outcome, elapsed: started.elapsed() }
}

fn transport(
    timeout: Duration,
    redact: &(dyn Fn(&str) -> String + Sync),
    e: &reqwest::Error,
) -> TransportError {
    let message = chain(e);
    if message.contains("os error 24") || message.contains("Too many open files") {
        return TransportError { kind: TransportKind::Local, message };
    }
    if e.is_connect() {
        return TransportError { kind: TransportKind::Connect, message: redact(&message) };
    }
    // reqwest's own deadline can fire mid-body; say it the same way as ours.
    if e.is_timeout() || message.contains("timed out") {
        return TransportError { kind: TransportKind::Timeout, message: timeout_message(timeout) };
    }
    TransportError { kind: TransportKind::Other, message: redact(&message) }
}

/// Whether a send failed because the connection was gone: reset, closed, or a broken pipe.
fn closed_before_answer(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    [
        "connection reset",
        "connection closed before message completed",
        "broken pipe",
        "connection aborted",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

fn timeout_message(timeout: Duration) -> String {
    format!("no complete response within {timeout:?}")
}

/// An error and its sources on one line, without the URL reqwest puts in front.
pub(super) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        let text = match text.find(" for url (") {
            Some(i) => text[..i].to_owned(),
            None => text,
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

/// `Retry-After`: delay-seconds, or an HTTP date (a date in the past means now).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
