//! `negative_data_rejection`: a request with invalid data gets a documented 4xx.

use super::{Context, Failure, documented_statuses};
use crate::plan::Kind;

/// The check's name.
pub const NAME: &str = "negative_data_rejection";

/// Its code, severity and explanation (`gauntlet explain GA105`).
pub const RULE: super::Rule = super::Rule {
    code: "GA105",
    name: NAME,
    severity: super::Severity::Error,
    summary: "a request with invalid data gets a documented 4xx",
    why: "a server that accepts what its schema forbids stores bad data or fails later; the 4xx is the contract's promise to clients",
    fix: "validate the input the schema describes (or relax the schema to what the server really accepts)",
};

/// Fails when a negative (non-credential) scenario is answered with anything but a documented
/// 4xx. A 5xx is left to `not_a_server_error`, a required header left out to
/// `missing_required_header`.
pub fn check(ctx: &Context<'_>) -> Option<Failure> {
    // The responses document the operation's own method; `unsupported_method` judges probes.
    if ctx.scenario.kind.is_method_probe()
        || super::is_spec_gap(ctx)
        || super::judged_as_missing_header(ctx)
    {
        return None;
    }
    let Kind::Negative { target, rule } = &ctx.scenario.kind else { return None };
    if target == "auth" {
        return None;
    }
    let status = ctx.response.status;
    if status >= 500 {
        return None;
    }
    if let Some(verdict) =
        super::configured(ctx, NAME, |s| format!("invalid {target} ({rule}) answered {s}"))
    {
        return verdict;
    }
    let documented =
        ctx.operation.response_for(status).is_some() || ctx.operation.responses.is_empty();
    if (400..500).contains(&status) && documented {
        return None;
    }
    let title = if (400..500).contains(&status) {
        format!("invalid {target} ({rule}) rejected with undocumented {status}")
    } else {
        format!("invalid {target} accepted with {status}")
    };
    Some(Failure {
        check: NAME,
        title,
        expected: format!("a documented 4xx (documented: {})", documented_statuses(ctx.operation)),
        details: Vec::new(),
    })
}
