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
