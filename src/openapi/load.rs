//! Reading a spec file: YAML or JSON, the OpenAPI version (Swagger 2.0 converted to 3.0), and
//! every local `$ref` checked.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::normalize;
use super::pointer::{escape, resolve_pointer};
use crate::error::{Error, Result};

/// The OpenAPI family of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0, converted to OpenAPI 3.0 at load (`swagger2`).
    Swagger2,
    /// OpenAPI 3.0.x (schemas normalised to 2020-12 at load).
    V30,
    /// OpenAPI 3.1.x.
    V31,
    /// OpenAPI 3.2.x: 3.1's schema dialect, plus the `query` method and
    /// `additionalOperations`; streamed `itemSchema` bodies are not yet generated.
    V32,
}

/// A loaded OpenAPI document.
#[derive(Debug)]
pub struct Spec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The document, 3.0 schemas normalised to JSON Schema 2020-12.
    pub doc: Value,
    /// The version family.
    pub version: Version,
    /// The files its `$ref`s pulled in, by bundle id.
    pub files: Vec<PathBuf>,
    /// The `info.title`, or the file name.
    pub title: String,
    /// The document as requests see it, where that differs (`views`).
    request_view: Option<Value>,
    /// The document as responses see it, where that differs.
    response_view: Option<Value>,
    /// Where the parts of a converted Swagger 2.0 document were written (empty otherwise).
    origins: super::swagger2::Origins,
}

impl Spec {
    /// The document as a request reads it: `readOnly` properties left out, discriminators
    /// spelt out (the document itself when nothing differs).
    pub fn request_doc(&self) -> &Value {
        self.request_view.as_ref().unwrap_or(&self.doc)
    }

    /// The document as a response reads it: `writeOnly` properties left out, discriminators
    /// spelt out.
    pub fn response_doc(&self) -> &Value {
        self.response_view.as_ref().unwrap_or(&self.doc)
    }

    /// A pointer of `doc` (with or without `#`) as the user wrote it: itself, but where a
    /// Swagger 2.0 conversion moved the part it names.
    pub fn written(&self, pointer: &str) -> String {
        self.origins.written(pointer)
    }
}

/// Reads, parses and checks the OpenAPI document at `path`; files it `$ref`s must be in its
/// folder.
pub fn load(path: &Path) -> Result<Spec> {
    load_within(path, None)
}

/// Like [`load`], with referenced files allowed anywhere inside `root` (`--ref-root`).
pub fn load_within(path: &Path, root: Option<&Path>) -> Result<Spec> {
    let mut doc = read(path)?;
    let version = version(path, &doc)?;
    let files = super::external::bundle(path, &mut doc, root, read)?;
    // References are checked as the user wrote them, so errors name their pointers.
    check_refs(path, &doc)?;
    let mut origins = super::swagger2::Origins::default();
    if version == Version::Swagger2 {
        (doc, origins) = super::swagger2::convert(&doc);
    }
    match version {
        Version::Swagger2 | Version::V30 => normalize::openapi30(&mut doc),
        Version::V31 | Version::V32 => normalize::openapi31(&mut doc),
    }
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| path.file_stem().unwrap_or_default().to_string_lossy().into_owned());
    let request_view = super::views::view(&doc, super::views::Direction::Request);
    let response_view = super::views::view(&doc, super::views::Direction::Response);
    Ok(Spec {
        path: path.to_owned(),
        doc,
        version,
        title,
        files,
        request_view,
        response_view,
        origins,
    })
}

/// Reads and parses one file.
fn read(path: &Path) -> Result<Value> {
    let text = crate::support::fs::read_text(path)?;
    parse(path, &text)
}

/// Parses JSON (by extension, or when the text starts with `{`) or YAML.
fn parse(path: &Path, text: &str) -> Result<Value> {
    let syntax = |message: String| Error::Syntax { path: path.to_owned(), message };
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if is_json {
        return serde_json::from_str(text).map_err(|e| syntax(format!("invalid JSON: {e}")));
    }
    parse_yaml::<Value>(text).map_err(|e| {
        let (line, message) = yaml_error(&e);
        let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
        syntax(format!("invalid YAML: {at}{message}"))
    })
}

/// Parses YAML 1.2 (only `true`/`false` are booleans: `y`, `on` and `no` stay strings, as
/// they must in `required: [x, y]`), with duplicate keys an error and alias expansion bounded.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    // Real specs run to tens of megabytes; alias bombs are stopped by the alias replay limit.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 20_000_000;
    budget.max_depth = 256;
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(text, options)
}

/// A YAML error as its line and its first line of text, without the parser's `error:` and
/// `line N column M:` prefixes (for messages that give the line themselves).
pub fn yaml_error(e: &serde_saphyr::Error) -> (Option<u32>, String) {
    let line = e.location().map(|l| l.line() as u32);
    let text = first_line(&e.to_string());
    let text = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => {
            rest.to_owned()
        }
        _ => text,
    };
    (line, in_user_terms(&text))
}

use crate::support::text::in_user_terms;

/// The parser's first line, without its own `error: ` prefix.
fn first_line(message: &str) -> String {
    let line = message.lines().find(|l| !l.trim().is_empty()).unwrap_or(message).trim();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

fn version(path: &Path, doc: &Value) -> Result<Version> {
    let spec_err = |pointer: &str, message: String| Error::Spec {
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    if !doc.is_object() {
        return Err(spec_err("#", "not an OpenAPI document (the root is not a mapping)".into()));
    }
    if let Some(swagger) = doc.get("swagger") {
        if super::swagger2::is_swagger2(doc) {
            return Ok(Version::Swagger2);
        }
        return Err(spec_err(
            "#/swagger",
            format!(
                "Swagger {} is not supported: gauntlet reads Swagger 2.0 and OpenAPI 3.0 and 3.1",
                display(swagger)
            ),
        ));
    }
    match doc.get("openapi").map(display) {
        Some(v) if v.starts_with("3.0") => Ok(Version::V30),
        Some(v) if v.starts_with("3.1") => Ok(Version::V31),
        Some(v) if v.starts_with("3.2") => Ok(Version::V32),
        Some(v) => Err(spec_err(
            "#/openapi",
            format!("OpenAPI version {v} is not supported (3.0.x, 3.1.x and 3.2.x are)"),
        )),
        None => Err(spec_err("#", "no 'openapi' version field: not an OpenAPI 3 document".into())),
    }
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Checks that every `$ref` in the document is local and resolves (iteratively: no recursion).
fn check_refs(path: &Path, root: &Value) -> Result<()> {
    let mut stack: Vec<(&Value, String)> = vec![(root, String::new())];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let err = |message: String| Error::Spec {
                        path: path.to_owned(),
                        pointer: format!("#{at}/$ref"),
                        message,
                    };
                    if !reference.starts_with('#') {
                        return Err(err(format!("external $ref '{reference}' is not supported")));
                    }
                    if resolve_pointer(root, reference).is_none() {
                        return Err(err(format!("$ref '{reference}' points to nothing")));
                    }
                    // A chain of references that never reaches a schema has no meaning.
                    if let Err(message) = super::pointer::resolve_ref(root, value) {
                        return Err(err(message));
                    }
                }
                for (key, child) in map {
                    if child.is_object() || child.is_array() {
                        stack.push((child, format!("{at}/{}", escape(key))));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
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
