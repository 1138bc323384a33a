//! Routing a request to an operation by path template and method, most specific first.

use crate::openapi::Operation;

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

/// The routing table of a spec.
#[derive(Debug, Clone)]
pub struct Routes {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    template: String,
    segments: Vec<Segment>,
    method: String,
    operation: usize,
}

#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Var { prefix: String, name: String, suffix: String },
}

impl Routes {
    /// Builds the table; more literal segments sort first, so `/a/search` wins over `/a/{id}`.
    pub fn new(operations: &[Operation]) -> Self {
        let mut entries: Vec<Entry> = operations
            .iter()
            .enumerate()
            .map(|(i, op)| Entry {
                template: op.path.clone(),
                segments: op.path.split('/').map(parse_segment).collect(),
                method: op.method.clone(),
                operation: i,
            })
            .collect();
        entries.sort_by_key(|e| {
            std::cmp::Reverse(
                e.segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count(),
            )
        });
        Routes { entries }
    }

    /// Finds the operation for `method` and `path`. A variable matches a non-empty segment;
    /// failing that, an empty one (so an empty id reaches its operation and is rejected there).
    pub fn find(&self, method: &str, path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').collect();
        for allow_empty in [false, true] {
            let matching: Vec<&Entry> =
                self.entries.iter().filter(|e| matches(e, &segments, allow_empty)).collect();
            let Some(first) = matching.first() else { continue };
            let same_template = matching.iter().filter(|e| e.template == first.template);
            if let Some(entry) =
                same_template.clone().find(|e| e.method.eq_ignore_ascii_case(method))
            {
                return Route::Found {
                    operation: entry.operation,
                    params: capture(entry, &segments),
                };
            }
            if let Some(entry) = matching.iter().find(|e| e.method.eq_ignore_ascii_case(method)) {
                return Route::Found {
                    operation: entry.operation,
                    params: capture(entry, &segments),
                };
            }
            return Route::MethodNotAllowed(same_template.map(|e| e.method.clone()).collect());
        }
        Route::NotFound
    }
}

fn parse_segment(s: &str) -> Segment {
    match (s.find('{'), s.rfind('}')) {
        (Some(open), Some(close)) if open < close => Segment::Var {
            prefix: s[..open].to_owned(),
            name: s[open + 1..close].to_owned(),
            suffix: s[close + 1..].to_owned(),
        },
        _ => Segment::Literal(s.to_owned()),
    }
}

fn matches(entry: &Entry, segments: &[&str], allow_empty: bool) -> bool {
    entry.segments.len() == segments.len()
        && entry.segments.iter().zip(segments).all(|(t, s)| match t {
            Segment::Literal(l) => decode(s) == *l,
            Segment::Var { prefix, suffix, .. } => {
                s.len() >= prefix.len() + suffix.len()
                    && (allow_empty || s.len() > prefix.len() + suffix.len())
                    && s.starts_with(prefix.as_str())
                    && s.ends_with(suffix.as_str())
            }
        })
}

fn capture(entry: &Entry, segments: &[&str]) -> Vec<(String, String)> {
    entry
        .segments
        .iter()
        .zip(segments)
        .filter_map(|(t, s)| match t {
            Segment::Var { prefix, name, suffix } => {
                Some((name.clone(), decode(&s[prefix.len()..s.len() - suffix.len()])))
            }
            Segment::Literal(_) => None,
        })
        .collect()
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
            path: path.into(),
            pointer: String::new(),
            parameters: vec![],
            request_body: None,
            responses: vec![],
            auth: vec![],
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
