//! Value reuse at run time. While the plan is sent, each 2xx answer of a producer gives its
//! ids to the reads the plan feeds from it (`Plan.reuse`), and each 201 whose `Location`
//! names a read of the spec gives that read's path values (a link learned from the answer,
//! where the spec declares none). Once the plan is sent, each read is sent with the values
//! learned for it (`reuse/<source>/<n>`, at most [`PER_READ`] per read): a positive like any
//! other, judged by every single-request check, its request in the reports as it was sent.
//!
//! Only answers of the run's own positive scenarios that delete nothing are learned from,
//! so a reused id names a resource no scenario meant to remove; no value that holds a secret
//! is ever put in a request the reports show.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::http::Response;
use crate::openapi::Location;
use crate::plan::{Capture, Kind, Plan, Scenario, Step};
use crate::schema::Validators;

/// The most reads sent per read operation with learned values.
pub const PER_READ: usize = 3;

/// Values for one read: what gave them (the producer's operation id, or `location`), and
/// each one with the read's parameter it goes into.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    source: String,
    values: Vec<Learnt>,
}

/// One learned value: the read's parameter (where, which) and the value.
type Learnt = (Location, String, Value);

/// Where `Location`s rank among a read's sources: after every producer.
const LOCATION: usize = usize::MAX;

/// Values per read and source.
type ByRead = BTreeMap<(usize, usize), Vec<Found>>;

/// What the run learned so far, per read and per source (its producer's index, or
/// [`LOCATION`]), bounded: [`PER_READ`] each. The reads take their values from the first
/// sources in that order, so which reads are sent does not hang on which answer came first.
#[derive(Debug, Default)]
pub struct Learned {
    found: Mutex<ByRead>,
}

impl Learned {
    fn lock(&self) -> std::sync::MutexGuard<'_, ByRead> {
        self.found.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether read `read` takes more values from `source`.
    fn wants(&self, read: usize, source: usize) -> bool {
        self.lock().get(&(read, source)).is_none_or(|f| f.len() < PER_READ)
    }

    /// Keeps `found` for `read` from `source`, unless it has its share or these values.
    fn add(&self, read: usize, source: usize, found: Found) {
        let mut all = self.lock();
        let list = all.entry((read, source)).or_default();
        if list.len() < PER_READ && !list.iter().any(|f| f.values == found.values) {
            list.push(found);
        }
    }
}

/// What the step being learned from was and what it was answered.
pub struct Answered<'a> {
    /// Its scenario.
    pub scenario: &'a Scenario,
    /// The step, as sent.
    pub step: &'a Step,
    /// The answer.
    pub response: &'a Response,
}

/// Learns what `answered` gives: its producer's feeds, and a 201's `Location`. `base_url`
/// is the run's; `secret` says whether a text holds a secret (such a value is never kept).
pub fn learn(
    learned: &Learned,
    plan: &Plan,
    base_url: &str,
    answered: &Answered<'_>,
    secret: impl Fn(&str) -> bool,
) {
    let Answered { scenario, step, response, .. } = answered;
    let deletes = |s: &Step| plan.operations[s.operation].method == "DELETE";
    if !(200..300).contains(&response.status)
        || scenario.kind != Kind::Positive
        || scenario.steps.iter().any(|s| s.identity.is_some() || deletes(s))
    {
        return;
    }
    let op = &plan.operations[step.operation];
    let feeds = plan.reuse.feeds.get(&step.operation).map_or(&[][..], Vec::as_slice);
    for feed in feeds.iter().filter(|f| learned.wants(f.read, step.operation)) {
        let captures: Vec<Capture> = feed
            .values
            .iter()
            .enumerate()
            .map(|(i, (from, _, _))| Capture { name: format!("v{i}"), from: from.clone() })
            .collect();
        let read = super::chain::captured_by(&captures, step, op, response);
        if read.len() < captures.len() || read.iter().any(|(_, v)| secret(&crate::plan::text(v))) {
            continue;
        }
        let values = feed
            .values
            .iter()
            .zip(read)
            .map(|((_, location, name), (_, value))| (*location, name.clone(), value))
            .collect();
        learned.add(feed.read, step.operation, Found { source: op.id.clone(), values });
    }
    if response.status == 201
        && let Some((read, values)) = located(plan, base_url, answered, |r| {
            learned.wants(r, LOCATION) && !feeds.iter().any(|f| f.read == r)
        })
        && !values.iter().any(|(_, _, v)| secret(&crate::plan::text(v)))
    {
        learned.add(read, LOCATION, Found { source: "location".into(), values });
    }
}

/// The read a 201's `Location` names (on the target, under its base path), with the path
/// values it holds: the most specific of the reads `wanted` allows.
fn located(
    plan: &Plan,
    base_url: &str,
    answered: &Answered<'_>,
    wanted: impl Fn(usize) -> bool,
) -> Option<(usize, Vec<Learnt>)> {
    let location = answered.response.headers.get("location")?.to_str().ok()?;
    let base = reqwest::Url::parse(base_url).ok()?;
    // A relative `Location` is read against the URL the request went to.
    let sent = reqwest::Url::parse(&format!("{base_url}{}", answered.step.request.path)).ok()?;
    let url = sent.join(location).ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    let path = url.path().strip_prefix(base.path().trim_end_matches('/'))?;
    let (read, values) = plan
        .reuse
        .reads
        .keys()
        .filter(|r| wanted(**r))
        .filter_map(|r| Some((*r, plan.operations[*r].path.capture(path, false)?)))
        .max_by_key(|(r, _)| plan.operations[*r].path.literal_count())?;
    let values = values.into_iter().map(|(n, v)| (Location::Path, n, Value::String(v))).collect();
    Some((read, values))
}

/// The reads to send after the plan: each read's base request with each set of values
/// learned for it put in (a set whose value the parameter does not take is left out).
pub fn scenarios(learned: &Learned, plan: &Plan, validators: &Validators) -> Vec<Scenario> {
    let mut found: BTreeMap<usize, Vec<Found>> = BTreeMap::new();
    for ((read, _), sets) in std::mem::take(&mut *learned.lock()) {
        let list = found.entry(read).or_default();
        for set in sets {
            if list.len() < PER_READ && !list.iter().any(|f| f.values == set.values) {
                list.push(set);
            }
        }
    }
    let mut out = Vec::new();
    for (read, sets) in found {
        let (op, Some(base)) = (&plan.operations[read], plan.reuse.reads.get(&read)) else {
            continue;
        };
        let mut numbered: BTreeMap<String, usize> = BTreeMap::new();
        for set in sets {
            let fit = set.values.iter().all(|(location, name, value)| {
                let site = match location {
                    Location::Path => crate::plan::Site::Path(name.clone()),
                    Location::Query => crate::plan::Site::Query(name.clone()),
                    Location::Header | Location::Cookie => crate::plan::Site::Header(name.clone()),
                };
                super::chain::fits(op, validators, &site, value)
            });
            if !fit {
                continue;
            }
            let mut request = base.clone();
            let mut path = op.path.capture(&base.path, true).unwrap_or_default();
            for (location, name, value) in &set.values {
                let text = crate::plan::text(value);
                let pairs = match location {
                    Location::Path => {
                        if let Some(slot) = path.iter_mut().find(|(n, _)| n == name) {
                            slot.1 = text;
                        }
                        continue;
                    }
                    Location::Query => &mut request.query,
                    Location::Header => &mut request.headers,
                    Location::Cookie => &mut request.cookies,
                };
                crate::generate::set_param(pairs, name, text);
            }
            request.path = op.path.render(|name| {
                let value = path.iter().find(|(n, _)| n == name)?;
                Some(crate::generate::encode_segment(&value.1))
            });
            let n = numbered.entry(set.source.clone()).or_default();
            *n += 1;
            let label = format!("reuse/{}/{n}", set.source);
            out.push(Scenario::single(read, label, Kind::Positive, request));
        }
    }
    out
}
