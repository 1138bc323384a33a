//! The checks: pure functions of (operation, scenario, step, response) that pass or fail.
//!
//! Each check lives in its own file and has a stable name that appears in every report; the
//! names follow Schemathesis's where one exists, and a stable code with an explanation
//! ([`Rule`]). To add a check, add a file (its `NAME`, `RULE` and `check`) and list it in
//! [`ALL`].

mod auth_enforced;
mod case_expectation;
mod content_type_conformance;
mod ensure_resource_availability;
mod mass_assignment;
mod missing_required_header;
mod negative_data_rejection;
mod not_a_server_error;
mod object_level_authorization;
mod positive_data_acceptance;
mod response_headers_conformance;
mod response_schema_conformance;
pub mod rule;
mod signature;
mod spec_gap;
mod status_code_conformance;
mod unsupported_method;
mod use_after_free;

pub use rule::{FINDINGS, Rule, Severity};
pub use signature::signature;

use serde_json::Value;

use crate::http::Response;
use crate::openapi::Operation;
use crate::plan::{Scenario, Step};
use crate::schema::Validators;

/// What a check sees.
pub struct Context<'a> {
    /// The operation the step targets.
    pub operation: &'a Operation,
    /// The scenario the step belongs to (what it is for).
    pub scenario: &'a Scenario,
    /// The step whose answer is judged.
    pub step: &'a Step,
    /// The response received.
    pub response: &'a Response,
    /// Compiled schemas of the document.
    pub validators: &'a Validators,
    /// Whether the run has credentials for the operation's scheme.
    pub has_credentials: bool,
    /// Time the exchange took.
    pub elapsed: std::time::Duration,
    /// Which checks run, and the statuses each accepts where configured.
    pub settings: &'a Settings,
    /// The methods the step's path declares (what a 405's `Allow` must list).
    pub declared_methods: &'a [String],
    /// Every path of the spec (what a 201's `Location` must name).
    pub routes: &'a [crate::openapi::PathTemplate],
    /// What the scenario's earlier steps gave, in order.
    pub earlier: &'a [Earlier],
}

/// What an earlier step of a scenario gave, for the chain checks (bodies only in chains).
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    /// Its status (`None`: no answer).
    pub status: Option<u16>,
    /// Its method.
    pub method: String,
    /// The identity that sent it (`None`: the run's own).
    pub identity: Option<String>,
    /// The JSON body it sent, values filled.
    pub sent: Option<serde_json::Value>,
    /// Its 2xx answer's JSON body.
    pub answer: Option<serde_json::Value>,
}

/// Which checks run and, for the checks that judge a status, the statuses they accept in
/// place of their defaults (from `gauntlet.toml`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Checks to run (all when `None`).
    pub enabled: Option<Vec<String>>,
    /// Per check, the statuses it accepts instead of its default rule.
    pub statuses: std::collections::BTreeMap<String, Vec<u16>>,
    /// Spec gaps fail the run (`--strict`).
    pub strict: bool,
}

/// The check that reports spec gaps (kept apart from failures unless [`Settings::strict`]).
pub const SPEC_GAP: &str = spec_gap::NAME;
/// The check whose configured statuses also settle what a gap is.
const NEGATIVE_DATA_REJECTION: &str = negative_data_rejection::NAME;

/// The check that judges probes of undeclared methods (the plan leaves them out when it is
/// off).
pub const UNSUPPORTED_METHOD: &str = unsupported_method::NAME;

/// The checks whose accepted statuses can be configured.
pub const WITH_STATUSES: &[&str] = &[
    negative_data_rejection::NAME,
    missing_required_header::NAME,
    auth_enforced::NAME,
    positive_data_acceptance::NAME,
];

impl Settings {
    /// The statuses configured for `check`, if any.
    pub fn statuses(&self, check: &str) -> Option<&[u16]> {
        self.statuses.get(check).map(Vec::as_slice)
    }

    /// Whether `check` runs.
    pub fn enabled(&self, check: &str) -> bool {
        self.enabled.as_ref().is_none_or(|e| e.iter().any(|n| n == check))
    }
}

/// A broken check.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The check's stable name, e.g. `status_code_conformance`.
    pub check: &'static str,
    /// One line: what broke, general enough to group repeats (`undocumented status 418`).
    pub title: String,
    /// Expected, as a phrase.
    pub expected: String,
    /// Further lines: schema errors, branch reasons.
    pub details: Vec<String>,
}

/// A check: what it is ([`Rule`]) and its function (`None` when it passed or did not apply).
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Its code, name, severity and explanation.
    pub rule: Rule,
    /// The check itself.
    pub run: fn(&Context<'_>) -> Option<Failure>,
}

impl Check {
    /// Its stable name.
    pub fn name(&self) -> &'static str {
        self.rule.name
    }
}

/// Every check, in reporting order.
pub const ALL: &[Check] = &[
    Check { rule: not_a_server_error::RULE, run: not_a_server_error::check },
    Check { rule: status_code_conformance::RULE, run: status_code_conformance::check },
    Check { rule: content_type_conformance::RULE, run: content_type_conformance::check },
    Check { rule: response_headers_conformance::RULE, run: response_headers_conformance::check },
    Check { rule: response_schema_conformance::RULE, run: response_schema_conformance::check },
    Check { rule: negative_data_rejection::RULE, run: negative_data_rejection::check },
    Check { rule: missing_required_header::RULE, run: missing_required_header::check },
    Check { rule: auth_enforced::RULE, run: auth_enforced::check },
    Check { rule: positive_data_acceptance::RULE, run: positive_data_acceptance::check },
    Check { rule: unsupported_method::RULE, run: unsupported_method::check },
    Check { rule: ensure_resource_availability::RULE, run: ensure_resource_availability::check },
    Check { rule: use_after_free::RULE, run: use_after_free::check },
    Check { rule: object_level_authorization::RULE, run: object_level_authorization::check },
    Check { rule: mass_assignment::RULE, run: mass_assignment::check },
    Check { rule: spec_gap::RULE, run: spec_gap::check },
    Check { rule: case_expectation::RULE, run: case_expectation::check },
];

/// The names of every check, in reporting order.
pub fn names() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(Check::name)
}

/// The rule with this code or name (case-insensitive): a check's or another finding's.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().map(|c| &c.rule).chain(FINDINGS).find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Whether `missing_required_header` runs and judges this step (a required header left out),
/// which `negative_data_rejection` then leaves to it.
fn judged_as_missing_header(ctx: &Context<'_>) -> bool {
    ctx.settings.enabled(missing_required_header::NAME) && missing_required_header::applies(ctx)
}

/// Whether the answer is a spec gap (the server rejected rightly; the spec documents no
/// rejection of the kind): the status and rejection checks then leave it to `spec_gap`.
pub fn is_spec_gap(ctx: &Context<'_>) -> bool {
    ctx.settings.enabled(SPEC_GAP) && spec_gap::gap(ctx).is_some()
}

/// Runs every enabled check and returns the failures. A probe is judged by
/// `not_a_server_error` alone: a routing probe is answered by the router, not the operation,
/// and an input probe may rightly be accepted or refused, so the operation's statuses, media
/// types and schemas say nothing of the answer.
pub fn run(ctx: &Context<'_>) -> Vec<Failure> {
    let probe = ctx.scenario.kind.is_probe();
    ALL.iter()
        .filter(|c| ctx.settings.enabled(c.name()))
        .filter(|c| !probe || c.name() == not_a_server_error::NAME)
        .filter_map(|c| (c.run)(ctx))
        .collect()
}

/// The media type essence of a `Content-Type` value (`application/json`), lower case.
pub fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a documented media range (`application/*`, `*/*`) covers `actual`.
pub fn media_matches(documented: &str, actual: &str) -> bool {
    let documented = essence(documented);
    if documented == actual || documented == "*/*" {
        return true;
    }
    match documented.strip_suffix("/*") {
        Some(kind) => actual.split('/').next() == Some(kind),
        None => false,
    }
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json(media: &str) -> bool {
    let m = essence(media);
    m == "application/json" || m.ends_with("+json")
}

/// A short excerpt of a body for reports (UTF-8 lossy, one line, at most `max` characters).
pub fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    crate::support::text::truncate(one_line.trim(), max)
}

/// The documented statuses of an operation, for messages (`200, 401, 4XX, default`).
pub fn documented_statuses(op: &Operation) -> String {
    let list: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
    if list.is_empty() { "none".into() } else { list.join(", ") }
}

/// The verdict of check `name` when its accepted statuses are configured (`None` when they are
/// not): it fails on any other status below 500 (a 5xx is `not_a_server_error`'s).
fn configured(
    ctx: &Context<'_>,
    name: &'static str,
    title: impl FnOnce(u16) -> String,
) -> Option<Option<Failure>> {
    let accepted = ctx.settings.statuses(name)?;
    let status = ctx.response.status;
    Some((!accepted.contains(&status) && status < 500).then(|| Failure {
        check: name,
        title: title(status),
        expected: format!("one of {} (configured)", status_list(accepted)),
        details: Vec::new(),
    }))
}

/// Statuses for messages: `400 or 422`.
pub fn status_list(statuses: &[u16]) -> String {
    statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ")
}

/// Parses a body as JSON (for checks that need it).
pub fn parse_json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
