//! Reports: [`RunReport`] (the model, built once from the plan, the results and the
//! baseline's verdict) and the writers that read it: console, JUnit XML, and `curl` lines.
//!
//! The engine never prints; writers take the model and write to any `impl io::Write`.
//! Nothing here sees a secret: credentials appear only in the redacted forms that
//! [`crate::credentials::curl_form`] gives.
//!
//! To add a format: write one file here with a function from `&RunReport` to an
//! `impl io::Write`, and add one variant to [`Format`] (its name, default file and writer).
//! It must not read the plan or the spec: what it needs belongs in the model (the one
//! exception is the spec's line map, which the engine builds once into
//! [`OperationInfo::location`]).

mod console;
mod coverage;
mod curl;
mod github;
mod html;
mod json;
mod junit;
mod model;
mod ndjson;
mod progress;
mod sarif;

pub use crate::support::atomic::AtomicFile;
pub use console::{Console, Shown, failure_text, write_failure};
pub use coverage::{CheckCoverage, Coverage, MEASURES, OperationCoverage, Ratio};
pub use curl::curl_line;
pub use github::{write_annotations, write_summary};
pub use html::write_html;
pub use json::{VERSION, write_json};
pub use junit::write_junit;
pub use ndjson::{Events, write_ndjson};
pub use progress::ProgressDisplay;
pub use sarif::write_sarif;

pub use model::{
    Case, CaseStep, Counts, Group, Latency, OperationInfo, Outcome, RunInfo, RunReport, Shortfall,
    Suite,
};

/// A report format: each is one writer over [`RunReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JUnit XML that the strict consumers accept.
    Junit,
    /// One JSON document (`schema/report.schema.json`).
    Json,
    /// One JSON event per line as the run goes (`schema/events.schema.json`).
    Ndjson,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// One self-contained HTML page.
    Html,
    /// GitHub Actions annotations on standard output (the step summary is written whenever
    /// `GITHUB_STEP_SUMMARY` is set).
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &[Format] =
        &[Format::Junit, Format::Json, Format::Ndjson, Format::Sarif, Format::Html, Format::Github];

    /// Its name in `--report NAME[=PATH]` and `[reports]`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Junit => "junit",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Sarif => "sarif",
            Format::Html => "html",
            Format::Github => "github",
        }
    }

    /// The file it goes to when no path is given (`None`: it writes no file).
    pub fn default_path(self) -> Option<&'static str> {
        match self {
            Format::Junit => Some("reports/junit.xml"),
            Format::Json => Some("reports/gauntlet.json"),
            Format::Ndjson => Some("reports/events.ndjson"),
            Format::Sarif => Some("reports/gauntlet.sarif"),
            Format::Html => Some("reports/report.html"),
            Format::Github => None,
        }
    }

    /// The format named `name`.
    pub fn named(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Parses `NAME[=PATH]`: the format and its file (its default when no path is given).
    pub fn parse_request(text: &str) -> Result<(Format, Option<std::path::PathBuf>), String> {
        let (name, path) = match text.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (text, None),
        };
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        let format = Format::named(name).ok_or_else(|| {
            format!(
                "unknown report format '{}'; formats: {}",
                crate::support::text::escape_controls(&crate::support::text::truncate(name, 40)),
                names.join(", ")
            )
        })?;
        match (format.default_path(), path) {
            (None, Some(_)) => {
                Err(format!("the {} report writes no file: give it without =PATH", format.name()))
            }
            (_, Some("")) => Err(format!("the {} report needs a path after '='", format.name())),
            (default, path) => Ok((format, path.or(default).map(std::path::PathBuf::from))),
        }
    }

    /// Writes `report` in this format.
    pub fn write(self, report: &RunReport, w: impl std::io::Write) -> std::io::Result<()> {
        match self {
            Format::Junit => write_junit(w, report),
            Format::Json => write_json(w, report),
            Format::Ndjson => write_ndjson(w, report),
            Format::Sarif => write_sarif(w, report),
            Format::Html => write_html(w, report),
            Format::Github => write_annotations(w, report),
        }
    }

    /// Whether it points at the spec's lines (the engine then builds the line map).
    pub fn needs_locations(self) -> bool {
        matches!(self, Format::Sarif | Format::Github | Format::Json | Format::Ndjson)
    }
}

/// A file as code scanning and annotations name it: relative to the working directory (the
/// repository, in CI) when inside it, forward slashes.
pub(crate) fn relative_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_ref().and_then(|c| c.canonicalize().ok()).or(cwd);
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let relative = cwd
        .and_then(|cwd| absolute.strip_prefix(cwd).ok().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.display().to_string().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// Creates a report file (see [`AtomicFile`]): nothing is in place until it is committed.
pub fn create(path: &std::path::Path) -> crate::Result<AtomicFile> {
    AtomicFile::create(path)
}
