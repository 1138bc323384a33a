//! The JUnit report validates against the three strict XSDs that CI consumers use.

use std::process::Command;

use crate::support::run_seed;
use crate::support::seed_server::Fault;

/// The XSDs in ../shared/junit.
const XSDS: &[&str] =
    &["jenkins-xunit-junit-10.xsd", "junit5-jenkins-junit.xsd", "windyroad-JUnit.xsd"];

/// Asserts that `report` validates against every XSD.
pub fn xmllint(report: &std::path::Path) {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/junit");
    for xsd in XSDS {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(shared.join(xsd))
            .arg(report)
            .output()
            .expect("xmllint is installed (.ci/run installs libxml2-utils)");
        assert!(out.status.success(), "{xsd}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn reports_with_passes_failures_and_errors_validate_against_all_three_xsds() {
    for (fault, extra) in [
        (Fault::None, None),
        (Fault::SchemaViolation, None),
        (Fault::HangsOnInvalid, Some("200ms")),
    ] {
        let mut args = vec!["--max-examples", "40"];
        if let Some(t) = extra {
            args.extend(["--timeout", t]);
        }
        let out = run_seed(fault, &args);
        assert!(out.junit.is_some(), "{}", out.all());
        let junit = out.junit.as_deref().unwrap();
        assert!(junit.contains(r#"<property name="seed" value=""#), "{junit}");
        assert!(junit.contains(r#"classname="retrieve-sip-endpoint""#), "{junit}");
        xmllint(&out.junit_path);
    }
}
