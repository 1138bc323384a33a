//! `missing_required_header`: a request without a header the operation requires is rejected
//! with a 4xx a client can act on.

use super::{Context, Failure, documented_statuses};
use crate::openapi::Location;
use crate::plan::Kind;

/// The check's name.
pub const NAME: &str = "missing_required_header";

/// Its code, severity and explanation (`gauntlet explain GA112`).
pub const RULE: super::Rule = super::Rule {
    code: "GA112",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a request without a required header is answered 400, 401, 403, 406, 422 or 428 (or a documented 4xx)",
    why: "a server that goes on without a header it requires acts on a default nobody chose: another tenant, another API version, a missing precondition",
    fix: "reject a request that lacks the header before acting on it (or mark the header optional in the spec)",
};

/// The statuses a missing header may get whatever the spec documents: a bad request, an
/// authentication or authorisation refusal, no acceptable representation, an invalid entity,
/// a missing precondition (RFC 6585).
const ACCEPTED: &[u16] = &[400, 401, 403, 406, 422, 428];

/// Whether the scenario leaves out a required header of the operation (`header.X` /
/// `missing`): this check judges it, `negative_data_rejection` leaves it alone.
pub fn applies(ctx: &Context<'_>) -> bool {
    let Kind::Negative { target, rule } = &ctx.scenario.kind else { return false };
    let Some(name) = target.strip_prefix("header.") else { return false };
    rule == "missing"
        && ctx.operation.parameters.iter().any(|p| {
            p.location == Location::Header && p.required && p.name.eq_ignore_ascii_case(name)
        })
}

/// Fails when a required header left out is answered below 400, or with a 4xx neither in
/// [`ACCEPTED`] nor documented. A 5xx is left to `not_a_server_error`.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    if !applies(ctx) || super::is_spec_gap(ctx) {
        return None;
    }
    let Kind::Negative { target, .. } = &ctx.scenario.kind else { return None };
    let status = ctx.response.status;
    if status >= 500 {
        return None;
    }
    if let Some(verdict) =
        super::configured(ctx, NAME, |s| format!("request without {target} answered {s}"))
    {
        return verdict;
    }
    let documented = ctx.operation.response_for(status).is_some();
    if (400..500).contains(&status) && (ACCEPTED.contains(&status) || documented) {
        return None;
    }
    let title = if (400..500).contains(&status) {
        format!("request without required {target} rejected with {status}")
    } else {
        format!("request without required {target} accepted with {status}")
    };
    Some(Failure {
        check: NAME,
        title,
        expected: format!(
            "400, 401, 403, 406, 422, 428 or a documented 4xx (documented: {})",
            documented_statuses(ctx.operation)
        ),
        details: Vec::new(),
    })
}
