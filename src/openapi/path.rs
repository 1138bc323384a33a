//! [`PathTemplate`]: a path template parsed once, for every reader of paths — the generator
//! renders it, the stray check and the mock match and capture with it, reports read values
//! back out of it. A segment may hold several variables with text around them
//! (`/widgets/{id}-v{version}`, `/files/{a},{b}`, `/f/{name}.json`).

use std::fmt;

/// A path template such as `/things/{id}/parts/{part}.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    raw: String,
    segments: Vec<Segment>,
}

/// One `/`-separated segment: literal text, or pieces of text and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Pattern(Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(String),
}

impl PathTemplate {
    /// Parses `raw`; an unclosed `{` is literal text. A `#fragment` (specs that declare one
    /// method twice on a path write it twice, `/files/{id}#add_shared_link`) is kept in the
    /// name but is no part of the route: no request carries it.
    pub fn parse(raw: &str) -> PathTemplate {
        let route = raw.split('#').next().unwrap_or(raw);
        let segments = route.split('/').map(parse_segment).collect();
        PathTemplate { raw: raw.to_owned(), segments }
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The route it names: the template without its `#fragment`.
    pub fn route(&self) -> &str {
        self.raw.split('#').next().unwrap_or(&self.raw)
    }

    /// The variables, in order.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.segments
            .iter()
            .flat_map(|s| match s {
                Segment::Literal(_) => [].iter(),
                Segment::Pattern(pieces) => pieces.iter(),
            })
            .filter_map(|p| match p {
                Piece::Var(name) => Some(name.as_str()),
                Piece::Text(_) => None,
            })
    }

    /// How many `/`-separated segments it has (a leading `/` makes an empty first one).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// How many segments are wholly literal: more is more specific (`/a/search` before
    /// `/a/{id}`).
    pub fn literal_count(&self) -> usize {
        self.segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count()
    }

    /// The first non-empty segment when it is literal (for indexes).
    pub fn first_literal(&self) -> Option<&str> {
        match self.segments.iter().find(|s| !matches!(s, Segment::Literal(l) if l.is_empty()))? {
            Segment::Literal(l) => Some(l),
            Segment::Pattern(_) => None,
        }
    }

    /// The path with each variable replaced by `value(name)`, already encoded for a path
    /// segment (a variable without a value is left as `{name}`).
    pub fn render(&self, mut value: impl FnMut(&str) -> Option<String>) -> String {
        let mut out = String::with_capacity(self.raw.len() + 16);
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            match segment {
                Segment::Literal(l) => out.push_str(l),
                Segment::Pattern(pieces) => {
                    for piece in pieces {
                        match piece {
                            Piece::Text(t) => out.push_str(t),
                            Piece::Var(name) => match value(name) {
                                Some(v) => out.push_str(&v),
                                None => {
                                    out.push('{');
                                    out.push_str(name);
                                    out.push('}');
                                }
                            },
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether `path` (percent-encoded segments) fits: literal segments equal once decoded,
    /// each variable non-empty (or, with `allow_empty`, possibly empty).
    pub fn matches(&self, path: &str, allow_empty: bool) -> bool {
        self.captures_raw(path, allow_empty).is_some()
    }

    /// The variables' values in `path` (percent-decoded), or `None` when it does not fit.
    /// Variables must be non-empty, unless `allow_empty`.
    pub fn capture(&self, path: &str, allow_empty: bool) -> Option<Vec<(String, String)>> {
        let raw = self.captures_raw(path, allow_empty)?;
        Some(raw.into_iter().map(|(name, value)| (name.to_owned(), decode(value))).collect())
    }

    /// The variables' raw (still encoded) text in `path`.
    fn captures_raw<'a>(
        &'a self,
        path: &'a str,
        allow_empty: bool,
    ) -> Option<Vec<(&'a str, &'a str)>> {
        let mut out = Vec::new();
        let mut parts = path.split('/');
        for segment in &self.segments {
            let text = parts.next()?;
            match segment {
                Segment::Literal(l) => {
                    if text != l && decode(text) != *l {
                        return None;
                    }
                }
                Segment::Pattern(pieces) => match_pieces(pieces, text, allow_empty, &mut out)?,
            }
        }
        parts.next().is_none().then_some(out)
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn parse_segment(s: &str) -> Segment {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].to_owned()));
        }
        pieces.push(Piece::Var(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    if pieces.is_empty() {
        return Segment::Literal(s.to_owned());
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Segment::Pattern(pieces)
}

/// Matches one segment's pieces against `text`: literal text must appear as written; a
/// variable takes everything up to the next literal's first occurrence after it (the last
/// variable takes what remains before the segment's literal suffix).
fn match_pieces<'a>(
    pieces: &'a [Piece],
    text: &'a str,
    allow_empty: bool,
    out: &mut Vec<(&'a str, &'a str)>,
) -> Option<()> {
    let mut rest = text;
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Text(t) => rest = rest.strip_prefix(t.as_str())?,
            Piece::Var(name) => {
                let value = match pieces.get(i + 1) {
                    None => std::mem::take(&mut rest),
                    Some(Piece::Text(next)) if i + 2 == pieces.len() => {
                        // The segment's suffix: the variable ends where the suffix starts.
                        let v = rest.strip_suffix(next.as_str())?;
                        rest = &rest[v.len()..];
                        v
                    }
                    Some(Piece::Text(next)) => {
                        let at = rest.find(next.as_str())?;
                        let v = &rest[..at];
                        rest = &rest[at..];
                        v
                    }
                    // Two variables side by side cannot be told apart: the first takes all.
                    Some(Piece::Var(_)) => std::mem::take(&mut rest),
                };
                if value.is_empty() && !allow_empty {
                    return None;
                }
                out.push((name, value));
            }
        }
        i += 1;
    }
    rest.is_empty().then_some(())
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_variables_in_one_segment_are_rendered_and_captured() {
        let t = PathTemplate::parse("/widgets/{id}-v{version}");
        assert_eq!(t.vars().collect::<Vec<_>>(), ["id", "version"]);
        let path = t.render(|n| Some(if n == "id" { "a%20b".into() } else { "7".into() }));
        assert_eq!(path, "/widgets/a%20b-v7");
        assert_eq!(
            t.capture(&path, false),
            Some(vec![("id".into(), "a b".into()), ("version".into(), "7".into())])
        );
        assert!(!t.matches("/widgets/-v7", false));
        assert!(t.matches("/widgets/-v7", true));
        let files = PathTemplate::parse("/files/{a},{b}");
        assert_eq!(
            files.capture("/files/x,y", false),
            Some(vec![("a".into(), "x".into()), ("b".into(), "y".into())])
        );
        let json = PathTemplate::parse("/f/{name}.json");
        assert_eq!(json.capture("/f/a.b.json", false), Some(vec![("name".into(), "a.b".into())]));
        assert!(!json.matches("/f/a.xml", false));
    }

    #[test]
    fn literals_count_and_match_decoded() {
        let t = PathTemplate::parse("/a/search");
        assert_eq!(t.literal_count(), 3);
        assert_eq!(t.first_literal(), Some("a"));
        assert!(t.matches("/a/se%61rch", false));
        assert!(!t.matches("/a/search/x", false));
        assert_eq!(PathTemplate::parse("/{x}/b").first_literal(), None);
        assert_eq!(PathTemplate::parse("/a/{x").vars().count(), 0);
    }
}
