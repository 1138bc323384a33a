//! The HTML report: one self-contained page (styles, script and SVG charts inline; nothing
//! fetched) that a person reads offline or as a CI artifact — the verdict, per operation a
//! status histogram and latency bars, failures grouped by root cause with what was expected
//! and a `curl` line, spec gaps apart, what was skipped and why, and the coverage tables.

use std::fmt::Write as _;
use std::io;

use super::json::verdict;
use super::{Group, RunReport};
use crate::checks::Severity;

/// Writes `report` as one HTML page.
pub fn write_html(mut w: impl io::Write, report: &RunReport) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    page_into(&mut page, report).map_err(io::Error::other)?;
    w.write_all(page.as_bytes())?;
    w.flush()
}

/// HTML-escapes text (safe in text and in double-quoted attributes).
fn esc(text: &str) -> String {
    crate::support::text::escape_markup(text, true)
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{padding:20px 28px;background:#1d2330;color:#fff}header h1{margin:0 0 4px;font-size:20px}
main{padding:12px 28px 40px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:16px 0;padding:12px 16px}
h2{font-size:16px;margin:4px 0 10px}.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600}
.pass{background:#1f883d}.fail{background:#cf222e}.interrupted,.empty{background:#9a6700}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #dde1e7;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:20px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-top:1px solid #eef0f3;vertical-align:top}
th{font-weight:600;color:#57606a}pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:6px 0}
.code{font-family:ui-monospace,monospace;font-size:12px;color:#57606a}.failure{border-left:4px solid #cf222e;padding:4px 12px;margin:10px 0}
.failure.warning{border-color:#9a6700}.muted{color:#57606a}.yes{color:#1f883d}.no{color:#cf222e}
input[type=search]{padding:4px 8px;width:260px;margin-bottom:8px}";

/// Filters the operations table by what is typed; nothing else runs.
const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){
var box=document.getElementById('filter');if(!box)return;
box.addEventListener('input',function(){var q=box.value.toLowerCase();
document.querySelectorAll('#operations tbody tr').forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});});";

fn page_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let info = &report.info;
    let v = verdict(report);
    let c = &report.counts;
    writeln!(out, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")?;
    writeln!(
        out,
        "<title>gauntlet: {} — {}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>",
        esc(&info.title),
        v.to_uppercase()
    )?;
    writeln!(
        out,
        "<header><h1>{}</h1><span class=\"verdict {v}\" id=\"verdict\">{}</span> <span>{} against {} · seed {} · started {}</span></header><main>",
        esc(&info.title),
        v.to_uppercase(),
        esc(&info.spec),
        esc(&info.base_url),
        report.seed,
        humantime::format_rfc3339_seconds(info.started)
    )?;
    // Summary.
    writeln!(out, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">")?;
    for (label, n) in [
        ("scenarios", c.total),
        ("passed", c.passed),
        ("failed", c.failed),
        ("errors", c.errors),
        ("known", c.known),
        ("spec gaps", c.gaps),
        ("flaky", c.flaky),
    ] {
        writeln!(out, "<div class=\"card\"><b>{n}</b>{label}</div>")?;
    }
    writeln!(
        out,
        "<div class=\"card\"><b>{:.2} s</b>time</div><div class=\"card\"><b>{:.0}</b>requests/s</div>",
        report.elapsed.as_secs_f64(),
        report.rate()
    )?;
    if let Some(l) = report.latency {
        writeln!(
            out,
            "<div class=\"card\"><b>{:.1} ms</b>p50 · p90 {:.1} · p99 {:.1}</div>",
            l.p50, l.p90, l.p99
        )?;
    }
    writeln!(out, "</div>")?;
    if report.interrupted {
        writeln!(
            out,
            "<p class=\"no\">Interrupted: the report holds the scenarios that finished.</p>"
        )?;
    }
    writeln!(out, "</section>")?;
    failures_into(out, report)?;
    operations_into(out, report)?;
    skipped_into(out, report)?;
    baseline_into(out, report)?;
    coverage_into(out, report)?;
    writeln!(
        out,
        "<p class=\"muted\">gauntlet {} · credentials are never shown: curl lines read them from $GAUNTLET_* variables.</p></main></body></html>",
        env!("CARGO_PKG_VERSION")
    )
}

fn severity(check: &str) -> Severity {
    crate::checks::rule(check).map_or(Severity::Error, |r| r.severity)
}

fn failures_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let (errors, warnings): (Vec<&Group>, Vec<&Group>) =
        report.groups.iter().partition(|g| severity(&g.check) == Severity::Error && !g.flaky);
    writeln!(out, "<section id=\"failures\"><h2>Failures by root cause ({})</h2>", errors.len())?;
    if errors.is_empty() {
        writeln!(out, "<p class=\"yes\">None.</p>")?;
    }
    for g in errors {
        group_into(out, report, g, "")?;
    }
    writeln!(
        out,
        "</section><section id=\"gaps\"><h2>Spec gaps, warnings and flaky failures ({})</h2>",
        warnings.len()
    )?;
    writeln!(
        out,
        "<p class=\"muted\">Spec gaps: the server rejected rightly, with a status the spec does not document (they fail the run only with --strict). Warnings: valid requests the server rejected, often because the spec promises more than the server does. Flaky: failed in the run, passed when sent again alone (they fail the run only with --strict).</p>"
    )?;
    for g in warnings {
        group_into(out, report, g, if g.flaky { " warning flaky" } else { " warning" })?;
    }
    writeln!(out, "</section>")
}

fn group_into(out: &mut String, report: &RunReport, g: &Group, class: &str) -> std::fmt::Result {
    let first = &report.cases[g.cases[0]];
    let op = &report.operations[first.operation];
    let code = crate::checks::rule(&g.check).map_or("GA000", |r| r.code);
    writeln!(
        out,
        "<div class=\"failure{class}\"><div>{}<span class=\"code\">{code} {}</span> · <b>{}</b> · {}</div><div>{}</div>",
        if g.flaky { "<b>flaky</b> · " } else { "" },
        esc(&g.check),
        esc(&op.id),
        esc(&op.title),
        esc(&g.title)
    )?;
    if let Some(signature) = g.signature.as_deref().filter(|s| !s.is_empty()) {
        writeln!(out, "<div>Answer: <code>{}</code></div>", esc(signature))?;
    }
    writeln!(
        out,
        "<div class=\"muted\">{} scenarios, first <code>{}</code></div>",
        g.cases.len(),
        esc(&first.label)
    )?;
    if let Some(step) = first.step_showing(&g.check) {
        if let Some(f) = step.failures.iter().chain(&step.gaps).find(|f| f.check == g.check) {
            writeln!(
                out,
                "<div>Expected: {} · actual: status {}</div>",
                esc(&f.expected),
                step.status.map_or("none".into(), |s| s.to_string())
            )?;
            for d in f.details.iter().take(10) {
                writeln!(out, "<div class=\"muted\">{}</div>", esc(d))?;
            }
        }
        if let Some(e) = &step.error {
            writeln!(out, "<div>No answer: {}</div>", esc(&e.message))?;
        }
        if let Some(x) = step.excerpt.as_ref().filter(|x| !x.is_empty()) {
            writeln!(out, "<pre class=\"excerpt\">{}</pre>", esc(x))?;
        }
        if !step.reproduce.is_empty() {
            writeln!(out, "<pre class=\"curl\">{}</pre>", esc(&step.reproduce))?;
        }
    }
    writeln!(out, "</div>")
}

/// A status histogram as an SVG bar chart.
fn histogram(statuses: &[(u16, usize)]) -> String {
    let most = statuses.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let (bar, gap, height) = (18, 6, 40);
    let width = statuses.len().max(1) * (bar + gap);
    let mut svg = format!(
        "<svg class=\"histogram\" width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"status histogram\">",
        height + 12
    );
    for (i, (status, n)) in statuses.iter().enumerate() {
        let h = (*n * height).div_ceil(most).max(1);
        let color = match status / 100 {
            2 | 3 => "#1f883d",
            4 => "#9a6700",
            _ => "#cf222e",
        };
        let x = i * (bar + gap);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\" fill=\"{color}\"><title>{status}: {n}</title></rect><text x=\"{x}\" y=\"{}\" font-size=\"8\">{status}</text>",
            height - h,
            height + 10
        );
    }
    svg.push_str("</svg>");
    svg
}

/// p50/p90/p99 as three bars scaled to `max` milliseconds.
fn latency_bars(l: &super::Latency, max: f64) -> String {
    let scale = |v: f64| if max > 0.0 { (v / max * 150.0).max(1.0) } else { 1.0 };
    let mut svg = String::from(
        "<svg class=\"latency\" width=\"220\" height=\"36\" role=\"img\" aria-label=\"latency\">",
    );
    for (i, (name, v)) in [("p50", l.p50), ("p90", l.p90), ("p99", l.p99)].into_iter().enumerate() {
        let y = i * 12;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"9\">{name}</text><rect x=\"24\" y=\"{y}\" width=\"{:.1}\" height=\"9\" fill=\"#0969da\"><title>{name} {v:.1} ms</title></rect><text x=\"{:.1}\" y=\"{}\" font-size=\"9\">{v:.1}</text>",
            y + 8,
            scale(v),
            scale(v) + 28.0,
            y + 8
        );
    }
    svg.push_str("</svg>");
    svg
}

fn operations_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let max = report.suites.iter().filter_map(|s| s.latency).map(|l| l.p99).fold(0.0, f64::max);
    writeln!(
        out,
        "<section><h2>Operations</h2><input type=\"search\" id=\"filter\" placeholder=\"filter operations\">"
    )?;
    writeln!(
        out,
        "<table id=\"operations\"><thead><tr><th>operation</th><th>scenarios</th><th>failed</th><th>statuses</th><th>latency (ms)</th></tr></thead><tbody>"
    )?;
    for s in report.suites.iter().filter(|s| s.counts.total > 0) {
        let op = &report.operations[s.operation];
        let failed = s.counts.failed + s.counts.errors;
        writeln!(
            out,
            "<tr><td><b>{}</b><div class=\"muted\">{}</div></td><td>{}</td><td class=\"{}\">{failed}</td><td>{}</td><td>{}</td></tr>",
            esc(&op.id),
            esc(&op.title),
            s.counts.total,
            if failed == 0 { "yes" } else { "no" },
            histogram(&s.statuses),
            s.latency.map(|l| latency_bars(&l, max)).unwrap_or_default()
        )?;
    }
    writeln!(out, "</tbody></table></section>")
}

fn skipped_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let skipped: Vec<(&str, &str)> = report
        .coverage
        .iter()
        .flat_map(|c| &c.checks)
        .filter_map(|k| Some((k.name, k.skipped.as_deref()?)))
        .collect();
    if report.notes.is_empty() && skipped.is_empty() && report.untested.is_empty() {
        return Ok(());
    }
    writeln!(out, "<section id=\"skipped\"><h2>Skipped</h2><ul>")?;
    for (op, why) in &report.untested {
        let id = &report.operations[*op].id;
        writeln!(out, "<li><b>{}</b> not tested: {}</li>", esc(id), esc(why))?;
    }
    for note in &report.notes {
        writeln!(out, "<li>{}</li>", esc(note))?;
    }
    for (name, why) in skipped {
        writeln!(out, "<li><code>{}</code> did not run: {}</li>", esc(name), esc(why))?;
    }
    writeln!(out, "</ul></section>")
}

fn baseline_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let known: Vec<_> = report.cases.iter().filter(|c| !c.known.is_empty()).collect();
    if known.is_empty() && report.fixed.is_empty() && report.expired.is_empty() {
        return Ok(());
    }
    writeln!(out, "<section id=\"baseline\"><h2>Baseline</h2><ul>")?;
    for c in known.iter().take(200) {
        for k in &c.known {
            writeln!(
                out,
                "<li>known: <b>{}</b> {} <code>{}</code>: {} — {}</li>",
                esc(&report.operations[c.operation].id),
                esc(&k.check),
                esc(&c.label),
                esc(&k.title),
                esc(&k.reason)
            )?;
        }
    }
    for e in &report.fixed {
        writeln!(
            out,
            "<li class=\"yes\">fixed: {} {} <code>{}</code> passes now</li>",
            esc(&e.operation),
            esc(&e.check),
            esc(&e.scenario)
        )?;
    }
    for e in &report.expired {
        writeln!(
            out,
            "<li class=\"no\">expired: {} {} <code>{}</code> ({})</li>",
            esc(&e.operation),
            esc(&e.check),
            esc(&e.scenario),
            esc(e.expires.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(out, "</ul></section>")
}

fn mark(b: bool) -> &'static str {
    if b { "<span class=\"yes\">✔</span>" } else { "<span class=\"no\">✘</span>" }
}

fn coverage_into(out: &mut String, report: &RunReport) -> std::fmt::Result {
    let Some(cov) = &report.coverage else { return Ok(()) };
    writeln!(out, "<section id=\"coverage\"><h2>Coverage</h2><div class=\"cards\">")?;
    for (name, r) in [
        ("operations", cov.operations_total),
        ("statuses", cov.statuses),
        ("parameters valid", cov.parameters),
        ("parameters invalid", cov.invalid_parameters),
        ("enum values", cov.enums),
    ] {
        writeln!(
            out,
            "<div class=\"card\"><b>{:.0}%</b>{name} ({}/{})</div>",
            r.percent(),
            r.covered,
            r.total
        )?;
    }
    writeln!(out, "</div>")?;
    for short in &report.below {
        writeln!(
            out,
            "<p class=\"no\">coverage of {} is {:.1}%, below the minimum {}%</p>",
            esc(&short.measure),
            short.actual,
            short.minimum
        )?;
    }
    writeln!(
        out,
        "<table><thead><tr><th>operation</th><th>statuses (seen ✔)</th><th>parameters (valid / invalid)</th><th>media sent → received</th></tr></thead><tbody>"
    )?;
    for (o, info) in cov.operations.iter().zip(&report.operations) {
        let statuses: Vec<String> =
            o.statuses.iter().map(|(s, seen)| format!("{} {}", esc(s), mark(*seen))).collect();
        let mut statuses = statuses.join(" ");
        if !o.undocumented.is_empty() {
            let codes: Vec<String> = o.undocumented.iter().map(u16::to_string).collect();
            let _ =
                write!(statuses, " <span class=\"no\">undocumented: {}</span>", codes.join(", "));
        }
        let params: Vec<String> = o
            .parameters
            .iter()
            .map(|(n, valid, invalid)| format!("{} {}/{}", esc(n), mark(*valid), mark(*invalid)))
            .collect();
        writeln!(
            out,
            "<tr><td>{}{}</td><td>{statuses}</td><td>{}</td><td>{} → {}</td></tr>",
            esc(&info.id),
            if o.tested { "" } else { " <span class=\"no\">(not tested)</span>" },
            params.join("<br>"),
            esc(&o.sent.join(", ")),
            esc(&o.received.join(", "))
        )?;
    }
    writeln!(out, "</tbody></table><h2>Checks</h2><ul>")?;
    for k in &cov.checks {
        let code = crate::checks::rule(k.name).map_or("", |r| r.code);
        match &k.skipped {
            None => {
                writeln!(out, "<li>{} <code>{}</code> {code} ran</li>", mark(true), esc(k.name))?
            }
            Some(why) => writeln!(
                out,
                "<li>{} <code>{}</code> {code} skipped: {}</li>",
                mark(false),
                esc(k.name),
                esc(why)
            )?,
        }
    }
    writeln!(out, "</ul></section>")
}
