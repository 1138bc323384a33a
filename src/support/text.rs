//! Text from specs and servers shown on a terminal: control characters and the Unicode
//! direction overrides that make a terminal show something other than what is there
//! (U+202E) are written as escapes; markup escaped for the XML and HTML reports; long text
//! cut short; library messages put in the user's terms.

use std::borrow::Cow;

/// Whether a terminal would act on `c` instead of showing it.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [`is_unsafe`] character written `\u{202e}`.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shortens `s` to at most `max` characters, marking the cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// A parser's message in the terms of the file the user wrote, not of the types it is read
/// into (`use Option<String>`, `untagged enum`, `Depth { depth: 257 }`).
pub fn in_user_terms(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("use option<") || lower.contains("null into") {
        return "a value is missing here".into();
    }
    if lower.contains("recursive references") {
        return "a YAML alias refers to itself".into();
    }
    if lower.contains("recursion limit") || lower.contains("depth") && lower.contains("budget") {
        return "nested more than 256 levels deep".into();
    }
    if lower.contains("budget") {
        return "too large to read (too many nodes or aliases expanded)".into();
    }
    if let Some(i) = message.find("did not match any variant of untagged enum") {
        return format!("{}has the wrong form", &message[..i]);
    }
    message.to_owned()
}

/// A TOML error as `line N: message`.
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = in_user_terms(e.message().trim());
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

/// XML and HTML text in one pass over `s`: markup escaped, characters XML 1.0 cannot hold
/// replaced, and in an attribute, quotes and white space that parsers would fold written as
/// references.
pub fn escape_markup(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_controls_are_escaped() {
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(escape_controls("a\u{202e}b\x1b[31m"), "a\\u{202e}b\\u{1b}[31m");
    }
}
