//! The boundary phase against a naive server written the way real handlers go wrong: an
//! integer parsed into an `i64` that panics past it, a JSON reader that stops at the first
//! value (trailing garbage accepted), a body read whatever its `Content-Type`, a length
//! check off by one, and an array whose first item alone is checked. Each planted defect is found by the scenario built for it; the fixed
//! twin of the same server gets no failure.

use crate::support::{answer, gauntlet, raw_server, read_body, temp_file};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: naive, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: n, in: query, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, tags]
              properties:
                name: {type: string, minLength: 1, maxLength: 5}
                tags: {type: array, minItems: 2, maxItems: 2, items: {type: string, maxLength: 3}}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;

/// The naive server; with `fixed`, each defect is mended.
fn naive(fixed: bool) -> String {
    raw_server(move |s, head, _| {
        let lower = head.to_ascii_lowercase();
        let Some(body) = read_body(s, head) else { return };
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let bad = |s: &mut std::net::TcpStream| answer(s, "400 Bad Request", "text/plain", "bad");
        if head.starts_with("GET /items") {
            let n = target.split("n=").nth(1).unwrap_or("").split('&').next().unwrap_or("");
            let digits =
                !n.is_empty() && n.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit());
            return match n.parse::<i64>() {
                Ok(_) => answer(s, "200 OK", "application/json", "{}"),
                // Planted: a number past i64 reaches code that cannot hold it.
                Err(_) if digits && !fixed => {
                    answer(s, "500 Internal Server Error", "text/plain", "overflow")
                }
                Err(_) => bad(s),
            };
        }
        if head.starts_with("POST /items ") {
            // Planted: the body is read as JSON whatever its type says.
            if !lower.contains("content-type: application/json") && (fixed || body.is_empty()) {
                return bad(s);
            }
            // Planted: the first JSON value is read and the rest ignored.
            let value = if fixed {
                serde_json::from_slice::<serde_json::Value>(&body).ok()
            } else {
                serde_json::Deserializer::from_slice(&body)
                    .into_iter::<serde_json::Value>()
                    .next()
                    .and_then(Result::ok)
            };
            let name = value.as_ref().and_then(|v| v.get("name")).and_then(|n| n.as_str());
            // Planted: only the first tag is checked.
            let tags = value.as_ref().and_then(|v| v.get("tags")).and_then(|t| t.as_array());
            let checked = if fixed { 2 } else { 1 };
            let tags_ok = tags.is_some_and(|t| {
                t.len() == 2
                    && t.iter()
                        .take(checked)
                        .all(|x| x.as_str().is_some_and(|s| s.chars().count() <= 3))
            });
            // Planted: the bound is exclusive where the schema's is inclusive.
            let limit = if fixed { 5 } else { 4 };
            return match name {
                Some(n) if (1..=limit).contains(&n.chars().count()) && tags_ok => {
                    answer(s, "201 Created", "application/json", "{}")
                }
                _ => bad(s),
            };
        }
        answer(s, "405 Method Not Allowed\r\nAllow: GET, POST", "text/plain", "")
    })
}

/// Whether the JUnit report fails the test case `label` under `check`.
fn fails(junit: &str, label: &str, check: &str) -> bool {
    let doc = roxmltree::Document::parse(junit).expect("well-formed JUnit");
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(label))
        .flat_map(|n| n.children().filter(|c| c.has_tag_name("failure")).collect::<Vec<_>>())
        .any(|f| f.attribute("type").is_some_and(|t| t.split(',').any(|c| c == check)))
}

fn run(url: &str, spec: &str) -> crate::support::Outcome {
    gauntlet(&["run", "--spec", spec, "--base-url", url, "--seed", "1", "--max-examples", "5"])
}

#[test]
fn each_boundary_scenario_finds_the_defect_it_was_built_for_and_a_fixed_server_passes() {
    let (_dir, spec) = temp_file("naive.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let out = run(&naive(false), spec);
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.as_deref().expect("a JUnit report");
    for (label, check) in [
        ("probe/query.n/int64-max+1", "not_a_server_error"),
        ("probe/query.n/24-digits", "not_a_server_error"),
        ("negative/body/trailing-garbage", "negative_data_rejection"),
        ("negative/body/undeclared-content-type", "negative_data_rejection"),
        ("positive/body/name.max-length", "positive_data_acceptance"),
        ("negative/body/tags.items[1].wrong-type", "negative_data_rejection"),
    ] {
        assert!(fails(junit, label, check), "{label} fails {check}:\n{}", out.all());
    }
    // What each is not: the in-range edges and the truncated body are answered rightly.
    for label in ["positive/query.n/int64-max", "negative/body/truncated-json"] {
        assert!(junit.contains(&format!("name=\"{label}\"")), "{label} sent:\n{junit}");
        assert!(!fails(junit, label, "not_a_server_error"), "{label}:\n{}", out.all());
    }
    // A probe is judged on server errors alone: the naive 400 for 1e30 is no failure.
    assert!(!fails(junit, "probe/query.n/1e30", "status_code_conformance"), "{}", out.all());

    let fixed = run(&naive(true), spec);
    assert_eq!(fixed.code, 0, "{}", fixed.all());
    assert!(fixed.failed_checks().is_empty(), "{}", fixed.all());
}
