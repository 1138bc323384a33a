//! Writers that turn a finished run into reports: console, JUnit XML, and `curl` lines.
//!
//! The engine never prints; these take the plan and its results and write to any
//! `impl io::Write`. Nothing here sees a secret: credentials appear only in the redacted
//! forms that [`crate::credentials::curl_form`] gives.

mod console;
mod curl;
mod junit;

pub use console::{Console, Group, Shown, failure_text, group_failures, write_failure};
pub use curl::curl_line;
pub use junit::{RunInfo, write_junit};

/// Creates a report file and its folder (so an unwritable path fails before anything is
/// sent); errors name the file.
pub fn create(path: &std::path::Path) -> crate::Result<std::io::BufWriter<std::fs::File>> {
    let err = |source| crate::Error::Report { path: path.to_owned(), source };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    std::fs::File::create(path).map(std::io::BufWriter::new).map_err(err)
}
