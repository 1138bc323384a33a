//! Which path template a concrete path routes to.

use crate::openapi::template_vars;

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
#[derive(Debug, Clone, Default)]
pub struct Router {
    templates: Vec<String>,
}

impl Router {
    /// A router over these templates.
    pub fn new(templates: impl IntoIterator<Item = String>) -> Self {
        let mut templates: Vec<String> = templates.into_iter().collect();
        templates.dedup();
        Router { templates }
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
        self.templates.iter().any(|t| t != own && matches_template(t, path))
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
