//! `gauntlet fuzz` against the built-in mock with narrow faults: each is found within the
//! default budget and shrunk to its minimal input; a clean mock gives nothing; a saved
//! failure replays; the same seed gives the same findings.

use std::path::Path;

use serde_json::Value;

use crate::junit_schema::xmllint;
use crate::support::{MockProcess, Outcome, SEED_SPEC, USER, gauntlet_in};

fn spec() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_SPEC).display().to_string()
}

/// `gauntlet fuzz --seed 7` against `url` in `dir`, with `extra` flags.
fn fuzz(dir: &Path, url: &str, extra: &[&str]) -> Outcome {
    let spec = spec();
    let mut args = vec!["fuzz", "--spec", &spec, "--base-url", url, "--user", USER, "--seed", "7"];
    args.extend_from_slice(extra);
    gauntlet_in(dir, &args, &[])
}

/// The saved failures in `dir`, by id.
fn records(dir: &Path) -> Vec<Value> {
    let mut out: Vec<Value> = std::fs::read_dir(dir.join("reports/fuzz"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|r| r["id"].as_str().unwrap_or("").to_owned());
    out
}

#[test]
fn each_narrow_fault_is_found_within_the_default_budget_and_shrunk_to_its_minimal_input() {
    let long = "a".repeat(65);
    for (fault, check, minimal) in [
        (
            "value-500:ffffffff-ffff-ffff-ffff-ffffffffffff",
            "not_a_server_error",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ),
        ("length-500:64", "not_a_server_error", long.as_str()),
        ("case-reset:upper", "transport", "A"),
        ("class-500:whitespace", "not_a_server_error", " "),
        ("class-500:non-ascii", "not_a_server_error", "é"),
        ("class-500:digit", "not_a_server_error", "0"),
    ] {
        let mock = MockProcess::start(&["--user", USER, "--fault", fault]);
        let dir = tempfile::tempdir().unwrap();
        let out = fuzz(dir.path(), &mock.url, &[]);
        assert_eq!(out.code, 1, "{fault}: {}", out.all());
        assert!(out.stdout.contains("1 distinct failures"), "{fault}: {}", out.all());
        let records = records(dir.path());
        assert_eq!(records.len(), 1, "{fault}: {records:?}");
        let r = &records[0];
        assert_eq!(r["check"], check, "{fault}: {r}");
        assert_eq!(r["input"]["path.id"], minimal, "{fault}: {r}");
        assert_eq!(r["input"]["auth"], "valid", "{fault}: {r}");
        assert!(r["found_after"].as_u64().unwrap() <= 1000, "{fault}: {r}");
        let line = format!("minimal:  path.id={:?} auth=\"valid\"", minimal);
        assert!(out.stdout.contains(&line), "{fault}: {line}\n{}", out.all());
        eprintln!(
            "{fault}: found after {} examples, shrunk in {} requests to {minimal:?}",
            r["found_after"], r["shrink_steps"]
        );
    }
}

#[test]
fn a_clean_mock_gives_nothing_and_a_passing_report() {
    let mock = MockProcess::start(&["--user", USER]);
    let dir = tempfile::tempdir().unwrap();
    let out = fuzz(dir.path(), &mock.url, &["--max-examples", "600"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("0 distinct failures"), "{}", out.all());
    assert!(records(dir.path()).is_empty());
    let junit_path = dir.path().join("reports/fuzz/junit.xml");
    let junit = std::fs::read_to_string(&junit_path).unwrap();
    // One passing case per operation and check.
    assert_eq!(junit.matches("<testcase ").count(), gauntlet::checks::ALL.len(), "{junit}");
    assert!(junit.contains("name=\"fuzz/not_a_server_error\""), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
    xmllint(&junit_path);

    // A time budget instead of a count; a parameter the operation lacks is a flag error.
    let timed = fuzz(dir.path(), &mock.url, &["--duration", "300ms"]);
    assert_eq!(timed.code, 0, "{}", timed.all());
    assert!(timed.stdout.contains("· 300ms · seed 7"), "{}", timed.all());
    let bad = fuzz(dir.path(), &mock.url, &["--param", "nope"]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert_eq!(
        bad.stderr.trim(),
        "error: --param: no selected operation has a parameter or body field 'nope' in the locations fuzzed",
        "{}",
        bad.all()
    );
}

#[test]
fn broken_credentials_are_fuzzed_and_secrets_never_shown() {
    let mock = MockProcess::start(&["--user", USER, "--fault", "auth-bypass"]);
    let dir = tempfile::tempdir().unwrap();
    let out = fuzz(dir.path(), &mock.url, &["--max-examples", "300"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let records = records(dir.path());
    let auth = records.iter().find(|r| r["check"] == "auth_enforced").expect("auth_enforced found");
    // Shrunk to the plainest way of failing: no credentials at all.
    assert_eq!(auth["input"]["auth"], "missing", "{auth}");
    let token = USER.split_once(':').unwrap().1;
    let saved: String = records.iter().map(Value::to_string).collect();
    let junit = std::fs::read_to_string(dir.path().join("reports/fuzz/junit.xml")).unwrap();
    for text in [&out.stdout, &out.stderr, &saved, &junit] {
        assert!(!text.contains(token), "token leaked: {text}");
    }
    xmllint(&dir.path().join("reports/fuzz/junit.xml"));
}

#[test]
fn the_same_seed_finds_the_same_minimal_inputs_and_replay_reproduces_them() {
    let mock = MockProcess::start(&[
        "--user",
        USER,
        "--fault",
        "length-500:40",
        "--fault",
        "case-reset:lower",
    ]);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = fuzz(a.path(), &mock.url, &["--max-examples", "300", "--concurrency", "4"]);
    let second = fuzz(b.path(), &mock.url, &["--max-examples", "300", "--concurrency", "4"]);
    assert_eq!(first.code, 1, "{}", first.all());
    assert_eq!(second.code, 1, "{}", second.all());
    let strip = |v: &Vec<Value>| -> Vec<(Value, Value, Value)> {
        v.iter().map(|r| (r["id"].clone(), r["input"].clone(), r["found_after"].clone())).collect()
    };
    assert_eq!(records(a.path()).len(), 2, "{}", first.all());
    assert_eq!(strip(&records(a.path())), strip(&records(b.path())));

    let saved = a.path().join("reports/fuzz/retrieve-sip-endpoint-not_a_server_error-500.json");
    let replay =
        gauntlet_in(a.path(), &["fuzz", "--replay", saved.to_str().unwrap(), "--user", USER], &[]);
    assert_eq!(replay.code, 1, "{}", replay.all());
    assert!(replay.stdout.contains("STILL FAILS the same way"), "{}", replay.all());
    assert!(replay.stdout.contains("reproduce: curl"), "{}", replay.all());

    // Against a server without the fault, the same request passes.
    let fixed = MockProcess::start(&["--user", USER]);
    let replay = gauntlet_in(
        a.path(),
        &["fuzz", "--replay", saved.to_str().unwrap(), "--user", USER, "--base-url", &fixed.url],
        &[],
    );
    assert_eq!(replay.code, 0, "{}", replay.all());
    assert!(replay.stdout.contains("PASSES now"), "{}", replay.all());

    let bad = gauntlet_in(a.path(), &["fuzz", "--replay", "nope.json"], &[]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.starts_with("error: nope.json: cannot read"), "{}", bad.all());
}

/// A search endpoint whose query text reaches SQL unescaped and whose trace header is copied
/// into a fixed buffer: `gauntlet fuzz` fuzzes query and header parameters too, shrinks each
/// crash to its own minimal input under its own key, and `--location` narrows what it fuzzes.
#[test]
fn query_and_header_parameters_are_fuzzed_and_location_narrows_them() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: search, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, maxLength: 64}}
        - {name: X-Trace, in: header, schema: {type: string, maxLength: 200}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;
    let url = crate::support::raw_server(|s, head, _| {
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let query = target.split_once('?').map_or("", |(_, q)| q);
        let q = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let trace = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-trace:").map(|v| v.trim().len()))
            .unwrap_or(0);
        let (status, body) = if q.contains('\'') {
            ("500 Internal Server Error", "syntax error near '")
        } else if trace > 100 {
            ("500 Internal Server Error", "buffer overflow")
        } else if q.chars().count() > 64 {
            ("400 Bad Request", "{}")
        } else {
            ("200 OK", "{}")
        };
        crate::support::answer(s, status, "application/json", body);
    });
    let (dir, spec) = crate::support::temp_file("search.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["fuzz", "--spec", spec, "--base-url", &url, "--seed", "3"];
        args.extend_from_slice(&["--max-examples", "400"]);
        args.extend_from_slice(extra);
        gauntlet_in(dir.path(), &args, &[])
    };
    let all = run(&[]);
    assert_eq!(all.code, 1, "{}", all.all());
    let found = records(dir.path());
    let sql = found
        .iter()
        .filter_map(|r| r["input"]["query.q"].as_str())
        .find(|q| q.contains('\''))
        .unwrap_or_else(|| panic!("a query crash under query.q: {found:?}\n{}", all.all()));
    assert!(sql.chars().count() <= 64, "shrunk: {sql}");
    assert!(
        found
            .iter()
            .any(|r| r["signature"].as_str().is_some_and(|s| s.contains("buffer overflow"))),
        "the header crash is its own finding: {found:?}\n{}",
        all.all()
    );

    std::fs::remove_dir_all(dir.path().join("reports")).unwrap();
    let headers_only = run(&["--location", "header"]);
    assert_eq!(headers_only.code, 1, "{}", headers_only.all());
    let found = records(dir.path());
    assert!(found.iter().all(|r| r["input"].get("query.q").is_none()), "{found:?}");
    let bad = run(&["--location", "form"]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.contains("'form' is not a location"), "{}", bad.all());
}

/// Bearer tokens and API keys are fuzzed too: the built-in mock, which checks them exactly,
/// gives nothing; a server that takes any `Bearer` value is caught, the token never shown.
#[test]
fn bearer_tokens_are_fuzzed_and_a_server_taking_any_is_caught_without_showing_the_token() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: tokens, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
paths:
  /me:
    get:
      operationId: me
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "401": {description: no}
"#;
    let (dir, spec) = crate::support::temp_file("tokens.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let token = "tok-3f9a1c";
    let clean = gauntlet_in(
        dir.path(),
        &["fuzz", "--spec", spec, "--seed", "2", "--max-examples", "300"],
        &[],
    );
    assert_eq!(clean.code, 0, "{}", clean.all());
    // Any value after `Bearer ` is taken; none at all is refused.
    let url = crate::support::raw_server(|s, head, _| {
        let lower = head.to_ascii_lowercase();
        let ok = lower.lines().any(|l| l.starts_with("authorization: bearer ") && l.len() > 22);
        let (status, body) = if ok { ("200 OK", "{}") } else { ("401 Unauthorized", "{}") };
        crate::support::answer(s, status, "application/json", body);
    });
    let out = gauntlet_in(
        dir.path(),
        &["fuzz", "--spec", spec, "--base-url", &url, "--bearer", token, "--seed", "2"],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    let found = records(dir.path());
    assert!(found.iter().any(|r| r["check"] == "auth_enforced"), "{found:?}\n{}", out.all());
    let saved: String = found.iter().map(Value::to_string).collect();
    for text in [&out.stdout, &out.stderr, &saved] {
        assert!(!text.contains(token), "token leaked: {text}");
    }
}

/// JSON body fields are fuzzed, each under its own key: a handler that stores `count` in 32
/// bits crashes on a larger number, and the minimal input names the field. A spec with
/// nothing to fuzz is exit 2, never a PASS of nothing.
#[test]
fn body_fields_are_fuzzed_and_a_run_with_nothing_to_fuzz_is_not_a_pass() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: counts, version: "1"}
components:
  schemas:
    Count:
      type: object
      required: [name, count]
      properties:
        name: {type: string, maxLength: 20}
        count: {type: integer, minimum: 0}
paths:
  /counts:
    post:
      operationId: addCount
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Count'}
      responses:
        "201": {description: stored, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;
    let url = crate::support::raw_server(|s, head, _| {
        let Some(body) = crate::support::read_body(s, head) else { return };
        let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let name_ok = value["name"].as_str().is_some_and(|n| n.chars().count() <= 20);
        let (status, text) = match value["count"].as_f64() {
            Some(c) if c > i32::MAX as f64 => ("500 Internal Server Error", "integer overflow"),
            Some(c) if c >= 0.0 && c.fract() == 0.0 && name_ok => ("201 Created", "{}"),
            _ => ("400 Bad Request", "{}"),
        };
        crate::support::answer(s, status, "application/json", text);
    });
    let (dir, spec) = crate::support::temp_file("counts.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let fuzz = |extra: &[&str]| {
        let mut args = vec!["fuzz", "--spec", spec, "--base-url", &url, "--seed", "5"];
        args.extend_from_slice(extra);
        gauntlet_in(dir.path(), &args, &[])
    };
    let out = fuzz(&["--max-examples", "400"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let found = records(dir.path());
    let crash = found
        .iter()
        .find(|r| r["signature"].as_str().is_some_and(|s| s.contains("integer overflow")))
        .unwrap_or_else(|| panic!("the overflow is found: {found:?}\n{}", out.all()));
    let count: f64 = crash["input"]["body.count"].as_str().and_then(|c| c.parse().ok()).unwrap();
    assert!(count > i32::MAX as f64, "{crash}");

    // `--param` names a body field behind a `$ref` (it was refused as unknown).
    let named = fuzz(&["--param", "count", "--max-examples", "50"]);
    assert_ne!(named.code, 2, "{}", named.all());
    let nothing = fuzz(&["--location", "cookie"]);
    assert_eq!(nothing.code, 2, "{}", nothing.all());
    assert!(
        nothing.stderr.starts_with("error: nothing was fuzzed: addCount:"),
        "{}",
        nothing.all()
    );
}

/// Form bodies are fuzzed field by field too, judged as the server reads the text back; the
/// clean mock gives nothing on the forms area spec.
#[test]
fn form_body_fields_are_fuzzed_as_text_the_server_reads() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: orders, version: "1"}
paths:
  /orders:
    post:
      operationId: order
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [qty]
              properties:
                qty: {type: integer, minimum: 1}
      responses:
        "201": {description: ordered, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;
    let url = crate::support::raw_server(|s, head, _| {
        let body = crate::support::read_body(s, head).unwrap_or_default();
        let qty = url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == "qty")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let (status, text) = match qty.parse::<i64>() {
            Ok(n) if n > i32::MAX as i64 => ("500 Internal Server Error", "qty overflow"),
            Ok(n) if n >= 1 => ("201 Created", "{}"),
            _ => ("400 Bad Request", "{}"),
        };
        crate::support::answer(s, status, "application/json", text);
    });
    let (dir, spec) = crate::support::temp_file("orders.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let args = ["fuzz", "--spec", spec, "--base-url", &url, "--seed", "4", "--max-examples", "400"];
    let out = gauntlet_in(dir.path(), &args, &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    let found = records(dir.path());
    let crash = found
        .iter()
        .find(|r| r["signature"].as_str().is_some_and(|s| s.contains("qty overflow")))
        .unwrap_or_else(|| panic!("the overflow is found: {found:?}\n{}", out.all()));
    assert!(crash["input"]["body.qty"].is_string(), "{crash}");

    let forms = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/areas/09-forms-multipart.yaml");
    let clean = gauntlet_in(
        dir.path(),
        &["fuzz", "--spec", forms.to_str().unwrap(), "--seed", "1", "--max-examples", "500"],
        &[],
    );
    assert_eq!(clean.code, 0, "{}", clean.all());
    assert!(clean.stdout.contains("0 distinct failures"), "{}", clean.all());
}

/// Nested body fields were never fuzzed (only the top level was), and bytes that are not
/// UTF-8 went out as the UTF-8 of their text: a server that overflows on a nested number,
/// and one that fails on raw bytes in a path or a body, were out of reach.
#[test]
fn nested_body_fields_and_raw_bytes_that_are_not_utf_8_are_fuzzed() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: notes, version: "1"}
paths:
  /notes/{slug}:
    put:
      operationId: putNote
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string, maxLength: 40}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title, meta]
              properties:
                title: {type: string, maxLength: 40}
                meta:
                  type: object
                  required: [priority]
                  properties:
                    priority: {type: integer, minimum: 0}
      responses:
        "200": {description: stored, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;
    fn percent_decoded(text: &str) -> Vec<u8> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && let Some(b) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        out
    }
    let url = crate::support::raw_server(|s, head, _| {
        let Some(body) = crate::support::read_body(s, head) else { return };
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let (status, text) = if std::str::from_utf8(&percent_decoded(target)).is_err() {
            ("500 Internal Server Error", "UnicodeDecodeError in path")
        } else if std::str::from_utf8(&body).is_err() {
            ("500 Internal Server Error", "UnicodeDecodeError in body")
        } else {
            let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            match value["meta"]["priority"].as_f64() {
                Some(p) if p > i32::MAX as f64 => {
                    ("500 Internal Server Error", "priority overflow")
                }
                Some(p) if p >= 0.0 && p.fract() == 0.0 && value["title"].is_string() => {
                    ("200 OK", "{}")
                }
                _ => ("400 Bad Request", "{}"),
            }
        };
        crate::support::answer(s, status, "application/json", text);
    });
    let (dir, spec) = crate::support::temp_file("notes.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let args = ["fuzz", "--spec", spec, "--base-url", &url, "--seed", "3", "--max-examples", "600"];
    let out = gauntlet_in(dir.path(), &args, &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    let found = records(dir.path());
    let by = |needle: &str| {
        found
            .iter()
            .find(|r| r["signature"].as_str().is_some_and(|s| s.contains(needle)))
            .unwrap_or_else(|| panic!("{needle} is found: {found:?}\n{}", out.all()))
    };
    let nested = by("priority overflow");
    let priority: f64 = nested["input"]["body.meta.priority"].as_str().unwrap().parse().unwrap();
    assert!(priority > i32::MAX as f64, "{nested}");
    // Each raw finding shrinks to its one bad byte, shown as an escape; the reproduction
    // sends the byte itself (`%C0` in the path; the body through printf's octal).
    let path = by("in path");
    let slug = path["input"]["path.slug"].as_str().unwrap();
    assert!(slug.starts_with("\\x") && slug.len() == 4, "{path}");
    let curl = path["curl"].as_str().unwrap_or_default();
    assert!(curl.contains(&format!("/notes/%{}", &slug[2..])), "{path}");
    let body = by("in body");
    let raw_field = ["body.title", "body.meta.priority"]
        .iter()
        .filter_map(|k| body["input"][*k].as_str())
        .find(|v| v.contains("\\x"));
    assert!(raw_field.is_some(), "{body}");
}
