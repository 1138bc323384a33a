//! `--param LOCATION.NAME=VALUE` (and `[params]` in `gauntlet.toml`) pins a parameter: every
//! scenario but those that break it sends the value, so a staging API that serves one tenant
//! answers 200 and its body is checked at last.

use crate::support::{gauntlet_in, raw_server, temp_file};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: meshes, version: "1"}
paths:
  /meshes/{mesh}/services/{id}:
    get:
      operationId: getService
      parameters:
        - {name: mesh, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$', maxLength: 16}}
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: X-Tenant, in: header, required: true, schema: {type: string, maxLength: 8}}
      responses:
        "200":
          description: the service
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties: {id: {type: integer}, name: {type: string}}
        "400": {description: bad}
        "404": {description: no such mesh or service}
"#;

/// A server that knows mesh `default` of tenant `acme` only, and whose 200 body lacks the
/// required `name`: a defect only a request for a real mesh can see.
fn server() -> String {
    raw_server(|s, head, _| {
        let line = head.lines().next().unwrap_or("");
        let path = line.split_whitespace().nth(1).unwrap_or("");
        let tenant = head.lines().find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("x-tenant:").map(|v| v.trim().to_owned())
        });
        if !line.starts_with("GET ") {
            crate::support::answer(s, "405 Method Not Allowed\r\nAllow: GET", "text/plain", "");
            return;
        }
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (status, body) = match (parts.as_slice(), tenant.as_deref()) {
            (_, None) => ("400 Bad Request", "{}"),
            (_, Some(t)) if t.len() > 8 => ("400 Bad Request", "{}"),
            (["meshes", mesh, "services", id], Some(t)) => {
                match (id.parse::<i64>(), *mesh == "default" && t == "acme") {
                    (Ok(n), _) if n < 1 => ("400 Bad Request", "{}"),
                    (Err(_), _) => ("400 Bad Request", "{}"),
                    (Ok(_), true) => ("200 OK", r#"{"id": 1}"#),
                    (Ok(_), false) => ("404 Not Found", "{}"),
                }
            }
            _ => ("404 Not Found", "{}"),
        };
        crate::support::answer(s, status, "application/json", body);
    })
}

#[test]
fn a_pinned_parameter_is_sent_in_every_scenario_but_those_that_break_it() {
    let (dir, spec) = temp_file("meshes.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let url = server();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--spec", spec, "--base-url", &url, "--seed", "2"];
        args.extend_from_slice(extra);
        gauntlet_in(dir.path(), &args, &[])
    };
    // Unpinned, every valid request is for an unknown mesh: 404, and the defect hides.
    let unpinned = run(&[]);
    assert_eq!(unpinned.code, 0, "{}", unpinned.all());
    let pins = ["--param", "path.mesh=default", "--param", "header.x-tenant=acme"];
    let pinned = run(&pins);
    assert_eq!(pinned.code, 1, "{}", pinned.all());
    assert_eq!(pinned.failed_checks(), ["response_schema_conformance"], "{}", pinned.all());

    // Every scenario but those that break mesh sends it; none gives the tenant another value
    // unless it breaks it; mesh gets no boundary positives of its own.
    let plan = run(&[&pins[..], &["--dry-run"]].concat());
    assert_eq!(plan.code, 0, "{}", plan.all());
    let mut scenarios = 0;
    for (label, curl) in plan.stdout.lines().zip(plan.stdout.lines().skip(1)) {
        let Some(label) = label.strip_prefix("getService ") else { continue };
        scenarios += 1;
        if !label.contains("path.mesh/") && !label.starts_with("negative/route/") {
            assert!(curl.contains("/meshes/default/"), "{label}: {curl}");
        }
        if !label.contains("header.X-Tenant/") {
            assert!(curl.contains("-H 'X-Tenant: acme'"), "{label}: {curl}");
        }
        assert!(!label.starts_with("positive/path.mesh/"), "{label}");
    }
    assert!(scenarios > 20, "{}", plan.stdout);

    // gauntlet.toml holds them too.
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        "[params]\n\"path.mesh\" = \"default\"\n\"header.X-Tenant\" = \"acme\"\n",
    )
    .unwrap();
    let from_file = run(&[]);
    assert_eq!(from_file.failed_checks(), ["response_schema_conformance"], "{}", from_file.all());
    std::fs::remove_file(dir.path().join("gauntlet.toml")).unwrap();

    // A pin no operation has, or one its schema rejects, is a flag error naming it.
    let unknown = run(&["--param", "query.mesh=default"]);
    assert_eq!(unknown.code, 2, "{}", unknown.all());
    assert_eq!(
        unknown.stderr.trim(),
        "error: --param: query.mesh: no selected operation has this parameter",
        "{}",
        unknown.all()
    );
    let rejected = run(&["--param", "path.id=0"]);
    assert_eq!(rejected.code, 2, "{}", rejected.all());
    assert!(
        rejected.stderr.contains("the schema of path.id in getService rejects"),
        "{}",
        rejected.all()
    );
    let malformed = run(&["--param", "mesh"]);
    assert_eq!(malformed.code, 2, "{}", malformed.all());
}
