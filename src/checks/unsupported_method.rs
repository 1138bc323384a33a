//! `unsupported_method`: a method the path does not declare is answered 405 with an `Allow`
//! header (with `--strict`, one that lists every method the path declares: RFC 9110
//! §15.5.6, §10.2.1), or 501 by a server that does not know the method at all; an
//! `OPTIONS` probe may also be answered 2xx, as HTTP allows.

use super::{Context, Failure};

/// The check's name.
pub const NAME: &str = "unsupported_method";

/// Its code, severity and explanation (`gauntlet explain GA109`).
pub const RULE: super::Rule = super::Rule {
    code: "GA109",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a method the path does not declare is answered 405 with an Allow header",
    why: "a server that answers an undeclared method with 2xx runs code the contract does not describe (often the wrong handler); with 404 it tells clients the resource does not exist",
    fix: "let the router answer 405 Method Not Allowed with Allow listing the declared methods (most frameworks do; Express needs a catch-all), or declare the method in the spec",
};

/// Judges the answer to a probe of an undeclared method; other scenarios pass. Titles leave
/// the method out, so every method a router mishandles the same way is one root cause.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let crate::plan::Kind::Negative { target, rule: method } = &ctx.scenario.kind else {
        return None;
    };
    if target != "method" {
        return None;
    }
    let status = ctx.response.status;
    let allow = ctx.response.headers.get(reqwest::header::ALLOW);
    let expected = "405 Method Not Allowed with an Allow header (or 501)".to_owned();
    match status {
        405 if allow.is_some() && !ctx.settings.strict => None,
        405 if allow.is_some() => {
            // RFC 9110 §10.2.1: Allow lists the methods the resource supports. Starlette
            // (FastAPI) lists only the first route's, so this is judged only when strict.
            let listed = allow.and_then(|v| v.to_str().ok()).unwrap_or("");
            let listed: Vec<&str> = listed.split(',').map(str::trim).collect();
            let missing: Vec<&str> = ctx
                .declared_methods
                .iter()
                .map(String::as_str)
                .filter(|m| !listed.iter().any(|l| l.eq_ignore_ascii_case(m)))
                .collect();
            (!missing.is_empty()).then(|| Failure {
                check: NAME,
                title: "405 whose Allow leaves out declared methods".into(),
                expected,
                details: vec![format!(
                    "Allow: {}; the path declares {}",
                    listed.join(", "),
                    ctx.declared_methods.join(", ")
                )],
            })
        }
        405 => Some(Failure {
            check: NAME,
            title: "405 without an Allow header".into(),
            expected,
            details: vec![format!("method {method}")],
        }),
        501 => None,
        200..=299 if method == "OPTIONS" => None,
        _ => Some(Failure {
            check: NAME,
            title: format!("undeclared method answered {status}"),
            expected,
            details: vec![format!("method {method}: the path declares only its other methods")],
        }),
    }
}
