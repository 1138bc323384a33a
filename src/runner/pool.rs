//! The worker pool: a fixed number of tasks take the plan's scenarios in order, results
//! land in their slots as they come, and cancellation abandons what is in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::mpsc;

use super::{Progress, RunConfig, RunResult, ScenarioResult, Session};
use crate::error::{Error, Result};
use crate::http::{TransportError, TransportKind};
use crate::plan::Plan;
use crate::schema::Validators;

/// Sends every scenario of `plan` and checks each response. `progress` is called from the
/// collecting task as each result arrives, with the scenario's index and its result. When `cancel` resolves (Ctrl-C), requests in flight are
/// abandoned and the result holds what finished. A run in which no request could even
/// connect is an error (the target is unreachable), not a verdict.
pub async fn run(
    plan: Arc<Plan>,
    validators: Arc<Validators>,
    config: RunConfig,
    cancel: impl std::future::Future<Output = ()>,
    mut progress: impl FnMut(Progress, usize, &ScenarioResult),
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
    let mut results: Vec<Option<ScenarioResult>> = vec![None; total];
    let mut state = Progress { done: 0, total, failed: 0 };
    let mut interrupted = false;
    tokio::pin!(cancel);
    loop {
        tokio::select! {
            next = rx.recv() => {
                let Some((index, result)) = next else { break };
                state.done += 1;
                state.failed += usize::from(!result.passed());
                progress(state, index, &result);
                results[index] = Some(result);
            }
            () = &mut cancel => {
                interrupted = true;
                tasks.abort_all();
                break;
            }
        }
    }
    let elapsed = started.elapsed();
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
    Ok(RunResult { results, elapsed, interrupted })
}

/// The connection error of a finished scenario that could not connect.
fn connect_error(result: &Option<ScenarioResult>) -> Option<&TransportError> {
    result.as_ref()?.error().filter(|e| e.kind == TransportKind::Connect)
}
