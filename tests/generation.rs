//! The generator's invariant over every schema of the seed spec and of the real-world corpus:
//! every valid value it gives validates, every invalid value it keeps fails, a schema it cannot
//! satisfy is reported (never looped on), and it satisfies nearly all of them.

use std::path::Path;

use gauntlet::generate::{ValueGen, invalid_values};
use gauntlet::openapi::{self, escape};
use gauntlet::schema::Validators;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Draws before a schema is reported as unsatisfiable by the generator.
const ATTEMPTS: usize = 24;

#[derive(Default, Debug)]
struct Tally {
    schemas: usize,
    satisfied: usize,
    first_try: usize,
    proposed_invalid: usize,
    kept_invalid: usize,
    unsatisfied: Vec<String>,
}

fn pointers(spec: &openapi::Spec) -> Vec<String> {
    let mut out: Vec<String> = spec
        .doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|m| m.keys().map(|k| format!("/components/schemas/{}", escape(k))).collect())
        .unwrap_or_default();
    for op in openapi::operations(spec).expect("operations") {
        out.extend(op.schema_pointers().map(str::to_owned));
    }
    out.sort();
    out.dedup();
    out
}

fn tally(path: &Path, t: &mut Tally) {
    let spec = openapi::load(path).expect("loads");
    let pointers = pointers(&spec);
    let validators = Validators::compile(&spec.doc, pointers.iter().map(String::as_str));
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for pointer in &pointers {
        let (Some(validator), Some(schema)) = (validators.get(pointer), spec.doc.pointer(pointer))
        else {
            continue;
        };
        t.schemas += 1;
        let mut generator = ValueGen::new(&spec.doc, &mut rng);
        let mut found = None;
        for attempt in 0..ATTEMPTS {
            if let Some(v) = generator.valid(schema, 0)
                && validator.is_valid(&v)
            {
                t.first_try += usize::from(attempt == 0);
                found = Some(v);
                break;
            }
        }
        let Some(valid) = found else {
            t.unsatisfied
                .push(format!("{}#{pointer}", path.file_name().unwrap().to_string_lossy()));
            continue;
        };
        t.satisfied += 1;
        assert!(validator.is_valid(&valid));
        for invalid in invalid_values(&spec.doc, schema, &valid) {
            t.proposed_invalid += 1;
            if !validator.is_valid(&invalid.value) {
                t.kept_invalid += 1;
            }
        }
    }
}

#[test]
fn the_seed_spec_is_fully_satisfied() {
    let mut t = Tally::default();
    tally(Path::new("spec/relay-rest.yaml"), &mut t);
    assert!(t.schemas >= 15, "{t:?}");
    assert_eq!(t.satisfied, t.schemas, "{t:?}");
    assert!(t.kept_invalid * 10 >= t.proposed_invalid * 9, "{t:?}");
}

#[test]
fn nearly_every_corpus_schema_gets_valid_and_invalid_values() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/openapi");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("corpus").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    files.sort();
    let mut t = Tally::default();
    for file in &files {
        tally(file, &mut t);
    }
    let share = t.satisfied as f64 / t.schemas as f64;
    let kept = t.kept_invalid as f64 / t.proposed_invalid.max(1) as f64;
    println!(
        "corpus: {} schemas, {} satisfied ({:.1}%), {} on the first draw; invalid values: {} proposed, {} fail validation ({:.1}%)",
        t.schemas,
        t.satisfied,
        share * 100.0,
        t.first_try,
        t.proposed_invalid,
        t.kept_invalid,
        kept * 100.0
    );
    for u in t.unsatisfied.iter().take(40) {
        println!("unsatisfied: {u}");
    }
    assert!(t.schemas > 5000, "{t:?}");
    assert!(
        share >= 0.97,
        "only {:.1}% satisfied; first unsatisfied: {:?}",
        share * 100.0,
        &t.unsatisfied[..t.unsatisfied.len().min(20)]
    );
    assert!(kept >= 0.85, "only {:.1}% of invalid values fail validation", kept * 100.0);
}
