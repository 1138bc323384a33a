//! The stateful mock (`gauntlet mock --stateful`, and the built-in mock of `gauntlet run`):
//! what producers created is remembered, deletes take effect, so chains can be proven.
//!
//! The link graph (`generate::links`) says which operation creates what and which path
//! parameter of which operation names it. A created id is recorded from the producer's
//! answer; a DELETE that succeeds marks it deleted (an id the mock created), and every later
//! request that names a deleted id is answered 404. An id the mock never created is served as the stateless mock
//! serves it (a random id in a positive scenario still gets a valid 200). Memory is bounded:
//! past [`CAPACITY`] ids the oldest are forgotten.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use serde_json::Value;

use crate::generate::links::Link;
use crate::openapi::{Location, Operation};
use crate::plan::CaptureFrom;

/// How many created and deleted ids are remembered at most.
pub const CAPACITY: usize = 100_000;

/// A resource: the producer that made it and its id as text.
type Key = (usize, String);

/// The mock's memory.
#[derive(Debug)]
pub struct State {
    links: Vec<Link>,
    store: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    created: HashSet<Key>,
    deleted: HashSet<Key>,
    order: VecDeque<Key>,
}

impl Store {
    fn remember(&mut self, key: Key) {
        self.order.push_back(key);
        while self.order.len() > CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.created.remove(&old);
                self.deleted.remove(&old);
            }
        }
    }
}

/// What the state says of a request to a consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// It names a resource the mock created.
    Created,
    /// It names a resource that was deleted.
    Deleted,
    /// Nothing the mock remembers.
    Unknown,
}

impl State {
    /// The state of a mock of `ops` over the document `doc` (the response view).
    pub fn new(doc: &Value, ops: &[Operation]) -> Self {
        State { links: crate::generate::links::links(doc, ops), store: Mutex::default() }
    }

    /// The resources a request to operation `op` names by its path parameters.
    fn named(&self, op: usize, path_params: &[(String, String)]) -> Vec<Key> {
        self.links
            .iter()
            .filter(|l| l.consumer == op)
            .filter_map(|l| {
                let b = l
                    .bindings
                    .iter()
                    .find(|b| b.location == Location::Path && b.from.from_answer())?;
                let value = path_params.iter().find(|(n, _)| *n == b.name)?;
                Some((l.producer, value.1.clone()))
            })
            .collect()
    }

    /// Whether operation `op` creates what others name (its answers carry the ids).
    pub fn produces(&self, op: usize) -> bool {
        self.links
            .iter()
            .any(|l| l.producer == op && l.bindings.iter().any(|b| b.from.from_answer()))
    }

    /// The path parameters that name what `producer` creates: (operation, parameter name).
    pub fn naming(&self, producer: usize) -> Vec<(usize, String)> {
        self.links
            .iter()
            .filter(|l| l.producer == producer)
            .flat_map(|l| {
                l.bindings
                    .iter()
                    .filter(|b| b.from.from_answer())
                    .map(move |b| (l.consumer, b.name.clone()))
            })
            .collect()
    }

    /// Whether a request to `op` names a deleted or a created resource.
    pub fn known(&self, op: usize, path_params: &[(String, String)]) -> Known {
        let named = self.named(op, path_params);
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if named.iter().any(|k| store.deleted.contains(k)) {
            Known::Deleted
        } else if named.iter().any(|k| store.created.contains(k)) {
            Known::Created
        } else {
            Known::Unknown
        }
    }

    /// Records what a successful answer did: the id a producer's answer carries is created,
    /// the resource a DELETE names is deleted (unless `keep_deleted`, a fault).
    pub fn record(
        &self,
        index: usize,
        op: &Operation,
        path_params: &[(String, String)],
        body: &[u8],
        headers: &[(String, String)],
        keep_deleted: bool,
    ) {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if op.method == "DELETE" {
            if keep_deleted {
                return;
            }
            // Only what the mock made is gone after it: an id it never created stays served
            // as the stateless mock serves it (its parents' children too).
            for key in self.named(index, path_params) {
                if store.created.remove(&key) {
                    store.deleted.insert(key.clone());
                    store.remember(key);
                }
            }
            return;
        }
        let froms: Vec<&CaptureFrom> = self
            .links
            .iter()
            .filter(|l| l.producer == index)
            .flat_map(|l| &l.bindings)
            .map(|b| &b.from)
            .filter(|f| f.from_answer())
            .collect();
        if froms.is_empty() {
            return;
        }
        let json: Option<Value> = serde_json::from_slice(body).ok();
        for from in froms {
            let id = match from {
                CaptureFrom::Body(pointer) => {
                    match json.as_ref().and_then(|j| j.pointer(pointer)) {
                        Some(Value::String(s)) => s.clone(),
                        Some(v @ Value::Number(_)) => v.to_string(),
                        _ => continue,
                    }
                }
                CaptureFrom::Header(name) | CaptureFrom::HeaderTail(name) => {
                    let Some((_, v)) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
                    else {
                        continue;
                    };
                    let tail = v.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    tail.to_owned()
                }
                CaptureFrom::Request(_) | CaptureFrom::Constant(_) => continue,
            };
            let key = (index, id);
            store.deleted.remove(&key);
            if store.created.insert(key.clone()) {
                store.remember(key);
            }
        }
    }
}
