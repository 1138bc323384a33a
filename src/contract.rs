//! The `cargo test` harness's adapter (`tests/contract.rs`): the plan `gauntlet run` would
//! send, with every setting `gauntlet run` has, sent one scenario per trial, with each result
//! kept for the JUnit report.
//!
//! Settings come from `gauntlet.toml` (or the file `GAUNTLET_CONFIG` names) and then from
//! variables: `GAUNTLET_BASE_URL`, `GAUNTLET_USER`, `GAUNTLET_BEARER`, `GAUNTLET_API_KEY`,
//! `GAUNTLET_SPEC`, `GAUNTLET_SEED`, `GAUNTLET_MAX_EXAMPLES`, `GAUNTLET_BASELINE`,
//! `GAUNTLET_PARTITION` (and `GAUNTLET_JUNIT`, read by the harness). Trials run on libtest's
//! threads; each blocks on a shared tokio runtime, which also runs the built-in mock when no
//! base URL is set.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::baseline::Baseline;
use crate::credentials::Credentials;
use crate::engine::{self, RunOptions};
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::report::{Case, RunInfo, RunReport, failure_text, write_junit};
use crate::runner::{RunResult, ScenarioResult, Session};
use crate::target::{Target, check_base_url};

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

fn parsed<T: std::str::FromStr>(name: &str, what: &str) -> Result<Option<T>> {
    var(name)
        .map(|v| v.parse().map_err(|_| Error::flag(name, format!("'{v}' is not {what}"))))
        .transpose()
}

/// The harness's options: `gauntlet.toml` (or `GAUNTLET_CONFIG`), then `GAUNTLET_*`
/// variables over it, over the defaults. No JUnit file is written but `GAUNTLET_JUNIT`'s.
pub fn options_from_env() -> Result<RunOptions> {
    let mut o = RunOptions::default();
    let explicit = var("GAUNTLET_CONFIG").map(PathBuf::from);
    if let Some((path, config)) = crate::config::Config::find(explicit.as_deref())? {
        config.apply(&path.display().to_string(), &mut o)?;
    }
    if let Some(u) = var("GAUNTLET_USER") {
        o.credentials.basic = Some(Credentials::user_setting("GAUNTLET_USER", &u)?);
    }
    o.credentials.bearer = var("GAUNTLET_BEARER").or(o.credentials.bearer.take());
    o.credentials.api_key = var("GAUNTLET_API_KEY").or(o.credentials.api_key.take());
    if let Some(u) = var("GAUNTLET_BASE_URL") {
        o.base_url = Some(check_base_url("GAUNTLET_BASE_URL", &u)?);
    }
    o.spec = var("GAUNTLET_SPEC").map_or(o.spec, PathBuf::from);
    o.seed = parsed("GAUNTLET_SEED", "a number")?.or(o.seed);
    o.max_examples =
        parsed::<usize>("GAUNTLET_MAX_EXAMPLES", "a number")?.map_or(o.max_examples, |n| n.max(1));
    o.baseline = var("GAUNTLET_BASELINE").map(PathBuf::from).or(o.baseline);
    o.partition = parsed("GAUNTLET_PARTITION", "K/N (2/3, hash:2/3)")?.or(o.partition);
    o.junit = None;
    Ok(o)
}

impl Contract {
    /// Builds the plan (with `cases/` when present) and resolves the target, all from the
    /// settings file and the environment ([`options_from_env`]).
    pub fn from_env() -> Result<Contract> {
        let options = options_from_env()?;
        let prepared = engine::prepare(&options)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
        let mut credentials = options.credentials.clone();
        engine::ready_login(options.base_url.as_deref(), &prepared.spec.doc, &mut credentials)?;
        let target = runtime.block_on(engine::target(&options, &prepared, &mut credentials))?;
        let has_credentials = credentials.any();
        let config = engine::run_config(&options, &target.base_url, credentials)?;
        let baseline = options.baseline.as_deref().map(Baseline::load).transpose()?;
        let title = prepared.spec.title.clone();
        let total = prepared.plan.scenarios.len();
        let session = {
            // The rate limiter's timer belongs to the runtime.
            let _guard = runtime.enter();
            Session::new(Arc::new(prepared.plan), prepared.validators, config)?
        };
        // A token login that fails stops the harness here, with one line.
        runtime.block_on(session.login())?;
        Ok(Contract {
            runtime,
            session,
            target,
            spec: options.spec,
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
        format!("{}::{}", plan.operations[scenario.operation()].id, scenario.label)
    }

    /// Whether scenario `index` has an unexpired entry in `GAUNTLET_BASELINE` (its trial is
    /// ignored, as a known-broken Rust test is).
    pub fn known(&self, index: usize) -> bool {
        let Some(baseline) = &self.baseline else { return false };
        let plan = self.plan();
        let scenario = &plan.scenarios[index];
        let op = &plan.operations[scenario.operation()].id;
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

    fn info(&self) -> RunInfo {
        RunInfo {
            spec: self.spec.display().to_string(),
            title: self.title.clone(),
            base_url: self.target.base_url.clone(),
            has_credentials: self.has_credentials,
            strict: self.session.config().checks.strict,
            started: self.started,
        }
    }

    /// Sends scenario `index` and checks it; a failure comes back as the text `gauntlet run`
    /// shows for it, `curl` line included.
    pub fn check(&self, index: usize) -> std::result::Result<(), String> {
        let result = self.runtime.block_on(self.session.execute(index));
        let outcome = if result.passed() {
            Ok(())
        } else {
            let plan = self.plan();
            let info = self.info();
            let case = Case::new(&plan.operations, &plan.scenarios[index], &result, &[], &info);
            let report = RunReport::from_cases(&plan.operations, vec![case], info, plan.seed);
            Err(failure_text(&report, &report.cases[0]))
        };
        if let Ok(mut results) = self.results.lock() {
            results[index] = Some(result);
        }
        outcome
    }

    /// Writes the JUnit report of the trials that ran.
    pub fn write_junit(&self, path: &Path) -> Result<()> {
        let results = self.results.lock().map(|r| r.clone()).unwrap_or_default();
        let run = RunResult { results, elapsed: self.clock.elapsed(), ..Default::default() };
        let report = RunReport::build(self.plan(), &run, None, self.info());
        let mut file = crate::report::create(path)?;
        write_junit(&mut file, &report)
            .map_err(|source| Error::Report { path: path.to_owned(), source })?;
        file.commit()
    }
}
