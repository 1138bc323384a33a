//! Leaf helpers with no domain types: one stable hash, durations as users write them.

pub mod atomic;
pub mod duration;
pub mod env;
pub mod fs;
pub mod hash;
pub mod limits;
pub mod text;

pub use hash::fnv1a;
