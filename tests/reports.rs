//! The report formats, each read back the way its consumer reads it: JSON and NDJSON against
//! the schemas published in `schema/`, SARIF against the SARIF 2.1.0 schema and Microsoft's
//! SARIF multitool, the HTML page in headless Chromium, GitHub annotations and step
//! summary; plus coverage with `--min-coverage` and `gauntlet explain`.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;

use crate::support::seed_server::Fault;
use crate::support::{MockProcess, SEED_SPEC, USER, gauntlet, gauntlet_in, run_seed};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A validator for one of the schemas in `schema/`.
fn schema(name: &str) -> jsonschema::Validator {
    let schema = read_json(&root().join("schema").join(name));
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what} does not match its schema: {errors:#?}");
}

/// A tool the report tests need from `tests/web` (installed by `.ci/run`). Missing outside
/// CI, the test says so and ends; in CI its absence is a failure.
fn web_tool(relative: &str) -> Option<PathBuf> {
    let path = root().join("tests/web/node_modules").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: .ci/run installs it (npm ci --prefix tests/web)",
        path.display()
    );
    eprintln!("skipped: {} is not installed (npm ci --prefix tests/web)", path.display());
    None
}

#[test]
fn json_and_ndjson_reports_match_their_published_schemas_and_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let (json, events) = (dir.path().join("r.json"), dir.path().join("e.ndjson"));
    let out = run_seed(
        Fault::SchemaViolation,
        &[
            "--max-examples",
            "20",
            "--report",
            &format!("json={}", json.display()),
            "--report",
            &format!("ndjson={}", events.display()),
        ],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    let doc = read_json(&json);
    assert_valid(&schema("report.schema.json"), &doc, "the JSON report");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["verdict"], "fail");
    let codes: Vec<&str> =
        doc["groups"].as_array().unwrap().iter().map(|g| g["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"GA104"), "schema violations carry their code: {codes:?}");
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(doc["counts"]["total"].as_u64().unwrap() as usize, cases.len());

    let validator = schema("events.schema.json");
    let text = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    for line in &lines {
        assert_valid(&validator, line, "an NDJSON event");
    }
    assert_eq!(lines.first().unwrap()["event"], "started");
    assert_eq!(lines.last().unwrap()["event"], "done");
    let scenarios: Vec<&Value> = lines.iter().filter(|l| l["event"] == "scenario").collect();
    assert_eq!(scenarios.len(), cases.len(), "one event per finished scenario");
    // The events rebuild the document: the same cases, by plan index, and the same counts.
    let mut by_index: Vec<&Value> = scenarios.clone();
    by_index.sort_by_key(|l| l["index"].as_u64());
    let labels = |v: Vec<&Value>| {
        v.iter().map(|c| c["label"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(
        labels(by_index.iter().map(|l| &l["case"]).collect()),
        labels(cases.iter().collect())
    );
    let failed = scenarios.iter().filter(|l| l["case"]["outcome"] == "failed").count();
    assert_eq!(failed as u64, doc["counts"]["failed"].as_u64().unwrap());
    assert_eq!(lines.last().unwrap()["counts"], doc["counts"]);
}

/// A spec in two files: `/things/{id}` lives in `paths/thing.yaml`, `/health` in the root.
fn multi_file_spec(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir.join("paths")).unwrap();
    let root = dir.join("openapi.yaml");
    std::fs::write(
        &root,
        "openapi: 3.0.3\ninfo:\n  title: two files\n  version: '1'\npaths:\n  /health:\n    get:\n      operationId: health\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n  /things/{id}:\n    $ref: 'paths/thing.yaml'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("paths/thing.yaml"),
        "parameters:\n  - name: id\n    in: path\n    required: true\n    schema:\n      type: string\n      format: uuid\n# a comment, so lines differ from the root's\nget:\n  operationId: getThing\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            type: object\n    '422':\n      description: invalid\n",
    )
    .unwrap();
    root
}

/// Where each SARIF result points: (operation, file name, line, column).
fn sarif_locations(log: &Value) -> Vec<(String, String, u64, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let at = &r["locations"][0];
            let physical = &at["physicalLocation"];
            (
                at["logicalLocations"][0]["name"].as_str().unwrap_or("").to_owned(),
                physical["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                physical["region"]["startLine"].as_u64().unwrap_or(0),
                physical["region"]["startColumn"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn sarif_results_point_at_each_operation_line_in_a_multi_file_spec_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let spec = multi_file_spec(dir.path());
    let mock = MockProcess::start(&["--spec", spec.to_str().unwrap(), "--fault", "server-error"]);
    let sarif = dir.path().join("out/gauntlet.sarif");
    let out = gauntlet_in(
        dir.path(),
        &[
            "run",
            "--spec",
            "openapi.yaml",
            "--base-url",
            &mock.url,
            "--max-examples",
            "5",
            "--report",
            "sarif=out/gauntlet.sarif",
            "--report",
            "github",
        ],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    let log = read_json(&sarif);
    assert_eq!(log["version"], "2.1.0");
    let mut found = sarif_locations(&log);
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    assert_eq!(
        found,
        vec![
            ("getThing".to_owned(), "paths/thing.yaml".to_owned(), 9, 1),
            ("health".to_owned(), "openapi.yaml".to_owned(), 7, 5),
        ],
        "each result sits on its operation's line, in the file it is written in"
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["id"] == "GA101").expect("the 5xx rule is listed");
    assert!(rule["help"]["text"].as_str().unwrap().contains("Fix:"), "{rule}");
    // The same lines as GitHub annotations.
    assert!(
        out.stdout.contains(
            "::error file=paths/thing.yaml,line=9,col=1,title=GA101 not_a_server_error::getThing"
        ),
        "{}",
        out.all()
    );

    if let Some(schema_file) = web_tool("@microsoft/sarif-multitool-linux/sarif-2.1.0.json") {
        let schema = read_json(&schema_file);
        let validator = jsonschema::draft202012::new(&schema).expect("the SARIF schema compiles");
        assert_valid(&validator, &log, "the SARIF log");
    }
    if let Some(tool) = web_tool("@microsoft/sarif-multitool-linux/Sarif.Multitool") {
        use std::os::unix::fs::PermissionsExt;
        // npm does not run the package's chmod postinstall.
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        let checked = dir.path().join("validation.sarif");
        let status = std::process::Command::new(&tool)
            .args(["validate", sarif.to_str().unwrap(), "-o", checked.to_str().unwrap()])
            .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .output()
            .expect("run the SARIF multitool");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stdout));
        let verdict = read_json(&checked);
        let errors: Vec<&Value> = verdict["runs"][0]["results"]
            .as_array()
            .map(|r| r.iter().filter(|r| r["level"] == "error").collect())
            .unwrap_or_default();
        assert!(errors.is_empty(), "the multitool found errors: {errors:#?}");
    }
}

#[test]
fn html_report_renders_its_charts_and_failures_in_headless_chromium_without_errors() {
    let Some(playwright) = web_tool("playwright-core") else { return };
    assert!(playwright.exists());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        assert!(std::env::var_os("CI").is_none(), "{chromium} is missing: .ci/run installs it");
        eprintln!("skipped: {chromium} is not installed");
        return;
    }
    // A server that breaks the contract and answers with markup meant to run in the page.
    let url = crate::support::raw_server(|stream, _, _| {
        let body = "<script>console.error('injected')</script><img src=x onerror=alert(1)>";
        crate::support::answer(stream, "500 Internal Server Error", "text/html", body);
    });
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let out = gauntlet(&[
        "run",
        "--spec",
        SEED_SPEC,
        "--base-url",
        &url,
        "--user",
        USER,
        "--max-examples",
        "10",
        "--report",
        &format!("html={}", html.display()),
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("<script>console.error"), "the server's markup is escaped");
    let shot = dir.path().join("report.png");
    let run = std::process::Command::new("node")
        .arg(root().join("tests/web/check-html.mjs"))
        .arg(&html)
        .arg(&shot)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let seen: Value = serde_json::from_slice(&run.stdout).expect("the page check prints JSON");
    assert_eq!(seen["consoleErrors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["pageErrors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["requests"], serde_json::json!([]), "the page fetches nothing: {seen}");
    assert_eq!(seen["verdict"], "FAIL");
    assert!(
        seen["histograms"].as_u64().unwrap() >= 1 && seen["visibleBars"].as_u64().unwrap() >= 1,
        "{seen}"
    );
    assert!(seen["latencyCharts"].as_u64().unwrap() >= 1, "{seen}");
    let failures = seen["failures"].as_array().unwrap();
    assert!(
        failures.iter().any(|f| f.as_str().unwrap().contains("GA101 not_a_server_error")),
        "{seen}"
    );
    assert!(
        failures
            .iter()
            .any(|f| f.as_str().unwrap().contains("<script>console.error('injected')</script>")),
        "the body excerpt shows as text: {seen}"
    );
    let curls = seen["curls"].as_array().unwrap();
    assert!(
        !curls.is_empty()
            && curls.iter().any(|c| c.as_str().unwrap().contains("-u \"$GAUNTLET_USER\"")),
        "{seen}"
    );
    assert_eq!(seen["hiddenAfterFilter"], true, "the filter box works: {seen}");
    assert!(seen["text"].as_str().unwrap().contains("Coverage"), "{seen}");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot was taken");
}

#[test]
fn no_report_format_shows_a_credential_the_server_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, PathBuf)> = ["json", "ndjson", "sarif", "html"]
        .iter()
        .map(|f| (*f, dir.path().join(format!("r.{f}"))))
        .collect();
    let mut extra: Vec<String> =
        vec!["--max-examples".into(), "30".into(), "--report".into(), "github".into()];
    for (format, path) in &files {
        extra.push("--report".into());
        extra.push(format!("{format}={}", path.display()));
    }
    let summary = dir.path().join("summary.md");
    let url = crate::support::seed_server::start(Fault::EchoesCredentials);
    let mut args = vec!["run", "--spec", SEED_SPEC, "--base-url", &url, "--user", USER];
    args.extend(extra.iter().map(String::as_str));
    let out = gauntlet_in(root(), &args, &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())]);
    assert_eq!(out.code, 1, "{}", out.all());
    let token = USER.split_once(':').unwrap().1;
    let b64 = base64::engine::general_purpose::STANDARD.encode(USER);
    let mut texts: Vec<(String, String)> =
        files.iter().map(|(f, p)| (f.to_string(), std::fs::read_to_string(p).unwrap())).collect();
    texts.push(("summary".into(), std::fs::read_to_string(&summary).unwrap()));
    texts.push(("stdout".into(), out.stdout.clone()));
    for (what, text) in &texts {
        assert!(!text.is_empty(), "{what} was written");
        assert!(!text.contains(token) && !text.contains(&b64), "{what} leaks the credential");
    }
    assert!(
        texts.iter().any(|(_, t)| t.contains("[REDACTED]") || t.contains("***")),
        "the echoed value was redacted, not dropped"
    );
}

#[test]
fn the_step_summary_is_appended_when_github_actions_sets_it() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = gauntlet_in(
        root(),
        &["run", "--max-examples", "5"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(out.code, 0, "{}", out.all());
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n### gauntlet: ✅ PASS"), "{text}");
    assert!(text.contains("Coverage: operations 100%"), "{text}");
    assert!(
        !out.stdout.contains("::error"),
        "annotations only with --report github: {}",
        out.all()
    );
}

#[test]
fn min_coverage_fails_a_passing_run_that_covered_too_little_with_exit_3() {
    // Against the built-in mock the seed spec passes, but 401 and 500 are never answered.
    let short =
        gauntlet(&["run", "--max-examples", "5", "--min-coverage", "operations=100,statuses=100"]);
    assert_eq!(short.code, 3, "{}", short.all());
    assert!(short.stdout.contains("coverage below --min-coverage: statuses"), "{}", short.all());
    assert!(!short.stdout.contains("below --min-coverage: operations"), "{}", short.all());
    let enough = gauntlet(&["run", "--max-examples", "5", "--min-coverage", "statuses=50"]);
    assert_eq!(enough.code, 0, "{}", enough.all());
    assert!(enough.stdout.contains("coverage: operations 1/1 (100%)"), "{}", enough.all());
    let bad = gauntlet(&["run", "--min-coverage", "lines=80"]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert_eq!(bad.stderr.trim().lines().count(), 1, "{}", bad.all());
    assert!(
        bad.stderr.contains("--min-coverage") && bad.stderr.contains("unknown measure 'lines=80'"),
        "{}",
        bad.all()
    );
}

#[test]
fn coverage_lists_enum_values_sent_and_checks_skipped_with_why() {
    let (dir, spec) = crate::support::temp_file(
        "enum.yaml",
        "openapi: 3.1.0\ninfo: {title: enums, version: '1'}\npaths:\n  /items:\n    get:\n      operationId: listItems\n      security: [{key: []}]\n      parameters:\n        - {name: sort, in: query, required: true, schema: {type: string, enum: [asc, desc]}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: array}}}}\n        '400': {description: bad}\n        '401': {description: no}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n",
    );
    let json = dir.path().join("r.json");
    let out = gauntlet(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--max-examples",
        "30",
        "--report",
        &format!("json={}", json.display()),
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = read_json(&json);
    let cov = &doc["coverage"];
    let op = &cov["operations"][0];
    assert_eq!(op["operation"], "listItems");
    let values: Vec<(&str, bool)> = op["enums"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["value"].as_str().unwrap(), v["sent"].as_bool().unwrap()))
        .collect();
    assert_eq!(values.iter().map(|v| v.0).collect::<Vec<_>>(), ["asc", "desc"]);
    assert!(values.iter().all(|v| v.1), "30 examples send both values: {values:?}");
    assert_eq!(cov["totals"]["enums"]["covered"], 2);
    let skipped: Vec<(&str, &str)> = cov["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| Some((c["check"].as_str()?, c["skipped"].as_str()?)))
        .collect();
    assert!(
        skipped.iter().any(|(c, why)| *c == "case_expectation" && why.contains("no case files")),
        "{skipped:?}"
    );
}

#[test]
fn reports_section_of_gauntlet_toml_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(SEED_SPEC), dir.path().join("spec.yaml")).unwrap();
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        "spec = \"spec.yaml\"\nmax_examples = 5\n[reports]\nhtml = \"out/page.html\"\njson = true\nsarif = false\n[min_coverage]\noperations = 100\n",
    )
    .unwrap();
    let out = gauntlet_in(dir.path(), &["run"], &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(dir.path().join("out/page.html").is_file(), "{}", out.all());
    assert!(
        dir.path().join("reports/gauntlet.json").is_file(),
        "json = true writes the default path"
    );
    assert!(!dir.path().join("reports/gauntlet.sarif").exists(), "sarif = false writes nothing");
    std::fs::write(
        dir.path().join("gauntlet.toml"),
        "spec = \"spec.yaml\"\n[reports]\npdf = true\n",
    )
    .unwrap();
    let bad = gauntlet_in(dir.path(), &["run"], &[]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(
        bad.stderr.contains("gauntlet.toml")
            && bad.stderr.contains("reports.pdf: unknown report format"),
        "{}",
        bad.all()
    );
}

#[test]
fn an_unknown_report_format_is_one_line_and_exit_2() {
    let out = gauntlet(&["run", "--report", "pdf"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("unknown report format 'pdf'")
            && out.stderr.contains("json, ndjson, sarif, html, github"),
        "{}",
        out.all()
    );
    let out = gauntlet(&["run", "--report", "github=out.txt"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("writes no file"), "{}", out.all());
}

#[test]
fn explain_prints_what_a_code_means_why_and_how_to_fix_it() {
    for key in ["GA101", "ga101", "not_a_server_error"] {
        let out = gauntlet(&["explain", key]);
        assert_eq!(out.code, 0, "{}", out.all());
        assert!(out.stdout.starts_with("GA101 not_a_server_error (error)"), "{}", out.all());
        assert!(out.stdout.contains("Why:") && out.stdout.contains("Fix:"), "{}", out.all());
    }
    let all = gauntlet(&["explain"]);
    let codes: Vec<&str> =
        all.stdout.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(codes.len(), unique.len(), "codes are never reused: {codes:?}");
    assert!(codes.len() >= 12, "every check and finding kind has a code: {codes:?}");
    let unknown = gauntlet(&["explain", "GA999"]);
    assert_eq!(unknown.code, 2, "{}", unknown.all());
    assert!(unknown.stderr.contains("unknown code or check 'GA999'"), "{}", unknown.all());
}

#[test]
fn a_long_run_off_a_terminal_prints_a_progress_line_every_few_seconds_and_quiet_prints_none() {
    // 45 scenarios (34 deterministic, 4 of them valid, so none random; 7 method probes; the
    // 4 of cases/retrieve-sip-endpoint.yaml) at 6 per second: over seven seconds, so one
    // line is due.
    let args = ["run", "--max-examples", "1", "--rate-limit", "6"];
    let out = gauntlet(&args);
    assert_eq!(out.code, 0, "{}", out.all());
    let lines: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("progress: ")).collect();
    assert!(!lines.is_empty(), "{}", out.all());
    assert!(
        lines[0].contains(" scenarios · 0 failing") && lines[0].contains("/45"),
        "{}",
        out.all()
    );
    assert!(!out.stdout.contains("progress:"), "progress stays off standard output");
    let quiet = gauntlet(&["run", "--max-examples", "1", "--rate-limit", "6", "--quiet"]);
    assert_eq!(quiet.code, 0, "{}", quiet.all());
    assert!(!quiet.stderr.contains("progress:"), "{}", quiet.all());
}
