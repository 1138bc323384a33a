//! JUnit XML, in the one shape that the strict consumers (Ant's JUnitReport schema, Jenkins
//! xUnit, JUnit 5's legacy schema) all accept: no attributes on `<testsuites>`, a suite per
//! operation with `package`, `id`, `timestamp` and `hostname`, `<properties>` first and
//! `<system-out>`/`<system-err>` last, times with three decimals, at most one `<failure>` or
//! `<error>` per test case.

use std::io::{self, Write};
use std::time::Duration;

use super::model::{Case, OperationInfo, Outcome, RunReport};

/// Writes the JUnit report of `report`.
pub fn write_junit(mut w: impl Write, report: &RunReport) -> io::Result<()> {
    let info = &report.info;
    let timestamp = humantime::format_rfc3339_seconds(info.started).to_string();
    let timestamp = timestamp.trim_end_matches('Z');
    let hostname = hostname();
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, "<testsuites>")?;
    // Each operation's spec gaps and flaky failures, for its suite's <system-out>.
    let mut gaps: Vec<Vec<String>> = vec![Vec::new(); report.operations.len()];
    for group in &report.groups {
        let operation = report.cases[group.cases[0]].operation;
        let n = group.cases.len();
        if group.check == crate::checks::SPEC_GAP {
            gaps[operation].push(format!("spec gap [GA110]: {} ({n} scenarios)", group.title));
        } else if group.flaky {
            gaps[operation].push(format!(
                "flaky [{}]: {}: {} ({n} scenarios): it did not fail again when sent alone",
                crate::checks::rule(&group.check).map_or("GA000", |r| r.code),
                group.check,
                group.title,
            ));
        }
    }
    for suite in &report.suites {
        let op = &report.operations[suite.operation];
        let c = suite.counts;
        // An operation not tested (or only in part) is one skipped test case with why.
        let untested = report.untested.iter().find(|(i, _)| *i == suite.operation);
        let extra = usize::from(untested.is_some());
        writeln!(
            w,
            r#"  <testsuite name="{}" package="{}" id="{}" timestamp="{timestamp}" hostname="{}" tests="{}" failures="{}" errors="{}" skipped="{}" time="{}">"#,
            attr(&op.id),
            attr(&info.title),
            suite.operation,
            attr(&hostname),
            c.total + extra,
            c.failed + if info.strict { c.flaky } else { 0 },
            c.errors,
            c.known + extra,
            seconds(suite.time),
        )?;
        writeln!(w, "    <properties>")?;
        for (name, value) in [
            ("seed", report.seed.to_string()),
            ("spec", info.spec.clone()),
            ("base_url", info.base_url.clone()),
            ("operation", op.title.clone()),
        ] {
            writeln!(w, r#"      <property name="{name}" value="{}"/>"#, attr(&value))?;
        }
        if c.gaps > 0 {
            let value = format!("{} scenarios showed a spec gap (see system-out)", c.gaps);
            writeln!(w, r#"      <property name="spec_gaps" value="{}"/>"#, attr(&value))?;
        }
        if report.interrupted {
            let value = "the run was stopped before it finished: unfinished scenarios are left out";
            writeln!(w, r#"      <property name="interrupted" value="{value}"/>"#)?;
        }
        writeln!(w, "    </properties>")?;
        for &index in &suite.cases {
            write_case(&mut w, op, &report.cases[index], info.strict)?;
        }
        if let Some((_, why)) = untested {
            writeln!(
                w,
                r#"    <testcase name="not tested" classname="{}" time="0.000">"#,
                attr(&op.id)
            )?;
            writeln!(w, "      <skipped>{}</skipped>", text(&format!("not tested: {why}")))?;
            writeln!(w, "    </testcase>")?;
        }
        writeln!(w, "    <system-out>{}</system-out>", text(&gaps[suite.operation].join("\n")))?;
        writeln!(w, "    <system-err></system-err>")?;
        writeln!(w, "  </testsuite>")?;
    }
    writeln!(w, "</testsuites>")?;
    w.flush()
}

/// One `<testcase>`: at most one `<failure>` (every failed check in its text) or `<error>`.
fn write_case(w: &mut impl Write, op: &OperationInfo, case: &Case, strict: bool) -> io::Result<()> {
    write!(
        w,
        r#"    <testcase name="{}" classname="{}" time="{}""#,
        attr(&case.label),
        attr(&op.id),
        seconds(case.elapsed)
    )?;
    let curl: Vec<&str> = case.steps.iter().map(|s| s.reproduce.as_str()).collect();
    let curl = curl.join("\nreproduce: ");
    // A flaky case fails the run (and its suite) only with --strict.
    let shown = match case.outcome {
        Outcome::Flaky if strict => Outcome::Failed,
        other => other,
    };
    match shown {
        Outcome::Error => {
            let message = case.error().map(|e| e.message.as_str()).unwrap_or_default();
            writeln!(w, ">")?;
            writeln!(
                w,
                r#"      <error type="transport" message="{}">{}</error>"#,
                attr(message),
                text(&format!("{message}\nreproduce: {curl}"))
            )?;
        }
        Outcome::Failed => {
            writeln!(w, ">")?;
            let failures: Vec<&crate::checks::Failure> = case.failures().collect();
            let mut names: Vec<&str> = failures.iter().map(|f| f.check).collect();
            let mut message = match (failures.first(), case.error()) {
                (Some(f), _) => format!("{}: {}", f.check, f.title),
                (None, Some(e)) => format!("{}: {}", crate::http::TRANSPORT, e.message),
                (None, None) => String::new(),
            };
            if case.outcome == Outcome::Flaky {
                names.insert(0, "flaky");
                message = format!("flaky (it did not fail again when sent alone): {message}");
            }
            let mut body = String::new();
            for f in &failures {
                let code = crate::checks::rule(f.check).map_or("", |r| r.code);
                body.push_str(&format!(
                    "{} [{code}]: {}\n  expected: {}\n",
                    f.check, f.title, f.expected
                ));
                for line in &f.details {
                    body.push_str(&format!("  {line}\n"));
                }
            }
            if let Some(status) = case.status() {
                body.push_str(&format!("status: {status}\n"));
            }
            if let Some(excerpt) = case.steps.iter().find_map(|s| s.excerpt.as_ref()) {
                body.push_str(&format!("body: {excerpt}\n"));
            }
            body.push_str(&format!("reproduce: {curl}"));
            writeln!(
                w,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                attr(&names.join(",")),
                attr(&message),
                text(&body)
            )?;
        }
        Outcome::Known => {
            // Known failures (baseline): skipped, with text only (JUnit 5's schema allows
            // no attribute on <skipped>).
            let lines: Vec<String> = case
                .known
                .iter()
                .map(|k| {
                    format!("known failure (baseline): {}: {} ({})", k.check, k.title, k.reason)
                })
                .collect();
            writeln!(w, ">")?;
            writeln!(w, "      <skipped>{}</skipped>", text(&lines.join("\n")))?;
        }
        // A spec gap is no failure of the server: the case passed, and its suite's
        // <system-out> says what the spec lacks (no XSD allows more inside a testcase).
        Outcome::Passed | Outcome::Gap | Outcome::Flaky => return writeln!(w, "/>"),
    }
    writeln!(w, "    </testcase>")
}

/// Seconds with three decimals (the xUnit schema allows no more).
fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty() && !h.contains(char::is_whitespace))
        .unwrap_or_else(|| "localhost".into())
}

/// Escapes text content; characters XML 1.0 cannot hold become U+FFFD.
fn text(s: &str) -> String {
    crate::support::text::escape_markup(s, false)
}

/// Escapes an attribute value (quotes too; new lines and tabs kept as character references).
fn attr(s: &str) -> String {
    crate::support::text::escape_markup(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(attr("a\"<b>&\0\n"), "a&quot;&lt;b&gt;&amp;\u{FFFD}&#10;");
        assert_eq!(seconds(Duration::from_micros(1_234_567)), "1.235");
    }
}
