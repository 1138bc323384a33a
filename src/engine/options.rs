//! [`RunOptions`]: everything a run can be told, with each default written once. Front ends
//! (`gauntlet run`, `gauntlet.toml`, the `cargo test` harness, `gauntlet fuzz`) fill one in;
//! the engine never sees where a value came from.

use std::path::PathBuf;
use std::time::Duration;

use crate::checks;
use crate::credentials::Credentials;
use crate::plan::partition::Partition;
use crate::report::Format;

/// The spec read when none is named.
pub const DEFAULT_SPEC: &str = "spec/relay-rest.yaml";
/// Where the JUnit report goes when no path is named.
pub const DEFAULT_JUNIT: &str = "reports/junit.xml";
/// Generated scenarios per operation.
pub const DEFAULT_MAX_EXAMPLES: usize = 100;
/// Requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Time allowed for one whole exchange.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest response body read, in bytes.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;
/// The slowest and fastest `--rate-limit` taken, in requests per second (slower would wait
/// longer than any CI job runs).
pub const RATE_LIMITS: (f64, f64) = (0.01, 1_000_000.0);
/// The port `gauntlet mock` listens on, and the base URL a dry run shows.
pub const DEFAULT_MOCK_PORT: u16 = 4010;

/// How one run is made: what to read, what to send it to, how, and where to report.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The OpenAPI document: a file, or an `http(s)://` URL fetched before the run.
    pub spec: PathBuf,
    /// Send the run's bearer token or Basic credentials to fetch a spec URL (`--spec-auth`).
    pub spec_auth: bool,
    /// The folder `$ref`d files must be inside (the spec's folder when `None`).
    pub ref_root: Option<PathBuf>,
    /// The target, already checked (`target::check_base_url`); the built-in mock when `None`.
    pub base_url: Option<String>,
    /// The secrets.
    pub credentials: Credentials,
    /// Further identities (`--identity NAME=...`): chains read, change and delete one
    /// identity's resources as another.
    pub identities: Vec<(String, Credentials)>,
    /// Case files or folders; `cases/` when present if empty.
    pub cases: Vec<PathBuf>,
    /// The JUnit report (`None`: write none).
    pub junit: Option<PathBuf>,
    /// Further reports, each a format and its file (`None` for one that writes no file).
    pub reports: Vec<(Format, Option<PathBuf>)>,
    /// Minimum coverage per measure (`statuses` → 80.0), see `report::MEASURES`.
    pub min_coverage: Vec<(String, f64)>,
    /// The generation seed (random and printed when `None`).
    pub seed: Option<u64>,
    /// Most generated scenarios per operation.
    pub max_examples: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests per second across the run, if limited.
    pub rate_limit: Option<f64>,
    /// Time allowed for each whole exchange.
    pub timeout: Duration,
    /// Largest response body read, in bytes.
    pub max_body: usize,
    /// Operations to test, by operationId (all when empty).
    pub operations: Vec<String>,
    /// Parameters sent with a fixed value (`--param path.mesh=default`).
    pub pins: Vec<crate::generate::Pin>,
    /// Chains of requests built from the link graph (`--no-chains` turns them off).
    pub chains: bool,
    /// The longest the run sends for (`--max-time`).
    pub max_time: Option<Duration>,
    /// Delete what the run created at its end (`--no-cleanup` keeps it).
    pub cleanup: bool,
    /// The longest chain planned, in steps (`--chain-steps`).
    pub chain_steps: usize,
    /// Which checks run and the statuses they accept.
    pub checks: checks::Settings,
    /// Extra CA certificates (PEM files) to trust.
    pub cacert: Vec<PathBuf>,
    /// Accept any TLS certificate.
    pub insecure: bool,
    /// Known failures.
    pub baseline: Option<PathBuf>,
    /// Write this run's failures as the baseline here.
    pub update_baseline: Option<PathBuf>,
    /// Run only this share of the plan.
    pub partition: Option<Partition>,
    /// Print the plan and send nothing.
    pub dry_run: bool,
    /// No progress display.
    pub quiet: bool,
}

/// Replaces `slot` with `given` when `given` has anything: a list setting from a flag or a
/// settings file replaces the one below it, it is not appended to.
pub fn overlay_list<T>(slot: &mut Vec<T>, given: Vec<T>) {
    if !given.is_empty() {
        *slot = given;
    }
}

/// Parses `--min-coverage`: `MEASURE=PERCENT` pairs separated by commas
/// (`operations=100,statuses=80`).
pub fn parse_min_coverage(text: &str) -> Result<Vec<(String, f64)>, String> {
    let names: Vec<&str> = crate::report::MEASURES.iter().map(|(n, _)| *n).collect();
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let short = crate::support::text::truncate(pair, 60);
            let shown = crate::support::text::escape_controls(&short);
            let (name, value) = pair.split_once('=').ok_or_else(|| {
                format!("'{shown}' is not MEASURE=PERCENT; measures: {}", names.join(", "))
            })?;
            let name = name.trim();
            if !names.contains(&name) {
                return Err(format!("unknown measure '{shown}'; measures: {}", names.join(", ")));
            }
            let percent: f64 = value.trim().trim_end_matches('%').parse().map_err(|_| {
                format!("'{shown}': the minimum must be a percentage from 0 to 100")
            })?;
            if !(0.0..=100.0).contains(&percent) {
                return Err(format!("'{shown}': the minimum must be a percentage from 0 to 100"));
            }
            Ok((name.to_owned(), percent))
        })
        .collect()
}

/// Checks a rate limit: a number of requests per second within [`RATE_LIMITS`].
pub fn check_rate(rate: f64) -> Result<f64, String> {
    let (slowest, fastest) = RATE_LIMITS;
    if rate.is_finite() && (slowest..=fastest).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("must be between {slowest} and {fastest} requests per second"))
    }
}

impl RunOptions {
    /// Every report to write: the JUnit report first, then the others asked for, each
    /// (format, file) once.
    pub fn report_files(&self) -> Vec<(Format, Option<PathBuf>)> {
        let junit = self.junit.iter().map(|p| (Format::Junit, Some(p.clone())));
        let mut out: Vec<(Format, Option<PathBuf>)> = Vec::new();
        for request in junit.chain(self.reports.iter().cloned()) {
            if !out.contains(&request) {
                out.push(request);
            }
        }
        out
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            spec: PathBuf::from(DEFAULT_SPEC),
            spec_auth: false,
            ref_root: None,
            base_url: None,
            credentials: Credentials::default(),
            identities: Vec::new(),
            cases: Vec::new(),
            junit: Some(PathBuf::from(DEFAULT_JUNIT)),
            reports: Vec::new(),
            min_coverage: Vec::new(),
            seed: None,
            max_examples: DEFAULT_MAX_EXAMPLES,
            concurrency: DEFAULT_CONCURRENCY,
            rate_limit: None,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            operations: Vec::new(),
            pins: Vec::new(),
            chains: true,
            max_time: None,
            cleanup: true,
            chain_steps: crate::generate::MAX_CHAIN_STEPS,
            checks: checks::Settings::default(),
            cacert: Vec::new(),
            insecure: false,
            baseline: None,
            update_baseline: None,
            partition: None,
            dry_run: false,
            quiet: false,
        }
    }
}
