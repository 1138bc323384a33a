//! Known failures: a TOML file of failures that do not fail the run while they last.
//!
//! ```toml
//! [[known]]
//! operation = "retrieve-sip-endpoint"
//! check = "negative_data_rejection"
//! scenario = "negative/path.id/urn-uuid"
//! reason = "API-123: urn:uuid: ids are accepted until the router is replaced"
//! expires = "2027-03-31"   # optional: from this day on it fails again
//! ```
//!
//! This module reads and writes the file; the `verdict` module lays it over a run's results. A
//! failure matched by (operation, check, scenario) is known: still shown, not failing. An
//! entry whose scenario ran and no longer fails its check is reported as fixed; an expired
//! entry matches nothing, so its failure fails the run again.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::runner::RunResult;

/// The name under which a request with no answer is listed.
pub use crate::http::TRANSPORT;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    known: Vec<Entry>,
}

/// One known failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The operation's id.
    pub operation: String,
    /// The check that fails (or `transport`).
    pub check: String,
    /// The scenario's label, e.g. `negative/path.id/urn-uuid`.
    pub scenario: String,
    /// Why it is accepted for now.
    pub reason: String,
    /// The first day (`YYYY-MM-DD`) on which it fails the run again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Entry {
    /// Whether it no longer holds on `today` (`YYYY-MM-DD`): from its `expires` day on.
    pub fn expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|d| d <= today)
    }
}

/// A baseline file, read.
#[derive(Debug, Default)]
pub struct Baseline {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its entries, in file order.
    pub entries: Vec<Entry>,
}

/// Today's date as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()[..10].to_owned()
}

impl Baseline {
    /// Reads a baseline; a missing file, bad TOML, an unknown key or a bad date is an error
    /// naming the file (and line, where TOML gives one).
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = crate::support::fs::read_text(path)?;
        let file: File = toml::from_str(&text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            message: crate::support::text::toml_message(&text, &e),
        })?;
        for (i, entry) in file.known.iter().enumerate() {
            if let Some(date) = &entry.expires {
                let valid = date.len() == 10
                    && humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).is_ok();
                if !valid {
                    return Err(Error::Syntax {
                        path: path.to_owned(),
                        message: format!("known[{i}].expires: '{date}' is not a date (YYYY-MM-DD)"),
                    });
                }
            }
        }
        Ok(Baseline { path: path.to_owned(), entries: file.known })
    }

    /// The entries of each (operation, scenario).
    pub fn index(&self) -> HashMap<(&str, &str), Vec<usize>> {
        let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            index.entry((e.operation.as_str(), e.scenario.as_str())).or_default().push(i);
        }
        index
    }

    /// Writes the failures of `run` as a baseline to `path`, and returns it. Reasons and
    /// expiry dates of entries that still fail are kept from `self`; entries for scenarios
    /// that did not run (another partition, another operation) are kept as they were.
    pub fn update(&self, path: &Path, plan: &Plan, run: &RunResult) -> Result<Baseline> {
        let mut entries: Vec<Entry> = Vec::new();
        let ran: HashSet<(&str, &str)> = run
            .finished()
            .map(|(i, _)| &plan.scenarios[i])
            .map(|s| (plan.operations[s.operation()].id.as_str(), s.label.as_str()))
            .collect();
        entries.extend(
            self.entries
                .iter()
                .filter(|e| !ran.contains(&(e.operation.as_str(), e.scenario.as_str())))
                .cloned(),
        );
        let recorded =
            format!("recorded by --update-baseline on {}: say why it is accepted", today());
        let index = self.index();
        let mut listed: HashSet<(String, String, String)> = HashSet::new();
        for (i, result) in run.finished() {
            let scenario = &plan.scenarios[i];
            let op = &plan.operations[scenario.operation()].id;
            let previous = index.get(&(op.as_str(), scenario.label.as_str()));
            let mut checks: Vec<&str> = result.failures().map(|f| f.check).collect();
            if result.error().is_some() {
                checks.push(TRANSPORT);
            }
            for check in checks {
                if !listed.insert((op.clone(), check.to_owned(), scenario.label.clone())) {
                    continue;
                }
                let kept = previous
                    .and_then(|p| p.iter().map(|&i| &self.entries[i]).find(|e| e.check == check));
                let entry = kept.cloned().unwrap_or_else(|| Entry {
                    operation: op.clone(),
                    check: check.to_owned(),
                    scenario: scenario.label.clone(),
                    reason: recorded.clone(),
                    expires: None,
                });
                entries.push(entry);
            }
        }
        let out = File { known: entries };
        let text = toml::to_string(&out)
            .map_err(|e| Error::Other(format!("{}: cannot write baseline: {e}", path.display())))?;
        let header = "# Known failures for `gauntlet run --baseline`: they are shown but do not fail the run.\n# Give each a reason; `expires = \"YYYY-MM-DD\"` makes it fail again from that day.\n\n";
        let mut file = crate::support::atomic::AtomicFile::create(path)?;
        (file.write_all(header.as_bytes()).and_then(|()| file.write_all(text.as_bytes())))
            .map_err(|source| Error::Report { path: path.to_owned(), source })?;
        file.commit()?;
        Ok(Baseline { path: path.to_owned(), entries: out.known })
    }
}
