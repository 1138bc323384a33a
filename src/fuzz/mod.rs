//! `gauntlet fuzz`: property-based fuzzing of every parameter, the fields of a body (nested
//! ones too) and credentials with proptest, every check on every response, failures shrunk
//! against the live target, each distinct one saved (`reports/fuzz/<id>.json`) to be replayed.
//!
//! [`strategy`] says what is drawn, [`text`] how strings shrink, [`dictionary`] holds the
//! values that break real servers, [`bytes`] carries raw bytes that are not UTF-8 to the
//! wire, [`engine`] runs and shrinks, [`record`] saves and replays.

pub mod bytes;
pub mod command;
pub mod dictionary;
pub mod engine;
pub mod record;
pub mod strategy;
pub mod text;

pub use engine::{Finding, FuzzConfig, FuzzOutcome, FuzzProgress, Key, fuzz};
pub use record::Record;
pub use strategy::{OperationFuzz, Place};
