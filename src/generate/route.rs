//! Which path template a concrete path routes to.

use std::collections::{HashMap, HashSet};

use crate::openapi::PathTemplate;

/// All path templates of a spec, to tell whether a path would reach another operation.
/// Indexed by segment count and first segment, so a spec of 20,000 paths plans in seconds.
#[derive(Debug, Clone, Default)]
pub struct Router {
    by_first: HashMap<(usize, String), Vec<PathTemplate>>,
    variable_first: HashMap<usize, Vec<PathTemplate>>,
}

impl Router {
    /// A router over these templates.
    pub fn new(templates: impl IntoIterator<Item = PathTemplate>) -> Self {
        let mut router = Router::default();
        let mut seen = HashSet::new();
        for t in templates {
            if !seen.insert(t.route().to_owned()) {
                continue;
            }
            let count = t.segment_count();
            match t.first_literal() {
                Some(first) => {
                    let key = (count, first.to_owned());
                    router.by_first.entry(key).or_default().push(t)
                }
                None => router.variable_first.entry(count).or_default().push(t),
            }
        }
        router
    }

    fn candidates(&self, path: &str) -> impl Iterator<Item = &PathTemplate> {
        let count = path.split('/').count();
        let first = path
            .split('/')
            .find(|s| !s.is_empty())
            .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned());
        let literal = first.and_then(|f| self.by_first.get(&(count, f)));
        literal.into_iter().flatten().chain(self.variable_first.get(&count).into_iter().flatten())
    }

    /// The templates `path` matches.
    pub fn matching<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a PathTemplate> {
        self.candidates(path).filter(move |t| t.matches(path, false))
    }

    /// Whether `path`, meant for `own`, would instead reach another template (literal segments
    /// win over variables, as in every router), or is changed by URL normalisation (`..`).
    pub fn strays(&self, own: &PathTemplate, path: &str) -> bool {
        if !plainly_normal(path) {
            let normalised = url::Url::parse("http://gauntlet.invalid")
                .and_then(|base| base.join(path.trim_start_matches('/')))
                .map(|u| u.path().to_owned());
            if normalised.as_deref() != Ok(path) {
                return true;
            }
        }
        self.candidates(path).any(|t| t.route() != own.route() && t.matches(path, false))
    }
}

/// Whether URL parsing would surely leave `path` as it is: only characters a path keeps as
/// they are, and no segment that could be a dot segment (`.`, `..`, `%2e`...). Saves
/// parsing a URL for almost every planned path.
fn plainly_normal(path: &str) -> bool {
    path.starts_with('/')
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b))
        && !path.contains("/.")
        && !path.to_ascii_lowercase().contains("%2e")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_routes_and_dot_segments_are_strays() {
        let (own, search) = (PathTemplate::parse("/a/{id}"), PathTemplate::parse("/a/search"));
        let r = Router::new([own.clone(), search]);
        assert!(own.matches("/a/x%20y", false));
        assert!(!own.matches("/a/", false));
        assert!(PathTemplate::parse("/f/{id}.json").matches("/f/1.json", false));
        assert!(r.strays(&own, "/a/search"));
        assert!(r.strays(&own, "/a/.."));
        assert!(!r.strays(&own, "/a/..%2Fb"));
        assert!(!r.strays(&own, "/a/"));
        assert!(r.strays(&own, "/a/%2E%2e"), "an encoded dot segment is normalised away");
        assert!(r.strays(&own, "/a/x y"), "a raw space is encoded by the client");
        assert!(plainly_normal("/a/3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(!plainly_normal("/a/./b"));
    }
}
