//! The plan: every scenario gauntlet will send, in a fixed order, free of secrets.
//!
//! A [`Scenario`] describes one request (path already encoded, query and headers as text) and
//! what it is for. Credentials are described by [`AuthMode`], never held: the runner renders
//! them at send time, and the reports render a redacted form.

use crate::openapi::Operation;
use crate::schema::Validators;

/// FNV-1a (64 bits) over `parts` in turn: stable across platforms and releases (unlike
/// `DefaultHasher`), for per-operation seed streams and hash partitions.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.iter())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

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

/// How a request carries credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthMode {
    /// The configured credentials, as the operation's security scheme wants them.
    Valid,
    /// No credentials at all.
    Omit,
    /// Credentials broken in one way.
    Broken(AuthBreak),
    /// HTTP Basic credentials changed by the fuzzer.
    Fuzzed(AuthFuzz),
}

/// How `gauntlet fuzz` changes HTTP Basic credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthFuzz {
    /// The scheme's letters in another case (bit i flips letter i of `Basic`): still valid,
    /// as the scheme name is case-insensitive.
    SchemeCase(u8),
    /// N extra `=` after the base64 payload.
    Padding(u8),
    /// A payload that is not base64 (one of a few forms).
    NotBase64(u8),
    /// `:TOKEN`.
    EmptyId,
    /// `ID:`.
    EmptyToken,
    /// `:`.
    EmptyParts,
    /// The right id and a token of N `x`.
    LongToken(u16),
}

impl AuthFuzz {
    /// Whether a server must accept it.
    pub fn accepted(self) -> bool {
        matches!(self, AuthFuzz::SchemeCase(_))
    }

    /// The scheme name as sent for `SchemeCase`.
    pub fn scheme(self) -> String {
        let AuthFuzz::SchemeCase(mask) = self else { return "Basic".into() };
        "Basic"
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if mask & (1 << i) == 0 {
                    c
                } else if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    }

    /// A label for reports: `scheme-case(bAsIc)`, `long-token(4096)`, ...
    pub fn label(self) -> String {
        match self {
            AuthFuzz::SchemeCase(_) => format!("scheme-case({})", self.scheme()),
            AuthFuzz::Padding(n) => format!("padding({n})"),
            AuthFuzz::NotBase64(k) => format!("not-base64({k})"),
            AuthFuzz::EmptyId => "empty-id".into(),
            AuthFuzz::EmptyToken => "empty-token".into(),
            AuthFuzz::EmptyParts => "empty-parts".into(),
            AuthFuzz::LongToken(n) => format!("long-token({n})"),
        }
    }
}

/// The ways credentials are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AuthBreak {
    /// The header (or key) present but empty.
    Empty,
    /// The right secret under another scheme (`Bearer` for Basic, `Basic` for Bearer).
    OtherScheme,
    /// A Basic payload that is not base64.
    NotBase64,
    /// A Basic payload without the `:` between id and token.
    NoColon,
    /// The right id with a wrong token (or a wrong bearer token / API key).
    WrongToken,
    /// A wrong id with the right token.
    WrongId,
}

impl AuthBreak {
    /// Every way of breaking HTTP Basic credentials.
    pub const BASIC: &[AuthBreak] = &[
        AuthBreak::Empty,
        AuthBreak::OtherScheme,
        AuthBreak::NotBase64,
        AuthBreak::NoColon,
        AuthBreak::WrongToken,
        AuthBreak::WrongId,
    ];

    /// The label part, e.g. `wrong-token`.
    pub fn label(self) -> &'static str {
        match self {
            AuthBreak::Empty => "empty",
            AuthBreak::OtherScheme => "other-scheme",
            AuthBreak::NotBase64 => "not-base64",
            AuthBreak::NoColon => "no-colon",
            AuthBreak::WrongToken => "wrong-token",
            AuthBreak::WrongId => "wrong-id",
        }
    }
}

/// A request body, serialised.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// The `Content-Type` to send.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One request, with its path encoded and everything but credentials in place.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequestSpec {
    /// Path relative to the base URL, segments percent-encoded (`/endpoints/sip/abc`).
    pub path: String,
    /// Query pairs, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Headers (names as written).
    pub headers: Vec<(String, String)>,
    /// Cookies.
    pub cookies: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// How credentials are sent.
    pub auth: AuthMode,
}

/// What a case expects of the response, beyond the common checks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expectation {
    /// Acceptable statuses (any, when empty).
    pub status: Vec<u16>,
    /// Values the JSON body must hold, by JSON pointer (`/id`).
    pub body: Vec<(String, serde_json::Value)>,
    /// Header values the response must carry (names case-insensitive).
    pub headers: Vec<(String, String)>,
    /// The longest the exchange may take, in milliseconds.
    pub max_ms: Option<u64>,
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

/// Compiles the schemas the selected operations use and generates their scenarios, then adds
/// the case files.
pub fn build(
    spec: &crate::openapi::Spec,
    all_ops: &[Operation],
    selected: &[usize],
    seed: u64,
    max_examples: usize,
    case_paths: &[std::path::PathBuf],
) -> crate::Result<(Plan, Validators)> {
    let operations: Vec<Operation> = selected.iter().map(|&i| all_ops[i].clone()).collect();
    let validators = crate::schema::Validators::compile(
        &spec.doc,
        operations.iter().flat_map(Operation::schema_pointers),
    );
    let generator = crate::generate::Generator::new(
        &spec.doc,
        &validators,
        all_ops.iter().map(|o| o.path.clone()),
        max_examples,
    );
    let mut scenarios = Vec::new();
    let mut notes = Vec::new();
    let mut per_op: Vec<Vec<Scenario>> = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let (generated, op_notes) = generator.operation(index, op, seed);
        per_op.push(generated);
        notes.extend(op_notes);
    }
    let (case_files, strict) = if case_paths.is_empty() {
        let default = std::path::Path::new("cases");
        (if default.is_dir() { crate::cases::files(default)? } else { Vec::new() }, false)
    } else {
        let mut files = Vec::new();
        for p in case_paths {
            if !p.exists() {
                return Err(crate::Error::flag(
                    "--cases",
                    format!("{}: no such file or folder", p.display()),
                ));
            }
            files.extend(crate::cases::files(p)?);
        }
        (files, true)
    };
    for file in case_files {
        let loaded = match crate::cases::load(&file, all_ops) {
            Ok(loaded) => loaded,
            Err(crate::Error::Case { message, .. })
                if !strict && message.starts_with(crate::cases::UNKNOWN_OPERATION) =>
            {
                notes.push(format!(
                    "{}: skipped, its operation is not in this spec",
                    file.display()
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        for mut case in loaded {
            if let Some(index) = selected.iter().position(|&i| i == case.operation) {
                case.operation = index;
                per_op[index].push(case);
            }
        }
    }
    for s in per_op {
        scenarios.extend(s);
    }
    Ok((Plan { operations, scenarios, seed, notes }, validators))
}
