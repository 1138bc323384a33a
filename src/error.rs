//! The harness's own errors: everything that stops a run before it can give a verdict.
//!
//! A contract violation is never an `Err`: it is a failure in the results. An [`Error`] is a
//! problem with the input or the environment (unreadable spec, bad case file, unwritable report,
//! unreachable target), always reported as one line naming the file, pointer or flag, with
//! exit code [`EXIT_USAGE`].

use std::path::PathBuf;

/// Every check passed.
pub const EXIT_OK: i32 = 0;
/// At least one contract violation: a check failed, or the target failed to answer a request.
pub const EXIT_VIOLATION: i32 = 1;
/// The run could not be made: bad flag, bad spec or case file, unwritable report, no target.
pub const EXIT_USAGE: i32 = 2;
/// The run was interrupted (Ctrl-C); the report holds what finished.
pub const EXIT_INTERRUPTED: i32 = 130;
/// The run passed but covered less of the spec than `--min-coverage` requires.
pub const EXIT_COVERAGE: i32 = 3;
/// The run was stopped by SIGTERM; the report holds what finished.
pub const EXIT_TERMINATED: i32 = 143;

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column where known.
        message: String,
    },
    /// The spec is readable but cannot be used, at a JSON pointer.
    #[error("{path}: {pointer}: {message}")]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// Where in the document (a JSON pointer, `#` for the root).
        pointer: String,
        /// What is wrong there.
        message: String,
    },
    /// A case file is wrong.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Case {
        /// The case file.
        path: PathBuf,
        /// The line, where known.
        line: Option<u32>,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A command-line flag or environment variable has a bad value.
    #[error("{flag}: {message}")]
    Flag {
        /// The flag, e.g. `--timeout`.
        flag: String,
        /// What is wrong with its value.
        message: String,
    },
    /// A report could not be written.
    #[error("{path}: cannot write report: {source}")]
    Report {
        /// The report file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// No request reached the target.
    #[error("{base_url}: target unreachable: {message}")]
    Unreachable {
        /// The base URL.
        base_url: String,
        /// The first transport error seen.
        message: String,
    },
    /// Standard output could not be written.
    #[error("cannot write to the console: {0}")]
    Console(std::io::Error),
    /// Anything else the harness itself could not do.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit code for this error: 0 for a closed standard output (`gauntlet run
    /// --dry-run | head` ends quietly, as ripgrep does), else [`EXIT_USAGE`].
    pub fn exit_code(&self) -> i32 {
        if self.is_closed_output() { EXIT_OK } else { EXIT_USAGE }
    }

    /// Whether this is standard output closed by its reader (nothing to say about it).
    pub fn is_closed_output(&self) -> bool {
        matches!(self, Error::Console(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Shorthand for a flag error.
    pub fn flag(flag: &str, message: impl Into<String>) -> Self {
        Error::Flag { flag: flag.to_owned(), message: message.into() }
    }
}

/// The result type of the harness.
pub type Result<T, E = Error> = std::result::Result<T, E>;
