//! Reports: [`RunReport`] (the model, built once from the plan, the results and the
//! baseline's verdict) and the writers that read it: console, JUnit XML, and `curl` lines.
//!
//! The engine never prints; writers take the model and write to any `impl io::Write`.
//! Nothing here sees a secret: credentials appear only in the redacted forms that
//! [`crate::credentials::curl_form`] gives.
//!
//! To add a format: write one file here with a function from `&RunReport` to an
//! `impl io::Write`, and add one variant to [`Format`] (its name and its writer). It must
//! not read the plan or the spec: what it needs belongs in the model.

mod console;
mod curl;
mod junit;
mod model;

pub use crate::support::atomic::AtomicFile;
pub use console::{Console, Shown, failure_text, write_failure};
pub use curl::curl_line;
pub use junit::write_junit;

pub use model::{
    Case, CaseStep, Counts, Group, Latency, OperationInfo, Outcome, RunInfo, RunReport, Suite,
};

/// A report file format: each is one writer over [`RunReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JUnit XML that the strict consumers accept.
    Junit,
}

impl Format {
    /// Writes `report` in this format.
    pub fn write(self, report: &RunReport, w: impl std::io::Write) -> std::io::Result<()> {
        match self {
            Format::Junit => write_junit(w, report),
        }
    }
}

/// Creates a report file (see [`AtomicFile`]): nothing is in place until it is committed.
pub fn create(path: &std::path::Path) -> crate::Result<AtomicFile> {
    AtomicFile::create(path)
}
