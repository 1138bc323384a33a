//! SARIF 2.1.0 for code scanning: one result per root cause (a failure group), its rule the
//! check with its help text, its location the operation in the spec file the user wrote
//! (line and column from the line map the engine built at load).

use std::io;

use serde_json::{Value, json};

use super::RunReport;
use crate::checks::{ALL, FINDINGS, Rule};

/// The schema SARIF consumers expect in `$schema`.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes `report` as a SARIF 2.1.0 log.
pub fn write_sarif(mut w: impl io::Write, report: &RunReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut w, &log(report))?;
    w.write_all(b"\n")?;
    w.flush()
}

fn rules() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().map(|c| &c.rule).chain(FINDINGS)
}

fn rule(r: &Rule) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": format!("{} Why: {}", r.summary, r.why)},
        "help": {
            "text": format!("{}\nWhy: {}\nFix: {}", r.summary, r.why, r.fix),
            "markdown": format!("**{}** ({})\n\n{}\n\n**Why:** {}\n\n**Fix:** {}\n\nRun `gauntlet explain {}` for this text.", r.name, r.code, r.summary, r.why, r.fix, r.code),
        },
        "defaultConfiguration": {"level": r.severity.as_str()},
    })
}

/// The physical location of operation `index`, or the spec file when it is not known.
fn location(report: &RunReport, index: Option<usize>) -> Value {
    let found =
        index.and_then(|i| Some((&report.operations[i], report.operations[i].location.as_ref()?)));
    let mut out = match found {
        Some((_, at)) => json!({"physicalLocation": {
            "artifactLocation": {"uri": super::relative_path(&at.file)},
            "region": {"startLine": at.line, "startColumn": at.column},
        }}),
        None => json!({"physicalLocation": {
            "artifactLocation": {"uri": super::relative_path(std::path::Path::new(&report.info.spec))},
        }}),
    };
    if let (Some(i), Value::Object(map)) = (index, &mut out) {
        map.insert(
            "logicalLocations".into(),
            json!([{"name": report.operations[i].id, "fullyQualifiedName": report.operations[i].title, "kind": "function"}]),
        );
    }
    out
}

fn result(code: &str, level: &str, text: String, at: Value, key: &str) -> Value {
    let index = rules().position(|r| r.code == code);
    json!({
        "ruleId": code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [at],
        "partialFingerprints": {"gauntlet/v1": format!("{:016x}", crate::support::hash::fnv1a(&[key.as_bytes()]))},
    })
}

fn log(report: &RunReport) -> Value {
    let mut results: Vec<Value> = Vec::new();
    for group in &report.groups {
        let first = &report.cases[group.cases[0]];
        let op = &report.operations[first.operation];
        let rule = crate::checks::rule(&group.check);
        let code = rule.map_or("GA000", |r| r.code);
        // A flaky failure is a warning unless --strict makes it fail the run.
        let level = match rule.map_or("error", |r| r.severity.as_str()) {
            "error" if group.flaky && !report.info.strict => "warning",
            level => level,
        };
        let step = first.step_showing(&group.check);
        let mut text = format!(
            "{}{}: {} ({} scenarios, first {})",
            if group.flaky { "flaky (it did not fail again when sent alone): " } else { "" },
            op.id,
            group.title,
            group.cases.len(),
            first.label
        );
        if let Some(f) =
            step.and_then(|s| s.failures.iter().chain(&s.gaps).find(|f| f.check == group.check))
        {
            text.push_str(&format!("; expected {}", f.expected));
        }
        if let Some(curl) = step.map(|s| s.reproduce.as_str()).filter(|c| !c.is_empty()) {
            text.push_str(&format!(". Reproduce: {curl}"));
        }
        let mut key = format!("{}\u{1f}{}\u{1f}{}", op.id, group.check, group.title);
        if let Some(signature) = &group.signature {
            key.push_str(&format!("\u{1f}{signature}"));
        }
        results.push(result(code, level, text, location(report, Some(first.operation)), &key));
    }
    for entry in &report.fixed {
        let op = report.operations.iter().position(|o| o.id == entry.operation);
        let text = format!(
            "{}: baseline entry for {} on {} passes now; remove it",
            entry.operation, entry.check, entry.scenario
        );
        let key =
            format!("fixed\u{1f}{}\u{1f}{}\u{1f}{}", entry.operation, entry.check, entry.scenario);
        let r = &crate::checks::rule::BASELINE_FIXED;
        results.push(result(r.code, r.severity.as_str(), text, location(report, op), &key));
    }
    for short in &report.below {
        let r = &crate::checks::rule::COVERAGE;
        let text = format!(
            "coverage of {}: {:.1}% is below the minimum {}%",
            short.measure, short.actual, short.minimum
        );
        results.push(result(
            r.code,
            r.severity.as_str(),
            text,
            location(report, None),
            &short.measure,
        ));
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gauntlet",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules().map(rule).collect::<Vec<_>>(),
            }},
            "invocations": [{"executionSuccessful": !report.interrupted}],
            "results": results,
        }],
    })
}
