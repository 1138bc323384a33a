//! gauntlet puts an HTTP API through a gauntlet of valid and invalid requests and proves
//! whether it honours its OpenAPI contract.
//!
//! The pipeline: [`openapi`] reads the spec, [`generate`] and [`cases`] make the [`plan`],
//! [`runner`] sends it, [`checks`] judge each exchange and [`report`] writes the verdict.

pub mod cases;
pub mod checks;
pub mod cli;
pub mod credentials;
pub mod error;
pub mod exchange;
pub mod openapi;
pub mod generate;
pub mod plan;
pub mod report;
pub mod runner;
pub mod schema;

pub use error::{Error, Result};
