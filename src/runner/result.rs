//! What a run found: per scenario, per step, what came back and which checks failed.

use std::time::Duration;

use crate::checks::Failure;
use crate::http::TransportError;

/// What happened to one step.
#[derive(Debug, Clone, Default)]
pub struct StepResult {
    /// Time the exchange took (the last one, after any retries).
    pub elapsed: Duration,
    /// The status, when a response came.
    pub status: Option<u16>,
    /// The checks that failed.
    pub failures: Vec<Failure>,
    /// The transport error, when no usable response came (it ends the scenario).
    pub error: Option<TransportError>,
    /// A short, redacted excerpt of the body (kept only when something failed).
    pub excerpt: Option<String>,
    /// How many times a 429/503 with `Retry-After` was retried.
    pub retries: u8,
    /// The values its captures read, by name.
    pub captured: Vec<(String, String)>,
    /// The media type answered (`application/json`), for coverage.
    pub media: Option<String>,
    /// Spec gaps the answer showed (not failures unless `--strict`).
    pub gaps: Vec<Failure>,
    /// What tells this server error from others of its check and status (its message with
    /// the values stripped), kept only when something failed; `None` below 500.
    pub signature: Option<String>,
}

impl StepResult {
    /// Whether every check passed and an answer came.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.error.is_none()
    }
}

/// What happened to one scenario: a result per step sent (a transport error ends it).
#[derive(Debug, Clone, Default)]
pub struct ScenarioResult {
    /// One per step sent, in order.
    pub steps: Vec<StepResult>,
    /// It failed, but the distinct failure it shows did not fail again when sent once more,
    /// alone, after the run (see [`super::run`]).
    pub flaky: bool,
}

impl ScenarioResult {
    /// Whether every step passed.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(StepResult::passed)
    }

    /// Time all its exchanges took.
    pub fn elapsed(&self) -> Duration {
        self.steps.iter().map(|s| s.elapsed).sum()
    }

    /// The last status received.
    pub fn status(&self) -> Option<u16> {
        self.steps.iter().rev().find_map(|s| s.status)
    }

    /// Every failed check, step by step.
    pub fn failures(&self) -> impl Iterator<Item = &Failure> {
        self.steps.iter().flat_map(|s| &s.failures)
    }

    /// The transport error that ended it, if one did.
    pub fn error(&self) -> Option<&TransportError> {
        self.steps.iter().find_map(|s| s.error.as_ref())
    }

    /// Retries after 429/503 across its steps.
    pub fn retries(&self) -> u8 {
        self.steps.iter().map(|s| s.retries).fold(0, u8::saturating_add)
    }
}

/// The results of a run, aligned with the plan's scenarios and then the learned ones.
#[derive(Debug, Default)]
pub struct RunResult {
    /// One slot per scenario, in plan order, then one per learned scenario: `None` for one
    /// that did not finish.
    pub results: Vec<Option<ScenarioResult>>,
    /// The scenarios made at run time (value reuse: reads of ids the answers gave), sent
    /// after the plan's; [`RunResult::into_plan`] puts them after the plan's scenarios.
    pub learned: Vec<crate::plan::Scenario>,
    /// How many scenarios were learned (they stay counted once moved into the plan).
    pub reused: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Whether the run was cut short (Ctrl-C).
    pub interrupted: bool,
    /// Scenarios `--max-time` left unsent.
    pub budget_cut: usize,
    /// Where the token login logged in and what it did, when the run had one.
    pub logins: Option<(String, super::LoginCounts)>,
    /// What the cleanup did, when the run created anything it could delete.
    pub cleaned: Option<super::Cleaned>,
}

impl RunResult {
    /// `plan` with the learned scenarios after its own, so that the results are aligned
    /// with its scenarios (the reports read them from the plan).
    pub fn into_plan(&mut self, plan: std::sync::Arc<crate::plan::Plan>) -> crate::plan::Plan {
        let mut plan = std::sync::Arc::unwrap_or_clone(plan);
        plan.scenarios.append(&mut self.learned);
        plan
    }

    /// The scenarios that finished, with their plan index.
    pub fn finished(&self) -> impl Iterator<Item = (usize, &ScenarioResult)> {
        self.results.iter().enumerate().filter_map(|(i, r)| r.as_ref().map(|r| (i, r)))
    }
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
