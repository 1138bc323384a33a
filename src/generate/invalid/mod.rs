//! One producer of invalid values. Every way gauntlet breaks a value is a [`Rule`], and each
//! rule's label (`too-short`, `missing-required-property:id`, `codecs.too-long`) is made in one
//! place. Three views share the rules and the bad values behind them:
//! - [`value`]: JSON values that break one rule of a schema (request bodies);
//! - [`text`]: parameter texts that break one rule as a server reads them (path, query,
//!   header, cookie), including the UUID battery;
//! - [`response`]: response bodies the built-in mock breaks on purpose (its faults).
//!
//! Candidates are proposals: the generator keeps one only when the compiled validator rejects
//! it as the server will read it, so a label can be trusted to name a rule that really fails.

mod response;
mod rule;
mod text;
mod value;

pub use response::break_each_property;
pub use rule::{Rule, UuidBreak, bad_format};
pub use text::{Candidate, for_schema, uuid_battery};
pub(crate) use value::resolved as folded;
pub use value::{Invalid, invalid_values};
