//! External `$ref`s: files next to the spec are bundled into the document; URLs are refused.
//!
//! A referenced file is read once, stored under `#/x-gauntlet-external/<n>`, and every `$ref`
//! to it (and every `$ref` inside it) is rewritten to point there, so the rest of gauntlet
//! sees one self-contained document. Only regular files inside the root (the spec's folder,
//! unless `--ref-root` widens it) are read: an absolute path, a `..` or a link that leads
//! outside, or anything that is not a regular file is refused, naming the `$ref` and where
//! it stands.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::pointer::escape;
use crate::error::{Error, Result};

/// Where bundled files are kept in the document.
pub const BUNDLE_KEY: &str = "x-gauntlet-external";
/// The most files one spec may pull in.
const MAX_FILES: usize = 256;

/// Resolves every external `$ref` of `doc` (read from `path`) by bundling the files it
/// names, none outside `root` (the spec's folder when `None`). Returns the files read, by
/// bundle id.
pub fn bundle(
    path: &Path,
    doc: &mut Value,
    root: Option<&Path>,
    parse: impl Fn(&Path) -> Result<Value>,
) -> Result<Vec<PathBuf>> {
    let mut files: HashMap<PathBuf, String> = HashMap::new();
    let mut bundled: Map<String, Value> = Map::new();
    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let root = root.unwrap_or(base);
    let root =
        root.canonicalize().map_err(|source| Error::Read { path: root.to_owned(), source })?;
    let mut queue: Vec<(PathBuf, String)> = Vec::new();
    let mut refs = Refs { root: &root, files: &mut files, queue: &mut queue };
    rewrite(path, doc, base, "", &mut refs)?;
    while let Some((file, id)) = refs.queue.pop() {
        let mut content = parse(&file)?;
        let dir = file.parent().unwrap_or(Path::new(".")).to_owned();
        let prefix = format!("/{BUNDLE_KEY}/{id}");
        rewrite(&file, &mut content, &dir, &prefix, &mut refs)?;
        bundled.insert(id, content);
    }
    if !bundled.is_empty()
        && let Value::Object(root) = doc
    {
        root.insert(BUNDLE_KEY.to_owned(), Value::Object(bundled));
    }
    let mut read: Vec<(usize, PathBuf)> =
        files.into_iter().map(|(path, id)| (id.parse().unwrap_or(usize::MAX), path)).collect();
    read.sort();
    Ok(read.into_iter().map(|(_, path)| path).collect())
}

/// The files bundled so far and where they may come from.
struct Refs<'a> {
    /// The canonical folder every referenced file must be inside.
    root: &'a Path,
    /// Each file read (canonical path) and its id in the bundle.
    files: &'a mut HashMap<PathBuf, String>,
    /// Files still to read.
    queue: &'a mut Vec<(PathBuf, String)>,
}

/// Rewrites the `$ref`s of one document: local ones get `prefix` (for a bundled file), file
/// ones point into the bundle (queueing files not yet read), URLs are an error.
fn rewrite(
    file: &Path,
    doc: &mut Value,
    dir: &Path,
    prefix: &str,
    refs: &mut Refs<'_>,
) -> Result<()> {
    let mut stack: Vec<(&mut Value, String)> = vec![(doc, String::new())];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    let new = target(file, reference, &format!("#{at}/$ref"), dir, prefix, refs)?;
                    *reference = new;
                }
                for (key, child) in map.iter_mut() {
                    if child.is_object() || child.is_array() {
                        let at = format!("{at}/{}", escape(key));
                        stack.push((child, at));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    if child.is_object() || child.is_array() {
                        stack.push((child, format!("{at}/{i}")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn target(
    file: &Path,
    reference: &str,
    at: &str,
    dir: &Path,
    prefix: &str,
    refs: &mut Refs<'_>,
) -> Result<String> {
    if let Some(local) = reference.strip_prefix('#') {
        return Ok(format!("#{prefix}{local}"));
    }
    let shown = crate::support::text::truncate(reference, 120);
    let err = |message: String| Error::Spec {
        path: file.to_owned(),
        pointer: at.to_owned(),
        message: format!("$ref '{shown}': {message}"),
    };
    if reference.contains("://") || reference.starts_with("//") {
        return Err(err(
            "remote references are refused (a --spec URL brings its relative $refs on its own origin, nothing else); save the file next to the spec and refer to it by relative path"
                .into(),
        ));
    }
    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let decoded = percent_encoding::percent_decode_str(file_part).decode_utf8_lossy().into_owned();
    if Path::new(&decoded).is_absolute() {
        return Err(err(
            "absolute paths are refused: refer to files by a path relative to the spec".into(),
        ));
    }
    let joined = dir.join(&decoded);
    let canonical = joined.canonicalize().map_err(|e| err(format!("cannot read: {e}")))?;
    if !canonical.starts_with(refs.root) {
        return Err(err(format!(
            "leads outside {} (the spec's folder; --ref-root widens it)",
            refs.root.display()
        )));
    }
    if !canonical.is_file() {
        return Err(err("not a regular file".into()));
    }
    let id = match refs.files.get(&canonical) {
        Some(id) => id.clone(),
        None => {
            if refs.files.len() >= MAX_FILES {
                return Err(err(format!("more than {MAX_FILES} referenced files")));
            }
            let id = refs.files.len().to_string();
            refs.files.insert(canonical.clone(), id.clone());
            refs.queue.push((canonical, id.clone()));
            id
        }
    };
    Ok(format!("#/{}/{}{fragment}", escape(BUNDLE_KEY), id))
}
