//! Value reuse: ids the run's answers give (a list's items, a 201's `Location` the spec does
//! not document) are put into the reads after the plan, so a read's 200 body is judged where
//! random ids only ever meet 404; each such read is reported with the request as sent.

use crate::support::{answer, gauntlet_in, raw_server, read_body, temp_file};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: stock, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties: {data: {type: array, items: {$ref: '#/components/schemas/Thing'}}}
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: it, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        "400": {description: bad}
        "404": {description: none}
  /widgets:
    post:
      operationId: makeWidget
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        "201":
          description: made (its answer names no id; the Location header is not documented)
          content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
        "400": {description: bad}
  /widgets/{widgetKey}:
    get:
      operationId: getWidget
      parameters:
        - {name: widgetKey, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: it, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
        "404": {description: none}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties: {id: {type: integer}, name: {type: string}}
    Widget:
      type: object
      required: [key, name]
      properties: {key: {type: string}, name: {type: string}}
"#;

/// A server whose stock (things 101 and 102, widget `w-17`) is read back wrong: thing 101's
/// name is a number, widget `w-17` has no name. Every id it does not hold is a 404, so only
/// a run that reads the real ids can see it.
fn server() -> String {
    raw_server(|s, head, _| {
        let mut words = head.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let body = read_body(s, head).unwrap_or_default();
        let json = "application/json";
        let named = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .is_some_and(|v| v.get("name").is_some_and(serde_json::Value::is_string))
            && head.to_ascii_lowercase().contains("content-type: application/json");
        match (method, path) {
            ("GET", "/things") => answer(
                s,
                "200 OK",
                json,
                r#"{"data":[{"id":101,"name":"bolt"},{"id":102,"name":"nut"}]}"#,
            ),
            ("POST", "/widgets") if named => {
                answer(s, "201 Created\r\nLocation: widgets/w-17", json, r#"{"name":"w"}"#)
            }
            ("POST", "/widgets") => answer(s, "400 Bad Request", json, "{}"),
            ("GET", p) if p.starts_with("/things/") => match p["/things/".len()..].parse::<i64>() {
                Ok(101) => answer(s, "200 OK", json, r#"{"id":101,"name":7}"#),
                Ok(102) => answer(s, "200 OK", json, r#"{"id":102,"name":"nut"}"#),
                Ok(_) => answer(s, "404 Not Found", json, "{}"),
                Err(_) => answer(s, "400 Bad Request", json, "{}"),
            },
            ("GET", "/widgets/w-17") => answer(s, "200 OK", json, r#"{"key":"w-17"}"#),
            ("GET", p) if p.starts_with("/widgets/") => answer(s, "404 Not Found", json, "{}"),
            ("GET", "/widgets") => answer(s, "405 Method Not Allowed\r\nAllow: POST", json, "{}"),
            (_, "/things") => answer(s, "405 Method Not Allowed\r\nAllow: GET", json, "{}"),
            (_, "/widgets") => answer(s, "405 Method Not Allowed\r\nAllow: POST", json, "{}"),
            _ => answer(s, "405 Method Not Allowed\r\nAllow: GET", json, "{}"),
        }
    })
}

#[test]
fn listed_ids_and_an_undocumented_location_feed_reads_whose_bodies_are_then_judged() {
    let (dir, spec) = temp_file("stock.yaml", SPEC);
    let spec = spec.to_str().unwrap();
    let url = server();
    let report = dir.path().join("report.json");
    let json_flag = format!("json={}", report.display());
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--spec", spec, "--base-url", &url, "--seed", "3"];
        args.extend_from_slice(extra);
        gauntlet_in(dir.path(), &args, &[])
    };
    let plan = run(&["--dry-run"]);
    assert!(
        plan.stdout.contains("reuse: getThing is sent with the ids listThings answer"),
        "{}",
        plan.stdout
    );

    let out = run(&["--report", &json_flag]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.failed_checks(), ["response_schema_conformance"], "{}", out.all());
    // Each found by a read the answers gave its id to, reproduced with that id.
    for (operation, label, path) in [
        ("getThing", "reuse/listThings/1", "/things/101"),
        ("getWidget", "reuse/location/1", "/widgets/w-17"),
    ] {
        let heading = format!("✘ response_schema_conformance · {operation} · {label}");
        assert!(out.stdout.contains(&heading), "{heading}\n{}", out.all());
        assert!(out.stdout.contains(&format!("{url}{path}'")), "{path}\n{}", out.all());
    }
    assert!(out.stdout.contains("value reuse: 3 reads sent after the plan"), "{}", out.all());
    // The report holds every read sent, with its label and status; the second listed thing
    // is read and passes.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let reads: Vec<(String, String)> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["label"].as_str().is_some_and(|l| l.starts_with("reuse/")))
        .map(|c| (c["label"].as_str().unwrap().to_owned(), c["outcome"].to_string()))
        .collect();
    assert_eq!(
        reads,
        [
            ("reuse/listThings/1".to_owned(), "\"failed\"".to_owned()),
            ("reuse/listThings/2".to_owned(), "\"passed\"".to_owned()),
            ("reuse/location/1".to_owned(), "\"failed\"".to_owned()),
        ],
        "{}",
        out.all()
    );

    // Random ids alone never meet the stock: without value reuse the run passes.
    let off = run(&["--no-chains"]);
    assert_eq!(off.code, 0, "{}", off.all());
    assert!(!off.stdout.contains("reuse/"), "{}", off.all());
}
