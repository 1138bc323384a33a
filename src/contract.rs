//! The engine of the `cargo test` harness (`tests/contract.rs`): the plan `gauntlet run`
//! would send, configured from `GAUNTLET_*` variables, sent one scenario per trial, with
//! each result kept for the JUnit report.
//!
//! Trials run on libtest's threads; each blocks on a shared tokio runtime, which also runs
//! the built-in mock when no `GAUNTLET_BASE_URL` is set. Variables: `GAUNTLET_BASE_URL`,
//! `GAUNTLET_USER`, `GAUNTLET_BEARER`, `GAUNTLET_API_KEY`, `GAUNTLET_SPEC`, `GAUNTLET_SEED`,
//! `GAUNTLET_MAX_EXAMPLES`, `GAUNTLET_BASELINE` (and `GAUNTLET_JUNIT`, read by the harness).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::baseline::Baseline;
use crate::checks::Settings;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::openapi;
use crate::plan::Plan;
use crate::report::{RunInfo, failure_text, write_junit};
use crate::runner::{RunConfig, RunResult, ScenarioResult, Session, finished_only};
use crate::target::{Target, check_base_url, random_seed};

/// A plan ready to be sent one scenario at a time.
pub struct Contract {
    runtime: tokio::runtime::Runtime,
    session: Session,
    target: Target,
    spec: PathBuf,
    title: String,
    has_credentials: bool,
    started: SystemTime,
    clock: Instant,
    results: Mutex<Vec<Option<ScenarioResult>>>,
    baseline: Option<Baseline>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn number<T: std::str::FromStr>(name: &str) -> Result<Option<T>> {
    var(name)
        .map(|v| v.parse().map_err(|_| Error::flag(name, format!("'{v}' is not a number"))))
        .transpose()
}

impl Contract {
    /// Loads the spec, builds the plan (with `cases/` when present) and resolves the target,
    /// all from the environment.
    pub fn from_env() -> Result<Contract> {
        let spec_path =
            PathBuf::from(var("GAUNTLET_SPEC").unwrap_or("spec/relay-rest.yaml".into()));
        let seed = number::<u64>("GAUNTLET_SEED")?.unwrap_or_else(random_seed);
        let max_examples = number::<usize>("GAUNTLET_MAX_EXAMPLES")?.unwrap_or(100).max(1);
        let basic = var("GAUNTLET_USER")
            .map(|u| Credentials::user_setting("GAUNTLET_USER", &u))
            .transpose()?;
        let mut credentials =
            Credentials { basic, bearer: var("GAUNTLET_BEARER"), api_key: var("GAUNTLET_API_KEY") };
        let given = var("GAUNTLET_BASE_URL")
            .map(|u| check_base_url("GAUNTLET_BASE_URL", &u))
            .transpose()?;
        let spec = Arc::new(openapi::load(&spec_path)?);
        let operations = openapi::operations(&spec)?;
        let all: Vec<usize> = (0..operations.len()).collect();
        let (plan, validators) =
            crate::plan::build(&spec, &operations, &all, seed, max_examples, &[])?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
        let title = spec.title.clone();
        let target =
            runtime.block_on(Target::resolve(given, spec, operations, &mut credentials, seed))?;
        let has_credentials = credentials.any();
        let config = RunConfig {
            base_url: target.base_url.clone(),
            credentials,
            concurrency: 1,
            rate_limit: None,
            timeout: Duration::from_secs(10),
            max_body: 10 * 1024 * 1024,
            checks: Settings::default(),
            ca_certs: Vec::new(),
            insecure: false,
        };
        let baseline =
            var("GAUNTLET_BASELINE").map(|p| Baseline::load(Path::new(&p))).transpose()?;
        let total = plan.scenarios.len();
        let session = Session::new(Arc::new(plan), Arc::new(validators), config)?;
        Ok(Contract {
            runtime,
            session,
            target,
            spec: spec_path,
            title,
            has_credentials,
            started: SystemTime::now(),
            clock: Instant::now(),
            results: Mutex::new(vec![None; total]),
            baseline,
        })
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        self.session.plan()
    }

    /// The name of scenario `index`'s trial: `operation::label`, stable for a given spec,
    /// cases and seed.
    pub fn trial_name(&self, index: usize) -> String {
        let plan = self.plan();
        let scenario = &plan.scenarios[index];
        format!("{}::{}", plan.operations[scenario.operation].id, scenario.label)
    }

    /// Whether scenario `index` has an unexpired entry in `GAUNTLET_BASELINE` (its trial is
    /// ignored, as a known-broken Rust test is).
    pub fn known(&self, index: usize) -> bool {
        let Some(baseline) = &self.baseline else { return false };
        let plan = self.plan();
        let scenario = &plan.scenarios[index];
        let op = &plan.operations[scenario.operation].id;
        let today = crate::baseline::today();
        baseline
            .entries
            .iter()
            .any(|e| e.operation == *op && e.scenario == scenario.label && !e.expired(&today))
    }

    /// One line saying what is tested against what, with the seed to repeat it.
    pub fn describe(&self) -> String {
        let plan = self.plan();
        format!(
            "gauntlet: testing {} against {} · {} scenarios · seed {} (GAUNTLET_SEED={} repeats it)",
            self.target.description,
            self.spec.display(),
            plan.scenarios.len(),
            plan.seed,
            plan.seed
        )
    }

    /// Sends scenario `index` and checks it; a failure comes back as the text `gauntlet run`
    /// shows for it, `curl` line included.
    pub fn check(&self, index: usize) -> std::result::Result<(), String> {
        let result = self.runtime.block_on(self.session.execute(index));
        let outcome = if result.passed() {
            Ok(())
        } else {
            Err(failure_text(
                self.plan(),
                index,
                &result,
                &self.target.base_url,
                self.has_credentials,
            ))
        };
        if let Ok(mut results) = self.results.lock() {
            results[index] = Some(result);
        }
        outcome
    }

    /// Writes the JUnit report of the trials that ran.
    pub fn write_junit(&self, path: &Path) -> Result<()> {
        let results = self.results.lock().map(|r| r.clone()).unwrap_or_default();
        let finished: Vec<bool> = results.iter().map(Option::is_some).collect();
        let run = RunResult {
            results: results.into_iter().map(Option::unwrap_or_default).collect(),
            elapsed: self.clock.elapsed(),
            finished,
            interrupted: false,
        };
        let (plan, run) = finished_only(self.plan(), run);
        let info = RunInfo {
            spec: self.spec.display().to_string(),
            title: self.title.clone(),
            base_url: self.target.base_url.clone(),
            has_credentials: self.has_credentials,
            started: self.started,
        };
        write_junit(crate::report::create(path)?, &plan, &run, &info)
            .map_err(|source| Error::Report { path: path.to_owned(), source })
    }
}
