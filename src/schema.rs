//! Compiling schemas of the document into validators, and describing why an instance fails.
//!
//! Every schema is compiled once, against a registry that holds the whole (normalised) spec
//! under `urn:spec`, as `{"$ref": "urn:spec#<pointer>"}`: internal references, names with dots
//! and recursive schemas all resolve the way the document means them. Formats are asserted
//! (`"not-a-uuid"` fails `format: uuid`).

use std::collections::HashMap;
use std::sync::Arc;

use jsonschema::{Draft, ValidationError, Validator, error::ValidationErrorKind};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

/// Characters a JSON pointer must escape to sit in a URI fragment.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// How many errors a description lists before it says "and N more".
const MAX_ERRORS: usize = 8;

/// Compiled validators, by schema pointer.
#[derive(Default, Clone)]
pub struct Validators {
    by_pointer: HashMap<String, Arc<Validator>>,
    /// Schemas that could not be compiled: pointer and reason (the checks skip them).
    pub warnings: Vec<(String, String)>,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validators").field("compiled", &self.by_pointer.len()).finish()
    }
}

impl Validators {
    /// Compiles the schema at each pointer (duplicates compiled once).
    pub fn compile<'p>(doc: &Value, pointers: impl IntoIterator<Item = &'p str>) -> Self {
        let mut out = Validators::default();
        out.add(doc, pointers);
        out
    }

    /// Compiles every schema `operations` use, each against the view of its direction:
    /// parameters and request bodies as requests read them (`readOnly` left out), responses
    /// as responses read them (`writeOnly` left out).
    pub fn for_operations<'o>(
        spec: &crate::openapi::Spec,
        operations: impl IntoIterator<Item = &'o crate::openapi::Operation> + Clone,
    ) -> Self {
        use crate::openapi::Operation;
        let mut out = Validators::default();
        let requests = operations.clone().into_iter().flat_map(Operation::request_schema_pointers);
        let responses = operations.into_iter().flat_map(Operation::response_schema_pointers);
        if std::ptr::eq(spec.request_doc(), spec.response_doc()) {
            // One document, indexed once.
            out.add(&spec.doc, requests.chain(responses));
        } else {
            out.add(spec.request_doc(), requests);
            out.add(spec.response_doc(), responses);
        }
        out
    }

    /// Compiles the schema at each pointer of `doc` not compiled yet.
    fn add<'p>(&mut self, doc: &Value, pointers: impl IntoIterator<Item = &'p str>) {
        let registry = match jsonschema::Registry::new()
            .draft(Draft::Draft202012)
            .add("urn:spec", doc)
            .and_then(|r| r.prepare())
        {
            Ok(registry) => registry,
            Err(e) => {
                self.warnings.push(("#".into(), format!("cannot index the document: {e}")));
                return;
            }
        };
        let options = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&registry)
            .should_validate_formats(true)
            .with_format("idn-hostname", idn_hostname)
            .with_format("idn-email", idn_email);
        for pointer in pointers {
            if self.by_pointer.contains_key(pointer) {
                continue;
            }
            let wrapper =
                json!({"$ref": format!("urn:spec#{}", utf8_percent_encode(pointer, FRAGMENT))});
            match options.build(&wrapper) {
                Ok(v) => {
                    self.by_pointer.insert(pointer.to_owned(), Arc::new(v));
                }
                Err(e) => self.warnings.push((format!("#{pointer}"), e.to_string())),
            }
        }
    }

    /// The validator for the schema at `pointer`, if it compiled.
    pub fn get(&self, pointer: &str) -> Option<&Validator> {
        self.by_pointer.get(pointer).map(Arc::as_ref)
    }
}

/// The rule `instance` breaks first, as a label word (`minimum`, `max-length`,
/// `additional-properties`); `None` when it is valid.
pub fn broken_rule(validator: &Validator, instance: &Value) -> Option<String> {
    let error = validator.iter_errors(instance).next()?;
    let keyword = error.kind().keyword();
    let mut out = String::with_capacity(keyword.len() + 2);
    for c in keyword.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Why `instance` fails `validator`, one line per error (empty when it is valid).
///
/// Each line names the instance location (a JSON pointer into the body), the message and the
/// schema keyword path; `oneOf`/`anyOf` failures list each branch's reasons.
pub fn describe(validator: &Validator, instance: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    let mut count = 0;
    for error in validator.iter_errors(instance) {
        count += 1;
        if count <= MAX_ERRORS {
            push_error(&mut lines, &error, 0);
        }
    }
    if count > MAX_ERRORS {
        lines.push(format!("... and {} more errors", count - MAX_ERRORS));
    }
    lines
}

fn push_error(lines: &mut Vec<String>, error: &ValidationError<'_>, depth: usize) {
    let indent = "  ".repeat(depth);
    let at = error.instance_path().as_str();
    let at = if at.is_empty() { "/" } else { at };
    let message = truncate(&error.to_string(), 300);
    lines.push(format!("{indent}at {at}: {message} (schema {})", error.schema_path().as_str()));
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return,
    };
    if depth >= 3 {
        return;
    }
    for (i, branch) in context.iter().enumerate() {
        lines.push(format!("{indent}  branch {i}:"));
        for e in branch.iter().take(MAX_ERRORS) {
            push_error(lines, e, depth + 2);
        }
    }
}

use crate::support::text::truncate;

/// RFC 6531 addresses, as `idn-email` asks (the validator's own admits an empty string): a
/// local part of printable characters, no spaces, `@`, and an `idn-hostname`.
fn idn_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    !local.is_empty()
        && local.chars().count() <= 64
        && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && c != '@')
        && idn_hostname(domain)
}

/// RFC 5890 hostnames, as `idn-hostname` asks (the validator's own admits an empty string):
/// dot-separated labels of 1 to 63 letters, digits, marks or hyphens in any script, none starting or
/// ending with a hyphen, 253 characters at most.
fn idn_hostname(text: &str) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    !text.is_empty()
        && text.chars().count() <= 253
        && text.split('.').all(|label| {
            let n = label.chars().count();
            (1..=63).contains(&n)
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| {
                    // Letters, digits, and the combining marks of scripts such as Devanagari.
                    c.is_alphanumeric()
                        || c == '-'
                        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dotted_names_asserts_formats_and_explains_one_of() {
        let doc = json!({"components": {"schemas": {
            "a.b": {"type": "object", "required": ["id"], "properties": {
                "id": {"$ref": "#/components/schemas/uuid"},
                "h": {"oneOf": [{"type": "null"}, {"enum": ["x"]}]}
            }},
            "uuid": {"type": "string", "format": "uuid"}
        }}});
        let v = Validators::compile(&doc, ["/components/schemas/a.b"]);
        let validator = v.get("/components/schemas/a.b").expect("compiled");
        assert!(validator.is_valid(&json!({"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})));
        let lines = describe(validator, &json!({"id": "not-a-uuid", "h": "y"}));
        let text = lines.join("\n");
        assert!(text.contains("at /id:"), "{text}");
        assert!(text.contains("format"), "{text}");
        assert!(text.contains("branch 0:") && text.contains("branch 1:"), "{text}");
    }
}
