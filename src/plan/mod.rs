//! The plan: every scenario gauntlet will send, in a fixed order, free of secrets. Types
//! only: the engine builds plans (`engine::prepare`), the generator and case files fill them.
//!
//! A [`Scenario`] describes one request (path already encoded, query and headers as text) and
//! what it is for. Credentials are described by [`AuthMode`], never held: the runner renders
//! them at send time, and the reports render a redacted form.

mod auth;
pub mod partition;
mod request;

pub use auth::{AuthBreak, AuthFuzz, AuthMode};
pub use request::{Body, Expectation, RequestSpec};

use crate::openapi::Operation;

/// Everything a run will send.
#[derive(Debug)]
pub struct Plan {
    /// The operations under test, in document order.
    pub operations: Vec<Operation>,
    /// The scenarios, grouped by operation, in a stable order.
    pub scenarios: Vec<Scenario>,
    /// The seed the generated scenarios came from.
    pub seed: u64,
    /// Notes on what could not be planned (an operation with no valid value, say).
    pub notes: Vec<String>,
}

/// What a scenario is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// A valid request: it must be accepted.
    Positive,
    /// A request with exactly one thing broken: it must be rejected.
    Negative {
        /// What was broken: `path.id`, `body`, `auth`, ...
        target: String,
        /// The rule it breaks: `too-short`, `wrong-token`, ...
        rule: String,
    },
    /// A hand-written case from a case file.
    Case {
        /// The case file it came from.
        file: String,
    },
}

impl Kind {
    /// Whether this scenario broke the credentials.
    pub fn is_auth_negative(&self) -> bool {
        matches!(self, Kind::Negative { target, .. } if target == "auth")
    }

    /// `positive`, `negative` or `case`.
    pub fn tag(&self) -> &'static str {
        match self {
            Kind::Positive => "positive",
            Kind::Negative { .. } => "negative",
            Kind::Case { .. } => "case",
        }
    }
}

/// One request of the plan and what it is for.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Index of its operation in [`Plan::operations`].
    pub operation: usize,
    /// Stable label within the operation, e.g. `negative/path.id/nil-uuid`.
    pub label: String,
    /// Positive, negative (what was broken) or a case.
    pub kind: Kind,
    /// The request.
    pub request: RequestSpec,
    /// A case's expectation.
    pub expect: Option<Expectation>,
}

impl Scenario {
    /// The values sent, for reports: `("path.id", "...")`, `("query.limit", "10")`, ...
    /// (derived from the request, so the plan does not hold them twice).
    pub fn inputs(&self, op: &Operation) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (t, s) in op.path.split('/').zip(self.request.path.split('/')) {
            let (Some(open), Some(close)) = (t.find('{'), t.rfind('}')) else { continue };
            let (prefix, suffix) = (&t[..open], &t[close + 1..]);
            let Some(raw) = s.strip_prefix(prefix).and_then(|r| r.strip_suffix(suffix)) else {
                continue;
            };
            let value = percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned();
            out.push((format!("path.{}", &t[open + 1..close]), value));
        }
        let r = &self.request;
        for (location, pairs) in
            [("query", &r.query), ("header", &r.headers), ("cookie", &r.cookies)]
        {
            out.extend(pairs.iter().map(|(k, v)| (format!("{location}.{k}"), v.clone())));
        }
        out
    }
}
