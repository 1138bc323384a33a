//! The curated values that break real servers: for uuids, every malformed form of the run's
//! battery and more (nil and max, every version nibble, case, braces, `urn:uuid:`, truncated
//! and extended, control characters, encoded separators, very long); for any string,
//! format-string and injection markers, whitespace variants, odd Unicode.

use crate::generate::uuid_battery;

/// A well-formed uuid the variants are built around.
const BASE: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// The boundary uuids, drawn often: nil, max, and the nil uuid with each version nibble.
pub fn uuid_boundaries() -> Vec<String> {
    let mut out = vec![
        "00000000-0000-0000-0000-000000000000".to_owned(),
        "ffffffff-ffff-ffff-ffff-ffffffffffff".to_owned(),
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF".to_owned(),
    ];
    for v in "123456789abcdef".chars() {
        out.push(format!("00000000-0000-{v}000-8000-000000000000"));
    }
    out
}

/// Values for a `format: uuid` parameter.
pub fn uuid() -> Vec<String> {
    let mut out = vec![
        "00000000-0000-0000-0000-000000000000".to_owned(),
        "ffffffff-ffff-ffff-ffff-ffffffffffff".to_owned(),
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF".to_owned(),
        BASE.to_ascii_uppercase(),
        "3Fa85F64-5717-4562-B3fC-2C963f66AfA6".to_owned(),
        format!("{{{}}}", BASE.to_ascii_uppercase()),
        format!("urn:uuid:{}", BASE.to_ascii_uppercase()),
        BASE[..35].to_owned(),
        BASE[..8].to_owned(),
        format!("{BASE}0"),
        format!("{BASE}{BASE}"),
        format!("{}\r\n", BASE),
        format!("{}\t", BASE),
        format!("{}\u{7f}", BASE),
        format!("{}%00", BASE),
        format!("{}%2F..%2F", &BASE[..18]),
        "%2e%2e".to_owned(),
        "..;".to_owned(),
        format!("{}\u{ff0d}{}", &BASE[..8], &BASE[9..]),
        format!("{}\u{200b}", BASE),
        format!("{}\u{202e}", BASE),
    ];
    // Every version nibble, on the nil uuid and on a real one.
    for v in "0123456789abcdef".chars() {
        out.push(format!("00000000-0000-{v}000-8000-000000000000"));
        out.push(format!("{}{v}{}", &BASE[..14], &BASE[15..]));
    }
    out.extend(uuid_battery(BASE).into_iter().map(|c| c.text));
    out.extend(strings());
    out
}

/// Values for any string parameter.
pub fn strings() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{a0}",
        "\u{2028}",
        "\u{3000}",
        " x",
        "x ",
        "%s%s%s%s%n",
        "%x%x%x",
        "{0}",
        "{{7*7}}",
        "${7*7}",
        "#{7*7}",
        "<%= 7*7 %>",
        "' OR '1'='1",
        "\" OR \"1\"=\"1",
        "1; DROP TABLE users--",
        "' UNION SELECT NULL--",
        "<script>alert(1)</script>",
        "\"><img src=x>",
        "../../../../etc/passwd",
        "..\\..\\windows",
        ";ls",
        "|id",
        "$(id)",
        "`id`",
        "&&id",
        "\\",
        "\\\\",
        "/",
        "//",
        "?",
        "#",
        "&",
        "=",
        "%",
        "%25",
        "%2F",
        "%00",
        "%c0%af",
        "\0",
        "\u{1}",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{fffd}",
        "\u{feff}",
        "😀",
        "👨‍👩‍👧",
        "é",
        "e\u{301}",
        "\u{202e}abc",
        "ﬀ",
        "İ",
        "null",
        "undefined",
        "NaN",
        "true",
        "-1",
        "0",
        "1e309",
        "9999999999999999999999",
        "[]",
        "{}",
        "*",
        "..",
        ".",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for n in [255, 256, 1024, 4096, 8193] {
        out.push("a".repeat(n));
    }
    out.push(BASE.repeat(128));
    out
}
