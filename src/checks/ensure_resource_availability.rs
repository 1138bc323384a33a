//! `ensure_resource_availability`: a resource a chain just created (or updated) can be read.

use super::{Context, Failure};
use crate::plan::Role;

/// The check's name.
pub const NAME: &str = "ensure_resource_availability";

/// Its code, severity and explanation (`gauntlet explain GA113`).
pub const RULE: super::Rule = super::Rule {
    code: "GA113",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a resource just created is not 404 on its read",
    why: "a create that answers 2xx with an id the API then cannot find loses data, or hands clients ids that lead nowhere",
    fix: "store the resource before answering, and read it back by the id the create returned (check replication lag and id encoding)",
};

/// Whether every earlier step of the scenario was answered 2xx.
pub(super) fn earlier_succeeded(ctx: &Context<'_>) -> bool {
    !ctx.earlier.is_empty()
        && ctx.earlier.iter().all(|e| e.status.is_some_and(|s| (200..300).contains(&s)))
}

/// Fails when a read of what the chain created is answered 404 or 410 after every earlier
/// step succeeded.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    if ctx.step.role != Some(Role::Available) || !earlier_succeeded(ctx) {
        return None;
    }
    let status = ctx.response.status;
    if !matches!(status, 404 | 410) {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: format!("resource just created answered {status} on its read"),
        expected: "the resource the earlier steps created (not a 404 or 410)".into(),
        details: Vec::new(),
    })
}
