//! Every real-world document in the corpus loads and plans, Swagger 2.0 ones included.

use crate::support::gauntlet;

#[test]
fn every_corpus_document_plans_without_a_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/openapi");
    let mut entries: Vec<_> =
        std::fs::read_dir(&dir).expect("corpus").filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let mut planned = 0;
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
    {
        let out = gauntlet(&[
            "run",
            "--dry-run",
            "--max-examples",
            "5",
            "--spec",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}: {}", path.display(), out.all());
        assert!(out.stdout.starts_with("gauntlet dry run: "), "{}: {}", path.display(), out.all());
        planned += 1;
    }
    assert_eq!(planned, 90);
    for path in std::fs::read_dir(dir.join("swagger2")).expect("swagger2").filter_map(|e| e.ok()) {
        let out = gauntlet(&["run", "--dry-run", "--spec", path.path().to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.all());
        assert!(out.stdout.starts_with("gauntlet dry run: "), "{}", out.all());
    }
}
