//! Routing a request to an operation by path template and method, most specific first.

use std::collections::HashMap;

use crate::openapi::{Operation, PathTemplate};

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// An operation, with its path parameters (percent-decoded).
    Found {
        /// Index of the operation.
        operation: usize,
        /// `(name, value)` for each template variable.
        params: Vec<(String, String)>,
    },
    /// The path exists, but not for this method: the methods it has.
    MethodNotAllowed(Vec<String>),
    /// No template matches.
    NotFound,
}

/// The routing table of a spec, indexed by segment count and first literal segment, so a
/// request looks at the few templates it could match, never at all of them.
#[derive(Debug, Clone)]
pub struct Routes {
    entries: Vec<Entry>,
    /// Entries (indexes, most specific first) by (segment count, first literal segment).
    by_first: HashMap<(usize, String), Vec<usize>>,
    /// Entries whose first segment is a variable, by segment count.
    variable_first: HashMap<usize, Vec<usize>>,
}

#[derive(Debug, Clone)]
struct Entry {
    template: PathTemplate,
    method: String,
    operation: usize,
}

impl Routes {
    /// Builds the table; more literal segments sort first, so `/a/search` wins over `/a/{id}`.
    pub fn new(operations: &[Operation]) -> Self {
        let mut entries: Vec<Entry> = operations
            .iter()
            .enumerate()
            .map(|(i, op)| Entry {
                template: op.path.clone(),
                method: op.method.clone(),
                operation: i,
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.template.literal_count()));
        let mut by_first: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        let mut variable_first: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let count = e.template.segment_count();
            match e.template.first_literal() {
                Some(first) => by_first.entry((count, first.to_owned())).or_default().push(i),
                None => variable_first.entry(count).or_default().push(i),
            }
        }
        Routes { entries, by_first, variable_first }
    }

    /// The entries `path` could match, most specific first.
    fn candidates(&self, path: &str) -> Vec<&Entry> {
        let count = path.split('/').count();
        let first = path.split('/').find(|s| !s.is_empty()).map(decode);
        let literal = first.and_then(|f| self.by_first.get(&(count, f)));
        let mut indexes: Vec<usize> = literal
            .into_iter()
            .flatten()
            .chain(self.variable_first.get(&count).into_iter().flatten())
            .copied()
            .collect();
        indexes.sort_unstable();
        indexes.into_iter().map(|i| &self.entries[i]).collect()
    }

    /// Finds the operation for `method` and `path`. A variable matches a non-empty segment;
    /// failing that, an empty one (so an empty id reaches its operation and is rejected there).
    pub fn find(&self, method: &str, path: &str) -> Route {
        let candidates = self.candidates(path);
        for allow_empty in [false, true] {
            let matching: Vec<&Entry> = candidates
                .iter()
                .copied()
                .filter(|e| e.template.matches(path, allow_empty))
                .collect();
            let Some(first) = matching.first() else { continue };
            let same_template =
                matching.iter().filter(|e| e.template.route() == first.template.route());
            // A concrete path is matched before templated ones (as OpenAPI says): its
            // undeclared method is 405, not another template's operation. Among templates,
            // the first that declares the method serves it.
            let concrete = first.template.vars().next().is_none();
            let found = same_template
                .clone()
                .find(|e| e.method.eq_ignore_ascii_case(method))
                .or_else(|| {
                    matching
                        .iter()
                        .filter(|_| !concrete)
                        .find(|e| e.method.eq_ignore_ascii_case(method))
                });
            if let Some(entry) = found {
                return Route::Found {
                    operation: entry.operation,
                    params: entry.template.capture(path, true).unwrap_or_default(),
                };
            }
            return Route::MethodNotAllowed(same_template.map(|e| e.method.clone()).collect());
        }
        Route::NotFound
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str) -> Operation {
        Operation {
            id: format!("{method} {path}"),
            method: method.into(),
            path: PathTemplate::parse(path),
            pointer: String::new(),
            parameters: vec![],
            request_body: None,
            responses: vec![],
            auth: vec![],
            auth_alternatives: vec![],
        }
    }

    #[test]
    fn literal_beats_variable_and_methods_are_told_apart() {
        let routes =
            Routes::new(&[op("GET", "/a/{id}"), op("GET", "/a/search"), op("DELETE", "/a/{id}")]);
        assert_eq!(routes.find("GET", "/a/search"), Route::Found { operation: 1, params: vec![] });
        assert_eq!(
            routes.find("GET", "/a/x%2Fy"),
            Route::Found { operation: 0, params: vec![("id".into(), "x/y".into())] }
        );
        assert_eq!(
            routes.find("PUT", "/a/1"),
            Route::MethodNotAllowed(vec!["GET".into(), "DELETE".into()])
        );
        assert_eq!(routes.find("GET", "/b"), Route::NotFound);
        assert_eq!(
            routes.find("GET", "/a/"),
            Route::Found { operation: 0, params: vec![("id".into(), "".into())] }
        );
    }
}
