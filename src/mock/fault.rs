//! The named ways the mock can break its own contract, so the harness can prove each check.

use std::time::Duration;

use serde_json::Value;

use crate::generate::Rule;
use crate::generate::invalid::break_each_property;

/// One way of breaking the contract.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// A required property is left out of success bodies.
    MissingRequiredProperty,
    /// A property of success bodies has the wrong JSON type.
    WrongType,
    /// An enum property of success bodies has a value outside the enum.
    EnumViolation,
    /// A property with a `format` (uuid, date-time, ...) gets a malformed value.
    FormatViolation,
    /// A property that may not be null is null.
    NullWhereNotAllowed,
    /// Valid requests get 418, which no spec documents.
    UndocumentedStatus,
    /// Valid requests get 500.
    ServerError,
    /// Success bodies are sent as `text/html`.
    WrongContentType,
    /// Success bodies are cut short (not JSON).
    MalformedJson,
    /// Success responses have a JSON content type and an empty body.
    EmptyBody,
    /// Credentials are not checked.
    AuthBypass,
    /// Invalid parameters and bodies are accepted (success status).
    AcceptsInvalidInput,
    /// Valid requests are rejected with the validation status.
    RejectsValidInput,
    /// Valid requests are answered after a delay (default 2s).
    Slow(Duration),
    /// Valid requests are never answered.
    Hang,
    /// Valid requests get the head of a response, then the connection breaks.
    Reset,
    /// A narrow fault: only a path parameter value that trips it breaks the server (for
    /// fuzzing: each hides where a random run seldom looks).
    Trigger(Trigger),
}

/// What trips a narrow fault, and what it does then.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// `value-500:V`: a path parameter equal to V gets 500.
    Value(String),
    /// `length-500:N`: a path parameter longer than N characters gets 500.
    LongerThan(usize),
    /// `case-reset:upper|lower`: a path parameter with an ASCII letter of that case gets its
    /// connection reset.
    Case(LetterCase),
    /// `class-500:CLASS`: a path parameter with a character of that class gets 500.
    Class(CharClass),
}

/// ASCII letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterCase {
    /// A-Z.
    Upper,
    /// a-z.
    Lower,
}

/// Character classes a narrow fault can trip on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Control characters (NUL, newline, DEL, C1).
    Control,
    /// Whitespace.
    Whitespace,
    /// Anything outside ASCII.
    NonAscii,
    /// ASCII punctuation.
    Punctuation,
    /// ASCII digits.
    Digit,
}

impl CharClass {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "control" => CharClass::Control,
            "whitespace" => CharClass::Whitespace,
            "non-ascii" => CharClass::NonAscii,
            "punctuation" => CharClass::Punctuation,
            "digit" => CharClass::Digit,
            _ => {
                return Err(format!(
                    "unknown class '{text}' (control, whitespace, non-ascii, punctuation, digit)"
                ));
            }
        })
    }

    /// Whether `c` is in the class.
    pub fn contains(self, c: char) -> bool {
        match self {
            CharClass::Control => c.is_control(),
            CharClass::Whitespace => c.is_whitespace(),
            CharClass::NonAscii => !c.is_ascii(),
            CharClass::Punctuation => c.is_ascii_punctuation(),
            CharClass::Digit => c.is_ascii_digit(),
        }
    }
}

impl Trigger {
    /// Whether the (percent-decoded) path parameter `value` trips it.
    pub fn trips(&self, value: &str) -> bool {
        match self {
            Trigger::Value(v) => value == v,
            Trigger::LongerThan(n) => value.chars().count() > *n,
            Trigger::Case(LetterCase::Upper) => value.chars().any(|c| c.is_ascii_uppercase()),
            Trigger::Case(LetterCase::Lower) => value.chars().any(|c| c.is_ascii_lowercase()),
            Trigger::Class(class) => value.chars().any(|c| class.contains(c)),
        }
    }
}

/// Each fault's name and what it does, for `--list-faults`.
pub const FAULTS: &[(&str, &str)] = &[
    ("missing-required-property", "leave a required property out of success bodies"),
    ("wrong-type", "give a property of success bodies the wrong JSON type"),
    ("enum-violation", "give an enum property a value outside its enum"),
    ("format-violation", "give a property with a format (uuid, date-time...) a malformed value"),
    ("null-where-not-allowed", "set a property that may not be null to null"),
    ("undocumented-status", "answer valid requests with 418"),
    ("server-error", "answer valid requests with 500"),
    ("wrong-content-type", "send success bodies as text/html"),
    ("malformed-json", "cut success bodies short so they are not JSON"),
    ("empty-body", "send success responses with a JSON content type and no body"),
    ("auth-bypass", "accept missing and wrong credentials"),
    ("accepts-invalid-input", "accept invalid parameters and bodies with a success status"),
    ("rejects-valid-input", "reject valid requests with the validation status"),
    ("slow", "answer valid requests late: slow (2s) or slow:DURATION"),
    ("hang", "never answer valid requests"),
    ("reset", "break the connection after the response head of valid requests"),
    ("value-500:V", "answer 500 when a path parameter is exactly V"),
    ("length-500:N", "answer 500 when a path parameter is longer than N characters"),
    (
        "case-reset:upper|lower",
        "reset the connection when a path parameter has a letter of that case",
    ),
    (
        "class-500:CLASS",
        "answer 500 when a path parameter has a character of CLASS (control, whitespace, non-ascii, punctuation, digit)",
    ),
];

impl Fault {
    /// Parses a fault name (`slow:500ms` carries its delay).
    pub fn parse(text: &str) -> Result<Fault, String> {
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (text, None),
        };
        let fault = match name {
            "missing-required-property" => Fault::MissingRequiredProperty,
            "wrong-type" => Fault::WrongType,
            "enum-violation" => Fault::EnumViolation,
            "format-violation" => Fault::FormatViolation,
            "null-where-not-allowed" => Fault::NullWhereNotAllowed,
            "undocumented-status" => Fault::UndocumentedStatus,
            "server-error" => Fault::ServerError,
            "wrong-content-type" => Fault::WrongContentType,
            "malformed-json" => Fault::MalformedJson,
            "empty-body" => Fault::EmptyBody,
            "auth-bypass" => Fault::AuthBypass,
            "accepts-invalid-input" => Fault::AcceptsInvalidInput,
            "rejects-valid-input" => Fault::RejectsValidInput,
            "slow" => Fault::Slow(match arg {
                Some(a) => crate::support::duration::parse_duration(a)?,
                None => Duration::from_secs(2),
            }),
            "hang" => Fault::Hang,
            "reset" => Fault::Reset,
            "value-500" | "length-500" | "case-reset" | "class-500" => {
                let arg =
                    arg.ok_or_else(|| format!("fault '{name}' needs an argument: {name}:..."))?;
                return Ok(Fault::Trigger(match name {
                    "value-500" => Trigger::Value(arg.to_owned()),
                    "length-500" => Trigger::LongerThan(
                        arg.parse().map_err(|_| format!("length-500:{arg}: not a length"))?,
                    ),
                    "case-reset" => Trigger::Case(match arg {
                        "upper" => LetterCase::Upper,
                        "lower" => LetterCase::Lower,
                        _ => return Err(format!("case-reset:{arg}: upper or lower")),
                    }),
                    _ => Trigger::Class(CharClass::parse(arg)?),
                }));
            }
            _ => {
                let names: Vec<&str> = FAULTS.iter().map(|(n, _)| *n).collect();
                return Err(format!("unknown fault '{text}' (faults: {})", names.join(", ")));
            }
        };
        if arg.is_some() && !matches!(fault, Fault::Slow(_)) {
            return Err(format!("fault '{name}' takes no argument"));
        }
        Ok(fault)
    }

    /// Whether this fault rewrites success bodies.
    pub fn mutates_body(&self) -> bool {
        matches!(
            self,
            Fault::MissingRequiredProperty
                | Fault::WrongType
                | Fault::EnumViolation
                | Fault::FormatViolation
                | Fault::NullWhereNotAllowed
        )
    }
}

/// Ways to break `body` (valid under `schema`) as `fault` says, one per top-level property
/// that allows it (by the fault's [`Rule`]); the caller keeps the first one its validator
/// rejects.
pub fn mutations(doc: &Value, schema: &Value, body: &Value, fault: &Fault) -> Vec<Value> {
    let rule = match fault {
        Fault::MissingRequiredProperty => Rule::MissingRequiredProperty(String::new()),
        Fault::WrongType => Rule::WrongType,
        Fault::EnumViolation => Rule::NotInEnum,
        Fault::FormatViolation => Rule::BadFormat,
        Fault::NullWhereNotAllowed => Rule::NullNotAllowed,
        _ => return Vec::new(),
    };
    break_each_property(doc, schema, body, &rule)
}
