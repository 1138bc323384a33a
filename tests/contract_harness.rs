//! `cargo test --test contract`: the plan as libtest trials against real servers.

use crate::support::seed_server::{self, Fault};
use crate::support::{SEED_SPEC, USER, contract, gauntlet};

/// Trial names from `--list`, in order.
fn listed(out: &crate::support::Outcome) -> Vec<String> {
    out.stdout.lines().filter_map(|l| l.strip_suffix(": test")).map(str::to_owned).collect()
}

/// The trial names of the scenarios a `gauntlet run --dry-run` printed.
fn planned(dry: &crate::support::Outcome) -> Vec<String> {
    dry.stdout
        .lines()
        .filter(|l| l.starts_with("retrieve-sip-endpoint "))
        .map(|l| l.replacen(' ', "::", 1))
        .collect()
}

#[test]
fn every_scenario_is_a_trial_with_a_stable_name() {
    let seed = [("GAUNTLET_SEED", "11")];
    let first = contract(&["--list"], &seed);
    assert_eq!(first.code, 0, "{}", first.all());
    let names = listed(&first);
    assert_eq!(names, listed(&contract(&["--list"], &seed)), "names change between runs");
    // The same scenarios gauntlet run plans for that seed, cases included.
    let dry = gauntlet(&["run", "--dry-run", "--seed", "11", "--spec", SEED_SPEC]);
    let planned = planned(&dry);
    assert_eq!(names, planned, "{}", dry.all());
    assert!(names.contains(&"retrieve-sip-endpoint::case/known endpoint is returned".to_owned()));
    assert!(names.contains(&"retrieve-sip-endpoint::negative/path.id/urn-uuid".to_owned()));
}

#[test]
fn the_built_in_mock_passes_and_filters_pick_trials() {
    let out = contract(&["negative/auth/", "--skip", "wrong-id"], &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stderr.contains("gauntlet: testing the built-in mock"), "{}", out.all());
    assert!(out.stdout.contains("6 passed; 0 failed"), "{}", out.all());
    let junit = out.junit.as_deref().expect("GAUNTLET_JUNIT written");
    assert_eq!(junit.matches("<testcase ").count(), 6, "{junit}");
    assert!(!junit.contains("wrong-id"), "{junit}");
}

#[test]
fn a_failed_trial_shows_the_failure_and_curl_line_of_gauntlet_run() {
    let url = seed_server::start(Fault::RejectsValid);
    let env =
        [("GAUNTLET_BASE_URL", url.as_str()), ("GAUNTLET_USER", USER), ("GAUNTLET_SEED", "5")];
    let out = contract(&["--exact", "retrieve-sip-endpoint::positive/base"], &env);
    assert_eq!(out.code, 101, "{}", out.all());
    assert!(out.stdout.contains("1 failed"), "{}", out.all());
    for text in [
        "✘ positive_data_acceptance · retrieve-sip-endpoint · positive/base",
        "valid request rejected with 422",
        "reproduce: curl -sS -g -X GET",
        "-u \"$GAUNTLET_USER\"",
    ] {
        assert!(out.stdout.contains(text), "{text}: {}", out.all());
    }
    let token = USER.split_once(':').unwrap().1;
    assert!(!out.stdout.contains(token) && !out.stderr.contains(token), "{}", out.all());
    let junit = out.junit.as_deref().expect("GAUNTLET_JUNIT written");
    assert!(junit.contains("<failure type=\"positive_data_acceptance\""), "{junit}");
    // The same text as gauntlet run.
    let run =
        gauntlet(&["run", "--spec", SEED_SPEC, "--base-url", &url, "--user", USER, "--seed", "5"]);
    assert!(
        run.stdout.contains("✘ positive_data_acceptance · retrieve-sip-endpoint · positive/base"),
        "{}",
        run.all()
    );
}

#[test]
fn a_bad_variable_is_one_line_and_exit_2() {
    let out = contract(&["--list"], &[("GAUNTLET_BASE_URL", "ftp://x")]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(
        out.stderr.trim(),
        "error: GAUNTLET_BASE_URL: 'ftp://x' is not an http or https URL"
    );
}

#[test]
fn baseline_entries_are_ignored_trials_that_ignored_runs() {
    let url = seed_server::start(Fault::AuthBypass);
    let (_dir, baseline) = crate::support::temp_file(
        "baseline.toml",
        "[[known]]\noperation = \"retrieve-sip-endpoint\"\ncheck = \"auth_enforced\"\nscenario = \"negative/auth/missing\"\nreason = \"API-1\"\n",
    );
    let env = [
        ("GAUNTLET_BASE_URL", url.as_str()),
        ("GAUNTLET_USER", USER),
        ("GAUNTLET_BASELINE", baseline.to_str().unwrap()),
    ];
    let out = contract(&["negative/auth/"], &env);
    // Six broken-credential trials fail; the known one is ignored.
    assert_eq!(out.code, 101, "{}", out.all());
    assert!(out.stdout.contains("0 passed; 6 failed; 1 ignored"), "{}", out.all());
    let ignored = contract(&["negative/auth/", "--ignored"], &env);
    assert!(ignored.stdout.contains("0 passed; 1 failed; 0 ignored"), "{}", ignored.all());
    assert!(ignored.stdout.contains("negative/auth/missing"), "{}", ignored.all());
}

/// The harness once lacked `gauntlet.toml`, check settings and partitions: it now takes
/// every setting `gauntlet run` has, through the same engine options.
#[test]
fn the_harness_reads_gauntlet_toml_and_partitions_like_gauntlet_run() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gauntlet.toml");
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_SPEC);
    std::fs::write(
        &config,
        format!(
            "spec = \"{}\"\nseed = 9\nmax_examples = 6\n[checks.content_type_conformance]\nenabled = false\n",
            spec.display()
        ),
    )
    .unwrap();
    let env = [("GAUNTLET_CONFIG", config.to_str().unwrap())];
    let all = listed(&contract(&["--list"], &env));
    let dry = gauntlet(&["run", "--dry-run", "--config", config.to_str().unwrap()]);
    let planned = planned(&dry);
    assert_eq!(all, planned, "the settings file shapes both plans alike: {}", dry.all());
    let mut halves: Vec<String> = Vec::new();
    for k in ["1/2", "2/2"] {
        let share = listed(&contract(&["--list"], &[env[0], ("GAUNTLET_PARTITION", k)]));
        assert!(!share.is_empty() && share.len() < all.len(), "{k}: {share:?}");
        halves.extend(share);
    }
    halves.sort();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(halves, sorted, "two partitions cover the plan once");
    let bad = contract(&["--list"], &[env[0], ("GAUNTLET_PARTITION", "3/2")]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.contains("GAUNTLET_PARTITION"), "{}", bad.all());
}
