//! `status_code_conformance`: the status is documented for the operation.

use super::{Context, Failure, documented_statuses};

/// The check's name.
pub const NAME: &str = "status_code_conformance";

/// Its code, severity and explanation (`gauntlet explain GA102`).
pub const RULE: super::Rule = super::Rule {
    code: "GA102",
    name: NAME,
    severity: super::Severity::Error,
    summary: "the status is documented for the operation",
    why: "clients are written from the spec: a status it does not list is one no client handles",
    fix: "document the status under the operation's responses (or a range such as 4XX), or stop the server from returning it",
};

/// Fails when no exact code, range or `default` documents the status.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // The responses document the operation's own method; `unsupported_method` judges probes.
    if ctx.scenario.kind.is_method_probe() || super::is_spec_gap(ctx) {
        return None;
    }
    let op = ctx.operation;
    let status = ctx.response.status;
    if op.responses.is_empty() || op.response_for(status).is_some() {
        return None;
    }
    // A read of what a chain just deleted must say it is gone, documented or not
    // (`use_after_free` judges it).
    if ctx.step.role == Some(crate::plan::Role::Gone) && matches!(status, 404 | 410) {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: format!("undocumented status {status}"),
        expected: format!("one of {}", documented_statuses(op)),
        details: Vec::new(),
    })
}
