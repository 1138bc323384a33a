//! The console report: a header, a live progress line, per-operation counts, each distinct
//! failure once (with a `curl` line to reproduce it) and a summary.
//!
//! Colour goes through `anstream`, which drops it for `NO_COLOR` and for output that is not a
//! terminal; the progress line is drawn only on a terminal.

use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};

use super::curl_line;
use crate::plan::Plan;
use crate::runner::{Progress, RunResult, ScenarioResult};

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// One distinct failure: the first scenario that showed it and how many more did.
#[derive(Debug, Clone)]
pub struct Group {
    /// Index of the first scenario with it.
    pub first: usize,
    /// The check (or `transport` for a request with no answer).
    pub check: String,
    /// The failure's title.
    pub title: String,
    /// Every scenario with it.
    pub scenarios: Vec<usize>,
}

/// Groups failures by (operation, check, title), in plan order.
pub fn group_failures(plan: &Plan, run: &RunResult) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: std::collections::HashMap<(usize, String, String), usize> =
        std::collections::HashMap::new();
    for (i, (scenario, result)) in plan.scenarios.iter().zip(&run.results).enumerate() {
        let mut keys: Vec<(String, String)> =
            result.failures.iter().map(|f| (f.check.to_owned(), f.title.clone())).collect();
        if let Some(e) = &result.error {
            keys.push(("transport".into(), e.message.clone()));
        }
        for (check, title) in keys {
            let key = (scenario.operation, check.clone(), title.clone());
            match index.get(&key) {
                Some(&g) => groups[g].scenarios.push(i),
                None => {
                    index.insert(key, groups.len());
                    groups.push(Group { first: i, check, title, scenarios: vec![i] });
                }
            }
        }
    }
    groups
}

/// Writes the console report.
pub struct Console<W: anstream::stream::RawStream> {
    out: anstream::AutoStream<W>,
    progress: bool,
}

impl Console<io::Stdout> {
    /// A console on standard output; progress is drawn on standard error when it is a terminal.
    pub fn stdout() -> Self {
        Console {
            out: anstream::AutoStream::auto(io::stdout()),
            progress: io::stderr().is_terminal(),
        }
    }
}

impl<W: anstream::stream::RawStream + anstream::stream::AsLockedWrite> Console<W> {
    /// A console writing to `w` (colour only if `w` is a terminal and `NO_COLOR` is unset;
    /// never a progress line).
    pub fn new(w: W) -> Self {
        Console { out: anstream::AutoStream::auto(w), progress: false }
    }

    /// The first line: what is tested, against what.
    pub fn header(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{BOLD}gauntlet{BOLD:#} {line}")
    }

    /// A note (warning) line.
    pub fn note(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{YELLOW}note:{YELLOW:#} {line}")
    }

    /// Redraws the progress line (terminal only).
    pub fn progress(&mut self, p: Progress) {
        if !self.progress || (!p.done.is_multiple_of(64) && p.done != p.total) {
            return;
        }
        let mut err = anstream::stderr();
        let _ = write!(
            err,
            "\r{DIM}  {}/{} scenarios · {} failing{DIM:#}\x1b[K",
            p.done, p.total, p.failed
        );
        if p.done == p.total {
            let _ = write!(err, "\r\x1b[K");
        }
        let _ = err.flush();
    }

    /// Per-operation counts, each distinct failure, and the summary line.
    pub fn report(
        &mut self,
        plan: &Plan,
        run: &RunResult,
        base_url: &str,
        has_credentials: bool,
        junit: Option<&str>,
    ) -> io::Result<()> {
        let out = &mut self.out;
        for (index, op) in plan.operations.iter().enumerate() {
            let (mut total, mut failed) = (0, 0);
            for (s, r) in plan.scenarios.iter().zip(&run.results) {
                if s.operation == index {
                    total += 1;
                    failed += usize::from(!r.passed());
                }
            }
            if total == 0 {
                continue;
            }
            let (mark, style) = if failed == 0 { ("✔", GREEN) } else { ("✘", RED) };
            writeln!(
                out,
                "  {style}{mark}{style:#} {:<40} {DIM}{}{DIM:#}  {total} scenarios, {failed} failed",
                op.id,
                op.title()
            )?;
        }
        let groups = group_failures(plan, run);
        if !groups.is_empty() {
            writeln!(out)?;
            writeln!(out, "{BOLD}Failures{BOLD:#} ({} distinct)", groups.len())?;
        }
        for group in &groups {
            let more = group.scenarios.len() - 1;
            writeln!(out)?;
            let failure = Shown { check: &group.check, title: &group.title, more };
            write_failure(
                out,
                plan,
                group.first,
                &run.results[group.first],
                &failure,
                base_url,
                has_credentials,
            )?;
        }
        let known: Vec<usize> =
            (0..run.results.len()).filter(|&i| !run.results[i].known.is_empty()).collect();
        if !known.is_empty() {
            writeln!(out)?;
            writeln!(out, "{BOLD}Known failures{BOLD:#} (baseline; they do not fail the run)")?;
            let mut shown = 0;
            for &i in &known {
                let scenario = &plan.scenarios[i];
                for k in &run.results[i].known {
                    shown += 1;
                    if shown <= 20 {
                        writeln!(
                            out,
                            "  {YELLOW}~{YELLOW:#} {} · {} · {}: {} {DIM}({}){DIM:#}",
                            k.check,
                            plan.operations[scenario.operation].id,
                            scenario.label,
                            k.title,
                            k.reason
                        )?;
                    }
                }
            }
            if shown > 20 {
                writeln!(out, "  {DIM}... and {} more{DIM:#}", shown - 20)?;
            }
        }
        let total = plan.scenarios.len();
        let errors = run.results.iter().filter(|r| r.error.is_some()).count();
        let failed =
            run.results.iter().filter(|r| r.error.is_none() && !r.failures.is_empty()).count();
        let known = known.iter().filter(|&&i| run.results[i].passed()).count();
        let secs = run.elapsed.as_secs_f64();
        let rate = if secs > 0.0 { total as f64 / secs } else { 0.0 };
        writeln!(out)?;
        let (style, verdict) = if failed + errors == 0 { (GREEN, "PASS") } else { (RED, "FAIL") };
        write!(
            out,
            "{style}{verdict}{style:#} {total} scenarios: {} passed, {failed} failed, {errors} errors",
            total - failed - errors - known
        )?;
        if known > 0 {
            write!(out, ", {known} known")?;
        }
        write!(out, " in {secs:.2}s ({rate:.0} req/s")?;
        if let Some((p50, p99)) = latency_percentiles(run) {
            write!(out, ", latency p50 {p50:.2}ms p99 {p99:.2}ms")?;
        }
        write!(out, ") · seed {}", plan.seed)?;
        match junit {
            Some(path) => writeln!(out, " · JUnit: {path}")?,
            None => writeln!(out)?,
        }
        let retried = run.results.iter().filter(|r| r.retries > 0).count();
        if retried > 0 {
            let gave_up = run
                .results
                .iter()
                .filter(|r| {
                    r.retries >= crate::runner::MAX_RETRIES && matches!(r.status, Some(429 | 503))
                })
                .count();
            writeln!(
                out,
                "{YELLOW}note:{YELLOW:#} {retried} requests were retried after 429/503 with Retry-After; {gave_up} still got 429/503 after {} retries",
                crate::runner::MAX_RETRIES
            )?;
        }
        Ok(())
    }
}

impl<W: anstream::stream::RawStream + anstream::stream::AsLockedWrite> Console<W> {
    /// What the baseline says beyond the known failures: entries fixed, entries expired.
    pub fn baseline(&mut self, outcome: &crate::baseline::Outcome) -> io::Result<()> {
        for e in &outcome.fixed {
            writeln!(
                self.out,
                "{GREEN}fixed:{GREEN:#} {} · {} · {} passes now: remove it from the baseline",
                e.check, e.operation, e.scenario
            )?;
        }
        for e in &outcome.expired {
            writeln!(
                self.out,
                "{RED}expired:{RED:#} the baseline entry for {} · {} · {} expired on {}: it fails the run again",
                e.check,
                e.operation,
                e.scenario,
                e.expires.as_deref().unwrap_or("?")
            )?;
        }
        Ok(())
    }
}

/// One failure to show: which check, its title, and how many more scenarios showed it.
pub struct Shown<'a> {
    /// The check (or `transport`).
    pub check: &'a str,
    /// The failure's title (or the transport error).
    pub title: &'a str,
    /// How many other scenarios failed the same way.
    pub more: usize,
}

/// Writes one failure of scenario `index` as `gauntlet run` shows it: the check, operation and
/// scenario, what was expected and what came, the input, a body excerpt, and a `curl` line.
/// Styled; `anstream` drops the styles where they do not belong.
pub fn write_failure(
    out: &mut dyn Write,
    plan: &Plan,
    index: usize,
    result: &ScenarioResult,
    shown: &Shown<'_>,
    base_url: &str,
    has_credentials: bool,
) -> io::Result<()> {
    let scenario = &plan.scenarios[index];
    let op = &plan.operations[scenario.operation];
    let more = match shown.more {
        0 => String::new(),
        n => format!(" (and {n} more scenarios)"),
    };
    writeln!(out, "{RED}✘ {}{RED:#} · {} · {}{more}", shown.check, op.id, scenario.label)?;
    writeln!(out, "  {}", shown.title)?;
    if let Some(f) = result.failures.iter().find(|f| f.check == shown.check) {
        let actual = match result.status {
            Some(s) => format!("{s}"),
            None => "no response".into(),
        };
        writeln!(out, "  {DIM}expected:{DIM:#} {}", f.expected)?;
        writeln!(out, "  {DIM}actual:{DIM:#}   status {actual}")?;
        for line in f.details.iter().take(12) {
            writeln!(out, "    {line}")?;
        }
    }
    let inputs = scenario.inputs(op);
    if !inputs.is_empty() {
        let inputs: Vec<String> = inputs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        writeln!(
            out,
            "  {DIM}input:{DIM:#}    {}",
            crate::schema::truncate(&inputs.join(" "), 200)
        )?;
    }
    if let Some(excerpt) = &result.excerpt {
        writeln!(out, "  {DIM}body:{DIM:#}     {excerpt}")?;
    }
    writeln!(out, "  {DIM}reproduce:{DIM:#} {}", curl_line(base_url, op, scenario, has_credentials))
}

/// Every failure of scenario `index`, as [`write_failure`] shows them, in plain text.
pub fn failure_text(
    plan: &Plan,
    index: usize,
    result: &ScenarioResult,
    base_url: &str,
    has_credentials: bool,
) -> String {
    let mut shown: Vec<Shown<'_>> = result
        .failures
        .iter()
        .map(|f| Shown { check: f.check, title: &f.title, more: 0 })
        .collect();
    if let Some(e) = &result.error {
        shown.push(Shown { check: "transport", title: &e.message, more: 0 });
    }
    let mut out = Vec::new();
    for s in &shown {
        let _ = write_failure(&mut out, plan, index, result, s, base_url, has_credentials);
    }
    anstream::adapter::strip_str(&String::from_utf8_lossy(&out)).to_string()
}

/// The median and 99th percentile of exchange times, in milliseconds.
pub fn latency_percentiles(run: &RunResult) -> Option<(f64, f64)> {
    let mut times: Vec<u64> = run.results.iter().map(|r| r.elapsed.as_micros() as u64).collect();
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    Some((at(0.50), at(0.99)))
}
