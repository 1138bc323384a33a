//! An outside judge of the mock: Schemathesis (`tests/peers/.venv`, installed by `.ci/run`)
//! run with `--checks all` against `gauntlet mock` on the seed spec, every area spec
//! (`tests/areas/`) and corpus documents finds nothing but undocumented statuses (ST103, the
//! spec gaps gauntlet reports as such), apart from the cases listed in [`WRITER_LIMITS`]:
//! requests Schemathesis calls invalid whose bytes are those of a valid value, or calls valid
//! but cannot write. Its stateful phase is left out: the mock keeps no state, so a deleted
//! resource is still served (ST301) by design. Generation is deterministic, so the verdict is
//! the same on every run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::MockProcess;

/// One kind of Schemathesis finding that is a limit of its request writer, not of the mock:
/// the spec it occurs on, its code, text every such case holds (the operation heading, the
/// component, the request), and why a conformant server answers as the mock does.
struct WriterLimit {
    spec: &'static str,
    code: &'static str,
    holds: &'static [&'static str],
    why: &'static str,
}

const WRITER_LIMITS: &[WriterLimit] = &[
    WriterLimit {
        spec: "09-forms-multipart.yaml",
        code: "ST201",
        holds: &["POST /uploads", "in body - files: Incorrect type"],
        why: "a part whose text is `{}` is also a list of one file holding `{}`",
    },
    WriterLimit {
        spec: "swagger--petstore3.yaml",
        code: "ST201",
        holds: &["in body - photoUrls: Incorrect type", "x-www-form-urlencoded", "photoUrls="],
        why: "a lone `photoUrls=AAA` in a form is also the one-item array [\"AAA\"]",
    },
    WriterLimit {
        spec: "swagger--petstore3.yaml",
        code: "ST202",
        holds: &[" /pet ", "Schema-valid request rejected", "x-www-form-urlencoded", "tags="],
        why: "Tag objects in a form are written as their key names (`tags=name&tags=id`), \
              which no server can read as objects",
    },
    WriterLimit {
        spec: "readme--oas30-parameters-style.json",
        code: "ST201",
        holds: &["/anything/path/", "parameter `object` in path"],
        why: "any text after a label `.` or matrix `;object=` prefix reads as an object with an \
              empty key (`.,null%2Cnull` is {\"\": \"null,null\"}), valid for this schema",
    },
    WriterLimit {
        spec: "readme--oas30-parameters-style.json",
        code: "ST201",
        holds: &["/anything/form-data", "in body - array: Incorrect type", "multipart/form-data"],
        why: "a part whose text is `{}` is also the one-item array [\"{}\"]",
    },
    WriterLimit {
        spec: "readme--oas30-parameters-style.json",
        code: "ST202",
        holds: &["GET /anything/query/spaceDelimited", "Schema-valid request rejected", "object="],
        why: "a spaceDelimited object is written as repeated `object=` keys, not as one \
              space-delimited value (the spec itself calls this style unsupported)",
    },
];

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

/// What Schemathesis reported on one spec.
struct Verdict {
    /// Each failing test case: its codes and its text, headed by its operation.
    cases: Vec<(Vec<String>, String)>,
    /// The codes of the summary's `Failures:` list.
    summary: Vec<String>,
    /// How many operations it tested.
    tested: usize,
    /// Its whole output.
    text: String,
}

/// The `STnnn` code a line names, if any.
fn code(line: &str) -> Option<&str> {
    line.split_whitespace().find(|w| w.starts_with("ST") && w.len() == 5)
}

/// Runs Schemathesis on `spec` served by the mock.
fn judge(exe: &Path, spec: &Path) -> Verdict {
    let spec = spec.to_str().unwrap();
    let mock = MockProcess::start(&["--spec", spec, "--user", "me:t0ken"]);
    // Schemathesis keeps a cache where it runs: a temporary folder, not the checkout.
    let cwd = tempfile::tempdir().unwrap();
    let out = Command::new(exe)
        .current_dir(cwd.path())
        .args(["run", spec, "--url", &mock.url, "--checks", "all"])
        .args(["--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "1"])
        .args(["-H", "Authorization: Bearer t0ken", "--no-color", "--generation-deterministic"])
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let tested = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Tested:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let failures = text.split("= FAILURES =").nth(1).unwrap_or("");
    let failures = failures.split("= WARNINGS =").next().unwrap_or("");
    let failures = failures.split("= SUMMARY =").next().unwrap_or("");
    let mut cases: Vec<(Vec<String>, String)> = Vec::new();
    let mut heading = String::new();
    for line in failures.lines() {
        if line.starts_with("___") {
            heading = line.trim_matches('_').to_owned();
        } else if line.contains("Test Case ID:") {
            cases.push((Vec::new(), format!(" {heading} \n")));
        } else if let Some((codes, case)) = cases.last_mut() {
            if let Some(code) = line.trim().strip_prefix("- ").and_then(code) {
                codes.push(code.to_owned());
            }
            case.push_str(line);
            case.push('\n');
        }
    }
    let mut summary: Vec<String> = text
        .rsplit("Failures:")
        .next()
        .filter(|_| text.contains("Failures:"))
        .unwrap_or("")
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(code)
        .map(str::to_owned)
        .collect();
    summary.sort();
    summary.dedup();
    Verdict { cases, summary, tested, text }
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
    for name in [
        "oai--petstore-expanded.json",
        "redocly--museum.yaml",
        "readme--oas30-form-data.yaml",
        "swagger--petstore3.yaml",
        "readme--oas30-parameters-style.json",
    ] {
        specs.push(corpus.join(name));
    }
    let mut problems = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let verdict = judge(&exe, spec);
        if verdict.tested == 0 {
            problems.push(format!("{name}: nothing tested\n{}", verdict.text));
        }
        // The cases parsed hold every code the summary counts: nothing is missed.
        let mut seen: Vec<String> = verdict.cases.iter().flat_map(|(c, _)| c.clone()).collect();
        seen.sort();
        seen.dedup();
        if seen != verdict.summary {
            problems.push(format!(
                "{name}: cases name {seen:?}, the summary {:?}\n{}",
                verdict.summary, verdict.text
            ));
        }
        for (codes, case) in &verdict.cases {
            for code in codes.iter().filter(|c| *c != "ST103") {
                let limit = WRITER_LIMITS.iter().find(|l| {
                    l.spec == name && l.code == code && l.holds.iter().all(|h| case.contains(h))
                });
                match limit {
                    Some(limit) => eprintln!("{name}: {code} excused: {}", limit.why),
                    None => problems.push(format!("{name}: {code}\n{case}")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
