//! Sending the plan: a [`Session`] sends one scenario, step by step, and checks each answer
//! as it arrives; [`run`] sends a whole plan with bounded concurrency and an optional rate
//! limit, and stops on cancellation.
//!
//! The runner keeps, per step, a small result (status, failures, a redacted excerpt when
//! something failed); it never keeps passing bodies, so memory stays flat as runs grow.
//! A scenario that did not finish has no result at all: it can never read as passed.

mod chain;
mod cleanup;
mod pool;
mod result;
mod reuse;
mod session;
mod token;

pub use cleanup::Cleaned;
pub use pool::run;
pub use result::{Progress, RunResult, ScenarioResult, StepResult};
pub use session::{MAX_RETRIES, RunConfig, Session};
pub use token::{LoginCounts, Tokens, with_spec_token_url};
