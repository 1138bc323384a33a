//! What CI leans on: baselines of known failures, partitions of the plan, and `gauntlet.toml`.

use std::path::Path;

use crate::junit_schema::xmllint;
use crate::support::seed_server::{self, Fault};
use crate::support::{Outcome, SEED_SPEC, USER, gauntlet_in};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `gauntlet run` against `url` with the seed spec, seed 3, and `extra` flags.
fn run(dir: &Path, url: &str, extra: &[&str]) -> Outcome {
    let spec = root().join(SEED_SPEC);
    let mut args = vec!["run", "--spec", spec.to_str().unwrap(), "--base-url", url];
    args.extend(["--user", USER, "--seed", "3", "--max-examples", "40"]);
    args.extend_from_slice(extra);
    gauntlet_in(dir, &args, &[])
}

fn testcases(out: &Outcome) -> Vec<String> {
    let junit = out.junit.as_deref().unwrap_or("");
    junit
        .split("<testcase name=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_baseline_passes_known_failures_reports_fixed_ones_and_fails_expired_ones() {
    let url = seed_server::start(Fault::AuthBypass);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("baseline.toml");
    let file_arg = file.to_str().unwrap();

    let plain = run(dir.path(), &url, &[]);
    assert_eq!(plain.code, 1, "{}", plain.all());

    let update = run(dir.path(), &url, &["--update-baseline", file_arg]);
    assert_eq!(update.code, 0, "{}", update.all());
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written.matches("[[known]]").count(), 7, "{written}");
    assert!(written.contains("scenario = \"negative/auth/wrong-token\""), "{written}");

    let known = run(dir.path(), &url, &["--baseline", file_arg]);
    assert_eq!(known.code, 0, "{}", known.all());
    assert!(known.stdout.contains("0 failed, 0 errors, 7 known"), "{}", known.all());
    assert!(
        known.stdout.contains("~ auth_enforced · retrieve-sip-endpoint · negative/auth/missing")
    );
    assert_eq!(known.junit.as_deref().unwrap().matches("<skipped>known failure").count(), 7);
    xmllint(&known.junit_path);

    // One entry expires, one names a failure that no longer happens.
    let edited = written.replacen(
        "scenario = \"negative/auth/empty\"\n",
        "scenario = \"negative/auth/empty\"\nexpires = \"2020-01-01\"\n",
        1,
    ) + "\n[[known]]\noperation = \"retrieve-sip-endpoint\"\ncheck = \"not_a_server_error\"\nscenario = \"positive/base\"\nreason = \"API-9\"\n";
    std::fs::write(&file, edited).unwrap();
    let judged = run(dir.path(), &url, &["--baseline", file_arg]);
    assert_eq!(judged.code, 1, "{}", judged.all());
    assert!(judged.stdout.contains("1 failed, 0 errors, 6 known"), "{}", judged.all());
    assert!(
        judged.stdout.contains("✘ auth_enforced · retrieve-sip-endpoint · negative/auth/empty")
    );
    assert!(judged.stdout.contains("expired: the baseline entry for auth_enforced · retrieve-sip-endpoint · negative/auth/empty expired on 2020-01-01"), "{}", judged.all());
    assert!(
        judged.stdout.contains(
            "fixed: not_a_server_error · retrieve-sip-endpoint · positive/base passes now"
        ),
        "{}",
        judged.all()
    );

    std::fs::write(
        &file,
        "[[known]]\noperation = \"x\"\ncheck = \"y\"\nscenario = \"z\"\nreson = \"typo\"\n",
    )
    .unwrap();
    let bad = run(dir.path(), &url, &["--baseline", file_arg]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.contains("baseline.toml: line 5: unknown field `reson`"), "{}", bad.all());
}

#[test]
fn partitions_cover_the_plan_once() {
    let url = seed_server::start(Fault::None);
    let dir = tempfile::tempdir().unwrap();
    let whole = testcases(&run(dir.path(), &url, &[]));
    assert!(whole.len() >= 40, "{whole:?}");
    for scheme in ["", "hash:"] {
        let mut union: Vec<String> = Vec::new();
        for k in 1..=3 {
            let share = format!("{scheme}{k}/3");
            let out = run(dir.path(), &url, &["--partition", &share]);
            assert_eq!(out.code, 0, "{}", out.all());
            assert!(
                out.stdout.contains(&format!(
                    "(partition {}",
                    if scheme.is_empty() { format!("count:{k}/3") } else { share.clone() }
                )),
                "{}",
                out.all()
            );
            let names = testcases(&out);
            assert!(!names.is_empty() && names.len() < whole.len(), "{share}: {names:?}");
            // The same share twice is the same share.
            assert_eq!(names, testcases(&run(dir.path(), &url, &["--partition", &share])));
            union.extend(names);
        }
        union.sort();
        let mut all = whole.clone();
        all.sort();
        assert_eq!(union, all, "{scheme}: every scenario in exactly one share");
    }
}

#[test]
fn gauntlet_toml_holds_the_flags_reads_the_environment_and_yields_to_flags() {
    let url = seed_server::start(Fault::AuthBypass);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::copy(root().join(SEED_SPEC), dir.path().join("api/spec.yaml")).unwrap();
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        "spec = \"api/spec.yaml\"\nbase_url = \"${TARGET_URL}\"\nuser = \"${TARGET_USER}\"\nmax_examples = 40\nseed = 3\njunit = \"out/report.xml\"\n\n[checks.auth_enforced]\nenabled = false\n",
    )
    .unwrap();
    let env = [("TARGET_URL", url.as_str()), ("TARGET_USER", USER)];
    // Without the test helper's --junit, so the file's junit is used.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gauntlet"))
        .current_dir(dir.path())
        .arg("run")
        .envs(env)
        .env_remove("GAUNTLET_BASE_URL")
        .env_remove("GAUNTLET_USER")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // auth_enforced, the only check this server breaks, is off.
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("77 scenarios") && stdout.contains("seed 3"), "{stdout}");
    assert!(dir.path().join("out/report.xml").is_file(), "{stdout}");

    // A flag wins over the file.
    let out =
        gauntlet_in(dir.path(), &["run", "--check", "auth_enforced", "--max-examples", "30"], &env);
    assert_eq!(out.code, 1, "{}", out.all());
    // No method probes: unsupported_method is not among the checks. The 34 deterministic
    // scenarios (4 of them valid) and 26 random valid ones.
    assert!(out.stdout.contains("60 scenarios"), "{}", out.all());

    // Configured statuses replace a check's rule: this server answers malformed ids 422.
    std::fs::write(
        dir.path().join("other.toml"),
        "spec = \"api/spec.yaml\"\nbase_url = \"${TARGET_URL}\"\nuser = \"${TARGET_USER}\"\n\n[checks.negative_data_rejection]\nstatuses = [400]\n",
    )
    .unwrap();
    let out = gauntlet_in(
        dir.path(),
        &["run", "--config", "other.toml", "--check", "negative_data_rejection"],
        &env,
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stdout.contains("answered 422") && out.stdout.contains("one of 400 (configured)"),
        "{}",
        out.all()
    );

    for (text, wanted) in [
        (
            "spec = \"api/spec.yaml\"\ntimeuot = \"2s\"\n",
            "gauntlet.toml: line 2: unknown field `timeuot`",
        ),
        ("[checks.nope]\n", "gauntlet.toml: checks.nope: unknown check"),
        (
            "user = \"${GAUNTLET_UNSET_FOR_TEST}\"\n",
            "gauntlet.toml: user: environment variable GAUNTLET_UNSET_FOR_TEST is not set",
        ),
        ("timeout = \"soon\"\n", "gauntlet.toml: timeout:"),
    ] {
        std::fs::write(dir.path().join("gauntlet.toml"), text).unwrap();
        let out = gauntlet_in(dir.path(), &["run"], &env);
        assert_eq!(out.code, 2, "{text}: {}", out.all());
        assert!(out.stderr.starts_with(&format!("error: {wanted}")), "{text}: {}", out.all());
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.all());
    }
}
