//! The frameworks suite: small conformant apps written on real frameworks — FastAPI with
//! uvicorn (`tests/frameworks/fastapi`, its spec derived from its code) and Express with
//! express-openapi-validator (`tests/frameworks/express`, spec first) — served on 127.0.0.1
//! and tested by `gauntlet run` as a user would. Each uses what real specs have everywhere:
//! OAuth2 and HTTP bearer, API keys in a header, a query and a cookie, OR and AND
//! requirements, readOnly and writeOnly, a multipart upload, a form body, a discriminator,
//! two parameters in one path segment, optional `anyOf`-with-null parameters, and statuses
//! the spec does not document. A conformant app gets no failure (its gaps are spec gaps);
//! its broken twin (`--broken`) shows the checks still fire.
//!
//! `.ci/run` installs both (`tests/frameworks/.venv`, `npm ci`); outside CI a missing one is
//! said and skipped, in CI it is a failure.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::support::{Outcome, gauntlet};

/// A framework app running on an ephemeral port.
struct App {
    child: Child,
    url: String,
    spec: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/frameworks")
}

/// `what` is missing: a failure in CI, a skip elsewhere.
fn missing(what: &str) -> Option<App> {
    assert!(std::env::var_os("CI").is_none(), "{what} is missing: .ci/run installs it");
    eprintln!("skipped: {what} is not installed (see .ci/run)");
    None
}

/// Starts `program args` and waits for its `listening PORT` line.
fn start(mut command: Command, spec: PathBuf, dir: tempfile::TempDir) -> App {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the framework app");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
    let port = line
        .strip_prefix("listening ")
        .map(str::trim)
        .unwrap_or_else(|| panic!("no port in {line:?}"))
        .to_owned();
    App { child, url: format!("http://127.0.0.1:{port}"), spec, _dir: dir }
}

/// The FastAPI app (its spec written by FastAPI into a temporary folder).
fn fastapi(broken: bool) -> Option<App> {
    fastapi_script("app.py", broken)
}

/// The FastAPI app of `script` in `tests/frameworks/fastapi/`.
fn fastapi_script(script: &str, broken: bool) -> Option<App> {
    let python = root().join(".venv/bin/python");
    let ready = python.exists()
        && Command::new(&python)
            .args(["-c", "import fastapi, uvicorn, multipart"])
            .status()
            .is_ok_and(|s| s.success());
    if !ready {
        return missing("FastAPI in tests/frameworks/.venv");
    }
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.json");
    let mut command = Command::new(python);
    command.arg(root().join("fastapi").join(script)).arg(&spec);
    if broken {
        command.arg("--broken");
    }
    Some(start(command, spec, dir))
}

/// The Express app (its spec is `tests/frameworks/express/openapi.yaml`).
fn express(broken: bool) -> Option<App> {
    let app = root().join("express");
    if !app.join("node_modules/express-openapi-validator").exists() {
        return missing("express-openapi-validator in tests/frameworks/express/node_modules");
    }
    let mut command = Command::new("node");
    command.arg(app.join("app.mjs"));
    if broken {
        command.arg("--broken");
    }
    Some(start(command, app.join("openapi.yaml"), tempfile::tempdir().unwrap()))
}

/// `gauntlet run` against `app` with the apps' credentials, at a fixed seed.
fn run(app: &App) -> Outcome {
    run_spec(app, &app.spec.to_string_lossy())
}

/// Like [`run`], with the spec read from `spec` (a file or a URL).
fn run_spec(app: &App, spec: &str) -> Outcome {
    gauntlet(&[
        "run",
        "--spec",
        spec,
        "--base-url",
        &app.url,
        "--bearer",
        "fw-token",
        "--api-key",
        "fw-key",
        "--seed",
        "1",
        "--max-examples",
        "50",
        "--quiet",
    ])
}

/// Asserts a clean run: exit 0, no failed check, and each of `gaps` among the spec gaps.
fn assert_clean(out: &Outcome, gaps: &[&str]) {
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.failed_checks().is_empty(), "{}", out.all());
    assert!(out.stdout.contains(" 0 failed, 0 errors"), "{}", out.all());
    for gap in gaps {
        let shown = out.stdout.lines().any(|l| l.starts_with("  ~ ") && l.contains(gap));
        assert!(shown, "no spec gap {gap:?}: {}", out.all());
    }
}

/// Asserts that every check in `checks` failed.
fn assert_fires(out: &Outcome, checks: &[&str]) {
    assert_eq!(out.code, 1, "{}", out.all());
    let failed = out.failed_checks();
    for check in checks {
        assert!(
            failed.iter().any(|f| f == check),
            "{check} did not fire: {failed:?}\n{}",
            out.all()
        );
    }
}

#[test]
fn a_conformant_fastapi_app_gets_no_failure_only_spec_gaps() {
    let Some(app) = fastapi(false) else { return };
    let out = run(&app);
    assert_clean(
        &out,
        &[
            "get_item_items__item_id__get · no 404 is documented",
            "list_items_items_get · security is declared but no 401 or 403 is documented",
        ],
    );
    // The multipart upload and the optional anyOf-null parameters were sent and accepted.
    assert!(out.stdout.contains("statuses 13/13"), "{}", out.all());
    assert!(out.stdout.contains("5/5 (100%) invalid"), "{}", out.all());
    // The same run from the document FastAPI serves, read by URL: the same verdict.
    let served = format!("{}/openapi.json", app.url);
    let spec = app.spec.to_string_lossy().into_owned();
    let from_url = run_spec(&app, &served);
    assert_clean(&from_url, &[]);
    assert!(from_url.stdout.contains(&format!("against {served} ·")), "{}", from_url.all());
    let count = |o: &crate::support::Outcome| {
        o.stdout
            .lines()
            .find(|l| l.starts_with("PASS"))
            .map(|l| l.split(" scenarios").next().unwrap_or("").to_owned())
    };
    assert_eq!(count(&from_url), count(&out), "file {spec} and URL plan alike");
}

#[test]
fn the_broken_fastapi_twin_is_caught() {
    let Some(app) = fastapi(true) else { return };
    let out = run(&app);
    assert_fires(&out, &["response_schema_conformance", "not_a_server_error"]);
    // The 500 comes from the edge of an optional anyOf-null parameter.
    assert!(out.stdout.contains("positive/query.limit/maximum"), "{}", out.all());
}

#[test]
fn a_conformant_express_openapi_validator_app_gets_no_failure_only_spec_gaps() {
    let Some(app) = express(false) else { return };
    let out = run(&app);
    assert_clean(
        &out,
        &[
            "search · no rejection of invalid input is documented; invalid input answered 400",
            "upload · no 415 is documented",
        ],
    );
}

#[test]
fn the_broken_express_twin_is_caught() {
    let Some(app) = express(true) else { return };
    let out = run(&app);
    assert_fires(
        &out,
        &["negative_data_rejection", "not_a_server_error", "response_schema_conformance"],
    );
    // The validator's own crash on an empty JSON body, which only the boundary phase sends.
    let crash = "✘ not_a_server_error · createPet · negative/body/empty";
    assert!(out.stdout.lines().any(|l| l.starts_with(crash)), "{}", out.all());
}

/// `gauntlet run` against the notes app as ann, with bob and carol as the other identities.
fn run_notes(app: &App) -> Outcome {
    gauntlet(&[
        "run",
        "--spec",
        &app.spec.to_string_lossy(),
        "--base-url",
        &app.url,
        "--bearer",
        "ann-token",
        "--identity",
        "bob=bearer:bob-token",
        "--identity",
        "carol=bearer:carol-token",
        "--seed",
        "1",
        "--max-examples",
        "30",
    ])
}

#[test]
fn a_conformant_crud_app_with_owners_gets_no_failure_from_chains_across_identities() {
    let Some(app) = fastapi_script("notes.py", false) else { return };
    let out = run_notes(&app);
    assert_clean(&out, &[]);
    // The chains that cross identities were sent, and their refusals are gaps, not bugs.
    assert!(out.stdout.contains("with spec gaps"), "{}", out.all());
    let junit = out.junit.as_deref().unwrap_or_default();
    for chain in ["chain/foreign-read/", "chain/foreign-write/", "chain/mass-assignment/"] {
        assert!(junit.contains(chain), "no {chain} in the run\n{junit}");
    }
    // Each identity crosses: the second's chains are named after it.
    assert!(junit.contains("/carol\" classname="), "no chain as carol\n{junit}");
}

#[test]
fn the_crud_twin_s_use_after_free_cross_user_read_and_write_and_mass_assignment_are_caught() {
    let Some(app) = fastapi_script("notes.py", true) else { return };
    let out = run_notes(&app);
    assert_fires(&out, &["use_after_free", "object_level_authorization", "mass_assignment"]);
    for title in [
        "deleted resource still served with 200",
        "another identity (bob) read the owner's resource",
        "another identity's (bob) PUT changed the owner's resource (title)",
        "another identity (carol) read the owner's resource",
        "the create set owner from the request",
        "the update set owner from the request",
    ] {
        assert!(out.stdout.contains(title), "no {title:?}\n{}", out.all());
    }
    // Each chain reproduces as its curl lines, bob's credentials from bob's own variable.
    assert!(
        out.stdout.contains(r#"-H "Authorization: Bearer $GAUNTLET_BOB_BEARER""#),
        "{}",
        out.all()
    );
    assert!(out.stdout.contains("id=$(curl"), "{}", out.all());
    assert!(out.stdout.contains("$GAUNTLET_CAROL_BEARER"), "{}", out.all());
    for token in ["ann-token", "bob-token", "carol-token"] {
        assert!(!out.all().contains(token), "{token} shown\n{}", out.all());
    }
}
