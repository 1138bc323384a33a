//! The JSON report: one document holding the whole [`RunReport`] (enough to rebuild every
//! other report), described by `schema/report.schema.json`. Its pieces are shared with the
//! NDJSON event stream.

use std::io;

use serde_json::{Value, json};

use super::{Case, Coverage, Outcome, RunReport};
use crate::checks::Failure;

/// The version of the JSON and NDJSON formats: a change that removes or retypes a field
/// raises it.
pub const VERSION: u32 = 1;

/// Writes `report` as one JSON document. The cases, most of it, are written one by one
/// rather than built as one tree first.
pub fn write_json(mut w: impl io::Write, report: &RunReport) -> io::Result<()> {
    let mut doc = summary(report);
    if let (Value::Object(doc), Value::Object(head)) = (&mut doc, header(report)) {
        doc.extend(head);
    }
    let text = serde_json::to_string(&doc)?;
    // `doc` is a non-empty object: its text ends with `}`, and the cases go before it.
    w.write_all(&text.as_bytes()[..text.len() - 1])?;
    w.write_all(b",\"cases\":[")?;
    for (i, c) in report.cases.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut w, &case(report, c))?;
    }
    w.write_all(b"]}\n")?;
    w.flush()
}

/// Milliseconds of a duration, to the microsecond.
fn ms(d: std::time::Duration) -> f64 {
    (d.as_micros() as f64) / 1000.0
}

/// Everything of the report but its header ([`header`]) and its cases: what the NDJSON
/// `done` event holds.
pub fn summary(report: &RunReport) -> Value {
    json!({
        "elapsed_ms": ms(report.elapsed),
        "interrupted": report.interrupted,
        "rate": report.rate(),
        "verdict": verdict(report),
        "counts": counts(&report.counts),
        "latency": report.latency.map(|l| json!({"p50": l.p50, "p90": l.p90, "p99": l.p99})),
        "suites": report.suites.iter().map(|s| json!({
            "operation": report.operations[s.operation].id,
            "counts": counts(&s.counts),
            "time_ms": ms(s.time),
            "statuses": s.statuses.iter().map(|(code, n)| json!({"status": code, "count": n})).collect::<Vec<_>>(),
            "latency": s.latency.map(|l| json!({"p50": l.p50, "p90": l.p90, "p99": l.p99})),
        })).collect::<Vec<_>>(),
        "groups": report.groups.iter().map(|g| {
            let first = &report.cases[g.cases[0]];
            json!({
                "operation": report.operations[first.operation].id,
                "check": g.check,
                "code": code(&g.check),
                "severity": severity(&g.check),
                "title": g.title,
                "signature": g.signature,
                "flaky": g.flaky,
                "cases": g.cases,
            })
        }).collect::<Vec<_>>(),
        "retried": {"retried": report.retried.0, "refused": report.retried.1},
        "budget_cut": report.budget_cut,
        "baseline": {
            "fixed": report.fixed.iter().map(entry).collect::<Vec<_>>(),
            "expired": report.expired.iter().map(entry).collect::<Vec<_>>(),
        },
        "notes": report.notes,
        "untested": report.untested.iter().map(|(op, why)| json!({"operation": report.operations[*op].id, "reason": why})).collect::<Vec<_>>(),
        "coverage": report.coverage.as_ref().map(|c| coverage(report, c)),
        "below": report.below.iter().map(|s| json!({"measure": s.measure, "actual": s.actual, "minimum": s.minimum})).collect::<Vec<_>>(),
    })
}

/// What every document and the `started` event begin with: version, tool, run facts and
/// the operations.
pub fn header(report: &RunReport) -> Value {
    let info = &report.info;
    json!({
        "version": VERSION,
        "tool": {"name": "gauntlet", "version": env!("CARGO_PKG_VERSION")},
        "spec": info.spec,
        "title": info.title,
        "base_url": info.base_url,
        "seed": report.seed.to_string(),
        "started": humantime::format_rfc3339_seconds(info.started).to_string(),
        "operations": report.operations.iter().map(|o| json!({
            "id": o.id,
            "title": o.title,
            "pointer": o.pointer,
            "location": o.location.as_ref().map(|l| json!({
                "file": l.file.display().to_string(), "line": l.line, "column": l.column,
            })),
        })).collect::<Vec<_>>(),
    })
}

/// `pass`, `fail`, `interrupted`, or `empty` (nothing ran: never a pass).
pub fn verdict(report: &RunReport) -> &'static str {
    if report.interrupted {
        "interrupted"
    } else if report.violated() {
        "fail"
    } else if report.counts.total == 0 {
        "empty"
    } else {
        "pass"
    }
}

fn counts(c: &super::Counts) -> Value {
    json!({"total": c.total, "passed": c.passed, "failed": c.failed, "errors": c.errors, "known": c.known, "gaps": c.gaps, "flaky": c.flaky})
}

/// A check's (or `transport`'s) stable code.
pub fn code(check: &str) -> &'static str {
    crate::checks::rule(check).map_or("GA000", |r| r.code)
}

/// A check's severity.
pub fn severity(check: &str) -> &'static str {
    crate::checks::rule(check).map_or("error", |r| r.severity.as_str())
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Error => "error",
        Outcome::Known => "known",
        Outcome::Gap => "gap",
        Outcome::Flaky => "flaky",
    }
}

fn failure(f: &Failure) -> Value {
    json!({
        "check": f.check,
        "code": code(f.check),
        "severity": severity(f.check),
        "title": f.title,
        "expected": f.expected,
        "details": f.details,
    })
}

/// One case.
pub fn case(report: &RunReport, c: &Case) -> Value {
    let op = |i: usize| report.operations[i].id.as_str();
    json!({
        "operation": op(c.operation),
        "label": c.label,
        "outcome": outcome(c.outcome),
        "status": c.status,
        "elapsed_ms": ms(c.elapsed),
        "known": c.known.iter().map(|k| json!({"check": k.check, "title": k.title, "reason": k.reason})).collect::<Vec<_>>(),
        "steps": c.steps.iter().map(|s| json!({
            "operation": op(s.operation),
            "status": s.status,
            "failures": s.failures.iter().map(failure).collect::<Vec<_>>(),
            "gaps": s.gaps.iter().map(failure).collect::<Vec<_>>(),
            "error": s.error.as_ref().map(|e| json!({
                "code": code(crate::http::TRANSPORT),
                "kind": format!("{:?}", e.kind).to_lowercase(),
                "message": e.message,
            })),
            "excerpt": s.excerpt,
            "retries": s.retries,
            "inputs": s.inputs.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "reproduce": s.reproduce,
        })).collect::<Vec<_>>(),
    })
}

fn entry(e: &crate::baseline::Entry) -> Value {
    json!({
        "operation": e.operation,
        "check": e.check,
        "scenario": e.scenario,
        "reason": e.reason,
        "expires": e.expires,
    })
}

fn ratio(r: super::Ratio) -> Value {
    json!({"covered": r.covered, "total": r.total, "percent": r.percent()})
}

/// The coverage tables.
pub fn coverage(report: &RunReport, c: &Coverage) -> Value {
    json!({
        "totals": {
            "operations": ratio(c.operations_total),
            "statuses": ratio(c.statuses),
            "parameters": ratio(c.parameters),
            "invalid_parameters": ratio(c.invalid_parameters),
            "enums": ratio(c.enums),
        },
        "checks": c.checks.iter().map(|k| json!({
            "check": k.name, "code": code(k.name), "ran": k.skipped.is_none(), "skipped": k.skipped,
        })).collect::<Vec<_>>(),
        "operations": c.operations.iter().zip(&report.operations).map(|(o, info)| json!({
            "operation": info.id,
            "tested": o.tested,
            "statuses": o.statuses.iter().map(|(s, seen)| json!({"status": s, "seen": seen})).collect::<Vec<_>>(),
            "undocumented": o.undocumented,
            "parameters": o.parameters.iter().map(|(n, valid, invalid)| json!({"name": n, "valid": valid, "invalid": invalid})).collect::<Vec<_>>(),
            "enums": o.enums.iter().map(|(n, values)| json!({
                "name": n,
                "values": values.iter().map(|(v, sent)| json!({"value": v, "sent": sent})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "negatives": o.negatives,
            "media_sent": o.sent,
            "media_received": o.received,
        })).collect::<Vec<_>>(),
    })
}
