//! The contract as `cargo test` trials: every scenario of the plan `gauntlet run` would send
//! (generated and from `cases/`) is one trial named `operation::label`, so `--list`, name
//! filters, `--skip` and `--exact` work as for any Rust test.
//!
//! Target: `GAUNTLET_BASE_URL` (with `GAUNTLET_USER`), else the built-in mock in-process.
//! `GAUNTLET_SPEC`, `GAUNTLET_SEED` and `GAUNTLET_MAX_EXAMPLES` shape the plan as the flags of
//! `gauntlet run` do; `GAUNTLET_JUNIT=FILE` also writes the JUnit report; the trials of
//! scenarios with an entry in `GAUNTLET_BASELINE` are ignored (`-- --ignored` runs them).

use std::process::ExitCode;
use std::sync::Arc;

use gauntlet::contract::Contract;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let contract = match Contract::from_env() {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.list {
        eprintln!("{}", contract.describe());
    }
    let trials = (0..contract.plan().scenarios.len())
        .map(|index| {
            let contract = Arc::clone(&contract);
            let known = contract.known(index);
            Trial::test(contract.trial_name(index), move || {
                contract.check(index).map_err(Failed::from)
            })
            .with_ignored_flag(known)
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let junit = std::env::var_os("GAUNTLET_JUNIT").filter(|p| !p.is_empty());
    if let Some(Err(e)) = junit.map(|path| contract.write_junit(std::path::Path::new(&path))) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    conclusion.exit_code()
}
