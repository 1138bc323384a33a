//! `object_level_authorization`: one identity's resource is not another's to read, change
//! or delete. A chain creates a resource as the run's own identity; another identity
//! (`--identity`) then reads it (its answer must not be what the owner read), or updates or
//! deletes it (the owner's read after must not show the write took effect).

use serde_json::Value;

use super::{Context, Failure};
use crate::plan::Role;

/// The check's name.
pub const NAME: &str = "object_level_authorization";

/// Its code, severity and explanation (`gauntlet explain GA115`).
pub const RULE: super::Rule = super::Rule {
    code: "GA115",
    name: NAME,
    severity: super::Severity::Error,
    summary: "another identity cannot read, change or delete a resource it does not own",
    why: "an API that serves objects by id without checking who asks hands every user's data to anyone who can guess or see an id (OWASP API1, broken object level authorization)",
    fix: "check the caller owns (or may see) the object on every read and write by id, and answer 403 or 404 when not",
};

/// Judges another identity's read of the owner's resource, and the owner's read after
/// another identity's write, once every earlier step succeeded.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    if !super::ensure_resource_availability::earlier_succeeded(ctx) {
        return None;
    }
    let status = ctx.response.status;
    match ctx.step.role {
        Some(Role::Foreign) if ctx.operation.method == "GET" && (200..300).contains(&status) => {
            let answer: Value = serde_json::from_slice(&ctx.response.body).ok()?;
            // The owner's own read of it, answered the same: the object itself, handed out.
            ctx.earlier
                .iter()
                .any(|e| e.identity.is_none() && e.method == "GET" && e.answer.as_ref() == Some(&answer))
                .then(|| Failure {
                    check: NAME,
                    title: format!(
                        "another identity ({}) read the owner's resource: {status} with the owner's body",
                        ctx.step.identity.as_deref().unwrap_or("?")
                    ),
                    expected: "403 or 404 for a resource the caller does not own".into(),
                    details: Vec::new(),
                })
        }
        Some(Role::Unchanged) => {
            let (write, before) = foreign_write(ctx)?;
            let who = write.identity.as_deref().unwrap_or("?");
            if write.method == "DELETE" {
                return matches!(status, 404 | 410).then(|| Failure {
                    check: NAME,
                    title: format!("another identity ({who}) deleted the owner's resource: the owner's read is {status}"),
                    expected: "the resource still there for its owner".into(),
                    details: Vec::new(),
                });
            }
            let answer: Value = serde_json::from_slice(&ctx.response.body).ok()?;
            let taken = changed_fields(write.sent.as_ref()?, before, &answer);
            (!taken.is_empty()).then(|| Failure {
                check: NAME,
                title: format!(
                    "another identity's ({who}) {} changed the owner's resource ({})",
                    write.method,
                    taken.join(", ")
                ),
                expected: "the owner's resource unchanged by a caller that does not own it".into(),
                details: Vec::new(),
            })
        }
        _ => None,
    }
}

/// The last earlier step sent by another identity, and the body the owner sent first (the
/// create's), for telling a change from a value both happened to hold.
fn foreign_write<'a>(ctx: &'a Context<'_>) -> Option<(&'a super::Earlier, Option<&'a Value>)> {
    let write = ctx.earlier.iter().rev().find(|e| e.identity.is_some() && e.method != "GET")?;
    let before = ctx.earlier.iter().find(|e| e.identity.is_none()).and_then(|e| e.sent.as_ref());
    Some((write, before))
}

/// The top-level fields the write sent that the owner's answer now holds, where the write's
/// value differs from what the owner sent first.
fn changed_fields(sent: &Value, before: Option<&Value>, answer: &Value) -> Vec<String> {
    let (Some(sent), Some(answer)) = (sent.as_object(), answer.as_object()) else {
        return Vec::new();
    };
    sent.iter()
        .filter(|(k, v)| before.and_then(|b| b.get(k.as_str())) != Some(*v))
        .filter(|(k, v)| answer.get(k.as_str()) == Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}
