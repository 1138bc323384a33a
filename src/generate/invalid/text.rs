//! Invalid parameter texts, each with the [`Rule`] it means to break.
//!
//! Candidates are only proposals: the scenario builder keeps a candidate only when the
//! compiled validator rejects it as the server will read it (see `generate::params::coerce`),
//! so a value that turns out valid (a number's text in a string parameter) is never counted.

use serde_json::{Map, Value};

use super::rule::{NOT_CONST, NOT_IN_ENUM, Rule, UuidBreak, bad_format};

/// A proposed invalid parameter text and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The rule it breaks.
    pub rule: Rule,
    /// The text to send (before encoding).
    pub text: String,
}

fn c(rule: Rule, text: impl Into<String>) -> Candidate {
    Candidate { rule, text: text.into() }
}

fn u(kind: UuidBreak, text: impl Into<String>) -> Candidate {
    c(Rule::Uuid(kind), text)
}

/// The malformed forms of a UUID that real servers meet, built around `good`.
pub fn uuid_battery(good: &str) -> Vec<Candidate> {
    let g = good.to_ascii_lowercase();
    let no_hyphens = g.replace('-', "");
    let mut shifted: Vec<char> = g.chars().collect();
    shifted.swap(8, 9); // hyphen one place to the right
    let mut non_hex: Vec<char> = g.chars().collect();
    non_hex[0] = 'g';
    vec![
        u(UuidBreak::Empty, ""),
        u(UuidBreak::TooShort, &g[..35]),
        u(UuidBreak::TooLong, format!("{g}0")),
        u(UuidBreak::ShortGroup, format!("{}{}", &g[..7], &g[8..])),
        u(UuidBreak::HyphenMisplaced, shifted.into_iter().collect::<String>()),
        u(UuidBreak::NonHexCharacter, non_hex.into_iter().collect::<String>()),
        u(UuidBreak::NoHyphens, no_hyphens.clone()),
        u(UuidBreak::UnderscoreSeparators, g.replace('-', "_")),
        u(UuidBreak::SpaceSeparators, g.replace('-', " ")),
        u(UuidBreak::Braces, format!("{{{g}}}")),
        u(UuidBreak::UrnUuid, format!("urn:uuid:{g}")),
        u(UuidBreak::LeadingSpace, format!(" {g}")),
        u(UuidBreak::TrailingSpace, format!("{g} ")),
        u(UuidBreak::TrailingNewline, format!("{g}\n")),
        u(UuidBreak::VeryLong, g.repeat(64)),
        u(UuidBreak::NonAscii, format!("{}é{}", &g[..8], &g[9..])),
        u(UuidBreak::Emoji, format!("{}😀", &g[..34])),
        u(UuidBreak::EmbeddedNul, format!("{}\0{}", &g[..18], &g[19..])),
        u(UuidBreak::PercentEncodedSlash, format!("{}/{}", &g[..18], &g[19..])),
        u(UuidBreak::ReservedCharacters, format!("{g}?#&=")),
        u(UuidBreak::PathTraversal, format!("../../{g}")),
        u(UuidBreak::DotSegment, ".."),
        u(UuidBreak::Integer, "12345"),
        u(UuidBreak::SqlInjection, format!("{g}' OR '1'='1")),
    ]
}

/// Invalid candidates for a (resolved) primitive parameter schema.
pub fn for_schema(schema: &Map<String, Value>, valid: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let num = |k: &str| schema.get(k).and_then(Value::as_f64);
    if format == "uuid" {
        let good = uuid::Uuid::parse_str(valid)
            .unwrap_or(uuid::Uuid::from_u128(0x3fa85f64_5717_4562_b3fc_2c963f66afa6));
        out.extend(uuid_battery(&good.to_string()));
    }
    if types.iter().any(|t| matches!(*t, "integer" | "number")) {
        out.push(c(Rule::WrongType, "not-a-number"));
        out.push(c(Rule::Empty, ""));
        if types.contains(&"integer") {
            out.push(c(Rule::Fractional, "1.5"));
        }
        if let Some(min) = num("minimum") {
            out.push(c(Rule::BelowMinimum, fmt_num(min - 1.0)));
        }
        if let Some(min) = num("exclusiveMinimum") {
            out.push(c(Rule::AtExclusiveMinimum, fmt_num(min)));
        }
        if let Some(max) = num("maximum") {
            out.push(c(Rule::AboveMaximum, fmt_num(max + 1.0)));
        }
        if let Some(max) = num("exclusiveMaximum") {
            out.push(c(Rule::AtExclusiveMaximum, fmt_num(max)));
        }
        out.push(c(Rule::Overflow, "99999999999999999999999"));
    }
    if types.contains(&"boolean") {
        out.push(c(Rule::WrongType, "maybe"));
    }
    if schema.contains_key("enum") {
        out.push(c(Rule::NotInEnum, NOT_IN_ENUM));
    }
    if let Some(Value::String(_)) | Some(Value::Number(_)) | Some(Value::Bool(_)) =
        schema.get("const")
    {
        out.push(c(Rule::NotConst, NOT_CONST));
    }
    if types.contains(&"string") || types.is_empty() {
        if let Some(min) = schema
            .get("minLength")
            .and_then(Value::as_u64)
            .filter(|m| *m > 0 && *m <= super::super::value::MAX_SIZE)
        {
            out.push(c(Rule::TooShort, "a".repeat(min as usize - 1)));
        }
        // Past a few kilobytes the URL, not the schema, is what a server rejects.
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64).filter(|m| *m < 4096) {
            out.push(c(Rule::TooLong, "a".repeat(max as usize + 1)));
        }
        if schema.contains_key("pattern") {
            out.push(c(Rule::PatternMismatch, "!~ gauntlet ~!"));
            out.push(c(Rule::PatternMismatchEmpty, ""));
        }
        // The formats a parameter is broken for, each labelled by its name.
        const NAMED: &[&str] = &["date-time", "date", "email", "ipv4", "ipv6", "uri", "hostname"];
        if let Some(named) = NAMED.iter().find(|f| **f == format)
            && let Some(bad) = bad_format(named)
        {
            out.push(c(Rule::BadFormatOf(named), bad));
        }
    }
    out
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 { format!("{}", x as i64) } else { format!("{x}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_battery_covers_the_malformed_kinds() {
        let b = uuid_battery("3fa85f64-5717-4562-b3fc-2c963f66afa6");
        let rules: Vec<String> = b.iter().map(|c| c.rule.label()).collect();
        for rule in [
            "empty",
            "too-short",
            "too-long",
            "no-hyphens",
            "braces",
            "urn-uuid",
            "non-ascii",
            "path-traversal",
        ] {
            assert!(rules.iter().any(|r| r == rule), "{rule}");
        }
        assert!(b.iter().all(|c| c.text != "3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert_eq!(b.iter().find(|c| c.rule.label() == "too-short").unwrap().text.len(), 35);
    }
}
