//! Scenarios of several steps, through the library's engine against the built-in mock on a
//! real loopback port: each step is sent and judged in order, captures read the answers, a
//! step with no answer ends its scenario, and the reports show every step.

use std::sync::Arc;

use gauntlet::engine::{self, RunOptions};
use gauntlet::plan::{Capture, CaptureFrom, Kind, Scenario};
use gauntlet::report::{Case, RunInfo, RunReport, failure_text};
use gauntlet::runner::Session;

/// The seed's plan, its positive base scenario, and the options that made it.
fn seed() -> (RunOptions, engine::Prepared, Scenario) {
    let options = RunOptions {
        seed: Some(3),
        max_examples: 2,
        cases: vec!["cases".into()],
        credentials: gauntlet::credentials::Credentials {
            basic: Some(("proj".into(), "tok".into())),
            ..Default::default()
        },
        ..RunOptions::default()
    };
    let prepared = engine::prepare(&options).expect("the seed plans");
    let base = prepared
        .plan
        .scenarios
        .iter()
        .find(|s| s.label == "positive/base")
        .expect("a base scenario")
        .clone();
    (options, prepared, base)
}

#[test]
fn every_step_is_sent_and_judged_and_captures_read_the_answer() {
    let (options, prepared, base) = seed();
    let runtime = engine::runtime().expect("runtime");
    let mut credentials = options.credentials.clone();
    let target = runtime.block_on(engine::target(&options, &prepared, &mut credentials)).unwrap();
    let config = engine::run_config(&options, &target.base_url, credentials).unwrap();
    let plan = Arc::new(prepared.plan);
    let session = Session::new(Arc::clone(&plan), prepared.validators, config).unwrap();

    // Read, then read a malformed id: the second step must be refused.
    let mut chain = base.clone();
    chain.label = "chain/read-then-malformed-id".into();
    chain.first_mut().captures =
        vec![Capture { name: "id".into(), from: CaptureFrom::Body("/id".into()) }];
    let mut second = base.first().clone();
    second.request.path = "/endpoints/sip/not-a-uuid".into();
    chain.steps.push(second);
    chain.kind = Kind::Positive;
    let result = runtime.block_on(session.execute_scenario(&chain));

    assert_eq!(result.steps.len(), 2, "{result:?}");
    assert_eq!(result.steps[0].status, Some(200), "{result:?}");
    assert!(result.steps[0].passed(), "{result:?}");
    let sent_id = base.first().request.path.rsplit('/').next().unwrap().to_owned();
    assert_eq!(result.steps[0].captured, vec![("id".to_owned(), sent_id)]);
    // A positive scenario whose step is refused fails positive_data_acceptance there.
    assert_eq!(result.steps[1].status, Some(422), "{result:?}");
    let failed: Vec<&str> = result.steps[1].failures.iter().map(|f| f.check).collect();
    assert_eq!(failed, vec!["positive_data_acceptance"], "{result:?}");
    assert!(!result.passed());

    // The report shows which step failed and a curl line per step, no secret in either.
    let info = RunInfo {
        spec: "spec/relay-rest.yaml".into(),
        title: "relay".into(),
        base_url: target.base_url.clone(),
        has_credentials: true,
        strict: false,
        started: std::time::SystemTime::now(),
    };
    let case = Case::new(&plan.operations, &chain, &result, &[], &info);
    let report = RunReport::from_cases(&plan.operations, vec![case], info, plan.seed);
    let text = failure_text(&report, &report.cases[0]);
    assert!(text.contains("step:     2 of 2 (retrieve-sip-endpoint)"), "{text}");
    // The step that captures sets a shell variable from its answer.
    assert!(
        text.contains("reproduce 1: id=$(curl") && text.contains("reproduce 2: curl"),
        "{text}"
    );
    assert!(text.contains("-u \"$GAUNTLET_USER\"") && !text.contains(":tok"), "{text}");
    assert_eq!(report.counts.failed, 1);
    assert_eq!(report.groups.len(), 1);
}

#[test]
fn a_step_with_no_answer_ends_its_scenario() {
    let (mut options, prepared, base) = seed();
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    options.base_url = Some(format!("http://127.0.0.1:{port}"));
    options.timeout = std::time::Duration::from_secs(2);
    let runtime = engine::runtime().expect("runtime");
    let config = engine::run_config(
        &options,
        options.base_url.as_deref().unwrap(),
        options.credentials.clone(),
    )
    .unwrap();
    let session = Session::new(Arc::new(prepared.plan), prepared.validators, config).unwrap();
    let mut chain = base.clone();
    chain.steps.push(base.first().clone());
    let result = runtime.block_on(session.execute_scenario(&chain));
    assert_eq!(result.steps.len(), 1, "the second step is never sent: {result:?}");
    assert!(result.error().is_some());
}
