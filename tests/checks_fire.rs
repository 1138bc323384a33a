//! A conformant server passes; each deliberately broken one is caught by its check.

use crate::support::seed_server::{Fault, UNKNOWN_ID, start};
use crate::support::{SEED_SPEC, USER, gauntlet, run_seed, temp_file};

fn run_against(fault: Fault, extra: &[&str]) -> crate::support::Outcome {
    let mut args = vec!["--seed", "7", "--max-examples", "60"];
    args.extend_from_slice(extra);
    run_seed(fault, &args)
}

#[test]
fn conformant_server_passes_every_check() {
    let out = run_against(Fault::None, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("PASS 101 scenarios: 101 passed, 0 failed, 0 errors"),
        "{}",
        out.all()
    );
    assert!(out.stdout.starts_with("gauntlet testing http://127.0.0.1:"), "{}", out.all());
    assert_eq!(out.failed_checks(), Vec::<String>::new());
}

#[test]
fn each_fault_is_caught_by_its_check() {
    let cases = [
        (Fault::ServerError, vec!["not_a_server_error"]),
        (Fault::UndocumentedStatus, vec!["status_code_conformance"]),
        (Fault::WrongContentType, vec!["content_type_conformance"]),
        (Fault::SchemaViolation, vec!["response_schema_conformance"]),
        (Fault::AcceptsInvalid, vec!["negative_data_rejection", "response_schema_conformance"]),
        (Fault::AuthBypass, vec!["auth_enforced"]),
        (Fault::RejectsValid, vec!["positive_data_acceptance"]),
    ];
    // cases/retrieve-sip-endpoint.yaml is in the plan too, and every fault but a wrong
    // content type (the body is still the same JSON) breaks one of its cases.
    let cases = cases.map(|(fault, mut checks)| {
        if fault != Fault::WrongContentType {
            checks.push("case_expectation");
            checks.sort_unstable();
        }
        (fault, checks)
    });
    for (fault, expected) in cases {
        let out = run_against(fault, &[]);
        assert_eq!(out.code, 1, "{fault:?}: {}", out.all());
        assert_eq!(out.failed_checks(), expected, "{fault:?}: {}", out.all());
        for check in &expected {
            assert!(
                out.stdout.contains(&format!("✘ {check} · retrieve-sip-endpoint")),
                "{fault:?}: {}",
                out.all()
            );
        }
        assert!(
            out.stdout.contains("reproduce: curl -sS -g -X GET 'http://127.0.0.1:"),
            "{fault:?}: {}",
            out.all()
        );
    }
}

#[test]
fn schema_failures_name_pointer_and_keyword() {
    let out = run_against(Fault::SchemaViolation, &[]);
    assert!(out.stdout.contains("at /id: \"not-a-uuid\" is not a \"uuid\""), "{}", out.all());
    assert!(out.stdout.contains("\"codecs\" is a required property"), "{}", out.all());
    // Each distinct failure is shown once, with how many scenarios shared it.
    assert_eq!(out.stdout.matches("✘ response_schema_conformance").count(), 1, "{}", out.all());
    assert!(out.stdout.contains("more scenarios)"), "{}", out.all());
}

#[test]
fn case_files_join_the_plan_and_their_expectations_are_checked() {
    let cases = format!(
        "operation: retrieve-sip-endpoint\ncases:\n  - name: unknown endpoint is 404\n    path:\n      id: ${{GONE_ID}}\n    expect:\n      status: 404\n  - name: wrongly expected 200\n    path:\n      id: {UNKNOWN_ID}\n    expect:\n      status: [200, 201]\n  - name: no credentials\n    path:\n      id: {UNKNOWN_ID}\n    auth: none\n    expect:\n      status: 401\n"
    );
    let (_dir, file) = temp_file("sip.yaml", &cases);
    let url = start(Fault::None);
    let out = crate::support::gauntlet_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "run",
            "--spec",
            SEED_SPEC,
            "--base-url",
            &url,
            "--user",
            USER,
            "--max-examples",
            "5",
            "--cases",
            file.to_str().unwrap(),
        ],
        &[("GONE_ID", UNKNOWN_ID)],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["case_expectation"], "{}", out.all());
    assert!(out.stdout.contains("expected status 200 or 201, got 404"), "{}", out.all());
    let junit = out.junit.unwrap();
    assert!(
        junit.contains(
            r#"<testcase name="case/unknown endpoint is 404" classname="retrieve-sip-endpoint""#
        ),
        "{junit}"
    );
    assert!(junit.contains(r#"<testcase name="case/no credentials""#), "{junit}");
}

#[test]
fn a_request_with_no_answer_is_an_error_and_the_run_goes_on() {
    let out = run_against(Fault::HangsOnInvalid, &["--timeout", "300ms"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.as_deref().unwrap();
    assert!(
        junit.contains(r#"<error type="transport" message="no complete response within"#)
            || junit.contains(r#"<error type="transport""#),
        "{junit}"
    );
    assert!(
        out.stdout.contains("✘ transport · retrieve-sip-endpoint · negative/path.id/"),
        "{}",
        out.all()
    );
    // Positives still ran and passed.
    assert!(
        junit.contains(r#"<testcase name="positive/base" classname="retrieve-sip-endpoint""#),
        "{junit}"
    );
    assert!(out.stdout.contains(" errors in "), "{}", out.all());
}

#[test]
fn the_same_seed_plans_the_same_scenarios() {
    let plan = |seed: &str| gauntlet(&["run", "--dry-run", "--seed", seed, "--user", USER]).stdout;
    assert_eq!(plan("11"), plan("11"));
    assert_ne!(plan("11"), plan("12"));
}

#[test]
fn dry_run_plans_every_kind_of_scenario_and_sends_nothing() {
    let out = gauntlet(&[
        "run",
        "--dry-run",
        "--seed",
        "3",
        "--base-url",
        "http://127.0.0.1:9/api/relay/rest",
        "--user",
        USER,
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    for label in [
        "negative/route/path.id-empty",
        "negative/path.id/too-short",
        "negative/path.id/too-long",
        "negative/path.id/no-hyphens",
        "negative/path.id/braces",
        "negative/path.id/urn-uuid",
        "negative/path.id/non-ascii",
        "negative/route/path.id-path-traversal",
        "negative/route/path.id-percent-encoded-slash",
        "negative/path.id/leading-space",
        "negative/auth/missing",
        "negative/auth/other-scheme",
        "negative/auth/not-base64",
        "negative/auth/no-colon",
        "negative/auth/wrong-token",
        "negative/auth/wrong-id",
        "positive/path.id/nil-uuid",
        "positive/path.id/max-uuid",
        "positive/path.id/uppercase-uuid",
    ] {
        assert!(
            out.stdout.contains(&format!("retrieve-sip-endpoint {label}\n")),
            "{label}: {}",
            out.all()
        );
    }
    // The base URL's path prefix is kept; traversal is encoded, never a real `..` segment.
    assert!(
        out.stdout.contains("'http://127.0.0.1:9/api/relay/rest/endpoints/sip/..%2F..%2F"),
        "{}",
        out.all()
    );
    assert!(
        !out.stdout.contains("negative/path.id/dot-segment"),
        "a `..` id routes elsewhere: {}",
        out.all()
    );
}

/// A server answering each method as `answer` says, on every path.
fn method_server(answer: fn(&str) -> &'static str) -> String {
    crate::support::raw_server(move |stream, head, _| {
        let method = head.split_whitespace().next().unwrap_or("");
        let status_line = answer(method);
        let body = r#"{"error":"x"}"#;
        crate::support::answer(stream, status_line, "application/json", body);
    })
}

#[test]
fn undeclared_methods_must_get_405_with_allow_and_a_router_answering_404_is_caught() {
    let run_with = |url: &str, extra: &[&str]| {
        let mut args = vec!["run", "--spec", SEED_SPEC, "--base-url", url, "--user", USER];
        args.extend_from_slice(&["--max-examples", "3", "--check", "unsupported_method"]);
        args.extend_from_slice(extra);
        gauntlet(&args)
    };
    let run = |url: &str| run_with(url, &[]);
    // 405 with Allow, or 501 for a method the server does not know: conformant.
    let good = method_server(|m| match m {
        "GET" => "404 Not Found",
        "TRACE" => "501 Not Implemented",
        _ => "405 Method Not Allowed\r\nAllow: GET",
    });
    let out = run(&good);
    assert_eq!(out.code, 0, "{}", out.all());
    let junit = out.junit.clone().unwrap();
    for method in ["PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        assert!(junit.contains(&format!("name=\"negative/method/{method}\"")), "{method}: {junit}");
    }
    assert!(!junit.contains("negative/method/HEAD"), "HEAD is served wherever GET is: {junit}");
    // Express's default: an undeclared method falls through to 404.
    let express = method_server(|_| "404 Not Found");
    let out = run(&express);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["unsupported_method"], "{}", out.all());
    assert!(out.stdout.contains("undeclared method answered 404"), "{}", out.all());
    assert_eq!(
        out.stdout.matches("✘ unsupported_method").count(),
        1,
        "one root cause: {}",
        out.all()
    );
    assert!(out.stdout.contains("curl -sS -g -X PUT"), "{}", out.all());
    // An Allow that leaves out the GET the path declares tells clients it cannot be read.
    let partial = method_server(|m| match m {
        "GET" => "404 Not Found",
        _ => "405 Method Not Allowed\r\nAllow: OPTIONS",
    });
    assert_eq!(run(&partial).code, 0, "judged only with --strict, as FastAPI does this");
    let out = run_with(&partial, &["--strict"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("405 whose Allow leaves out declared methods"), "{}", out.all());
    assert!(out.stdout.contains("Allow: OPTIONS; the path declares GET"), "{}", out.all());
}

#[test]
fn a_method_another_matching_template_declares_is_not_probed() {
    let (_dir, spec) = crate::support::temp_file(
        "two.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1}}]\n      responses: {'200': {description: ok}, '400': {description: bad}}\n  /things/me:\n    put:\n      operationId: putMe\n      responses: {'200': {description: ok}, '400': {description: bad}}\n",
    );
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let probes: Vec<&str> =
        out.stdout.lines().filter(|l| l.starts_with("putMe negative/method/")).collect();
    // /things/me also routes to /things/{id}, whose GET the router may rightly serve.
    assert!(!probes.iter().any(|l| l.ends_with("/GET") || l.ends_with("/HEAD")), "{probes:?}");
    assert!(probes.iter().any(|l| l.ends_with("/DELETE")), "{probes:?}");
    let own = out.stdout.lines().filter(|l| l.starts_with("getThing negative/method/")).count();
    assert_eq!(own, 7, "PUT POST DELETE PATCH OPTIONS TRACE QUERY on a random id: {}", out.stdout);
}

/// Box's spec writes `/files/{id}` twice, once as `/files/{id}#add_shared_link`, to declare
/// two PUTs: one route, so a method either declares was probed on the other as undeclared.
#[test]
fn a_path_written_twice_with_a_fragment_is_one_route_for_method_probes() {
    let (_dir, spec) = temp_file(
        "box.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /files/{id}:\n    get:\n      operationId: getFile\n      parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1}}]\n      responses: {'200': {description: ok}, '400': {description: bad}}\n  /files/{id}#add_shared_link:\n    put:\n      operationId: addLink\n      parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1}}]\n      responses: {'200': {description: ok}, '400': {description: bad}}\n",
    );
    let dry = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    let probes: Vec<&str> =
        dry.stdout.lines().filter(|l| l.contains(" negative/method/")).collect();
    assert!(!probes.iter().any(|l| l.ends_with("/GET") || l.ends_with("/PUT")), "{probes:?}");
    assert!(probes.iter().all(|l| l.starts_with("getFile ")), "one route, probed once: {probes:?}");
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--max-examples", "5"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

/// A required request header left out had no check of its own: a server that goes on
/// without it was reported as a generic negative, and a 428 (RFC 6585's "precondition
/// required") as an undocumented rejection.
#[test]
fn a_missing_required_header_must_be_rejected_with_a_status_a_client_can_act_on() {
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: tenants, version: "1"}
paths:
  /things:
    get:
      operationId: things
      parameters:
        - {name: X-Tenant, in: header, required: true, schema: {type: string, maxLength: 8}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad}
"#;
    let (dir, spec) = temp_file("tenants.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    for (without, expected) in [
        ("200 OK", vec!["missing_required_header"]),
        ("404 Not Found", vec!["missing_required_header", "status_code_conformance"]),
        ("428 Precondition Required", vec!["status_code_conformance"]),
        ("400 Bad Request", vec![]),
    ] {
        let url = crate::support::raw_server(move |s, head, _| {
            let has = head.to_ascii_lowercase().contains("\r\nx-tenant:");
            let long = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("x-tenant:").map(|v| v.trim().len())
                })
                .is_some_and(|n| n > 8);
            if !head.starts_with("GET ") {
                crate::support::answer(s, "405 Method Not Allowed\r\nAllow: GET", "text/plain", "");
                return;
            }
            let status = if !has {
                without
            } else if long {
                "400 Bad Request"
            } else {
                "200 OK"
            };
            crate::support::answer(s, status, "application/json", "{}");
        });
        let args =
            ["run", "--spec", spec, "--base-url", &url, "--seed", "1", "--max-examples", "5"];
        let out = crate::support::gauntlet_in(dir.path(), &args, &[]);
        assert_eq!(out.failed_checks(), expected, "{without}: {}", out.all());
        assert_eq!(out.code, if expected.is_empty() { 0 } else { 1 }, "{without}: {}", out.all());
    }
}
