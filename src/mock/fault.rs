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
    /// The first N valid requests get 500, the rest are answered as documented (a server
    /// that fails now and then).
    Flaky(usize),
    /// Success bodies are sent as `text/html`.
    WrongContentType,
    /// Required headers are left out of success responses.
    MissingRequiredHeader,
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
    /// A method the path does not declare is served by the path's operation (as routers
    /// that match on the path alone do).
    IgnoresMethod,
    /// A method the path does not declare gets 405 without an `Allow` header.
    NoAllowHeader,
    /// Reads of a created resource answer 404 (`--stateful`).
    ForgetsCreated,
    /// A DELETE answers 2xx but the resource stays (`--stateful`).
    KeepsDeleted,
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

    /// Its name, as `class-500:NAME` takes it.
    pub fn name(self) -> &'static str {
        match self {
            CharClass::Control => "control",
            CharClass::Whitespace => "whitespace",
            CharClass::NonAscii => "non-ascii",
            CharClass::Punctuation => "punctuation",
            CharClass::Digit => "digit",
        }
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

/// The faults without an argument: each name, fault and what it does, written once for
/// parsing, `--list-faults` and the mock's start line.
const PLAIN: &[(&str, Fault, &str)] = &[
    (
        "missing-required-property",
        Fault::MissingRequiredProperty,
        "leave a required property out of success bodies",
    ),
    ("wrong-type", Fault::WrongType, "give a property of success bodies the wrong JSON type"),
    ("enum-violation", Fault::EnumViolation, "give an enum property a value outside its enum"),
    (
        "format-violation",
        Fault::FormatViolation,
        "give a property with a format (uuid, date-time...) a malformed value",
    ),
    (
        "null-where-not-allowed",
        Fault::NullWhereNotAllowed,
        "set a property that may not be null to null",
    ),
    ("undocumented-status", Fault::UndocumentedStatus, "answer valid requests with 418"),
    ("server-error", Fault::ServerError, "answer valid requests with 500"),
    ("wrong-content-type", Fault::WrongContentType, "send success bodies as text/html"),
    (
        "missing-required-header",
        Fault::MissingRequiredHeader,
        "leave the headers a success response documents as required out of it",
    ),
    ("malformed-json", Fault::MalformedJson, "cut success bodies short so they are not JSON"),
    ("empty-body", Fault::EmptyBody, "send success responses with a JSON content type and no body"),
    ("auth-bypass", Fault::AuthBypass, "accept missing and wrong credentials"),
    (
        "accepts-invalid-input",
        Fault::AcceptsInvalidInput,
        "accept invalid parameters and bodies with a success status",
    ),
    (
        "rejects-valid-input",
        Fault::RejectsValidInput,
        "reject valid requests with the validation status",
    ),
    ("hang", Fault::Hang, "never answer valid requests"),
    ("reset", Fault::Reset, "break the connection after the response head of valid requests"),
    (
        "ignores-method",
        Fault::IgnoresMethod,
        "serve an undeclared method with the path's operation instead of 405",
    ),
    ("no-allow-header", Fault::NoAllowHeader, "answer undeclared methods 405 without Allow"),
    (
        "forgets-created",
        Fault::ForgetsCreated,
        "with --stateful, answer 404 to reads of what was just created",
    ),
    (
        "keeps-deleted",
        Fault::KeepsDeleted,
        "with --stateful, answer a DELETE 2xx but keep serving the resource",
    ),
];

/// The faults that take an argument, as `--list-faults` shows them.
const WITH_ARGUMENT: &[(&str, &str)] = &[
    ("slow", "answer valid requests late: slow (2s) or slow:DURATION"),
    ("flaky:N", "answer the first N valid requests 500, and the rest as documented"),
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

/// Every fault's name (with its argument's form) and what it does, for `--list-faults`.
pub fn faults() -> impl Iterator<Item = (&'static str, &'static str)> {
    PLAIN.iter().map(|(name, _, what)| (*name, *what)).chain(WITH_ARGUMENT.iter().copied())
}

impl Fault {
    /// Parses a fault name (`slow:500ms` carries its delay).
    pub fn parse(text: &str) -> Result<Fault, String> {
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (text, None),
        };
        if let Some((_, fault, _)) = PLAIN.iter().find(|(n, _, _)| *n == name) {
            if arg.is_some() {
                return Err(format!("fault '{name}' takes no argument"));
            }
            return Ok(fault.clone());
        }
        Ok(match name {
            "slow" => Fault::Slow(match arg {
                Some(a) => crate::support::duration::parse_duration(a)?,
                None => Duration::from_secs(2),
            }),
            "flaky" => {
                let arg = arg.ok_or("fault 'flaky' needs an argument: flaky:N")?;
                Fault::Flaky(arg.parse().map_err(|_| format!("flaky:{arg}: not a count"))?)
            }
            "value-500" | "length-500" | "case-reset" | "class-500" => {
                let arg =
                    arg.ok_or_else(|| format!("fault '{name}' needs an argument: {name}:..."))?;
                Fault::Trigger(match name {
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
                })
            }
            _ => {
                let names: Vec<&str> = faults().map(|(n, _)| n).collect();
                return Err(format!("unknown fault '{text}' (faults: {})", names.join(", ")));
            }
        })
    }

    /// The name it was given by (`format-violation`, `slow:2s`, `value-500:V`).
    pub fn name(&self) -> String {
        if let Some((name, _, _)) = PLAIN.iter().find(|(_, f, _)| f == self) {
            return (*name).to_owned();
        }
        match self {
            Fault::Slow(d) => format!("slow:{d:?}"),
            Fault::Flaky(n) => format!("flaky:{n}"),
            Fault::Trigger(Trigger::Value(v)) => format!("value-500:{v}"),
            Fault::Trigger(Trigger::LongerThan(n)) => format!("length-500:{n}"),
            Fault::Trigger(Trigger::Case(LetterCase::Upper)) => "case-reset:upper".into(),
            Fault::Trigger(Trigger::Case(LetterCase::Lower)) => "case-reset:lower".into(),
            Fault::Trigger(Trigger::Class(c)) => format!("class-500:{}", c.name()),
            _ => format!("{self:?}"),
        }
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

#[cfg(test)]
mod names {
    use super::*;

    /// Every fault `--list-faults` shows parses, and its name reads back as it was written.
    #[test]
    fn every_listed_fault_parses_and_names_itself() {
        for (listed, _) in faults() {
            let written = match listed.split_once(':') {
                Some(("value-500", _)) => "value-500:abc".to_owned(),
                Some(("length-500", _)) => "length-500:64".to_owned(),
                Some(("case-reset", _)) => "case-reset:upper".to_owned(),
                Some(("class-500", _)) => "class-500:non-ascii".to_owned(),
                Some(("flaky", _)) => "flaky:3".to_owned(),
                _ => listed.to_owned(),
            };
            let fault = Fault::parse(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
            let name = fault.name();
            assert!(
                name == written || written == "slow" && name == "slow:2s",
                "{written} → {name}"
            );
        }
        assert!(Fault::parse("hang:1").unwrap_err().contains("takes no argument"));
    }
}
