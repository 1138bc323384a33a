//! Chains: scenarios of several steps built from the link graph, each step's request the
//! operation's valid base request with the linked values put in by the runner.
//!
//! Per producer: create → read (the read must find it: `ensure_resource_availability`),
//! create → update → read, create → delete → read (the read must not find it:
//! `use_after_free`), create → each nested read, and where the read needs credentials, create
//! → read with none (`auth_enforced`). A chain is reported under its producer
//! (`chain/create-delete-read/getThing`); every single-request check judges every step.

use std::collections::HashMap;

use super::links::Link;
use crate::openapi::{Location, Operation};
use crate::plan::{Capture, CaptureFrom, Kind, RequestSpec, Role, Scenario, Site, Step, Use};

/// The longest chain built by default, and the longest shape there is.
pub const MAX_STEPS: usize = 3;

/// What chains beyond the link graph need.
pub struct Chained<'a> {
    /// Other identities: chains then read, update and delete the run's own resources as each
    /// (the first's labels end in the operation, the others' in `/NAME` after it).
    pub others: &'a [&'a str],
    /// The request view of the spec (what a create declares).
    pub requests: &'a serde_json::Value,
    /// The response view (what a read answers with).
    pub responses: &'a serde_json::Value,
    /// The longest chain kept (`--chain-steps`); a longer shape is not planned.
    pub max_steps: usize,
}

/// The chains of `links` between `ops`, each with the index of the operation it is reported
/// under; `bases` holds each operation's valid base request (`None`: it has none, so it is
/// in no chain).
pub fn chains(
    ops: &[Operation],
    links: &[Link],
    bases: &[Option<RequestSpec>],
    more: &Chained<'_>,
) -> Vec<(usize, Scenario)> {
    let mut by_producer: HashMap<usize, Vec<&Link>> = HashMap::new();
    for link in links {
        by_producer.entry(link.producer).or_default().push(link);
    }
    let mut producers: Vec<usize> = by_producer.keys().copied().collect();
    producers.sort_unstable();
    let mut out = Vec::new();
    for p in producers {
        let Some(create) = bases[p].as_ref() else { continue };
        let consumers = &by_producer[&p];
        let item = |method: &str| {
            // The consumer on the item path itself (`/things/{id}`), not a nested one.
            let mut found: Vec<&&Link> =
                consumers.iter().filter(|l| ops[l.consumer].method == method).collect();
            found.sort_by_key(|l| ops[l.consumer].path.segment_count());
            found.into_iter().find(|l| bases[l.consumer].is_some()).copied()
        };
        let read = item("GET");
        let read_path = read.map(|l| ops[l.consumer].path.segment_count());
        let producer = Step { captures: captures(consumers), ..Step::new(p, create.clone()) };
        let step = |link: &Link, role: Option<Role>| {
            let (request, uses) =
                linked(&ops[link.consumer], link, bases, create, &ops[p], Copied::FromBase);
            Step { uses, role, ..Step::new(link.consumer, request) }
        };
        // The same step sent by the other identity.
        let foreign = |link: &Link, other: &str| Step {
            identity: Some(other.to_owned()),
            ..step(link, Some(Role::Foreign))
        };
        let mut push = |name: &str, consumer: &str, steps: Vec<Step>| {
            if steps.len() > more.max_steps {
                return;
            }
            let label = format!("chain/{name}/{consumer}");
            out.push((p, Scenario { label, kind: Kind::Positive, steps }));
        };
        if let Some(r) = read {
            let steps = vec![producer.clone(), step(r, Some(Role::Available))];
            push("create-read", &ops[r.consumer].id, steps);
        }
        for method in ["PUT", "PATCH"] {
            let Some(u) = item(method) else { continue };
            let mut steps = vec![producer.clone(), step(u, None)];
            if let Some(r) = read.filter(|_| more.max_steps >= 3) {
                steps.push(step(r, Some(Role::Available)));
            }
            push("create-update-read", &ops[u.consumer].id, steps);
        }
        if let Some(d) = item("DELETE") {
            let mut steps = vec![producer.clone(), step(d, None)];
            // Only the read of the same item path shows the delete took effect.
            if let Some(r) = read.filter(|r| {
                more.max_steps >= 3
                    && ops[r.consumer].path.segment_count() == ops[d.consumer].path.segment_count()
            }) {
                steps.push(step(r, Some(Role::Gone)));
            }
            push("create-delete-read", &ops[d.consumer].id, steps);
        }
        // Nobody at all reads what the run's own created: a server that checks credentials
        // only for ids it holds passes every random id's auth negative.
        if let Some(r) = read.filter(|r| ops[r.consumer].requires_auth()) {
            let mut anonymous = step(r, Some(Role::Anonymous));
            anonymous.request.auth = crate::plan::AuthMode::Omit;
            push("anonymous-read", &ops[r.consumer].id, vec![producer.clone(), anonymous]);
        }
        // Other identities read, update and delete what the run's own created.
        // Only where the read needs credentials: an open API has no owner to cross.
        let others = match read.filter(|r| ops[r.consumer].requires_auth()) {
            Some(r) => more.others.iter().map(|o| (r, *o)).collect(),
            None => Vec::new(),
        };
        for (i, (r, other)) in others.into_iter().enumerate() {
            let named = |id: &str| match i {
                0 => id.to_owned(),
                _ => format!("{id}/{other}"),
            };
            let steps = vec![producer.clone(), step(r, None), foreign(r, other)];
            push("foreign-read", &named(&ops[r.consumer].id), steps);
            for method in ["PUT", "PATCH", "DELETE"] {
                let Some(w) = item(method).filter(|w| ops[w.consumer].requires_auth()) else {
                    continue;
                };
                let steps =
                    vec![producer.clone(), foreign(w, other), step(r, Some(Role::Unchanged))];
                push("foreign-write", &named(&ops[w.consumer].id), steps);
            }
        }
        // A create, or an update, carrying what only the server should set, read back.
        if let Some(r) = read {
            let skip: Vec<String> = producer
                .captures
                .iter()
                .filter_map(|c| match &c.from {
                    CaptureFrom::Body(pointer) => pointer.rsplit('/').next().map(str::to_owned),
                    _ => None,
                })
                .collect();
            let read_back = |names| step(r, Some(Role::Assigned(names)));
            if let Some((carrying, names)) = carrying(ops, &producer, &ops[r.consumer], &skip, more)
            {
                push("mass-assignment", &ops[r.consumer].id, vec![carrying, read_back(names)]);
            }
            for method in ["PUT", "PATCH"] {
                let Some(u) = item(method) else { continue };
                let update = step(u, None);
                let Some((carrying, names)) = carrying(ops, &update, &ops[r.consumer], &skip, more)
                else {
                    continue;
                };
                let steps = vec![producer.clone(), carrying, read_back(names)];
                push("mass-assignment", &ops[u.consumer].id, steps);
            }
        }
        // Reads of what lives under the new resource (`/things/{id}/parts`).
        for nested in consumers.iter().filter(|l| {
            ops[l.consumer].method == "GET"
                && read_path.is_some_and(|n| ops[l.consumer].path.segment_count() > n)
                && bases[l.consumer].is_some()
        }) {
            push(
                "create-read",
                &ops[nested.consumer].id,
                vec![producer.clone(), step(nested, None)],
            );
        }
    }
    out
}

/// `write` (a create or an update) with its JSON body carrying the properties `read`'s answer
/// declares and the write's request schema does not (but those in `skip`), and their names;
/// `None` when there are none or the body is not JSON.
fn carrying(
    ops: &[Operation],
    write: &Step,
    read: &Operation,
    skip: &[String],
    more: &Chained<'_>,
) -> Option<(Step, Vec<String>)> {
    let extras =
        super::assign::extras(more.requests, more.responses, &ops[write.operation], read, skip);
    if extras.is_empty() {
        return None;
    }
    let mut carrying = write.clone();
    let body = carrying.request.body.as_mut().filter(|b| b.content_type.contains("json"))?;
    body.bytes = super::assign::carry(&body.bytes, &extras)?;
    carrying.role = Some(Role::Carries);
    Some((carrying, extras.into_iter().map(|(n, _)| n).collect()))
}

/// Per producer with a DELETE on its item path: what to read from its answers and the
/// DELETE that removes what it created.
pub fn cleanups(
    ops: &[Operation],
    links: &[Link],
    bases: &[Option<RequestSpec>],
) -> std::collections::BTreeMap<usize, crate::plan::Cleanup> {
    let mut out = std::collections::BTreeMap::new();
    for link in links {
        if out.contains_key(&link.producer)
            || ops[link.consumer].method != "DELETE"
            || bases[link.consumer].is_none()
        {
            continue;
        }
        let Some(create) = bases[link.producer].as_ref() else { continue };
        if link.body.is_some() {
            continue;
        }
        // Each create's own values: what its answer gave, and what its request named (the
        // parent of a nested resource, `/orgs/{org}/things`), so any create's is removed.
        let (consumer, producer) = (&ops[link.consumer], &ops[link.producer]);
        let (request, uses) = linked(consumer, link, bases, create, producer, Copied::Marked);
        let delete = Step { uses, ..Step::new(link.consumer, request) };
        let mut captures = captures(&[link]);
        for b in link.bindings.iter().filter(|b| matches!(b.from, CaptureFrom::Request(_))) {
            captures.push(Capture { name: capture_name(&b.from), from: b.from.clone() });
        }
        out.insert(link.producer, crate::plan::Cleanup { captures, delete });
    }
    out
}

/// The name a capture from `from` goes by (a shell variable in `curl` lines).
pub fn capture_name(from: &CaptureFrom) -> String {
    let raw = match from {
        CaptureFrom::Body(pointer) => pointer.trim_start_matches('/').replace('/', "_"),
        CaptureFrom::Header(name) => name.to_ascii_lowercase(),
        CaptureFrom::HeaderTail(name) => format!("{}_id", name.to_ascii_lowercase()),
        CaptureFrom::Request(key) => key.replace('.', "_"),
        CaptureFrom::Constant(_) => "constant".into(),
    };
    let safe: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if safe.is_empty() || safe.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{safe}")
    } else {
        safe
    }
}

/// The producer's captures: each value a consumer takes from its answer, once.
fn captures(links: &[&Link]) -> Vec<Capture> {
    let mut out: Vec<Capture> = Vec::new();
    for link in links {
        let in_body = link.body.iter().flat_map(super::links::body_expressions).map(|(_, f)| f);
        let froms = link.bindings.iter().map(|b| b.from.clone()).chain(in_body);
        for from in froms.filter(CaptureFrom::from_answer) {
            let name = capture_name(&from);
            if !out.iter().any(|c| c.name == name) {
                out.push(Capture { name, from });
            }
        }
    }
    out
}

/// Where a linked value of the producer's request comes from.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    /// Copied now from the producer's base request (a chain sends that request).
    FromBase,
    /// Held by a marker like an answer's value (the cleanup's delete, for any create).
    Marked,
}

/// The consumer's base request with each linked parameter set: a value of the producer's
/// request copied (or marked, as `copied` says), one of its answer held by its marker (with
/// the [`Use`] that fills it).
fn linked(
    consumer: &Operation,
    link: &Link,
    bases: &[Option<RequestSpec>],
    create: &RequestSpec,
    producer: &Operation,
    copied: Copied,
) -> (RequestSpec, Vec<Use>) {
    let mut request = bases[link.consumer].clone().expect("consumers in chains have a base");
    let mut uses = Vec::new();
    let produced = crate::plan::Step::new(link.producer, create.clone()).inputs(producer);
    let mut path_values: Vec<(String, String)> =
        consumer.path.capture(&request.path, true).unwrap_or_default();
    for b in &link.bindings {
        let value = match &b.from {
            CaptureFrom::Request(key) if copied == Copied::FromBase => {
                match produced.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => v.clone(),
                    None => continue,
                }
            }
            CaptureFrom::Constant(value) => crate::plan::text(value),
            from => {
                let used = Use { name: capture_name(from), into: site(b.location, &b.name) };
                let marker = used.marker();
                uses.push(used);
                marker
            }
        };
        match b.location {
            Location::Path => {
                if let Some(slot) = path_values.iter_mut().find(|(n, _)| *n == b.name) {
                    slot.1 = value;
                }
            }
            Location::Query => set(&mut request.query, &b.name, value),
            Location::Header => set(&mut request.headers, &b.name, value),
            Location::Cookie => set(&mut request.cookies, &b.name, value),
        }
    }
    request.path = consumer.path.render(|name| {
        path_values.iter().find(|(n, _)| n == name).map(|(_, v)| super::params::encode_segment(v))
    });
    // The link's own body, its expressions filled as the parameters' are.
    if let Some(template) = &link.body {
        let mut json = template.clone();
        for (pointer, from) in super::links::body_expressions(template) {
            let value = match &from {
                CaptureFrom::Request(key) => match produced.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => serde_json::Value::String(v.clone()),
                    None => continue,
                },
                from => {
                    let used = Use { name: capture_name(from), into: Site::Body(pointer.clone()) };
                    let marker = used.marker();
                    uses.push(used);
                    serde_json::Value::String(marker)
                }
            };
            match json.pointer_mut(&pointer) {
                Some(slot) => *slot = value,
                None => continue,
            }
        }
        let media = consumer.request_body.iter().flat_map(|b| &b.content);
        let json_media = media.map(|m| m.name.as_str()).find(|m| crate::checks::is_json(m));
        let content_type = match &request.body {
            Some(b) if crate::checks::is_json(&b.content_type) => b.content_type.clone(),
            _ => json_media.unwrap_or("application/json").to_owned(),
        };
        let bytes = serde_json::to_vec(&json).unwrap_or_default();
        request.body = Some(crate::plan::Body { content_type, bytes });
    }
    (request, uses)
}

fn site(location: Location, name: &str) -> Site {
    match location {
        Location::Path => Site::Path(name.into()),
        Location::Query => Site::Query(name.into()),
        Location::Header | Location::Cookie => Site::Header(name.into()),
    }
}

/// Sets parameter `name` of `pairs` (query, headers or cookies) to `value`, in place of any
/// value it had (names compared without case).
pub fn set(pairs: &mut Vec<(String, String)>, name: &str, value: String) {
    pairs.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    pairs.push((name.to_owned(), value));
}
