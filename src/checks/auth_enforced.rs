//! `auth_enforced`: missing or invalid credentials get 401 (or 403 where documented).

use super::{Context, Failure};
use crate::plan::{Kind, Role};

/// The check's name.
pub const NAME: &str = "auth_enforced";

/// Its code, severity and explanation (`gauntlet explain GA106`).
pub const RULE: super::Rule = super::Rule {
    code: "GA106",
    name: NAME,
    severity: super::Severity::Error,
    summary: "missing or invalid credentials get 401 (or 403 where documented)",
    why: "an operation that answers without valid credentials leaks data or lets anyone write",
    fix: "require the credentials the operation's security lists, and answer 401 when they are missing or wrong",
};

/// Fails when a scenario with broken credentials, or a chain's read with none of what the
/// chain created, is not answered 401 (or a documented 403). A 5xx is left to
/// `not_a_server_error`.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let rule = match &ctx.scenario.kind {
        Kind::Negative { rule, .. } if ctx.scenario.kind.is_auth_negative() => rule.as_str(),
        _ if ctx.step.role == Some(Role::Anonymous)
            && super::ensure_resource_availability::earlier_succeeded(ctx) =>
        {
            "missing (of a resource just created)"
        }
        _ => return None,
    };
    if let Some(verdict) =
        super::configured(ctx, NAME, |s| format!("credentials {rule} answered {s}"))
    {
        return verdict;
    }
    let status = ctx.response.status;
    let forbidden_ok = ctx.operation.documents_status(403);
    // A 403 where neither 401 nor 403 is documented enforced the credentials: a spec gap.
    if status == 401 || (status == 403 && forbidden_ok) || status >= 500 || super::is_spec_gap(ctx)
    {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: if (200..300).contains(&status) {
            format!("credentials {rule} accepted with {status}")
        } else {
            format!("credentials {rule} answered {status}")
        },
        expected: if forbidden_ok { "401 or 403".into() } else { "401".into() },
        details: Vec::new(),
    })
}
