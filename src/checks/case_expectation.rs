//! `case_expectation`: what a case file says the response must be.

use super::{Context, Failure};

/// The check's name.
pub const NAME: &str = "case_expectation";

/// Fails when a case's status expectation is not met.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let expect = ctx.scenario.expect.as_ref()?;
    let status = ctx.response.status;
    if expect.status.is_empty() || expect.status.contains(&status) {
        return None;
    }
    let wanted: Vec<String> = expect.status.iter().map(u16::to_string).collect();
    Some(Failure {
        check: NAME,
        title: format!("expected status {}, got {status}", wanted.join(" or ")),
        expected: format!("status {}", wanted.join(" or ")),
        details: Vec::new(),
    })
}
