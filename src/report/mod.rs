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
