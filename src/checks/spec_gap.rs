//! `spec_gap`: the server rejected what it should, with a status the spec never documents
//! because the operation documents no rejection of that kind at all — invalid input answered
//! 4xx where no 4xx about input is documented (401, 403, 404, 429... say nothing of the
//! input), broken credentials answered 401/403 where security is
//! declared but neither is documented. The spec is incomplete; the server is right. Reported
//! once per (operation, status), never a failure of the run unless `--strict`.

use super::{Context, Failure};
use crate::openapi::{Location, Operation, StatusKey};

/// The check's name.
pub const NAME: &str = "spec_gap";

/// Its code, severity and explanation (`gauntlet explain GA110`).
pub const RULE: super::Rule = super::Rule {
    code: "GA110",
    name: NAME,
    severity: super::Severity::Warning,
    summary: "the server rightly rejected a request with a status the operation documents no kind of (no 4xx, or no 401/403 under declared security)",
    why: "clients are generated from the spec: a rejection it does not document is one they cannot handle; and until it is documented, gauntlet cannot tell a right rejection from a wrong one",
    fix: "document the status the server answers (its error body too) under the operation's responses, or a 4XX range; --strict makes gaps fail the run",
};

/// 4xx statuses that say nothing about the input's validity (credentials, permissions,
/// existence, method, negotiation, rate): documenting only these documents no rejection of
/// invalid input.
const NOT_ABOUT_INPUT: &[u16] = &[401, 403, 404, 405, 406, 407, 429];

/// Whether `op` documents a rejection of invalid input: a 4xx other than [`NOT_ABOUT_INPUT`],
/// or the `4XX` range.
fn documents_a_rejection(op: &Operation) -> bool {
    op.responses.iter().any(|r| match r.status {
        StatusKey::Exact(code) => (400..500).contains(&code) && !NOT_ABOUT_INPUT.contains(&code),
        StatusKey::Range(digit) => digit == 4,
        StatusKey::Default => false,
    })
}

/// The status of the answer when it is a spec gap (see the module doc).
pub fn gap(ctx: &Context<'_>) -> Option<u16> {
    let kind = &ctx.scenario.kind;
    let status = ctx.response.status;
    let op = ctx.operation;
    if op.responses.is_empty() {
        return None;
    }
    if *kind == crate::plan::Kind::Positive && !op.documents_success() {
        // Only errors are documented: whatever a valid request gets, the spec never said.
        return (200..500).contains(&status).then_some(status);
    }
    if op.response_for(status).is_some() {
        return None;
    }
    if ctx.step.role == Some(crate::plan::Role::Foreign) {
        // Another identity refused what it does not own: right, if undocumented.
        return matches!(status, 401 | 403 | 404).then_some(status);
    }
    if anonymous(ctx) {
        // No credentials at all, refused: right, if undocumented (as a broken credential's).
        return refused_undocumented(op, status);
    }
    if *kind == crate::plan::Kind::Positive {
        // A generated id names no resource: a 404 is right, the spec just never says so.
        let has_path_params = op.parameters.iter().any(|p| p.location == Location::Path);
        return (status == 404 && has_path_params).then_some(status);
    }
    let crate::plan::Kind::Negative { .. } = kind else { return None };
    if kind.is_method_probe() || kind.is_probe() {
        return None;
    }
    if ctx.settings.statuses(super::NEGATIVE_DATA_REJECTION).is_some() && !kind.is_auth_negative() {
        return None;
    }
    if kind.is_auth_negative() {
        return refused_undocumented(op, status);
    }
    if status == 415 && is_body_negative(kind) {
        // No Content-Type, or a body the server cannot read: 415 is a right answer too.
        return Some(status);
    }
    ((400..500).contains(&status) && !documents_a_rejection(op)).then_some(status)
}

/// A 401 or 403 where the operation documents neither: a right refusal of credentials, and
/// a gap in the spec.
fn refused_undocumented(op: &crate::openapi::Operation, status: u16) -> Option<u16> {
    let documented = op.documents_status(401) || op.documents_status(403);
    (matches!(status, 401 | 403) && !documented).then_some(status)
}

/// Whether the step sends no credentials for what its chain created.
fn anonymous(ctx: &Context<'_>) -> bool {
    ctx.step.role == Some(crate::plan::Role::Anonymous)
}

fn is_body_negative(kind: &crate::plan::Kind) -> bool {
    matches!(kind, crate::plan::Kind::Negative { target, .. } if target == "body")
}

/// Reports a spec gap.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let status = gap(ctx)?;
    let foreign = ctx.step.role == Some(crate::plan::Role::Foreign);
    let (what, missing) = if foreign && ctx.operation.documents_success() {
        (
            "no 401, 403 or 404 is documented; another identity's request for a resource it does not own",
            "403/404",
        )
    } else if ctx.scenario.kind.is_auth_negative()
        || (anonymous(ctx) && ctx.operation.documents_success())
    {
        ("security is declared but no 401 or 403 is documented; broken credentials", "401/403")
    } else if ctx.scenario.kind == crate::plan::Kind::Positive && !ctx.operation.documents_success()
    {
        ("no success response is documented; a valid request", "2xx")
    } else if ctx.scenario.kind == crate::plan::Kind::Positive {
        ("no 404 is documented; a valid request for an unknown resource", "404")
    } else if status == 415 && is_body_negative(&ctx.scenario.kind) {
        ("no 415 is documented; a body left out or broken", "415")
    } else {
        ("no rejection of invalid input is documented; invalid input", "4xx")
    };
    Some(Failure {
        check: NAME,
        title: format!("{what} answered {status}: document a {status} response"),
        expected: format!(
            "a documented {missing} (documented: {})",
            super::documented_statuses(ctx.operation)
        ),
        details: Vec::new(),
    })
}
