//! `--partition K/N`: a deterministic share of the plan, so N CI jobs cover it once.
//!
//! `count:K/N` (the default, also written `K/N`) deals scenarios round-robin in plan order:
//! the shares differ in size by at most one. `hash:K/N` places each scenario by a hash of its
//! operation and label, so adding scenarios does not move the others between jobs.

use std::str::FromStr;

use super::Plan;
use crate::support::fnv1a;

/// How scenarios are dealt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Round-robin in plan order.
    Count,
    /// By a hash of operation and label.
    Hash,
}

/// One share of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// How scenarios are dealt.
    pub scheme: Scheme,
    /// Which share, from 1.
    pub index: u32,
    /// How many shares.
    pub total: u32,
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (scheme, rest) = match text.split_once(':') {
            Some(("count", rest)) => (Scheme::Count, rest),
            Some(("hash", rest)) => (Scheme::Hash, rest),
            Some((other, _)) => {
                return Err(format!("unknown scheme '{other}' (count or hash)"));
            }
            None => (Scheme::Count, text),
        };
        let bad = || format!("'{text}' is not K/N with 1 <= K <= N (e.g. 2/3, hash:2/3)");
        let (k, n) = rest.split_once('/').ok_or_else(bad)?;
        let (index, total): (u32, u32) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || total == 0 || index > total {
            return Err(bad());
        }
        Ok(Partition { scheme, index, total })
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = match self.scheme {
            Scheme::Count => "count",
            Scheme::Hash => "hash",
        };
        write!(f, "{scheme}:{}/{}", self.index, self.total)
    }
}

impl Partition {
    /// Whether the scenario at `position` of the whole plan, of `operation` with `label`,
    /// is in this share.
    pub fn keeps(&self, position: usize, operation: &str, label: &str) -> bool {
        let n = u64::from(self.total);
        let slot = match self.scheme {
            Scheme::Count => position as u64 % n,
            Scheme::Hash => fnv1a(&[operation.as_bytes(), &[0], label.as_bytes()]) % n,
        };
        slot == u64::from(self.index - 1)
    }

    /// The plan cut down to this share (scenario order kept).
    pub fn apply(&self, mut plan: Plan) -> Plan {
        let operations = &plan.operations;
        let mut position = 0;
        plan.scenarios.retain(|s| {
            position += 1;
            self.keeps(position - 1, &operations[s.operation()].id, &s.label)
        });
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shares_and_refuses_nonsense() {
        let p: Partition = "2/3".parse().unwrap();
        assert_eq!((p.scheme, p.index, p.total), (Scheme::Count, 2, 3));
        assert_eq!("hash:1/4".parse::<Partition>().unwrap().scheme, Scheme::Hash);
        for bad in ["0/3", "4/3", "1/0", "x/3", "3", "slice:1/2"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_position_is_in_exactly_one_share() {
        for scheme in ["count", "hash"] {
            let shares: Vec<Partition> =
                (1..=3).map(|k| format!("{scheme}:{k}/3").parse().unwrap()).collect();
            for position in 0..300 {
                let label = format!("positive/random-{position}");
                let owners = shares.iter().filter(|p| p.keeps(position, "op", &label)).count();
                assert_eq!(owners, 1, "{scheme} {position}");
            }
        }
    }
}
