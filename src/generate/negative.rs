//! Candidate invalid values for a parameter, each labelled with the rule it means to break.
//!
//! Candidates are only proposals: the scenario builder keeps a candidate only when the
//! compiled validator rejects it as the server will read it (see [`super::params::coerce`]),
//! so a value that turns out valid (a number's text in a string parameter) is never counted.

use serde_json::{Map, Value};

/// A proposed invalid parameter text and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Label of the rule, e.g. `too-short`.
    pub rule: String,
    /// The text to send (before encoding).
    pub text: String,
}

fn c(rule: &str, text: impl Into<String>) -> Candidate {
    Candidate { rule: rule.to_owned(), text: text.into() }
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
        c("empty", ""),
        c("too-short", &g[..35]),
        c("too-long", format!("{g}0")),
        c("short-group", format!("{}{}", &g[..7], &g[8..])),
        c("hyphen-misplaced", shifted.into_iter().collect::<String>()),
        c("non-hex-character", non_hex.into_iter().collect::<String>()),
        c("no-hyphens", no_hyphens.clone()),
        c("underscore-separators", g.replace('-', "_")),
        c("space-separators", g.replace('-', " ")),
        c("braces", format!("{{{g}}}")),
        c("urn-uuid", format!("urn:uuid:{g}")),
        c("leading-space", format!(" {g}")),
        c("trailing-space", format!("{g} ")),
        c("trailing-newline", format!("{g}\n")),
        c("very-long", g.repeat(64)),
        c("non-ascii", format!("{}é{}", &g[..8], &g[9..])),
        c("emoji", format!("{}😀", &g[..34])),
        c("embedded-nul", format!("{}\0{}", &g[..18], &g[19..])),
        c("percent-encoded-slash", format!("{}/{}", &g[..18], &g[19..])),
        c("reserved-characters", format!("{g}?#&=")),
        c("path-traversal", format!("../../{g}")),
        c("dot-segment", ".."),
        c("integer", "12345"),
        c("sql-injection", format!("{g}' OR '1'='1")),
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
        out.push(c("wrong-type", "not-a-number"));
        out.push(c("empty", ""));
        if types.contains(&"integer") {
            out.push(c("fractional", "1.5"));
        }
        if let Some(min) = num("minimum") {
            out.push(c("below-minimum", fmt_num(min - 1.0)));
        }
        if let Some(min) = num("exclusiveMinimum") {
            out.push(c("at-exclusive-minimum", fmt_num(min)));
        }
        if let Some(max) = num("maximum") {
            out.push(c("above-maximum", fmt_num(max + 1.0)));
        }
        if let Some(max) = num("exclusiveMaximum") {
            out.push(c("at-exclusive-maximum", fmt_num(max)));
        }
        out.push(c("overflow", "99999999999999999999999"));
    }
    if types.contains(&"boolean") {
        out.push(c("wrong-type", "maybe"));
    }
    if schema.contains_key("enum") {
        out.push(c("not-in-enum", "gauntlet-not-in-enum"));
    }
    if let Some(Value::String(_)) | Some(Value::Number(_)) | Some(Value::Bool(_)) =
        schema.get("const")
    {
        out.push(c("not-const", "gauntlet-not-const"));
    }
    if types.contains(&"string") || types.is_empty() {
        if let Some(min) = schema
            .get("minLength")
            .and_then(Value::as_u64)
            .filter(|m| *m > 0 && *m <= super::value::MAX_SIZE)
        {
            out.push(c("too-short", "a".repeat(min as usize - 1)));
        }
        // Past a few kilobytes the URL, not the schema, is what a server rejects.
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64).filter(|m| *m < 4096) {
            out.push(c("too-long", "a".repeat(max as usize + 1)));
        }
        if schema.contains_key("pattern") {
            out.push(c("pattern-mismatch", "!~ gauntlet ~!"));
            out.push(c("pattern-mismatch-empty", ""));
        }
        match format {
            "date-time" => out.push(c("bad-date-time", "2024-13-45T25:61:00")),
            "date" => out.push(c("bad-date", "2024-02-30x")),
            "email" => out.push(c("bad-email", "not-an-email")),
            "ipv4" => out.push(c("bad-ipv4", "999.1.1.1")),
            "ipv6" => out.push(c("bad-ipv6", "2001:db8:::1::")),
            "uri" => out.push(c("bad-uri", "not a uri")),
            "hostname" => out.push(c("bad-hostname", "-bad-.host_name")),
            _ => {}
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
        let rules: Vec<&str> = b.iter().map(|c| c.rule.as_str()).collect();
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
            assert!(rules.contains(&rule), "{rule}");
        }
        assert!(b.iter().all(|c| c.text != "3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert_eq!(b.iter().find(|c| c.rule == "too-short").unwrap().text.len(), 35);
    }
}
