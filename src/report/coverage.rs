//! [`Coverage`]: what the run exercised against what the spec declares — operations tested,
//! documented statuses seen, parameters sent valid and invalid, enum values sent, the rules
//! negatives broke, media types sent and received, and the checks that ran or were skipped
//! (with why). Built once with the report; `--min-coverage` reads its totals.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::openapi::{Operation, StatusKey, resolve_ref};
use crate::plan::{Kind, Plan};
use crate::runner::RunResult;

/// Covered out of declared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ratio {
    /// Declared things that were exercised.
    pub covered: usize,
    /// Declared things.
    pub total: usize,
}

impl Ratio {
    /// The share covered, in percent (100 when nothing is declared).
    pub fn percent(self) -> f64 {
        if self.total == 0 { 100.0 } else { self.covered as f64 * 100.0 / self.total as f64 }
    }

    fn add(&mut self, covered: bool) {
        self.total += 1;
        self.covered += usize::from(covered);
    }
}

/// What one operation's scenarios exercised.
#[derive(Debug, Clone, Default)]
pub struct OperationCoverage {
    /// Whether any of its scenarios finished.
    pub tested: bool,
    /// Each documented status key (`200`, `4XX`, `default`) and whether an answer fell under it.
    pub statuses: Vec<(String, bool)>,
    /// Statuses answered that the spec does not document.
    pub undocumented: Vec<u16>,
    /// Each parameter (`query.limit`): sent valid, sent invalid.
    pub parameters: Vec<(String, bool, bool)>,
    /// Each enum parameter's values and whether each was sent.
    pub enums: Vec<(String, Vec<(String, bool)>)>,
    /// The rules its negative scenarios broke (`path.id: not-uuid`).
    pub negatives: Vec<String>,
    /// Media types of the request bodies sent.
    pub sent: Vec<String>,
    /// Media types answered.
    pub received: Vec<String>,
}

/// A check that ran, or did not and why.
#[derive(Debug, Clone)]
pub struct CheckCoverage {
    /// The check's name.
    pub name: &'static str,
    /// Why it did not run (`None`: it ran).
    pub skipped: Option<String>,
}

/// The run's coverage of the spec.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Per operation, in [`super::RunReport::operations`] order.
    pub operations: Vec<OperationCoverage>,
    /// The checks.
    pub checks: Vec<CheckCoverage>,
    /// Operations tested of those declared (the spec's, not only the plan's).
    pub operations_total: Ratio,
    /// Documented statuses (`default` aside) seen.
    pub statuses: Ratio,
    /// Parameters sent with a valid value.
    pub parameters: Ratio,
    /// Parameters sent with an invalid value.
    pub invalid_parameters: Ratio,
    /// Enum values sent.
    pub enums: Ratio,
}

/// The names `--min-coverage` accepts, with what each measures.
pub const MEASURES: &[(&str, &str)] = &[
    ("operations", "operations of the spec tested"),
    ("statuses", "documented statuses (default aside) seen"),
    ("parameters", "parameters sent with a valid value"),
    ("invalid-parameters", "parameters sent with an invalid value"),
    ("enums", "enum values of parameters sent"),
];

impl Coverage {
    /// The ratio named `measure` (one of [`MEASURES`]).
    pub fn measure(&self, measure: &str) -> Option<Ratio> {
        Some(match measure {
            "operations" => self.operations_total,
            "statuses" => self.statuses,
            "parameters" => self.parameters,
            "invalid-parameters" => self.invalid_parameters,
            "enums" => self.enums,
            _ => return None,
        })
    }

    /// What `plan` and `run` exercised of `doc` (the bundled document), `declared` the
    /// number of operations the spec has. `enabled` says whether a check ran;
    /// `has_credentials` whether the run had any.
    pub fn build(
        doc: &Value,
        plan: &Plan,
        run: &RunResult,
        declared: usize,
        enabled: impl Fn(&str) -> bool,
        has_credentials: bool,
    ) -> Coverage {
        let mut seen: Vec<Seen> = vec![Seen::default(); plan.operations.len()];
        for (index, result) in run.finished() {
            let scenario = &plan.scenarios[index];
            for (step, r) in scenario.steps.iter().zip(&result.steps) {
                let op = &plan.operations[step.operation];
                let s = &mut seen[step.operation];
                s.tested = true;
                s.statuses.extend(r.status);
                s.received.extend(r.media.clone());
                s.sent.extend(
                    step.request.body.as_ref().map(|b| crate::checks::essence(&b.content_type)),
                );
                match &scenario.kind {
                    Kind::Negative { target, rule } => {
                        s.invalid.insert(target.clone());
                        s.negatives.insert(format!("{target}: {rule}"));
                    }
                    Kind::Positive | Kind::Case { .. } => {
                        for (name, value) in step.inputs(op) {
                            s.valid.entry(name).or_default().insert(value);
                        }
                    }
                }
            }
        }
        let mut coverage = Coverage::default();
        for (op, s) in plan.operations.iter().zip(seen) {
            let shown = operation(doc, op, s, &mut coverage);
            coverage.operations.push(shown);
        }
        coverage.operations_total = Ratio {
            covered: coverage.operations.iter().filter(|o| o.tested).count(),
            total: declared.max(plan.operations.len()),
        };
        coverage.checks = checks(plan, &enabled, has_credentials);
        coverage
    }
}

/// What the scenarios of one operation showed.
#[derive(Debug, Clone, Default)]
struct Seen {
    tested: bool,
    statuses: BTreeSet<u16>,
    valid: BTreeMap<String, BTreeSet<String>>,
    invalid: BTreeSet<String>,
    negatives: BTreeSet<String>,
    sent: BTreeSet<String>,
    received: BTreeSet<String>,
}

fn operation(doc: &Value, op: &Operation, s: Seen, totals: &mut Coverage) -> OperationCoverage {
    let mut out = OperationCoverage { tested: s.tested, ..Default::default() };
    for response in &op.responses {
        let hit = s
            .statuses
            .iter()
            .any(|&code| op.response_for(code).is_some_and(|r| r.status == response.status));
        if response.status != StatusKey::Default {
            totals.statuses.add(hit);
        }
        out.statuses.push((response.status.to_string(), hit));
    }
    out.undocumented =
        s.statuses.iter().copied().filter(|&c| op.response_for(c).is_none()).collect();
    for p in &op.parameters {
        let name = format!("{}.{}", p.location.as_str(), p.name);
        let values = s.valid.get(&name);
        let (valid, invalid) = (values.is_some(), s.invalid.contains(&name));
        totals.parameters.add(valid);
        totals.invalid_parameters.add(invalid);
        if let Some(choices) = p.schema.as_ref().and_then(|r| enum_values(doc, &r.pointer)) {
            let sent: Vec<(String, bool)> = choices
                .into_iter()
                .map(|v| {
                    let hit = values.is_some_and(|set| set.contains(&v));
                    totals.enums.add(hit);
                    (v, hit)
                })
                .collect();
            out.enums.push((name.clone(), sent));
        }
        out.parameters.push((name, valid, invalid));
    }
    out.negatives = s.negatives.into_iter().collect();
    out.sent = s.sent.into_iter().collect();
    out.received = s.received.into_iter().collect();
    out
}

/// The values of a parameter schema's `enum` (through `$ref`s), as they are sent.
fn enum_values(doc: &Value, pointer: &str) -> Option<Vec<String>> {
    let schema = doc.pointer(pointer)?;
    let (schema, _) = resolve_ref(doc, schema).ok()?;
    let values = schema.get("enum")?.as_array()?;
    Some(
        values
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
    )
}

/// Every check, and why one did not run.
fn checks(
    plan: &Plan,
    enabled: &dyn Fn(&str) -> bool,
    has_credentials: bool,
) -> Vec<CheckCoverage> {
    use crate::checks::names;
    let has = |f: &dyn Fn(&Kind) -> bool| plan.scenarios.iter().any(|s| f(&s.kind));
    let secured = plan.operations.iter().any(Operation::requires_auth);
    names()
        .map(|name| {
            let skipped = if !enabled(name) {
                Some("turned off (--check or gauntlet.toml)".to_owned())
            } else {
                match name {
                    "case_expectation" if !has(&|k| matches!(k, Kind::Case { .. })) => {
                        Some("no case files".to_owned())
                    }
                    "negative_data_rejection" if !has(&|k| matches!(k, Kind::Negative { .. })) => {
                        Some("no negative scenario could be generated".to_owned())
                    }
                    "auth_enforced" if !secured => Some("no operation is secured".to_owned()),
                    "positive_data_acceptance" if secured && !has_credentials => Some(
                        "no credentials (--user, --bearer, --api-key): secured operations cannot be accepted".to_owned(),
                    ),
                    _ => None,
                }
            };
            CheckCoverage { name, skipped }
        })
        .collect()
}
