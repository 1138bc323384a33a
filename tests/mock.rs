//! The built-in mock: the default target passes, every fault is caught by the check it breaks,
//! routing and `Prefer` behave, bad input is refused, and the mock and the harness agree on a
//! set of real-world specs.

use crate::support::{MockProcess, SEED_SPEC, USER, gauntlet, raw_request};

#[test]
fn a_run_with_no_flags_tests_the_built_in_mock_and_passes() {
    let out = gauntlet(&["run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let first = out.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("gauntlet testing the built-in mock at http://127.0.0.1:"),
        "{}",
        out.all()
    );
    assert!(
        out.stdout.contains("PASS 141 scenarios: 141 passed, 0 failed, 0 errors"),
        "{}",
        out.all()
    );
}

#[test]
fn every_fault_is_caught_by_the_check_it_breaks() {
    let cases: &[(&str, &str)] = &[
        ("missing-required-property", "response_schema_conformance"),
        ("wrong-type", "response_schema_conformance"),
        ("enum-violation", "response_schema_conformance"),
        ("format-violation", "response_schema_conformance"),
        ("null-where-not-allowed", "response_schema_conformance"),
        ("undocumented-status", "status_code_conformance"),
        ("server-error", "not_a_server_error"),
        ("wrong-content-type", "content_type_conformance"),
        ("malformed-json", "response_schema_conformance"),
        ("empty-body", "response_schema_conformance"),
        ("auth-bypass", "auth_enforced"),
        ("accepts-invalid-input", "negative_data_rejection"),
        ("rejects-valid-input", "positive_data_acceptance"),
        ("slow:2s", "transport"),
        ("hang", "transport"),
        ("reset", "transport"),
        ("ignores-method", "unsupported_method"),
        ("no-allow-header", "unsupported_method"),
    ];
    // Every fault without an argument is proven here (the narrow triggers are the fuzzer's).
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_gauntlet"))
        .args(["mock", "--list-faults"])
        .output()
        .unwrap();
    for line in String::from_utf8_lossy(&listed.stdout).lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        // Faults with an argument, and those that need a spec with what they break
        // (required response headers), are proven elsewhere.
        // The chain faults are proven with --stateful in tests/chains.rs.
        if name.contains(':')
            || ["missing-required-header", "forgets-created", "keeps-deleted"].contains(&name)
        {
            continue;
        }
        assert!(
            cases.iter().any(|(f, _)| f.split(':').next() == Some(name)),
            "fault {name} is not proven"
        );
    }
    for (fault, check) in cases {
        let mock = MockProcess::start(&["--fault", fault, "--user", USER]);
        let out = gauntlet(&[
            "run",
            "--base-url",
            &mock.url,
            "--user",
            USER,
            "--max-examples",
            "30",
            "--timeout",
            "500ms",
        ]);
        assert_eq!(out.code, 1, "{fault}: {}", out.all());
        assert!(
            out.stdout.contains(&format!("✘ {check} · retrieve-sip-endpoint")),
            "{fault}: {}",
            out.all()
        );
        if *check == "transport" {
            assert!(
                out.junit.as_deref().unwrap_or("").contains("<error type=\"transport\""),
                "{fault}: {}",
                out.all()
            );
        } else {
            assert!(
                out.failed_checks().contains(&check.to_string()),
                "{fault}: {:?} {}",
                out.failed_checks(),
                out.all()
            );
        }
    }
}

#[test]
fn list_faults_names_each_with_a_line() {
    let out = gauntlet(&["mock", "--list-faults"]);
    assert_eq!(out.code, 0, "{}", out.all());
    for name in ["missing-required-property", "auth-bypass", "slow", "hang", "reset"] {
        assert!(
            out.stdout.lines().any(|l| l.starts_with(name) && l.len() > name.len() + 10),
            "{name}: {}",
            out.all()
        );
    }
}

#[test]
fn routing_prefer_echo_and_credentials() {
    let mock = MockProcess::start(&["--user", USER, "--seed", "5"]);
    let auth = format!("Authorization: Basic {}", base64_user());
    let id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let ok = raw_request(&mock.url, &format!("GET /endpoints/sip/{id} HTTP/1.1\r\n{auth}"));
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains(&format!("\"id\":\"{id}\"")), "the id is echoed: {ok}");
    let again = raw_request(&mock.url, &format!("GET /endpoints/sip/{id} HTTP/1.1\r\n{auth}"));
    assert_eq!(ok.split("\r\n\r\n").nth(1), again.split("\r\n\r\n").nth(1), "same seed, same body");
    let unauth = raw_request(&mock.url, &format!("GET /endpoints/sip/{id} HTTP/1.1"));
    assert!(
        unauth.starts_with("HTTP/1.1 401") && unauth.contains(r#"{"error":"Unauthorized"}"#),
        "{unauth}"
    );
    let invalid =
        raw_request(&mock.url, &format!("GET /endpoints/sip/not-a-uuid HTTP/1.1\r\n{auth}"));
    assert!(invalid.starts_with("HTTP/1.1 422") && invalid.contains("\"errors\""), "{invalid}");
    let prefer = raw_request(
        &mock.url,
        &format!("GET /endpoints/sip/{id} HTTP/1.1\r\n{auth}\r\nPrefer: code=404"),
    );
    assert!(
        prefer.starts_with("HTTP/1.1 404") && prefer.contains(r#"{"error":"Not Found"}"#),
        "{prefer}"
    );
    let unknown = raw_request(&mock.url, "GET /nowhere HTTP/1.1");
    assert!(unknown.starts_with("HTTP/1.1 404"), "{unknown}");
    let wrong_method = raw_request(&mock.url, &format!("DELETE /endpoints/sip/{id} HTTP/1.1"));
    assert!(
        wrong_method.starts_with("HTTP/1.1 405")
            && wrong_method.to_ascii_lowercase().contains("allow: get"),
        "{wrong_method}"
    );
}

fn base64_user() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(USER)
}

#[test]
fn bad_input_to_the_mock_is_one_line_and_exit_2() {
    let missing = gauntlet(&["mock", "--spec", "no/such.yaml"]);
    assert_eq!(missing.code, 2, "{}", missing.all());
    assert!(missing.stderr.contains("no/such.yaml: cannot read"), "{}", missing.all());
    let fault = gauntlet(&["mock", "--fault", "gremlins"]);
    assert_eq!(fault.code, 2, "{}", fault.all());
    assert!(fault.stderr.contains("unknown fault 'gremlins'"), "{}", fault.all());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let busy = gauntlet(&["mock", "--spec", SEED_SPEC, "--port", &port]);
    assert_eq!(busy.code, 2, "{}", busy.all());
    assert!(busy.stderr.contains("--port: cannot listen on 127.0.0.1:"), "{}", busy.all());
}

/// Specs chosen for breadth: every parameter location and style, form and JSON bodies,
/// allOf/oneOf/anyOf, 3.0 `nullable`, recursive schemas, patterns, large documents.
const ROUND_TRIP: &[&str] = &[
    "oai--petstore-expanded.json",
    "oai--uspto.yaml",
    "readme--oas31-parameters-style.yaml",
    "readme--oas30-parameters-style.json",
    "readme--oas30-parameters-cookies.json",
    "readme--oas30-form-data.yaml",
    "readme--oas31-schema-types.json",
    "readme--oas30-circular.yaml",
    "adyen--LegalEntityService-v4.json",
    "adyen--ManagementService-v3.json",
    "specmatic--openapi31.yaml",
    "swagger--petstore3.yaml",
    "discord--openapi.json",
    "cats--digitalocean.yaml",
];

#[test]
fn the_mock_and_the_harness_agree_on_real_specs() {
    for name in ROUND_TRIP {
        let spec = format!("../shared/corpus/openapi/{name}");
        let out = gauntlet(&["run", "--spec", &spec, "--max-examples", "10", "--seed", "3"]);
        assert_eq!(out.code, 0, "{name}: {}", out.all());
        assert!(out.stdout.contains(" 0 failed, 0 errors"), "{name}: {}", out.all());
    }
}
