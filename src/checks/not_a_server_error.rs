//! `not_a_server_error`: no 5xx, documented or not.

use super::{Context, Failure};

/// The check's name.
pub const NAME: &str = "not_a_server_error";

/// Fails on any 5xx status.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    let status = ctx.response.status;
    (status >= 500).then(|| Failure {
        check: NAME,
        title: format!("server error {status}"),
        expected: "a status below 500".into(),
        details: Vec::new(),
    })
}
