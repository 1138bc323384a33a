//! Cleanup: what a run created is removed at its end. Each 2xx answer of a producer that
//! has a DELETE on its item path is remembered (its ids, bounded); when every scenario is
//! done, each is deleted once with the run's own credentials, and the summary counts what
//! was created, removed, already gone (deleted by a chain) and left.

use std::collections::HashMap;
use std::sync::Mutex;

use futures_util::StreamExt;
use serde_json::Value;

use super::Session;

/// The most created resources remembered; past it they are counted, not removed.
pub const MAX_REMEMBERED: usize = 100_000;

/// What the cleanup did, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Resources the run created (2xx answers of producers that have a DELETE).
    pub created: usize,
    /// Deleted at the end (2xx).
    pub removed: usize,
    /// Already gone (404 or 410: a chain deleted them).
    pub gone: usize,
    /// Left: the DELETE was refused or not answered, or there were too many to remember.
    pub left: usize,
    /// `--no-cleanup`: nothing was deleted.
    pub kept: bool,
}

/// One created resource: its producer and the values its answer gave.
type Resource = (usize, HashMap<String, Value>);

/// The resources created so far (those remembered, and how many in all).
#[derive(Debug, Default)]
pub struct Created {
    list: Mutex<(Vec<Resource>, usize)>,
}

impl Created {
    /// Remembers one resource `producer` created.
    pub fn add(&self, producer: usize, values: Vec<(String, Value)>) {
        if values.is_empty() {
            return;
        }
        let mut list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        list.1 += 1;
        if list.0.len() < MAX_REMEMBERED {
            list.0.push((producer, values.into_iter().collect()));
        }
    }

    fn take(&self) -> (Vec<Resource>, usize) {
        std::mem::take(&mut *self.list.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Deletes what `session` created (unless `keep`), `concurrency` at a time.
pub async fn clean(session: &Session, keep: bool, concurrency: usize) -> Option<Cleaned> {
    let (list, created) = session.created().take();
    if created == 0 {
        return None;
    }
    let mut out = Cleaned { created, kept: keep, ..Default::default() };
    if keep {
        return Some(out);
    }
    out.left = created - list.len();
    let plan = session.plan();
    let statuses: Vec<Option<u16>> = futures_util::stream::iter(list)
        .map(|(producer, values)| async move {
            let template = &plan.cleanup.get(&producer)?.delete;
            let step = super::chain::filled(template, &values, |_, _| true).ok()?;
            session.send_plain(&step).await.ok()
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    for status in statuses {
        match status {
            Some(s) if (200..300).contains(&s) => out.removed += 1,
            Some(404 | 410) => out.gone += 1,
            _ => out.left += 1,
        }
    }
    Some(out)
}
