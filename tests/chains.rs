//! Chains of requests from the link graph: create → read, create → update → read, create →
//! delete → read. Against `gauntlet mock --stateful` they pass, and each chain fault is found
//! by its check, with the chain's `curl` lines; a spec's own `links` are followed where no
//! name would infer them; a server whose create answers no id gets a spec gap, never a
//! silent pass; the seed (no producer) plans no chain.

use std::path::Path;

use crate::support::{MockProcess, gauntlet_in, temp_file};

const CRUD: &str = r#"
openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        "400": {description: bad}
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getThing
      responses:
        "200": {description: it, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        "400": {description: bad}
        "404": {description: none}
    put:
      operationId: putThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}
      responses:
        "200": {description: changed, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        "400": {description: bad}
        "404": {description: none}
    delete:
      operationId: deleteThing
      responses:
        "204": {description: gone}
        "400": {description: bad}
        "404": {description: none}
components:
  schemas:
    NewThing:
      type: object
      required: [name]
      properties: {name: {type: string, maxLength: 20}}
    Thing:
      type: object
      required: [id, name]
      properties: {id: {type: integer, minimum: 1}, name: {type: string}}
"#;

fn run(dir: &Path, spec: &str, url: &str, extra: &[&str]) -> crate::support::Outcome {
    let mut args =
        vec!["run", "--spec", spec, "--base-url", url, "--seed", "4", "--max-examples", "5"];
    args.extend_from_slice(extra);
    gauntlet_in(dir, &args, &[])
}

#[test]
fn chains_pass_against_the_stateful_mock_and_each_chain_fault_is_found_with_its_curl_lines() {
    let (dir, spec) = temp_file("things.yaml", CRUD);
    let spec = spec.to_str().unwrap();
    let plan = gauntlet_in(dir.path(), &["run", "--spec", spec, "--dry-run", "--seed", "4"], &[]);
    for chain in [
        "createThing chain/create-read/getThing",
        "createThing chain/create-update-read/putThing",
        "createThing chain/create-delete-read/deleteThing",
    ] {
        assert!(plan.stdout.contains(chain), "{chain}\n{}", plan.stdout);
    }
    assert!(plan.stdout.contains("id=$(curl -sS -g -X POST"), "{}", plan.stdout);
    assert!(plan.stdout.contains("/things/'\"$id\"''"), "{}", plan.stdout);

    // The built-in mock of `gauntlet run` is stateful; so is `gauntlet mock --stateful`.
    let builtin = gauntlet_in(dir.path(), &["run", "--spec", spec, "--seed", "4"], &[]);
    assert_eq!(builtin.code, 0, "{}", builtin.all());
    let clean = MockProcess::start(&["--spec", spec, "--stateful"]);
    let out = run(dir.path(), spec, &clean.url, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.failed_checks(), Vec::<String>::new(), "{}", out.all());

    for (fault, check, chain) in [
        ("keeps-deleted", "use_after_free", "chain/create-delete-read/deleteThing"),
        ("forgets-created", "ensure_resource_availability", "chain/create-read/getThing"),
    ] {
        let mock = MockProcess::start(&["--spec", spec, "--stateful", "--fault", fault]);
        let out = run(dir.path(), spec, &mock.url, &[]);
        assert_eq!(out.code, 1, "{fault}: {}", out.all());
        assert_eq!(out.failed_checks(), [check], "{fault}: {}", out.all());
        assert!(
            out.stdout.contains(&format!("✘ {check} · createThing · {chain}")),
            "{}",
            out.all()
        );
        // Reproduced step by step: the create sets the id, the next steps read it.
        assert!(out.stdout.contains("id=$(curl -sS -g -X POST"), "{fault}: {}", out.all());
        assert!(out.stdout.contains("/things/'\"$id\"''"), "{fault}: {}", out.all());
        // --no-chains plans none, so finds nothing.
        let off = run(dir.path(), spec, &mock.url, &["--no-chains"]);
        assert_eq!(off.code, 0, "{fault}: {}", off.all());
    }
}

/// A spec's `links` name what no path or parameter name would infer: an `ownerKey` from the
/// answer's `key` into `/owners/{ownerKey}`'s path.
#[test]
fn declared_links_are_followed_and_a_create_without_an_id_is_a_spec_gap() {
    const LINKED: &str = r#"
openapi: 3.0.3
info: {title: owners, version: "1"}
paths:
  /register:
    post:
      operationId: register
      responses:
        "201":
          description: made
          content: {application/json: {schema: {type: object, properties: {key: {type: string, maxLength: 10}}}}}
          links:
            owner: {operationId: getOwner, parameters: {ownerKey: '$response.body#/key'}}
  /owners/{ownerKey}:
    get:
      operationId: getOwner
      parameters:
        - {name: ownerKey, in: path, required: true, schema: {type: string, maxLength: 10}}
      responses:
        "200": {description: it, content: {application/json: {schema: {type: object}}}}
        "404": {description: none}
"#;
    let (dir, spec) = temp_file("owners.yaml", LINKED);
    let spec = spec.to_str().unwrap();
    // A server that registers `k1` and loses it.
    let url = crate::support::raw_server(|s, head, _| {
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let (status, body) = match (head.split_whitespace().next(), target) {
            (Some("POST"), "/register") => ("201 Created", r#"{"key":"k1"}"#),
            (Some("GET"), t) if t.starts_with("/owners/") => ("404 Not Found", "{}"),
            _ => ("405 Method Not Allowed", "{}"),
        };
        crate::support::answer(s, status, "application/json", body);
    });
    let out = run(dir.path(), spec, &url, &["--check", "ensure_resource_availability"]);
    assert_eq!(out.failed_checks(), ["ensure_resource_availability"], "{}", out.all());
    assert!(out.stdout.contains("key=$(curl"), "{}", out.all());
    assert!(out.stdout.contains("jq -r '.key'"), "{}", out.all());

    // The same create answering no key: the chain cannot go on, and says so.
    let keyless = crate::support::raw_server(|s, head, _| {
        let status = if head.starts_with("POST") { "201 Created" } else { "404 Not Found" };
        crate::support::answer(s, status, "application/json", "{}");
    });
    let out = run(dir.path(), spec, &keyless, &["--check", "ensure_resource_availability"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("the answer gave no key for the chain to getOwner: the chain stopped"),
        "{}",
        out.all()
    );
}

#[test]
fn the_seed_has_no_producer_and_plans_no_chain() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::support::SEED_SPEC);
    let dir = tempfile::tempdir().unwrap();
    let out = gauntlet_in(dir.path(), &["run", "--spec", spec.to_str().unwrap(), "--dry-run"], &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.stdout.contains("chain/"), "{}", out.stdout);
}

/// `--max-time` bounds the run: operations take turns, so each has finished scenarios before
/// any has many, and the summary and the JSON report say how many the budget cut.
#[test]
fn max_time_gives_every_operation_its_share_and_says_what_it_cut() {
    let (dir, spec) = temp_file("things.yaml", CRUD);
    let spec = spec.to_str().unwrap();
    let mock = MockProcess::start(&["--spec", spec, "--stateful", "--fault", "slow:40ms"]);
    let json = dir.path().join("r.json");
    let report = format!("json={}", json.display());
    let extra = ["--max-time", "1s", "--concurrency", "1", "--report", &report];
    let out = run(dir.path(), spec, &mock.url, &extra);
    assert_eq!(out.code, 0, "{}", out.all());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let cut = report["budget_cut"].as_u64().unwrap();
    assert!(cut > 0, "{}", out.all());
    assert!(out.stdout.contains(&format!("--max-time cut {cut} scenarios")), "{}", out.all());
    for op in ["createThing", "getThing", "putThing", "deleteThing"] {
        let sent = report["cases"].as_array().unwrap().iter().filter(|c| c["operation"] == op);
        assert!(sent.count() >= 2, "{op}: {}", out.all());
    }
}
