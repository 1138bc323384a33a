//! The baseline as an overlay on a run's results: which failures it knows (shown, not
//! failing), which of its entries are fixed and which expired. The results are never changed;
//! the report model reads the overlay beside them.

use std::collections::HashMap;

use crate::baseline::{Baseline, Entry};
use crate::http::TRANSPORT;
use crate::plan::Plan;
use crate::runner::RunResult;

/// A failure listed in the baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The check (or `transport`).
    pub check: String,
    /// What failed.
    pub title: String,
    /// The baseline's reason.
    pub reason: String,
}

/// What a baseline says of one run.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Per scenario index, the failures it knows (scenarios with none are absent).
    pub known: HashMap<usize, Vec<Known>>,
    /// Entries whose scenario ran and passed their check.
    pub fixed: Vec<Entry>,
    /// Expired entries whose failure came back (it fails the run again).
    pub expired: Vec<Entry>,
}

impl Verdict {
    /// The known failures of scenario `index`.
    pub fn known(&self, index: usize) -> &[Known] {
        self.known.get(&index).map_or(&[], Vec::as_slice)
    }

    /// Whether `check` (or `transport`) failing in scenario `index` is known.
    pub fn is_known(&self, index: usize, check: &str) -> bool {
        self.known(index).iter().any(|k| k.check == check)
    }

    /// Lays `baseline` over `run` on `today` (`YYYY-MM-DD`). `checks_run` tells whether a
    /// check ran at all (a disabled check fixes nothing).
    pub fn overlay(
        baseline: &Baseline,
        plan: &Plan,
        run: &RunResult,
        today: &str,
        checks_run: impl Fn(&str) -> bool,
    ) -> Verdict {
        let mut verdict = Verdict::default();
        let index = baseline.index();
        let entries = &baseline.entries;
        // Per entry: whether its scenario ran, and whether its failure showed.
        let mut seen = vec![false; entries.len()];
        let mut failing = vec![false; entries.len()];
        for (i, result) in run.finished() {
            let scenario = &plan.scenarios[i];
            let op = plan.operations[scenario.operation()].id.as_str();
            let Some(candidates) = index.get(&(op, scenario.label.as_str())) else { continue };
            let find =
                |check: &str| candidates.iter().copied().find(|&e| entries[e].check == check);
            for &e in candidates {
                seen[e] = true;
            }
            let mut failed: Vec<(&str, &str)> =
                result.failures().map(|f| (f.check, f.title.as_str())).collect();
            if let Some(error) = result.error() {
                failed.push((TRANSPORT, error.message.as_str()));
            }
            for (check, title) in failed {
                let Some(e) = find(check) else { continue };
                failing[e] = true;
                let entry = &entries[e];
                if entry.expired(today) {
                    verdict.expired.push(entry.clone());
                } else {
                    verdict.known.entry(i).or_default().push(Known {
                        check: check.to_owned(),
                        title: title.to_owned(),
                        reason: entry.reason.clone(),
                    });
                }
            }
        }
        // An entry is fixed when its scenario ran, its check ran, and it did not fail.
        for (e, entry) in entries.iter().enumerate() {
            if seen[e] && !failing[e] && (entry.check == TRANSPORT || checks_run(&entry.check)) {
                verdict.fixed.push(entry.clone());
            }
        }
        verdict
    }
}
