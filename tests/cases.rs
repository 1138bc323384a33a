//! Case files: the shipped `cases/retrieve-sip-endpoint.yaml`, expectations on body, headers
//! and status, and mistakes reported with file, line and key before anything is sent.

use crate::support::seed_server::{self, Fault, closed_port};
use crate::support::{SEED_SPEC, USER, gauntlet_in, temp_file};

const SHIPPED: &str = "cases/retrieve-sip-endpoint.yaml";

fn run_cases(url: &str, cases: &str, env: &[(&str, &str)]) -> crate::support::Outcome {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = [
        "run",
        "--spec",
        SEED_SPEC,
        "--base-url",
        url,
        "--user",
        USER,
        "--cases",
        cases,
        "--check",
        "case_expectation",
    ];
    gauntlet_in(root, &args, env)
}

#[test]
fn shipped_cases_pass_against_a_conformant_server_with_the_endpoint_from_the_environment() {
    let url = seed_server::start(Fault::None);
    let id = "3f1e0c2a-9b8d-4c7e-a6f5-1d2c3b4a5e6f";
    let out = run_cases(&url, SHIPPED, &[("SIP_ENDPOINT_ID", id)]);
    assert_eq!(out.code, 0, "{}", out.all());
    let junit = out.junit.as_deref().unwrap();
    for name in [
        "case/known endpoint is returned",
        "case/unknown endpoint is not found",
        "case/malformed id is rejected",
        "case/no credentials is unauthorized",
    ] {
        assert!(junit.contains(&format!("name=\"{name}\"")), "{name}: {junit}");
    }
    // The known endpoint was asked for by the id from the environment.
    assert!(!junit.contains("6b0b3c62"), "{junit}");
}

#[test]
fn unmet_body_and_header_expectations_are_each_reported() {
    let url = seed_server::start(Fault::None);
    let (_dir, file) = temp_file(
        "c.yaml",
        "operation: retrieve-sip-endpoint
cases:
  - name: wrong user
    path: { id: 3f1e0c2a-9b8d-4c7e-a6f5-1d2c3b4a5e6f }
    expect:
      status: [200, 201]
      body: { /username: bob, /codecs/0: PCMU, /nope: 1 }
      headers: { content-type: text/html, x-request-id: abc }
",
    );
    let out = run_cases(&url, file.to_str().unwrap(), &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    for line in [
        "body /username is \"alice\", expected \"bob\"",
        "body has no /nope, expected 1",
        "header content-type is \"application/json; charset=utf-8\", expected \"text/html\"",
        "header x-request-id is missing, expected \"abc\"",
    ] {
        assert!(out.stdout.contains(line), "{line}: {}", out.all());
    }
    assert!(!out.stdout.contains("/codecs/0 is"), "{}", out.all());
}

#[test]
fn case_file_mistakes_name_file_line_and_key_before_anything_is_sent() {
    // Nothing listens: a case error must come before any attempt to send.
    let url = format!("http://127.0.0.1:{}", closed_port());
    let head = "operation: retrieve-sip-endpoint\ncases:\n  - name: a\n";
    for (body, wanted) in [
        ("    path: { ip: x }\n", ":4: cases[0].path.ip: unknown path parameter"),
        (
            "    path: { id: x }\n    expect: { body: { id: 1 } }\n",
            ":5: cases[0].expect.body.id: not a JSON pointer",
        ),
        ("    path: { id: x }\n    expect:\n      max: 5\n", ":6: unknown field `max`"),
        (
            "    path: { id: \"${GAUNTLET_UNSET_FOR_TEST}\" }\n",
            ":4: cases[0].path.id: environment variable GAUNTLET_UNSET_FOR_TEST is not set",
        ),
        (
            "    path: { id: x }\n    expect: { status: 999 }\n",
            ":5: cases[0].expect.status: 999 is not an HTTP status",
        ),
        (
            "    path: { id: x }\n    headers: { \"bad header\": x }\n",
            ":5: cases[0].headers.bad header: 'bad header' is not an HTTP header name",
        ),
        ("    query: { id: x }\n", ":3: cases[0].path: path parameter 'id' is required"),
    ] {
        let (_dir, file) = temp_file("bad.yaml", &format!("{head}{body}"));
        let out = run_cases(&url, file.to_str().unwrap(), &[]);
        assert_eq!(out.code, 2, "{wanted}: {}", out.all());
        let expected = format!("{}{wanted}", file.display());
        assert!(out.stderr.contains(&expected), "{expected}: {}", out.all());
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.all());
    }
}
