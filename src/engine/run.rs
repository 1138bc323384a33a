//! The run flow every front end shares: options → plan → target → runner → verdict →
//! reports → exit code.

use std::sync::Arc;
use std::time::SystemTime;

use super::{Prepared, RunOptions, prepare, without_credentials};
use crate::baseline::Baseline;
use crate::credentials::Credentials;
use crate::error::{EXIT_COVERAGE, EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION, Error, Result};
use crate::report::{self, Case, Console, Coverage, Events, Format, RunInfo, RunReport, Shortfall};
use crate::runner::{self, RunConfig};
use crate::target::Target;
use crate::verdict::Verdict;

/// The base URL a dry run shows when no target is given.
fn dry_run_url() -> String {
    format!("http://127.0.0.1:{}", super::DEFAULT_MOCK_PORT)
}

/// A one-thread tokio runtime: the work is I/O-bound, and on a small machine the other core
/// is left to the target.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))
}

/// The target of `options`: its base URL, or the built-in mock of the prepared spec, which
/// then requires `credentials` (made up when none were given). Within a tokio runtime.
pub async fn target(
    options: &RunOptions,
    prepared: &Prepared,
    credentials: &mut Credentials,
) -> Result<Target> {
    Target::resolve(
        options.base_url.clone(),
        Arc::clone(&prepared.spec),
        prepared.all_operations.clone(),
        // Schemas are compiled once when the plan covers every operation the mock serves.
        (prepared.plan.operations.len() == prepared.all_operations.len())
            .then(|| Arc::clone(&prepared.validators)),
        credentials,
        prepared.seed,
    )
    .await
}

/// Readies the token login of `credentials`, if there is one: it needs a target
/// (`base_url`), and takes the `tokenUrl` of the spec (`doc`) when it names none.
pub fn ready_login(
    base_url: Option<&str>,
    doc: &serde_json::Value,
    credentials: &mut Credentials,
) -> Result<()> {
    let Some(login) = &mut credentials.login else { return Ok(()) };
    if base_url.is_none() {
        return Err(Error::flag(
            &login.named_by,
            "a token login needs a target (--base-url): the built-in mock takes any token",
        ));
    }
    crate::runner::with_spec_token_url(login, doc)
}

/// How the runner sends to `base_url`: the options' pacing, limits, checks and TLS settings
/// (CA files read here, so a missing one is an error before anything is sent).
pub fn run_config(
    options: &RunOptions,
    base_url: &str,
    credentials: Credentials,
) -> Result<RunConfig> {
    let ca_certs =
        options.cacert.iter().map(|p| crate::support::fs::read(p)).collect::<Result<_>>()?;
    Ok(RunConfig {
        base_url: base_url.to_owned(),
        credentials,
        identities: options.identities.clone(),
        concurrency: options.concurrency,
        rate_limit: options.rate_limit,
        timeout: options.timeout,
        max_body: options.max_body,
        checks: options.checks.clone(),
        ca_certs,
        insecure: options.insecure,
        max_time: options.max_time,
        cleanup: options.cleanup,
    })
}

/// Makes the run `options` describe, reporting on standard output; returns the exit code.
pub fn run(options: RunOptions) -> Result<i32> {
    let Some(fetched) = fetch_spec(&options)? else { return run_local(options) };
    let shown = options.spec.clone();
    let local = RunOptions { spec: fetched.path.clone(), ..options };
    run_local_as(local, &shown).map_err(|e| fetched.rename(e))
}

/// The spec URL of `options` fetched to a local copy (`None` for a file).
pub fn fetch_spec(options: &RunOptions) -> Result<Option<super::fetch::Fetched>> {
    if !super::fetch::is_url(&options.spec) {
        return Ok(None);
    }
    let ca_certs: Vec<Vec<u8>> =
        options.cacert.iter().map(|p| crate::support::fs::read(p)).collect::<Result<_>>()?;
    let authorization = options.spec_auth.then(|| options.credentials.authorization()).flatten();
    if options.spec_auth && authorization.is_none() {
        return Err(Error::flag("--spec-auth", "give --bearer TOKEN or --user ID:TOKEN to send"));
    }
    let config = super::fetch::FetchConfig {
        ca_certs: &ca_certs,
        insecure: options.insecure,
        timeout: options.timeout,
        authorization,
    };
    super::fetch::fetch(&options.spec.to_string_lossy(), &config).map(Some)
}

fn run_local(options: RunOptions) -> Result<i32> {
    let shown = options.spec.clone();
    run_local_as(options, &shown)
}

/// The run, with the spec named as `shown` (its URL when fetched).
fn run_local_as(options: RunOptions, shown: &std::path::Path) -> Result<i32> {
    let started = SystemTime::now();
    // Read before anything is sent: a bad baseline stops the run.
    // (A baseline that --update-baseline is about to create need not exist yet.)
    let mut prepared = prepare(&options)?;
    let baseline = match &options.baseline {
        Some(path) if !path.exists() && options.update_baseline.as_ref() == Some(path) => None,
        Some(path) => Some(Baseline::load(path)?),
        None => None,
    };
    let seed = prepared.seed;
    if options.dry_run {
        // The built-in mock makes up credentials for every scheme it can check.
        let missing = match options.base_url {
            Some(_) => without_credentials(&mut prepared.plan, &options.credentials),
            None => Vec::new(),
        };
        let url = options.base_url.clone().unwrap_or_else(dry_run_url);
        return dry_run(&prepared, &missing, &url, options.credentials.any());
    }
    if prepared.planned == 0 {
        // A run that sends nothing proves nothing: never a PASS.
        let mut reasons = Vec::new();
        if prepared.all_operations.is_empty() {
            let doc = &prepared.spec.doc;
            let hooks =
                doc.get("webhooks").and_then(|w| w.as_object()).is_some_and(|w| !w.is_empty());
            reasons.push(if hooks {
                "the spec declares no operation under paths, only webhooks (which the API calls, not gauntlet)"
            } else {
                "the spec declares no operation under paths"
            }.to_owned());
        }
        reasons.extend(prepared.notes());
        let why =
            if reasons.is_empty() { "the plan is empty".to_owned() } else { reasons.join("; ") };
        return Err(Error::Other(format!(
            "nothing was tested: {}",
            crate::support::text::truncate(&why, 600)
        )));
    }
    let mut credentials = options.credentials.clone();
    ready_login(options.base_url.as_deref(), &prepared.spec.doc, &mut credentials)?;
    // Created before anything is sent, so an unwritable path stops the run first. Events
    // are written in place as they come; every other file is renamed into place whole.
    let requests = options.report_files();
    let mut stream = None;
    let mut files = Vec::new();
    for (format, path) in &requests {
        let Some(path) = path else { continue };
        if *format == Format::Ndjson && stream.is_none() {
            stream = Some((report::AtomicFile::in_place(path)?, path.clone()));
        } else {
            files.push((*format, report::create(path)?, path.clone()));
        }
    }
    let annotations = requests.iter().any(|(f, _)| *f == Format::Github);
    let locations = requests.iter().any(|(f, _)| f.needs_locations());
    let runtime = runtime()?;
    let target = runtime.block_on(target(&options, &prepared, &mut credentials))?;
    let base_url = target.base_url.clone();
    let missing = without_credentials(&mut prepared.plan, &credentials);
    if prepared.plan.scenarios.is_empty() {
        let why = prepared.notes().into_iter().chain(missing).collect::<Vec<_>>().join("; ");
        let why = crate::support::text::truncate(&why, 600);
        return Err(Error::Other(format!("nothing was tested: {why}")));
    }
    let has_credentials = credentials.any();
    let mut console = Console::stdout();
    let io = Error::Console;
    let plan = &prepared.plan;
    let share = match options.partition {
        Some(p) => format!(" (partition {p} of {})", prepared.planned),
        None => String::new(),
    };
    console
        .header(&format!(
            "testing {} against {} · {} operations, {} scenarios{share}, seed {seed}",
            target.description,
            shown.display(),
            plan.operations.len(),
            plan.scenarios.len()
        ))
        .map_err(io)?;
    let mut notes = prepared.notes();
    notes.extend(missing);
    for note in &notes {
        console.note(note).map_err(io)?;
    }
    // Which secured operations the run can authenticate to: for the verdict on refused
    // credentials.
    let covered: Vec<bool> = plan
        .operations
        .iter()
        .map(|o| o.requires_auth() && o.auth.iter().all(|a| credentials.covers(a)))
        .collect();
    let mut config = run_config(&options, &base_url, credentials)?;
    // Requests in flight need a socket each: more than the open-file limit allows would turn
    // a healthy target into "Too many open files" errors.
    let open_files = crate::support::limits::raise_open_files(
        config.concurrency as u64 + crate::support::limits::RESERVED_FILES,
    );
    let most = open_files.saturating_sub(crate::support::limits::RESERVED_FILES).max(1);
    if (config.concurrency as u64) > most {
        console
            .note(&format!(
                "--concurrency {} is more than the open-file limit ({open_files}) allows: {most} requests are sent at once",
                config.concurrency
            ))
            .map_err(io)?;
        config.concurrency = most as usize;
    }
    if options.insecure {
        console.note("--insecure: TLS certificates are not verified for this run").map_err(io)?;
    }
    let declared = prepared.all_operations.len();
    let Prepared { spec, plan, validators, .. } = prepared;
    let plan = Arc::new(plan);
    let info = RunInfo {
        spec: shown.display().to_string(),
        title: spec.title.clone(),
        base_url: base_url.clone(),
        has_credentials,
        strict: options.checks.strict,
        started,
    };
    // The operations as reports name them, located in the spec when a report points there.
    let mut before = RunReport::from_cases(&plan.operations, Vec::new(), info.clone(), seed);
    if locations {
        let pointers: Vec<&str> = plan.operations.iter().map(|o| o.pointer.as_str()).collect();
        for (op, at) in before.operations.iter_mut().zip(crate::openapi::locate(&spec, &pointers)) {
            op.location = at;
        }
    }
    let mut events = match stream {
        Some((file, path)) => {
            let started = Events::start(file, &before, plan.scenarios.len());
            Some((started.map_err(|source| Error::Report { path: path.clone(), source })?, path))
        }
        None => None,
    };
    let mut stream_error = None;
    let mut display =
        report::ProgressDisplay::new(Some(plan.scenarios.len() as u64), "scenarios", options.quiet);
    let stopped_with = std::cell::Cell::new(EXIT_INTERRUPTED);
    let cancel = async {
        stopped_with.set(super::stop_requested().await);
    };
    let mut result = runtime.block_on(runner::run(
        Arc::clone(&plan),
        validators,
        config,
        cancel,
        |p, index, scenario, result| {
            display.update(p.done as u64, || format!("{} failing", p.failed));
            display.set_total(p.total as u64);
            if let Some((events, _)) = &mut events
                && stream_error.is_none()
            {
                let case = Case::new(&plan.operations, scenario, result, &[], &info);
                stream_error = events.scenario(&before, index, &case).err();
            }
        },
    ))?;
    display.finish();
    // The reads value reuse made are reported as the plan's own scenarios.
    let plan = result.into_plan(plan);
    // The verdict is the baseline's overlay; with --update-baseline, the new file's: what
    // failed is now known (an expired entry keeps its date, so its failure still counts until
    // someone extends it).
    let today = crate::baseline::today();
    let checks_run = |c: &str| options.checks.enabled(c);
    let baseline = match &options.update_baseline {
        Some(path) => {
            // Reasons are kept from the file being replaced, or from --baseline.
            let previous = match baseline {
                Some(b) => b,
                None if path.is_file() => Baseline::load(path)?,
                None => Baseline::default(),
            };
            let updated = previous.update(path, &plan, &result)?;
            let count = updated.entries.len();
            console
                .note(&format!("{}: baseline written with {count} known failures", path.display()))
                .map_err(io)?;
            Some(updated)
        }
        None => baseline,
    };
    let verdict =
        baseline.as_ref().map(|b| Verdict::overlay(b, &plan, &result, &today, checks_run));
    let mut report = RunReport::build(&plan, &result, verdict.as_ref(), info);
    report.operations = before.operations;
    report.notes = notes;
    report.untested = plan.untested.clone();
    let coverage =
        Coverage::build(&spec.doc, &plan, &result, declared, checks_run, has_credentials);
    report.below = shortfalls(&coverage, &options.min_coverage);
    report.coverage = Some(coverage);
    if let Some((events, path)) = events {
        let done = match stream_error {
            Some(e) => Err(e),
            None => events.done(&report).map(drop),
        };
        done.map_err(|source| Error::Report { path: path.clone(), source })?;
    }
    // GAUNTLET_REPORT_TIMINGS=1 (for bench/reports.sh) says what each report cost.
    let timings = std::env::var_os("GAUNTLET_REPORT_TIMINGS").is_some();
    for (format, mut file, path) in files {
        let began = std::time::Instant::now();
        let shown = path.display().to_string();
        format.write(&report, &mut file).map_err(|source| Error::Report { path, source })?;
        file.commit()?;
        if timings {
            let bytes = std::fs::metadata(&shown).map(|m| m.len()).unwrap_or(0);
            let ms = began.elapsed().as_secs_f64() * 1000.0;
            let line = format!("report-timing {} {bytes} bytes {ms:.1} ms\n", format.name());
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
        }
    }
    step_summary(&report)?;
    let junit_name = options.junit.as_ref().map(|p| p.display().to_string());
    console.report(&report, junit_name.as_deref()).map_err(io)?;
    if annotations {
        report::write_annotations(anstream::stdout(), &report).map_err(io)?;
    }
    if report.interrupted {
        console.note("interrupted: the report holds the scenarios that finished").map_err(io)?;
        return Ok(stopped_with.get());
    }
    if let Some(line) = credentials_refused(&plan, &result, &covered) {
        return Err(Error::Other(line));
    }
    Ok(if report.violated() {
        EXIT_VIOLATION
    } else if !report.below.is_empty() {
        EXIT_COVERAGE
    } else {
        EXIT_OK
    })
}

/// When every valid request to an operation the run has credentials for was answered 401 or
/// 403, the credentials are wrong (or expired): nothing behind them was tested, and the run
/// says so instead of passing (401 and 403 to one valid request are authorisation decisions,
/// not failures).
fn credentials_refused(
    plan: &crate::plan::Plan,
    result: &runner::RunResult,
    covered: &[bool],
) -> Option<String> {
    let (mut sent, mut refused) = (0, 0);
    for (index, r) in result.finished() {
        let scenario = &plan.scenarios[index];
        let op = &plan.operations[scenario.operation()];
        // An operation that documents no success cannot tell a refusal from its answer.
        if scenario.kind != crate::plan::Kind::Positive
            || !covered[scenario.operation()]
            || !op.documents_success()
        {
            continue;
        }
        if let Some(status) = r.steps.first().and_then(|s| s.status) {
            sent += 1;
            refused += usize::from(matches!(status, 401 | 403));
        }
    }
    (sent > 0 && refused == sent).then(|| {
        format!(
            "the target refused the credentials: every valid request to a secured operation ({sent}) was answered 401 or 403, so nothing behind them was tested; check --user, --bearer or --api-key (the reports hold the run)"
        )
    })
}

/// The measures of `coverage` below their minimum.
fn shortfalls(coverage: &Coverage, minimums: &[(String, f64)]) -> Vec<Shortfall> {
    minimums
        .iter()
        .filter_map(|(measure, minimum)| {
            let actual = coverage.measure(measure)?.percent();
            (actual + 1e-9 < *minimum).then(|| Shortfall {
                measure: measure.clone(),
                actual,
                minimum: *minimum,
            })
        })
        .collect()
}

/// Appends the Markdown summary to `GITHUB_STEP_SUMMARY` when GitHub Actions sets it.
fn step_summary(report: &RunReport) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = std::path::PathBuf::from(path);
    let err = |source| Error::Report { path: path.clone(), source };
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(err)?;
    report::write_summary(std::io::BufWriter::new(file), report).map_err(err)
}

/// Prints the planned requests, credentials redacted, and sends nothing.
fn dry_run(
    prepared: &Prepared,
    missing: &[String],
    base_url: &str,
    has_credentials: bool,
) -> Result<i32> {
    use std::io::Write;
    let plan = &prepared.plan;
    let mut out = anstream::stdout();
    let io = Error::Console;
    writeln!(
        out,
        "gauntlet dry run: {} operations, {} scenarios, seed {} (nothing is sent)",
        plan.operations.len(),
        plan.scenarios.len(),
        plan.seed
    )
    .map_err(io)?;
    for note in prepared.notes().iter().chain(missing) {
        writeln!(out, "note: {}", crate::support::text::escape_controls(note)).map_err(io)?;
    }
    for scenario in &plan.scenarios {
        let op = &plan.operations[scenario.operation()];
        let show = crate::support::text::escape_controls;
        writeln!(out, "{} {}", show(&op.id), show(&scenario.label)).map_err(io)?;
        for step in &scenario.steps {
            let op = &plan.operations[step.operation];
            let curl = report::curl_line(base_url, op, step, has_credentials);
            writeln!(out, "  {}", show(&curl)).map_err(io)?;
        }
    }
    // Value reuse: reads made at run time from what the answers give.
    let mut fed: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for (producer, feeds) in &plan.reuse.feeds {
        for feed in feeds {
            let by = fed.entry(feed.read).or_default();
            if !by.contains(&plan.operations[*producer].id.as_str()) {
                by.push(&plan.operations[*producer].id);
            }
        }
    }
    for (read, by) in fed {
        let show = crate::support::text::escape_controls;
        let by = by.join(", ");
        let (read, by) = (show(&plan.operations[read].id), show(&by));
        writeln!(out, "reuse: {read} is sent with the ids {by} answer, after the plan")
            .map_err(io)?;
    }
    Ok(EXIT_OK)
}
