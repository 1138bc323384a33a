//! `not_a_server_error`: no 5xx, documented or not.

use super::{Context, Failure};

/// The check's name.
pub const NAME: &str = "not_a_server_error";

/// Its code, severity and explanation (`gauntlet explain GA101`).
pub const RULE: super::Rule = super::Rule {
    code: "GA101",
    name: NAME,
    severity: super::Severity::Error,
    summary: "the server answered 5xx",
    why: "a 5xx is a crash or an unhandled case: whatever the input, the server must answer with a documented status, and invalid input deserves a 4xx that says what was wrong",
    fix: "find the handler's exception in the server log (the curl line sends the request again) and turn the case into a 4xx or a correct answer",
};

/// Fails on any 5xx status.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let status = ctx.response.status;
    (status >= 500).then(|| Failure {
        check: NAME,
        title: format!("server error {status}"),
        expected: "a status below 500".into(),
        details: Vec::new(),
    })
}
