//! The worker pool: a fixed number of tasks take the plan's scenarios, operations taking
//! turns, results land in their slots as they come, `--max-time` stops what has not started,
//! and cancellation abandons what is in flight. Then the reads value reuse learned are sent
//! the same way, then each distinct failure is sent once more, alone: one that does not fail
//! again is flaky.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::mpsc;

use super::{Progress, RunConfig, RunResult, ScenarioResult, Session};
use crate::error::{Error, Result};
use crate::http::{TransportError, TransportKind};
use crate::plan::{Plan, Scenario};
use crate::schema::Validators;

/// Sends every scenario of `plan` and checks each response, then the reads value reuse
/// learned ([`RunResult::learned`], their results after the plan's). `progress` is called
/// from the collecting task as each result arrives, with the scenario's index, the scenario
/// and its result. When `cancel` resolves (Ctrl-C), requests in flight are abandoned and
/// the result holds what finished. A run in which no request could even connect is an
/// error (the target is unreachable), not a verdict.
pub async fn run(
    plan: Arc<Plan>,
    validators: Arc<Validators>,
    config: RunConfig,
    cancel: impl std::future::Future<Output = ()>,
    progress: impl FnMut(Progress, usize, &Scenario, &ScenarioResult),
) -> Result<RunResult> {
    let total = plan.scenarios.len();
    let shared = Arc::new(Session::new(Arc::clone(&plan), Arc::clone(&validators), config)?);
    shared.login().await?;
    // Operations take turns, so a time budget gives each its share before any gets more.
    let deadline = shared.config().max_time.map(|t| Instant::now() + t);
    let order = match deadline {
        Some(_) => fair_order(&plan.scenarios),
        None => (0..total).collect(),
    };
    let started = Instant::now();
    let mut collect = Collect {
        results: vec![None; total],
        state: Progress { done: 0, total, failed: 0 },
        progress,
    };
    tokio::pin!(cancel);
    let planned = Batch::Plan(Arc::clone(&plan), Arc::new(order));
    let mut interrupted = send(&shared, planned, deadline, &mut cancel, &mut collect).await;
    // The reads the answers gave real ids to, after the plan (unless the budget is spent).
    let spent = deadline.is_some_and(|d| Instant::now() >= d);
    let learned = match interrupted || spent {
        true => Vec::new(),
        false => super::reuse::scenarios(shared.learned(), &plan, &validators),
    };
    if !learned.is_empty() {
        collect.results.resize(total + learned.len(), None);
        collect.state.total += learned.len();
        let batch = Batch::Learned(total, Arc::new(learned.clone()));
        interrupted = send(&shared, batch, deadline, &mut cancel, &mut collect).await;
    }
    let mut results = collect.results;
    if !interrupted {
        let all: Vec<&Scenario> = plan.scenarios.iter().chain(&learned).collect();
        interrupted = confirm(&shared, &all, &mut results, cancel).await;
    }
    let elapsed = started.elapsed();
    if let Some(failed) = shared.tokens().and_then(|t| t.failed()) {
        return Err(Error::Other(format!("the run stopped: {failed}")));
    }
    let local =
        results.iter().flatten().find_map(|r| r.error().filter(|e| e.kind == TransportKind::Local));
    if let Some(e) = local {
        return Err(Error::Other(format!(
            "this machine ran out of a resource, not the target: {} (lower --concurrency or raise ulimit -n)",
            e.message
        )));
    }
    if total > 0 && !interrupted && results.iter().all(|r| connect_error(r).is_some()) {
        let message = connect_error(&results[0]).map(|e| e.message.clone()).unwrap_or_default();
        return Err(Error::Unreachable { base_url: shared.config().base_url.clone(), message });
    }
    let budget_cut = match interrupted {
        true => 0,
        false => results.iter().filter(|r| r.is_none()).count(),
    };
    // What the run created goes, unless it was asked to stay (or the run was cut short).
    let keep = !shared.config().cleanup || interrupted;
    let cleaned = super::cleanup::clean(&shared, keep, shared.config().concurrency).await;
    let logins = shared.tokens().map(|t| (t.describe(), t.counts()));
    let reused = learned.len();
    Ok(RunResult { results, learned, reused, elapsed, interrupted, budget_cut, logins, cleaned })
}

/// Scenarios sent by one round of workers.
enum Batch {
    /// The plan's, in this order of their indexes.
    Plan(Arc<Plan>, Arc<Vec<usize>>),
    /// Scenarios made at run time, whose results go in the slots from this index on.
    Learned(usize, Arc<Vec<Scenario>>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Plan(_, order) => order.len(),
            Batch::Learned(_, scenarios) => scenarios.len(),
        }
    }

    /// The `k`th scenario to send, with its result's slot.
    fn get(&self, k: usize) -> (usize, &Scenario) {
        match self {
            Batch::Plan(plan, order) => (order[k], &plan.scenarios[order[k]]),
            Batch::Learned(from, scenarios) => (from + k, &scenarios[k]),
        }
    }
}

/// Where results land as they come, and who is told.
struct Collect<F> {
    results: Vec<Option<ScenarioResult>>,
    state: Progress,
    progress: F,
}

/// Sends `batch` with the run's workers (none starts past `deadline`, or after a login
/// failed) and collects each result; whether `cancel` cut it short.
async fn send<F: FnMut(Progress, usize, &Scenario, &ScenarioResult)>(
    shared: &Arc<Session>,
    batch: Batch,
    deadline: Option<Instant>,
    cancel: &mut std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    collect: &mut Collect<F>,
) -> bool {
    let total = batch.len();
    let workers = shared.config().concurrency.clamp(1, total.max(1));
    let batch = Arc::new(batch);
    let next = Arc::new(AtomicUsize::new(0));
    // Each result comes back with its place in the batch.
    let (tx, mut rx) = mpsc::channel::<(usize, ScenarioResult)>(workers * 4);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let shared = Arc::clone(shared);
        let next = Arc::clone(&next);
        let batch = Arc::clone(&batch);
        let tx = tx.clone();
        tasks.spawn(async move {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= total {
                    break;
                }
                // Past the budget, or after a login failed, nothing more starts; what is in
                // flight finishes.
                let failed = shared.tokens().is_some_and(|t| t.failed().is_some());
                if failed || deadline.is_some_and(|d| Instant::now() >= d) {
                    next.store(total, Ordering::Relaxed);
                    break;
                }
                let result = shared.execute_scenario(batch.get(k).1).await;
                if tx.send((k, result)).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    loop {
        tokio::select! {
            next = rx.recv() => {
                let Some((k, result)) = next else { return false };
                collect.state.done += 1;
                collect.state.failed += usize::from(!result.passed());
                let (slot, scenario) = batch.get(k);
                (collect.progress)(collect.state, slot, scenario, &result);
                collect.results[slot] = Some(result);
            }
            () = &mut *cancel => {
                tasks.abort_all();
                return true;
            }
        }
    }
}

/// The plan's scenario indexes with operations taking turns: the first of each operation,
/// then the second of each, and so on (each operation's own order kept).
fn fair_order(scenarios: &[crate::plan::Scenario]) -> Vec<usize> {
    let mut by_op: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, s) in scenarios.iter().enumerate() {
        by_op.entry(s.operation()).or_default().push(i);
    }
    let lists: Vec<Vec<usize>> = by_op.into_values().collect();
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::with_capacity(scenarios.len());
    for round in 0..longest {
        out.extend(lists.iter().filter_map(|l| l.get(round)));
    }
    out
}

/// A distinct failure, as reports group them: (operation, check, title, signature), a
/// transport error as its message under `transport`.
type Key = (usize, &'static str, String, Option<String>);

/// The distinct failures `result` of `scenario` shows.
fn keys(scenario: &crate::plan::Scenario, result: &ScenarioResult) -> Vec<Key> {
    let mut keys = Vec::new();
    for (step, r) in scenario.steps.iter().zip(&result.steps) {
        for f in &r.failures {
            keys.push((step.operation, f.check, f.title.clone(), r.signature.clone()));
        }
        if let Some(e) = &r.error {
            keys.push((step.operation, crate::http::TRANSPORT, e.message.clone(), None));
        }
    }
    keys
}

/// Sends the first scenario of each distinct failure once more, alone (servers that are
/// not thread-safe fail under load and pass alone). Every failed scenario whose distinct
/// failures all passed then is marked flaky. Returns whether `cancel` cut it short (nothing
/// is marked then).
async fn confirm(
    session: &Session,
    scenarios: &[&Scenario],
    results: &mut [Option<ScenarioResult>],
    mut cancel: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
) -> bool {
    let mut first: HashMap<Key, usize> = HashMap::new();
    for (index, result) in results.iter().enumerate() {
        let Some(result) = result.as_ref().filter(|r| !r.passed()) else { continue };
        for key in keys(scenarios[index], result) {
            first.entry(key).or_insert(index);
        }
    }
    let mut again: Vec<usize> = first.values().copied().collect();
    again.sort_unstable();
    again.dedup();
    let mut passed = HashSet::new();
    for index in again {
        tokio::select! {
            result = session.execute_scenario(scenarios[index]) => {
                if result.passed() {
                    passed.insert(index);
                }
            }
            () = &mut cancel => return true,
        }
    }
    if passed.is_empty() {
        return false;
    }
    for (index, slot) in results.iter_mut().enumerate() {
        let Some(result) = slot.as_mut().filter(|r| !r.passed()) else { continue };
        let keys = keys(scenarios[index], result);
        result.flaky = keys.iter().all(|k| first.get(k).is_some_and(|i| passed.contains(i)));
    }
    false
}

/// The connection error of a finished scenario that could not connect.
fn connect_error(result: &Option<ScenarioResult>) -> Option<&TransportError> {
    result.as_ref()?.error().filter(|e| e.kind == TransportKind::Connect)
}
