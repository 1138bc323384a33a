//! A saved failure: `reports/fuzz/<id>.json` holds the seed, the minimal input, the request
//! (its credentials as a mode, never a secret), the response summary and how to reproduce
//! it, so `gauntlet fuzz --replay FILE` can send it again.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::engine::Finding;
use crate::error::{Error, Result};
use crate::plan::{Kind, Plan, RequestSpec};

/// The format's version.
const VERSION: u32 = 1;

/// One saved failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The format's version.
    pub version: u32,
    /// The file's name without `.json`: operation, check, status or kind.
    pub id: String,
    /// The run's seed.
    pub seed: u64,
    /// The spec it was found against.
    pub spec: String,
    /// The target it was found against.
    pub base_url: String,
    /// Whether that target was the built-in mock (replay starts a new one).
    #[serde(default)]
    pub builtin_mock: bool,
    /// The operation's id.
    pub operation: String,
    /// The check that failed (or `transport`).
    pub check: String,
    /// The status, when a response came.
    pub status: Option<u16>,
    /// The failure's kind.
    pub kind: String,
    /// The server error's signature, when the failure was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// What failed, in a line.
    pub title: String,
    /// The number of the example that first showed it.
    pub found_after: u64,
    /// Requests spent shrinking it.
    pub shrink_steps: usize,
    /// The smallest input that still fails.
    pub input: BTreeMap<String, String>,
    /// The first failing input.
    pub original_input: BTreeMap<String, String>,
    /// Positive or negative, as the checks judged it.
    pub scenario_kind: Kind,
    /// The request, credentials as a mode.
    pub request: RequestSpec,
    /// A `curl` line reproducing it (credentials from `$GAUNTLET_USER`).
    pub curl: String,
    /// What came back.
    pub response: ResponseSummary,
}

/// The response of the minimal example.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSummary {
    /// The status, when a response came.
    pub status: Option<u16>,
    /// The transport error, when none came.
    pub error: Option<String>,
    /// A redacted excerpt of the body.
    pub excerpt: Option<String>,
    /// Every failure, `check: title`.
    pub failures: Vec<String>,
}

impl Record {
    /// The record of `finding`, found in `plan` with `seed` against `base_url`.
    pub fn new(
        finding: &Finding,
        plan: &Plan,
        seed: u64,
        spec: &str,
        base_url: &str,
        has_credentials: bool,
    ) -> Record {
        let op = &plan.operations[finding.scenario.operation()];
        let key = &finding.key;
        let tail = key.status.map_or(key.kind.clone(), |s| s.to_string());
        let id: String = format!("{}-{}-{tail}", op.id, key.check)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' })
            .collect();
        let result = &finding.result;
        let mut failures: Vec<String> =
            result.failures().map(|f| format!("{}: {}", f.check, f.title)).collect();
        failures.extend(result.error().map(|e| format!("transport: {}", e.message)));
        let title = failures
            .iter()
            .find(|f| f.starts_with(&format!("{}:", key.check)))
            .cloned()
            .unwrap_or_default();
        Record {
            version: VERSION,
            id,
            seed,
            spec: spec.to_owned(),
            base_url: base_url.to_owned(),
            builtin_mock: false,
            operation: op.id.clone(),
            check: key.check.clone(),
            status: key.status,
            kind: key.kind.clone(),
            signature: key.signature.clone(),
            title,
            found_after: finding.found_after,
            shrink_steps: finding.shrink_steps,
            input: finding.minimal.iter().cloned().collect(),
            original_input: finding.original.iter().cloned().collect(),
            scenario_kind: finding.scenario.kind.clone(),
            request: finding.scenario.first().request.clone(),
            curl: crate::report::curl_line(base_url, op, finding.scenario.first(), has_credentials),
            response: ResponseSummary {
                status: result.status(),
                error: result.error().map(|e| e.message.clone()),
                excerpt: result.steps.iter().find_map(|s| s.excerpt.clone()),
                failures,
            },
        }
    }

    /// Writes it as `<dir>/<id>.json`; returns the path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let path = dir.join(format!("{}.json", self.id));
        let mut file = crate::report::create(&path)?;
        serde_json::to_writer_pretty(&mut file, self)
            .map_err(std::io::Error::from)
            .and_then(|()| file.write_all(b"\n"))
            .map_err(|source| Error::Report { path: path.clone(), source })?;
        file.commit()?;
        Ok(path)
    }

    /// Reads a saved failure.
    pub fn read(path: &Path) -> Result<Record> {
        let text = crate::support::fs::read_text(path)?;
        let record: Record = serde_json::from_str(&text)
            .map_err(|e| Error::Syntax { path: path.to_owned(), message: e.to_string() })?;
        if record.version != VERSION {
            return Err(Error::Syntax {
                path: path.to_owned(),
                message: format!("version {} (this gauntlet reads {VERSION})", record.version),
            });
        }
        Ok(record)
    }
}
