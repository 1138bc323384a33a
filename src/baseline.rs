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
//! A failure matched by (operation, check, scenario) is moved to the result's known list:
//! still shown, not failing. An entry whose scenario ran and no longer fails its check is
//! reported as fixed; an expired entry matches nothing, so its failure fails the run again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::runner::{Known, RunResult};

/// The name under which a request with no answer is listed.
pub const TRANSPORT: &str = "transport";

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
    fn matches(&self, operation: &str, check: &str, scenario: &str) -> bool {
        self.operation == operation && self.check == check && self.scenario == scenario
    }

    fn expired(&self, today: &str) -> bool {
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

/// What applying a baseline found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Entries whose scenario ran and passed their check.
    pub fixed: Vec<Entry>,
    /// Expired entries whose failure came back (it fails the run again).
    pub expired: Vec<Entry>,
}

/// Today's date as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()[..10].to_owned()
}

impl Baseline {
    /// Reads a baseline; a missing file, bad TOML, an unknown key or a bad date is an error
    /// naming the file (and line, where TOML gives one).
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Read { path: path.to_owned(), source })?;
        let file: File = toml::from_str(&text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            message: crate::config::toml_message(&text, &e),
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

    /// Moves the failures this baseline knows into each result's `known` list and says what
    /// was fixed and what expired. `checks_run` tells whether a check ran at all (a disabled
    /// check fixes nothing).
    pub fn apply(
        &self,
        plan: &Plan,
        run: &mut RunResult,
        today: &str,
        checks_run: impl Fn(&str) -> bool,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let mut seen = vec![false; self.entries.len()];
        for (scenario, result) in plan.scenarios.iter().zip(&mut run.results) {
            let op = &plan.operations[scenario.operation].id;
            let find = |check: &str| {
                self.entries.iter().position(|e| e.matches(op, check, &scenario.label))
            };
            for (i, entry) in self.entries.iter().enumerate() {
                if entry.operation == *op && entry.scenario == scenario.label {
                    seen[i] = true;
                }
            }
            let mut kept = Vec::new();
            for failure in std::mem::take(&mut result.failures) {
                match find(failure.check) {
                    Some(i) if !self.entries[i].expired(today) => {
                        result.known.push(Known {
                            check: failure.check.to_owned(),
                            title: failure.title,
                            reason: self.entries[i].reason.clone(),
                        });
                    }
                    Some(i) => {
                        outcome.expired.push(self.entries[i].clone());
                        kept.push(failure);
                    }
                    None => kept.push(failure),
                }
            }
            result.failures = kept;
            if let Some(error) = &result.error {
                match find(TRANSPORT) {
                    Some(i) if !self.entries[i].expired(today) => {
                        result.known.push(Known {
                            check: TRANSPORT.into(),
                            title: error.message.clone(),
                            reason: self.entries[i].reason.clone(),
                        });
                        result.error = None;
                    }
                    Some(i) => outcome.expired.push(self.entries[i].clone()),
                    None => {}
                }
            }
        }
        // An entry is fixed when its scenario ran, its check ran, and it did not fail.
        for (i, entry) in self.entries.iter().enumerate() {
            if !seen[i] || !(entry.check == TRANSPORT || checks_run(&entry.check)) {
                continue;
            }
            let still = plan.scenarios.iter().zip(&run.results).any(|(s, r)| {
                plan.operations[s.operation].id == entry.operation
                    && s.label == entry.scenario
                    && r.known.iter().any(|k| k.check == entry.check)
            });
            let came_back = outcome.expired.contains(entry);
            if !still && !came_back {
                outcome.fixed.push(entry.clone());
            }
        }
        outcome
    }

    /// Writes the failures of `run` as a baseline to `path`. Reasons and expiry dates of
    /// entries that still fail are kept from `self`; entries for scenarios that did not run
    /// (another partition, another operation) are kept as they were.
    pub fn update(&self, path: &Path, plan: &Plan, run: &RunResult) -> Result<usize> {
        let mut entries: Vec<Entry> = Vec::new();
        let ran = |e: &Entry| {
            plan.scenarios
                .iter()
                .any(|s| plan.operations[s.operation].id == e.operation && s.label == e.scenario)
        };
        entries.extend(self.entries.iter().filter(|e| !ran(e)).cloned());
        let recorded =
            format!("recorded by --update-baseline on {}: say why it is accepted", today());
        for (scenario, result) in plan.scenarios.iter().zip(&run.results) {
            let op = &plan.operations[scenario.operation].id;
            let mut checks: Vec<&str> = result.failures.iter().map(|f| f.check).collect();
            checks.extend(result.known.iter().map(|k| k.check.as_str()));
            if result.error.is_some() {
                checks.push(TRANSPORT);
            }
            for check in checks {
                let previous = self.entries.iter().find(|e| e.matches(op, check, &scenario.label));
                let entry = previous.cloned().unwrap_or_else(|| Entry {
                    operation: op.clone(),
                    check: check.to_owned(),
                    scenario: scenario.label.clone(),
                    reason: recorded.clone(),
                    expires: None,
                });
                if !entries.contains(&entry) {
                    entries.push(entry);
                }
            }
        }
        let count = entries.len();
        let text = toml::to_string(&File { known: entries })
            .map_err(|e| Error::Other(format!("{}: cannot write baseline: {e}", path.display())))?;
        let header = "# Known failures for `gauntlet run --baseline`: they are shown but do not fail the run.\n# Give each a reason; `expires = \"YYYY-MM-DD\"` makes it fail again from that day.\n\n";
        let err = |source| Error::Report { path: path.to_owned(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        std::fs::write(path, format!("{header}{text}")).map_err(err)?;
        Ok(count)
    }
}
