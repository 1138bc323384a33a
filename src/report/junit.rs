//! JUnit XML, in the one shape that the strict consumers (Ant's JUnitReport schema, Jenkins
//! xUnit, JUnit 5's legacy schema) all accept: no attributes on `<testsuites>`, a suite per
//! operation with `package`, `id`, `timestamp` and `hostname`, `<properties>` first and
//! `<system-out>`/`<system-err>` last, times with three decimals, at most one `<failure>` or
//! `<error>` per test case.

use std::io::{self, Write};
use std::time::{Duration, SystemTime};

use super::curl_line;
use crate::plan::Plan;
use crate::runner::{RunResult, ScenarioResult};

/// Facts about the run that go into every suite's properties.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The spec file.
    pub spec: String,
    /// The spec's title (the suites' `package`).
    pub title: String,
    /// The target.
    pub base_url: String,
    /// Whether the run had credentials (for `curl` lines).
    pub has_credentials: bool,
    /// When the run started.
    pub started: SystemTime,
}

/// Writes the JUnit report of `run` over `plan`.
pub fn write_junit(
    mut w: impl Write,
    plan: &Plan,
    run: &RunResult,
    info: &RunInfo,
) -> io::Result<()> {
    let timestamp = humantime::format_rfc3339_seconds(info.started).to_string();
    let timestamp = timestamp.trim_end_matches('Z');
    let hostname = hostname();
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, "<testsuites>")?;
    for (index, op) in plan.operations.iter().enumerate() {
        let members: Vec<(usize, &ScenarioResult)> = plan
            .scenarios
            .iter()
            .zip(&run.results)
            .enumerate()
            .filter(|(_, (s, _))| s.operation == index)
            .map(|(i, (_, r))| (i, r))
            .collect();
        let failures =
            members.iter().filter(|(_, r)| r.error.is_none() && !r.failures.is_empty()).count();
        let errors = members.iter().filter(|(_, r)| r.error.is_some()).count();
        let skipped = members.iter().filter(|(_, r)| r.passed() && !r.known.is_empty()).count();
        let time: Duration = members.iter().map(|(_, r)| r.elapsed).sum();
        writeln!(
            w,
            r#"  <testsuite name="{}" package="{}" id="{index}" timestamp="{timestamp}" hostname="{}" tests="{}" failures="{failures}" errors="{errors}" skipped="{skipped}" time="{}">"#,
            attr(&op.id),
            attr(&info.title),
            attr(&hostname),
            members.len(),
            seconds(time),
        )?;
        writeln!(w, "    <properties>")?;
        for (name, value) in [
            ("seed", plan.seed.to_string()),
            ("spec", info.spec.clone()),
            ("base_url", info.base_url.clone()),
            ("operation", op.title()),
        ] {
            writeln!(w, r#"      <property name="{name}" value="{}"/>"#, attr(&value))?;
        }
        writeln!(w, "    </properties>")?;
        for (i, result) in members {
            let scenario = &plan.scenarios[i];
            write!(
                w,
                r#"    <testcase name="{}" classname="{}" time="{}""#,
                attr(&scenario.label),
                attr(&op.id),
                seconds(result.elapsed)
            )?;
            let curl = curl_line(&info.base_url, op, scenario, info.has_credentials);
            if let Some(error) = &result.error {
                writeln!(w, ">")?;
                writeln!(
                    w,
                    r#"      <error type="transport" message="{}">{}</error>"#,
                    attr(&error.message),
                    text(&format!("{}\nreproduce: {curl}", error.message))
                )?;
                writeln!(w, "    </testcase>")?;
            } else if let Some(first) = result.failures.first() {
                writeln!(w, ">")?;
                let names: Vec<&str> = result.failures.iter().map(|f| f.check).collect();
                let message = format!("{}: {}", first.check, first.title);
                let mut body = String::new();
                for f in &result.failures {
                    body.push_str(&format!(
                        "{}: {}\n  expected: {}\n",
                        f.check, f.title, f.expected
                    ));
                    for line in &f.details {
                        body.push_str(&format!("  {line}\n"));
                    }
                }
                if let Some(status) = result.status {
                    body.push_str(&format!("status: {status}\n"));
                }
                if let Some(excerpt) = &result.excerpt {
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
                writeln!(w, "    </testcase>")?;
            } else if !result.known.is_empty() {
                // Known failures (baseline): skipped, with text only (JUnit 5's schema allows
                // no attribute on <skipped>).
                let lines: Vec<String> = result
                    .known
                    .iter()
                    .map(|k| {
                        format!("known failure (baseline): {}: {} ({})", k.check, k.title, k.reason)
                    })
                    .collect();
                writeln!(w, ">")?;
                writeln!(w, "      <skipped>{}</skipped>", text(&lines.join("\n")))?;
                writeln!(w, "    </testcase>")?;
            } else {
                writeln!(w, "/>")?;
            }
        }
        writeln!(w, "    <system-out></system-out>")?;
        writeln!(w, "    <system-err></system-err>")?;
        writeln!(w, "  </testsuite>")?;
    }
    writeln!(w, "</testsuites>")?;
    w.flush()
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
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (quotes too; new lines kept as character references).
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
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
