//! Token logins against a token server run here: tokens that expire within a second, a
//! token revoked mid-run, an API that echoes the token it was sent. A run longer than a
//! token's life never sends an expired one, a 401 renews it once and the request is sent
//! again, and no token or client secret reaches a report.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{answer, gauntlet_in, raw_server, read_body, temp_file};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: tokens, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: read things}}
    key: {type: apiKey, in: header, name: X-Api-Key}
security: [{oauth: [read]}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1, maximum: 50}}
      responses:
        "200":
          description: the thing
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: integer}}}
        "400": {description: bad id}
        "401": {description: no valid token}
  /keyed:
    get:
      operationId: getKeyed
      security: [{key: []}]
      responses:
        "200": {description: fine}
        "401": {description: no valid key}
"#;

/// The client the token server knows.
const CLIENT: (&str, &str) = ("gauntlet-ci", "s3cret-client-9471");
/// How long a token lives.
const LIFE: Duration = Duration::from_millis(1200);

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// Each token issued, and when.
    issued: Mutex<HashMap<String, Instant>>,
    /// Tokens revoked by the server.
    revoked: Mutex<Vec<String>>,
    /// Requests that came with a token past its life.
    expired: AtomicUsize,
    /// Requests answered with a valid token.
    served: AtomicUsize,
}

/// Answers `/oauth/token` (client credentials over Basic, or a refresh token), `/login`
/// (a JSON login of the API's own, the token in `X-Auth-Token`) and the API. The first token
/// is revoked after its fifth use; with `echo`, `/things/13` (and 26, 39) is a 500 that
/// quotes the token it was sent.
fn server(seen: Arc<Seen>, echo: bool) -> String {
    raw_server(move |s, head, n| {
        use base64::Engine;
        let line = head.lines().next().unwrap_or("").to_owned();
        let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        let header = |name: &str| {
            head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
        };
        let issue = |s: &mut std::net::TcpStream, how: &str| {
            let token = format!("tok{n}x{:08}", n * 7919 % 100_000_000);
            seen.issued.lock().unwrap().insert(token.clone(), Instant::now());
            let body = match how {
                "oauth" => format!(
                    r#"{{"access_token": "{token}", "token_type": "Bearer", "expires_in": {}, "refresh_token": "r-{token}"}}"#,
                    LIFE.as_secs_f64()
                ),
                _ => format!(r#"{{"ttl": {}}}"#, LIFE.as_secs_f64()),
            };
            let status = match how {
                "oauth" => "200 OK".to_owned(),
                _ => format!("200 OK\r\nX-Auth-Token: {token}"),
            };
            answer(s, &status, "application/json", &body);
        };
        if line.starts_with("POST /oauth/token") {
            let body =
                String::from_utf8_lossy(&read_body(s, head).unwrap_or_default()).into_owned();
            let basic = base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", CLIENT.0, CLIENT.1));
            let refresh = body.contains("grant_type=refresh_token");
            if !refresh && header("authorization") != Some(format!("Basic {basic}")) {
                return answer(
                    s,
                    "401 Unauthorized",
                    "application/json",
                    r#"{"error": "invalid_client"}"#,
                );
            }
            return issue(s, "oauth");
        }
        if line.starts_with("POST /login") {
            let body =
                String::from_utf8_lossy(&read_body(s, head).unwrap_or_default()).into_owned();
            if body != r#"{"user": "ann", "password": "pa55-word-7"}"# {
                return answer(s, "403 Forbidden", "application/json", "{}");
            }
            return issue(s, "login");
        }
        if !line.starts_with("GET ") {
            return answer(s, "405 Method Not Allowed\r\nAllow: GET", "text/plain", "");
        }
        let token = match path.as_str() {
            "/keyed" => header("x-api-key"),
            _ => header("authorization").and_then(|a| a.strip_prefix("Bearer ").map(str::to_owned)),
        };
        let issued = token.as_ref().and_then(|t| seen.issued.lock().unwrap().get(t).copied());
        let Some(issued) = issued else {
            return answer(s, "401 Unauthorized", "application/json", "{}");
        };
        let token = token.unwrap_or_default();
        if issued.elapsed() > LIFE {
            seen.expired.fetch_add(1, Ordering::SeqCst);
            return answer(s, "401 Unauthorized", "application/json", "{}");
        }
        if seen.revoked.lock().unwrap().contains(&token) {
            return answer(s, "401 Unauthorized", "application/json", "{}");
        }
        if seen.served.fetch_add(1, Ordering::SeqCst) == 4 {
            seen.revoked.lock().unwrap().push(token);
            return answer(s, "401 Unauthorized", "application/json", "{}");
        }
        match path.strip_prefix("/things/") {
            Some(id) if echo && id.parse::<i64>().is_ok_and(|n| n > 0 && n % 13 == 0) => {
                answer(s, "500 Internal Server Error", "text/plain", &format!("bad token {token}"))
            }
            Some(id) => match id.parse::<i64>() {
                Ok(n) if (1..=50).contains(&n) => {
                    answer(s, "200 OK", "application/json", &format!(r#"{{"id": {n}}}"#))
                }
                _ => answer(s, "400 Bad Request", "application/json", "{}"),
            },
            None => answer(s, "200 OK", "application/json", "{}"),
        }
    })
}

#[test]
fn a_run_longer_than_a_token_s_life_never_sends_an_expired_token_and_a_401_renews_it_once() {
    let (dir, spec) = temp_file("tokens.yaml", SPEC);
    let seen = Arc::new(Seen::default());
    let url = server(Arc::clone(&seen), true);
    let started = Instant::now();
    let run = gauntlet_in(
        dir.path(),
        &[
            "run",
            "--spec",
            spec.to_str().unwrap(),
            "--base-url",
            &url,
            "--seed",
            "3",
            "--operation",
            "getThing",
            "--rate-limit",
            "20",
            "--max-examples",
            "150",
            "--client-id",
            CLIENT.0,
            "--report",
            "json=report.json",
        ],
        &[("GAUNTLET_CLIENT_SECRET", CLIENT.1)],
    );
    let took = started.elapsed();
    // The echoing 500 is the one failure: every other valid request was answered 200.
    assert_eq!(run.code, 1, "{}", run.all());
    let failed = run.failed_checks();
    assert_eq!(failed, ["not_a_server_error", "status_code_conformance"], "{}", run.all());
    assert!(took > LIFE * 2, "the run must outlive a token ({took:?})");
    assert_eq!(seen.expired.load(Ordering::SeqCst), 0, "an expired token was sent\n{}", run.all());
    let issued = seen.issued.lock().unwrap().len();
    assert!(issued >= 3, "{issued} tokens for a run of {took:?}\n{}", run.all());
    // One renewal for the revoked token, shown in the summary with the others.
    assert!(run.stdout.contains(&format!("{issued} tokens got, 1 after a 401")), "{}", run.all());
    // No token, refresh token or client secret in anything the run showed or wrote.
    let report = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let junit = run.junit.clone().unwrap_or_default();
    assert!(junit.contains("bad token ***"), "the echoed token is redacted:\n{junit}");
    for text in [&run.stdout, &run.stderr, &junit, &report] {
        assert!(!text.contains(CLIENT.1));
        for token in seen.issued.lock().unwrap().keys() {
            assert!(!text.contains(token.as_str()), "{token} shown");
        }
    }
}

#[test]
fn a_login_request_of_the_api_s_own_fills_the_api_key_and_a_refused_login_stops_the_run() {
    let (dir, spec) = temp_file("tokens.yaml", SPEC);
    let seen = Arc::new(Seen::default());
    let url = server(Arc::clone(&seen), false);
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        r#"
[login]
url = "/login"
body = '{"user": "${APP_USER}", "password": "${APP_PASSWORD}"}'
token_header = "X-Auth-Token"
expires_in = "/ttl"
credential = "api_key"
"#,
    )
    .unwrap();
    let args = [
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--base-url",
        &url,
        "--seed",
        "3",
        "--operation",
        "getKeyed",
        "--rate-limit",
        "40",
    ];
    // An empty login variable is no setting (it once read as a --scope without a client).
    let env = [("APP_USER", "ann"), ("APP_PASSWORD", "pa55-word-7"), ("GAUNTLET_SCOPE", "")];
    let run = gauntlet_in(dir.path(), &args, &env);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("token login: POST"), "{}", run.all());
    assert!(seen.served.load(Ordering::SeqCst) > 0);

    // A login the server refuses stops the run before anything is tested: exit 2, one line
    // naming the endpoint, no password.
    let refused =
        gauntlet_in(dir.path(), &args, &[("APP_USER", "ann"), ("APP_PASSWORD", "wrong-pa55")]);
    assert_eq!(refused.code, 2, "{}", refused.all());
    let line = refused.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("token login at POST") && line.contains("/login was answered 403"),
        "{line}"
    );
    assert!(!refused.all().contains("wrong-pa55"), "{}", refused.all());
    // So does `gauntlet fuzz`, before its first example (it once logged in at the first
    // request, and showed a refused login as transport errors of every example).
    let spec_arg = spec.to_str().unwrap();
    let fuzz = ["fuzz", "--spec", spec_arg, "--base-url", &url, "--operation", "getThing"];
    let served = seen.served.load(Ordering::SeqCst);
    let env = [("GAUNTLET_CLIENT_ID", CLIENT.0), ("GAUNTLET_CLIENT_SECRET", "wrong-s3cret")];
    let refused = gauntlet_in(dir.path(), &[&fuzz[..], &["--max-examples", "20"]].concat(), &env);
    assert_eq!(refused.code, 2, "{}", refused.all());
    let line = refused.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("/oauth/token was answered 401"), "{line}");
    assert!(!refused.all().contains("wrong-s3cret"), "{}", refused.all());
    assert_eq!(seen.served.load(Ordering::SeqCst), served, "an example was sent");

    // A token endpoint over plain http to another host is refused before anything is sent.
    let far = gauntlet_in(
        dir.path(),
        &[
            "run",
            "--spec",
            spec.to_str().unwrap(),
            "--base-url",
            &url,
            "--client-id",
            "c",
            "--token-url",
            "http://auth.example.com/token",
        ],
        &[("APP_USER", "ann"), ("APP_PASSWORD", "pa55-word-7")],
    );
    assert_eq!(far.code, 2, "{}", far.all());
    assert!(
        far.stderr.contains("--client-id") && far.stderr.contains("in the clear"),
        "{}",
        far.all()
    );
}
