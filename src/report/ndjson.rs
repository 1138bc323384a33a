//! The NDJSON event stream: one JSON object per line as the run goes — `started` (the run's
//! facts and operations), `scenario` (each case as it finishes), `done` (everything else of
//! the JSON report: verdict, counts, groups, coverage). The lines together hold what the
//! JSON report holds; `schema/events.schema.json` describes each.

use std::io;

use serde_json::{Value, json};

use super::json::{VERSION, case, header, summary};
use super::{Case, RunReport};

/// Writes events to `w` as they come. Each line is written whole.
pub struct Events<W: io::Write> {
    out: W,
    last_flush: std::time::Instant,
}

impl<W: io::Write> Events<W> {
    /// The `started` event, from a report that holds the run's facts and operations (its
    /// cases are not read), and the number of scenarios planned.
    pub fn start(mut out: W, before: &RunReport, scenarios: usize) -> io::Result<Self> {
        let mut event = header(before);
        if let Value::Object(map) = &mut event {
            map.insert("event".into(), "started".into());
            map.insert("scenarios".into(), scenarios.into());
        }
        line(&mut out, &event)?;
        out.flush()?;
        Ok(Events { out, last_flush: std::time::Instant::now() })
    }

    /// A `scenario` event: the case at `index` of the plan finished. `report` names the
    /// operations.
    pub fn scenario(&mut self, report: &RunReport, index: usize, c: &Case) -> io::Result<()> {
        let event = json!({"version": VERSION, "event": "scenario", "index": index, "case": case(report, c)});
        line(&mut self.out, &event)?;
        // Readers following the file see progress without a write per line.
        if self.last_flush.elapsed() >= std::time::Duration::from_millis(200) {
            self.out.flush()?;
            self.last_flush = std::time::Instant::now();
        }
        Ok(())
    }

    /// The `done` event: everything of the finished report but its cases.
    pub fn done(mut self, report: &RunReport) -> io::Result<W> {
        let mut event = summary(report);
        if let Value::Object(map) = &mut event {
            map.insert("version".into(), VERSION.into());
            map.insert("event".into(), "done".into());
        }
        line(&mut self.out, &event)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn line(out: &mut impl io::Write, event: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, event)?;
    out.write_all(b"\n")
}

/// Writes a finished report as its whole event stream (for `gauntlet fuzz`, which does not
/// stream).
pub fn write_ndjson(w: impl io::Write, report: &RunReport) -> io::Result<()> {
    let mut events = Events::start(w, report, report.cases.len())?;
    for (index, c) in report.cases.iter().enumerate() {
        events.scenario(report, index, c)?;
    }
    events.done(report)?;
    Ok(())
}
