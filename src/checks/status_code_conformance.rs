//! `status_code_conformance`: the status is documented for the operation.

use super::{Context, Failure, documented_statuses};

/// The check's name.
pub const NAME: &str = "status_code_conformance";

/// Fails when no exact code, range or `default` documents the status.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let op = ctx.operation;
    let status = ctx.response.status;
    if op.responses.is_empty() || op.response_for(status).is_some() {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: format!("undocumented status {status}"),
        expected: format!("one of {}", documented_statuses(op)),
        details: Vec::new(),
    })
}
