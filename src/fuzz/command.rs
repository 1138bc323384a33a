//! The `gauntlet fuzz` command: set up the target and the strategies, fuzz with a live
//! progress display, save and show each distinct failure, write JUnit; and `--replay`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::engine::{FuzzConfig, FuzzOutcome, Key, fuzz, keys};
use super::record::Record;
use super::strategy::OperationFuzz;
use crate::credentials::Credentials;
use crate::engine::RunOptions;
use crate::error::{EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION, Error, Result};
use crate::generate::{Generator, Router};
use crate::openapi::{self, Operation};
use crate::plan::{Plan, Scenario};
use crate::report::{Case, RunInfo, RunReport, Shown, write_failure, write_junit};
use crate::runner::{ScenarioResult, Session, StepResult};
use crate::schema::Validators;
use crate::target::Target;

/// Examples when neither `--max-examples` nor `--duration` is given.
pub const DEFAULT_EXAMPLES: u64 = 1000;
/// Where failures are saved.
pub const REPORT_DIR: &str = "reports/fuzz";
/// Where the JUnit report goes unless `--junit` says.
pub const DEFAULT_JUNIT: &str = "reports/fuzz/junit.xml";

/// Everything `gauntlet fuzz` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// What every run is told: spec, target, credentials, operations, seed, pacing, JUnit.
    pub run: RunOptions,
    /// Parameters to fuzz, by name (all when empty).
    pub params: Vec<String>,
    /// Where to fuzz: parameter locations and the body (everywhere when empty).
    pub places: Vec<super::strategy::Place>,
    /// Examples to send.
    pub max_examples: Option<u64>,
    /// Time to fuzz.
    pub duration: Option<Duration>,
}

/// A session for `plan`, sent as `options` say, logged in when the credentials have a
/// token login (one that fails stops here, before anything is sent).
fn session(
    rt: &tokio::runtime::Runtime,
    plan: Plan,
    validators: Arc<Validators>,
    options: &RunOptions,
    base_url: &str,
    credentials: &Credentials,
) -> Result<Session> {
    let config = crate::engine::run_config(options, base_url, credentials.clone())?;
    let session = {
        // The rate limiter's timer belongs to the runtime.
        let _guard = rt.enter();
        Session::new(Arc::new(plan), validators, config)?
    };
    rt.block_on(session.login())?;
    Ok(session)
}

/// Runs `gauntlet fuzz`; returns the exit code.
pub fn run(mut o: Options) -> Result<i32> {
    let fetched = crate::engine::fetch_spec(&o.run)?;
    if let Some(f) = &fetched {
        o.run.spec = f.path.clone();
    }
    let result = run_local(o);
    match &fetched {
        Some(f) => result.map_err(|e| f.rename(e)),
        None => result,
    }
}

fn run_local(o: Options) -> Result<i32> {
    let started = SystemTime::now();
    let spec_doc = Arc::new(openapi::load_within(&o.run.spec, o.run.ref_root.as_deref())?);
    let all_ops = openapi::operations(&spec_doc)?;
    let selected = crate::engine::select(&all_ops, &o.run.operations)?;
    let operations: Vec<Operation> = selected.iter().map(|&i| all_ops[i].clone()).collect();
    let seed = o.run.seed.unwrap_or_else(crate::target::random_seed);
    let mut credentials = o.run.credentials.clone();
    crate::engine::ready_login(o.run.base_url.as_deref(), &spec_doc.doc, &mut credentials)?;
    // Compiled once: the strategies (to judge inputs) and the session (to check answers).
    let validators = Arc::new(Validators::for_operations(&spec_doc, &operations));
    let router = Arc::new(Router::new(all_ops.iter().map(|op| op.path.clone())));
    use super::strategy::Place;
    let wanted = |q: &openapi::Parameter| {
        o.places.is_empty() || o.places.contains(&Place::Param(q.location))
    };
    let body_field = |op: &Operation, name: &str| {
        (o.places.is_empty() || o.places.contains(&Place::Body))
            && op.request_body.iter().flat_map(|b| &b.content).any(|m| {
                let doc = spec_doc.request_doc();
                let schema = m.schema.as_ref().and_then(|s| doc.pointer(&s.pointer));
                let path: Vec<String> = name.split('.').map(str::to_owned).collect();
                schema.is_some_and(|s| super::strategy::field_schema(doc, s, &path).is_some())
            })
    };
    if let Some(unknown) = o.params.iter().find(|p| {
        !operations
            .iter()
            .any(|op| op.parameters.iter().any(|q| q.name == **p && wanted(q)) || body_field(op, p))
    }) {
        return Err(Error::flag(
            "--param",
            format!(
                "no selected operation has a parameter or body field '{unknown}' in the locations fuzzed"
            ),
        ));
    }
    let rt = crate::engine::runtime()?;
    let target = rt.block_on(Target::resolve(
        o.run.base_url.clone(),
        Arc::clone(&spec_doc),
        all_ops.clone(),
        None,
        &mut credentials,
        seed,
    ))?;
    let mut targets = Vec::new();
    let mut notes = Vec::new();
    let mut bases = Vec::new();
    {
        let generator = Generator::new(
            spec_doc.request_doc(),
            &validators,
            all_ops.iter().map(|op| op.path.clone()),
            1,
        );
        for (index, op) in operations.iter().enumerate() {
            let scenarios = match generator.operation(index, op, seed) {
                Ok(scenarios) => scenarios,
                Err(why) => {
                    notes.push(crate::plan::untested_note(&op.id, &why));
                    continue;
                }
            };
            let Some(base) = scenarios.into_iter().find(|s| s.label == "positive/base") else {
                continue;
            };
            bases.push(base.clone());
            match OperationFuzz::new(
                index,
                op,
                base,
                &o.params,
                &o.places,
                Arc::clone(&spec_doc),
                Arc::clone(&validators),
                Arc::clone(&router),
                &credentials,
            ) {
                Some(t) => targets.push(t),
                None => {
                    notes.push(format!("{}: no parameter, body field or credential to fuzz", op.id))
                }
            }
        }
    }
    if targets.is_empty() {
        // A run that fuzzes nothing proves nothing: never a PASS.
        let why = crate::support::text::truncate(&notes.join("; "), 600);
        return Err(Error::Other(format!("nothing was fuzzed: {why}")));
    }
    let plan =
        Plan { operations, scenarios: Vec::new(), seed, notes: Vec::new(), ..Default::default() };
    let session = session(&rt, plan, validators, &o.run, &target.base_url, &credentials)?;
    let has_credentials = credentials.any();
    let mut out = anstream::stdout();
    let io = Error::Console;
    let budget = match (o.max_examples, o.duration) {
        (Some(n), Some(d)) => format!("{n} examples or {d:?}, whichever comes first"),
        (Some(n), None) => format!("{n} examples"),
        (None, Some(d)) => format!("{d:?}"),
        (None, None) => "no limit (Ctrl-C stops)".into(),
    };
    writeln!(
        out,
        "gauntlet fuzzing {} against {} · {} operations · {budget} · seed {}",
        target.description,
        o.run.spec.display(),
        targets.len(),
        seed
    )
    .map_err(io)?;
    for note in &notes {
        writeln!(out, "note: {note}").map_err(io)?;
    }
    out.flush().map_err(io)?;
    let config = FuzzConfig {
        seed,
        max_examples: o.max_examples,
        duration: o.duration,
        concurrency: o.run.concurrency,
        shrink_requests: 500,
        shrink_time: Duration::from_secs(30),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let stopped_with = Arc::new(std::sync::atomic::AtomicI32::new(EXIT_INTERRUPTED));
    {
        let (stop, stopped_with) = (Arc::clone(&stop), Arc::clone(&stopped_with));
        rt.spawn(async move {
            stopped_with.store(crate::engine::stop_requested().await, Ordering::Relaxed);
            stop.store(true, Ordering::Relaxed);
        });
    }
    let cancelled = || stop.load(Ordering::Relaxed);
    let mut display = crate::report::ProgressDisplay::new(o.max_examples, "examples", false);
    let outcome = rt.block_on(fuzz(&session, &targets, &config, &cancelled, &mut |p| {
        display.update(p.examples, || {
            let rate = p.requests as f64 / p.elapsed.as_secs_f64().max(1e-9);
            format!("{rate:.0} req/s · {} failures found", p.failures)
        })
    }));
    display.finish();
    if outcome.examples > 0 && outcome.unreachable == outcome.examples && !outcome.interrupted {
        let message = outcome
            .findings
            .iter()
            .find_map(|f| f.result.error().map(|e| e.message.clone()))
            .unwrap_or_else(|| "no request could connect".into());
        return Err(Error::Unreachable { base_url: target.base_url.clone(), message });
    }
    // Save, show, report.
    let plan = session.plan();
    let spec_name = o.run.spec.display().to_string();
    let builtin = target.mock.is_some();
    let mut saved = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for finding in &outcome.findings {
        let mut record =
            Record::new(finding, plan, seed, &spec_name, &target.base_url, has_credentials);
        record.builtin_mock = builtin;
        // Two server errors of one check and status (told apart by their signatures) are two
        // files: the second is `...-500-2.json`.
        let base = record.id.clone();
        let mut n = 1;
        while !ids.insert(record.id.clone()) {
            n += 1;
            record.id = format!("{base}-{n}");
        }
        saved.push(record.write(Path::new(REPORT_DIR))?);
    }
    let info = RunInfo {
        spec: spec_name,
        title: spec_doc.title.clone(),
        base_url: target.base_url.clone(),
        has_credentials,
        strict: o.run.checks.strict,
        started,
    };
    show(&mut out, plan, &outcome, &saved, &info).map_err(io)?;
    let mut report = junit_report(plan, &bases, &outcome, info);
    if o.run.reports.iter().any(|(f, _)| f.needs_locations()) {
        let pointers: Vec<&str> = plan.operations.iter().map(|op| op.pointer.as_str()).collect();
        let found = crate::openapi::locate(&spec_doc, &pointers);
        for (op, at) in report.operations.iter_mut().zip(found) {
            op.location = at;
        }
    }
    let junit = o.run.junit.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_JUNIT));
    let mut file = crate::report::create(&junit)?;
    write_junit(&mut file, &report)
        .map_err(|source| Error::Report { path: junit.clone(), source })?;
    file.commit()?;
    for (format, path) in &o.run.reports {
        match path {
            Some(path) => {
                let mut file = crate::report::create(path)?;
                format
                    .write(&report, &mut file)
                    .map_err(|source| Error::Report { path: path.clone(), source })?;
                file.commit()?;
            }
            None => format.write(&report, &mut out).map_err(io)?,
        }
    }
    let secs = outcome.elapsed.as_secs_f64().max(1e-9);
    let verdict = if outcome.findings.is_empty() { "PASS" } else { "FAIL" };
    writeln!(
        out,
        "{verdict} {} examples ({} requests, {} skipped) in {:.2}s ({:.0} req/s) · {} distinct failures · seed {} · JUnit: {}",
        outcome.examples,
        outcome.requests,
        outcome.skipped,
        secs,
        outcome.requests as f64 / secs,
        outcome.findings.len(),
        seed,
        junit.display()
    )
    .map_err(io)?;
    if outcome.interrupted {
        writeln!(out, "note: interrupted: the report holds what was found").map_err(io)?;
        return Ok(stopped_with.load(Ordering::Relaxed));
    }
    Ok(if outcome.findings.is_empty() { EXIT_OK } else { EXIT_VIOLATION })
}

/// Each finding: what, where it was found, the minimal input, and the failure as
/// `gauntlet run` shows it.
fn show(
    out: &mut dyn Write,
    plan: &Plan,
    outcome: &FuzzOutcome,
    saved: &[PathBuf],
    info: &RunInfo,
) -> std::io::Result<()> {
    let cases = outcome
        .findings
        .iter()
        .map(|f| Case::new(&plan.operations, &f.scenario, &f.result, &[], info))
        .collect();
    let found = RunReport::from_cases(&plan.operations, cases, info.clone(), plan.seed);
    for ((finding, path), case) in outcome.findings.iter().zip(saved).zip(&found.cases) {
        writeln!(out)?;
        let title = failure_title(&finding.result, &finding.key);
        write_failure(
            out,
            &found,
            case,
            &Shown {
                check: &finding.key.check,
                title: &title,
                more: 0,
                signature: finding.key.signature.as_deref(),
            },
        )?;
        writeln!(
            out,
            "  found after {} examples, shrunk in {} requests",
            finding.found_after, finding.shrink_steps
        )?;
        writeln!(out, "  minimal:  {}", inputs(&finding.minimal))?;
        writeln!(out, "  original: {}", inputs(&finding.original))?;
        writeln!(
            out,
            "  saved:    {} (gauntlet fuzz --replay {})",
            path.display(),
            path.display()
        )?;
    }
    writeln!(out)
}

fn inputs(pairs: &[(String, String)]) -> String {
    let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    crate::support::text::truncate(&text.join(" "), 300)
}

fn failure_title(result: &ScenarioResult, key: &Key) -> String {
    result
        .failures()
        .find(|f| f.check == key.check)
        .map(|f| f.title.clone())
        .or_else(|| result.error().map(|e| e.message.clone()))
        .unwrap_or_default()
}

/// The JUnit report: one test case per distinct failure, and a passing one per operation
/// and check that nothing failed.
fn junit_report(
    plan: &Plan,
    bases: &[Scenario],
    outcome: &FuzzOutcome,
    info: RunInfo,
) -> RunReport {
    let ops = &plan.operations;
    let mut cases = Vec::new();
    for (index, _) in ops.iter().enumerate() {
        for finding in outcome.findings.iter().filter(|f| f.key.operation == index) {
            let mut scenario = finding.scenario.clone();
            let tail = finding.key.status.map_or(finding.key.kind.clone(), |s| s.to_string());
            scenario.label = format!("fuzz/{}/{tail}", finding.key.check);
            let mut result = finding.result.clone();
            for step in &mut result.steps {
                step.failures.retain(|f| f.check == finding.key.check);
                if finding.key.check != crate::http::TRANSPORT {
                    step.error = None;
                }
            }
            cases.push(Case::new(ops, &scenario, &result, &[], &info));
        }
        let Some(base) = bases.iter().find(|b| b.operation() == index) else { continue };
        for check in crate::checks::names() {
            if outcome.findings.iter().any(|f| f.key.operation == index && f.key.check == check) {
                continue;
            }
            let mut scenario = base.clone();
            scenario.label = format!("fuzz/{check}");
            let passed = ScenarioResult { steps: vec![StepResult::default()], flaky: false };
            cases.push(Case::new(ops, &scenario, &passed, &[], &info));
        }
    }
    let mut report = RunReport::from_cases(ops, cases, info, plan.seed);
    report.elapsed = outcome.elapsed;
    report.interrupted = outcome.interrupted;
    report
}

/// `gauntlet fuzz --replay FILE`: sends the saved request again; exit 1 when it still fails
/// the same way (or another way), 0 when it passes now.
pub fn replay(file: &Path, spec: Option<PathBuf>, mut options: RunOptions) -> Result<i32> {
    options.concurrency = 1;
    options.rate_limit = None;
    let mut credentials = options.credentials.clone();
    let record = Record::read(file)?;
    let spec_path = spec.unwrap_or_else(|| PathBuf::from(&record.spec));
    let spec_doc = Arc::new(openapi::load(&spec_path)?);
    let all_ops = openapi::operations(&spec_doc)?;
    let Some(op) = all_ops.iter().find(|o| o.id == record.operation).cloned() else {
        return Err(Error::Syntax {
            path: file.to_owned(),
            message: format!("operation '{}' is not in {}", record.operation, spec_path.display()),
        });
    };
    let given = match options.base_url.clone() {
        Some(u) => Some(u),
        None if record.builtin_mock => None,
        None => Some(record.base_url.clone()),
    };
    crate::engine::ready_login(given.as_deref(), &spec_doc.doc, &mut credentials)?;
    let rt = crate::engine::runtime()?;
    let target = rt.block_on(Target::resolve(
        given,
        Arc::clone(&spec_doc),
        all_ops.clone(),
        None,
        &mut credentials,
        record.seed,
    ))?;
    let validators = Arc::new(Validators::for_operations(&spec_doc, [&op]));
    let label = format!("replay/{}", record.id);
    let scenario = Scenario::single(0, label, record.scenario_kind.clone(), record.request.clone());
    let plan = Plan {
        operations: vec![op],
        scenarios: vec![scenario.clone()],
        seed: record.seed,
        ..Default::default()
    };
    let session = session(&rt, plan, validators, &options, &target.base_url, &credentials)?;
    let result = rt.block_on(session.execute_scenario(&scenario));
    if let Some(e) = result.error().filter(|e| e.kind == crate::http::TransportKind::Connect) {
        return Err(Error::Unreachable {
            base_url: target.base_url.clone(),
            message: e.message.clone(),
        });
    }
    let wanted = Key {
        operation: 0,
        check: record.check.clone(),
        status: record.status,
        kind: record.kind.clone(),
        signature: record.signature.clone(),
    };
    let got = keys(0, &result);
    let mut out = anstream::stdout();
    let io = Error::Console;
    writeln!(
        out,
        "gauntlet replaying {} against {} · {}: {}",
        file.display(),
        target.description,
        record.check,
        record.title
    )
    .map_err(io)?;
    writeln!(out, "  input: {}", inputs(&record.input.clone().into_iter().collect::<Vec<_>>()))
        .map_err(io)?;
    let info = RunInfo {
        spec: spec_path.display().to_string(),
        title: spec_doc.title.clone(),
        base_url: target.base_url.clone(),
        has_credentials: credentials.any(),
        strict: options.checks.strict,
        started: SystemTime::now(),
    };
    let plan = session.plan();
    let case = Case::new(&plan.operations, &scenario, &result, &[], &info);
    let report = RunReport::from_cases(&plan.operations, vec![case], info, record.seed);
    // The same failure, even if the server words it differently now.
    let unsigned = |k: &Key| Key { signature: None, ..k.clone() };
    if let Some(same) = got.iter().find(|k| unsigned(k) == unsigned(&wanted)) {
        let title = failure_title(&result, &wanted);
        let signature = same.signature.as_deref();
        let shown = Shown { check: &wanted.check, title: &title, more: 0, signature };
        write_failure(&mut out, &report, &report.cases[0], &shown).map_err(io)?;
        writeln!(out, "STILL FAILS the same way").map_err(io)?;
        return Ok(EXIT_VIOLATION);
    }
    if let Some(other) = got.first() {
        let title = failure_title(&result, other);
        let signature = other.signature.as_deref();
        let shown = Shown { check: &other.check, title: &title, more: 0, signature };
        write_failure(&mut out, &report, &report.cases[0], &shown).map_err(io)?;
        writeln!(out, "FAILS differently now ({} instead of {})", other.check, wanted.check)
            .map_err(io)?;
        return Ok(EXIT_VIOLATION);
    }
    let status = result.status().map_or("no status".into(), |s| s.to_string());
    writeln!(out, "PASSES now (status {status}): the failure is fixed").map_err(io)?;
    Ok(EXIT_OK)
}
