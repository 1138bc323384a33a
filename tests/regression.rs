//! One test per bug, named after what broke.

use crate::support::{gauntlet, temp_file};

/// `/widgets/{id}-v{version}` was read as one parameter named `id}-v{version`: the mock
/// routed nothing to it and the generator never filled it.
#[test]
fn several_parameters_in_one_path_segment_are_read_rendered_and_routed() {
    let spec = r#"
openapi: 3.1.0
info: { title: widgets, version: "1" }
paths:
  /widgets/{id}-v{version}:
    get:
      operationId: get-widget
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, format: uuid } }
        - { name: version, in: path, required: true, schema: { type: integer, minimum: 1, maximum: 9 } }
      responses:
        "200":
          description: the widget
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: string } } }
        "404": { description: no such widget }
        "422": { description: invalid }
"#;
    let (_dir, path) = temp_file("widgets.yaml", spec);
    let spec = path.to_string_lossy().into_owned();
    let dry =
        gauntlet(&["run", "--spec", &spec, "--dry-run", "--seed", "1", "--max-examples", "3"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(!dry.stdout.contains("%7D-v%7B") && !dry.stdout.contains("}-v{"), "{}", dry.all());
    let positive = dry.stdout.lines().skip_while(|l| !l.contains("positive/base")).nth(1).unwrap();
    assert!(
        regex_like_widget(positive),
        "the base request fills both parameters: {positive}\n{}",
        dry.all()
    );
    let run = gauntlet(&["run", "--spec", &spec, "--seed", "1", "--max-examples", "100"]);
    assert_eq!(run.code, 0, "the mock routes and validates both parameters: {}", run.all());
    let junit = run.junit.as_deref().unwrap_or("");
    assert!(
        junit.contains("negative/path.version/") && junit.contains("negative/path.id/"),
        "{junit}"
    );
}

/// `/widgets/<uuid>-v<digit>` somewhere in a curl line.
fn regex_like_widget(line: &str) -> bool {
    line.split("/widgets/").nth(1).is_some_and(|rest| {
        let segment = rest.split(['\'', '?', '/']).next().unwrap_or("");
        segment.len() > 36
            && uuid::Uuid::parse_str(&segment[..36]).is_ok()
            && segment[36..].strip_prefix("-v").is_some_and(|v| v.parse::<u8>().is_ok())
    })
}

/// A server that echoed the `Authorization` header showed the base64 of a derived broken
/// credential (`gauntlet-wrong-id:TOKEN`) in stdout and JUnit: only `id:token` itself was
/// redacted.
#[test]
fn echoed_derived_credentials_are_redacted_in_every_encoding() {
    use base64::Engine;
    use std::io::Write;
    let url = crate::support::raw_server(|s, head, _| {
        let auth = head
            .lines()
            .find_map(|l| l.strip_prefix("authorization: ").or(l.strip_prefix("Authorization: ")))
            .unwrap_or("")
            .to_owned();
        let body = format!("{{\"echo\":\"{auth}\"}}");
        let reply = format!(
            "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = s.write_all(reply.as_bytes());
    });
    let user = crate::support::USER;
    let (id, token) = user.split_once(':').unwrap();
    let out = gauntlet(&[
        "run",
        "--base-url",
        &url,
        "--user",
        user,
        "--seed",
        "1",
        "--max-examples",
        "40",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.clone().unwrap_or_default();
    assert!(junit.contains("negative/auth/wrong-id"), "the break was sent: {junit}");
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    for leak in [
        token.to_owned(),
        b64(format!("{id}:{token}")),
        b64(format!("gauntlet-wrong-id:{token}")),
        b64(format!("{id}:{token}")).trim_end_matches('=').to_owned(),
    ] {
        for (name, text) in [("stdout", &out.stdout), ("stderr", &out.stderr), ("junit", &junit)] {
            assert!(!text.contains(&leak), "{leak} in {name}: {text}");
        }
    }
}

/// The seed spec with one schema replaced by a `$ref` to `target`.
fn spec_with_ref(target: &str) -> String {
    let seed = std::fs::read_to_string("spec/relay-rest.yaml").unwrap();
    let schema = "          schema:\n            $ref: '#/components/schemas/uuid'";
    assert!(seed.contains(schema), "the seed's path parameter schema moved");
    seed.replacen(schema, &format!("          schema:\n            $ref: '{target}'"), 1)
}

/// `$ref: '../../../../etc/passwd'` was read and its start printed in a note; `/etc/shadow`
/// was read with exit 0.
#[test]
fn refs_never_read_outside_the_spec_folder() {
    for target in ["../../../../../../etc/passwd", "/etc/shadow", "/dev/zero", "%2Fetc%2Fpasswd"] {
        let (_dir, spec) = temp_file("spec.yaml", &spec_with_ref(target));
        let out = gauntlet(&["run", "--dry-run", "--spec", spec.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{target}: {}", out.all());
        let line = out.stderr.trim();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(
            line.contains("$ref") && line.contains("#/paths/"),
            "names $ref and pointer: {line}"
        );
        assert!(!out.all().contains("root:"), "{target}: file content shown: {}", out.all());
    }
}

/// A symlink inside the spec's folder that leads outside is refused too; `--ref-root` widens
/// the root for a spec that shares files with its parent folder.
#[test]
fn links_out_are_refused_and_ref_root_widens_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join("api");
    std::fs::create_dir(&api).unwrap();
    std::fs::write(dir.path().join("uuid.yaml"), "type: string\nformat: uuid\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", api.join("link.yaml")).unwrap();
    let spec = api.join("spec.yaml");
    std::fs::write(&spec, spec_with_ref("link.yaml")).unwrap();
    let out = gauntlet(&["run", "--dry-run", "--spec", spec.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("leads outside"), "{}", out.all());
    std::fs::write(&spec, spec_with_ref("../uuid.yaml")).unwrap();
    let out = gauntlet(&["run", "--dry-run", "--spec", spec.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    let root = dir.path().to_str().unwrap();
    let out = gauntlet(&["run", "--dry-run", "--spec", spec.to_str().unwrap(), "--ref-root", root]);
    assert_eq!(out.code, 0, "{}", out.all());
}

/// `--spec /dev/zero`, `--config /dev/zero` and `fuzz --replay /dev/zero` grew until memory
/// ran out; a FIFO in `cases/` blocked forever.
#[test]
fn devices_and_fifos_are_refused_at_once() {
    for args in [
        vec!["run", "--spec", "/dev/zero"],
        vec!["run", "--config", "/dev/zero"],
        vec!["fuzz", "--replay", "/dev/zero"],
        vec!["mock", "--spec", "/dev/zero"],
    ] {
        let started = std::time::Instant::now();
        let out = gauntlet(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.all());
        assert!(out.stderr.contains("/dev/zero: cannot read: not a regular file"), "{}", out.all());
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("blocked.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = gauntlet(&["run", "--dry-run", "--cases", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("blocked.yaml: cannot read: not a regular file"), "{}", out.all());
}

/// `--base-url http://id:token@host` printed the credentials in the header line and saved
/// them in JUnit properties and fuzz records.
#[test]
fn credentials_in_the_base_url_are_refused_unechoed() {
    for args in [
        vec!["run", "--base-url", "http://proj:s3cr3t-t0k@127.0.0.1:9/api"],
        vec!["run", "--dry-run", "--base-url", "http://s3cr3t-t0k@127.0.0.1:9"],
        vec!["fuzz", "--base-url", "http://proj:s3cr3t-t0k@127.0.0.1:9", "--max-examples", "1"],
        vec!["run", "--base-url", "http://proj:s3cr3t-t0k@[bad"],
    ] {
        let out = gauntlet(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.all());
        assert!(out.stderr.contains("--base-url"), "{}", out.all());
        assert!(!out.all().contains("s3cr3t-t0k"), "{args:?}: {}", out.all());
        assert!(out.junit.is_none(), "nothing was written");
    }
}

/// `gauntlet run --dry-run | head -1` exited 2 with "cannot write to the console: Broken
/// pipe"; a closed standard output ends the program quietly with exit 0.
#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gauntlet"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // Far more than a pipe holds, so the writes after the reader leaves really fail.
        .args(["run", "--dry-run", "--max-examples", "3000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

/// `gauntlet fuzz --rate-limit 50` always panicked ("there is no reactor running"), and
/// fuzz against an unreachable target exited 1 instead of 2.
#[test]
fn fuzz_paces_and_says_unreachable() {
    let out = gauntlet(&["fuzz", "--rate-limit", "200", "--max-examples", "20", "--seed", "1"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.stderr.contains("panicked"), "{}", out.all());
    let port = crate::support::seed_server::closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let out = gauntlet(&["fuzz", "--base-url", &url, "--max-examples", "5", "--seed", "1"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("target unreachable"), "{}", out.all());
}

/// Starts `gauntlet` with `args`, sends `signal` after `after`, and returns its exit code,
/// output, and how long it took to stop once signalled.
fn signalled(
    args: &[&str],
    signal: &str,
    after: std::time::Duration,
) -> (Option<i32>, String, std::time::Duration) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gauntlet"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let sent = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status();
    assert!(sent.unwrap().success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text, started.elapsed())
}

/// SIGTERM was not handled, and a killed or failed run left a 0-byte report in place of the
/// previous one; an interrupted run's headline said PASS.
#[test]
fn sigterm_stops_like_ctrl_c_and_reports_are_replaced_whole() {
    use crate::support::seed_server::{Fault, closed_port, start};
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let junit_arg = junit.to_str().unwrap();
    std::fs::write(&junit, "previous report").unwrap();
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = gauntlet(&["run", "--base-url", &url, "--junit", junit_arg]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(std::fs::read_to_string(&junit).unwrap(), "previous report");

    let url = start(Fault::HangsOnInvalid);
    let args = [
        "run",
        "--base-url",
        &url,
        "--user",
        crate::support::USER,
        "--max-examples",
        "40",
        "--timeout",
        "60s",
        "--junit",
        junit_arg,
    ];
    let (code, text, took) = signalled(&args, "-TERM", std::time::Duration::from_millis(1500));
    assert_eq!(code, Some(143), "{text}");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    assert!(text.contains("INTERRUPTED") && !text.contains("\nPASS "), "{text}");
    let report = std::fs::read_to_string(&junit).unwrap();
    assert!(report.contains(r#"<property name="interrupted""#), "{report}");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left beside the report");
}

/// Ctrl-C during `fuzz` waited for requests in flight to time out (28 s against a hanging
/// target with `--timeout 30s`).
#[test]
fn ctrl_c_stops_fuzz_within_a_second() {
    let url = crate::support::raw_server(|_, _, _| {
        std::thread::sleep(std::time::Duration::from_secs(60));
    });
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("fuzz.xml");
    let args = [
        "fuzz",
        "--base-url",
        &url,
        "--timeout",
        "30s",
        "--max-examples",
        "50",
        "--junit",
        junit.to_str().unwrap(),
    ];
    let (code, text, took) = signalled(&args, "-INT", std::time::Duration::from_millis(1000));
    assert_eq!(code, Some(130), "{text}");
    // Far below the 30 s a request in flight would take to time out.
    assert!(took < std::time::Duration::from_secs(5), "stopped after {took:?}: {text}");
}

/// `$ref` loops through `allOf` (A = allOf [B], B = allOf [A]) overflowed the stack (exit
/// 134) under `run --dry-run` and `run`; an `items` ↔ `items` loop is answered by the mock.
#[test]
fn ref_loops_through_all_of_and_items_do_not_overflow() {
    let spec = r#"
openapi: 3.1.0
info: { title: loop, version: "1" }
paths:
  /a/{id}:
    get:
      operationId: get-a
      parameters:
        - { name: id, in: path, required: true, schema: { $ref: '#/components/schemas/A' } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/C' }
        "404": { description: none }
components:
  schemas:
    A: { allOf: [ { $ref: '#/components/schemas/B' }, { minLength: 2 } ] }
    B: { allOf: [ { $ref: '#/components/schemas/A' }, { type: string } ] }
    C: { type: array, items: { $ref: '#/components/schemas/D' } }
    D: { type: array, items: { $ref: '#/components/schemas/C' } }
"#;
    let (_dir, path) = temp_file("loop.yaml", spec);
    let spec = path.to_str().unwrap();
    let dry = gauntlet(&["run", "--dry-run", "--spec", spec, "--max-examples", "100"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(dry.stdout.contains("get-a positive/base"), "{}", dry.all());
    let run = gauntlet(&["run", "--spec", spec, "--max-examples", "20", "--seed", "3"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

/// `minLength: 1000000000` on a body property made `--dry-run` write 1 GB and a run write a
/// 1 GB JUnit file; on a parameter, or `minItems` of 1e8, the process aborted.
#[test]
fn sizes_past_the_budget_are_a_note_not_a_gigabyte() {
    let spec = r#"
openapi: 3.1.0
info: { title: big, version: "1" }
paths:
  /a/{id}:
    get:
      operationId: get-a
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, minLength: 1000000000 } }
      responses: { "200": { description: ok } }
  /b:
    post:
      operationId: post-b
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string, minLength: 1000000000 } } }
      responses: { "200": { description: ok } }
  /c:
    get:
      operationId: get-c
      parameters:
        - { name: tags, in: query, required: true, schema: { type: array, minItems: 100000000, items: { type: string } } }
        - { name: h, in: header, required: true, schema: { type: object, minProperties: 100000000 } }
      responses: { "200": { description: ok } }
"#;
    let (_dir, path) = temp_file("big.yaml", spec);
    let spec = path.to_str().unwrap();
    for args in [vec!["run", "--dry-run", "--spec", spec], vec!["run", "--spec", spec]] {
        let out = gauntlet(&args);
        // A run that could test nothing says so (exit 2), never PASS.
        let expected = if args.contains(&"--dry-run") { 0 } else { 2 };
        assert_eq!(out.code, expected, "{args:?}: {}", out.all());
        assert!(expected == 0 || out.stderr.contains("nothing was tested"), "{}", out.all());
        assert!(!out.stdout.contains("PASS"), "{}", out.all());
        assert!(out.stdout.len() < 100_000, "{args:?}: {} bytes of output", out.stdout.len());
        assert!(out.junit.as_ref().is_none_or(|j| j.len() < 100_000));
        for note in [
            "get-a: path.id: minLength 1000000000 is over the 65536 gauntlet makes: operation not tested",
            "post-b: request body: minLength 1000000000 is over the 65536 gauntlet makes",
            "get-c: query.tags: minItems 100000000 is over the 65536 gauntlet makes",
        ] {
            assert!(out.all().contains(note), "{args:?}: {note}: {}", out.all());
        }
    }
}

/// A chain of 64 or more plain `$ref` aliases (no cycle) was reported as a cycle; a 1 MB
/// `$ref` gave a 2 MB error line.
#[test]
fn long_ref_chains_resolve_and_huge_refs_give_a_short_line() {
    let mut schemas = serde_json::Map::new();
    for i in 0..70 {
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"$ref": format!("#/components/schemas/S{}", i + 1)}),
        );
    }
    schemas.insert("S70".into(), serde_json::json!({"type": "string"}));
    let mut doc = serde_json::json!({
        "openapi": "3.1.0", "info": {"title": "alias", "version": "1"},
        "paths": {"/a/{id}": {"get": {"operationId": "a", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/S0"}}],
            "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": schemas},
    });
    let (_dir, path) = temp_file("alias.json", &doc.to_string());
    let out = gauntlet(&["run", "--dry-run", "--spec", path.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());
    doc["components"]["schemas"]["S70"] = serde_json::json!({"$ref": "#/components/schemas/S0"});
    let (_dir, path) = temp_file("cycle.json", &doc.to_string());
    let out = gauntlet(&["run", "--dry-run", "--spec", path.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("$ref cycle"), "{}", out.all());
    doc["paths"]["/a/{id}"]["get"]["parameters"][0]["schema"] =
        serde_json::json!({"$ref": format!("#/components/schemas/{}", "x".repeat(1_000_000))});
    let (_dir, path) = temp_file("huge.json", &doc.to_string());
    let out = gauntlet(&["run", "--dry-run", "--spec", path.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.stderr.lines().count(), 1);
    assert!(out.stderr.len() < 1000, "{} bytes", out.stderr.len());
}

/// An invalid `gauntlet.toml` value quoted the interpolated secret back (`timeout: 'id:token'
/// is not a duration`); `${A:-${B:-x}}` gave a literal string.
#[test]
fn settings_errors_name_the_variable_not_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gauntlet.toml");
    std::fs::write(&config, "timeout = \"${GAUNTLET_TEST_T}\"\n").unwrap();
    let config_arg = config.to_str().unwrap();
    let env = [("GAUNTLET_TEST_T", "proj:s3cr3t-value")];
    let out = crate::support::gauntlet_in(dir.path(), &["run", "--config", config_arg], &env);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("timeout (from ${GAUNTLET_TEST_T})"), "{}", out.all());
    assert!(!out.all().contains("s3cr3t-value"), "{}", out.all());
    std::fs::write(
        &config,
        "spec = \"${GAUNTLET_TEST_UNSET_1:-${GAUNTLET_TEST_UNSET_2:-spec.yaml}}\"\n",
    )
    .unwrap();
    std::fs::copy("spec/relay-rest.yaml", dir.path().join("spec.yaml")).unwrap();
    let out =
        crate::support::gauntlet_in(dir.path(), &["run", "--dry-run", "--config", config_arg], &[]);
    assert_eq!(out.code, 0, "the nested default names the spec: {}", out.all());
}

/// A case header `Authorization: "Bearer ${TOKEN}"` was printed verbatim in `--dry-run`
/// curl lines, failure input and JUnit; a line break in a header value was caught only at
/// send time.
#[test]
fn case_file_secrets_are_sent_but_never_shown() {
    use std::io::Write;
    const TOKEN: &str = "c4se-s3cr3t-t0ken-77";
    let url = crate::support::raw_server(|s, head, _| {
        let sent =
            head.lines().any(|l| l.eq_ignore_ascii_case(&format!("authorization: Bearer {TOKEN}")));
        let body =
            format!("{{\"seen\":{sent},\"echo\":\"{}\"}}", head.replace(['\r', '\n', '"'], " "));
        let reply = format!(
            "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = s.write_all(reply.as_bytes());
    });
    let dir = tempfile::tempdir().unwrap();
    let case = "operation: retrieve-sip-endpoint\ncases:\n  - name: with a token\n    path: { id: 3fa85f64-5717-4562-b3fc-2c963f66afa6 }\n    headers:\n      Authorization: \"Bearer ${GAUNTLET_TEST_CASE_TOKEN}\"\n    expect: { status: 200 }\n";
    std::fs::write(dir.path().join("c.yaml"), case).unwrap();
    let cases = dir.path().to_str().unwrap();
    let env = [("GAUNTLET_TEST_CASE_TOKEN", TOKEN)];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = crate::support::gauntlet_in(
        root,
        &["run", "--base-url", &url, "--cases", cases, "--max-examples", "1", "--seed", "1"],
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains(r#""seen":true"#), "the token was sent: {}", run.all());
    let dry = crate::support::gauntlet_in(root, &["run", "--dry-run", "--cases", cases], &env);
    let junit = run.junit.clone().unwrap_or_default();
    for text in [&run.stdout, &run.stderr, &junit, &dry.stdout] {
        assert!(!text.contains(TOKEN) && !text.contains("c4se-s3cr3t"), "{text}");
    }
    assert!(
        dry.stdout.contains(r#"-H "Authorization: Bearer ${GAUNTLET_TEST_CASE_TOKEN}""#),
        "{}",
        dry.all()
    );
    let broken = case.replace("Bearer ${GAUNTLET_TEST_CASE_TOKEN}", "a\\r\\nX-Injected: 1");
    std::fs::write(dir.path().join("c.yaml"), broken).unwrap();
    let out = crate::support::gauntlet_in(root, &["run", "--dry-run", "--cases", cases], &env);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("c.yaml:") && out.stderr.contains("line break"), "{}", out.all());
}

/// Case files accepted `status: []` and duplicate case names; `--rate-limit 1e-9` was
/// accepted and hung; messages named library types (`untagged enum StatusSpec`, `use
/// Option<String>`) instead of what was wrong.
#[test]
fn bad_case_files_and_flags_are_said_in_the_users_terms() {
    let base = "operation: retrieve-sip-endpoint\ncases:\n";
    let one = "  - name: a\n    path: { id: 3fa85f64-5717-4562-b3fc-2c963f66afa6 }\n";
    for (body, wanted) in [
        (
            format!("{one}    expect: {{ status: [] }}\n"),
            ":5: cases[0].expect.status: an empty list allows no status",
        ),
        (format!("{one}{one}"), ":5: cases[1].name: 'a' names another case of this file"),
        (
            format!("{one}    expect: {{ status: abc }}\n"),
            ": expect.status takes a status (200) or a list",
        ),
        ("  - name:\n    path: { id: x }\n".to_owned(), ":3: a value is missing here"),
    ] {
        let (_dir, file) = temp_file("c.yaml", &format!("{base}{body}"));
        let out = gauntlet(&["run", "--dry-run", "--cases", file.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{body}: {}", out.all());
        assert!(out.stderr.contains(wanted), "{wanted}: {}", out.all());
        for internal in ["untagged", "Option<", "enum ", "Depth {"] {
            assert!(!out.stderr.contains(internal), "{}", out.all());
        }
    }
    let out = gauntlet(&["run", "--rate-limit", "1e-9"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("must be between 0.01 and 1000000 requests per second"),
        "{}",
        out.all()
    );
}

/// Right-to-left overrides and other control characters in spec strings reached the
/// terminal raw.
#[test]
fn control_characters_from_the_spec_are_escaped_on_the_console() {
    let spec = std::fs::read_to_string("spec/relay-rest.yaml").unwrap().replace(
        "operationId: retrieve-sip-endpoint",
        "operationId: \"retrieve\\u202Eevil\\u001b[2J\"",
    );
    let (_dir, path) = temp_file("rtl.yaml", &spec);
    for args in [vec!["run", "--dry-run"], vec!["run", "--max-examples", "3"]] {
        let mut args = args.clone();
        args.extend(["--spec", path.to_str().unwrap()]);
        let out = gauntlet(&args);
        assert!(out.stdout.contains("retrieve\\u{202e}evil\\u{1b}[2J"), "{args:?}: {}", out.all());
        assert!(!out.stdout.contains('\u{202E}') && !out.stdout.contains('\u{1b}'), "{args:?}");
    }
}

/// The mock echoed a large integer path value as a float (`8.73e+20` where the schema says
/// integer) and accepted `-3.40456270156324e+26` as an integer path parameter.
#[test]
fn integer_parameters_are_read_as_servers_read_them() {
    let spec = r#"
openapi: 3.1.0
info: { title: ints, version: "1" }
paths:
  /n/{id}:
    get:
      operationId: get-n
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: integer } } }
        "422": { description: invalid }
"#;
    let (_dir, path) = temp_file("ints.yaml", spec);
    let mock = crate::support::MockProcess::start(&["--spec", path.to_str().unwrap()]);
    let get = |id: &str| crate::support::raw_request(&mock.url, &format!("GET /n/{id} HTTP/1.1"));
    assert!(
        get("-3.40456270156324e+26").starts_with("HTTP/1.1 422"),
        "{}",
        get("-3.40456270156324e+26")
    );
    assert!(get("1e3").starts_with("HTTP/1.1 422"));
    let big = get("9007199254740993");
    assert!(big.starts_with("HTTP/1.1 200") && big.contains(r#""id":9007199254740993"#), "{big}");
    let huge = get("873000000000000000000");
    assert!(huge.starts_with("HTTP/1.1 200") && !huge.contains("e+"), "{huge}");
}

/// `--concurrency` above the open-file limit turned a healthy target into thousands of "Too
/// many open files" errors blamed on the target (exit 1).
#[test]
fn concurrency_past_the_open_file_limit_is_capped_not_blamed_on_the_target() {
    let bin = env!("CARGO_BIN_EXE_gauntlet");
    for (limits, capped) in
        [("ulimit -S -n 100; ulimit -H -n 100", true), ("ulimit -S -n 100", false)]
    {
        let script = format!(
            "{limits}; exec {bin} run --concurrency 500 --max-examples 300 --seed 1 --junit /dev/null"
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{limits}: {text}");
        assert!(text.contains("0 errors"), "{limits}: {text}");
        assert_eq!(text.contains("more than the open-file limit"), capped, "{limits}: {text}");
    }
}

/// A spec with only webhooks ran nothing and said `PASS 0 scenarios`, exit 0.
#[test]
fn a_spec_with_nothing_to_call_is_not_a_pass() {
    let out = gauntlet(&["run", "--spec", "../shared/corpus/openapi/oai--webhook-example.yaml"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains(
            "nothing was tested: the spec declares no operation under paths, only webhooks"
        ),
        "{}",
        out.all()
    );
    assert!(!out.stdout.contains("PASS"), "{}", out.all());
}

/// A server that closed its connection after an answer (without `Connection: close`) made
/// the next request on that pooled connection an error ("connection closed before message
/// completed"): against one app 95 of 200 scenarios. Each scenario reaches the server
/// exactly once (and each distinct failure once more, when it is sent again alone) and none
/// is an error.
#[test]
fn a_connection_the_server_closed_is_never_a_verdict() {
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let url = crate::support::raw_server(move |s, _, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        let body = r#"{"error":"Not Found"}"#;
        // No `Connection: close`: the client believes the connection stays open.
        let reply = format!(
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = s.write_all(reply.as_bytes());
        // Then the server closes it anyway, as many do after an error.
        std::thread::sleep(std::time::Duration::from_millis(20));
    });
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let out = gauntlet(&[
        "run",
        "--base-url",
        &url,
        "--user",
        crate::support::USER,
        "--seed",
        "1",
        "--max-examples",
        "60",
        "--concurrency",
        "1",
        "--report",
        &format!("json={}", json.display()),
    ]);
    let junit = out.junit.clone().unwrap_or_default();
    let scenarios = junit.matches("<testcase ").count();
    assert!(scenarios > 20, "{}", out.all());
    assert!(out.stdout.contains(" 0 errors"), "{}", out.all());
    // Each distinct failure's first scenario is sent once more, alone.
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let mut again: Vec<u64> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["check"] != "spec_gap")
        .map(|g| g["cases"][0].as_u64().unwrap())
        .collect();
    again.sort_unstable();
    again.dedup();
    assert_eq!(
        seen.load(Ordering::SeqCst),
        scenarios + again.len(),
        "each scenario reached the server once"
    );
}

/// A path item that is a `$ref` (to a file beside the spec) had its schemas looked up under
/// `paths/...`, where they are not: they were never compiled, so a wrong body there passed.
#[test]
fn schemas_of_a_path_item_behind_a_ref_are_compiled_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}:\n    $ref: 'thing.yaml'\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("thing.yaml"),
        "get:\n  operationId: getThing\n  parameters:\n    - {name: id, in: path, required: true, schema: {type: integer}}\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {type: object, required: [name], properties: {name: {type: string}}}\n    '400': {description: bad}\n",
    )
    .unwrap();
    let spec = dir.path().join("openapi.yaml");
    let mock = crate::support::MockProcess::start(&[
        "--spec",
        spec.to_str().unwrap(),
        "--fault",
        "wrong-type",
    ]);
    let out = gauntlet(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--base-url",
        &mock.url,
        "--max-examples",
        "10",
    ]);
    assert!(!out.stdout.contains("not compiled"), "{}", out.all());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.failed_checks().contains(&"response_schema_conformance".to_owned()),
        "{}",
        out.all()
    );
    // And negatives of the path parameter exist: its integer schema was read.
    assert!(out.junit.unwrap_or_default().contains("negative/path.id/"), "{}", out.stdout);
}

/// `oauth2` and `openIdConnect` schemes got no credential at all: `--bearer` went unused and
/// the server's 401 read as "valid request rejected".
#[test]
fn oauth2_and_openid_connect_operations_send_the_bearer_token() {
    let (_dir, spec) = temp_file(
        "oauth.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /me:\n    get:\n      operationId: me\n      security: [{oauth: [read]}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n        '401': {description: no}\n  /you:\n    get:\n      operationId: you\n      security: [{oidc: []}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n        '401': {description: no}\ncomponents:\n  securitySchemes:\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://auth.invalid/token', scopes: {read: r}}}}\n    oidc: {type: openIdConnect, openIdConnectUrl: 'https://auth.invalid/.well-known/openid-configuration'}\n",
    );
    let url = crate::support::raw_server(|stream, head, _| {
        let ok = head.lines().any(|l| l.eq_ignore_ascii_case("authorization: Bearer tok-3141"));
        let (status, body) = if !head.starts_with("GET ") {
            ("405 Method Not Allowed\r\nAllow: GET", "{}")
        } else if ok {
            ("200 OK", "{}")
        } else {
            ("401 Unauthorized", "{\"error\":\"no\"}")
        };
        crate::support::answer(stream, status, "application/json", body);
    });
    let spec = spec.to_str().unwrap();
    let out = gauntlet(&[
        "run",
        "--spec",
        spec,
        "--base-url",
        &url,
        "--bearer",
        "tok-3141",
        "--max-examples",
        "5",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let junit = out.junit.clone().unwrap();
    assert!(
        junit.contains("negative/auth/missing") && junit.contains("negative/auth/wrong-token"),
        "auth negatives for both: {junit}"
    );
    assert!(!out.stdout.contains("tok-3141"), "{}", out.all());
    let dry = gauntlet(&["run", "--spec", spec, "--dry-run", "--bearer", "tok-3141"]);
    assert!(dry.stdout.contains("-H \"Authorization: Bearer $GAUNTLET_BEARER\""), "{}", dry.stdout);
}

/// With 401 and 403 no longer failures of a valid request (they are authorisation decisions),
/// a run whose credentials are refused everywhere would pass having tested nothing behind
/// them: it stops with exit 2 and one line, the reports written.
#[test]
fn credentials_refused_for_every_valid_request_are_exit_2_not_a_pass() {
    let url = crate::support::raw_server(|stream, head, _| {
        let status = if head.starts_with("GET ") {
            "401 Unauthorized"
        } else {
            "405 Method Not Allowed\r\nAllow: GET"
        };
        crate::support::answer(stream, status, "application/json", r#"{"error":"expired"}"#);
    });
    let out = gauntlet(&[
        "run",
        "--base-url",
        &url,
        "--user",
        crate::support::USER,
        "--max-examples",
        "40",
    ]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "the target refused the credentials: every valid request to a secured operation ("
        ),
        "{}",
        out.all()
    );
    assert!(out.junit.is_some(), "the reports are written first");
    assert!(!out.failed_checks().contains(&"positive_data_acceptance".to_owned()), "{}", out.all());
    // One operation refusing a valid request (an admin action) is no such verdict, and no
    // failure of positive_data_acceptance.
    let (_dir, spec) = temp_file(
        "admin.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: [{basic: []}]\npaths:\n  /items:\n    get:\n      operationId: items\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n        '401': {description: no}\n        '403': {description: forbidden}\n  /admin:\n    get:\n      operationId: admin\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n        '401': {description: no}\n        '403': {description: forbidden}\ncomponents:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n",
    );
    let mixed = crate::support::raw_server(|stream, head, _| {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(crate::support::USER);
        let signed_in = head.lines().any(|l| l == format!("authorization: Basic {basic}"));
        let status = if !head.starts_with("GET ") {
            "405 Method Not Allowed\r\nAllow: GET"
        } else if !signed_in {
            "401 Unauthorized"
        } else if head.starts_with("GET /admin") {
            "403 Forbidden"
        } else {
            "200 OK"
        };
        crate::support::answer(stream, status, "application/json", "{}");
    });
    let spec = spec.to_str().unwrap();
    let out = gauntlet(&[
        "run",
        "--spec",
        spec,
        "--base-url",
        &mixed,
        "--user",
        crate::support::USER,
        "--max-examples",
        "10",
    ]);
    assert_eq!(out.code, 0, "403 to a valid admin request is not a rejection: {}", out.all());
}

/// A required readOnly `id` was sent in every request body, so a strict server rejected
/// every valid request ("request/body/id is read-only") and the body without it was planned
/// as a negative ("invalid body accepted"); a required writeOnly `secret` missing from the
/// answer failed the response schema.
#[test]
fn read_only_properties_are_never_sent_and_write_only_ones_never_expected_back() {
    let spec = r##"
openapi: 3.0.3
info: { title: things, version: "1" }
paths:
  /things:
    post:
      operationId: create-thing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Thing" }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
        "400": { description: invalid }
components:
  schemas:
    Thing:
      type: object
      additionalProperties: false
      required: [id, name, secret]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string, minLength: 1, maxLength: 20 }
        secret: { type: string, writeOnly: true, minLength: 4, maxLength: 20 }
"##;
    let (_dir, path) = temp_file("things.yaml", spec);
    // A strict server: readOnly sent, or anything else wrong, is a 400; the answer never
    // carries the writeOnly secret.
    let url = crate::support::raw_server(|stream, head, _| {
        let body = crate::support::read_body(stream, head).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let fields = value.as_object().cloned().unwrap_or_default();
        let name = fields.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let secret = fields.get("secret").and_then(|s| s.as_str()).unwrap_or("");
        if !head.starts_with("POST ") {
            crate::support::answer(
                stream,
                "405 Method Not Allowed\r\nAllow: POST",
                "text/plain",
                "",
            );
            return;
        }
        let json = head.to_ascii_lowercase().contains("content-type: application/json");
        let ok = json
            && !fields.contains_key("id")
            && fields.keys().all(|k| k == "name" || k == "secret")
            && (1..=20).contains(&name.chars().count())
            && (4..=20).contains(&secret.chars().count());
        if ok {
            let echo = serde_json::json!({"id": 1, "name": name}).to_string();
            crate::support::answer(stream, "201 Created", "application/json", &echo);
        } else {
            let why =
                if fields.contains_key("id") { "request/body/id is read-only" } else { "invalid" };
            let problem = serde_json::json!({ "message": why }).to_string();
            crate::support::answer(stream, "400 Bad Request", "application/json", &problem);
        }
    });
    let spec = path.to_string_lossy().into_owned();
    let out = gauntlet(&[
        "run",
        "--spec",
        &spec,
        "--base-url",
        &url,
        "--seed",
        "1",
        "--max-examples",
        "20",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.stdout.contains("read-only"), "{}", out.all());
    // Negatives of the writable properties are still sent and rejected.
    let junit = out.junit.as_deref().unwrap_or("");
    assert!(junit.contains("negative/body/"), "{junit}");
}

/// A discriminator without `const` in its branches got random tags (`"petType": "x7f"`), and
/// a multipart body went out as JSON under a multipart content type; the built-in mock, which
/// shares every reading, now agrees with the run on both (and on form bodies, OR and AND
/// security, a readOnly id and a writeOnly secret) for the Express app's spec.
#[test]
fn discriminators_multipart_and_form_bodies_loop_clean_against_the_mock() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/frameworks/express/openapi.yaml");
    let out = gauntlet(&[
        "run",
        "--spec",
        spec,
        "--bearer",
        "t",
        "--api-key",
        "k",
        "--seed",
        "1",
        "--max-examples",
        "40",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let dry = gauntlet(&["run", "--spec", spec, "--dry-run", "--seed", "1", "--max-examples", "5"]);
    assert!(
        dry.stdout.contains("Content-Type: multipart/form-data; boundary=gauntlet-"),
        "{}",
        dry.all()
    );
    assert!(dry.stdout.contains("filename=\"file.bin\""), "{}", dry.all());
    assert!(
        dry.stdout.contains("\"petType\":\"cat\"") || dry.stdout.contains("\"petType\":\"dog\""),
        "{}",
        dry.all()
    );
    assert!(!dry.stdout.contains("\"id\":"), "a readOnly id is never sent: {}", dry.all());
}

/// `security: [{oauth2}, {apiKey}]` always took the first alternative, so a run given only
/// `--api-key` sent no credential; the mock required every scheme of that one alternative
/// (an OR read as an AND); and an operation documenting only a 401 made the run stop with
/// "credentials refused".
#[test]
fn security_alternatives_are_chosen_by_the_credentials_given_and_and_requirements_send_all() {
    let spec = r##"
openapi: 3.0.3
info: { title: security, version: "1" }
paths:
  /or:
    get:
      operationId: either
      security: [{ oauth2: [] }, { key: [] }]
      responses:
        "200": { description: ok }
        "401": { description: no }
  /and:
    get:
      operationId: both
      security: [{ bearer: [], key: [] }]
      responses:
        "200": { description: ok }
        "401": { description: no }
components:
  securitySchemes:
    oauth2: { type: oauth2, flows: { clientCredentials: { tokenUrl: /token, scopes: {} } } }
    bearer: { type: http, scheme: bearer }
    key: { type: apiKey, in: header, name: X-Key }
"##;
    let (_dir, path) = temp_file("security.yaml", spec);
    let spec = path.to_string_lossy().into_owned();
    let dry = gauntlet(&["run", "--spec", &spec, "--dry-run", "--api-key", "k", "--bearer", "t"]);
    let base = |op: &str| {
        let at = dry.stdout.find(&format!("{op} positive/base")).expect("planned");
        dry.stdout[at..].lines().nth(1).unwrap_or("").to_owned()
    };
    assert!(base("both").contains("X-Key: $GAUNTLET_API_KEY"), "{}", dry.all());
    assert!(base("both").contains("Bearer $GAUNTLET_BEARER"), "{}", dry.all());
    let only_key = gauntlet(&["run", "--spec", &spec, "--dry-run", "--api-key", "k"]);
    let at = only_key.stdout.find("either positive/base").expect("planned");
    let line = only_key.stdout[at..].lines().nth(1).unwrap_or("");
    assert!(line.contains("X-Key: $GAUNTLET_API_KEY"), "{}", only_key.all());
    // A server that takes either credential on /or and needs both on /and.
    let url = crate::support::raw_server(|stream, head, _| {
        let header = |name: &str| {
            head.lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)))
                .map(|(_, v)| v.trim().to_owned())
        };
        let bearer = header("authorization").as_deref() == Some("Bearer t");
        let key = header("x-key").as_deref() == Some("k");
        let ok = if head.starts_with("GET /or ") { bearer || key } else { bearer && key };
        let status = if !head.starts_with("GET ") {
            "405 Method Not Allowed\r\nAllow: GET"
        } else if ok {
            "200 OK"
        } else {
            "401 Unauthorized"
        };
        crate::support::answer(stream, status, "text/plain", "");
    });
    for creds in [&["--api-key", "k"][..], &["--api-key", "k", "--bearer", "t"]] {
        let mut args = vec!["run", "--spec", &spec, "--base-url", &url, "--seed", "1"];
        args.extend_from_slice(creds);
        let out = gauntlet(&args);
        assert_eq!(out.code, 0, "{creds:?}: {}", out.all());
        // Against the built-in mock, which reads the alternatives the same way.
        let mut args = vec!["run", "--spec", &spec, "--seed", "1"];
        args.extend_from_slice(creds);
        let out = gauntlet(&args);
        assert_eq!(out.code, 0, "mock, {creds:?}: {}", out.all());
    }
}

const ITEMS_SPEC: &str = r#"
openapi: 3.0.3
info: {title: items, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array}}}}
        "400": {description: bad, content: {application/json: {schema: {type: object}}}}
"#;

/// Before: every 500 of one check and operation was one finding, so a second bug that also
/// answered 500 was hidden behind the first.
#[test]
fn two_server_errors_with_different_messages_are_two_findings_and_one_with_varying_values_is_one() {
    let (dir, spec) = temp_file("items.yaml", ITEMS_SPEC);
    let url = crate::support::raw_server(|stream, head, n| {
        let line = head.lines().next().unwrap_or("");
        let body = if line.contains("limit=") {
            format!(r#"{{"error":"limit {n} is out of range for 'row-{n}'"}}"#)
        } else {
            r#"{"error":"no database connection"}"#.to_owned()
        };
        crate::support::answer(stream, "500 Internal Server Error", "application/json", &body);
    });
    let json = dir.path().join("report.json");
    let out = gauntlet(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--base-url",
        &url,
        "--max-examples",
        "6",
        "--report",
        &format!("json={}", json.display()),
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let server_errors: Vec<&serde_json::Value> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["check"] == "not_a_server_error")
        .collect();
    let mut signatures: Vec<&str> =
        server_errors.iter().map(|g| g["signature"].as_str().unwrap()).collect();
    signatures.sort();
    assert_eq!(
        signatures,
        ["limit # is out of range for '…'", "no database connection"],
        "{}",
        out.all()
    );
    assert!(server_errors.iter().all(|g| g["cases"].as_array().unwrap().len() > 1));
    assert!(out.stdout.contains("answer:   no database connection"), "{}", out.all());
}

const LOOP_SPEC: &str = r##"
openapi: 3.0.3
info: {title: loop, version: "1"}
paths:
  /things/{id}:
    head:
      operationId: headThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
    delete:
      operationId: deleteThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "400": {description: Invalid id}
components:
  schemas:
    Thing:
      type: object
      required: [id, name, id]
      properties:
        id: {type: string}
        name: {type: string}
        seen: {allOf: [{$ref: "#/components/schemas/Time"}], default: {}}
    Time: {type: string, format: date-time}
"##;

/// Before: against its own mock, a HEAD answer was judged for a body (HTTP gives it none), a
/// `required` naming `id` twice made the validator call `id` missing, a `default: {}` on a
/// string was sent back as the value, and an operation documenting only a 400 had its
/// documented answer called "valid request rejected".
#[test]
fn head_answers_repeated_required_names_misfit_defaults_and_error_only_operations_loop_clean() {
    let (_dir, spec) = temp_file("loop.yaml", LOOP_SPEC);
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--max-examples", "10"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.failed_checks().is_empty(), "{}", out.all());
    assert!(
        out.stdout.contains("deleteThing · no success response is documented"),
        "{}",
        out.all()
    );
}

const OPTIONAL_FORM_SPEC: &str = r#"
openapi: 3.0.3
info: {title: form, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: false
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [text]
              properties:
                text: {type: string, maxLength: 20}
      responses:
        "201": {description: created}
        "400": {description: bad}
"#;

/// Before: "the required field left out" of an optional form body encoded to no bytes, which a
/// server reads as no body at all (allowed), and the right 201 was called "invalid body
/// accepted".
#[test]
fn an_optional_form_body_emptied_by_a_negative_is_not_sent_as_invalid() {
    let (_dir, spec) = temp_file("form.yaml", OPTIONAL_FORM_SPEC);
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--max-examples", "5"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.stdout.contains("missing-required-property:text"), "{}", out.all());
    // The other body negatives are still sent and rejected.
    let junit = out.junit.clone().unwrap_or_default();
    assert!(junit.contains("negative/body/"), "{junit}");
}

/// A server that fails now and then (not thread-safe, say) gave a different verdict on each
/// run: a 500 that did not recur was a failure like any other. Now each distinct failure is
/// sent once more, alone, after the run; one that passes then is flaky: shown and counted
/// apart, and it fails the run only with `--strict`. One that fails again stays a failure.
#[test]
fn a_failure_that_does_not_recur_when_sent_alone_is_flaky_and_fails_only_with_strict() {
    let run = |fault: &str, extra: &[&str]| {
        let mock =
            crate::support::MockProcess::start(&["--fault", fault, "--user", crate::support::USER]);
        let mut args = vec![
            "run",
            "--base-url",
            &mock.url,
            "--user",
            crate::support::USER,
            "--seed",
            "3",
            "--max-examples",
            "5",
            "--concurrency",
            "1",
        ];
        args.extend_from_slice(extra);
        gauntlet(&args)
    };
    // The first valid request gets 500; sent again alone it passes.
    let out = run("flaky:1", &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains(", 1 flaky"), "{}", out.all());
    assert!(out.stdout.contains("Flaky (1 distinct"), "{}", out.all());
    assert!(out.stdout.contains("0 failed"), "{}", out.all());
    let junit = out.junit.clone().unwrap_or_default();
    assert!(out.failed_checks().is_empty(), "{junit}");
    assert!(junit.contains("flaky [GA101]: not_a_server_error"), "{junit}");
    crate::junit_schema::xmllint(&out.junit_path);
    // With --strict it fails the run, labelled flaky.
    let strict = run("flaky:1", &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.all());
    assert_eq!(strict.failed_checks(), ["flaky", "not_a_server_error"], "{}", strict.all());
    crate::junit_schema::xmllint(&strict.junit_path);
    // A server error on every valid request fails again when sent alone: not flaky.
    let steady = run("server-error", &[]);
    assert_eq!(steady.code, 1, "{}", steady.all());
    assert!(!steady.stdout.contains("flaky"), "{}", steady.all());
    assert!(steady.failed_checks().contains(&"not_a_server_error".to_owned()), "{}", steady.all());
}

/// Without a credential for an operation's scheme, its valid requests were sent bare and its
/// 401s judged as answers, under a note that always named `--user` (even for bearer and API
/// keys); and an operation that got no scenario at all (a body only in multipart/mixed, say) appeared in
/// JUnit as an empty suite, as if it had passed. Now such operations are "not tested" with
/// why, in the console, in JSON and as a JUnit `<skipped>` case; the note names the flag that
/// gives the missing credential, and only what needs no credential (a missing or malformed
/// one, probes the router answers) is sent.
#[test]
fn operations_without_credentials_or_scenarios_are_not_tested_with_why_and_the_right_flag() {
    let (_dir, spec) = temp_file(
        "secured.yaml",
        r#"openapi: 3.0.3
info: {title: secured, version: '1'}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /things:
    get:
      operationId: listThings
      security: [{token: []}]
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        '400': {description: bad}
        '401': {description: no}
  /keys:
    get:
      operationId: listKeys
      security: [{key: []}]
      responses:
        '200': {description: ok}
        '401': {description: no}
  /open:
    get:
      operationId: openThing
      responses:
        '200': {description: ok}
  /xml:
    post:
      operationId: postXml
      requestBody:
        required: true
        content: {multipart/mixed: {schema: {type: object}}}
      responses:
        '200': {description: ok}
"#,
    );
    let spec = spec.to_str().unwrap();
    // A mock that accepts any well-formed credential: bare requests get 401.
    let mock = crate::support::MockProcess::start(&["--spec", spec]);
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let report = format!("json={}", json.display());
    let args = [
        "run",
        "--spec",
        spec,
        "--base-url",
        &mock.url,
        "--max-examples",
        "40",
        "--report",
        &report,
    ];
    let out = gauntlet(&args);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("give --bearer TOKEN"), "{}", out.all());
    assert!(out.stdout.contains("give --api-key KEY"), "{}", out.all());
    assert!(!out.stdout.contains("--user ID:TOKEN"), "{}", out.all());
    assert!(out.stdout.contains("Not tested (3 operations)"), "{}", out.all());
    let junit = out.junit.clone().unwrap_or_default();
    for (op, why) in [
        ("listThings", "not tested: no credentials (--bearer TOKEN)"),
        ("listKeys", "not tested: no credentials (--api-key KEY)"),
        ("postXml", "not tested: request body: no media type gauntlet can write (multipart/mixed)"),
    ] {
        let case = format!(r#"<testcase name="not tested" classname="{op}" time="0.000">"#);
        let at = junit.find(&case).unwrap_or_else(|| panic!("{op}: {junit}"));
        assert!(junit[at..].contains(&format!("<skipped>{why}")), "{op}: {junit}");
    }
    crate::junit_schema::xmllint(&out.junit_path);
    // Only what needs no credential reached the secured operations.
    let of = |op: &str| {
        junit.matches(&format!(r#"classname="{op}""#)).count()
            - usize::from(junit.contains(&format!(r#"name="not tested" classname="{op}""#)))
    };
    assert!(of("listThings") > 0, "{junit}");
    assert!(!junit.contains(r#"<testcase name="positive/base" classname="listThings""#), "{junit}");
    assert!(!junit.contains(r#"name="negative/query.limit"#), "{junit}");
    assert!(!junit.contains("negative/auth/wrong-token"), "{junit}");
    assert!(junit.contains(r#"<testcase name="negative/auth/missing" classname="listThings""#));
    assert!(junit.contains(r#"<testcase name="positive/base" classname="openThing""#), "{junit}");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let untested: Vec<&str> = written["untested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["operation"].as_str().unwrap())
        .collect();
    assert_eq!(untested, ["listKeys", "listThings", "postXml"], "{written}");
    // With the credentials (a mock that knows them), the secured operations are tested in
    // full.
    let mock = crate::support::MockProcess::start(&["--spec", spec, "--user", "me:t0ken"]);
    let mut with = args.to_vec();
    with[4] = &mock.url;
    with.extend(["--bearer", "t0ken", "--api-key", "t0ken"]);
    let out = gauntlet(&with);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("Not tested (1 operations)"), "{}", out.all());
    let junit = out.junit.clone().unwrap_or_default();
    assert!(junit.contains(r#"<testcase name="positive/base" classname="listThings""#), "{junit}");
    assert!(junit.contains(r#"<testcase name="positive/base" classname="listKeys""#), "{junit}");
}

/// Response headers were not read from the spec at all: the mock never sent a required
/// `Location` or rate-limit header, and a server that left one out, or sent one its schema
/// refuses, passed. Now the mock sends each required header with a valid value, and
/// `response_headers_conformance` fails a missing or invalid one (a mock fault proves it).
#[test]
fn required_response_headers_are_sent_by_the_mock_and_checked_by_the_run() {
    let (_dir, spec) = temp_file(
        "headers.yaml",
        r#"openapi: 3.0.3
info: {title: headers, version: '1'}
components:
  headers:
    Total: {required: true, schema: {type: integer, minimum: 0}}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          headers:
            X-Total-Count: {$ref: '#/components/headers/Total'}
            X-Trace: {schema: {type: string}}
          content: {application/json: {schema: {type: array, items: {type: string}}}}
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses:
        '201':
          description: created
          headers:
            Location: {required: true, schema: {type: string, format: uri-reference}}
            X-Rate-Limit: {required: true, schema: {type: integer, minimum: 1, maximum: 100}}
        '400': {description: bad}
"#,
    );
    let spec = spec.to_str().unwrap();
    // The mock sends them, valid: the loop is clean.
    let out = gauntlet(&["run", "--spec", spec, "--max-examples", "20"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let mock = crate::support::MockProcess::start(&["--spec", spec]);
    let created = crate::support::raw_request(
        &mock.url,
        "POST /things HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    );
    let lower = created.to_ascii_lowercase();
    assert!(lower.starts_with("http/1.1 201"), "{created}");
    assert!(lower.contains("\r\nlocation: ") && lower.contains("\r\nx-rate-limit: "), "{created}");
    // Left out, they fail the check.
    let broken =
        crate::support::MockProcess::start(&["--spec", spec, "--fault", "missing-required-header"]);
    let out = gauntlet(&["run", "--spec", spec, "--base-url", &broken.url, "--max-examples", "20"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["response_headers_conformance"], "{}", out.all());
    assert!(out.stdout.contains("201 response lacks required header location"), "{}", out.all());
    // Sent with a value the schema refuses, too.
    let url = crate::support::raw_server(|s, head, _| {
        let status = if head.starts_with("POST") {
            "201 Created\r\nLocation: /things\r\nX-Rate-Limit: lots"
        } else {
            "200 OK\r\nX-Total-Count: 2"
        };
        crate::support::answer(s, status, "application/json", "[\"a\"]");
    });
    let out = gauntlet(&["run", "--spec", spec, "--base-url", &url, "--max-examples", "20"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stdout.contains("201 response header x-rate-limit violates its schema"),
        "{}",
        out.all()
    );
    assert!(out.stdout.contains("x-rate-limit: 'lots' does not validate"), "{}", out.all());
    assert!(!out.stdout.contains("x-total-count"), "a valid header passes: {}", out.all());
}

/// A required `form`, non-exploded array got an empty list as its valid value, sent as
/// `status=`, which servers (and now the mock) read as one empty item: the valid request was
/// rejected (cats' petstore31 `findByStatus`). A value is now valid only as it reads back.
#[test]
fn a_required_non_exploded_array_is_never_sent_empty_as_valid() {
    let (_dir, spec) = temp_file(
        "arrays.yaml",
        r#"openapi: 3.1.0
info: {title: arrays, version: '1'}
paths:
  /pets:
    get:
      operationId: findByStatus
      parameters:
        - name: status
          in: query
          required: true
          style: form
          explode: false
          schema: {type: array, uniqueItems: true, items: {type: string, enum: [available, sold]}}
      responses:
        '200': {description: ok}
        '400': {description: bad}
"#,
    );
    for seed in ["1", "2", "3", "4"] {
        let out = gauntlet(&[
            "run",
            "--spec",
            spec.to_str().unwrap(),
            "--max-examples",
            "40",
            "--seed",
            seed,
        ]);
        assert_eq!(out.code, 0, "seed {seed}: {}", out.all());
        assert!(!out.junit.unwrap_or_default().contains("status=&"), "seed {seed}");
    }
}

/// A body documented as `apply-patch+yaml` and `merge-patch+json` (every Kubernetes PATCH)
/// was written as the first media type in name order, raw bytes, which hold only a string:
/// the object schema got "no valid value found" and the operation was not tested. JSON is
/// chosen where it is documented.
#[test]
fn a_body_documented_as_json_among_raw_types_is_sent_as_json() {
    let (_dir, spec) = temp_file(
        "patch.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{name}:\n    patch:\n      operationId: patchThing\n      parameters: [{name: name, in: path, required: true, schema: {type: string}}]\n      requestBody:\n        required: true\n        content:\n          application/apply-patch+yaml: {schema: {$ref: '#/components/schemas/Patch'}}\n          application/merge-patch+json: {schema: {$ref: '#/components/schemas/Patch'}}\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    Patch: {type: object}\n",
    );
    let dry = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(!dry.stdout.contains("not tested"), "{}", dry.all());
    assert!(dry.stdout.contains("Content-Type: application/merge-patch+json"), "{}", dry.all());
    let run = gauntlet(&["run", "--spec", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
}

/// A documented `Location` on a 201 must name a path of the spec: the mock's names the
/// created thing (`/things/1`) under any base path; a server pointing elsewhere is caught.
#[test]
fn a_201_location_that_names_no_path_of_the_spec_is_caught_and_the_mocks_is_right() {
    let spec = r#"
openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string, format: uri-reference}}
        "400": {description: bad}
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "404": {description: none}
"#;
    let (_dir, path) = temp_file("things.yaml", spec);
    let spec = path.to_string_lossy().into_owned();
    let mock = gauntlet(&["run", "--spec", &spec, "--seed", "1", "--max-examples", "3"]);
    assert_eq!(mock.code, 0, "{}", mock.all());
    let url = crate::support::raw_server(|s, head, _| {
        let _ = crate::support::read_body(s, head);
        if head.starts_with("POST /things ") {
            crate::support::answer(
                s,
                "201 Created\r\nLocation: /widgets/9/parts",
                "text/plain",
                "",
            );
        } else {
            crate::support::answer(s, "404 Not Found", "application/json", "{}");
        }
    });
    let out = gauntlet(&[
        "run",
        "--spec",
        &spec,
        "--base-url",
        &url,
        "--seed",
        "1",
        "--max-examples",
        "3",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stdout.contains("location: '/widgets/9/parts' names no path of the spec"),
        "{}",
        out.all()
    );
}
