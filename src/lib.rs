//! gauntlet puts an HTTP API through a gauntlet of valid and invalid requests and proves
//! whether it honours its OpenAPI contract.
//!
//! The pipeline: [`openapi`] reads the spec, [`generate`] and [`cases`] fill the [`plan`],
//! [`runner`] sends it, [`checks`] judge each exchange, [`baseline`] says what is already
//! known and [`report`] writes the verdict. [`engine`] is the one flow that joins them, for
//! every front end: [`cli`], [`contract`] (the `cargo test` harness) and [`fuzz`].

#![warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod baseline;
pub mod cases;
pub mod checks;
pub mod cli;
pub mod config;
pub mod contract;
pub mod credentials;
pub mod engine;
pub mod error;
pub mod fuzz;
pub mod generate;
pub mod http;
pub mod mock;
pub mod openapi;
pub mod plan;
pub mod report;
pub mod runner;
pub mod schema;
pub mod support;
pub mod target;
pub mod verdict;

pub use error::{Error, Result};
