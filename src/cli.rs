//! The command line: clap structs, their conversion into engine configuration, and the
//! `run` command's flow from spec to verdict.
//!
//! Nothing here is used by the engine; [`main`] returns the process exit code.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use clap::{Args, Parser, Subcommand};

use crate::baseline::Baseline;
use crate::credentials::Credentials;
use crate::error::{EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, Error, Result};
use crate::openapi::{self, Operation};
use crate::plan::Plan;
use crate::report::{self, Console, RunInfo};
use crate::runner::{self, RunConfig};
use crate::schema::Validators;
use crate::target::{Target, check_base_url, random_seed};

const EXIT_CODES: &str = "Exit codes:
  0    every check passed
  1    at least one contract violation (a failed check, or a request with no answer)
  2    the run could not be made (bad flag, spec or case file, unwritable report, unreachable target)
  130  interrupted (Ctrl-C): the report holds what finished";

/// Puts an HTTP API through valid and invalid requests and proves whether it honours its
/// OpenAPI contract.
#[derive(Debug, Parser)]
#[command(name = "gauntlet", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Test a target against the spec: generated scenarios and case files, every check.
    /// Without --base-url, the built-in mock is started and tested.
    #[command(after_help = EXIT_CODES)]
    Run(Box<RunArgs>),
    /// Fuzz path parameters and credentials with proptest; shrink each failure against the
    /// target and save it to reports/fuzz/ (replay with --replay FILE).
    #[command(after_help = EXIT_CODES)]
    Fuzz(Box<FuzzArgs>),
    /// Serve the spec: schema-valid answers, enforced credentials and parameters, and
    /// contract breaks on request (--fault).
    Mock(MockArgs),
}

/// Flags of `gauntlet mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// The OpenAPI 3.0/3.1 document (YAML or JSON).
    #[arg(long, value_name = "FILE", default_value = "spec/relay-rest.yaml")]
    spec: PathBuf,
    /// Port to listen on (0 for any free one).
    #[arg(long, value_name = "N", default_value_t = 4010)]
    port: u16,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    host: String,
    /// Credentials to require (without them, any well-formed credential is accepted).
    #[arg(long, value_name = "ID:TOKEN", env = "GAUNTLET_USER", hide_env_values = true)]
    user: Option<String>,
    /// Seed for generated bodies.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Break the contract this way (repeatable); see --list-faults.
    #[arg(long = "fault", value_name = "KIND", value_parser = parse_fault)]
    faults: Vec<crate::mock::Fault>,
    /// List the faults and exit.
    #[arg(long)]
    list_faults: bool,
}

fn parse_fault(text: &str) -> std::result::Result<crate::mock::Fault, String> {
    crate::mock::Fault::parse(text)
}

/// Flags of `gauntlet run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Settings file (default: gauntlet.toml in the working directory, when present); flags
    /// override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The OpenAPI 3.0/3.1 document (YAML or JSON) [default: spec/relay-rest.yaml].
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The target's base URL, path prefix included (http://host:port/api/relay/rest).
    #[arg(long, value_name = "URL", env = "GAUNTLET_BASE_URL")]
    base_url: Option<String>,
    #[command(flatten)]
    auth: CredentialArgs,
    /// Case files: a YAML file or a folder of them (default: cases/ when present).
    #[arg(long, value_name = "PATH")]
    cases: Vec<PathBuf>,
    /// Where to write the JUnit XML report [default: reports/junit.xml].
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Seed for generation (random and printed when absent).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Most generated scenarios per operation [default: 100].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_examples: Option<u32>,
    /// Requests in flight at once [default: 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: Option<u16>,
    /// Requests per second across the run.
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    rate_limit: Option<f64>,
    /// Time allowed for each whole exchange: 2s, 500ms, 1.5 (seconds) [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse_duration)]
    timeout: Option<Duration>,
    /// Largest response body read, in bytes; a larger one fails its scenario [default: 10485760].
    #[arg(long, value_name = "BYTES")]
    max_body: Option<usize>,
    /// Test only this operation (by operationId; repeatable).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Run only these checks (repeatable; all by default).
    #[arg(long = "check", value_name = "NAME", value_parser = parse_check)]
    checks: Vec<String>,
    /// Print the planned requests (credentials redacted) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Trust this CA certificate (PEM) for an https target (repeatable).
    #[arg(long, value_name = "FILE")]
    cacert: Vec<PathBuf>,
    /// Do not verify TLS certificates (says so in the output).
    #[arg(long)]
    insecure: bool,
    /// Known failures (TOML): shown, but they do not fail the run until they expire.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write this run's failures as the baseline (keeping reasons of entries still failing).
    #[arg(long, value_name = "FILE")]
    update_baseline: Option<PathBuf>,
    /// Run share K of N of the plan (count:K/N round-robin, the default, or hash:K/N).
    #[arg(long, value_name = "K/N")]
    partition: Option<crate::partition::Partition>,
}

/// The credential flags of `run` and `fuzz`.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// HTTP Basic credentials (SignalWire: project id and API token). Never printed.
    #[arg(long, value_name = "ID:TOKEN", env = "GAUNTLET_USER", hide_env_values = true)]
    user: Option<String>,
    /// A bearer token for operations secured by an http bearer scheme (defaults to TOKEN of --user).
    #[arg(long, value_name = "TOKEN", env = "GAUNTLET_BEARER", hide_env_values = true)]
    bearer: Option<String>,
    /// An API key for operations secured by an apiKey scheme (defaults to TOKEN of --user).
    #[arg(long, value_name = "KEY", env = "GAUNTLET_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
}

/// Flags of `gauntlet fuzz`.
#[derive(Debug, Args)]
pub struct FuzzArgs {
    /// The OpenAPI 3.0/3.1 document [default: spec/relay-rest.yaml; with --replay, the one
    /// the failure was found with].
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The target's base URL (default: the built-in mock; with --replay, the saved target).
    #[arg(long, value_name = "URL", env = "GAUNTLET_BASE_URL")]
    base_url: Option<String>,
    #[command(flatten)]
    auth: CredentialArgs,
    /// Fuzz only this operation (by operationId; repeatable).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Fuzz only this path parameter (repeatable).
    #[arg(long = "param", value_name = "NAME")]
    params: Vec<String>,
    /// Seed (random and printed when absent): the same seed and target give the same
    /// requests and the same minimal inputs.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Examples to send [default: 1000 unless --duration is given].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_examples: Option<u64>,
    /// Fuzz for this long (30s, 5m); with --max-examples, whichever ends first.
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse_duration)]
    duration: Option<Duration>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: u16,
    /// Requests per second.
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    rate_limit: Option<f64>,
    /// Time allowed for each whole exchange.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::duration::parse_duration)]
    timeout: Duration,
    /// Where to write the JUnit XML report.
    #[arg(long, value_name = "FILE", default_value = "reports/fuzz/junit.xml")]
    junit: PathBuf,
    /// Send a saved failure (reports/fuzz/<id>.json) again and say whether it still fails.
    #[arg(long, value_name = "FILE")]
    replay: Option<PathBuf>,
}

/// `gauntlet fuzz`.
pub fn fuzz(args: FuzzArgs) -> Result<i32> {
    let credentials = Credentials {
        basic: user_flag("--user", args.auth.user.as_deref())?,
        bearer: args.auth.bearer,
        api_key: args.auth.api_key,
    };
    let base_url = args.base_url.as_deref().map(|u| check_base_url("--base-url", u)).transpose()?;
    if let Some(file) = &args.replay {
        return crate::fuzz::command::replay(file, args.spec, base_url, credentials, args.timeout);
    }
    let spec_path = args.spec.unwrap_or_else(|| "spec/relay-rest.yaml".into());
    let spec = Arc::new(openapi::load(&spec_path)?);
    let all_ops = openapi::operations(&spec)?;
    let operations = select(&all_ops, &args.operations)?;
    let max_examples = match (args.max_examples, args.duration) {
        (None, None) => Some(crate::fuzz::command::DEFAULT_EXAMPLES),
        (n, _) => n,
    };
    let options = crate::fuzz::command::Options {
        spec: spec_path,
        base_url,
        credentials,
        operations,
        params: args.params,
        seed: args.seed.unwrap_or_else(random_seed),
        max_examples,
        duration: args.duration,
        concurrency: args.concurrency as usize,
        rate_limit: args.rate_limit,
        timeout: args.timeout,
        junit: args.junit,
    };
    crate::fuzz::command::run(spec, all_ops, options)
}

/// `gauntlet run`'s settings: flags over `gauntlet.toml` over defaults.
struct Settings {
    spec: PathBuf,
    base_url: Option<(String, String)>,
    credentials: Credentials,
    cases: Vec<PathBuf>,
    junit: PathBuf,
    seed: Option<u64>,
    max_examples: u32,
    concurrency: u16,
    rate_limit: Option<f64>,
    timeout: Duration,
    max_body: usize,
    operations: Vec<String>,
    checks: crate::checks::Settings,
    dry_run: bool,
    cacert: Vec<PathBuf>,
    insecure: bool,
    baseline: Option<PathBuf>,
    update_baseline: Option<PathBuf>,
    partition: Option<crate::partition::Partition>,
}

impl Settings {
    /// Merges the flags with the settings file (when there is one) and the defaults.
    fn merge(args: RunArgs) -> Result<Settings> {
        let (file, config) = match crate::config::Config::find(args.config.as_deref())? {
            Some((path, config)) => (path.display().to_string(), config),
            None => (String::new(), crate::config::Config::default()),
        };
        let key = |k: &str| format!("{file}: {k}");
        let configured = config.check_settings();
        let user = match (&args.auth.user, &config.user) {
            (Some(u), _) => user_flag("--user", Some(u))?,
            (None, Some(u)) => user_flag(&key("user"), Some(u))?,
            (None, None) => None,
        };
        let credentials = Credentials {
            basic: user,
            bearer: args.auth.bearer.or(config.bearer),
            api_key: args.auth.api_key.or(config.api_key),
        };
        let base_url = match (args.base_url, config.base_url) {
            (Some(u), _) => Some(("--base-url".to_owned(), u)),
            (None, Some(u)) => Some((key("base_url"), u)),
            (None, None) => None,
        };
        let timeout = match (args.timeout, &config.timeout) {
            (Some(t), _) => t,
            (None, Some(t)) => {
                crate::duration::parse_duration(t).map_err(|m| Error::flag(&key("timeout"), m))?
            }
            (None, None) => Duration::from_secs(10),
        };
        let checks = if args.checks.is_empty() {
            configured
        } else {
            crate::checks::Settings { enabled: Some(args.checks), statuses: configured.statuses }
        };
        let or_list =
            |flag: Vec<PathBuf>, file: Vec<PathBuf>| if flag.is_empty() { file } else { flag };
        Ok(Settings {
            spec: args.spec.or(config.spec).unwrap_or_else(|| "spec/relay-rest.yaml".into()),
            base_url,
            credentials,
            cases: or_list(args.cases, config.cases),
            junit: args.junit.or(config.junit).unwrap_or_else(|| "reports/junit.xml".into()),
            seed: args.seed.or(config.seed),
            max_examples: args.max_examples.or(config.max_examples).unwrap_or(100),
            concurrency: args.concurrency.or(config.concurrency).unwrap_or(8),
            rate_limit: args.rate_limit.or(config.rate_limit),
            timeout,
            max_body: args.max_body.or(config.max_body).unwrap_or(10 * 1024 * 1024),
            operations: if args.operations.is_empty() {
                config.operations
            } else {
                args.operations
            },
            checks,
            dry_run: args.dry_run,
            cacert: or_list(args.cacert, config.cacert),
            insecure: args.insecure || config.insecure == Some(true),
            baseline: args.baseline.or(config.baseline),
            update_baseline: args.update_baseline,
            partition: args.partition,
        })
    }
}

fn parse_rate(text: &str) -> std::result::Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("'{text}' is not a positive number of requests per second")),
    }
}

fn parse_check(text: &str) -> std::result::Result<String, String> {
    let names: Vec<&str> = crate::checks::ALL.iter().map(|(n, _)| *n).collect();
    if names.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!("unknown check '{text}'; checks: {}", names.join(", ")))
    }
}

/// Parses the process arguments, runs, and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let outcome = match cli.command {
        Command::Run(args) => run(*args),
        Command::Fuzz(args) => fuzz(*args),
        Command::Mock(args) => mock(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(
                anstream::stderr(),
                "{}error:{} {e}",
                anstyle::AnsiColor::Red.on_default().bold(),
                anstyle::Reset
            );
            e.exit_code()
        }
    }
}

/// `gauntlet run`: load, plan, send, check, report. Returns the exit code.
pub fn run(args: RunArgs) -> Result<i32> {
    let started = SystemTime::now();
    let s = Settings::merge(args)?;
    let spec = Arc::new(openapi::load(&s.spec)?);
    let all_ops = openapi::operations(&spec)?;
    let selected = select(&all_ops, &s.operations)?;
    let mut credentials = s.credentials.clone();
    let seed = s.seed.unwrap_or_else(random_seed);
    let given_url = s.base_url.as_ref().map(|(flag, u)| check_base_url(flag, u)).transpose()?;
    // Read before anything is sent: a bad baseline stops the run.
    // (A baseline that --update-baseline is about to create need not exist yet.)
    let baseline = match &s.baseline {
        Some(path) if !path.exists() && s.update_baseline.as_ref() == Some(path) => None,
        Some(path) => Some(Baseline::load(path)?),
        None => None,
    };
    let (plan, validators) =
        crate::plan::build(&spec, &all_ops, &selected, seed, s.max_examples as usize, &s.cases)?;
    let planned = plan.scenarios.len();
    let plan = match s.partition {
        Some(p) => p.apply(plan),
        None => plan,
    };
    if s.dry_run {
        let has_credentials = credentials.any();
        let url = given_url.unwrap_or_else(|| "http://127.0.0.1:4010".to_owned());
        return dry_run(&plan, &url, has_credentials, &validators);
    }
    let mut junit = report::create(&s.junit)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
    // Without a target, the built-in mock of the same spec is the target, with fresh credentials.
    let target = runtime.block_on(Target::resolve(
        given_url,
        Arc::clone(&spec),
        all_ops.clone(),
        &mut credentials,
        seed,
    ))?;
    let base_url = target.base_url.clone();
    let has_credentials = credentials.any();
    let mut console = Console::stdout();
    let io = |e: std::io::Error| Error::Other(format!("cannot write to the console: {e}"));
    let share = match s.partition {
        Some(p) => format!(" (partition {p} of {planned})"),
        None => String::new(),
    };
    console
        .header(&format!(
            "testing {} against {} · {} operations, {} scenarios{share}, seed {seed}",
            target.description,
            s.spec.display(),
            plan.operations.len(),
            plan.scenarios.len()
        ))
        .map_err(io)?;
    for note in notes(&plan, &validators) {
        console.note(&note).map_err(io)?;
    }
    if let Some(op) = plan
        .operations
        .iter()
        .find(|o| o.requires_auth() && !o.auth.first().is_some_and(|a| credentials.covers(a)))
    {
        console
            .note(&format!(
                "no credentials for {} (--user ID:TOKEN): positive scenarios of secured operations are sent without them and positive_data_acceptance is skipped",
                op.id
            ))
            .map_err(io)?;
    }
    let config = RunConfig {
        base_url: base_url.clone(),
        credentials: credentials.clone(),
        concurrency: s.concurrency as usize,
        rate_limit: s.rate_limit,
        timeout: s.timeout,
        max_body: s.max_body,
        checks: s.checks.clone(),
        ca_certs: s
            .cacert
            .iter()
            .map(|p| std::fs::read(p).map_err(|source| Error::Read { path: p.clone(), source }))
            .collect::<Result<_>>()?,
        insecure: s.insecure,
    };
    if s.insecure {
        console.note("--insecure: TLS certificates are not verified for this run").map_err(io)?;
    }
    let plan = Arc::new(plan);
    let cancel = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let result = runtime.block_on(runner::run(
        Arc::clone(&plan),
        Arc::new(validators),
        config,
        cancel,
        |p| console.progress(p),
    ))?;
    // Interrupted: report what finished, nothing else.
    let (plan, mut result) =
        if result.interrupted { runner::finished_only(&plan, result) } else { (plan, result) };
    let today = crate::baseline::today();
    let checks_run = |c: &str| s.checks.enabled(c);
    let mut outcome = baseline.as_ref().map(|b| b.apply(&plan, &mut result, &today, checks_run));
    if let Some(path) = &s.update_baseline {
        // Reasons are kept from the file being replaced, or from --baseline.
        let previous = match baseline {
            Some(b) => b,
            None if path.is_file() => Baseline::load(path)?,
            None => Baseline::default(),
        };
        let updated = previous.update(path, &plan, &result)?;
        // The run's verdict is the new file's: what failed is now known (an expired entry
        // keeps its date, so its failure still counts until someone extends it).
        outcome = Some(updated.apply(&plan, &mut result, &today, checks_run));
        let count = updated.entries.len();
        console
            .note(&format!("{}: baseline written with {count} known failures", path.display()))
            .map_err(io)?;
    }
    let info = RunInfo {
        spec: s.spec.display().to_string(),
        title: spec.title.clone(),
        base_url: base_url.clone(),
        has_credentials,
        started,
    };
    report::write_junit(&mut junit, &plan, &result, &info)
        .map_err(|source| Error::Report { path: s.junit.clone(), source })?;
    let junit_name = s.junit.display().to_string();
    console.report(&plan, &result, &base_url, has_credentials, Some(&junit_name)).map_err(io)?;
    if let Some(outcome) = &outcome {
        console.baseline(outcome).map_err(io)?;
    }
    if result.interrupted {
        console.note("interrupted: the report holds the scenarios that finished").map_err(io)?;
        return Ok(EXIT_INTERRUPTED);
    }
    let violated = result.results.iter().any(|r| !r.passed());
    Ok(if violated { EXIT_VIOLATION } else { EXIT_OK })
}

/// `gauntlet mock`: serve until Ctrl-C.
pub fn mock(args: MockArgs) -> Result<i32> {
    let mut out = anstream::stdout();
    let io = |e: std::io::Error| Error::Other(format!("cannot write to the console: {e}"));
    if args.list_faults {
        for (name, what) in crate::mock::FAULTS {
            writeln!(out, "{name:<27} {what}").map_err(io)?;
        }
        return Ok(EXIT_OK);
    }
    let spec = Arc::new(openapi::load(&args.spec)?);
    let operations = openapi::operations(&spec)?;
    let basic = user_flag("--user", args.user.as_deref())?;
    let credentials = basic.map(|basic| Credentials { basic: Some(basic), ..Default::default() });
    let count = operations.len();
    let config =
        crate::mock::MockConfig { credentials, seed: args.seed, faults: args.faults.clone() };
    let mock = Arc::new(crate::mock::Mock::new(Arc::clone(&spec), operations, config));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = crate::mock::bind(&args.host, args.port).await?;
        let addr = listener.local_addr().map_err(|e| Error::Other(format!("mock: {e}")))?;
        let faults = if args.faults.is_empty() { String::new() } else { format!(" · faults: {:?}", args.faults) };
        writeln!(out, "gauntlet mock listening on http://{addr} · {} · {count} operations{faults} · Ctrl-C stops", args.spec.display()).map_err(io)?;
        out.flush().map_err(io)?;
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        crate::mock::serve(listener, mock, shutdown).await.map_err(|e| Error::Other(format!("mock: {e}")))
    })?;
    writeln!(out, "gauntlet mock stopped").map_err(io)?;
    Ok(EXIT_OK)
}

/// The operations named by `--operation` (all when none are).
fn select(all: &[Operation], wanted: &[String]) -> Result<Vec<usize>> {
    if wanted.is_empty() {
        return Ok((0..all.len()).collect());
    }
    wanted
        .iter()
        .map(|id| {
            all.iter().position(|o| &o.id == id).ok_or_else(|| {
                let known: Vec<&str> = all.iter().take(10).map(|o| o.id.as_str()).collect();
                Error::flag(
                    "--operation",
                    format!(
                        "unknown operation '{id}' (known: {}{})",
                        known.join(", "),
                        if all.len() > 10 { ", ..." } else { "" }
                    ),
                )
            })
        })
        .collect()
}

/// `--user ID:TOKEN`, parsed; a value without `:` is a flag error that does not echo it.
fn user_flag(flag: &str, user: Option<&str>) -> Result<Option<(String, String)>> {
    user.map(|u| Credentials::user_setting(flag, u)).transpose()
}

fn notes(plan: &Plan, validators: &Validators) -> Vec<String> {
    let mut out = plan.notes.clone();
    out.extend(validators.warnings.iter().map(|(p, m)| {
        format!(
            "schema {p} not compiled, its checks are skipped: {}",
            crate::schema::truncate(m, 200)
        )
    }));
    out
}

fn dry_run(
    plan: &Plan,
    base_url: &str,
    has_credentials: bool,
    validators: &Validators,
) -> Result<i32> {
    let mut out = anstream::stdout();
    let io = |e: std::io::Error| Error::Other(format!("cannot write to the console: {e}"));
    writeln!(
        out,
        "gauntlet dry run: {} operations, {} scenarios, seed {} (nothing is sent)",
        plan.operations.len(),
        plan.scenarios.len(),
        plan.seed
    )
    .map_err(io)?;
    for note in notes(plan, validators) {
        writeln!(out, "note: {note}").map_err(io)?;
    }
    for scenario in &plan.scenarios {
        let op = &plan.operations[scenario.operation];
        writeln!(
            out,
            "{} {}\n  {}",
            op.id,
            scenario.label,
            report::curl_line(base_url, op, scenario, has_credentials)
        )
        .map_err(io)?;
    }
    Ok(EXIT_OK)
}
