//! Which path template a concrete path routes to.

use std::collections::{HashMap, HashSet};

use crate::openapi::template_vars;

/// The first non-empty segment of a path or template.
fn first_segment(path: &str) -> Option<&str> {
    path.split('/').find(|s| !s.is_empty())
}

/// Whether `path` (percent-encoded segments) fits `template` (`{var}` = one non-empty segment).
pub fn matches_template(template: &str, path: &str) -> bool {
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) => {
                if !segment_matches(ts, ps) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

fn segment_matches(template: &str, segment: &str) -> bool {
    if template_vars(template).next().is_none() {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        return decoded == template;
    }
    let prefix = template.split('{').next().unwrap_or("");
    let suffix = template.rsplit('}').next().unwrap_or("");
    segment.len() > prefix.len() + suffix.len()
        && segment.starts_with(prefix)
        && segment.ends_with(suffix)
}

/// All path templates of a spec, to tell whether a path would reach another operation.
/// Indexed by segment count and first segment, so a spec of 20,000 paths plans in seconds.
#[derive(Debug, Clone, Default)]
pub struct Router {
    by_first: HashMap<(usize, String), Vec<String>>,
    variable_first: HashMap<usize, Vec<String>>,
}

impl Router {
    /// A router over these templates.
    pub fn new(templates: impl IntoIterator<Item = String>) -> Self {
        let mut router = Router::default();
        let mut seen = HashSet::new();
        for t in templates {
            if !seen.insert(t.clone()) {
                continue;
            }
            let count = t.split('/').count();
            match first_segment(&t) {
                Some(first) if !first.contains('{') => {
                    router.by_first.entry((count, first.to_owned())).or_default().push(t)
                }
                _ => router.variable_first.entry(count).or_default().push(t),
            }
        }
        router
    }

    fn candidates(&self, path: &str) -> impl Iterator<Item = &String> {
        let count = path.split('/').count();
        let first = first_segment(path)
            .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned());
        let literal = first.and_then(|f| self.by_first.get(&(count, f)));
        literal.into_iter().flatten().chain(self.variable_first.get(&count).into_iter().flatten())
    }

    /// Whether `path`, meant for `own`, would instead reach another template (literal segments
    /// win over variables, as in every router), or is changed by URL normalisation (`..`).
    pub fn strays(&self, own: &str, path: &str) -> bool {
        let normalised = url::Url::parse("http://gauntlet.invalid")
            .and_then(|base| base.join(path.trim_start_matches('/')))
            .map(|u| u.path().to_owned());
        if normalised.as_deref() != Ok(path) {
            return true;
        }
        self.candidates(path).any(|t| t != own && matches_template(t, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_routes_and_dot_segments_are_strays() {
        let r = Router::new(["/a/{id}".to_owned(), "/a/search".to_owned()]);
        assert!(matches_template("/a/{id}", "/a/x%20y"));
        assert!(!matches_template("/a/{id}", "/a/"));
        assert!(matches_template("/f/{id}.json", "/f/1.json"));
        assert!(r.strays("/a/{id}", "/a/search"));
        assert!(r.strays("/a/{id}", "/a/.."));
        assert!(!r.strays("/a/{id}", "/a/..%2Fb"));
        assert!(!r.strays("/a/{id}", "/a/"));
    }
}
