//! An outside judge of the mock: Schemathesis (`tests/peers/.venv`, installed by `.ci/run`)
//! run with `--checks all` against `gauntlet mock` on the seed spec, every area spec
//! (`tests/areas/`) and corpus documents finds nothing but undocumented statuses (ST103, the
//! spec gaps gauntlet reports as such). Its stateful phase is left out: the mock keeps no
//! state, so a deleted resource is still served (ST301) by design. Generation is
//! deterministic, so the verdict is the same on every run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::MockProcess;

/// The Schemathesis executable, or `None` outside CI when it is not installed.
fn schemathesis() -> Option<PathBuf> {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/.venv/bin/schemathesis");
    if exe.exists() {
        return Some(exe);
    }
    assert!(std::env::var_os("CI").is_none(), "Schemathesis is missing: .ci/run installs it");
    eprintln!("skipped: Schemathesis is not installed in tests/peers/.venv (see .ci/run)");
    None
}

/// The failure codes (`ST103`) Schemathesis reports for `spec` served by the mock, and how
/// many operations it tested.
fn judge(exe: &Path, spec: &Path, extra: &[&str]) -> (Vec<String>, usize, String) {
    let spec = spec.to_str().unwrap();
    let mock = MockProcess::start(&["--spec", spec, "--user", "me:t0ken"]);
    // Schemathesis keeps a cache where it runs: a temporary folder, not the checkout.
    let cwd = tempfile::tempdir().unwrap();
    let out = Command::new(exe)
        .current_dir(cwd.path())
        .args(["run", spec, "--url", &mock.url, "--checks", "all"])
        .args(["--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "1"])
        .args(["-H", "Authorization: Bearer t0ken", "--no-color", "--generation-deterministic"])
        .args(extra)
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let tested = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Tested:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let mut codes: Vec<String> = text
        .split("Failures:")
        .nth(1)
        .unwrap_or("")
        .lines()
        .take_while(|l| !l.trim().is_empty() || l.is_empty())
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("ST") && w.len() == 5))
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes.dedup();
    (codes, tested, text)
}

#[test]
fn schemathesis_finds_nothing_but_undocumented_statuses_against_the_mock() {
    let Some(exe) = schemathesis() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/openapi");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/areas"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    specs.push(root.join(crate::support::SEED_SPEC));
    for name in
        ["oai--petstore-expanded.json", "redocly--museum.yaml", "readme--oas30-form-data.yaml"]
    {
        specs.push(corpus.join(name));
    }
    let mut problems = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        // Schemathesis writes a multipart part's bytes as its own JSON text (`{}` for a list
        // of files) and then calls the part the wrong type: a server cannot tell, so its
        // rejection check is left out for the multipart spec alone.
        let extra: &[&str] = if name.starts_with("09-") {
            &["--exclude-checks", "negative_data_rejection"]
        } else {
            &[]
        };
        let (codes, tested, text) = judge(&exe, spec, extra);
        if tested == 0 {
            problems.push(format!("{name}: nothing tested\n{text}"));
        }
        let wrong: Vec<&String> = codes.iter().filter(|c| *c != "ST103").collect();
        if !wrong.is_empty() {
            problems.push(format!("{name}: {wrong:?}\n{text}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
