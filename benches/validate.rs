//! Schema validation throughput: the seed's 200 body against its compiled validator, reused.
//! Prints figures; asserts nothing about time. Run with `cargo bench --bench validate`.

use std::path::Path;
use std::time::Instant;

use gauntlet::openapi;
use gauntlet::schema::Validators;

fn main() {
    let spec = openapi::load(Path::new("spec/relay-rest.yaml")).expect("seed spec");
    let pointer =
        "/paths/~1endpoints~1sip~1{id}/get/responses/200/content/application~1json/schema";
    let validators = Validators::compile(&spec.doc, [pointer]);
    let validator = validators.get(pointer).expect("compiled");
    let body: serde_json::Value =
        serde_json::from_str(include_str!("sip_endpoint.json")).expect("body");
    assert!(validator.is_valid(&body), "the sample body is valid");
    let raw = serde_json::to_vec(&body).expect("bytes");
    for (what, parse) in [("validate (parsed once)", false), ("parse + validate", true)] {
        let n = 200_000;
        let started = Instant::now();
        let mut valid = 0usize;
        for _ in 0..n {
            if parse {
                let v: serde_json::Value = serde_json::from_slice(&raw).expect("json");
                valid += usize::from(validator.is_valid(&v));
            } else {
                valid += usize::from(validator.is_valid(&body));
            }
        }
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(valid, n);
        println!(
            "{what:<24} {:>10.0} validations/s ({:.2} µs each)",
            n as f64 / secs,
            secs * 1e6 / n as f64
        );
    }
}
