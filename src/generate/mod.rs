//! Seeded, pure generation of scenarios from the operation model.
//!
//! For each operation: positive requests (valid values under every parameter schema, the
//! credentials), and negative requests that break exactly one thing (one parameter, the body,
//! or the credentials) while everything else stays valid. Every generated value is confirmed
//! with the compiled validator as the server will read it, so a "negative" is really invalid.

mod assign;
mod boundary;
mod chain;
pub mod invalid;
pub mod links;
mod media;
mod methods;
mod params;
mod pin;
mod reuse;
mod route;
mod scenario;
mod value;
pub mod xml;

pub use chain::{
    Chained, MAX_STEPS as MAX_CHAIN_STEPS, capture_name, chains, cleanups, set as set_param,
};
pub use invalid::{
    Candidate, Invalid, Rule, for_schema as invalid_texts, invalid_values, uuid_battery,
};
pub use media::{Writer, decode as decode_body, encode as encode_body, writer};
pub use params::{
    coerce, encode_segment, primitive_text, read_param, serialize, wire_char, wire_safe,
};
pub use pin::Pin;
pub use reuse::reuse;
pub use route::Router;
pub use scenario::Generator;
pub use value::ValueGen;
