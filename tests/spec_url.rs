//! `--spec URL`: a spec served over HTTP (as FastAPI serves `/openapi.json`), its relative
//! `$ref`s fetched from the same folder, credentials sent only with `--spec-auth`, and every
//! error naming the URL, never the local copy.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{answer, gauntlet, raw_server};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: served, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/thing.yaml#/Thing"}
        "400": {description: bad}
"#;

const THING: &str = "Thing: {type: object, required: [id], properties: {id: {type: integer}}}\n";

/// Serves the spec at `/api/openapi.yaml` and `/private/openapi.yaml` (bearer `sekret`
/// only), its schema file beside each, and a spec whose `$ref` names a missing file;
/// counts the requests that carried an `Authorization` header.
fn server() -> (String, Arc<AtomicUsize>) {
    let with_auth = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&with_auth);
    let url = raw_server(move |s, head, _| {
        let authorised = head.to_ascii_lowercase().contains("authorization: bearer sekret");
        if head.to_ascii_lowercase().contains("authorization:") {
            seen.fetch_add(1, Ordering::SeqCst);
        }
        let path = head.split_whitespace().nth(1).unwrap_or("");
        let yaml = "application/yaml";
        match path {
            "/private/openapi.yaml" | "/private/schemas/thing.yaml" if !authorised => {
                answer(s, "401 Unauthorized", "text/plain", "no")
            }
            "/api/openapi.yaml" | "/private/openapi.yaml" => answer(s, "200 OK", yaml, SPEC),
            "/api/schemas/thing.yaml" | "/private/schemas/thing.yaml" => {
                answer(s, "200 OK", yaml, THING)
            }
            "/broken/openapi.yaml" => answer(s, "200 OK", yaml, SPEC),
            _ => answer(s, "404 Not Found", "text/plain", "none"),
        }
    });
    (url, with_auth)
}

#[test]
fn a_spec_url_is_fetched_with_its_relative_refs_and_named_as_the_url() {
    let (url, with_auth) = server();
    let spec = format!("{url}/api/openapi.yaml");
    let out = gauntlet(&["run", "--spec", &spec, "--seed", "1", "--max-examples", "5"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains(&format!("against {spec} · 1 operations")), "{}", out.all());
    let junit = out.junit.as_deref().expect("a JUnit report");
    assert!(junit.contains(&format!("name=\"spec\" value=\"{spec}\"")), "{junit}");
    assert!(!out.all().contains("gauntlet-spec-"), "the local copy is never named");
    assert_eq!(with_auth.load(Ordering::SeqCst), 0, "no credential without --spec-auth");
}

#[test]
fn a_private_spec_needs_spec_auth_and_gets_the_token_only_then() {
    let (url, with_auth) = server();
    let spec = format!("{url}/private/openapi.yaml");
    let refused = gauntlet(&["run", "--spec", &spec, "--bearer", "sekret", "--dry-run"]);
    assert_eq!(refused.code, 2, "{}", refused.all());
    let line = refused.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{}", refused.all());
    assert!(line.contains(&spec) && line.contains("401") && line.contains("--spec-auth"), "{line}");
    assert_eq!(with_auth.load(Ordering::SeqCst), 0);

    let out = gauntlet(&["run", "--spec", &spec, "--bearer", "sekret", "--spec-auth", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(with_auth.load(Ordering::SeqCst), 2, "the spec and its schema file");
    assert!(!out.all().contains("sekret"), "{}", out.all());
}

#[test]
fn a_ref_the_server_does_not_have_is_one_line_naming_the_url() {
    let (url, _) = server();
    let spec = format!("{url}/broken/openapi.yaml");
    let out = gauntlet(&["run", "--spec", &spec, "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.all());
    let line = out.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{}", out.all());
    assert!(line.contains(&format!("{url}/broken/schemas/thing.yaml")), "{line}");
    assert!(line.contains("404") && !line.contains("gauntlet-spec-"), "{line}");
}
