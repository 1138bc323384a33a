//! The one run flow that every front end shares. `gauntlet run`, `gauntlet.toml`, the
//! `cargo test` harness and `gauntlet fuzz` each fill in [`RunOptions`]; [`prepare`] turns
//! them into a plan with its compiled schemas, and [`run`] sends it to the target, judges
//! it against the baseline and writes the reports.
//!
//! Where does a run happen? Here: [`run`].

pub mod fetch;
mod options;
mod prepare;
mod run;
mod signal;

pub use options::{
    DEFAULT_CONCURRENCY, DEFAULT_JUNIT, DEFAULT_MAX_BODY, DEFAULT_MAX_EXAMPLES, DEFAULT_MOCK_PORT,
    DEFAULT_SPEC, DEFAULT_TIMEOUT, RATE_LIMITS, RunOptions, check_rate, overlay_list,
    parse_min_coverage,
};
pub use prepare::{Prepared, build, prepare, select, without_credentials};
pub use run::{fetch_spec, ready_login, run, run_config, runtime, target};
pub use signal::stop_requested;
