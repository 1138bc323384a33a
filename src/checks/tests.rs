use std::path::Path;

use super::*;
use crate::openapi;
use crate::plan::{AuthMode, Kind, RequestSpec, Scenario};

struct Seed {
    op: Operation,
    validators: Validators,
}

fn seed() -> Seed {
    let spec = openapi::load(Path::new("spec/relay-rest.yaml")).unwrap();
    let op = openapi::operations(&spec).unwrap().remove(0);
    let pointers: Vec<String> = op
        .responses
        .iter()
        .flat_map(|r| &r.content)
        .filter_map(|m| m.schema.clone())
        .map(|s| s.pointer)
        .collect();
    let validators = Validators::compile(&spec.doc, pointers.iter().map(String::as_str));
    Seed { op, validators }
}

fn scenario(kind: Kind) -> Scenario {
    let request = RequestSpec {
        path: "/endpoints/sip/x".into(),
        query: vec![],
        headers: vec![],
        cookies: vec![],
        body: None,
        auth: AuthMode::Valid,
        secrets: vec![],
        method: None,
    };
    Scenario::single(0, "x".into(), kind, request)
}

fn failures(
    seed: &Seed,
    kind: Kind,
    status: u16,
    ct: Option<&str>,
    body: &str,
) -> Vec<&'static str> {
    let scenario = scenario(kind);
    let response = Response {
        status,
        content_type: ct.map(str::to_owned),
        body: body.as_bytes().to_vec(),
        retry_after: None,
        headers: Default::default(),
    };
    let ctx = Context {
        operation: &seed.op,
        scenario: &scenario,
        step: scenario.first(),
        response: &response,
        validators: &seed.validators,
        has_credentials: true,
        elapsed: std::time::Duration::from_millis(1),
        settings: &Settings::default(),
        declared_methods: &[],
        routes: &[],
        earlier: &[],
    };
    run(&ctx).into_iter().map(|f| f.check).collect()
}

#[test]
fn each_check_fires_on_its_fault_and_only_then() {
    let s = seed();
    let negative = || Kind::Negative { target: "path.id".into(), rule: "too-short".into() };
    let auth = || Kind::Negative { target: "auth".into(), rule: "missing".into() };
    let json = Some("application/json; charset=utf-8");
    assert_eq!(
        failures(&s, Kind::Positive, 404, json, r#"{"error":"Not Found"}"#),
        Vec::<&str>::new()
    );
    assert_eq!(
        failures(&s, Kind::Positive, 500, json, r#"{"error":"Internal Server Error"}"#),
        ["not_a_server_error"]
    );
    assert_eq!(failures(&s, Kind::Positive, 418, json, "{}"), ["status_code_conformance"]);
    assert_eq!(
        failures(&s, Kind::Positive, 404, Some("text/html"), "<p>"),
        ["content_type_conformance"]
    );
    assert_eq!(failures(&s, Kind::Positive, 404, None, "{}"), ["content_type_conformance"]);
    assert_eq!(
        failures(&s, Kind::Positive, 404, json, r#"{"error":"Gone"}"#),
        ["response_schema_conformance"]
    );
    assert_eq!(
        failures(&s, Kind::Positive, 404, json, "{not json"),
        ["response_schema_conformance"]
    );
    assert_eq!(failures(&s, negative(), 422, json, r#"{"errors":[]}"#), Vec::<&str>::new());
    assert_eq!(failures(&s, negative(), 404, json, r#"{"error":"Not Found"}"#), Vec::<&str>::new());
    assert!(failures(&s, negative(), 200, json, "{}").contains(&"negative_data_rejection"));
    assert!(failures(&s, negative(), 400, json, "{}").contains(&"negative_data_rejection"));
    assert_eq!(failures(&s, auth(), 401, json, r#"{"error":"Unauthorized"}"#), Vec::<&str>::new());
    assert_eq!(failures(&s, auth(), 404, json, r#"{"error":"Not Found"}"#), ["auth_enforced"]);
    // A 401 to a valid request is an authorisation decision, not a rejection of its data.
    assert_eq!(
        failures(&s, Kind::Positive, 401, json, r#"{"error":"Unauthorized"}"#),
        Vec::<&str>::new()
    );
    assert_eq!(
        failures(&s, Kind::Positive, 422, json, r#"{"errors":[]}"#),
        ["positive_data_acceptance"]
    );
}

#[test]
fn a_head_answer_has_no_body_to_validate() {
    let mut s = seed();
    let json = Some("application/json");
    assert_eq!(failures(&s, Kind::Positive, 404, json, ""), ["response_schema_conformance"]);
    s.op.method = "HEAD".into();
    assert_eq!(failures(&s, Kind::Positive, 404, json, ""), Vec::<&str>::new());
}

#[test]
fn schema_failures_name_pointer_keyword_and_branches() {
    let s = seed();
    let scenario = scenario(Kind::Positive);
    let body = r#"{"type":"sip_endpoint","id":"not-a-uuid","username":"u","caller_id":null,"send_as":"x","ciphers":[],"codecs":[],"encryption":"default","call_handler":"nope","calling_handler_resource_id":null,"call_request_url":null,"call_request_method":null,"call_fallback_url":null,"call_fallback_method":null,"call_status_callback_url":null,"call_status_callback_method":null,"call_laml_application_id":null,"call_dialogflow_agent_id":null,"call_relay_topic":null,"call_relay_topic_status_callback_url":null,"call_relay_context":null,"call_relay_context_status_callback_url":null,"call_relay_application":null,"call_video_room_id":null,"call_relay_script_url":null}"#;
    let response = Response {
        status: 200,
        content_type: Some("application/json".into()),
        body: body.into(),
        retry_after: None,
        headers: Default::default(),
    };
    let ctx = Context {
        operation: &s.op,
        scenario: &scenario,
        step: scenario.first(),
        response: &response,
        validators: &s.validators,
        has_credentials: true,
        elapsed: std::time::Duration::from_millis(1),
        settings: &Settings::default(),
        declared_methods: &[],
        routes: &[],
        earlier: &[],
    };
    let failure = response_schema_conformance::check(&ctx).expect("fails");
    let text = failure.details.join("\n");
    assert!(text.contains("at /id:") && text.contains("format"), "{text}");
    assert!(text.contains("at /call_handler:") && text.contains("branch 1:"), "{text}");
}

#[test]
fn configured_statuses_replace_a_checks_default_and_max_ms_bounds_a_case() {
    let s = seed();
    let negative = Kind::Negative { target: "path.id".into(), rule: "too-short".into() };
    let response = |status: u16| Response {
        status,
        content_type: Some("application/json".into()),
        headers: Default::default(),
        body: br#"{"error":"Not Found"}"#.to_vec(),
        retry_after: None,
    };
    let judge = |scenario: &Scenario, status: u16, settings: &Settings, elapsed_ms: u64| {
        let response = response(status);
        let ctx = Context {
            operation: &s.op,
            scenario,
            step: scenario.first(),
            response: &response,
            validators: &s.validators,
            has_credentials: true,
            elapsed: std::time::Duration::from_millis(elapsed_ms),
            settings,
            declared_methods: &[],
            routes: &[],
            earlier: &[],
        };
        run(&ctx).into_iter().map(|f| (f.check, f.title)).collect::<Vec<_>>()
    };
    let mut only_422 = Settings::default();
    only_422.statuses.insert("negative_data_rejection".into(), vec![422]);
    let scenario = scenario(negative);
    // 404 is documented, so the default rule takes it; the configured one does not.
    assert_eq!(judge(&scenario, 404, &Settings::default(), 1), vec![]);
    assert_eq!(
        judge(&scenario, 404, &only_422, 1),
        vec![("negative_data_rejection", "invalid path.id (too-short) answered 404".to_owned())]
    );
    let mut case = self::scenario(Kind::Case { file: "c.yaml".into() });
    case.first_mut().expect =
        Some(crate::plan::Expectation { max_ms: Some(100), ..Default::default() });
    assert_eq!(judge(&case, 404, &Settings::default(), 99), vec![]);
    assert_eq!(
        judge(&case, 404, &Settings::default(), 250),
        vec![("case_expectation", "took 250 ms, over max_ms 100".to_owned())]
    );
}
