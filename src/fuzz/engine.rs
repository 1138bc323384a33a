//! The fuzzing loop: examples drawn in a fixed order, sent `concurrency` at a time, every
//! check run on every response; the first example of each new kind of failure is shrunk
//! against the live target, one request at a time, to the smallest input that still fails
//! the same check the same way.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures_util::future::join_all;

use super::strategy::{Example, OperationFuzz};
use crate::plan::Scenario;
use crate::runner::{ScenarioResult, Session};

/// Budget and bounds of a fuzz run.
#[derive(Debug, Clone)]
pub struct FuzzConfig {
    /// Seed of the example sequence.
    pub seed: u64,
    /// Stop after this many examples (when set).
    pub max_examples: Option<u64>,
    /// Stop after this long (when set).
    pub duration: Option<Duration>,
    /// Examples in flight at once.
    pub concurrency: usize,
    /// Most requests spent shrinking one failure.
    pub shrink_requests: usize,
    /// Most time spent shrinking one failure.
    pub shrink_time: Duration,
}

/// Live counts for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct FuzzProgress {
    /// Examples sent.
    pub examples: u64,
    /// Requests sent (examples and shrinking).
    pub requests: u64,
    /// Distinct failures found.
    pub failures: usize,
    /// Time since the start.
    pub elapsed: Duration,
}

/// One distinct failure, shrunk.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What makes it distinct: operation, check, status, kind.
    pub key: Key,
    /// The fuzz target it came from (index into the targets).
    pub target: usize,
    /// The number of the example that first showed it (1-based).
    pub found_after: u64,
    /// Requests spent shrinking it.
    pub shrink_steps: usize,
    /// The inputs of the first failing example.
    pub original: Vec<(String, String)>,
    /// The inputs of the smallest failing example.
    pub minimal: Vec<(String, String)>,
    /// The smallest failing example's scenario.
    pub scenario: Scenario,
    /// What it got.
    pub result: ScenarioResult,
}

/// Failures are the same when operation, check, status, kind and (for a server error) the
/// answer's signature are.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Index of the operation in the session's plan.
    pub operation: usize,
    /// The check, or `transport`.
    pub check: String,
    /// The status, when a response came.
    pub status: Option<u16>,
    /// The failure's kind: the check's, or the transport error's (`timeout`, `other`, ...).
    pub kind: String,
    /// The server error's signature (its message, values stripped): a SQL error and a
    /// NUL-byte error are two findings.
    pub signature: Option<String>,
}

/// At most this many findings differ only by signature, per operation, check and status: a
/// server whose every message is new does not turn a fuzz run into a shrink of each.
const MAX_SIGNATURES: usize = 4;

/// The keys of a result's failures.
pub fn keys(operation: usize, result: &ScenarioResult) -> Vec<Key> {
    let mut out: Vec<Key> = Vec::new();
    for step in &result.steps {
        out.extend(step.failures.iter().map(|f| Key {
            operation,
            check: f.check.to_owned(),
            status: result.status(),
            kind: f.check.to_owned(),
            signature: step.signature.clone(),
        }));
    }
    if let Some(e) = result.error() {
        out.push(Key {
            operation,
            check: crate::http::TRANSPORT.into(),
            status: None,
            kind: format!("{:?}", e.kind).to_lowercase(),
            signature: None,
        });
    }
    out
}

/// What a fuzz run found.
#[derive(Debug, Default)]
pub struct FuzzOutcome {
    /// The distinct failures, in the order found.
    pub findings: Vec<Finding>,
    /// Examples sent.
    pub examples: u64,
    /// Examples not sent because their path would route elsewhere.
    pub skipped: u64,
    /// Requests sent in all.
    pub requests: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Whether Ctrl-C cut it short.
    pub interrupted: bool,
    /// Examples whose request could not even connect.
    pub unreachable: u64,
}

/// `fut`, unless `cancelled` turns true first (checked every 50 ms): Ctrl-C abandons
/// requests in flight instead of waiting for their timeout.
async fn unless_cancelled<T>(
    fut: impl Future<Output = T>,
    cancelled: &dyn Fn() -> bool,
) -> Option<T> {
    let watch = async {
        while !cancelled() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::select! {
        value = fut => Some(value),
        () = watch => None,
    }
}

/// Runs the examples of `targets` (taken in turn) against `session` until the budget is
/// spent, `cancelled` says stop, or there is nothing to fuzz.
pub async fn fuzz(
    session: &Session,
    targets: &[OperationFuzz],
    config: &FuzzConfig,
    cancelled: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(FuzzProgress),
) -> FuzzOutcome {
    let started = Instant::now();
    let mut outcome = FuzzOutcome::default();
    if targets.is_empty() {
        return outcome;
    }
    let mut found: BTreeSet<Key> = BTreeSet::new();
    let mut n: u64 = 0;
    let in_budget = |n: u64, started: Instant| {
        config.max_examples.is_none_or(|m| n < m)
            && config.duration.is_none_or(|d| started.elapsed() < d)
    };
    while in_budget(n, started) && !cancelled() {
        // The next batch, in a fixed order.
        let mut batch: Vec<(u64, usize, Example, Scenario)> = Vec::new();
        while batch.len() < config.concurrency.max(1) && in_budget(n, started) {
            let target = (n % targets.len() as u64) as usize;
            let example = targets[target].tree(config.seed, n).current();
            n += 1;
            match targets[target].scenario(&example) {
                Some(scenario) => batch.push((n, target, example, scenario)),
                None => outcome.skipped += 1,
            }
        }
        let sent = join_all(batch.iter().map(|(.., s)| session.execute_scenario(s)));
        let Some(results) = unless_cancelled(sent, cancelled).await else { break };
        outcome.unreachable += results
            .iter()
            .filter(|r| r.error().is_some_and(|e| e.kind == crate::http::TransportKind::Connect))
            .count() as u64;
        outcome.examples += batch.len() as u64;
        outcome.requests += batch.len() as u64;
        for ((number, target, example, scenario), result) in batch.into_iter().zip(results) {
            for key in keys(scenario.operation(), &result) {
                if found.contains(&key) || cancelled() {
                    continue;
                }
                let same_but_signature = found
                    .iter()
                    .filter(|k| {
                        (k.operation, &k.check, k.status) == (key.operation, &key.check, key.status)
                    })
                    .count();
                if same_but_signature >= MAX_SIGNATURES {
                    continue;
                }
                let fuzz = &targets[target];
                let (minimal, min_scenario, min_result, steps) = shrink(
                    session,
                    fuzz,
                    config,
                    number - 1,
                    &key,
                    (example.clone(), scenario.clone(), result.clone()),
                    cancelled,
                )
                .await;
                outcome.requests += steps as u64;
                found.insert(key.clone());
                outcome.findings.push(Finding {
                    key,
                    target,
                    found_after: number,
                    shrink_steps: steps,
                    original: fuzz.inputs(&example),
                    minimal: fuzz.inputs(&minimal),
                    scenario: min_scenario,
                    result: min_result,
                });
            }
        }
        progress(FuzzProgress {
            examples: outcome.examples,
            requests: outcome.requests,
            failures: outcome.findings.len(),
            elapsed: started.elapsed(),
        });
    }
    outcome.interrupted = cancelled();
    outcome.elapsed = started.elapsed();
    outcome
}

/// Shrinks example `n` of `fuzz` while it keeps failing with `key`, within the bounds;
/// returns the smallest failing example, its scenario and result, and the requests spent.
async fn shrink(
    session: &Session,
    fuzz: &OperationFuzz,
    config: &FuzzConfig,
    n: u64,
    key: &Key,
    first: (Example, Scenario, ScenarioResult),
    cancelled: &dyn Fn() -> bool,
) -> (Example, Scenario, ScenarioResult, usize) {
    let started = Instant::now();
    let mut tree = fuzz.tree(config.seed, n);
    let mut best = first;
    let mut steps = 0;
    if !tree.simplify() {
        return (best.0, best.1, best.2, steps);
    }
    while steps < config.shrink_requests && started.elapsed() < config.shrink_time && !cancelled() {
        let candidate = tree.current();
        let failing = match fuzz.scenario(&candidate) {
            None => None,
            Some(scenario) => {
                steps += 1;
                let sent = session.execute_scenario(&scenario);
                let Some(result) = unless_cancelled(sent, cancelled).await else { break };
                keys(scenario.operation(), &result).contains(key).then_some((scenario, result))
            }
        };
        let more = match failing {
            Some((scenario, result)) => {
                best = (candidate, scenario, result);
                tree.simplify()
            }
            // A string tree out of candidates hands over to the next part (the credentials)
            // through `simplify`; `best` only ever holds an example that failed.
            None => tree.complicate() || tree.simplify(),
        };
        if !more {
            break;
        }
    }
    (best.0, best.1, best.2, steps)
}
