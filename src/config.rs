//! `gauntlet.toml`: everything the flags of `gauntlet run` hold, for a repository to keep
//! beside its spec. Found in the working directory or named by `--config`; `${VAR}` and
//! `${VAR:-default}` in strings are read from the environment; flags override it. An unknown
//! key is an error that names it.
//!
//! ```toml
//! spec = "openapi.yaml"
//! base_url = "${STAGING_URL}"
//! cases = ["cases"]
//! baseline = "gauntlet-baseline.toml"
//! timeout = "5s"
//!
//! [checks.negative_data_rejection]
//! statuses = [400, 422]
//! [checks.content_type_conformance]
//! enabled = false
//!
//! [reports]
//! html = "reports/report.html"
//! sarif = true          # at its default path
//!
//! [min_coverage]
//! operations = 100
//! statuses = 80
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::credentials::Credentials;
use crate::engine::RunOptions;
use crate::error::{Error, Result};
use crate::support::env::interpolate;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "gauntlet.toml";

/// The settings of a `gauntlet.toml`, paths resolved against the file's folder.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The OpenAPI document.
    pub spec: Option<PathBuf>,
    /// The folder the spec's `$ref`d files must be inside.
    pub ref_root: Option<PathBuf>,
    /// The target's base URL.
    pub base_url: Option<String>,
    /// HTTP Basic credentials `ID:TOKEN` (use `${VAR}`; never write a secret here).
    pub user: Option<String>,
    /// Bearer token.
    pub bearer: Option<String>,
    /// API key.
    pub api_key: Option<String>,
    /// Case files or folders.
    #[serde(default)]
    pub cases: Vec<PathBuf>,
    /// The JUnit report.
    pub junit: Option<PathBuf>,
    /// The generation seed.
    pub seed: Option<u64>,
    /// Most generated scenarios per operation.
    pub max_examples: Option<u32>,
    /// Requests in flight at once.
    pub concurrency: Option<u16>,
    /// Requests per second.
    pub rate_limit: Option<f64>,
    /// Time allowed for each exchange (`10s`, `500ms`).
    pub timeout: Option<String>,
    /// The longest the run sends for (`5m`).
    pub max_time: Option<String>,
    /// Delete what the run created at its end (`false`: what `--no-cleanup` gives).
    pub cleanup: Option<bool>,
    /// Largest response body read, in bytes.
    pub max_body: Option<usize>,
    /// Operations to test (by operationId).
    #[serde(default)]
    pub operations: Vec<String>,
    /// Known failures.
    pub baseline: Option<PathBuf>,
    /// Extra CA certificates (PEM).
    #[serde(default)]
    pub cacert: Vec<PathBuf>,
    /// Skip TLS verification.
    pub insecure: Option<bool>,
    /// Spec gaps fail the run.
    pub strict: Option<bool>,
    /// Per check: whether it runs and which statuses it accepts.
    #[serde(default)]
    pub checks: BTreeMap<String, CheckConfig>,
    /// Reports besides JUnit, by format: a path, or `true` for the format's default path.
    #[serde(default)]
    pub reports: BTreeMap<String, ReportSetting>,
    /// Minimum coverage per measure, in percent.
    #[serde(default)]
    pub min_coverage: BTreeMap<String, f64>,
    /// Pinned parameters: `"path.mesh" = "default"` (what `--param` gives).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// A token login: an OAuth2 grant, or a login request of the API's own.
    pub login: Option<LoginConfig>,
    /// Further identities by name: `bob = "bearer:${BOB_TOKEN}"` (what `--identity` gives).
    #[serde(default)]
    pub identities: BTreeMap<String, String>,
    /// The keys whose values came from environment variables, and those variables: their
    /// errors name the variables, never the values (which may be secrets).
    #[serde(skip)]
    from_env: BTreeMap<&'static str, Vec<String>>,
}

/// `[checks.NAME]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Whether the check runs (default true).
    pub enabled: Option<bool>,
    /// The statuses it accepts in place of its default rule.
    pub statuses: Option<Vec<u16>>,
}

/// `[login]`: how the run gets its token. Either `oauth2 = "client_credentials"` (or
/// `"password"`) with the client and the user, or a request of the API's own (`url`,
/// `body`, and where the answer holds the token). Values come from `${VAR}`s.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginConfig {
    /// The OAuth2 grant: `client_credentials` or `password`.
    pub oauth2: Option<String>,
    /// The OAuth2 client's id.
    pub client_id: Option<String>,
    /// The OAuth2 client's secret.
    pub client_secret: Option<String>,
    /// The user of the password grant.
    pub username: Option<String>,
    /// The password of the password grant.
    pub password: Option<String>,
    /// The token endpoint (the spec's `tokenUrl` when absent).
    pub token_url: Option<String>,
    /// Scopes asked for, space-separated.
    pub scope: Option<String>,
    /// A login request's method (POST when absent).
    pub method: Option<String>,
    /// A login request's path under the base URL, or its URL.
    pub url: Option<String>,
    /// A login request's body.
    pub body: Option<String>,
    /// The body's media type (`application/json` when absent).
    pub content_type: Option<String>,
    /// A JSON pointer to the token in the answer (`/access_token` when absent).
    pub token: Option<String>,
    /// The answer's header holding the token, instead of `token`.
    pub token_header: Option<String>,
    /// A JSON pointer to the token's life in seconds.
    pub expires_in: Option<String>,
    /// What the token stands for: `bearer` (the default) or `api_key`.
    pub credential: Option<String>,
}

impl LoginConfig {
    fn strings(&mut self) -> [(&'static str, &mut Option<String>); 15] {
        [
            ("login.oauth2", &mut self.oauth2),
            ("login.client_id", &mut self.client_id),
            ("login.client_secret", &mut self.client_secret),
            ("login.username", &mut self.username),
            ("login.password", &mut self.password),
            ("login.token_url", &mut self.token_url),
            ("login.scope", &mut self.scope),
            ("login.method", &mut self.method),
            ("login.url", &mut self.url),
            ("login.body", &mut self.body),
            ("login.content_type", &mut self.content_type),
            ("login.token", &mut self.token),
            ("login.token_header", &mut self.token_header),
            ("login.expires_in", &mut self.expires_in),
            ("login.credential", &mut self.credential),
        ]
    }

    /// The login this table describes; `file` names it in errors.
    pub fn login(self, file: &str) -> Result<crate::credentials::Login> {
        use crate::credentials::{Grant, Login, Slot, Source, TokenAt};
        let named_by = format!("{file}: [login]");
        let bad = |m: &str| Error::flag(&named_by, m);
        let slot = match self.credential.as_deref() {
            None | Some("bearer") => Slot::Bearer,
            Some("api_key") => Slot::ApiKey,
            Some(_) => return Err(bad("credential must be bearer or api_key")),
        };
        let source = match (self.oauth2.as_deref(), self.url) {
            (Some(_), Some(_)) => return Err(bad("give oauth2 or url, not both")),
            (None, None) => return Err(bad("give oauth2 (a grant) or url (a login request)")),
            (Some(grant), None) => {
                let grant = match (grant, self.username, self.password) {
                    ("client_credentials", _, _) => Grant::ClientCredentials,
                    ("password", Some(username), Some(password)) => {
                        Grant::Password { username, password }
                    }
                    ("password", _, _) => {
                        return Err(bad("the password grant needs username and password"));
                    }
                    _ => return Err(bad("oauth2 must be client_credentials or password")),
                };
                if grant == Grant::ClientCredentials && self.client_id.is_none() {
                    return Err(bad("the client_credentials grant needs client_id"));
                }
                Source::OAuth2 {
                    token_url: self.token_url,
                    grant,
                    client_id: self.client_id,
                    client_secret: self.client_secret,
                    scope: self.scope,
                }
            }
            (None, Some(url)) => Source::Request {
                method: self.method.unwrap_or_else(|| "POST".into()),
                url,
                body: self.body,
                content_type: self.content_type.unwrap_or_else(|| "application/json".into()),
                token: match (self.token, self.token_header) {
                    (Some(_), Some(_)) => return Err(bad("give token or token_header, not both")),
                    (_, Some(header)) => TokenAt::Header(header),
                    (pointer, None) => {
                        let pointer = pointer.unwrap_or_else(|| "/access_token".into());
                        if !pointer.starts_with('/') {
                            return Err(bad("token must be a JSON pointer (/access_token)"));
                        }
                        TokenAt::Body(pointer)
                    }
                },
                expires_in: self.expires_in,
            },
        };
        Ok(Login { source, slot, named_by })
    }
}

/// A `[reports]` value: a file, or whether to write the format at its default path.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ReportSetting {
    /// `true`: the default path; `false`: not written.
    On(bool),
    /// The file.
    Path(PathBuf),
}

use crate::support::text::toml_message;

impl Config {
    /// Reads `explicit` (which must exist), or `gauntlet.toml` in the working directory if
    /// there is one, or nothing.
    pub fn find(explicit: Option<&Path>) -> Result<Option<(PathBuf, Config)>> {
        let path = match explicit {
            Some(p) => p.to_owned(),
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(None),
        };
        Config::load(&path).map(|c| Some((path, c)))
    }

    /// Reads and checks one file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::support::fs::read_text(path)?;
        let syntax = |message: String| Error::Syntax { path: path.to_owned(), message };
        let mut config: Config =
            toml::from_str(&text).map_err(|e| syntax(toml_message(&text, &e)))?;
        config.interpolate().map_err(syntax)?;
        config.validate().map_err(syntax)?;
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        config.spec.iter_mut().for_each(resolve);
        config.ref_root.iter_mut().for_each(resolve);
        config.junit.iter_mut().for_each(resolve);
        config.baseline.iter_mut().for_each(resolve);
        config.cases.iter_mut().for_each(resolve);
        config.cacert.iter_mut().for_each(resolve);
        for setting in config.reports.values_mut() {
            if let ReportSetting::Path(p) = setting {
                resolve(p);
            }
        }
        Ok(config)
    }

    /// How errors name `key`: `timeout`, or `timeout (from ${SECRET})` when its value came
    /// from the environment and must not be quoted.
    fn key(&self, key: &str) -> String {
        match self.from_env.get(key) {
            Some(vars) => {
                let vars: Vec<String> = vars.iter().map(|v| format!("${{{v}}}")).collect();
                format!("{key} (from {})", vars.join(", "))
            }
            None => key.to_owned(),
        }
    }

    fn interpolate(&mut self) -> std::result::Result<(), String> {
        let mut from_env = BTreeMap::new();
        let mut text = |key: &'static str, s: &mut String| {
            let vars = crate::support::env::variables(s);
            if !vars.is_empty() {
                from_env.insert(key, vars);
            }
            *s = interpolate(s).map_err(|m| format!("{key}: {m}"))?;
            Ok::<_, String>(())
        };
        let path = |key: &str, p: &mut PathBuf| {
            let s = p.to_str().ok_or_else(|| format!("{key}: not UTF-8"))?;
            *p = PathBuf::from(interpolate(s).map_err(|m| format!("{key}: {m}"))?);
            Ok::<_, String>(())
        };
        for (key, value) in [
            ("base_url", &mut self.base_url),
            ("user", &mut self.user),
            ("bearer", &mut self.bearer),
            ("api_key", &mut self.api_key),
            ("timeout", &mut self.timeout),
        ] {
            if let Some(v) = value {
                text(key, v)?;
            }
        }
        for (key, value) in [
            ("spec", &mut self.spec),
            ("ref_root", &mut self.ref_root),
            ("junit", &mut self.junit),
            ("baseline", &mut self.baseline),
        ] {
            if let Some(v) = value {
                path(key, v)?;
            }
        }
        for (key, list) in [("cases", &mut self.cases), ("cacert", &mut self.cacert)] {
            for p in list.iter_mut() {
                path(key, p)?;
            }
        }
        for op in &mut self.operations {
            text("operations", op)?;
        }
        for value in self.identities.values_mut() {
            *value = interpolate(value).map_err(|m| format!("identities: {m}"))?;
        }
        if let Some(login) = &mut self.login {
            for (key, value) in login.strings() {
                if let Some(v) = value {
                    text(key, v)?;
                }
            }
        }
        self.from_env = from_env;
        Ok(())
    }

    fn validate(&self) -> std::result::Result<(), String> {
        let names: Vec<&str> = crate::checks::names().collect();
        for (name, check) in &self.checks {
            if !names.contains(&name.as_str()) {
                return Err(format!("checks.{name}: unknown check; checks: {}", names.join(", ")));
            }
            if let Some(statuses) = &check.statuses {
                if !crate::checks::WITH_STATUSES.contains(&name.as_str()) {
                    return Err(format!(
                        "checks.{name}.statuses: only {} take statuses",
                        crate::checks::WITH_STATUSES.join(", ")
                    ));
                }
                if let Some(bad) = statuses.iter().find(|s| !(100..=599).contains(*s)) {
                    return Err(format!("checks.{name}.statuses: {bad} is not an HTTP status"));
                }
            }
        }
        if let Some(t) = &self.timeout
            && let Err(m) = crate::support::duration::parse_duration(t)
        {
            return Err(match self.from_env.contains_key("timeout") {
                true => format!("{}: not a duration; try 2s, 500ms or 1.5", self.key("timeout")),
                false => format!("timeout: {m}"),
            });
        }
        if let Some(rate) = self.rate_limit {
            crate::engine::check_rate(rate).map_err(|m| format!("rate_limit: {m}"))?;
        }
        for (name, setting) in &self.reports {
            let request = match setting {
                ReportSetting::Path(p) => format!("{name}={}", p.display()),
                ReportSetting::On(_) => name.clone(),
            };
            crate::report::Format::parse_request(&request)
                .map_err(|m| format!("reports.{name}: {m}"))?;
        }
        for (name, percent) in &self.min_coverage {
            crate::engine::parse_min_coverage(&format!("{name}={percent}"))
                .map_err(|m| format!("min_coverage.{name}: {m}"))?;
        }
        if self.concurrency == Some(0) || self.max_examples == Some(0) {
            return Err("concurrency and max_examples must be at least 1".into());
        }
        Ok(())
    }

    /// Lays this file's settings over `options` (a setting the file leaves out keeps its
    /// value); `file` names it in errors.
    pub fn apply(self, file: &str, options: &mut RunOptions) -> Result<()> {
        let key = |k: &str| format!("{file}: {k}");
        options.checks = self.check_settings();
        if let Some(u) = &self.user {
            options.credentials.basic = Some(Credentials::user_setting(&key("user"), u)?);
        }
        if let Some(u) = &self.base_url {
            let checked = crate::target::check_base_url(&key(&self.key("base_url")), u);
            options.base_url = Some(match checked {
                Err(_) if self.from_env.contains_key("base_url") => {
                    return Err(Error::flag(
                        &key(&self.key("base_url")),
                        "not an http or https URL without credentials (the value is not shown)",
                    ));
                }
                other => other?,
            });
        }
        if let Some(t) = &self.timeout {
            // Checked at load: it parses.
            options.timeout = crate::support::duration::parse_duration(t)
                .map_err(|_| Error::flag(&key(&self.key("timeout")), "not a duration"))?;
        }
        options.cleanup &= self.cleanup != Some(false);
        if let Some(t) = &self.max_time {
            options.max_time = Some(
                crate::support::duration::parse_duration(t)
                    .map_err(|_| Error::flag(&key(&self.key("max_time")), "not a duration"))?,
            );
        }
        if self.bearer.is_some() {
            options.credentials.bearer = self.bearer;
        }
        if self.api_key.is_some() {
            options.credentials.api_key = self.api_key;
        }
        crate::engine::overlay_list(&mut options.cases, self.cases);
        crate::engine::overlay_list(&mut options.cacert, self.cacert);
        crate::engine::overlay_list(&mut options.operations, self.operations);
        options.spec = self.spec.unwrap_or(std::mem::take(&mut options.spec));
        options.ref_root = self.ref_root.or(options.ref_root.take());
        options.junit = self.junit.or(options.junit.take());
        options.seed = self.seed.or(options.seed);
        options.max_examples = self.max_examples.map_or(options.max_examples, |n| n as usize);
        options.concurrency = self.concurrency.map_or(options.concurrency, usize::from);
        options.rate_limit = self.rate_limit.or(options.rate_limit);
        options.max_body = self.max_body.unwrap_or(options.max_body);
        options.insecure |= self.insecure == Some(true);
        options.baseline = self.baseline.or(options.baseline.take());
        let mut reports = Vec::new();
        for (name, setting) in &self.reports {
            let request = match setting {
                ReportSetting::Path(p) => format!("{name}={}", p.display()),
                ReportSetting::On(true) => name.clone(),
                ReportSetting::On(false) => continue,
            };
            let parsed = crate::report::Format::parse_request(&request);
            reports.push(parsed.map_err(|m| Error::flag(&key(&format!("reports.{name}")), &m))?);
        }
        crate::engine::overlay_list(&mut options.reports, reports);
        let minimums: Vec<(String, f64)> =
            self.min_coverage.iter().map(|(k, v)| (k.clone(), *v)).collect();
        crate::engine::overlay_list(&mut options.min_coverage, minimums);
        let mut pins = Vec::new();
        for (name, value) in &self.params {
            let pin = crate::generate::Pin::parse(&format!("{name}={value}"));
            pins.push(pin.map_err(|m| Error::flag(&key(&format!("params.{name}")), &m))?);
        }
        crate::engine::overlay_list(&mut options.pins, pins);
        if let Some(login) = self.login {
            options.credentials.login = Some(login.login(file)?);
        }
        let mut identities = Vec::new();
        for (name, value) in &self.identities {
            let parsed = Credentials::identity(&format!("{name}={value}"));
            identities
                .push(parsed.map_err(|m| Error::flag(&key(&format!("identities.{name}")), m))?);
        }
        crate::engine::overlay_list(&mut options.identities, identities);
        Ok(())
    }

    /// The check settings this file asks for: enabled checks (all but those with
    /// `enabled = false`, unless none is disabled) and configured statuses.
    pub fn check_settings(&self) -> crate::checks::Settings {
        let disabled: Vec<&str> = self
            .checks
            .iter()
            .filter(|(_, c)| c.enabled == Some(false))
            .map(|(n, _)| n.as_str())
            .collect();
        let enabled = (!disabled.is_empty()).then(|| {
            crate::checks::names().filter(|n| !disabled.contains(n)).map(str::to_owned).collect()
        });
        let statuses = self
            .checks
            .iter()
            .filter_map(|(n, c)| c.statuses.clone().map(|s| (n.clone(), s)))
            .collect();
        crate::checks::Settings { enabled, statuses, strict: self.strict == Some(true) }
    }
}
