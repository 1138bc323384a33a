//! Hostile specs: each ends in one clear error line (exit 2) or a plan, within seconds.

use crate::support::{gauntlet, temp_file};

fn dry_run(name: &str, text: &str) -> crate::support::Outcome {
    let (dir, path) = temp_file(name, text);
    let out =
        gauntlet(&["run", "--dry-run", "--max-examples", "2", "--spec", path.to_str().unwrap()]);
    drop(dir);
    out
}

fn assert_clear_error(out: &crate::support::Outcome, needle: &str) {
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.all());
    assert!(out.stderr.contains(needle), "expected {needle:?}: {}", out.all());
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn with_schema(schema: &str) -> String {
    format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

#[test]
fn a_ref_cycle_with_no_schema_in_between_is_an_error() {
    let spec = format!(
        "{}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n",
        with_schema("{$ref: '#/components/schemas/A'}")
    );
    assert_clear_error(&dry_run("cycle.yaml", &spec), "$ref cycle through");
}

#[test]
fn recursive_schemas_plan() {
    let spec = format!(
        "{}components:\n  schemas:\n    Node: {{type: object, properties: {{children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}}}}}\n",
        with_schema("{$ref: '#/components/schemas/Node'}")
    );
    let out = dry_run("tree.yaml", &spec);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut spec = format!(
        "{HEAD}paths: {{}}\nx-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    );
    let mut prev = 'a';
    for name in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        spec.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        prev = name;
    }
    assert_clear_error(&dry_run("bomb.yaml", &spec), "invalid YAML: line");
}

#[test]
fn a_schema_nested_10000_levels_is_refused_in_yaml_and_json() {
    let deep = format!(
        "{}{{type: string}}{}",
        "{type: object, properties: {a: ".repeat(10_000),
        "}}".repeat(10_000)
    );
    assert_clear_error(&dry_run("deep.yaml", &with_schema(&deep)), "invalid YAML:");
    let json_deep = format!(
        "{}{{\"type\": \"string\"}}{}",
        "{\"type\": \"object\", \"properties\": {\"a\": ".repeat(10_000),
        "}}".repeat(10_000)
    );
    let doc = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{\"/a\": {{\"get\": {{\"responses\": {{\"200\": {{\"description\": \"ok\", \"content\": {{\"application/json\": {{\"schema\": {json_deep}}}}}}}}}}}}}}}}}"
    );
    assert_clear_error(&dry_run("deep.json", &doc), "invalid JSON: recursion limit exceeded");
}

#[test]
fn a_20_megabyte_spec_plans() {
    let mut spec = format!("{HEAD}paths:\n");
    let mut n = 0;
    while spec.len() < 20_000_000 {
        spec.push_str(&format!(
            "  /things{n}/{{id}}:\n    get:\n      operationId: getThing{n}\n      description: \"{}\"\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string, format: uuid}}}}]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}}}}}\n",
            "lorem ipsum dolor sit amet ".repeat(24)
        ));
        n += 1;
    }
    spec.push_str("components:\n  schemas:\n    Thing: {type: object, required: [id], properties: {id: {type: string, format: uuid}}}\n");
    let out = dry_run("big.yaml", &spec);
    assert_eq!(out.code, 0, "{}", &out.stderr);
    assert!(
        out.stdout.starts_with(&format!("gauntlet dry run: {n} operations")),
        "{}",
        &out.stdout[..200]
    );
}

#[test]
fn ecma_lookahead_and_inline_flags_compile() {
    for pattern in ["(?i)abc(?=d)", "(?<!a+)b"] {
        let out =
            dry_run("re.yaml", &with_schema(&format!("{{type: string, pattern: '{pattern}'}}")));
        assert_eq!(out.code, 0, "{}", out.all());
        assert!(!out.stdout.contains("not compiled"), "{pattern}: {}", out.all());
    }
}

#[test]
fn a_pattern_the_regex_engine_rejects_is_a_warning_and_the_run_proceeds() {
    let spec = with_schema("{type: object, properties: {code: {type: string, pattern: '[z-a]'}}}");
    let (dir, path) = temp_file("regex.yaml", &spec);
    let out = gauntlet(&["run", "--max-examples", "3", "--spec", path.to_str().unwrap()]);
    drop(dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("note: schema #/paths/~1a/get/responses/200/content/application~1json/schema not compiled"), "{}", out.all());
}

#[test]
fn external_refs_to_files_are_bundled_and_urls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/common.yaml"), "Id: {type: string, format: uuid}\n")
        .unwrap();
    std::fs::write(
        dir.path().join("schemas/pet.json"),
        r##"{"type": "object", "required": ["id"], "properties": {"id": {"$ref": "common.yaml#/Id"}, "parent": {"$ref": "#"}}}"##,
    )
    .unwrap();
    let spec = with_schema("{$ref: 'schemas/pet.json'}");
    std::fs::write(dir.path().join("main.yaml"), &spec).unwrap();
    let out = gauntlet(&[
        "run",
        "--max-examples",
        "3",
        "--spec",
        dir.path().join("main.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    std::fs::write(
        dir.path().join("remote.yaml"),
        spec.replace("schemas/pet.json", "https://example.com/pet.json"),
    )
    .unwrap();
    let out =
        gauntlet(&["run", "--dry-run", "--spec", dir.path().join("remote.yaml").to_str().unwrap()]);
    assert_clear_error(&out, "$ref 'https://example.com/pet.json': remote references are refused");
    std::fs::write(
        dir.path().join("missing.yaml"),
        spec.replace("schemas/pet.json", "schemas/nope.json"),
    )
    .unwrap();
    let out = gauntlet(&[
        "run",
        "--dry-run",
        "--spec",
        dir.path().join("missing.yaml").to_str().unwrap(),
    ]);
    assert_clear_error(&out, "$ref 'schemas/nope.json': cannot read");
}
