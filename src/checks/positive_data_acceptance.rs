//! `positive_data_acceptance`: a valid, authenticated request is not rejected.

use super::{Context, Failure};
use crate::plan::{Kind, Role};

/// The check's name.
pub const NAME: &str = "positive_data_acceptance";

/// Its code, severity and explanation (`gauntlet explain GA107`).
pub const RULE: super::Rule = super::Rule {
    code: "GA107",
    name: NAME,
    severity: super::Severity::Warning,
    summary: "a valid, authenticated request is not rejected as invalid (400, 405, 406, 415, 422)",
    why: "a valid request rejected with 4xx means the spec promises what the server does not do, or the server is stricter than documented",
    fix: "tighten the schema to what the server accepts (patterns, enums, formats), or accept what the spec allows; pin fixed values with case files",
};

/// Statuses that say "your request is invalid". 401 and 403 are not among them: to a valid
/// request they are authorisation decisions (unknown credentials at a login, an action
/// reserved to admins), judged as statuses; a run whose credentials are refused everywhere
/// is stopped by the engine instead.
const REJECTIONS: &[u16] = &[400, 405, 406, 415, 422];

/// Fails when a positive scenario is answered as invalid (404 for an unknown id is fine).
/// Skipped for secured operations when the run has no credentials.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // A create carrying undeclared properties may be refused; so may a read without
    // credentials (`auth_enforced` judges it).
    let refusable = matches!(ctx.step.role, Some(Role::Carries | Role::Anonymous));
    if ctx.scenario.kind != Kind::Positive || refusable {
        return None;
    }
    if ctx.operation.requires_auth() && !ctx.has_credentials {
        return None;
    }
    // Documenting only errors, the spec cannot say a valid request is refused: a spec gap.
    if super::is_spec_gap(ctx) {
        return None;
    }
    if let Some(verdict) = super::configured(ctx, NAME, |s| format!("valid request answered {s}")) {
        return verdict;
    }
    let status = ctx.response.status;
    REJECTIONS.contains(&status).then(|| Failure {
        check: NAME,
        title: format!("valid request rejected with {status}"),
        expected: "acceptance (2xx, or 404 for an unknown resource)".into(),
        details: Vec::new(),
    })
}
