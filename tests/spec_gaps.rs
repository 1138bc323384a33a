//! Spec gaps are not server bugs: a server that rejects invalid input (or broken
//! credentials) with a status the spec never documents, because the operation documents no
//! rejection of that kind at all, is right; the spec is incomplete. One finding per
//! (operation, status), apart from failures, and the run passes unless `--strict`.

use crate::junit_schema::xmllint;
use crate::support::{MockProcess, gauntlet, gauntlet_in, temp_file};

/// An operation that documents only its 200 (an integer id, so invalid values exist; with a
/// 404 documented the mock would answer a wrong id "not found"), and a
/// secured one that documents no 401 or 403.
const SPEC: &str = "openapi: 3.1.0\ninfo: {title: gaps, version: '1'}\npaths:\n  /items/{id}:\n    get:\n      operationId: getItem\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n  /secret:\n    get:\n      operationId: getSecret\n      security: [{key: []}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n";

#[test]
fn a_rejection_the_spec_never_documents_is_one_spec_gap_per_status_and_the_run_passes() {
    let (dir, spec) = temp_file("gaps.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let out = gauntlet(&["run", "--spec", spec, "--max-examples", "20", "--api-key", "k"]);
    assert_eq!(out.code, 0, "the server was right: {}", out.all());
    assert!(!out.stdout.contains("Failures"), "{}", out.all());
    assert!(out.stdout.contains("Spec gaps (2;"), "{}", out.all());
    assert!(
        out.stdout.contains("getItem · no rejection of invalid input is documented; invalid input answered 400: document a 400 response"),
        "{}",
        out.all()
    );
    assert!(
        out.stdout.contains("getSecret · security is declared but no 401 or 403 is documented; broken credentials answered 401: document a 401 response"),
        "{}",
        out.all()
    );
    assert!(out.stdout.contains(" with spec gaps in "), "counted apart: {}", out.all());
    // JUnit: passing cases, the gaps in the suite's system-out, valid for the strict XSDs.
    let junit = out.junit.clone().unwrap();
    assert!(!junit.contains("<failure"), "{junit}");
    assert!(
        junit.contains("spec gap [GA110]: no rejection of invalid input is documented"),
        "{junit}"
    );
    assert!(junit.contains(r#"<property name="spec_gaps""#), "{junit}");
    xmllint(&out.junit_path);
    drop(dir);
}

#[test]
fn strict_makes_spec_gaps_fail_the_run() {
    let (dir, spec) = temp_file("gaps.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let out =
        gauntlet(&["run", "--spec", spec, "--max-examples", "20", "--api-key", "k", "--strict"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["spec_gap"], "{}", out.all());
    // The same in gauntlet.toml.
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        "strict = true\nmax_examples = 10\napi_key = \"k\"\n",
    )
    .unwrap();
    let out = gauntlet_in(dir.path(), &["run", "--spec", spec], &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("Spec gaps (2; they fail the run (--strict))"), "{}", out.all());
}

#[test]
fn a_server_that_accepts_invalid_input_is_still_caught_where_the_spec_documents_no_4xx() {
    let (_dir, spec) = temp_file("gaps.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let mock = MockProcess::start(&[
        "--spec",
        spec,
        "--fault",
        "accepts-invalid-input",
        "--fault",
        "auth-bypass",
    ]);
    let out = gauntlet(&[
        "run",
        "--spec",
        spec,
        "--base-url",
        &mock.url,
        "--max-examples",
        "20",
        "--api-key",
        "k",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let failed = out.failed_checks();
    assert!(failed.contains(&"negative_data_rejection".to_owned()), "{failed:?} {}", out.all());
    assert!(failed.contains(&"auth_enforced".to_owned()), "{failed:?} {}", out.all());
    assert!(!failed.contains(&"spec_gap".to_owned()), "{}", out.all());
}

#[test]
fn a_spec_that_documents_its_validation_status_gets_no_gap_for_another_one() {
    // 422 is documented: a 400 for invalid input is a real mismatch, not a gap.
    let spec_text = SPEC.replace(
        "        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n  /secret",
        "        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n        '422': {description: invalid}\n  /secret",
    );
    assert_ne!(spec_text, SPEC);
    let (_dir, spec) = temp_file("documented.yaml", &spec_text);
    let url = crate::support::raw_server(|stream, head, _| {
        let valid = head.starts_with("GET /items/")
            && head.split_whitespace().nth(1).is_some_and(|p| p[7..].parse::<i64>().is_ok());
        let (status, body) =
            if valid { ("200 OK", "{}") } else { ("400 Bad Request", "{\"error\":\"bad\"}") };
        crate::support::answer(stream, status, "application/json", body);
    });
    let out = gauntlet(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--base-url",
        &url,
        "--operation",
        "getItem",
        "--max-examples",
        "10",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.failed_checks().contains(&"negative_data_rejection".to_owned()), "{}", out.all());
    assert!(!out.stdout.contains("Spec gaps"), "{}", out.all());
}
