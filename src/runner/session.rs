//! A [`Session`]: one plan, its schemas, one HTTP client; sends a scenario step by step,
//! retries what `Retry-After` asks, checks each answer, and keeps a redacted result.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use super::{ScenarioResult, StepResult};
use crate::checks::{self, Failure};
use crate::credentials::{Credentials, Placement, Redactor};
use crate::error::Result;
use crate::http::{self, ClientConfig};
use crate::openapi::Operation;
use crate::plan::{AuthMode, Plan, Scenario, SecretPlace, Step};
use crate::schema::Validators;

/// How the plan is sent.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Base URL, path prefix included, without a trailing `/`.
    pub base_url: String,
    /// The secrets.
    pub credentials: Credentials,
    /// Further identities (`--identity NAME=...`), each with its own credentials.
    pub identities: Vec<(String, Credentials)>,
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
    /// The longest the run may send for (`--max-time`): past it no scenario is started.
    pub max_time: Option<Duration>,
    /// Delete what the run created at its end (`--no-cleanup` turns it off).
    pub cleanup: bool,
}

/// The token of a login in use for one request, if the request carries one.
type Held = Option<Arc<str>>;

/// How many times a 429 or 503 with `Retry-After` is retried before its answer stands.
pub const MAX_RETRIES: u8 = 3;
/// The longest `Retry-After` honoured; a longer one is waited for this long.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);
/// How many times a request is sent again after its connection was closed before any answer
/// (each time on another connection: the pool drops a dead one).
const MAX_RECONNECTS: u8 = 2;

/// Everything needed to send scenarios of one plan: the plan, its schemas, the configuration
/// and one HTTP client (one connection pool). [`super::run`] sends the whole plan through
/// one; the `cargo test` harness sends one scenario per trial.
pub struct Session {
    plan: Arc<Plan>,
    /// Every path of the spec, parsed once (for `Location` checks).
    routes: Vec<crate::openapi::PathTemplate>,
    validators: Arc<Validators>,
    config: RunConfig,
    client: reqwest::Client,
    limiter: Option<Mutex<tokio::time::Interval>>,
    /// Every form of every secret, built once.
    redactor: Redactor,
    /// Each operation's method, parsed once.
    methods: Vec<Option<reqwest::Method>>,
    /// The credentials of each (operation, mode) the plan sends, rendered once.
    rendered: HashMap<(usize, AuthMode), Vec<Placement>>,
    /// The token login, when the credentials have one.
    tokens: Option<super::token::Tokens>,
    /// Per operation: whether its requests carry the login's token.
    takes_token: Vec<bool>,
    /// What the run created, for the cleanup at its end.
    created: super::cleanup::Created,
    /// The values its answers gave the reads sent after the plan (value reuse).
    learned: super::reuse::Learned,
}

impl Session {
    /// A session for `plan`; fails only when the HTTP client cannot be built (a bad
    /// `--cacert`). Must be called within a tokio runtime when a rate limit is set.
    pub fn new(plan: Arc<Plan>, validators: Arc<Validators>, config: RunConfig) -> Result<Self> {
        let client = http::client(ClientConfig {
            concurrency: config.concurrency,
            timeout: config.timeout,
            ca_certs: &config.ca_certs,
            insecure: config.insecure,
        })?;
        let limiter = config.rate_limit.filter(|r| *r > 0.0).map(|rate| {
            let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            Mutex::new(interval)
        });
        let methods = plan
            .operations
            .iter()
            .map(|op| reqwest::Method::from_bytes(op.method.as_bytes()).ok())
            .collect();
        // Secrets case files take from the environment are redacted like the run's own.
        let mut extra: Vec<String> = plan
            .scenarios
            .iter()
            .flat_map(|s| &s.steps)
            .flat_map(|s| &s.request.secrets)
            .filter_map(|s| crate::support::env::interpolate(&s.template).ok())
            .collect();
        for (_, other) in &config.identities {
            if let Some((id, token)) = &other.basic {
                extra.push(format!("{id}:{token}"));
                extra.push(token.clone());
            }
            extra.extend(other.bearer.iter().chain(&other.api_key).cloned());
        }
        extra.sort();
        extra.dedup();
        let redactor = Redactor::with(&config.credentials, extra);
        let mut rendered = HashMap::new();
        for step in plan.scenarios.iter().flat_map(|s| &s.steps) {
            let key = (step.operation, step.request.auth);
            rendered
                .entry(key)
                .or_insert_with(|| render(&config.credentials, &plan.operations[key.0], key.1));
        }
        let routes = plan.declared.keys().map(|r| crate::openapi::PathTemplate::parse(r)).collect();
        let tokens = match &config.credentials.login {
            Some(login) => Some(super::token::Tokens::new(
                login,
                &config.base_url,
                client.clone(),
                config.timeout,
                redactor.clone(),
            )?),
            None => None,
        };
        let takes_token = plan
            .operations
            .iter()
            .map(|op| op.auth.iter().any(|s| config.credentials.uses_token(s)))
            .collect();
        Ok(Session {
            plan,
            routes,
            validators,
            config,
            client,
            limiter,
            redactor,
            methods,
            rendered,
            tokens,
            takes_token,
            created: Default::default(),
            learned: Default::default(),
        })
    }

    /// The values the run's answers gave so far, for the reads sent after the plan.
    pub fn learned(&self) -> &super::reuse::Learned {
        &self.learned
    }

    /// What the run created so far.
    pub fn created(&self) -> &super::cleanup::Created {
        &self.created
    }

    /// Sends `step` (after the rate limit allows it) and gives its status, judging nothing:
    /// for the cleanup.
    pub async fn send_plain(&self, step: &Step) -> Result<u16, http::TransportError> {
        if let Some(limiter) = &self.limiter {
            limiter.lock().await.tick().await;
        }
        let token = self.token_for(step).await?;
        let request = self.prepare(step, token.as_deref())?;
        let redact = |t: &str| self.redactor.redact(t);
        let exchange =
            http::send(&self.client, request, self.config.timeout, self.config.max_body, &redact)
                .await;
        exchange.outcome.map(|r| r.status)
    }

    /// Logs in, when the run has a token login: before anything is sent, so a login that
    /// fails stops the run at once.
    pub async fn login(&self) -> Result<()> {
        match &self.tokens {
            Some(tokens) => tokens.current().await.map(drop).map_err(crate::Error::Other),
            None => Ok(()),
        }
    }

    /// The token login, when the run has one.
    pub fn tokens(&self) -> Option<&super::token::Tokens> {
        self.tokens.as_ref()
    }

    /// The plan this session sends.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The configuration it sends with.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// Sends scenario `index` of the plan and checks every answer.
    pub async fn execute(&self, index: usize) -> ScenarioResult {
        self.execute_scenario(&self.plan.scenarios[index]).await
    }

    /// Sends `scenario`, which need not be in the plan (its steps index the plan's
    /// operations), step by step, each after the rate limit allows it; a step with no answer
    /// ends it.
    pub async fn execute_scenario(&self, scenario: &Scenario) -> ScenarioResult {
        let mut steps: Vec<StepResult> = Vec::with_capacity(scenario.steps.len());
        // The values captured so far, as read (the results keep redacted copies).
        let mut values: HashMap<String, serde_json::Value> = HashMap::new();
        let mut earlier: Vec<checks::Earlier> = Vec::new();
        // Chain checks compare bodies across steps; a single request keeps none.
        let chained = scenario.steps.len() > 1;
        for step in &scenario.steps {
            // A chain step whose value an earlier answer did not give is not sent: a request
            // with a made-up id in its place would be judged on a resource nobody created.
            let op = &self.plan.operations[step.operation];
            let fits = |site: &crate::plan::Site, v: &serde_json::Value| {
                super::chain::fits(op, &self.validators, site, v)
            };
            let step = match super::chain::filled(step, &values, fits) {
                Ok(step) => step,
                Err(stop) => {
                    // The answer that should have given it succeeded without it, or with one
                    // the next operation does not take: what the spec promises cannot be
                    // followed, a gap in it, not a server bug.
                    if let Some(last) = steps.last_mut()
                        && last.status.is_some_and(|s| (200..300).contains(&s))
                    {
                        let title = match stop {
                            super::chain::Stop::Missing(names) => format!(
                                "the answer gave no {} for the chain to {}: the chain stopped",
                                names.join(", "),
                                op.id
                            ),
                            super::chain::Stop::Unfit(name, value) => format!(
                                "the answer's {name} ({}) is not one {} takes: the chain stopped",
                                self.redactor.redact(&crate::support::text::truncate(&value, 40)),
                                op.id
                            ),
                        };
                        let gap = Failure {
                            check: checks::SPEC_GAP,
                            title,
                            expected: "an id of the created resource the next operation takes (mark it required, or link it)".into(),
                            details: Vec::new(),
                        };
                        // As every gap: a failure under --strict.
                        match self.config.checks.strict {
                            true => last.failures.push(gap),
                            false => last.gaps.push(gap),
                        }
                    }
                    break;
                }
            };
            if let Some(limiter) = &self.limiter {
                limiter.lock().await.tick().await;
            }
            let (result, read, answer) =
                self.execute_step(scenario, &step, &earlier, chained).await;
            let ended = result.error.is_some();
            // Only a later step reads it: a single request keeps none.
            if chained {
                let json = |b: &[u8]| serde_json::from_slice(b).ok();
                earlier.push(checks::Earlier {
                    status: result.status,
                    method: self.plan.operations[step.operation].method.clone(),
                    identity: step.identity.clone(),
                    sent: step.request.body.as_ref().and_then(|b| json(&b.bytes)),
                    answer,
                });
            }
            values.extend(read);
            steps.push(result);
            if ended {
                break;
            }
        }
        ScenarioResult { steps, flaky: false }
    }

    async fn execute_step(
        &self,
        scenario: &Scenario,
        step: &Step,
        earlier: &[checks::Earlier],
        chained: bool,
    ) -> (StepResult, Vec<(String, serde_json::Value)>, Option<serde_json::Value>) {
        let credentials = &self.config.credentials;
        let redact = |t: &str| self.redactor.redact(t);
        let operation = &self.plan.operations[step.operation];
        let (mut retries, mut reconnects) = (0, 0);
        let mut token = match self.token_for(step).await {
            Ok(token) => token,
            Err(error) => {
                return (StepResult { error: Some(error), ..Default::default() }, Vec::new(), None);
            }
        };
        let mut replayed = false;
        let exchange = loop {
            // Prepared for each send: a send again (rare) costs a preparation, not every
            // request a copy kept just in case.
            let request = match self.prepare(step, token.as_deref()) {
                Ok(request) => request,
                Err(error) => {
                    return (
                        StepResult { error: Some(error), ..Default::default() },
                        Vec::new(),
                        None,
                    );
                }
            };
            let exchange = http::send(
                &self.client,
                request,
                self.config.timeout,
                self.config.max_body,
                &redact,
            )
            .await;
            // A connection the server closed before answering is not a verdict: send again.
            if let Err(e) = &exchange.outcome
                && e.kind == http::TransportKind::Closed
                && reconnects < MAX_RECONNECTS
            {
                reconnects += 1;
                continue;
            }
            // A valid token refused: it may have been revoked or expired early. Renewed once,
            // the request is sent once more.
            if let (Ok(r), Some(stale), Some(tokens)) = (&exchange.outcome, &token, &self.tokens)
                && r.status == 401
                && step.request.auth == AuthMode::Valid
                && !replayed
                && let Some(renewed) = tokens.after_401(stale).await
            {
                match renewed {
                    Ok(fresh) => token = Some(fresh),
                    Err(message) => {
                        let error = login_error(message);
                        return (
                            StepResult { error: Some(error), ..Default::default() },
                            Vec::new(),
                            None,
                        );
                    }
                }
                replayed = true;
                continue;
            }
            // 429 and 503 with Retry-After say "later", not "no": honour them, a few times.
            let wait = match &exchange.outcome {
                Ok(r) if matches!(r.status, 429 | 503) && retries < MAX_RETRIES => r.retry_after,
                _ => None,
            };
            let Some(wait) = wait else { break exchange };
            tokio::time::sleep(wait.min(MAX_RETRY_WAIT)).await;
            retries += 1;
        };
        let elapsed = exchange.elapsed;
        let mut result = StepResult { elapsed, retries, ..Default::default() };
        let response = match exchange.outcome {
            Ok(response) => response,
            Err(error) => {
                result.error = Some(error);
                return (result, Vec::new(), None);
            }
        };
        let ctx = checks::Context {
            operation,
            scenario,
            step,
            response: &response,
            validators: &self.validators,
            has_credentials: !operation.auth.is_empty()
                && operation.auth.iter().all(|s| credentials.covers(s)),
            elapsed,
            settings: &self.config.checks,
            declared_methods: self
                .plan
                .declared
                .get(operation.path.route())
                .map_or(&[], Vec::as_slice),
            routes: &self.routes,
            earlier,
        };
        result.status = Some(response.status);
        result.media = response.content_type.as_deref().map(checks::essence);
        result.failures = checks::run(&ctx);
        if !self.config.checks.strict {
            let (gaps, failures) =
                result.failures.drain(..).partition(|f| f.check == checks::SPEC_GAP);
            (result.gaps, result.failures) = (gaps, failures);
        }
        let read = super::chain::captured(step, operation, &response);
        // What it created, for the cleanup.
        if let Some(cleanup) = self.plan.cleanup.get(&step.operation)
            && (200..300).contains(&response.status)
            && step.identity.is_none()
        {
            let ids = super::chain::captured_by(&cleanup.captures, step, operation, &response);
            // Only a resource whose every value is known can be deleted.
            if ids.len() == cleanup.captures.len() {
                self.created.add(step.operation, ids);
            }
        }
        // Ids for the reads sent after the plan.
        if !self.plan.reuse.reads.is_empty() && (200..300).contains(&response.status) {
            let answered = super::reuse::Answered { scenario, step, response: &response };
            super::reuse::learn(&self.learned, &self.plan, &self.config.base_url, &answered, |t| {
                self.redactor.redact(t) != t
            });
        }
        result.captured =
            read.iter().map(|(n, v)| (n.clone(), redact(&crate::plan::text(v)))).collect();
        if !result.failures.is_empty() || !result.gaps.is_empty() {
            result.excerpt = Some(redact(&checks::excerpt(&response.body, 300)));
            if !result.failures.is_empty() {
                // Gaps are one per operation and status: only failures are told apart by it.
                result.signature =
                    checks::signature(response.status, &response.body, &step.request)
                        .map(|s| redact(&s));
            }
            for failure in result.failures.iter_mut().chain(&mut result.gaps) {
                redact_failure(failure, &redact);
            }
        }
        let answer = (chained && (200..300).contains(&response.status))
            .then(|| serde_json::from_slice(&response.body).ok())
            .flatten();
        (result, read, answer)
    }

    /// The login's token for `step`, when its operation takes it and it sends credentials.
    async fn token_for(&self, step: &Step) -> Result<Held, http::TransportError> {
        match &self.tokens {
            Some(tokens)
                if self.takes_token[step.operation] && step.request.auth != AuthMode::Omit =>
            {
                tokens.current().await.map(Some).map_err(login_error)
            }
            _ => Ok(None),
        }
    }

    /// The step's request with its credentials (`token`: the login's, rendered as it is
    /// now): only the first scheme is broken, the others stay valid.
    fn prepare(
        &self,
        step: &Step,
        token: Option<&str>,
    ) -> Result<reqwest::Request, http::TransportError> {
        let operation = &self.plan.operations[step.operation];
        let credentials = &self.config.credentials;
        let mut placements = match (&step.identity, token) {
            // Another identity's step is sent with its own credentials.
            (Some(name), _) => {
                let Some((_, other)) = self.config.identities.iter().find(|(n, _)| n == name)
                else {
                    return Err(http::TransportError {
                        kind: http::TransportKind::Other,
                        message: format!(
                            "no identity '{name}' (give it with --identity {name}=...)"
                        ),
                    });
                };
                Cow::Owned(render(other, operation, step.request.auth))
            }
            (None, Some(token)) => {
                Cow::Owned(render(&credentials.with_token(token), operation, step.request.auth))
            }
            (None, None) => match self.rendered.get(&(step.operation, step.request.auth)) {
                Some(rendered) => Cow::Borrowed(rendered.as_slice()),
                // A scenario from outside the plan (fuzz, replay) is rendered as it comes.
                None => Cow::Owned(render(credentials, operation, step.request.auth)),
            },
        };
        for secret in &step.request.secrets {
            let value = crate::support::env::interpolate(&secret.template).map_err(|m| {
                http::TransportError { kind: http::TransportKind::Other, message: m }
            })?;
            let name = secret.name.clone();
            placements.to_mut().push(match secret.place {
                SecretPlace::Header => Placement::Header(name, value),
                SecretPlace::Query => Placement::Query(name, value),
                SecretPlace::Cookie => Placement::Cookie(name, value),
            });
        }
        // A probe of an undeclared method names its own (rare: parsed per request).
        let probed =
            step.request.method.as_deref().map(|m| reqwest::Method::from_bytes(m.as_bytes()));
        let method = match (&probed, &self.methods[step.operation]) {
            (Some(Ok(m)), _) | (None, Some(m)) => m,
            _ => {
                let name = step.request.method.as_deref().unwrap_or(&operation.method);
                return Err(http::TransportError {
                    kind: http::TransportKind::Other,
                    message: format!("'{name}' is not an HTTP method"),
                });
            }
        };
        http::prepare(
            &self.client,
            &self.config.base_url,
            method,
            &step.request,
            &placements,
            |t| self.redactor.redact(t),
        )
    }
}

/// The credentials of `operation` for `mode`: only the first scheme is broken, the others
/// stay valid.
fn render(credentials: &Credentials, operation: &Operation, mode: AuthMode) -> Vec<Placement> {
    operation
        .auth
        .iter()
        .enumerate()
        .filter_map(|(i, scheme)| {
            let mode = if i == 0 { mode } else { AuthMode::Valid };
            credentials.render(scheme, mode)
        })
        .collect()
}

/// A failed login as the transport error of the step that needed it (the run stops on it).
fn login_error(message: String) -> http::TransportError {
    http::TransportError { kind: http::TransportKind::Other, message }
}

fn redact_failure(failure: &mut Failure, redact: &impl Fn(&str) -> String) {
    failure.title = redact(&failure.title);
    for line in &mut failure.details {
        *line = redact(line);
    }
}
