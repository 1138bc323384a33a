//! Raw bytes that are not UTF-8 (overlong encodings, lone surrogates, stray continuation
//! bytes), carried through the fuzzer's strings and sent as the bytes themselves.
//!
//! A fuzzed value is a `String` (it shrinks, prints and records as one), and a `String` cannot
//! hold `0xC0`. So each raw byte is held as one character of a private-use block
//! (`U+F700 + byte`) and turned back into the byte where the request is written: `%C0` in a
//! path segment, the byte itself in a JSON or multipart body, `%C0` in a form body. Reports
//! show it as `\xC0`. No generated value holds these characters (the dictionary and random
//! text never draw them), so a value that does came from [`raw`].

/// The first character of the block that stands for raw bytes.
const BASE: u32 = 0xF700;

/// The raw byte `c` stands for, if it stands for one.
fn byte_of(c: char) -> Option<u8> {
    let n = u32::from(c);
    (BASE..BASE + 256).contains(&n).then(|| (n - BASE) as u8)
}

/// Text that stands for `bytes`, sent as they are.
pub fn raw(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from_u32(BASE + u32::from(*b)).expect("in the BMP")).collect()
}

/// Whether `text` holds a raw byte.
pub fn has_raw(text: &str) -> bool {
    text.chars().any(|c| byte_of(c).is_some())
}

/// `text` without its raw bytes (for a header, a cookie or a query value, which go out as
/// text).
pub fn without_raw(text: &str) -> String {
    text.chars().filter(|c| byte_of(*c).is_none()).collect()
}

/// `text` as a path segment: raw bytes as `%XX`, the rest percent-encoded as UTF-8.
pub fn segment(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars() {
        match byte_of(c) {
            Some(b) => {
                out.push_str(&crate::generate::encode_segment(&run));
                run.clear();
                out.push_str(&format!("%{b:02X}"));
            }
            None => run.push(c),
        }
    }
    out.push_str(&crate::generate::encode_segment(&run));
    out
}

/// `text` for a report: raw bytes as `\xC0`.
pub fn display(text: &str) -> String {
    if !has_raw(text) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match byte_of(c) {
            Some(b) => format!("\\x{b:02X}"),
            None => c.to_string(),
        })
        .collect()
}

/// A written body with each raw byte's stand-in, as UTF-8 (`EF 9C 80`–`EF 9F BF`) or
/// percent-encoded as a form writes it (`%EF%9C%80`), replaced by the byte (`%XX` in the
/// percent-encoded form).
pub fn body(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let [0xEF, b2 @ 0x9C..=0x9F, b3 @ 0x80..=0xBF, ..] = bytes[i..] {
            out.push(((b2 & 0x03) << 6) | (b3 & 0x3F));
            i += 3;
            continue;
        }
        if let Some(b) = percent_stand_in(&bytes[i..]) {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
            i += 9;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The raw byte a percent-encoded stand-in (`%EF%9C%80`) at the start of `bytes` holds.
fn percent_stand_in(bytes: &[u8]) -> Option<u8> {
    let hex = |at: usize| -> Option<u8> {
        let pair = bytes.get(at..at + 3)?;
        if pair[0] != b'%' {
            return None;
        }
        u8::from_str_radix(std::str::from_utf8(&pair[1..]).ok()?, 16).ok()
    };
    let (b1, b2, b3) = (hex(0)?, hex(3)?, hex(6)?);
    (b1 == 0xEF && (0x9C..=0x9F).contains(&b2) && (0x80..=0xBF).contains(&b3))
        .then_some(((b2 & 0x03) << 6) | (b3 & 0x3F))
}

/// The raw values the fuzzer draws: overlong encodings of `/`, `.` and NUL, lone UTF-16
/// surrogates written as UTF-8, stray continuation and start bytes, a truncated sequence, and
/// Latin-1 text.
pub fn values() -> Vec<String> {
    let cases: [&[u8]; 12] = [
        &[0xC0, 0xAF],
        &[0xE0, 0x80, 0xAF],
        &[0xC0, 0xAE, 0xC0, 0xAE, 0xC0, 0xAF],
        &[0xC0, 0x80],
        &[0xED, 0xA0, 0x80],
        &[0xED, 0xBF, 0xBF],
        &[0x80],
        &[0xFF],
        &[0xFE, 0xFF],
        &[0xE2, 0x82],
        &[0xF8, 0x88, 0x80, 0x80, 0x80],
        &[b'c', b'a', b'f', 0xE9],
    ];
    cases.iter().map(|b| raw(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_byte_goes_out_as_itself_in_a_path_and_a_body_and_prints_as_an_escape() {
        let text = format!("a{}/", raw(&[0xC0, 0xAF]));
        assert_eq!(segment(&text), "a%C0%AF%2F");
        assert_eq!(display(&text), "a\\xC0\\xAF/");
        let json = serde_json::to_vec(&serde_json::json!({ "n": text })).unwrap();
        assert_eq!(body(&json), b"{\"n\":\"a\xC0\xAF/\"}".to_vec());
        let form = format!("n=a{}", "%EF%9F%80");
        assert_eq!(body(form.as_bytes()), b"n=a%C0".to_vec());
        assert!(has_raw(&text) && !has_raw(&without_raw(&text)));
        // Real private-use-adjacent text is left alone.
        assert_eq!(body("\u{e000}é".as_bytes()), "\u{e000}é".as_bytes());
    }
}
