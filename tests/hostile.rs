//! Hostile targets: servers written to break a client. Each is a reported failure or error of
//! its scenario, within the timeout, and the run goes on; never a crash, hang or leak.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::seed_server::{Fault, start};
use crate::support::{Outcome, USER, gauntlet, raw_server};

fn run(url: &str, extra: &[&str]) -> (Outcome, Duration) {
    let started = Instant::now();
    let mut args = vec!["run", "--base-url", url, "--user", USER, "--seed", "1"];
    if !extra.contains(&"--max-examples") {
        args.extend(["--max-examples", "4"]);
    }
    args.extend_from_slice(extra);
    let out = gauntlet(&args);
    (out, started.elapsed())
}

fn head(status: &str, headers: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\nConnection: close\r\n{headers}\r\n").into_bytes()
}

/// A documented 404 for the seed operation.
fn not_found(s: &mut TcpStream) {
    let body = r#"{"error":"Not Found"}"#;
    let h = format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len());
    let _ = s.write_all(&head("404 Not Found", &h));
    let _ = s.write_all(body.as_bytes());
}

fn assert_errors_with(out: &Outcome, needle: &str) {
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.as_deref().unwrap_or("");
    assert!(junit.contains("<error type=\"transport\""), "{}", out.all());
    assert!(out.stdout.contains(needle), "expected {needle:?}: {}", out.all());
}

#[test]
fn a_gigabyte_body_stops_at_the_cap() {
    let url = raw_server(|s, _, _| {
        let _ = s.write_all(&head(
            "200 OK",
            "Content-Type: application/json\r\nContent-Length: 1073741824\r\n",
        ));
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..16_384 {
            if s.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let (out, took) = run(&url, &["--max-body", "1000000"]);
    assert_errors_with(&out, "response body exceeds the cap of 1000000 bytes");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn a_gzip_bomb_stops_at_the_cap() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = Arc::new(gz.finish().unwrap());
    let url = raw_server(move |s, _, _| {
        let h = format!(
            "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n",
            bomb.len()
        );
        let _ = s.write_all(&head("200 OK", &h));
        let _ = s.write_all(&bomb);
    });
    let (out, _) = run(&url, &["--max-body", "1000000"]);
    assert_errors_with(&out, "response body exceeds the cap of 1000000 bytes");
}

#[test]
fn a_body_one_byte_a_second_and_a_chunked_body_that_never_ends_hit_the_timeout() {
    let slow = raw_server(|s, _, _| {
        let _ = s.write_all(&head(
            "200 OK",
            "Content-Type: application/json\r\nContent-Length: 100\r\n",
        ));
        for _ in 0..100 {
            if s.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    let endless = raw_server(|s, _, _| {
        let _ = s.write_all(&head(
            "200 OK",
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
        ));
        while s.write_all(b"1\r\n \r\n").is_ok() {
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    for url in [slow, endless] {
        let (out, took) = run(&url, &["--timeout", "700ms"]);
        assert_errors_with(&out, "no complete response within");
        assert!(took < Duration::from_secs(20), "{took:?}");
    }
}

#[test]
fn endless_headers_too_many_headers_and_a_non_http_reply_are_errors() {
    let endless = raw_server(|s, _, _| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\n");
        while s.write_all(b"X-Gauntlet: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n").is_ok() {}
    });
    let many = raw_server(|s, _, _| {
        let mut h = String::new();
        for i in 0..10_000 {
            h.push_str(&format!("X-H{i}: v\r\n"));
        }
        let _ = s.write_all(&head("200 OK", &format!("{h}Content-Length: 0\r\n")));
    });
    let ssh = raw_server(|s, _, _| {
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
    });
    for url in [endless, many, ssh] {
        let (out, took) = run(&url, &["--timeout", "3s"]);
        assert_eq!(out.code, 1, "{}", out.all());
        assert!(
            out.junit.as_deref().unwrap_or("").contains("<error type=\"transport\""),
            "{}",
            out.all()
        );
        assert!(took < Duration::from_secs(30), "{took:?}");
    }
}

#[test]
fn invalid_utf8_and_json_nested_100000_deep_are_reported_not_crashed_on() {
    let bad_utf8 = raw_server(|s, _, _| {
        let body = b"{\"id\": \"\xff\xfe\xfd\"}";
        let h = format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len());
        let _ = s.write_all(&head("200 OK", &h));
        let _ = s.write_all(body);
    });
    let deep = raw_server(|s, _, _| {
        let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let h = format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len());
        let _ = s.write_all(&head("200 OK", &h));
        let _ = s.write_all(body.as_bytes());
    });
    for url in [bad_utf8, deep] {
        let (out, _) = run(&url, &[]);
        assert_eq!(out.code, 1, "{}", out.all());
        assert!(out.stdout.contains("200 body is not valid JSON"), "{}", out.all());
    }
}

#[test]
fn connections_reset_mid_run_are_errors_and_the_rest_is_reported() {
    // Requests without Basic credentials are always met with a closed connection (sending
    // them again on a fresh one does not help); the others are answered.
    let url = raw_server(|s, head, _| {
        if !head.to_ascii_lowercase().contains("authorization: basic") {
            return; // closed without a word
        }
        not_found(s);
    });
    let (out, _) = run(&url, &["--max-examples", "30", "--concurrency", "2"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.as_deref().unwrap();
    assert!(junit.contains("<error type=\"transport\""), "{}", out.all());
    // 34 deterministic (4 of them valid) and 26 random valid ones, 7 undeclared methods and
    // the 4 of cases/retrieve-sip-endpoint.yaml.
    assert!(junit.matches("<testcase ").count() == 71, "every scenario is reported: {junit}");
    assert!(out.stdout.contains("71 scenarios:"), "{}", out.all());
}

#[test]
fn retry_after_is_honoured_and_only_counts_once_retries_run_out() {
    // 503 with Retry-After on every second request: retried, then the good answer stands.
    let flaky = raw_server(|s, _, n| {
        if n % 2 == 0 {
            let _ = s.write_all(&head(
                "503 Service Unavailable",
                "Retry-After: 0\r\nContent-Length: 0\r\n",
            ));
            return;
        }
        not_found(s);
    });
    let (out, _) = run(
        &flaky,
        &[
            "--concurrency",
            "1",
            "--check",
            "not_a_server_error",
            "--check",
            "status_code_conformance",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("requests were retried after 429/503 with Retry-After; 0 still got"),
        "{}",
        out.all()
    );
    // Always 429: the retries run out and the answer is judged.
    let always = raw_server(|s, _, _| {
        let _ =
            s.write_all(&head("429 Too Many Requests", "Retry-After: 0\r\nContent-Length: 0\r\n"));
    });
    let (out, _) = run(&always, &["--check", "status_code_conformance"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("undocumented status 429"), "{}", out.all());
    assert!(out.stdout.contains("still got 429/503 after 3 retries"), "{}", out.all());
}

#[test]
fn redirects_to_another_host_are_never_followed() {
    let other = TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2");
    let other_url = format!("http://{}", other.local_addr().unwrap());
    other.set_nonblocking(true).unwrap();
    let url = raw_server(move |s, _, _| {
        let _ = s.write_all(&head(
            "302 Found",
            &format!("Location: {other_url}/steal\r\nContent-Length: 0\r\n"),
        ));
    });
    let (out, _) = run(&url, &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("undocumented status 302"), "{}", out.all());
    assert!(other.accept().is_err(), "a request reached the other host");
}

#[test]
fn ctrl_c_writes_what_finished_and_exits_130() {
    let url = start(Fault::HangsOnInvalid);
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gauntlet"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--base-url",
            &url,
            "--user",
            USER,
            "--max-examples",
            "40",
            "--timeout",
            "60s",
            "--junit",
        ])
        .arg(&junit)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "in-flight requests were not abandoned");
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stdout));
    let report = std::fs::read_to_string(&junit).expect("the report is written");
    assert!(report.contains(r#"<testcase name="positive/base""#), "{report}");
    assert!(
        !report.contains("negative/path.id/too-short"),
        "unfinished scenarios are left out: {report}"
    );
}

#[test]
fn the_rate_limit_holds_within_ten_percent_over_ten_seconds() {
    let url = start(Fault::None);
    let started = Instant::now();
    let out = gauntlet(&[
        "run",
        "--base-url",
        &url,
        "--user",
        USER,
        "--max-examples",
        "500",
        "--rate-limit",
        "50",
    ]);
    let took = started.elapsed().as_secs_f64();
    assert_eq!(out.code, 0, "{}", out.all());
    let rate = 500.0 / took;
    assert!((45.0..=55.0).contains(&rate), "{rate:.1} requests/s over {took:.1}s");
}

#[test]
fn connections_refused_mid_run_are_errors_and_the_run_completes() {
    // Answers five connections (each closed after its answer), then stops listening.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(5) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            not_found(&mut s);
        }
    });
    let (out, _) = run(
        &url,
        &["--max-examples", "20", "--concurrency", "1", "--check", "status_code_conformance"],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    let junit = out.junit.as_deref().unwrap();
    // 34 deterministic and 16 random valid ones, and the 4 of cases/retrieve-sip-endpoint.yaml
    // (no method probes without unsupported_method).
    assert_eq!(junit.matches("<testcase ").count(), 54, "{junit}");
    assert!(junit.matches("<error type=\"transport\"").count() >= 10, "{junit}");
    assert!(out.stdout.contains("54 scenarios: 5 passed"), "{}", out.all());
}
