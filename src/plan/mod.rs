//! The plan: every scenario gauntlet will send, in a fixed order, free of secrets. Types
//! only: the engine builds plans (`engine::prepare`), the generator and case files fill them.
//!
//! A [`Scenario`] is a list of [`Step`]s, each one request (path already encoded, query and
//! headers as text), and what it is for. Credentials are described by [`AuthMode`], never held: the runner renders
//! them at send time, and the reports render a redacted form.

mod auth;
pub mod partition;
mod request;

pub use auth::{AuthBreak, AuthFuzz, AuthMode};
pub use request::{Body, Expectation, RequestSpec, Secret, SecretPlace};

use crate::openapi::Operation;

/// Everything a run will send.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The operations under test, in document order.
    pub operations: Vec<Operation>,
    /// The scenarios, grouped by operation, in a stable order.
    pub scenarios: Vec<Scenario>,
    /// The seed the generated scenarios came from.
    pub seed: u64,
    /// Notes on what could not be planned (an operation with no valid value, say).
    pub notes: Vec<String>,
    /// The operations not tested, or tested only in part, by index, with why
    /// (`query.limit: no valid value found`); reports list them as skipped.
    pub untested: Vec<(usize, String)>,
    /// Per path of the spec (`PathTemplate::route`), the methods it declares, tested or not
    /// (what a 405's `Allow` must list).
    pub declared: std::collections::BTreeMap<String, Vec<String>>,
    /// Per producer (by operation index): what its 2xx answers give and the DELETE that
    /// removes what it created, sent at the end of the run (`--no-cleanup` keeps it).
    pub cleanup: std::collections::BTreeMap<usize, Cleanup>,
    /// Value reuse: the reads that take the ids other scenarios' answers give, sent after
    /// the plan (`reuse/...` scenarios, made at run time from what was answered).
    pub reuse: Reuse,
}

/// Value reuse: which answers give ids, and the reads they are put into once the plan has
/// been sent (a real id makes a read answer 200, so its body is judged, where a random one
/// is only ever 404).
#[derive(Debug, Clone, Default)]
pub struct Reuse {
    /// Per producer (a create, or a list whose items carry ids), by operation index: what
    /// its 2xx answers give, and to which read.
    pub feeds: std::collections::BTreeMap<usize, Vec<Feed>>,
    /// Per read (a GET with path parameters), by operation index: its valid base request,
    /// which the values fill (any read: a `Location` answered at run time may name it).
    pub reads: std::collections::BTreeMap<usize, RequestSpec>,
}

/// Values a producer's answer gives one read.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The read, by operation index.
    pub read: usize,
    /// Each value: where it is read from, and the read's parameter it goes into.
    pub values: Vec<(CaptureFrom, crate::openapi::Location, String)>,
}

/// How what a producer created is removed at the end of a run.
#[derive(Debug, Clone)]
pub struct Cleanup {
    /// What to read from each of the producer's 2xx answers.
    pub captures: Vec<Capture>,
    /// The DELETE, with markers for those values.
    pub delete: Step,
}

/// Per path of `operations` (`PathTemplate::route`), the methods it declares.
pub fn declared_methods(
    operations: &[Operation],
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for op in operations {
        let methods = out.entry(op.path.route().to_owned()).or_default();
        if !methods.contains(&op.method) {
            methods.push(op.method.clone());
        }
    }
    out
}

/// The note that says operation `id` is not tested, and why.
pub fn untested_note(id: &str, why: &str) -> String {
    format!("{id}: {why}: operation not tested")
}

/// The target of a routing probe ([`Kind::is_routing_probe`]).
pub const ROUTE: &str = "route";

/// The target of an input probe ([`Kind::is_probe`]): a value the schema allows but a server
/// may rightly refuse (2^63 for an unbounded `integer`, a body in UTF-16, no `Content-Type`).
pub const PROBE: &str = "probe";

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

    /// Whether this scenario sends a method the path does not declare.
    pub fn is_method_probe(&self) -> bool {
        matches!(self, Kind::Negative { target, .. } if target == "method")
    }

    /// Whether this scenario's path value leaves the operation's route (an empty segment, a
    /// `/`): the router answers it, not the operation, so only a 5xx or no answer fails it.
    pub fn is_routing_probe(&self) -> bool {
        matches!(self, Kind::Negative { target, .. } if target == ROUTE)
    }

    /// Whether this scenario is judged on server errors alone: a routing probe, or an input
    /// probe whose right answer may be an acceptance or a rejection.
    pub fn is_probe(&self) -> bool {
        matches!(self, Kind::Negative { target, .. } if target == ROUTE || target == PROBE)
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

/// What the plan holds for one test: a list of steps sent in order, and what it is for.
/// Every generated scenario and case has one step today; a chain (create → read → delete)
/// is a scenario with several.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable label within its operation, e.g. `negative/path.id/nil-uuid`.
    pub label: String,
    /// Positive, negative (what was broken) or a case.
    pub kind: Kind,
    /// The requests, in the order they are sent; never empty.
    pub steps: Vec<Step>,
}

/// One request of a scenario.
#[derive(Debug, Clone)]
pub struct Step {
    /// Index of its operation in [`Plan::operations`].
    pub operation: usize,
    /// The request.
    pub request: RequestSpec,
    /// A case's expectation.
    pub expect: Option<Expectation>,
    /// Values this step's answer provides to the steps after it.
    pub captures: Vec<Capture>,
    /// Values of earlier steps this step's request takes (a chain's created id in its path).
    pub uses: Vec<Use>,
    /// What this step of a chain checks beyond the single-request checks.
    pub role: Option<Role>,
    /// The identity (`--identity NAME=...`) that sends it; the run's own credentials when
    /// `None`.
    pub identity: Option<String>,
}

/// A captured value put into a later step's request, in place of [`Use::marker`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The capture's name.
    pub name: String,
    /// Where it goes.
    pub into: Site,
}

impl Use {
    /// The text that holds its place in the planned request (letters and digits only, so
    /// no encoding changes it) until the value is known.
    pub fn marker(&self) -> String {
        marker(&self.name)
    }
}

/// The placeholder of capture `name` in a planned request.
pub fn marker(name: &str) -> String {
    let safe: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("GAUNTLETVAR{safe}X")
}

/// A captured value as text: a string as it is, anything else as JSON.
pub fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Where a used value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// A path parameter, by name.
    Path(String),
    /// A query parameter.
    Query(String),
    /// A header.
    Header(String),
    /// A JSON pointer into the JSON body (`""`: the whole body).
    Body(String),
}

/// What a chain step checks of its answer, given the steps before it succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A read of a resource just created (or updated): not a 404 (`ensure_resource_availability`).
    Available,
    /// A read of a resource just deleted: a 404 or 410 (`use_after_free`).
    Gone,
    /// A request by another identity for the owner's resource: a read must not give what
    /// the owner read (`object_level_authorization`); a write is judged by the read after it.
    Foreign,
    /// The owner's read after another identity's write: it must not show the write took
    /// effect (`object_level_authorization`).
    Unchanged,
    /// A read of the owner's resource with no credentials at all: refused with 401 (or a
    /// documented 403), as a random id's is (`auth_enforced`).
    Anonymous,
    /// A create carrying properties its request schema does not declare: refusing them is
    /// as right as ignoring them (`positive_data_acceptance` leaves it alone).
    Carries,
    /// A read after a create that carried these properties, which the request schema does
    /// not declare: it must not show them with the values sent (`mass_assignment`).
    Assigned(Vec<String>),
}

/// A value read from a step's answer, by name, for the steps after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The name later steps use.
    pub name: String,
    /// Where it is read from.
    pub from: CaptureFrom,
}

/// Where a captured value is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureFrom {
    /// A JSON pointer into the body (`/id`).
    Body(String),
    /// A response header, by name (`Location`).
    Header(String),
    /// The last path segment of a response header's URL (the id a `Location` names).
    HeaderTail(String),
    /// A value of the step's own request (`path.id`), as an OpenAPI link's `$request.path.id`.
    Request(String),
    /// A value the link itself gives (an OpenAPI link's constant parameter or body), as JSON.
    Constant(serde_json::Value),
}

impl CaptureFrom {
    /// Whether the value is read from the answer (an id of what was made), not copied from
    /// the request or given by the link.
    pub fn from_answer(&self) -> bool {
        matches!(self, CaptureFrom::Body(_) | CaptureFrom::Header(_) | CaptureFrom::HeaderTail(_))
    }
}

impl Scenario {
    /// A scenario of one request, as every generated scenario and case is today.
    pub fn single(operation: usize, label: String, kind: Kind, request: RequestSpec) -> Self {
        Scenario { label, kind, steps: vec![Step::new(operation, request)] }
    }

    /// The operation it is reported under: its first step's.
    pub fn operation(&self) -> usize {
        self.steps[0].operation
    }

    /// Its first step.
    pub fn first(&self) -> &Step {
        &self.steps[0]
    }

    /// Its first step, to change.
    pub fn first_mut(&mut self) -> &mut Step {
        &mut self.steps[0]
    }
}

impl Step {
    /// A step that sends `request` to operation `operation`, with nothing captured or used.
    pub fn new(operation: usize, request: RequestSpec) -> Self {
        Step {
            operation,
            request,
            expect: None,
            captures: Vec::new(),
            uses: Vec::new(),
            role: None,
            identity: None,
        }
    }

    /// The values sent, for reports: `("path.id", "...")`, `("query.limit", "10")`, ...
    /// (derived from the request, so the plan does not hold them twice).
    pub fn inputs(&self, op: &Operation) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = op
            .path
            .capture(&self.request.path, true)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, value)| (format!("path.{name}"), value))
            .collect();
        let r = &self.request;
        for (location, pairs) in
            [("query", &r.query), ("header", &r.headers), ("cookie", &r.cookies)]
        {
            out.extend(pairs.iter().map(|(k, v)| (format!("{location}.{k}"), v.clone())));
        }
        // Secrets are shown as written: `${TOKEN}`, never their value.
        out.extend(r.secrets.iter().map(|s| {
            let location = match s.place {
                SecretPlace::Header => "header",
                SecretPlace::Query => "query",
                SecretPlace::Cookie => "cookie",
            };
            (format!("{location}.{}", s.name), s.template.clone())
        }));
        // A value an earlier answer gives is shown as the shell variable that holds it.
        for used in &self.uses {
            let marker = used.marker();
            for (_, value) in out.iter_mut().filter(|(_, v)| v.contains(&marker)) {
                *value = value.replace(&marker, &format!("${}", used.name));
            }
        }
        out
    }
}
