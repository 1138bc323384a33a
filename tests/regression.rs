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
