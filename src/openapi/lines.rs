//! Where things were written: the file, line and column of a JSON pointer of the bundled
//! document, through the files its `$ref`s pulled in. SARIF and GitHub annotations point
//! there. Each file is parsed once more, as YAML events with their positions (JSON is read
//! the same way), and only the pointers asked for are kept.

use std::collections::HashMap;
use std::path::PathBuf;

use granit_parser::{Event, Parser};
use serde_json::Value;

use super::Spec;
use super::external::BUNDLE_KEY;
use super::pointer::{escape, ref_to_pointer, unescape};

/// A place in a file the user wrote: line and column count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file.
    pub file: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// The location of each of `pointers` (into the bundled `spec.doc`), `None` where it cannot
/// be found (a file that no longer reads the same, say).
pub fn locate(spec: &Spec, pointers: &[&str]) -> Vec<Option<SourceLocation>> {
    // Per file (0: the spec, n + 1: bundled file n), the local pointers wanted.
    // A converted Swagger 2.0 part is found where the user wrote it.
    let physical: Vec<(usize, String)> = pointers
        .iter()
        .map(|p| match physical(&spec.doc, p) {
            (0, local) => (0, spec.written(&local)),
            other => other,
        })
        .collect();
    let mut wanted: HashMap<usize, Vec<&str>> = HashMap::new();
    for (file, local) in &physical {
        wanted.entry(*file).or_default().push(local);
    }
    let mut found: HashMap<(usize, &str), (usize, usize)> = HashMap::new();
    for (file, locals) in wanted {
        let Some(path) = file_path(spec, file) else { continue };
        let Ok(text) = crate::support::fs::read_text(&path) else { continue };
        for (local, at) in positions(&text, &locals) {
            found.insert((file, local), at);
        }
    }
    physical
        .iter()
        .map(|(file, local)| {
            let &(line, column) = found.get(&(*file, local.as_str()))?;
            Some(SourceLocation { file: file_path(spec, *file)?, line, column })
        })
        .collect()
}

/// File 0 is the spec; file n + 1 the n-th bundled one.
fn file_path(spec: &Spec, file: usize) -> Option<PathBuf> {
    match file {
        0 => Some(spec.path.clone()),
        n => spec.files.get(n - 1).cloned(),
    }
}

/// The file and local pointer where `pointer` of the bundled document was written,
/// following `$ref`s met on the way.
fn physical(doc: &Value, pointer: &str) -> (usize, String) {
    let mut at = String::new();
    let mut node = Some(doc);
    for token in pointer.split('/').skip(1) {
        // A `$ref` on the way: what follows is written where it points.
        for _ in 0..64 {
            let Some(target) = node.and_then(|n| n.get("$ref")).and_then(Value::as_str) else {
                break;
            };
            let Some(local) = ref_to_pointer(target) else { break };
            node = doc.pointer(&local);
            at = local;
        }
        at.push('/');
        at.push_str(token);
        node = node.and_then(|n| match n {
            Value::Object(map) => map.get(&unescape(token)),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        });
    }
    let prefix = format!("/{}/", escape(BUNDLE_KEY));
    if let Some(rest) = at.strip_prefix(&prefix) {
        let (id, local) = rest.split_once('/').map_or((rest, ""), |(id, l)| (id, l));
        if let Ok(id) = id.parse::<usize>() {
            let local = if local.is_empty() { String::new() } else { format!("/{local}") };
            return (id + 1, local);
        }
    }
    (0, at)
}

/// A container being read: a mapping (waiting for a key, or for the value of one) or a
/// sequence (the index of its next item), with its pointer.
enum Frame {
    Map { pointer: String, key: Option<String> },
    Seq { pointer: String, next: usize },
}

/// The (line, column) of each of `wanted` in `text`: a mapping value's key, a sequence
/// item's start, line 1 for the root.
fn positions<'w>(text: &str, wanted: &[&'w str]) -> Vec<(&'w str, (usize, usize))> {
    let mut out = Vec::new();
    let set: std::collections::HashSet<&'w str> = wanted.iter().copied().collect();
    let want = |p: &str| set.get(p).copied();
    if let Some(root) = want("") {
        out.push((root, (1, 1)));
    }
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let position = (span.start.line(), span.start.col() + 1);
        // The pointer of a value starting here, when it is a value (not a key).
        let value_at = match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some(k) => Some(format!("{pointer}/{}", escape(&k))),
                None => {
                    // A key: remember where it stands.
                    if let Event::Scalar(k, ..) = &event {
                        let at = format!("{pointer}/{}", escape(k));
                        if let Some(w) = want(&at) {
                            out.push((w, position));
                        }
                        *key = Some(k.to_string());
                        continue;
                    }
                    if matches!(event, Event::MappingEnd) {
                        stack.pop();
                        continue;
                    }
                    // A complex key: never an OpenAPI one; read it as a value of no pointer.
                    None
                }
            },
            Some(Frame::Seq { pointer, next }) => {
                if matches!(event, Event::SequenceEnd) {
                    stack.pop();
                    continue;
                }
                let at = format!("{pointer}/{next}");
                *next += 1;
                if let Some(w) = want(&at) {
                    out.push((w, position));
                }
                Some(at)
            }
        };
        match event {
            Event::MappingStart(..) => {
                stack.push(Frame::Map { pointer: value_at.unwrap_or_default(), key: None })
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq { pointer: value_at.unwrap_or_default(), next: 0 })
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::positions;

    #[test]
    fn yaml_and_json_keys_are_found_at_their_lines() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      responses: {}\n  /b:\n    post: {}\n";
        let found = positions(yaml, &["/paths/~1a~1{id}/get", "/paths/~1b/post"]);
        assert_eq!(found, vec![("/paths/~1a~1{id}/get", (4, 5)), ("/paths/~1b/post", (7, 5))]);
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  },\n  \"tags\": [{}, {\"name\": \"x\"}]\n}";
        let found = positions(json, &["/paths/~1a/get", "/tags/1/name"]);
        assert_eq!(found[0], ("/paths/~1a/get", (4, 7)));
        assert_eq!(found[1].0, "/tags/1/name");
        assert_eq!(found[1].1.0, 7);
    }
}
