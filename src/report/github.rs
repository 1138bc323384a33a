//! GitHub Actions: a short Markdown summary for `GITHUB_STEP_SUMMARY`, and `::error`
//! workflow commands (annotations on the spec's lines) for `--report github`.

use std::io;

use super::RunReport;
use super::json::verdict;

/// Writes the step summary: the verdict line, one row per operation that failed, coverage.
pub fn write_summary(mut w: impl io::Write, report: &RunReport) -> io::Result<()> {
    let c = &report.counts;
    let mark = match verdict(report) {
        "pass" => "✅ PASS",
        "fail" => "❌ FAIL",
        "interrupted" => "⚠️ INTERRUPTED",
        _ => "⚠️ NOTHING TESTED",
    };
    writeln!(w, "### gauntlet: {mark}\n")?;
    writeln!(
        w,
        "{} scenarios · {} passed · {} failed · {} errors · {} known · {} with spec gaps · {} flaky · seed {} · {} against {}\n",
        c.total,
        c.passed,
        c.failed,
        c.errors,
        c.known,
        c.gaps,
        c.flaky,
        report.seed,
        cell(&report.info.spec),
        cell(&report.info.base_url)
    )?;
    let failing: Vec<_> =
        report.suites.iter().filter(|s| s.counts.failed + s.counts.errors > 0).collect();
    if !failing.is_empty() {
        writeln!(
            w,
            "| operation | scenarios | failed | first failure |\n| --- | ---: | ---: | --- |"
        )?;
        for suite in failing.iter().take(50) {
            let op = &report.operations[suite.operation];
            let first = report
                .groups
                .iter()
                .find(|g| report.cases[g.cases[0]].operation == suite.operation);
            let what = first.map(|g| format!("`{}` {}", g.check, g.title)).unwrap_or_default();
            writeln!(
                w,
                "| `{}` | {} | {} | {} |",
                cell(&op.id),
                suite.counts.total,
                suite.counts.failed + suite.counts.errors,
                cell(&what)
            )?;
        }
        if failing.len() > 50 {
            writeln!(w, "\n…and {} more operations", failing.len() - 50)?;
        }
    }
    if let Some(cov) = &report.coverage {
        writeln!(
            w,
            "\nCoverage: operations {:.0}% · statuses {:.0}% · parameters {:.0}% valid, {:.0}% invalid",
            cov.operations_total.percent(),
            cov.statuses.percent(),
            cov.parameters.percent(),
            cov.invalid_parameters.percent()
        )?;
    }
    for short in &report.below {
        writeln!(
            w,
            "\n❌ coverage of {} is {:.1}%, below the minimum {}%",
            short.measure, short.actual, short.minimum
        )?;
    }
    w.flush()
}

/// Writes one `::error` (or `::warning`) annotation per root cause, on the operation's line.
pub fn write_annotations(mut w: impl io::Write, report: &RunReport) -> io::Result<()> {
    for group in &report.groups {
        let first = &report.cases[group.cases[0]];
        let op = &report.operations[first.operation];
        let rule = crate::checks::rule(&group.check);
        let (code, level) = rule.map_or(("GA000", "error"), |r| (r.code, r.severity.as_str()));
        let flaky = group.flaky && !report.info.strict;
        let command = if level == "error" && !flaky { "error" } else { "warning" };
        let mut place = String::new();
        if let Some(at) = &op.location {
            place = format!(
                "file={},line={},col={},",
                property(&super::relative_path(&at.file)),
                at.line,
                at.column
            );
        }
        let title = property(&format!("{code} {}", group.check));
        let mut message = format!("{}: {} ({} scenarios)", op.id, group.title, group.cases.len());
        if group.flaky {
            message.insert_str(0, "flaky (it did not fail again when sent alone): ");
        }
        if let Some(curl) =
            first.step_showing(&group.check).map(|s| s.reproduce.as_str()).filter(|c| !c.is_empty())
        {
            message.push_str(&format!("\n{curl}"));
        }
        writeln!(w, "::{command} {place}title={title}::{}", data(&message))?;
    }
    w.flush()
}

/// A table cell: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
