//! Probes of the methods a path does not declare: for each path template under test, its
//! valid base request sent with every other common method (`unsupported_method` expects 405
//! with `Allow`). A method that another template matching the same concrete path declares is
//! not probed: the router may rightly send it there.

use std::collections::{HashMap, HashSet};

use super::Generator;
use crate::openapi::Operation;
use crate::plan::{Kind, RequestSpec, Scenario};

/// The methods probed on every path; `HEAD` too where `GET` is not declared (HTTP serves
/// `HEAD` wherever `GET` is).
const PROBED: &[&str] = &["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY"];

impl Generator<'_> {
    /// Adds the method probes of each path to the scenarios of its first operation under
    /// test (`per_op[i]` belongs to `operations[i]`); `all_ops` are every operation of the
    /// spec, for the methods each path declares.
    pub fn method_probes(
        &self,
        all_ops: &[Operation],
        operations: &[Operation],
        per_op: &mut [Vec<Scenario>],
    ) {
        let mut declared: HashMap<&str, HashSet<&str>> = HashMap::new();
        for op in all_ops {
            declared.entry(op.path.route()).or_default().insert(op.method.as_str());
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for (index, op) in operations.iter().enumerate() {
            if !seen.insert(op.path.route()) {
                continue;
            }
            let Some(base) = per_op[index].iter().find(|s| s.label == "positive/base") else {
                continue;
            };
            let request = &base.first().request;
            let own = op.path.route();
            let mut taken: HashSet<&str> = declared.get(own).cloned().unwrap_or_default();
            for template in self.router.matching(&request.path) {
                taken.extend(declared.get(template.route()).into_iter().flatten());
            }
            let head = (!taken.contains("GET")).then_some("HEAD");
            let probes: Vec<Scenario> = PROBED
                .iter()
                .copied()
                .chain(head)
                .filter(|m| !taken.contains(m))
                .map(|method| {
                    let probe = RequestSpec {
                        body: None,
                        method: Some(method.to_owned()),
                        ..request.clone()
                    };
                    let kind = Kind::Negative { target: "method".into(), rule: method.into() };
                    Scenario::single(index, format!("negative/method/{method}"), kind, probe)
                })
                .collect();
            per_op[index].extend(probes);
        }
    }
}
