//! Sending the plan: bounded concurrency, an optional rate limit, per-request timeouts, a cap
//! on body size, no redirects, and the checks run on each response as it arrives.
//!
//! The runner keeps, per scenario, a small result (status, failures, a redacted excerpt when
//! something failed); it never keeps passing bodies, so memory stays flat as runs grow.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, mpsc};

use crate::checks::{self, Failure};
use crate::credentials::{Credentials, Placement};
use crate::error::{Error, Result};
use crate::exchange::{Exchange, Response, TransportError, TransportKind};
use crate::plan::{Plan, Scenario};
use crate::schema::Validators;

/// How the plan is sent.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Base URL, path prefix included, without a trailing `/`.
    pub base_url: String,
    /// The secrets.
    pub credentials: Credentials,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests per second across the run, if limited.
    pub rate_limit: Option<f64>,
    /// Time allowed for a whole exchange (connect to last body byte).
    pub timeout: Duration,
    /// Largest body read, in bytes; a larger one fails its scenario.
    pub max_body: usize,
    /// Which checks run, and the statuses they accept.
    pub checks: checks::Settings,
    /// Extra root certificates (PEM) to trust, for a private CA.
    pub ca_certs: Vec<Vec<u8>>,
    /// Accept any certificate (only when asked).
    pub insecure: bool,
}

/// How many times a 429 or 503 with `Retry-After` is retried before its answer stands.
pub const MAX_RETRIES: u8 = 3;
/// The longest `Retry-After` honoured; a longer one is waited for this long.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// What happened to one scenario.
#[derive(Debug, Clone, Default)]
pub struct ScenarioResult {
    /// Time the exchange took.
    pub elapsed: Duration,
    /// The status, when a response came.
    pub status: Option<u16>,
    /// The checks that failed.
    pub failures: Vec<Failure>,
    /// The transport error, when no usable response came.
    pub error: Option<TransportError>,
    /// A short, redacted excerpt of the body (kept only when something failed).
    pub excerpt: Option<String>,
    /// How many times a 429/503 with `Retry-After` was retried.
    pub retries: u8,
    /// Failures a baseline knows: shown, not failing.
    pub known: Vec<Known>,
}

/// A failure listed in the baseline.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The check (or `transport`).
    pub check: String,
    /// What failed.
    pub title: String,
    /// The baseline's reason.
    pub reason: String,
}

impl ScenarioResult {
    /// Whether everything passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.error.is_none()
    }
}

/// The results of a run, aligned with the plan's scenarios.
#[derive(Debug)]
pub struct RunResult {
    /// One result per scenario, in plan order.
    pub results: Vec<ScenarioResult>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Which scenarios finished (all of them unless the run was interrupted).
    pub finished: Vec<bool>,
    /// Whether the run was cut short (Ctrl-C).
    pub interrupted: bool,
}

/// Live counts for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Scenarios finished.
    pub done: usize,
    /// Scenarios in the plan.
    pub total: usize,
    /// Scenarios that failed or errored so far.
    pub failed: usize,
}

/// Everything needed to send scenarios of one plan: the plan, its schemas, the configuration
/// and one HTTP client (one connection pool). [`run`] sends the whole plan through one;
/// the `cargo test` harness sends one scenario per trial.
pub struct Session {
    plan: Arc<Plan>,
    validators: Arc<Validators>,
    config: RunConfig,
    client: reqwest::Client,
    limiter: Option<Mutex<tokio::time::Interval>>,
}

impl Session {
    /// A session for `plan`; fails only when the HTTP client cannot be built (a bad
    /// `--cacert`). Must be called within a tokio runtime when a rate limit is set.
    pub fn new(plan: Arc<Plan>, validators: Arc<Validators>, config: RunConfig) -> Result<Self> {
        let client = client(&config)?;
        let limiter = config.rate_limit.filter(|r| *r > 0.0).map(|rate| {
            let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            Mutex::new(interval)
        });
        Ok(Session { plan, validators, config, client, limiter })
    }

    /// The plan this session sends.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The configuration it sends with.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// Sends scenario `index` of the plan (after the rate limit allows it) and checks the
    /// response.
    pub async fn execute(&self, index: usize) -> ScenarioResult {
        self.execute_scenario(&self.plan.scenarios[index]).await
    }

    /// Sends `scenario`, which need not be in the plan (its `operation` indexes the plan's
    /// operations), after the rate limit allows it, and checks the response.
    pub async fn execute_scenario(&self, scenario: &Scenario) -> ScenarioResult {
        if let Some(limiter) = &self.limiter {
            limiter.lock().await.tick().await;
        }
        execute(self, scenario).await
    }
}

/// Builds the HTTP client: no redirects, no proxies, decoding on, keep-alive pool.
pub fn client(config: &RunConfig) -> Result<reqwest::Client> {
    // reqwest is built without a bundled crypto provider; ring is ours (fast to build).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    let mut certs = Vec::new();
    for pem in &config.ca_certs {
        let bundle = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::flag("--cacert", format!("not a PEM certificate: {e}")))?;
        if bundle.is_empty() {
            return Err(Error::flag("--cacert", "no PEM certificate in the file"));
        }
        certs.extend(bundle);
    }
    if !certs.is_empty() {
        // The private CA joins the system's roots.
        builder = builder.tls_certs_merge(certs);
    }
    if config.insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        // The whole exchange is bounded by one timer in `send`; a second one here would cost per request.
        // Shorter than the exchange's timer, so a target that never accepts reads as unreachable.
        .connect_timeout(config.timeout.mul_f64(0.9))
        .pool_max_idle_per_host(config.concurrency.max(1))
        .user_agent(concat!("gauntlet/", env!("CARGO_PKG_VERSION")))
        .gzip(true)
        .deflate(true)
        .brotli(true)
        .build()
        .map_err(|e| Error::Other(format!("cannot build the HTTP client: {e}")))
}

/// Sends every scenario of `plan` and checks each response. `progress` is called from the
/// collecting task as results arrive. When `cancel` resolves (Ctrl-C), requests in flight are
/// abandoned and the result holds what finished.
pub async fn run(
    plan: Arc<Plan>,
    validators: Arc<Validators>,
    config: RunConfig,
    cancel: impl std::future::Future<Output = ()>,
    mut progress: impl FnMut(Progress),
) -> Result<RunResult> {
    let total = plan.scenarios.len();
    let workers = config.concurrency.clamp(1, total.max(1));
    let shared = Arc::new(Session::new(plan, validators, config)?);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = mpsc::channel::<(usize, ScenarioResult)>(workers * 4);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let shared = Arc::clone(&shared);
        let next = Arc::clone(&next);
        let tx = tx.clone();
        tasks.spawn(async move {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= total {
                    break;
                }
                let result = shared.execute(index).await;
                if tx.send((index, result)).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let mut results = vec![ScenarioResult::default(); total];
    let mut finished = vec![false; total];
    let mut state = Progress { done: 0, total, failed: 0 };
    let mut interrupted = false;
    tokio::pin!(cancel);
    loop {
        tokio::select! {
            next = rx.recv() => {
                let Some((index, result)) = next else { break };
                state.done += 1;
                state.failed += usize::from(!result.passed());
                results[index] = result;
                finished[index] = true;
                progress(state);
            }
            () = &mut cancel => {
                interrupted = true;
                tasks.abort_all();
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    let connect_errors = results
        .iter()
        .filter(|r| r.error.as_ref().is_some_and(|e| e.kind == TransportKind::Connect))
        .count();
    if total > 0 && connect_errors == total && !interrupted {
        let message = results[0].error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
        return Err(Error::Unreachable { base_url: shared.config.base_url.clone(), message });
    }
    Ok(RunResult { results, elapsed, finished, interrupted })
}

/// The plan and results cut down to the scenarios that finished.
pub fn finished_only(plan: &Plan, result: RunResult) -> (Arc<Plan>, RunResult) {
    let keep: Vec<usize> = (0..plan.scenarios.len()).filter(|&i| result.finished[i]).collect();
    let scenarios = keep.iter().map(|&i| plan.scenarios[i].clone()).collect();
    let results = keep.iter().map(|&i| result.results[i].clone()).collect();
    let sub = Plan {
        operations: plan.operations.clone(),
        scenarios,
        seed: plan.seed,
        notes: plan.notes.clone(),
    };
    let finished = vec![true; keep.len()];
    (Arc::new(sub), RunResult { results, finished, ..result })
}

async fn execute(shared: &Session, scenario: &Scenario) -> ScenarioResult {
    let mut retries = 0;
    let exchange = loop {
        let exchange = send(shared, scenario).await;
        // 429 and 503 with Retry-After say "later", not "no": honour them, a few times.
        let wait = match &exchange.outcome {
            Ok(r) if matches!(r.status, 429 | 503) && retries < MAX_RETRIES => r.retry_after,
            _ => None,
        };
        let Some(wait) = wait else { break exchange };
        tokio::time::sleep(wait.min(MAX_RETRY_WAIT)).await;
        retries += 1;
    };
    let mut result = ScenarioResult { elapsed: exchange.elapsed, retries, ..Default::default() };
    let response = match exchange.outcome {
        Ok(response) => response,
        Err(error) => {
            result.error = Some(error);
            return result;
        }
    };
    let operation = &shared.plan.operations[scenario.operation];
    let ctx = checks::Context {
        operation,
        scenario,
        response: &response,
        validators: &shared.validators,
        has_credentials: operation
            .auth
            .first()
            .is_some_and(|s| shared.config.credentials.covers(s)),
        elapsed: exchange.elapsed,
        settings: &shared.config.checks,
    };
    result.status = Some(response.status);
    result.failures = checks::run(&ctx);
    if !result.failures.is_empty() {
        let credentials = &shared.config.credentials;
        result.excerpt = Some(credentials.redact(&checks::excerpt(&response.body, 300)));
        for failure in &mut result.failures {
            failure.title = credentials.redact(&failure.title);
            for line in &mut failure.details {
                *line = credentials.redact(line);
            }
        }
    }
    result
}

/// Sends one scenario and reads its response (capped), within the timeout.
async fn send(shared_client: &Session, scenario: &Scenario) -> Exchange {
    let started = Instant::now();
    let config = &shared_client.config;
    let fut = async {
        let request = build(shared_client, scenario)?;
        let mut response =
            shared_client.client.execute(request).await.map_err(|e| transport(config, &e))?;
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
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(config, &e))? {
            if body.len() + chunk.len() > config.max_body {
                return Err(TransportError {
                    kind: TransportKind::BodyTooLarge,
                    message: format!(
                        "response body exceeds the cap of {} bytes (status {status})",
                        config.max_body
                    ),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, content_type, headers, body, retry_after })
    };
    let outcome = match tokio::time::timeout(config.timeout, fut).await {
        Ok(outcome) => outcome,
        Err(_) => Err(TransportError {
            kind: TransportKind::Timeout,
            message: timeout_message(config.timeout),
        }),
    };
    Exchange { outcome, elapsed: started.elapsed() }
}

fn build(shared: &Session, scenario: &Scenario) -> Result<reqwest::Request, TransportError> {
    let config = &shared.config;
    let spec = &scenario.request;
    let invalid = |m: String| TransportError { kind: TransportKind::Other, message: m };
    let mut url =
        reqwest::Url::parse(&format!("{}{}", config.base_url, spec.path)).map_err(|e| {
            invalid(format!("cannot form a URL from {}{}: {e}", config.base_url, spec.path))
        })?;
    let mut headers = spec.headers.clone();
    let mut cookies = spec.cookies.clone();
    let mut query = spec.query.clone();
    let operation = &shared.plan.operations[scenario.operation];
    for (i, scheme) in operation.auth.iter().enumerate() {
        // Only the first scheme is broken; the others stay valid.
        let mode = if i == 0 { spec.auth } else { crate::plan::AuthMode::Valid };
        match config.credentials.render(scheme, mode) {
            Some(Placement::Header(n, v)) => headers.push((n, v)),
            Some(Placement::Query(n, v)) => query.push((n, v)),
            Some(Placement::Cookie(n, v)) => cookies.push((n, v)),
            None => {}
        }
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    let method = reqwest::Method::from_bytes(operation.method.as_bytes())
        .map_err(|e| invalid(e.to_string()))?;
    let mut builder = shared.client.request(method, url);
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if !cookies.is_empty() {
        let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        builder = builder.header(reqwest::header::COOKIE, joined.join("; "));
    }
    if let Some(body) = &spec.body {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, body.content_type.as_str())
            .body(body.bytes.clone());
    }
    builder.build().map_err(|e| invalid(config.credentials.redact(&chain(&e))))
}

fn transport(config: &RunConfig, e: &reqwest::Error) -> TransportError {
    let message = chain(e);
    if e.is_connect() {
        return TransportError {
            kind: TransportKind::Connect,
            message: config.credentials.redact(&message),
        };
    }
    // reqwest's own deadline can fire mid-body; say it the same way as ours.
    if e.is_timeout() || message.contains("timed out") {
        return TransportError {
            kind: TransportKind::Timeout,
            message: timeout_message(config.timeout),
        };
    }
    TransportError { kind: TransportKind::Other, message: config.credentials.redact(&message) }
}

fn timeout_message(timeout: Duration) -> String {
    format!("no complete response within {timeout:?}")
}

/// An error and its sources on one line, without the URL reqwest puts in front.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
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
fn parse_retry_after(value: &str) -> Option<Duration> {
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
