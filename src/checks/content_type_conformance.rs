//! `content_type_conformance`: the `Content-Type` is one documented for the status.

use super::{Context, Failure, essence, media_matches};

/// The check's name.
pub const NAME: &str = "content_type_conformance";

/// Its code, severity and explanation (`gauntlet explain GA103`).
pub const RULE: super::Rule = super::Rule {
    code: "GA103",
    name: NAME,
    severity: super::Severity::Error,
    summary: "the Content-Type is one documented for the status",
    why: "a client picks its parser from the documented media type; another one breaks it",
    fix: "document the media type under the status's content, or make the server send the documented one",
};

/// Fails on an undocumented media type, or a missing one where a body is documented.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // The responses document the operation's own method; `unsupported_method` judges probes.
    if ctx.scenario.kind.is_method_probe() {
        return None;
    }
    let documented = ctx.operation.response_for(ctx.response.status)?;
    if documented.content.is_empty() {
        return None;
    }
    let names: Vec<&str> = documented.content.iter().map(|m| m.name.as_str()).collect();
    let expected = format!("Content-Type {}", names.join(" or "));
    let Some(actual) = ctx.response.content_type.as_deref() else {
        return Some(Failure {
            check: NAME,
            title: format!("{} response has no Content-Type", ctx.response.status),
            expected,
            details: Vec::new(),
        });
    };
    let actual = essence(actual);
    if names.iter().any(|n| media_matches(n, &actual)) {
        return None;
    }
    Some(Failure {
        check: NAME,
        title: format!("{} response has undocumented Content-Type {actual}", ctx.response.status),
        expected,
        details: Vec::new(),
    })
}
