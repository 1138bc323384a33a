//! Probes of the methods a path does not declare: for each path template under test, its
//! valid base request sent with every other common method (`unsupported_method` expects 405
//! with `Allow`). A method that another template matching the same concrete path declares is
//! not probed: the router may rightly send it there.

use std::collections::{BTreeMap, HashSet};

use super::Generator;
use crate::openapi::Operation;
use crate::plan::{Kind, RequestSpec, Scenario};

/// The methods probed on every path; `HEAD` too where `GET` is not declared (HTTP serves
/// `HEAD` wherever `GET` is).
const PROBED: &[&str] = &["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY"];

impl Generator<'_> {
    /// Adds the method probes of each path to the scenarios of its first operation under
    /// test (`per_op[i]` belongs to `operations[i]`); `declared` holds the methods each path
    /// of the spec declares ([`crate::plan::declared_methods`]).
    pub fn method_probes(
        &self,
        declared: &BTreeMap<String, Vec<String>>,
        operations: &[Operation],
        per_op: &mut [Vec<Scenario>],
    ) {
        let methods_of =
            |route: &str| declared.get(route).into_iter().flatten().map(String::as_str);
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
            let mut taken: HashSet<&str> = methods_of(own).collect();
            for template in self.router.matching(&request.path) {
                taken.extend(methods_of(template.route()));
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
