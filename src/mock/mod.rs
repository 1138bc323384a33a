//! The built-in mock: a server made from the same operation model and value generator, which
//! answers every operation with schema-valid data, enforces credentials and parameter schemas,
//! and can break its own contract in named ways ([`Fault`]) so the harness can prove each check.
//!
//! [`Mock::respond`] is pure (request in, response out); [`server`] puts it on a socket.

mod fault;
mod respond;
mod route;
mod server;
mod state;

pub use fault::{CharClass, Fault, LetterCase, Trigger, faults};
pub use respond::{Mock, MockConfig, MockRequest, MockResponse};
pub use route::{Route, Routes};
pub use server::{Running, bind, serve, spawn};
