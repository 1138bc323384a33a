//! The command line: clap structs, their conversion into engine configuration, and the
//! `run` command's flow from spec to verdict.
//!
//! Nothing here is used by the engine; [`main`] returns the process exit code.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::credentials::Credentials;
use crate::engine::RunOptions;
use crate::error::{EXIT_OK, EXIT_USAGE, Error, Result};
use crate::openapi;
use crate::target::check_base_url;

const EXIT_CODES: &str = "Exit codes:
  0    every check passed
  1    at least one contract violation (a failed check, or a request with no answer)
  2    the run could not be made (bad flag, spec or case file, unwritable report, unreachable target)
  3    every check passed, but the run covered less than --min-coverage asks
  130  interrupted (Ctrl-C): the report holds what finished
  143  stopped by SIGTERM: the report holds what finished";

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
    /// What a check or finding code means, why it matters and how to fix it (every code
    /// without an argument).
    Explain(ExplainArgs),
}

/// Flags of `gauntlet explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code (`GA101`) or a check name (`not_a_server_error`).
    #[arg(value_name = "CODE")]
    code: Option<String>,
}

/// Flags of `gauntlet mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// The OpenAPI or Swagger 2.0 document (YAML or JSON), a file or an http(s) URL.
    #[arg(long, value_name = "FILE|URL", default_value = crate::engine::DEFAULT_SPEC)]
    spec: PathBuf,
    /// Port to listen on (0 for any free one).
    #[arg(long, value_name = "N", default_value_t = crate::engine::DEFAULT_MOCK_PORT)]
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
    /// Remember what is created and deleted, so chains of requests (create → read → delete →
    /// read) see their effects.
    #[arg(long)]
    stateful: bool,
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
    /// The OpenAPI or Swagger 2.0 document (YAML or JSON), a file or an http(s) URL
    /// (https://api.example.com/openapi.json) [default: spec/relay-rest.yaml].
    #[arg(long, value_name = "FILE|URL")]
    spec: Option<PathBuf>,
    /// Send --bearer (or --user) to fetch a --spec URL; without it the fetch has no
    /// credentials.
    #[arg(long)]
    spec_auth: bool,
    /// Files the spec `$ref`s may be anywhere inside this folder [default: the spec's folder].
    #[arg(long, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// The target's base URL, path prefix included (https://staging.example.com/api/v1).
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
    /// Also write this report (repeatable): junit, json, ndjson, sarif or html, each at
    /// reports/ unless =PATH is given; github prints annotations for GitHub Actions.
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report)]
    reports: Vec<(crate::report::Format, Option<PathBuf>)>,
    /// Fail with exit code 3 when the run covers less than this, in percent:
    /// operations=100,statuses=80 (measures: operations, statuses, parameters,
    /// invalid-parameters, enums).
    #[arg(long, value_name = "MEASURE=PERCENT,...")]
    min_coverage: Option<String>,
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
    #[arg(long, value_name = "DURATION", value_parser = crate::support::duration::parse_duration)]
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
    /// Send this parameter with this value in every scenario but those that break it
    /// (repeatable): path.mesh=default, header.X-Tenant=acme.
    #[arg(long = "param", value_name = "LOCATION.NAME=VALUE", value_parser = crate::generate::Pin::parse)]
    pins: Vec<crate::generate::Pin>,
    /// Send for at most this long (30s, 5m): operations take turns, so each gets its share
    /// before any gets more; the summary says what the budget cut.
    #[arg(long, value_name = "DURATION", value_parser = crate::support::duration::parse_duration)]
    max_time: Option<Duration>,
    /// Plan no chains of requests (create → read → delete → read) from the spec's links
    /// and its paths.
    #[arg(long)]
    no_chains: bool,
    /// Keep what the run created: by default each resource a create answered 2xx for is
    /// deleted at the end, where the spec has a DELETE for it.
    #[arg(long)]
    no_cleanup: bool,
    /// The longest chain of requests planned, in steps [default: 3, the longest shape]; 2
    /// plans create → read, create → update and create → delete without the read after.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(2..=3))]
    chain_steps: Option<u8>,
    /// Another user (repeatable): NAME=bearer:TOKEN, NAME=api-key:KEY or NAME=user:ID:TOKEN.
    /// Chains then read, update and delete what the run's own credentials created as this
    /// user (object_level_authorization). Prefer [identities] in gauntlet.toml with ${VAR}s.
    #[arg(long = "identity", value_name = "NAME=KIND:SECRET")]
    identities: Vec<String>,
    /// Print the planned requests (credentials redacted) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// No progress bar or progress lines.
    #[arg(long, short)]
    quiet: bool,
    /// Spec gaps (a right rejection the spec does not document) and flaky failures (that pass when sent again alone) fail the run too.
    #[arg(long)]
    strict: bool,
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
    partition: Option<crate::plan::partition::Partition>,
}

/// The credential flags of `run` and `fuzz`.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// HTTP Basic credentials (an id and a token or password). Never printed.
    #[arg(long, value_name = "ID:TOKEN", env = "GAUNTLET_USER", hide_env_values = true)]
    user: Option<String>,
    /// A bearer token for operations secured by an http bearer, oauth2 or openIdConnect scheme
    /// (defaults to TOKEN of --user).
    #[arg(long, value_name = "TOKEN", env = "GAUNTLET_BEARER", hide_env_values = true)]
    bearer: Option<String>,
    /// An API key for operations secured by an apiKey scheme (defaults to TOKEN of --user).
    #[arg(long, value_name = "KEY", env = "GAUNTLET_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Log in with OAuth2 client credentials as this client (the bearer token is got, kept
    /// fresh and renewed on a 401); the token endpoint is the spec's tokenUrl.
    #[arg(long, value_name = "ID", env = "GAUNTLET_CLIENT_ID", hide_env_values = true)]
    client_id: Option<String>,
    /// The OAuth2 client's secret (sent with HTTP Basic to the token endpoint). Never printed.
    #[arg(long, value_name = "SECRET", env = "GAUNTLET_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// Log in with the OAuth2 password grant as this user (with --client-id when the server
    /// wants a client). Never printed.
    #[arg(long, value_name = "USER:PASSWORD", env = "GAUNTLET_LOGIN_USER", hide_env_values = true)]
    login_user: Option<String>,
    /// The OAuth2 token endpoint, instead of the spec's tokenUrl (a path is under the base URL).
    #[arg(long, value_name = "URL", env = "GAUNTLET_TOKEN_URL")]
    token_url: Option<String>,
    /// Scopes to ask the token endpoint for, space-separated.
    #[arg(long, value_name = "SCOPES", env = "GAUNTLET_SCOPE")]
    scope: Option<String>,
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
    /// Fuzz only this parameter, in any location (repeatable).
    #[arg(long = "param", value_name = "NAME")]
    params: Vec<String>,
    /// Fuzz only here: path, query, header, cookie (parameters) or body (the JSON body's
    /// fields); repeatable, everywhere by default.
    #[arg(long = "location", value_name = "LOCATION", value_parser = parse_location)]
    locations: Vec<crate::fuzz::Place>,
    /// Seed (random and printed when absent): the same seed and target give the same
    /// requests and the same minimal inputs.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Examples to send [default: 1000 unless --duration is given].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_examples: Option<u64>,
    /// Fuzz for this long (30s, 5m); with --max-examples, whichever ends first.
    #[arg(long, value_name = "DURATION", value_parser = crate::support::duration::parse_duration)]
    duration: Option<Duration>,
    /// Requests in flight at once [default: 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: Option<u16>,
    /// Requests per second.
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    rate_limit: Option<f64>,
    /// Time allowed for each whole exchange [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = crate::support::duration::parse_duration)]
    timeout: Option<Duration>,
    /// Where to write the JUnit XML report.
    #[arg(long, value_name = "FILE", default_value = crate::fuzz::command::DEFAULT_JUNIT)]
    junit: PathBuf,
    /// Also write this report (repeatable): junit, json, ndjson, sarif, html or github.
    #[arg(long = "report", value_name = "FORMAT[=PATH]", value_parser = parse_report)]
    reports: Vec<(crate::report::Format, Option<PathBuf>)>,
    /// Send a saved failure (reports/fuzz/<id>.json) again and say whether it still fails.
    #[arg(long, value_name = "FILE")]
    replay: Option<PathBuf>,
}

/// `gauntlet fuzz`: the flags as engine options plus the fuzzer's own.
pub fn fuzz(args: FuzzArgs) -> Result<i32> {
    let mut run = RunOptions::default();
    args.auth.apply(&mut run.credentials)?;
    run.base_url = args.base_url.as_deref().map(|u| check_base_url("--base-url", u)).transpose()?;
    run.timeout = args.timeout.unwrap_or(run.timeout);
    if let Some(file) = &args.replay {
        return crate::fuzz::command::replay(file, args.spec, run);
    }
    run.spec = args.spec.unwrap_or(run.spec);
    run.operations = args.operations;
    run.seed = args.seed;
    run.concurrency = args.concurrency.map_or(run.concurrency, usize::from);
    run.rate_limit = args.rate_limit;
    run.junit = Some(args.junit);
    run.reports = args.reports;
    let max_examples = match (args.max_examples, args.duration) {
        (None, None) => Some(crate::fuzz::command::DEFAULT_EXAMPLES),
        (n, _) => n,
    };
    let options = crate::fuzz::command::Options {
        run,
        params: args.params,
        places: args.locations,
        max_examples,
        duration: args.duration,
    };
    crate::fuzz::command::run(options)
}

impl RunArgs {
    /// The flags over `gauntlet.toml` (when there is one) over the defaults.
    fn options(self) -> Result<RunOptions> {
        let mut o = RunOptions::default();
        if let Some((path, config)) = crate::config::Config::find(self.config.as_deref())? {
            config.apply(&path.display().to_string(), &mut o)?;
        }
        self.auth.apply(&mut o.credentials)?;
        if let Some(u) = &self.base_url {
            o.base_url = Some(check_base_url("--base-url", u)?);
        }
        if !self.checks.is_empty() {
            o.checks.enabled = Some(self.checks);
        }
        crate::engine::overlay_list(&mut o.cases, self.cases);
        crate::engine::overlay_list(&mut o.cacert, self.cacert);
        crate::engine::overlay_list(&mut o.operations, self.operations);
        crate::engine::overlay_list(&mut o.pins, self.pins);
        o.chains &= !self.no_chains;
        o.cleanup &= !self.no_cleanup;
        o.chain_steps = self.chain_steps.map_or(o.chain_steps, usize::from);
        let identities = self
            .identities
            .iter()
            .map(|i| Credentials::identity(i).map_err(|m| Error::flag("--identity", m)))
            .collect::<Result<Vec<_>>>()?;
        crate::engine::overlay_list(&mut o.identities, identities);
        o.max_time = self.max_time.or(o.max_time);
        o.spec = self.spec.unwrap_or(o.spec);
        o.spec_auth |= self.spec_auth;
        o.ref_root = self.ref_root.or(o.ref_root);
        o.junit = self.junit.or(o.junit);
        crate::engine::overlay_list(&mut o.reports, self.reports);
        if let Some(min) = &self.min_coverage {
            o.min_coverage = crate::engine::parse_min_coverage(min)
                .map_err(|m| Error::flag("--min-coverage", m))?;
        }
        o.seed = self.seed.or(o.seed);
        o.max_examples = self.max_examples.map_or(o.max_examples, |n| n as usize);
        o.concurrency = self.concurrency.map_or(o.concurrency, usize::from);
        o.rate_limit = self.rate_limit.or(o.rate_limit);
        o.timeout = self.timeout.unwrap_or(o.timeout);
        o.max_body = self.max_body.unwrap_or(o.max_body);
        o.insecure |= self.insecure;
        o.baseline = self.baseline.or(o.baseline);
        o.update_baseline = self.update_baseline;
        o.partition = self.partition;
        o.dry_run = self.dry_run;
        o.quiet = self.quiet;
        o.checks.strict |= self.strict;
        Ok(o)
    }
}

impl CredentialArgs {
    /// Lays the credential flags (or their variables) over `credentials`.
    fn apply(self, credentials: &mut Credentials) -> Result<()> {
        if let Some(u) = user_flag("--user", self.user.as_deref())? {
            credentials.basic = Some(u);
        }
        credentials.bearer = self.bearer.or(credentials.bearer.take());
        credentials.api_key = self.api_key.or(credentials.api_key.take());
        if let Some(login) = oauth2_login(
            self.client_id,
            self.client_secret,
            self.login_user,
            self.token_url,
            self.scope,
        )? {
            credentials.login = Some(login);
        }
        Ok(())
    }
}

/// The OAuth2 login the flags ask for: the password grant with `--login-user`, else client
/// credentials with `--client-id`; `None` without either.
fn oauth2_login(
    client_id: Option<String>,
    client_secret: Option<String>,
    login_user: Option<String>,
    token_url: Option<String>,
    scope: Option<String>,
) -> Result<Option<crate::credentials::Login>> {
    use crate::credentials::{Grant, Login, Slot, Source};
    // An empty variable (`GAUNTLET_SCOPE=`) is no setting.
    let given = |v: Option<String>| v.filter(|v| !v.is_empty());
    let (client_id, client_secret, login_user, token_url, scope) =
        (given(client_id), given(client_secret), given(login_user), given(token_url), given(scope));
    let (grant, named_by) = match (login_user, &client_id) {
        (Some(user), _) => {
            let (username, password) =
                Credentials::user_setting("--login-user", &user).map_err(|_| {
                    Error::flag("--login-user", "expected USER:PASSWORD (the value is not shown)")
                })?;
            (Grant::Password { username, password }, "--login-user")
        }
        (None, Some(_)) => (Grant::ClientCredentials, "--client-id"),
        (None, None) => {
            let orphan = [
                ("--client-secret", client_secret.is_some()),
                ("--token-url", token_url.is_some()),
                ("--scope", scope.is_some()),
            ];
            return match orphan.iter().find(|(_, given)| *given) {
                Some((flag, _)) => Err(Error::flag(flag, "needs --client-id or --login-user")),
                None => Ok(None),
            };
        }
    };
    let source = Source::OAuth2 { token_url, grant, client_id, client_secret, scope };
    Ok(Some(Login { source, slot: Slot::Bearer, named_by: named_by.into() }))
}

fn parse_rate(text: &str) -> std::result::Result<f64, String> {
    let rate = text
        .parse::<f64>()
        .map_err(|_| format!("'{text}' is not a number of requests per second"))?;
    crate::engine::check_rate(rate)
}

fn parse_report(
    text: &str,
) -> std::result::Result<(crate::report::Format, Option<PathBuf>), String> {
    crate::report::Format::parse_request(text)
}

fn parse_check(text: &str) -> std::result::Result<String, String> {
    let names: Vec<&str> = crate::checks::names().collect();
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
        Command::Explain(args) => explain(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) if e.is_closed_output() => e.exit_code(),
        Err(e) => {
            // One short line, whatever the error quotes.
            let line =
                crate::support::text::truncate(&e.to_string().replace(['\n', '\r'], " "), 600);
            let _ = writeln!(
                anstream::stderr(),
                "{}error:{} {line}",
                anstyle::AnsiColor::Red.on_default().bold(),
                anstyle::Reset
            );
            e.exit_code()
        }
    }
}

/// `gauntlet run`: the flags and `gauntlet.toml` as options for the engine, which loads,
/// plans, sends, checks and reports. Returns the exit code.
pub fn run(args: RunArgs) -> Result<i32> {
    crate::engine::run(args.options()?)
}

/// `gauntlet explain`: one rule in full, or every code with its summary.
pub fn explain(args: ExplainArgs) -> Result<i32> {
    let mut out = anstream::stdout();
    let io = Error::Console;
    let every = || crate::checks::ALL.iter().map(|c| &c.rule).chain(crate::checks::FINDINGS);
    let Some(code) = args.code else {
        for rule in every() {
            let severity = rule.severity.as_str();
            writeln!(out, "{} {:<27} {severity:<7} {}", rule.code, rule.name, rule.summary)
                .map_err(io)?;
        }
        return Ok(EXIT_OK);
    };
    let Some(rule) = crate::checks::rule(&code) else {
        let codes: Vec<&str> = every().map(|r| r.code).collect();
        return Err(Error::Flag {
            flag: "explain".into(),
            message: format!(
                "unknown code or check '{}'; codes: {}",
                crate::support::text::escape_controls(&crate::support::text::truncate(&code, 80)),
                codes.join(", ")
            ),
        });
    };
    writeln!(out, "{} {} ({})\n", rule.code, rule.name, rule.severity.as_str()).map_err(io)?;
    writeln!(out, "What: {}\nWhy:  {}\nFix:  {}", rule.summary, rule.why, rule.fix).map_err(io)?;
    Ok(EXIT_OK)
}

/// `gauntlet mock`: serve until Ctrl-C.
pub fn mock(args: MockArgs) -> Result<i32> {
    let mut out = anstream::stdout();
    let io = Error::Console;
    if args.list_faults {
        for (name, what) in crate::mock::faults() {
            writeln!(out, "{name:<27} {what}").map_err(io)?;
        }
        return Ok(EXIT_OK);
    }
    let fetched = crate::engine::fetch_spec(&crate::engine::RunOptions {
        spec: args.spec.clone(),
        ..Default::default()
    })?;
    let local = fetched.as_ref().map_or(args.spec.as_path(), |f| f.path.as_path());
    let renamed = |e: Error| match &fetched {
        Some(f) => f.rename(e),
        None => e,
    };
    let spec = Arc::new(openapi::load(local).map_err(renamed)?);
    let operations = openapi::operations(&spec).map_err(renamed)?;
    let basic = user_flag("--user", args.user.as_deref())?;
    let credentials = basic.map(|basic| Credentials { basic: Some(basic), ..Default::default() });
    let count = operations.len();
    let config = crate::mock::MockConfig {
        credentials,
        seed: args.seed,
        faults: args.faults.clone(),
        stateful: args.stateful,
    };
    let mock = Arc::new(crate::mock::Mock::new(Arc::clone(&spec), operations, config));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = crate::mock::bind(&args.host, args.port).await?;
        let addr = listener.local_addr().map_err(|e| Error::Other(format!("mock: {e}")))?;
        let faults = if args.faults.is_empty() { String::new() } else { format!(" · faults: {}", args.faults.iter().map(crate::mock::Fault::name).collect::<Vec<_>>().join(", ")) };
        writeln!(out, "gauntlet mock listening on http://{addr} · {} · {count} operations{faults} · Ctrl-C stops", args.spec.display()).map_err(io)?;
        out.flush().map_err(io)?;
        let shutdown = async {
            crate::engine::stop_requested().await;
        };
        crate::mock::serve(listener, mock, shutdown).await.map_err(|e| Error::Other(format!("mock: {e}")))
    })?;
    writeln!(out, "gauntlet mock stopped").map_err(io)?;
    Ok(EXIT_OK)
}

/// `--user ID:TOKEN`, parsed; a value without `:` is a flag error that does not echo it.
fn user_flag(flag: &str, user: Option<&str>) -> Result<Option<(String, String)>> {
    user.map(|u| Credentials::user_setting(flag, u)).transpose()
}

/// `--location`: path, query, header, cookie or body.
fn parse_location(s: &str) -> std::result::Result<crate::fuzz::Place, String> {
    crate::fuzz::Place::parse(s)
        .ok_or_else(|| format!("'{s}' is not a location: path, query, header, cookie or body"))
}
