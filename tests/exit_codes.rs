//! Every kind of bad input ends in exit code 2 and one clear line naming what is wrong.

use crate::support::seed_server::closed_port;
use crate::support::{SEED_SPEC, USER, gauntlet, temp_file};

fn assert_usage_error(out: &crate::support::Outcome, needle: &str) {
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains(needle), "expected {needle:?} in: {}", out.all());
    assert!(!out.stderr.contains("panicked"), "{}", out.all());
    assert!(!out.stderr.contains("RUST_BACKTRACE"), "{}", out.all());
}

#[test]
fn missing_spec() {
    let out = gauntlet(&["run", "--spec", "no/such/spec.yaml", "--dry-run"]);
    assert_usage_error(&out, "error: no/such/spec.yaml: cannot read:");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.all());
}

#[test]
fn yaml_syntax_error() {
    let (_d, spec) = temp_file("bad.yaml", "openapi: 3.1.0\npaths:\n  /a: [unclosed\n");
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_usage_error(&out, "bad.yaml: invalid YAML:");
}

#[test]
fn json_syntax_error() {
    let (_d, spec) = temp_file("bad.json", "{\"openapi\": \"3.0.3\", ");
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_usage_error(&out, "bad.json: invalid JSON:");
}

#[test]
fn dangling_ref_names_its_pointer() {
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n";
    let (_d, path) = temp_file("dangling.yaml", spec);
    let out = gauntlet(&["run", "--spec", path.to_str().unwrap(), "--dry-run"]);
    assert_usage_error(
        &out,
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref '#/components/schemas/Nope' points to nothing",
    );
}

#[test]
fn swagger_1_2_is_refused_by_name() {
    let (_d, spec) = temp_file("old.yaml", "swagger: '1.2'\napis: []\n");
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_usage_error(&out, "#/swagger: Swagger 1.2 is not supported");
}

#[test]
fn unknown_openapi_version() {
    let (_d, spec) = temp_file("v4.yaml", "openapi: 4.0.0\npaths: {}\n");
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_usage_error(&out, "#/openapi: OpenAPI version 4.0.0 is not supported");
}

#[test]
fn bad_flag_values() {
    assert_usage_error(&gauntlet(&["run", "--timeout", "soon", "--dry-run"]), "--timeout");
    assert_usage_error(&gauntlet(&["run", "--concurrency", "0", "--dry-run"]), "--concurrency");
    assert_usage_error(
        &gauntlet(&["run", "--base-url", "ftp://x", "--user", USER]),
        "--base-url: 'ftp://x' is not an http or https URL",
    );
    assert_usage_error(
        &gauntlet(&["run", "--user", "no-colon", "--dry-run"]),
        "--user: expected ID:TOKEN",
    );
    assert_usage_error(
        &gauntlet(&["run", "--operation", "nope", "--dry-run"]),
        "--operation: unknown operation 'nope'",
    );
    assert_usage_error(&gauntlet(&["run", "--check", "nope", "--dry-run"]), "unknown check 'nope'");
}

#[test]
fn bad_case_files_name_file_and_key() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |text: &str| {
        let (d, file) = temp_file("c.yaml", text);
        let out = crate::support::gauntlet_in(
            dir,
            &["run", "--spec", SEED_SPEC, "--dry-run", "--cases", file.to_str().unwrap()],
            &[],
        );
        drop(d);
        out
    };
    let head = "operation: retrieve-sip-endpoint\ncases:\n  - name: x\n";
    assert_usage_error(
        &run(&format!("{head}    path: {{id: a}}\n    expct: {{status: 200}}\n")),
        "expct",
    );
    assert_usage_error(
        &run(&format!("{head}    path: {{idx: a}}\n")),
        "cases[0].path.idx: unknown path parameter of retrieve-sip-endpoint",
    );
    assert_usage_error(
        &run(&format!("{head}    path: {{id: '${{GAUNTLET_UNSET_VAR}}'}}\n")),
        "cases[0].path.id: environment variable GAUNTLET_UNSET_VAR is not set",
    );
    assert_usage_error(&run("operation: nope\ncases: []\n"), "operation: unknown operation 'nope'");
    assert_usage_error(
        &run(&format!("{head}    path: {{id: a}}\n    expect: {{status: 999}}\n")),
        "cases[0].expect.status: 999 is not an HTTP status",
    );
}

#[test]
fn unreachable_target() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = gauntlet(&["run", "--base-url", &url, "--user", USER, "--max-examples", "5"]);
    assert_usage_error(&out, &format!("{url}: target unreachable"));
}

#[test]
fn unwritable_report() {
    let (_d, file) = temp_file("a-file", "x");
    let junit = file.join("junit.xml");
    let out = gauntlet(&[
        "run",
        "--base-url",
        "http://127.0.0.1:9",
        "--user",
        USER,
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_usage_error(&out, "cannot write report");
}
