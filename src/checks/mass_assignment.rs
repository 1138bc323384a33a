//! `mass_assignment`: a create (or an update) that carries properties its request schema does
//! not declare (what only the server should set: an owner, a flag, a status) does not set
//! them. The chain's read after it must not show them with the values sent.

use serde_json::Value;

use super::{Context, Failure};
use crate::plan::Role;

/// The check's name.
pub const NAME: &str = "mass_assignment";

/// Its code, severity and explanation (`gauntlet explain GA116`).
pub const RULE: super::Rule = super::Rule {
    code: "GA116",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a create or an update does not set properties its request schema does not declare",
    why: "a server that copies every property of a request onto its object lets a client set what only the server should (an owner, an admin flag, a balance): OWASP API3, mass assignment",
    fix: "bind requests to the declared input properties only (an allow-list or a separate input model), and set server-owned properties on the server",
};

/// Fails when the read after a create (or an update) shows a property its request schema
/// does not declare with the value it sent.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let Some(Role::Assigned(names)) = &ctx.step.role else { return None };
    if !super::ensure_resource_availability::earlier_succeeded(ctx)
        || !(200..300).contains(&ctx.response.status)
    {
        return None;
    }
    // What the write that carried them sent: the create's, or the update's after it.
    let write = ctx.earlier.iter().rev().find(|e| e.method != "GET" && e.sent.is_some())?;
    let sent = write.sent.as_ref()?;
    let answer: Value = serde_json::from_slice(&ctx.response.body).ok()?;
    let taken: Vec<&str> = names
        .iter()
        .filter(|n| {
            sent.get(n.as_str()).is_some() && sent.get(n.as_str()) == answer.get(n.as_str())
        })
        .map(String::as_str)
        .collect();
    (!taken.is_empty()).then(|| Failure {
        check: NAME,
        title: format!(
            "the {} set {} from the request",
            if write.method == "POST" { "create" } else { "update" },
            taken.join(", ")
        ),
        expected: format!(
            "{} as the server sets it, not as the request sent it (the request schema does not declare it)",
            taken.join(", ")
        ),
        details: taken
            .iter()
            .map(|n| format!("{n}: sent {} and read back", sent[*n]))
            .collect(),
    })
}
