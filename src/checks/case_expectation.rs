//! `case_expectation`: what a case file says the response must be: its status, values in its
//! JSON body (by JSON pointer), header values, and how long it may take.

use super::{Context, Failure, status_list};

/// The check's name.
pub const NAME: &str = "case_expectation";

/// Its code, severity and explanation (`gauntlet explain GA108`).
pub const RULE: super::Rule = super::Rule {
    code: "GA108",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a case file's expectations hold: status, body values, headers, time",
    why: "a case file states what a known request must give; a difference is a regression",
    fix: "fix the server, or the case file if the expectation changed on purpose",
};

/// Fails when any of a case's expectations is not met; every unmet one is listed.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let expect = ctx.step.expect.as_ref()?;
    let response = ctx.response;
    let mut unmet: Vec<String> = Vec::new();
    let mut wanted: Vec<String> = Vec::new();
    if !expect.status.is_empty() {
        wanted.push(format!("status {}", status_list(&expect.status)));
        if !expect.status.contains(&response.status) {
            unmet.push(format!(
                "expected status {}, got {}",
                status_list(&expect.status),
                response.status
            ));
        }
    }
    if !expect.body.is_empty() {
        match serde_json::from_slice::<serde_json::Value>(&response.body) {
            Err(_) => unmet.push("expected a JSON body, got something else".into()),
            Ok(body) => {
                for (pointer, value) in &expect.body {
                    wanted.push(format!("body {pointer} = {value}"));
                    match body.pointer(pointer) {
                        Some(actual) if actual == value => {}
                        Some(actual) => unmet.push(format!(
                            "body {pointer} is {}, expected {value}",
                            crate::support::text::truncate(&actual.to_string(), 120)
                        )),
                        None => unmet.push(format!("body has no {pointer}, expected {value}")),
                    }
                }
            }
        }
    }
    for (name, value) in &expect.headers {
        wanted.push(format!("header {name}: {value}"));
        let actual: Vec<&str> = response
            .headers
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if !actual.contains(&value.as_str()) {
            unmet.push(match actual.first() {
                Some(a) => format!("header {name} is {a:?}, expected {value:?}"),
                None => format!("header {name} is missing, expected {value:?}"),
            });
        }
    }
    if let Some(max) = expect.max_ms {
        wanted.push(format!("an answer within {max} ms"));
        let took = ctx.elapsed.as_millis();
        if took > u128::from(max) {
            unmet.push(format!("took {took} ms, over max_ms {max}"));
        }
    }
    let title = unmet.first()?.clone();
    Some(Failure { check: NAME, title, expected: wanted.join(", "), details: unmet.split_off(1) })
}
