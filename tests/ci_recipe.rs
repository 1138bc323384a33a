//! The README's CI recipes, run as written against the built-in mock: the `gauntlet.toml`
//! example as the repository's settings, the one-time baseline command, then each job of the
//! GitHub Actions matrix and of the GitLab `parallel` job, with the CI's variables and secrets
//! standing in for the stores, and their JUnit files where the publishing steps look for them.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{MockProcess, SEED_SPEC, USER};

/// The first fenced block of `lang` after the heading line `heading`.
fn block(readme: &str, heading: &str, lang: &str) -> String {
    let at = readme.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &readme[at..];
    let open = format!("```{lang}\n");
    let start = rest.find(&open).unwrap_or_else(|| panic!("no {lang} block after {heading}"));
    let body = &rest[start + open.len()..];
    body[..body.find("```").unwrap()].to_owned()
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// A repository laid out as the recipes expect: spec, cases, the README's gauntlet.toml.
fn repository(readme: &str) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::create_dir_all(dir.path().join("cases")).unwrap();
    std::fs::copy(root.join(SEED_SPEC), dir.path().join("openapi/relay-rest.yaml")).unwrap();
    std::fs::copy(
        root.join("cases/retrieve-sip-endpoint.yaml"),
        dir.path().join("cases/retrieve-sip-endpoint.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("gauntlet.toml"), block(readme, "## `gauntlet.toml`", "toml"))
        .unwrap();
    dir
}

/// Runs `script` with bash in `dir`, `gauntlet` on the PATH, and only `env` from outside.
fn bash(dir: &Path, script: &str, env: &[(String, String)]) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_gauntlet")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg("-euc")
        .arg(script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("bash");
    let text = format!(
        "$ {script}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// The files a publishing step's glob (`reports/junit-*.xml`) finds.
fn glob(dir: &Path, pattern: &str) -> Vec<String> {
    let (folder, file) = pattern.rsplit_once('/').unwrap();
    let (prefix, suffix) = file.split_once('*').unwrap();
    let mut out: Vec<String> = std::fs::read_dir(dir.join(folder))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn testcases(dir: &Path, files: &[String]) -> usize {
    files
        .iter()
        .map(|f| std::fs::read_to_string(dir.join("reports").join(f)).unwrap())
        .map(|x| x.matches("<testcase ").count())
        .sum()
}

/// The install step installs this package, locked.
fn assert_installs_this_package(command: &str) {
    assert!(command.starts_with("cargo install --locked --git "), "{command}");
    assert!(command.ends_with(" gauntlet"), "{command}");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nname = \"gauntlet\"\n"));
}

const ENDPOINT: &str = "3f1e0c2a-9b8d-4c7e-a6f5-1d2c3b4a5e6f";

#[test]
fn the_github_actions_recipe_runs_as_written() {
    let readme = readme();
    let mock = MockProcess::start(&["--user", USER, "--fault", "auth-bypass"]);
    let repo = repository(&readme);
    let dir = repo.path();
    // The one-time baseline, as the README says, against "staging".
    let staging = [
        ("GAUNTLET_BASE_URL".to_owned(), mock.url.clone()),
        ("GAUNTLET_USER".to_owned(), USER.to_owned()),
        ("SIP_ENDPOINT_ID".to_owned(), ENDPOINT.to_owned()),
    ];
    let (code, text) = bash(dir, block(&readme, "## CI recipes", "sh").trim(), &staging);
    assert_eq!(code, 0, "{text}");
    assert!(
        std::fs::read_to_string(dir.join("gauntlet-baseline.toml"))
            .unwrap()
            .contains("auth_enforced")
    );

    let workflow: Value =
        gauntlet::openapi::parse_yaml(&block(&readme, "### GitHub Actions", "yaml")).unwrap();
    let job = &workflow["jobs"]["contract"];
    let partitions: Vec<u64> = job["strategy"]["matrix"]["partition"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let steps = job["steps"].as_array().unwrap();
    let install =
        steps.iter().find_map(|s| s["run"].as_str().filter(|r| r.starts_with("cargo install")));
    assert_installs_this_package(install.expect("an install step"));
    let step = steps
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.starts_with("gauntlet ")))
        .unwrap();
    let publish = steps.iter().find(|s| s["with"]["report_paths"].is_string()).unwrap();
    assert_eq!(publish["if"], "always()");
    for &k in &partitions {
        // The CI's expressions, filled from its variable and secret stores.
        let expression = |v: &str| -> String {
            let mut out = v.to_owned();
            for (expr, value) in [
                ("${{ vars.STAGING_BASE_URL }}", mock.url.clone()),
                ("${{ secrets.SIGNALWIRE_USER }}", USER.to_owned()),
                ("${{ vars.SIP_ENDPOINT_ID }}", ENDPOINT.to_owned()),
                ("${{ matrix.partition }}", k.to_string()),
            ] {
                out = out.replace(expr, &value);
            }
            assert!(!out.contains("${{"), "an expression the test does not know: {out}");
            out
        };
        let env: Vec<(String, String)> = step["env"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, v)| {
                let text = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
                (name.clone(), expression(&text))
            })
            .collect();
        let (code, text) = bash(dir, step["run"].as_str().unwrap(), &env);
        assert_eq!(code, 0, "partition {k}: the baseline holds every known failure\n{text}");
        assert!(text.contains(&format!("partition count:{k}/{}", partitions.len())), "{text}");
        assert!(!text.contains(USER.split_once(':').unwrap().1), "{text}");
    }
    let reports = glob(dir, publish["with"]["report_paths"].as_str().unwrap());
    assert_eq!(reports.len(), partitions.len(), "{reports:?}");
    // The jobs together ran the whole plan once.
    let (code, text) = bash(dir, "gauntlet run --dry-run", &staging);
    assert_eq!(code, 0, "{text}");
    let planned = text.lines().filter(|l| l.starts_with("retrieve-sip-endpoint ")).count();
    assert_eq!(testcases(dir, &reports), planned);
}

#[test]
fn the_gitlab_ci_recipe_runs_as_written_and_fails_on_a_new_violation() {
    let readme = readme();
    let clean = MockProcess::start(&["--user", USER]);
    let broken = MockProcess::start(&["--user", USER, "--fault", "server-error"]);
    let repo = repository(&readme);
    let dir = repo.path();
    let (code, text) = bash(
        dir,
        block(&readme, "## CI recipes", "sh").trim(),
        &[("GAUNTLET_BASE_URL".into(), clean.url.clone()), ("GAUNTLET_USER".into(), USER.into())],
    );
    assert_eq!(code, 0, "{text}");

    let pipeline: Value =
        gauntlet::openapi::parse_yaml(&block(&readme, "### GitLab CI", "yaml")).unwrap();
    let job = &pipeline["contract"];
    let total = job["parallel"].as_u64().unwrap();
    let install = job["before_script"][0].as_str().unwrap();
    assert_installs_this_package(install);
    let exports: String = job["variables"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("export {k}=\"{}\"\n", v.as_str().unwrap()))
        .collect();
    let script: Vec<&str> =
        job["script"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let junit = job["artifacts"]["reports"]["junit"].as_str().unwrap();
    assert_eq!(job["artifacts"]["when"], "always");
    for (url, wanted) in [(&clean.url, 0), (&broken.url, 1)] {
        let _ = std::fs::remove_dir_all(dir.join("reports"));
        for k in 1..=total {
            // GitLab's project variables and predefined parallel variables.
            let env = vec![
                ("STAGING_BASE_URL".to_owned(), url.clone()),
                ("GAUNTLET_USER".to_owned(), USER.to_owned()),
                ("SIP_ENDPOINT_ID".to_owned(), ENDPOINT.to_owned()),
                ("CI_NODE_INDEX".to_owned(), k.to_string()),
                ("CI_NODE_TOTAL".to_owned(), total.to_string()),
            ];
            let (code, text) = bash(dir, &format!("{exports}{}", script.join("\n")), &env);
            assert_eq!(code, wanted, "job {k}/{total} against {url}\n{text}");
        }
        assert_eq!(glob(dir, junit).len() as u64, total);
    }
}
