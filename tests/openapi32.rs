//! OpenAPI 3.2 documents: the `query` method and `additionalOperations` are sent with their
//! own methods, and a streamed `itemSchema` body, which gauntlet does not yet write, is
//! reported per operation as not tested.

use std::sync::{Arc, Mutex};

use crate::support::{answer, gauntlet, raw_server};

const SPEC: &str = "tests/openapi32/search.yaml";

#[test]
fn query_and_additional_operations_go_out_with_their_methods_and_a_stream_is_not_tested() {
    let mock = gauntlet(&["run", "--spec", SPEC, "--seed", "1", "--max-examples", "5"]);
    assert_eq!(mock.code, 0, "{}", mock.all());
    assert!(mock.stdout.contains("QUERY /things "), "{}", mock.all());
    assert!(mock.stdout.contains("LINK /things/{id} "), "{}", mock.all());
    assert!(
        mock.stdout.contains("- sendEvents: request body: application/jsonl is a stream of items"),
        "{}",
        mock.all()
    );
    let junit = mock.junit.as_deref().expect("a JUnit report");
    assert!(junit.contains("name=\"negative/method/QUERY\""), "a QUERY probe of /things/{{id}}");

    // On the wire: what a server receives.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&seen);
    let url = raw_server(move |s, head, _| {
        let line = head.lines().next().unwrap_or("").to_owned();
        log.lock().unwrap().push(line.clone());
        if line.starts_with("QUERY /things ") {
            answer(s, "200 OK", "application/json", "[]");
        } else if line.starts_with("LINK /things/") {
            answer(s, "204 No Content", "text/plain", "");
        } else {
            answer(s, "405 Method Not Allowed\r\nAllow: GET, QUERY", "text/plain", "");
        }
    });
    let out = gauntlet(&[
        "run",
        "--spec",
        SPEC,
        "--base-url",
        &url,
        "--seed",
        "1",
        "--max-examples",
        "3",
    ]);
    let lines = seen.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with("QUERY /things HTTP/1.1")),
        "{lines:?}\n{}",
        out.all()
    );
    assert!(lines.iter().any(|l| l.starts_with("LINK /things/")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.starts_with("POST /events")), "the stream is never sent");
}
