//! The mock ↔ run loop over one small spec per area of OpenAPI (`tests/areas/`, after
//! `../shared/AREAS.md`): each loads on both sides, every operation and every documented 2xx
//! is exercised, nothing is left untested, and gauntlet's only findings are spec gaps.

use std::path::Path;

use crate::support::gauntlet;

/// The specs, in area order.
fn specs() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/areas");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/areas")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_area_spec_loops_clean_against_the_built_in_mock() {
    let specs = specs();
    assert!(specs.len() >= 20, "one spec per area: {specs:?}");
    let mut problems = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("report.json");
        let out = gauntlet(&[
            "run",
            "--spec",
            spec.to_str().unwrap(),
            "--max-examples",
            "40",
            "--seed",
            "7",
            "--report",
            &format!("json={}", json.display()),
        ]);
        if out.code != 0 {
            problems.push(format!("{name}: {}", out.all()));
            continue;
        }
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let counts = &report["counts"];
        if counts["failed"] != 0 || counts["errors"] != 0 || counts["flaky"] != 0 {
            problems.push(format!("{name}: counts {counts}"));
        }
        // Spec gaps are the only findings.
        for group in report["groups"].as_array().unwrap() {
            if group["check"] != "spec_gap" {
                problems.push(format!("{name}: {} {}", group["check"], group["title"]));
            }
        }
        if !report["untested"].as_array().unwrap().is_empty() {
            problems.push(format!("{name}: untested {}", report["untested"]));
        }
        // Every operation, and every 2xx it documents, was seen.
        for op in report["coverage"]["operations"].as_array().unwrap() {
            if op["tested"] != true {
                problems.push(format!("{name}: {} not tested", op["operation"]));
            }
            for status in op["statuses"].as_array().unwrap() {
                let code = status["status"].as_str().unwrap_or("");
                if code.starts_with('2') && code.len() == 3 && status["seen"] != true {
                    problems.push(format!("{name}: {} never answered {code}", op["operation"]));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
