//! `response_schema_conformance`: a JSON body validates against its status's schema.

use super::{Context, Failure, essence, excerpt, is_json, media_matches, parse_json};
use crate::schema::describe;

/// The check's name.
pub const NAME: &str = "response_schema_conformance";

/// Its code, severity and explanation (`gauntlet explain GA104`).
pub const RULE: super::Rule = super::Rule {
    code: "GA104",
    name: NAME,
    severity: super::Severity::Error,
    summary: "the body validates against the status's schema, formats enforced",
    why: "generated clients and typed consumers fail on a body that does not match: a missing required field, a wrong type, a bad date-time",
    fix: "fix the serialiser, or correct the schema where it is the spec that is wrong (nullable fields, optional properties)",
};

/// Fails when the body is not JSON, or does not validate; names the body pointer, the schema
/// keyword path and, for `oneOf`/`anyOf`, every branch's reason.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // The responses document the operation's own method; `unsupported_method` judges probes.
    if ctx.scenario.kind.is_method_probe() {
        return None;
    }
    let status = ctx.response.status;
    // HTTP gives these answers no body, whatever schema the spec writes for them.
    if ctx.operation.method.eq_ignore_ascii_case("HEAD") || matches!(status, 204 | 304) {
        return None;
    }
    let documented = ctx.operation.response_for(status)?;
    let actual = essence(ctx.response.content_type.as_deref()?);
    let media = documented.content.iter().find(|m| media_matches(&m.name, &actual))?;
    if !is_json(&actual) {
        return None;
    }
    let pointer = &media.schema.as_ref()?.pointer;
    let validator = ctx.validators.get(pointer)?;
    let body = match parse_json(&ctx.response.body) {
        Ok(body) => body,
        Err(e) => {
            return Some(Failure {
                check: NAME,
                title: format!("{status} body is not valid JSON"),
                expected: format!("JSON valid against #{pointer}"),
                details: vec![e, format!("body: {}", excerpt(&ctx.response.body, 200))],
            });
        }
    };
    // Most bodies are valid: one pass says so; errors are collected only for one that is not.
    if validator.is_valid(&body) {
        return None;
    }
    let errors = describe(validator, &body);
    let first = validator.iter_errors(&body).next()?;
    let at = first.instance_path().as_str();
    let keyword = first.schema_path().as_str().rsplit('/').next().unwrap_or("").to_owned();
    Some(Failure {
        check: NAME,
        title: format!(
            "{status} body violates its schema at {} ({keyword})",
            if at.is_empty() { "/" } else { at }
        ),
        expected: format!("body valid against #{pointer}"),
        details: errors,
    })
}
