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

/// What the CRUD server holds: names by id.
type Store = std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<u64, String>>>;

/// A CRUD server for the spec above that keeps what it is sent, for counting what a run
/// leaves behind.
fn store_server(store: Store) -> String {
    crate::support::raw_server(store_handler(store))
}

/// How the CRUD server answers.
fn store_handler(store: Store) -> impl Fn(&mut std::net::TcpStream, &str, usize) + Send + Sync {
    use crate::support::{answer, read_body};
    let next = std::sync::atomic::AtomicU64::new(1);
    move |s, head, _| {
        let line = head.lines().next().unwrap_or("");
        let mut words = line.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let body = read_body(s, head).unwrap_or_default();
        let typed = head.to_ascii_lowercase().contains("content-type: application/json");
        let name = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .filter(|_| typed)
            .and_then(|v| v.get("name")?.as_str().map(str::to_owned))
            .filter(|n| n.chars().count() <= 20);
        let json = "application/json";
        let mut store = store.lock().unwrap();
        if path == "/things" {
            return match (method, name) {
                ("POST", Some(name)) => {
                    let id = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    store.insert(id, name.clone());
                    let made = serde_json::json!({"id": id, "name": name}).to_string();
                    answer(s, "201 Created", json, &made)
                }
                ("POST", None) => answer(s, "400 Bad Request", json, "{}"),
                _ => answer(s, "405 Method Not Allowed\r\nAllow: POST", json, "{}"),
            };
        }
        let id =
            path.strip_prefix("/things/").and_then(|i| i.parse::<u64>().ok()).filter(|i| *i >= 1);
        let Some(id) = id else { return answer(s, "400 Bad Request", json, "{}") };
        match (method, store.contains_key(&id), name) {
            ("GET", true, _) => answer(
                s,
                "200 OK",
                json,
                &serde_json::json!({"id": id, "name": store[&id]}).to_string(),
            ),
            ("PUT", true, Some(name)) => {
                store.insert(id, name.clone());
                answer(s, "200 OK", json, &serde_json::json!({"id": id, "name": name}).to_string())
            }
            ("PUT", _, None) => answer(s, "400 Bad Request", json, "{}"),
            ("DELETE", true, _) => {
                store.remove(&id);
                answer(s, "204 No Content", json, "")
            }
            ("GET" | "PUT" | "DELETE", false, _) => answer(s, "404 Not Found", json, "{}"),
            _ => answer(s, "405 Method Not Allowed\r\nAllow: GET, PUT, DELETE", json, "{}"),
        }
    }
}

/// A server that asks for credentials only where it holds nothing: a random id's read
/// without them is a 401, the read of a thing it holds is served to anyone. Only a read of
/// what a create just made, with no credentials, shows it.
#[test]
fn a_read_without_credentials_of_what_was_just_created_must_be_refused() {
    let secured = CRUD.replace(
        "components:\n  schemas:",
        "security: [{bearer: []}]\ncomponents:\n  securitySchemes: {bearer: {type: http, scheme: bearer}}\n  schemas:",
    );
    let (dir, spec) = temp_file("things.yaml", &secured);
    let spec = spec.to_str().unwrap();
    let store: Store = Default::default();
    let held = std::sync::Arc::clone(&store);
    let inner = store_handler(store);
    let url = crate::support::raw_server(move |s, head, n| {
        let authorised = head.to_ascii_lowercase().contains("authorization: bearer t0ken-4412");
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let id = target.strip_prefix("/things/").and_then(|i| i.parse::<u64>().ok());
        let served =
            head.starts_with("GET ") && id.is_some_and(|i| held.lock().unwrap().contains_key(&i));
        match authorised || served {
            true => inner(s, head, n),
            false => crate::support::answer(s, "401 Unauthorized", "application/json", "{}"),
        }
    });
    let args = ["--bearer", "t0ken-4412"];
    let plan = gauntlet_in(dir.path(), &["run", "--spec", spec, "--dry-run", "--seed", "4"], &[]);
    assert!(plan.stdout.contains("createThing chain/anonymous-read/getThing"), "{}", plan.stdout);
    let out = run(dir.path(), spec, &url, &args);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["auth_enforced"], "{}", out.all());
    let heading = "✘ auth_enforced · createThing · chain/anonymous-read/getThing";
    assert!(out.stdout.contains(heading), "{}", out.all());
    assert!(
        out.stdout.contains("credentials missing (of a resource just created) accepted with 200"),
        "{}",
        out.all()
    );
    assert!(!out.all().contains("t0ken-4412"), "{}", out.all());

    // A server that asks everyone for credentials passes it.
    let strict: Store = Default::default();
    let inner = store_handler(strict);
    let url = crate::support::raw_server(move |s, head, n| {
        match head.to_ascii_lowercase().contains("authorization: bearer t0ken-4412") {
            true => inner(s, head, n),
            false => crate::support::answer(s, "401 Unauthorized", "application/json", "{}"),
        }
    });
    let out = run(dir.path(), spec, &url, &args);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn what_a_run_created_is_deleted_at_its_end_unless_no_cleanup_keeps_it() {
    let (dir, spec) = temp_file("things.yaml", CRUD);
    let spec = spec.to_str().unwrap();
    let store = std::sync::Arc::new(std::sync::Mutex::new(Default::default()));
    let url = store_server(std::sync::Arc::clone(&store));
    // The numbers of the summary's cleanup line.
    let cleanup = |out: &crate::support::Outcome| -> Vec<usize> {
        let line = out.stdout.lines().find(|l| l.starts_with("cleanup: ")).unwrap_or_default();
        line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect()
    };
    let kept = run(dir.path(), spec, &url, &["--no-cleanup"]);
    assert_eq!(kept.code, 0, "{}", kept.all());
    assert!(kept.stdout.contains("resources created are kept"), "{}", kept.all());
    // What is left is what the run created but its own deletes removed (a random id of a
    // positive DELETE can name one).
    let left = store.lock().unwrap().len();
    let created = cleanup(&kept)[0];
    assert!(left > 3 && left < created, "{left} of {created} left\n{}", kept.all());
    store.lock().unwrap().clear();

    let out = run(dir.path(), spec, &url, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(store.lock().unwrap().is_empty(), "left: {:?}\n{}", store.lock().unwrap(), out.all());
    // Same seed, same creates: each deleted at the end or already gone, none left.
    let [made, deleted, gone, left] = cleanup(&out)[..] else { panic!("{}", out.all()) };
    assert_eq!((made, left), (created, 0), "{}", out.all());
    assert!(deleted > 3 && gone >= 1 && deleted + gone == made, "{}", out.all());
}

#[test]
fn chain_steps_bounds_the_chains_planned() {
    let (dir, spec) = temp_file("things.yaml", CRUD);
    let spec = spec.to_str().unwrap();
    let plan = |extra: &[&str]| {
        let mut args = vec!["run", "--spec", spec, "--dry-run", "--seed", "4"];
        args.extend_from_slice(extra);
        gauntlet_in(dir.path(), &args, &[])
    };
    let steps = |out: &crate::support::Outcome| out.stdout.matches("chain/").count();
    let long = plan(&[]);
    let short = plan(&["--chain-steps", "2"]);
    assert_eq!(short.code, 0, "{}", short.all());
    // The same chains, the reads after an update or a delete left out.
    assert_eq!(steps(&long), steps(&short), "{}\n{}", long.stdout, short.stdout);
    assert!(long.stdout.contains("deleteThing") && short.stdout.contains("deleteThing"));
    assert!(long.stdout.lines().count() > short.stdout.lines().count(), "{}", short.stdout);
    // An API that asks for no credentials has no owner to cross: no foreign chain.
    let open = plan(&["--identity", "bob=bearer:bob-secret"]);
    assert!(!open.stdout.contains("chain/foreign-"), "{}", open.stdout);
    assert!(open.stdout.contains("chain/create-read/getThing"), "{}", open.stdout);
    let bad = plan(&["--chain-steps", "9"]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.contains("--chain-steps"), "{}", bad.all());
}

/// A link's constant parameter and its `requestBody` (a literal holding expressions) are what
/// the linked step sends: the update carries the created id in its body and `mode=express`.
#[test]
fn a_link_s_constant_parameter_and_request_body_are_sent() {
    const ORDERS: &str = r#"
openapi: 3.0.3
info: {title: orders, version: "1"}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [item], properties: {item: {type: string}}}
      responses:
        "201":
          description: made
          content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}
          links:
            confirm:
              operationId: putOrder
              parameters: {orderId: '$response.body#/id', mode: express}
              requestBody: {id: '{$response.body#/id}', state: confirmed}
        "400": {description: bad}
  /orders/{orderId}:
    parameters:
      - {name: orderId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getOrder
      responses:
        "200": {description: it, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
        "404": {description: none}
    put:
      operationId: putOrder
      parameters:
        - {name: mode, in: query, schema: {type: string, enum: [express, normal]}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}
      responses:
        "200": {description: changed, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
        "400": {description: bad}
        "404": {description: none}
components:
  schemas:
    Order:
      type: object
      required: [id, state]
      properties: {id: {type: string}, state: {type: string, enum: [new, confirmed]}}
"#;
    use crate::support::{answer, read_body};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (dir, spec) = temp_file("orders.yaml", ORDERS);
    let spec = spec.to_str().unwrap();
    let confirmed = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&confirmed);
    let orders = std::sync::Mutex::new(std::collections::BTreeMap::<String, String>::new());
    let next = AtomicUsize::new(1);
    let url = crate::support::raw_server(move |s, head, _| {
        let mut words = head.split_whitespace();
        let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let body = read_body(s, head).unwrap_or_default();
        let json: Option<serde_json::Value> = serde_json::from_slice(&body)
            .ok()
            .filter(|_| head.to_ascii_lowercase().contains("content-type: application/json"));
        let text = |k: &str| json.as_ref()?.get(k)?.as_str().map(str::to_owned);
        let j = "application/json";
        let mut orders = orders.lock().unwrap();
        let order =
            |id: &str, state: &str| serde_json::json!({"id": id, "state": state}).to_string();
        match (method, path.strip_prefix("/orders")) {
            ("POST", Some("")) => match text("item") {
                Some(_) => {
                    let id = format!("o-{}", next.fetch_add(1, Ordering::SeqCst));
                    orders.insert(id.clone(), "new".into());
                    answer(s, "201 Created", j, &order(&id, "new"))
                }
                None => answer(s, "400 Bad Request", j, "{}"),
            },
            (_, Some("")) => answer(s, "405 Method Not Allowed\r\nAllow: POST", j, "{}"),
            (m, Some(rest)) if rest.len() > 1 => {
                let id = &rest[1..];
                let mode = query.split('&').find_map(|p| p.strip_prefix("mode="));
                let state = text("state").filter(|s| s == "new" || s == "confirmed");
                match m {
                    "GET" => match orders.get(id) {
                        Some(state) => answer(s, "200 OK", j, &order(id, state)),
                        None => answer(s, "404 Not Found", j, "{}"),
                    },
                    "PUT" if text("id").is_none() || state.is_none() => {
                        answer(s, "400 Bad Request", j, "{}")
                    }
                    "PUT" if mode.is_some_and(|m| m != "express" && m != "normal") => {
                        answer(s, "400 Bad Request", j, "{}")
                    }
                    "PUT" if !orders.contains_key(id) => answer(s, "404 Not Found", j, "{}"),
                    "PUT" => {
                        let state = state.unwrap();
                        if mode == Some("express")
                            && state == "confirmed"
                            && text("id").as_deref() == Some(id)
                        {
                            seen.fetch_add(1, Ordering::SeqCst);
                        }
                        orders.insert(id.to_owned(), state.clone());
                        answer(s, "200 OK", j, &order(id, &state))
                    }
                    _ => answer(s, "405 Method Not Allowed\r\nAllow: GET, PUT", j, "{}"),
                }
            }
            _ => answer(s, "404 Not Found", j, "{}"),
        }
    });
    let plan = gauntlet_in(dir.path(), &["run", "--spec", spec, "--dry-run", "--seed", "4"], &[]);
    assert!(plan.stdout.contains("chain/create-update-read/putOrder"), "{}", plan.stdout);
    assert!(plan.stdout.contains("mode=express"), "{}", plan.stdout);
    let out = run(dir.path(), spec, &url, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(confirmed.load(Ordering::SeqCst) >= 1, "no linked update came\n{}", out.all());
}

/// What a nested create made (`/orgs/{org}/things`) is deleted at the end too: its delete
/// takes the parent from the create's own request, so each create's resource is removed
/// whatever `org` it was sent to.
#[test]
fn nested_resources_are_deleted_at_the_end_with_their_parent_from_the_create() {
    const NESTED: &str = r#"
openapi: 3.0.3
info: {title: nested, version: "1"}
paths:
  /orgs/{org}/things:
    parameters:
      - {name: org, in: path, required: true, schema: {type: string, pattern: '^[a-z]{1,8}$'}}
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}}
        "400": {description: bad}
  /orgs/{org}/things/{thingId}:
    parameters:
      - {name: org, in: path, required: true, schema: {type: string, pattern: '^[a-z]{1,8}$'}}
      - {name: thingId, in: path, required: true, schema: {type: integer}}
    delete:
      operationId: deleteThing
      responses:
        "204": {description: gone}
        "400": {description: bad}
        "404": {description: none}
"#;
    use crate::support::{answer, read_body};
    let (dir, spec) = temp_file("nested.yaml", NESTED);
    let spec = spec.to_str().unwrap();
    type Things = std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<(String, i64)>>>;
    let things: Things = Default::default();
    let held = std::sync::Arc::clone(&things);
    let next = std::sync::atomic::AtomicI64::new(1);
    let url = crate::support::raw_server(move |s, head, _| {
        let mut words = head.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let body = read_body(s, head).unwrap_or_default();
        let j = "application/json";
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let org_ok =
            |o: &str| !o.is_empty() && o.len() <= 8 && o.bytes().all(|b| b.is_ascii_lowercase());
        let named = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .is_some_and(|v| v.get("name").is_some_and(serde_json::Value::is_string))
            && head.to_ascii_lowercase().contains("content-type: application/json");
        let mut things = held.lock().unwrap();
        match (method, parts.as_slice()) {
            ("POST", ["orgs", org, "things"]) if org_ok(org) && named => {
                let id = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                things.insert(((*org).to_owned(), id));
                answer(s, "201 Created", j, &format!(r#"{{"id":{id}}}"#))
            }
            ("POST", ["orgs", _, "things"]) => answer(s, "400 Bad Request", j, "{}"),
            ("DELETE", ["orgs", org, "things", id]) => match id.parse::<i64>() {
                Ok(id) if org_ok(org) => match things.remove(&((*org).to_owned(), id)) {
                    true => answer(s, "204 No Content", j, ""),
                    false => answer(s, "404 Not Found", j, "{}"),
                },
                _ => answer(s, "400 Bad Request", j, "{}"),
            },
            (_, ["orgs", _, "things"]) => {
                answer(s, "405 Method Not Allowed\r\nAllow: POST", j, "{}")
            }
            _ => answer(s, "405 Method Not Allowed\r\nAllow: DELETE", j, "{}"),
        }
    });
    let kept = run(dir.path(), spec, &url, &["--no-cleanup"]);
    assert_eq!(kept.code, 0, "{}", kept.all());
    let orgs: std::collections::BTreeSet<String> =
        things.lock().unwrap().iter().map(|(o, _)| o.clone()).collect();
    assert!(orgs.len() > 1, "creates went to one org only: {orgs:?}\n{}", kept.all());
    things.lock().unwrap().clear();
    let out = run(dir.path(), spec, &url, &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(things.lock().unwrap().is_empty(), "left: {:?}\n{}", things.lock().unwrap(), out.all());
    assert!(out.stdout.contains(", 0 left"), "{}", out.all());
}
