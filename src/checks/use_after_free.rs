//! `use_after_free`: a resource a chain just deleted is no longer served.

use super::{Context, Failure};
use crate::plan::Role;

/// The check's name.
pub const NAME: &str = "use_after_free";

/// Its code, severity and explanation (`gauntlet explain GA114`).
pub const RULE: super::Rule = super::Rule {
    code: "GA114",
    name: NAME,
    severity: super::Severity::Error,
    summary: "after a successful DELETE, the resource is 404 or 410",
    why: "a delete that answers 2xx but leaves the resource readable keeps data the client asked to remove (a privacy and correctness defect)",
    fix: "remove the resource (or mark it deleted and hide it from every read) before answering the DELETE",
};

/// Fails when a read of what the chain deleted is answered below 400 after every earlier
/// step succeeded (a 5xx is `not_a_server_error`'s; another 4xx is a refusal, not a leak).
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    if ctx.step.role != Some(Role::Gone)
        || !super::ensure_resource_availability::earlier_succeeded(ctx)
    {
        return None;
    }
    let status = ctx.response.status;
    if status >= 400 {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: format!("deleted resource still served with {status}"),
        expected: "404 or 410 for a resource just deleted".into(),
        details: Vec::new(),
    })
}
