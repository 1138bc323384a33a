//! Test support: real HTTP servers on 127.0.0.1 (ephemeral ports) and a way to run the
//! `gauntlet` binary and read what it printed and wrote.

pub mod seed_server;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a `gauntlet` process did.
pub struct Outcome {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The JUnit report, if one was written.
    pub junit: Option<String>,
    /// Where the report was meant to go.
    pub junit_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Outcome {
    /// The distinct check names in the JUnit report's `<failure type="...">` attributes
    /// (the report parsed as XML: it must be well-formed).
    pub fn failed_checks(&self) -> Vec<String> {
        let Some(report) = self.junit.as_deref() else { return Vec::new() };
        let doc = roxmltree::Document::parse(report).expect("the JUnit report is well-formed XML");
        let mut out: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .filter_map(|n| n.attribute("type"))
            .flat_map(|t| t.split(','))
            .map(str::to_owned)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Everything the process showed, for assertion messages.
    pub fn all(&self) -> String {
        format!("exit {}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `gauntlet` with `args` from the crate root, a fresh JUnit path, colour off and no
/// `GAUNTLET_*` variables inherited.
pub fn gauntlet(args: &[&str]) -> Outcome {
    gauntlet_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

/// Like [`gauntlet`], in `dir`, with extra environment variables.
pub fn gauntlet_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let tmp = tempfile::tempdir().expect("temp dir");
    let junit_path = tmp.path().join("junit.xml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gauntlet"));
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1");
    if args.first() == Some(&"run") && !args.contains(&"--junit") {
        cmd.arg("--junit").arg(&junit_path);
    }
    for var in [
        "GAUNTLET_BASE_URL",
        "GAUNTLET_USER",
        "GAUNTLET_BEARER",
        "GAUNTLET_API_KEY",
        "GAUNTLET_CLIENT_ID",
        "GAUNTLET_CLIENT_SECRET",
        "GAUNTLET_LOGIN_USER",
        "GAUNTLET_TOKEN_URL",
        "GAUNTLET_SCOPE",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    outcome(cmd, junit_path, tmp)
}

/// Writes `text` to a new file named `name` in a fresh temp dir (kept alive by the guard).
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write temp file");
    (dir, path)
}

/// The seed spec, relative to the crate root.
pub const SEED_SPEC: &str = "spec/relay-rest.yaml";

/// Credentials the seed server accepts.
pub const USER: &str = "0f3c1e2a-proj:PT-s3cr3t-t0ken-4242";

/// A `gauntlet mock` process on an ephemeral port, killed on drop.
pub struct MockProcess {
    child: Child,
    /// Its base URL.
    pub url: String,
}

impl MockProcess {
    /// Starts `gauntlet mock --port 0` with `args` and waits for its address line.
    pub fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gauntlet"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["mock", "--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("GAUNTLET_USER")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gauntlet mock");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        MockProcess { child, url }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves every connection on a thread: reads the request head, then lets `reply` write
/// anything at all, given the head and the connection's number. Returns the base URL.
pub fn raw_server(
    reply: impl Fn(&mut std::net::TcpStream, &str, usize) + Send + Sync + 'static,
) -> String {
    use std::io::Read;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reply = Arc::new(reply);
    let count = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let reply = Arc::clone(&reply);
            let count = Arc::clone(&count);
            std::thread::spawn(move || {
                // One request per connection: read its head, answer, close.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                reply(&mut stream, &head, count.fetch_add(1, Ordering::SeqCst));
            });
        }
    });
    url
}

/// Reads the body of the request whose head is `head` (its `Content-Length` bytes) from
/// `stream`; `None` when the connection ends first.
pub fn read_body(stream: &mut std::net::TcpStream, head: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let length: usize = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(body)
}

/// Writes one whole HTTP/1.1 answer on `stream` (the connection then closes): `status` is
/// the status line after the version (`404 Not Found`, with any further header lines after a
/// `\r\n`), the body is `body` of `content_type`.
pub fn answer(stream: &mut std::net::TcpStream, status: &str, content_type: &str, body: &str) {
    use std::io::Write;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// Sends one raw HTTP/1.1 request to `url` (`http://host:port`) and returns the whole reply.
pub fn raw_request(url: &str, request_head: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("timeout");
    let head = format!("{request_head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read");
    reply
}

/// Starts the seed server broken by `fault` and runs `gauntlet run` against it with the seed
/// spec and [`USER`]; `extra` flags follow.
pub fn run_seed(fault: seed_server::Fault, extra: &[&str]) -> Outcome {
    let url = seed_server::start(fault);
    let mut args = vec!["run", "--spec", SEED_SPEC, "--base-url", &url, "--user", USER];
    args.extend_from_slice(extra);
    gauntlet(&args)
}

/// The `contract` test binary (libtest-mimic) that `cargo test` built beside this one: the
/// newest `contract-*` executable in this binary's folder.
pub fn contract_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().expect("deps folder");
    let newest = std::fs::read_dir(dir)
        .expect("read deps folder")
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("contract-") && !name.contains('.')
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    newest.map(|e| e.path()).unwrap_or_else(|| {
        panic!("no contract test binary in {}: run `cargo test` (or `cargo test --test contract --no-run`) first", dir.display())
    })
}

/// Runs the contract test binary with `args` from the crate root, with `env` and no
/// inherited `GAUNTLET_*` variables.
pub fn contract(args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let tmp = tempfile::tempdir().expect("temp dir");
    let junit_path = tmp.path().join("junit.xml");
    let mut cmd = Command::new(contract_binary());
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args).env("NO_COLOR", "1");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("GAUNTLET_")) {
        cmd.env_remove(k);
    }
    cmd.env("GAUNTLET_JUNIT", &junit_path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    outcome(cmd, junit_path, tmp)
}

/// Runs `cmd` and reads what it printed and the report at `junit_path` (in `tmp`).
fn outcome(mut cmd: Command, junit_path: PathBuf, tmp: tempfile::TempDir) -> Outcome {
    let out = cmd.output().expect("run a gauntlet binary");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        junit: std::fs::read_to_string(&junit_path).ok(),
        junit_path,
        _dir: tmp,
    }
}
