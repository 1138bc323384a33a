//! Golden output: the console and JUnit report of fixed-seed runs, byte for byte once ports,
//! times, dates, the host name and temp paths are redacted. A change to what gauntlet prints
//! or writes shows up here as a diff (`cargo insta review`, or `INSTA_UPDATE=always`).

use crate::support::{MockProcess, gauntlet, temp_file};

/// Runs the redaction filters over `text` and compares it with snapshot `name`.
fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        filters => vec![
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            (r"in \d+\.\d+s \(\d+ req/s", "in [TIME]s ([RATE] req/s"),
            (r"p50 \d+\.\d+ms p99 \d+\.\d+ms", "p50 [MS]ms p99 [MS]ms"),
            (r#"time="\d+\.\d+""#, r#"time="[TIME]""#),
            (r#"timestamp="[^"]+""#, r#"timestamp="[DATE]""#),
            (r#"hostname="[^"]+""#, r#"hostname="[HOST]""#),
            (r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]"),
        ],
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Console and JUnit of one run, as one snapshot text.
fn console_and_junit(out: &crate::support::Outcome) -> String {
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}--- junit\n{}",
        out.code,
        out.stdout,
        out.stderr,
        out.junit.as_deref().unwrap_or("(none)")
    )
}

#[test]
fn seed_against_the_built_in_mock() {
    let out = gauntlet(&["run", "--seed", "42", "--max-examples", "20", "--user", "proj:tok"]);
    assert_eq!(out.code, 0, "{}", out.all());
    snapshot("seed_built_in_mock", &console_and_junit(&out));
}

#[test]
fn seed_against_a_mock_breaking_formats_with_a_baseline() {
    let mock =
        MockProcess::start(&["--user", "proj:tok", "--seed", "42", "--fault", "format-violation"]);
    let (_dir, baseline) = temp_file(
        "baseline.toml",
        "[[known]]\noperation = \"retrieve-sip-endpoint\"\ncheck = \"response_schema_conformance\"\nscenario = \"positive/base\"\nreason = \"API-1: known\"\n\n[[known]]\noperation = \"retrieve-sip-endpoint\"\ncheck = \"negative_data_rejection\"\nscenario = \"negative/path.id/nil-uuid\"\nreason = \"API-2: fixed by now\"\n",
    );
    let baseline = baseline.to_string_lossy().into_owned();
    let out = gauntlet(&[
        "run",
        "--base-url",
        &mock.url,
        "--user",
        "proj:tok",
        "--seed",
        "42",
        "--max-examples",
        "20",
        "--baseline",
        &baseline,
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    snapshot("seed_format_violation_baseline", &console_and_junit(&out));
}

#[test]
fn petstore_against_the_built_in_mock() {
    let out = gauntlet(&[
        "run",
        "--spec",
        "../shared/corpus/openapi/swagger--petstore3.yaml",
        "--seed",
        "7",
        "--max-examples",
        "5",
    ]);
    snapshot("petstore3_built_in_mock", &console_and_junit(&out));
}

#[test]
fn seed_dry_run() {
    let out = gauntlet(&[
        "run",
        "--dry-run",
        "--seed",
        "42",
        "--max-examples",
        "10",
        "--user",
        "proj:tok",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    snapshot("seed_dry_run", &format!("exit {}\n{}{}", out.code, out.stdout, out.stderr));
}
