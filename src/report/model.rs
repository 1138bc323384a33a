//! [`RunReport`]: what a run found, built once in one pass over the plan and its results,
//! for every writer to read. Writers never regroup the plan or recount.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use super::curl_line;
use crate::checks::Failure;
use crate::http::TransportError;
use crate::openapi::Operation;
use crate::plan::{Plan, Scenario};
use crate::runner::{MAX_RETRIES, RunResult, ScenarioResult};
use crate::verdict::{Known, Verdict};

/// Facts about the run that every report states.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The spec file.
    pub spec: String,
    /// The spec's title.
    pub title: String,
    /// The target.
    pub base_url: String,
    /// Whether the run had credentials (for `curl` lines).
    pub has_credentials: bool,
    /// Whether spec gaps fail the run (`--strict`): they are failures then.
    pub strict: bool,
    /// When the run started.
    pub started: SystemTime,
}

/// A run, as every report shows it.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// What was run against what.
    pub info: RunInfo,
    /// The seed the plan came from.
    pub seed: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Whether it was cut short.
    pub interrupted: bool,
    /// The operations, by index (`Case::operation` points here).
    pub operations: Vec<OperationInfo>,
    /// One per operation, in operation order (some may have no case).
    pub suites: Vec<Suite>,
    /// Every case that finished, in plan order.
    pub cases: Vec<Case>,
    /// Each distinct failure once, in the order first seen.
    pub groups: Vec<Group>,
    /// Counts over every case.
    pub counts: Counts,
    /// Exchange times, when anything was sent.
    pub latency: Option<Latency>,
    /// Cases retried after 429/503 with `Retry-After`, and those still refused after
    /// [`MAX_RETRIES`].
    pub retried: (usize, usize),
    /// Scenarios `--max-time` left unsent.
    pub budget_cut: usize,
    /// Where the token login logged in and what it did, when the run had one.
    pub logins: Option<(String, crate::runner::LoginCounts)>,
    /// What the cleanup did, when the run created anything it could delete.
    pub cleaned: Option<crate::runner::Cleaned>,
    /// Reads sent after the plan with ids the answers gave (value reuse).
    pub reused: usize,
    /// Baseline entries whose scenario passes now.
    pub fixed: Vec<crate::baseline::Entry>,
    /// Baseline entries that expired and failed again.
    pub expired: Vec<crate::baseline::Entry>,
    /// What could not be planned or sent, in the user's terms.
    pub notes: Vec<String>,
    /// The operations not tested, or tested only in part, by index, with why.
    pub untested: Vec<(usize, String)>,
    /// What the run exercised of the spec (absent for `gauntlet fuzz`).
    pub coverage: Option<super::Coverage>,
    /// The `--min-coverage` measures the run fell short of.
    pub below: Vec<Shortfall>,
}

/// A coverage measure below its `--min-coverage` minimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// The measure (`statuses`).
    pub measure: String,
    /// What the run reached, in percent.
    pub actual: f64,
    /// What was required, in percent.
    pub minimum: f64,
}

/// An operation, as reports name it.
#[derive(Debug, Clone)]
pub struct OperationInfo {
    /// Its operationId.
    pub id: String,
    /// `GET /things/{id}`.
    pub title: String,
    /// JSON pointer to the operation object in the bundled document.
    pub pointer: String,
    /// Where the operation is written (file, line, column), when a report needs it.
    pub location: Option<crate::openapi::SourceLocation>,
}

/// The cases of one operation.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Index into [`RunReport::operations`].
    pub operation: usize,
    /// Indexes into [`RunReport::cases`].
    pub cases: Vec<usize>,
    /// Counts over these cases.
    pub counts: Counts,
    /// Time its exchanges took, summed.
    pub time: Duration,
    /// How many cases ended with each status, by status.
    pub statuses: Vec<(u16, usize)>,
    /// Its exchange times.
    pub latency: Option<Latency>,
}

/// How many cases ended which way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases in all.
    pub total: usize,
    /// Every check passed.
    pub passed: usize,
    /// A check failed (and no transport error).
    pub failed: usize,
    /// No answer came.
    pub errors: usize,
    /// Only failures the baseline knows.
    pub known: usize,
    /// Only spec gaps (the server was right; the spec is incomplete).
    pub gaps: usize,
    /// Failed, but passed when sent again alone after the run.
    pub flaky: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.total += 1;
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Known => self.known += 1,
            Outcome::Gap => self.gaps += 1,
            Outcome::Flaky => self.flaky += 1,
        }
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every check passed.
    Passed,
    /// A check failed.
    Failed,
    /// No answer came.
    Error,
    /// Only known failures.
    Known,
    /// Passed, but showed a spec gap.
    Gap,
    /// Failed (or got no answer), and passed when its distinct failure was sent again alone.
    Flaky,
}

/// One scenario that ran.
#[derive(Debug, Clone)]
pub struct Case {
    /// Index into [`RunReport::operations`].
    pub operation: usize,
    /// Its stable label.
    pub label: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Time its exchanges took.
    pub elapsed: Duration,
    /// The status of its last answered step.
    pub status: Option<u16>,
    /// Failures the baseline knows.
    pub known: Vec<Known>,
    /// Its steps as sent, with what each got; empty for a case that passed.
    pub steps: Vec<CaseStep>,
}

/// One step of a case. Inputs and reproduction are kept only for a case that did not pass.
#[derive(Debug, Clone, Default)]
pub struct CaseStep {
    /// Index into [`RunReport::operations`].
    pub operation: usize,
    /// The status, when an answer came.
    pub status: Option<u16>,
    /// The failed checks the baseline does not know.
    pub failures: Vec<Failure>,
    /// The spec gaps it showed.
    pub gaps: Vec<Failure>,
    /// The transport error, unless the baseline knows it.
    pub error: Option<TransportError>,
    /// A redacted excerpt of the body.
    pub excerpt: Option<String>,
    /// The server error's signature (its message, values stripped), when it was one.
    pub signature: Option<String>,
    /// How many 429/503 retries it took.
    pub retries: u8,
    /// The values sent (`path.id`, `query.limit`).
    pub inputs: Vec<(String, String)>,
    /// A `curl` line that sends it again, credentials as variables.
    pub reproduce: String,
}

/// One distinct failure: (operation, check, title, and for a server error its signature),
/// with every case that showed it.
#[derive(Debug, Clone)]
pub struct Group {
    /// The check (or `transport`).
    pub check: String,
    /// The failure's title (or the transport error).
    pub title: String,
    /// The server error's signature, which tells apart two 500s of one check.
    pub signature: Option<String>,
    /// Indexes into [`RunReport::cases`]; the first is shown.
    pub cases: Vec<usize>,
    /// Every case of it is flaky: it did not fail again when sent alone.
    pub flaky: bool,
}

/// Exchange times, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
}

impl Case {
    /// A case from one scenario's result; `known` are its failures the baseline knows.
    /// Inputs and `curl` lines are rendered only when it did not pass.
    pub fn new(
        operations: &[Operation],
        scenario: &Scenario,
        result: &ScenarioResult,
        known: &[Known],
        info: &RunInfo,
    ) -> Case {
        let status = result.status();
        let gaps = result.steps.iter().any(|s| !s.gaps.is_empty());
        if result.passed() && known.is_empty() && !gaps {
            // The common case stays small: a passing case keeps no steps.
            return Case {
                operation: scenario.operation(),
                label: scenario.label.clone(),
                outcome: Outcome::Passed,
                elapsed: result.elapsed(),
                status,
                known: Vec::new(),
                steps: Vec::new(),
            };
        }
        let is_known = |check: &str| known.iter().any(|k| k.check == check);
        let steps: Vec<CaseStep> = scenario
            .steps
            .iter()
            .zip(&result.steps)
            .map(|(step, r)| CaseStep {
                operation: step.operation,
                status: r.status,
                failures: r.failures.iter().filter(|f| !is_known(f.check)).cloned().collect(),
                gaps: r.gaps.clone(),
                error: r.error.clone().filter(|_| !is_known(crate::http::TRANSPORT)),
                excerpt: r.excerpt.clone(),
                signature: r.signature.clone(),
                retries: r.retries,
                inputs: Vec::new(),
                reproduce: String::new(),
            })
            .collect();
        let outcome =
            if result.flaky && steps.iter().any(|s| s.error.is_some() || !s.failures.is_empty()) {
                Outcome::Flaky
            } else if steps.iter().any(|s| s.error.is_some()) {
                Outcome::Error
            } else if steps.iter().any(|s| !s.failures.is_empty()) {
                Outcome::Failed
            } else if !known.is_empty() {
                Outcome::Known
            } else if steps.iter().any(|s| !s.gaps.is_empty()) {
                Outcome::Gap
            } else {
                Outcome::Passed
            };
        let mut case = Case {
            operation: scenario.operation(),
            label: scenario.label.clone(),
            outcome,
            elapsed: result.elapsed(),
            status,
            known: known.to_vec(),
            steps,
        };
        if outcome != Outcome::Passed {
            for (shown, step) in case.steps.iter_mut().zip(&scenario.steps) {
                let op = &operations[step.operation];
                shown.inputs = step.inputs(op);
                shown.reproduce = curl_line(&info.base_url, op, step, info.has_credentials);
            }
        }
        case
    }

    /// The status of its last answered step.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Its failures the baseline does not know, step by step.
    pub fn failures(&self) -> impl Iterator<Item = &Failure> {
        self.steps.iter().flat_map(|s| &s.failures)
    }

    /// The transport error that ended it.
    pub fn error(&self) -> Option<&TransportError> {
        self.steps.iter().find_map(|s| s.error.as_ref())
    }

    /// The step that shows `check` (or the transport error for `transport`), else the last
    /// (`None` for a passing case, which keeps no steps).
    pub fn step_showing(&self, check: &str) -> Option<&CaseStep> {
        self.steps
            .iter()
            .find(|s| {
                s.failures.iter().chain(&s.gaps).any(|f| f.check == check)
                    || (check == crate::http::TRANSPORT && s.error.is_some())
            })
            .or(self.steps.last())
    }

    /// Every (check, title, signature) it fails with, transport errors as `transport`, spec
    /// gaps as `spec_gap` (a gap is one per operation and status: it has no signature).
    pub fn keys(&self) -> Vec<(&str, &str, Option<&str>)> {
        let mut keys = Vec::new();
        for step in &self.steps {
            let signature = step.signature.as_deref();
            keys.extend(step.failures.iter().map(|f| (f.check, f.title.as_str(), signature)));
            keys.extend(step.gaps.iter().map(|f| (f.check, f.title.as_str(), None)));
        }
        keys.extend(self.error().map(|e| (crate::http::TRANSPORT, e.message.as_str(), None)));
        keys
    }
}

impl RunReport {
    /// The report of `run` over `plan`, with `verdict` (the baseline's overlay) applied.
    /// One pass over the scenarios; unfinished ones are left out.
    pub fn build(plan: &Plan, run: &RunResult, verdict: Option<&Verdict>, info: RunInfo) -> Self {
        let empty = Verdict::default();
        let overlay = verdict.unwrap_or(&empty);
        let mut cases: Vec<Case> = Vec::with_capacity(run.results.len());
        cases.extend(run.finished().map(|(i, result)| {
            Case::new(&plan.operations, &plan.scenarios[i], result, overlay.known(i), &info)
        }));
        let retried =
            run.finished().filter(|(_, r)| r.retries() > 0).fold((0, 0), |(n, gave_up), (_, r)| {
                let refused = r.retries() >= MAX_RETRIES && matches!(r.status(), Some(429 | 503));
                (n + 1, gave_up + usize::from(refused))
            });
        let mut report = RunReport::from_cases(plan.operations.as_slice(), cases, info, plan.seed);
        report.elapsed = run.elapsed;
        report.interrupted = run.interrupted;
        report.retried = retried;
        report.budget_cut = run.budget_cut;
        report.logins = run.logins.clone();
        report.cleaned = run.cleaned;
        report.reused = run.reused;
        if let Some(v) = verdict {
            report.fixed = v.fixed.clone();
            report.expired = v.expired.clone();
        }
        report
    }

    /// A report of ready-made cases (what `gauntlet fuzz` found, say): suites, groups,
    /// counts and latency are derived here, once.
    pub fn from_cases(
        operations: &[Operation],
        cases: Vec<Case>,
        info: RunInfo,
        seed: u64,
    ) -> Self {
        let mut counts = Counts::default();
        let mut suites: Vec<Suite> = (0..operations.len())
            .map(|operation| Suite {
                operation,
                cases: Vec::new(),
                counts: Counts::default(),
                time: Duration::ZERO,
                statuses: Vec::new(),
                latency: None,
            })
            .collect();
        let mut suite_times: Vec<Vec<u64>> = vec![Vec::new(); operations.len()];
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: HashMap<(usize, &str, &str, Option<&str>), usize> = HashMap::new();
        let mut times: Vec<u64> = Vec::with_capacity(cases.len());
        for (index, case) in cases.iter().enumerate() {
            counts.add(case.outcome);
            let suite = &mut suites[case.operation];
            suite.cases.push(index);
            suite.counts.add(case.outcome);
            suite.time += case.elapsed;
            if let Some(status) = case.status {
                match suite.statuses.iter_mut().find(|(s, _)| *s == status) {
                    Some((_, n)) => *n += 1,
                    None => suite.statuses.push((status, 1)),
                }
            }
            times.push(case.elapsed.as_micros() as u64);
            suite_times[case.operation].push(case.elapsed.as_micros() as u64);
            for (check, title, signature) in case.keys() {
                match group_of.get(&(case.operation, check, title, signature)) {
                    Some(&g) => groups[g].cases.push(index),
                    None => {
                        group_of.insert((case.operation, check, title, signature), groups.len());
                        groups.push(Group {
                            check: check.to_owned(),
                            title: title.to_owned(),
                            signature: signature.map(str::to_owned),
                            cases: vec![index],
                            flaky: true,
                        });
                    }
                }
            }
        }
        drop(group_of);
        for group in &mut groups {
            group.flaky = group.cases.iter().all(|&c| cases[c].outcome == Outcome::Flaky);
        }
        for (suite, times) in suites.iter_mut().zip(suite_times) {
            suite.statuses.sort_unstable();
            suite.latency = latency(times);
        }
        RunReport {
            info,
            seed,
            elapsed: Duration::ZERO,
            interrupted: false,
            operations: operations
                .iter()
                .map(|op| OperationInfo {
                    id: op.id.clone(),
                    title: op.title(),
                    pointer: op.pointer.clone(),
                    location: None,
                })
                .collect(),
            suites,
            latency: latency(times),
            cases,
            groups,
            counts,
            retried: (0, 0),
            budget_cut: 0,
            logins: None,
            cleaned: None,
            reused: 0,
            fixed: Vec::new(),
            expired: Vec::new(),
            notes: Vec::new(),
            untested: Vec::new(),
            coverage: None,
            below: Vec::new(),
        }
    }

    /// Whether the run found a violation: a failure or an error the baseline does not know,
    /// or with `--strict` a flaky one.
    pub fn violated(&self) -> bool {
        self.counts.failed + self.counts.errors > 0 || (self.info.strict && self.counts.flaky > 0)
    }

    /// Requests per second over the run.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.counts.total as f64 / secs } else { 0.0 }
    }
}

/// Percentiles of exchange times given in microseconds (nearest rank, as before).
fn latency(mut times: Vec<u64>) -> Option<Latency> {
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    Some(Latency { p50: at(0.50), p90: at(0.90), p99: at(0.99) })
}
