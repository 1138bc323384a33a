//! Swagger 2.0 documents are read by conversion to OpenAPI 3.0 at load: they plan, run
//! against the built-in mock without a failure, and errors still name the pointer the user
//! wrote.

use std::path::Path;

use crate::support::{gauntlet, temp_file};

const STORE: &str = "tests/swagger2/store.yaml";

/// The curl lines a dry run prints for `spec`.
fn dry_run(spec: &str) -> String {
    let out = gauntlet(&[
        "run",
        "--spec",
        spec,
        "--dry-run",
        "--max-examples",
        "100",
        "--seed",
        "3",
        "--user",
        "a:b",
        "--api-key",
        "k",
        "--bearer",
        "t",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    out.stdout
}

#[test]
fn a_swagger_2_document_is_sent_as_its_parameters_bodies_and_schemes_say() {
    let plan = dry_run(STORE);
    // formData with a file is a multipart body with a filename; without one, a form.
    assert!(plan.contains("multipart/form-data; boundary="), "{plan}");
    assert!(plan.contains("filename="), "{plan}");
    assert!(plan.contains("application/x-www-form-urlencoded"), "{plan}");
    // The body parameter behind a global $ref is the JSON request body.
    assert!(plan.contains("Content-Type: application/json"), "{plan}");
    // Each security definition gives its credential: basic, an API key header, OAuth2 bearer.
    assert!(plan.contains("$GAUNTLET_USER"), "{plan}");
    assert!(plan.contains("X-Api-Key"), "{plan}");
    assert!(plan.contains("Bearer $GAUNTLET_BEARER"), "{plan}");
    // collectionFormat multi repeats the name; csv joins with commas.
    let multi = plan.lines().any(|l| l.matches("tags=").count() >= 2);
    assert!(multi, "multi repeats tags=: {plan}");
    assert!(plan.lines().any(|l| l.contains("ids=") && l.contains("%2C")), "csv joins ids: {plan}");
    // The path-level parameter reaches every operation of its path, bounds and all.
    assert!(plan.contains("negative/path.id/below-minimum"), "{plan}");
    // x-nullable is nullable: null is a valid note, so no negative breaks it with null.
    assert!(!plan.contains("note/null-not-allowed"), "{plan}");
}

#[test]
fn swagger_2_documents_run_clean_against_the_mock() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/openapi/swagger2");
    let mut specs: Vec<_> = std::fs::read_dir(&corpus)
        .expect("swagger2 corpus")
        .filter_map(|e| e.ok().map(|e| e.path().to_string_lossy().into_owned()))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 5);
    specs.push(STORE.into());
    for spec in &specs {
        let out = gauntlet(&[
            "run",
            "--spec",
            spec,
            "--max-examples",
            "5",
            "--seed",
            "1",
            "--bearer",
            "t",
            "--api-key",
            "k",
            "--user",
            "a:b",
        ]);
        assert_eq!(out.code, 0, "{spec}: {}", out.all());
        assert!(out.stdout.contains("PASS"), "{spec}: {}", out.all());
        assert!(out.stdout.contains(" 0 failed, 0 errors"), "{spec}: {}", out.all());
        assert!(!out.stderr.contains("not compiled"), "{spec}: {}", out.all());
    }
}

#[test]
fn a_dangling_definition_is_named_where_the_user_wrote_it() {
    let (_dir, spec) = temp_file(
        "s.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Nope'}}\n",
    );
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains(
            "#/paths/~1a/get/responses/200/schema/$ref: $ref '#/definitions/Nope' points to nothing"
        ),
        "{}",
        out.all()
    );
}

/// Notes and errors after conversion named the converted document's pointers
/// (`requestBody/content/application~1json/schema`), which are nowhere in the user's file.
#[test]
fn notes_and_errors_after_conversion_name_the_swagger_file_s_own_pointers() {
    let (_dir, spec) = temp_file(
        "s.yaml",
        r#"swagger: '2.0'
info: {title: t, version: '1'}
parameters:
  Q: {in: query, name: q, type: string, pattern: '(['}
definitions:
  Bad: {type: object, properties: {n: {type: integer, minimum: x}}}
paths:
  /a/{id}:
    parameters:
      - {in: path, name: id, required: true, type: string, pattern: '(['}
    post:
      parameters:
        - {in: body, name: body, schema: {$ref: '#/definitions/Bad'}}
        - {$ref: '#/parameters/Q'}
        - {in: header, name: X-N, type: integer, minimum: y}
      responses:
        '200': {description: ok, schema: {type: string, maxLength: z}}
"#,
    );
    let out = gauntlet(&["run", "--spec", spec.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    for written in [
        "#/paths/~1a~1{id}/post/parameters/0/schema",
        "#/paths/~1a~1{id}/parameters/0 ",
        "#/parameters/Q ",
        "#/paths/~1a~1{id}/post/parameters/2 ",
        "#/paths/~1a~1{id}/post/responses/200/schema ",
    ] {
        let note = format!("note: schema {written}");
        assert!(out.all().contains(note.trim_end()), "{note}\n{}", out.all());
    }
    let notes: String = out.all().lines().filter(|l| l.starts_with("note:")).collect();
    assert!(!notes.contains("requestBody") && !notes.contains("content/"), "{}", out.all());

    // A parameter without a name, found when operations are built from the converted form.
    let (_dir, broken) = temp_file(
        "b.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: body, name: b, schema: {type: object}}\n        - {in: query, type: string}\n      responses:\n        '200': {description: ok}\n",
    );
    let out = gauntlet(&["run", "--spec", broken.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("#/paths/~1a/get/parameters/1"), "{}", out.all());
}
