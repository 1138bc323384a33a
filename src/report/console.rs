//! The console report, read from the [`RunReport`]: a header, per-operation counts, each distinct failure once (with a `curl` line to reproduce it) and
//! a summary.
//!
//! Colour goes through `anstream`, which drops it for `NO_COLOR` and for output that is not a
//! terminal. Progress is [`super::ProgressDisplay`]'s.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::model::{Case, Group, RunReport};
use crate::runner::MAX_RETRIES;
use crate::support::text::escape_controls as esc;

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// Writes the console report.
pub struct Console<W: anstream::stream::RawStream> {
    out: anstream::AutoStream<W>,
}

impl Console<io::Stdout> {
    /// A console on standard output.
    pub fn stdout() -> Self {
        Console { out: anstream::AutoStream::auto(io::stdout()) }
    }
}

impl<W: anstream::stream::RawStream + anstream::stream::AsLockedWrite> Console<W> {
    /// A console writing to `w` (colour only if `w` is a terminal and `NO_COLOR` is unset).
    pub fn new(w: W) -> Self {
        Console { out: anstream::AutoStream::auto(w) }
    }

    /// The first line: what is tested, against what.
    pub fn header(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{BOLD}gauntlet{BOLD:#} {}", esc(line))
    }

    /// A note (warning) line.
    pub fn note(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{YELLOW}note:{YELLOW:#} {}", esc(line))
    }

    /// Per-operation counts, each distinct failure, the known failures, the summary line,
    /// and what the baseline says beyond them.
    pub fn report(&mut self, report: &RunReport, junit: Option<&str>) -> io::Result<()> {
        let out = &mut self.out;
        for suite in report.suites.iter().filter(|s| s.counts.total > 0) {
            let op = &report.operations[suite.operation];
            let (total, failed) = (suite.counts.total, suite.counts.failed + suite.counts.errors);
            let (mark, style) = if failed == 0 { ("✔", GREEN) } else { ("✘", RED) };
            writeln!(
                out,
                "  {style}{mark}{style:#} {:<40} {DIM}{}{DIM:#}  {total} scenarios, {failed} failed",
                esc(&op.id),
                esc(&op.title)
            )?;
        }
        let (gaps, failures): (Vec<_>, Vec<_>) =
            report.groups.iter().partition(|g| g.check == crate::checks::SPEC_GAP);
        let (flaky, failures): (Vec<_>, Vec<_>) = failures.into_iter().partition(|g| g.flaky);
        if !failures.is_empty() {
            writeln!(out)?;
            writeln!(out, "{BOLD}Failures{BOLD:#} ({} distinct)", failures.len())?;
        }
        write_groups(out, report, &failures)?;
        if !flaky.is_empty() {
            writeln!(out)?;
            let fail = if report.info.strict {
                "they fail the run (--strict)"
            } else {
                "they do not fail the run unless --strict"
            };
            writeln!(
                out,
                "{BOLD}Flaky{BOLD:#} ({} distinct; each failed in the run and passed when sent again alone; {fail})",
                flaky.len()
            )?;
        }
        write_groups(out, report, &flaky)?;
        if !gaps.is_empty() {
            writeln!(out)?;
            let fail = if report.info.strict {
                "they fail the run (--strict)"
            } else {
                "the server was right; they do not fail the run unless --strict"
            };
            writeln!(out, "{BOLD}Spec gaps{BOLD:#} ({}; {fail})", gaps.len())?;
            for group in gaps {
                let case = &report.cases[group.cases[0]];
                writeln!(
                    out,
                    "  {YELLOW}~{YELLOW:#} {} · {} {DIM}({} scenarios, e.g. {}){DIM:#}  {DIM}GA110{DIM:#}",
                    esc(&report.operations[case.operation].id),
                    esc(&group.title),
                    group.cases.len(),
                    esc(&case.label)
                )?;
            }
        }
        if !report.untested.is_empty() {
            writeln!(out)?;
            writeln!(out, "{BOLD}Not tested{BOLD:#} ({} operations)", report.untested.len())?;
            for (op, why) in &report.untested {
                writeln!(
                    out,
                    "  {YELLOW}-{YELLOW:#} {}: {}",
                    esc(&report.operations[*op].id),
                    esc(why)
                )?;
            }
        }
        let known: Vec<&Case> = report.cases.iter().filter(|c| !c.known.is_empty()).collect();
        if !known.is_empty() {
            writeln!(out)?;
            writeln!(out, "{BOLD}Known failures{BOLD:#} (baseline; they do not fail the run)")?;
            let mut shown = 0;
            for case in &known {
                for k in &case.known {
                    shown += 1;
                    if shown <= 20 {
                        writeln!(
                            out,
                            "  {YELLOW}~{YELLOW:#} {} · {} · {}: {} {DIM}({}){DIM:#}",
                            k.check,
                            esc(&report.operations[case.operation].id),
                            esc(&case.label),
                            esc(&k.title),
                            esc(&k.reason)
                        )?;
                    }
                }
            }
            if shown > 20 {
                writeln!(out, "  {DIM}... and {} more{DIM:#}", shown - 20)?;
            }
        }
        let c = report.counts;
        writeln!(out)?;
        let (style, verdict) = if report.interrupted {
            (YELLOW, "INTERRUPTED")
        } else if report.violated() {
            (RED, "FAIL")
        } else {
            (GREEN, "PASS")
        };
        write!(
            out,
            "{style}{verdict}{style:#} {} scenarios: {} passed, {} failed, {} errors",
            c.total, c.passed, c.failed, c.errors
        )?;
        if c.known > 0 {
            write!(out, ", {} known", c.known)?;
        }
        if c.gaps > 0 {
            write!(out, ", {} with spec gaps", c.gaps)?;
        }
        if c.flaky > 0 {
            write!(out, ", {} flaky", c.flaky)?;
        }
        write!(out, " in {:.2}s ({:.0} req/s", report.elapsed.as_secs_f64(), report.rate())?;
        if let Some(l) = report.latency {
            write!(out, ", latency p50 {:.2}ms p99 {:.2}ms", l.p50, l.p99)?;
        }
        write!(out, ") · seed {}", report.seed)?;
        match junit {
            Some(path) => writeln!(out, " · JUnit: {path}")?,
            None => writeln!(out)?,
        }
        if let Some(cov) = &report.coverage {
            let pct = |r: super::Ratio| format!("{}/{} ({:.0}%)", r.covered, r.total, r.percent());
            writeln!(
                out,
                "{DIM}coverage:{DIM:#} operations {} · statuses {} · parameters {} valid, {} invalid · enum values {}",
                pct(cov.operations_total),
                pct(cov.statuses),
                pct(cov.parameters),
                pct(cov.invalid_parameters),
                pct(cov.enums)
            )?;
        }
        for short in &report.below {
            writeln!(
                out,
                "{RED}coverage below --min-coverage:{RED:#} {} {:.1}% < {}%",
                short.measure, short.actual, short.minimum
            )?;
        }
        if let Some((at, counts)) = &report.logins {
            writeln!(
                out,
                "{DIM}token login:{DIM:#} {at}: {} token{} got, {} after a 401",
                counts.obtained,
                if counts.obtained == 1 { "" } else { "s" },
                counts.after_401
            )?;
        }
        if report.reused > 0 {
            writeln!(
                out,
                "{DIM}value reuse:{DIM:#} {} reads sent after the plan with ids the answers gave (reuse/...)",
                report.reused
            )?;
        }
        if let Some(c) = &report.cleaned {
            let line = match c.kept {
                true => format!(
                    "{} resources created are kept (--no-cleanup, or the run was interrupted)",
                    c.created
                ),
                false => format!(
                    "{} resources created: {} deleted, {} already gone, {} left",
                    c.created, c.removed, c.gone, c.left
                ),
            };
            writeln!(out, "{DIM}cleanup:{DIM:#} {line}")?;
        }
        if report.budget_cut > 0 {
            writeln!(
                out,
                "{YELLOW}note:{YELLOW:#} --max-time cut {} scenarios: they were not sent (operations took turns, so each got its share first)",
                report.budget_cut
            )?;
        }
        let (retried, gave_up) = report.retried;
        if retried > 0 {
            writeln!(
                out,
                "{YELLOW}note:{YELLOW:#} {retried} requests were retried after 429/503 with Retry-After; {gave_up} still got 429/503 after {MAX_RETRIES} retries",
            )?;
        }
        for e in &report.fixed {
            writeln!(
                out,
                "{GREEN}fixed:{GREEN:#} {} · {} · {} passes now: remove it from the baseline",
                e.check, e.operation, e.scenario
            )?;
        }
        for e in &report.expired {
            writeln!(
                out,
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
    /// The server error's signature, which tells it from others of its check.
    pub signature: Option<&'a str>,
}

/// Each group's first case, as [`write_failure`] shows it.
fn write_groups(out: &mut dyn Write, report: &RunReport, groups: &[&Group]) -> io::Result<()> {
    for group in groups {
        let more = group.cases.len() - 1;
        writeln!(out)?;
        let signature = group.signature.as_deref();
        let shown = Shown { check: &group.check, title: &group.title, more, signature };
        write_failure(out, report, &report.cases[group.cases[0]], &shown)?;
    }
    Ok(())
}

/// Writes one failure of `case` as `gauntlet run` shows it: the check, operation and
/// scenario, what was expected and what came, the input, a body excerpt, and a `curl` line.
/// Styled; `anstream` drops the styles where they do not belong.
pub fn write_failure(
    out: &mut dyn Write,
    report: &RunReport,
    case: &Case,
    shown: &Shown<'_>,
) -> io::Result<()> {
    let more = match shown.more {
        0 => String::new(),
        n => format!(" (and {n} more scenarios)"),
    };
    let op = &report.operations[case.operation];
    let code = crate::checks::rule(shown.check)
        .map(|r| format!("  {DIM}{}{DIM:#}", r.code))
        .unwrap_or_default();
    writeln!(
        out,
        "{RED}✘ {}{RED:#} · {} · {}{more}{code}",
        shown.check,
        esc(&op.id),
        esc(&case.label)
    )?;
    writeln!(out, "  {}", esc(shown.title))?;
    if let Some(signature) = shown.signature.filter(|s| !s.is_empty()) {
        writeln!(out, "  {DIM}answer:{DIM:#}   {}", esc(signature))?;
    }
    let Some(step) = case.step_showing(shown.check) else { return Ok(()) };
    if case.steps.len() > 1 {
        let n = case.steps.iter().position(|s| std::ptr::eq(s, step)).unwrap_or(0) + 1;
        let of = &report.operations[step.operation];
        writeln!(out, "  {DIM}step:{DIM:#}     {n} of {} ({})", case.steps.len(), esc(&of.id))?;
    }
    if let Some(f) = step.failures.iter().find(|f| f.check == shown.check) {
        let actual = match step.status {
            Some(s) => format!("{s}"),
            None => "no response".into(),
        };
        writeln!(out, "  {DIM}expected:{DIM:#} {}", esc(&f.expected))?;
        writeln!(out, "  {DIM}actual:{DIM:#}   status {actual}")?;
        for line in f.details.iter().take(12) {
            writeln!(out, "    {}", esc(line))?;
        }
    }
    if !step.inputs.is_empty() {
        let inputs: Vec<String> = step.inputs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        writeln!(
            out,
            "  {DIM}input:{DIM:#}    {}",
            esc(&crate::support::text::truncate(&inputs.join(" "), 200))
        )?;
    }
    if let Some(excerpt) = &step.excerpt {
        writeln!(out, "  {DIM}body:{DIM:#}     {}", esc(excerpt))?;
    }
    for (n, s) in case.steps.iter().enumerate() {
        let label = if case.steps.len() > 1 {
            format!("reproduce {}:", n + 1)
        } else {
            "reproduce:".into()
        };
        writeln!(out, "  {DIM}{label}{DIM:#} {}", esc(&s.reproduce))?;
    }
    Ok(())
}

/// Every failure of `case`, as [`write_failure`] shows them, in plain text.
pub fn failure_text(report: &RunReport, case: &Case) -> String {
    let mut out = Vec::new();
    for (check, title, signature) in case.keys() {
        let _ = write_failure(&mut out, report, case, &Shown { check, title, more: 0, signature });
    }
    anstream::adapter::strip_str(&String::from_utf8_lossy(&out)).to_string()
}
