//! Integration tests: the `gauntlet` binary against real servers on 127.0.0.1, real files,
//! and the real corpus. One test binary, one link step.

mod support;

mod areas;
mod boundary;
mod cases;
mod chains;
mod checks_fire;
mod ci_features;
mod ci_recipe;
mod contract_harness;
mod corpus;
mod exit_codes;
mod frameworks;
mod fuzz;
mod generation;
mod hostile;
mod hostile_specs;
mod junit_schema;
mod logins;
mod mock;
mod openapi32;
mod peers;
mod pinning;
mod regression;
mod reports;
mod reuse;
mod secrets;
mod snapshots;
mod spec_gaps;
mod spec_url;
mod steps;
mod swagger2;
mod tls;
