//! External `$ref`s: files next to the spec are bundled into the document; URLs are refused.
//!
//! A referenced file is read once, stored under `#/x-gauntlet-external/<n>`, and every `$ref`
//! to it (and every `$ref` inside it) is rewritten to point there, so the rest of gauntlet
//! sees one self-contained document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::pointer::escape;
use crate::error::{Error, Result};

/// Where bundled files are kept in the document.
pub const BUNDLE_KEY: &str = "x-gauntlet-external";
/// The most files one spec may pull in.
const MAX_FILES: usize = 256;

/// Resolves every external `$ref` of `doc` (read from `path`) by bundling the files it names.
pub fn bundle(path: &Path, doc: &mut Value, parse: impl Fn(&Path) -> Result<Value>) -> Result<()> {
    let mut files: HashMap<PathBuf, String> = HashMap::new();
    let mut bundled: Map<String, Value> = Map::new();
    let base = path.parent().unwrap_or(Path::new(".")).to_owned();
    let mut queue: Vec<(PathBuf, String)> = Vec::new();
    rewrite(path, doc, &base, "", &mut files, &mut queue)?;
    while let Some((file, id)) = queue.pop() {
        let mut content = parse(&file)?;
        let dir = file.parent().unwrap_or(Path::new(".")).to_owned();
        let prefix = format!("/{BUNDLE_KEY}/{id}");
        rewrite(&file, &mut content, &dir, &prefix, &mut files, &mut queue)?;
        bundled.insert(id, content);
    }
    if !bundled.is_empty()
        && let Value::Object(root) = doc
    {
        root.insert(BUNDLE_KEY.to_owned(), Value::Object(bundled));
    }
    Ok(())
}

/// Rewrites the `$ref`s of one document: local ones get `prefix` (for a bundled file), file
/// ones point into the bundle (queueing files not yet read), URLs are an error.
fn rewrite(
    file: &Path,
    doc: &mut Value,
    dir: &Path,
    prefix: &str,
    files: &mut HashMap<PathBuf, String>,
    queue: &mut Vec<(PathBuf, String)>,
) -> Result<()> {
    let mut stack: Vec<&mut Value> = vec![doc];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    let new = target(file, reference, dir, prefix, files, queue)?;
                    *reference = new;
                }
                stack.extend(map.values_mut().filter(|v| v.is_object() || v.is_array()));
            }
            Value::Array(items) => {
                stack.extend(items.iter_mut().filter(|v| v.is_object() || v.is_array()))
            }
            _ => {}
        }
    }
    Ok(())
}

fn target(
    file: &Path,
    reference: &str,
    dir: &Path,
    prefix: &str,
    files: &mut HashMap<PathBuf, String>,
    queue: &mut Vec<(PathBuf, String)>,
) -> Result<String> {
    if let Some(local) = reference.strip_prefix('#') {
        return Ok(format!("#{prefix}{local}"));
    }
    let err = |message: String| Error::Spec {
        path: file.to_owned(),
        pointer: format!("$ref '{reference}'"),
        message,
    };
    if reference.contains("://") || reference.starts_with("//") {
        return Err(err(
            "remote references are refused: gauntlet fetches nothing at run time; save the file next to the spec and refer to it by relative path"
                .into(),
        ));
    }
    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let decoded = percent_encoding::percent_decode_str(file_part).decode_utf8_lossy().into_owned();
    let joined = dir.join(decoded);
    let canonical =
        joined.canonicalize().map_err(|e| err(format!("cannot read {}: {e}", joined.display())))?;
    let id = match files.get(&canonical) {
        Some(id) => id.clone(),
        None => {
            if files.len() >= MAX_FILES {
                return Err(err(format!("more than {MAX_FILES} referenced files")));
            }
            let id = files.len().to_string();
            files.insert(canonical.clone(), id.clone());
            queue.push((canonical, id.clone()));
            id
        }
    };
    Ok(format!("#/{}/{}{fragment}", escape(BUNDLE_KEY), id))
}
