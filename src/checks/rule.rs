//! [`Rule`]: what every report says about a kind of finding — a stable code, a severity, and
//! the text `gauntlet explain` prints. Each check carries its own; [`FINDINGS`] holds the
//! kinds that no check produces (no answer, the baseline, coverage).
//!
//! Codes are never reused: a retired check keeps its code out of circulation.

/// How much a finding matters, in SARIF's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The contract is broken.
    Error,
    /// Probably a defect, or a gap in the spec that hides one.
    Warning,
    /// Worth knowing; never fails a run by itself.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note` (SARIF's `level`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A kind of finding: its code, name, severity and explanation.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code, e.g. `GA101`.
    pub code: &'static str,
    /// Stable name, e.g. `not_a_server_error`.
    pub name: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// One line: what it checks.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix the server or the spec.
    pub fix: &'static str,
}

/// A request that got no answer: refused, reset, timed out, or too large to read.
pub const TRANSPORT: Rule = Rule {
    code: "GA001",
    name: crate::http::TRANSPORT,
    severity: Severity::Error,
    summary: "the request got no complete answer (connection refused or reset, timeout, body over --max-body)",
    why: "a client of the API would see the same failure: nothing the contract promises was delivered",
    fix: "look for a crash, a proxy cutting connections, or a handler slower than --timeout; the curl line sends the request again",
};

/// A baseline entry past its `expires` date whose failure still happens.
pub const BASELINE_EXPIRED: Rule = Rule {
    code: "GA002",
    name: "baseline_expired",
    severity: Severity::Error,
    summary: "a known failure in the baseline is past its expires date and still fails",
    why: "a baseline is a promise to fix something by a date; an expired entry counts as a failure again so the promise is not forgotten",
    fix: "fix the failure, or extend the entry's expires date with a reason",
};

/// A baseline entry whose scenario passes now.
pub const BASELINE_FIXED: Rule = Rule {
    code: "GA003",
    name: "baseline_fixed",
    severity: Severity::Note,
    summary: "a known failure in the baseline passes now",
    why: "an entry that no longer fails would hide the failure if it came back",
    fix: "remove the entry (or rewrite the file with --update-baseline)",
};

/// A run that covered less of the spec than `--min-coverage` asks.
pub const COVERAGE: Rule = Rule {
    code: "GA004",
    name: "coverage_below_minimum",
    severity: Severity::Error,
    summary: "the run exercised less of the spec than --min-coverage requires",
    why: "a run can pass by testing little: operations skipped, statuses never seen; the minimum keeps CI honest",
    fix: "add credentials or case files for what was skipped, document the statuses the API really returns, or lower the minimum on purpose",
};

/// Finding kinds that no check produces.
pub const FINDINGS: &[Rule] = &[TRANSPORT, BASELINE_EXPIRED, BASELINE_FIXED, COVERAGE];
