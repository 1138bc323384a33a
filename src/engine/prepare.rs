//! From options to something to send: the spec loaded, the operations chosen, the schemas
//! compiled, the plan generated (case files included) and cut to its partition.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::RunOptions;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::openapi::{self, Operation, Spec};
use crate::plan::{Kind, Plan, Scenario};
use crate::schema::Validators;

/// A run ready to be sent.
pub struct Prepared {
    /// The document.
    pub spec: Arc<Spec>,
    /// Every operation of the document (routing and the mock need them all).
    pub all_operations: Vec<Operation>,
    /// What will be sent (the partition's share, when one is asked).
    pub plan: Plan,
    /// The compiled schemas of the planned operations.
    pub validators: Arc<Validators>,
    /// Scenarios in the whole plan, before partitioning.
    pub planned: usize,
    /// The seed the plan was generated with.
    pub seed: u64,
}

impl Prepared {
    /// The notes to show before a run: what could not be planned, schemas not compiled.
    pub fn notes(&self) -> Vec<String> {
        let mut out = self.plan.notes.clone();
        out.extend(self.validators.warnings.iter().map(|(p, m)| {
            format!(
                "schema {} not compiled, its checks are skipped: {}",
                self.spec.written(p),
                crate::support::text::truncate(m, 200)
            )
        }));
        out
    }
}

/// Loads the spec, selects the operations, builds the plan and applies the partition.
pub fn prepare(options: &RunOptions) -> Result<Prepared> {
    let spec = Arc::new(openapi::load_within(&options.spec, options.ref_root.as_deref())?);
    let mut all_operations = openapi::operations(&spec)?;
    for op in &mut all_operations {
        op.choose_auth(|scheme| options.credentials.covers(scheme));
    }
    let selected = select(&all_operations, &options.operations)?;
    let seed = options.seed.unwrap_or_else(crate::target::random_seed);
    let input = Inputs {
        seed,
        max_examples: options.max_examples,
        cases: &options.cases,
        pins: &options.pins,
        chains: options.chains,
        others: options.identities.iter().map(|(n, _)| n.as_str()).collect(),
        chain_steps: options.chain_steps,
    };
    let (mut plan, validators) = build(&spec, &all_operations, &selected, &input)?;
    // Probes of undeclared methods serve one check: without it they would only cost requests.
    if !options.checks.enabled(crate::checks::UNSUPPORTED_METHOD) {
        plan.scenarios.retain(|s| !s.kind.is_method_probe());
    }
    let planned = plan.scenarios.len();
    let plan = match options.partition {
        Some(p) => p.apply(plan),
        None => plan,
    };
    let validators = Arc::new(validators);
    Ok(Prepared { spec, all_operations, plan, validators, planned, seed })
}

/// Leaves out of `plan` what an operation secured by a scheme that `credentials` do not
/// cover would send only to be refused at the door: its valid requests and its invalid
/// inputs. Its credential checks, method and routing probes and the case-file steps that do
/// not use the run's credentials stay, and the
/// operation is listed as untested in part. Returns one note per flag that would give the
/// missing credential, said once before the run.
pub fn without_credentials(plan: &mut Plan, credentials: &Credentials) -> Vec<String> {
    let missing: Vec<Option<&'static str>> = plan
        .operations
        .iter()
        .map(|op| {
            let scheme = op.auth.iter().find(|s| !credentials.covers(s));
            scheme.filter(|_| op.requires_auth()).and_then(Credentials::flag)
        })
        .collect();
    if missing.iter().all(Option::is_none) {
        return Vec::new();
    }
    // What needs no credential to mean something: missing or malformed credentials, probes
    // the router answers, and case-file steps that bring their own secrets.
    let own = |s: &Scenario| {
        s.steps.iter().all(|t| !t.request.auth.needs_credentials() || !t.request.secrets.is_empty())
    };
    plan.scenarios.retain(|s| {
        missing[s.operation()].is_none()
            || (s.kind.is_auth_negative() && own(s))
            || s.kind.is_method_probe()
            || s.kind.is_routing_probe()
            || (matches!(s.kind, Kind::Case { .. }) && own(s))
    });
    let mut by_flag: Vec<(&str, Vec<&str>)> = Vec::new();
    for (index, flag) in missing.iter().enumerate() {
        let Some(flag) = *flag else { continue };
        let id = plan.operations[index].id.as_str();
        match by_flag.iter_mut().find(|(f, _)| *f == flag) {
            Some((_, ids)) => ids.push(id),
            None => by_flag.push((flag, vec![id])),
        }
        if !plan.untested.iter().any(|(i, _)| *i == index) {
            let why = format!(
                "no credentials ({flag}): its valid and invalid-input requests were not sent, only its credential checks"
            );
            plan.untested.push((index, why));
        }
    }
    plan.untested.sort_by_key(|(i, _)| *i);
    by_flag
        .into_iter()
        .map(|(flag, ids)| {
            let more = if ids.len() > 3 { format!(", and {} more", ids.len() - 3) } else { String::new() };
            format!(
                "no credentials for {} secured operation(s) ({}{more}): give {flag}; until then their valid and invalid-input requests are not tested, only their credential checks",
                ids.len(),
                ids.iter().take(3).copied().collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

/// The operations named by `--operation` (all when none are).
pub fn select(all: &[Operation], wanted: &[String]) -> Result<Vec<usize>> {
    if wanted.is_empty() {
        return Ok((0..all.len()).collect());
    }
    wanted
        .iter()
        .map(|id| {
            all.iter().position(|o| &o.id == id).ok_or_else(|| {
                let known: Vec<&str> = all.iter().take(10).map(|o| o.id.as_str()).collect();
                Error::flag(
                    "--operation",
                    format!(
                        "unknown operation '{id}' (known: {}{})",
                        known.join(", "),
                        if all.len() > 10 { ", ..." } else { "" }
                    ),
                )
            })
        })
        .collect()
}

/// What a plan is generated from, besides the spec and the operations.
pub struct Inputs<'a> {
    /// The generation seed.
    pub seed: u64,
    /// Valid examples per operation.
    pub max_examples: usize,
    /// Case files or folders given (`cases/` when none).
    pub cases: &'a [PathBuf],
    /// Pinned parameters.
    pub pins: &'a [crate::generate::Pin],
    /// Chains of requests from the link graph are planned.
    pub chains: bool,
    /// The other identities, by name, for chains that cross from the run's own to each.
    pub others: Vec<&'a str>,
    /// The longest chain planned.
    pub chain_steps: usize,
}

/// Compiles the schemas the selected operations use and generates their scenarios, then adds
/// the case files. A pin that no selected operation has, or whose value a parameter's schema
/// rejects, is a `--param` error.
pub fn build(
    spec: &Spec,
    all_ops: &[Operation],
    selected: &[usize],
    input: &Inputs<'_>,
) -> Result<(Plan, Validators)> {
    let (seed, case_paths) = (input.seed, input.cases);
    let operations: Vec<Operation> = selected.iter().map(|&i| all_ops[i].clone()).collect();
    let validators = Validators::for_operations(spec, &operations);
    let generator = crate::generate::Generator::new(
        spec.request_doc(),
        &validators,
        all_ops.iter().map(|o| o.path.clone()),
        input.max_examples,
    )
    .with_pins(input.pins.to_vec());
    for pin in input.pins {
        let mut found = false;
        for op in &operations {
            for param in op.parameters.iter().filter(|p| pin.is_for(p)) {
                found = true;
                if !generator.pin_accepted(param) {
                    return Err(Error::flag(
                        "--param",
                        format!(
                            "{}: the schema of {} in {} rejects this value",
                            pin.key(),
                            pin.key(),
                            op.id
                        ),
                    ));
                }
            }
        }
        if !found {
            return Err(Error::flag(
                "--param",
                format!("{}: no selected operation has this parameter", pin.key()),
            ));
        }
    }
    let mut notes = Vec::new();
    let mut untested = Vec::new();
    let mut per_op: Vec<Vec<Scenario>> = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        match generator.operation(index, op, seed) {
            Ok(generated) => per_op.push(generated),
            Err(why) => {
                notes.push(crate::plan::untested_note(&op.id, &why));
                untested.push((index, why));
                per_op.push(Vec::new());
            }
        }
    }
    let mut cleanup = Default::default();
    let mut reuse = Default::default();
    if input.chains && input.chain_steps >= 2 {
        let links = crate::generate::links::links(spec.response_doc(), &operations);
        let bases: Vec<Option<crate::plan::RequestSpec>> = per_op
            .iter()
            .map(|s| {
                s.iter().find(|s| s.label == "positive/base").map(|s| s.first().request.clone())
            })
            .collect();
        let chained = crate::generate::Chained {
            others: &input.others,
            requests: spec.request_doc(),
            responses: spec.response_doc(),
            max_steps: input.chain_steps,
        };
        for (index, chain) in crate::generate::chains(&operations, &links, &bases, &chained) {
            per_op[index].push(chain);
        }
        cleanup = crate::generate::cleanups(&operations, &links, &bases);
        let listed = crate::generate::links::listed(spec.response_doc(), &operations);
        reuse = crate::generate::reuse(&operations, &links, &listed, &bases);
    }
    let declared = crate::plan::declared_methods(all_ops);
    generator.method_probes(&declared, &operations, &mut per_op);
    let (case_files, strict) = if case_paths.is_empty() {
        let default = Path::new("cases");
        (if default.is_dir() { crate::cases::files(default)? } else { Vec::new() }, false)
    } else {
        let mut files = Vec::new();
        for p in case_paths {
            if !p.exists() {
                return Err(Error::flag(
                    "--cases",
                    format!("{}: no such file or folder", p.display()),
                ));
            }
            files.extend(crate::cases::files(p)?);
        }
        (files, true)
    };
    for file in case_files {
        let loaded = match crate::cases::load(&file, all_ops) {
            Ok(loaded) => loaded,
            Err(Error::Case { message, .. })
                if !strict && message.starts_with(crate::cases::UNKNOWN_OPERATION) =>
            {
                notes.push(format!(
                    "{}: skipped, its operation is not in this spec",
                    file.display()
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        for mut case in loaded {
            if let Some(index) = selected.iter().position(|&i| i == case.operation()) {
                case.first_mut().operation = index;
                per_op[index].push(case);
            }
        }
    }
    // Sized once: a plan is the largest thing a run holds.
    let mut scenarios = Vec::with_capacity(per_op.iter().map(Vec::len).sum());
    for op in per_op {
        scenarios.extend(op);
    }
    Ok((
        Plan { operations, scenarios, seed, notes, untested, declared, cleanup, reuse },
        validators,
    ))
}
