//! JSON pointers and local `$ref`s: escaping, lookup and chains of references.

use serde_json::Value;

/// `$ref` hops followed before a chain is checked for a cycle (most chains are short).
const QUICK_HOPS: usize = 64;
/// The longest chain of plain `$ref` aliases followed.
const MAX_REF_HOPS: usize = 100_000;
/// How much of a reference an error quotes.
const QUOTED: usize = 120;

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] on one reference token (`~1` → `/`, `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Turns a local `$ref` (`#/a/b`, percent-encoded) into a plain JSON pointer (`/a/b`).
pub fn ref_to_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_encoding::percent_decode_str(fragment).decode_utf8().ok()?.into_owned())
}

/// Looks up a local `$ref` (`#/a/b`, percent-encoded) in `root`.
pub fn resolve_pointer<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(&ref_to_pointer(reference)?)
}

/// Follows `value`'s `$ref` chain (if any) to the object it names.
///
/// Returns the target and the plain pointer it was found at (`None` when `value` was no reference).
/// An external reference, a dangling one or a cycle gives `Err` with a message.
pub fn resolve_ref<'a>(
    root: &'a Value,
    mut value: &'a Value,
) -> Result<(&'a Value, Option<String>), String> {
    let mut at = None;
    // Past a few hops, remember where the chain has been: only a pointer met twice is a cycle.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for hop in 0..MAX_REF_HOPS {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok((value, at));
        };
        let quoted = || crate::support::text::truncate(reference, QUOTED);
        if !reference.starts_with('#') {
            return Err(format!("external $ref '{}' is not supported", quoted()));
        }
        let pointer = ref_to_pointer(reference)
            .ok_or_else(|| format!("$ref '{}' is not a valid pointer", quoted()))?;
        value = root
            .pointer(&pointer)
            .ok_or_else(|| format!("$ref '{}' points to nothing", quoted()))?;
        if hop >= QUICK_HOPS && !seen.insert(pointer.clone()) {
            let shown = crate::support::text::truncate(&pointer, QUOTED);
            return Err(format!("$ref cycle through '{shown}'"));
        }
        at = Some(pointer);
    }
    Err(format!("a chain of more than {MAX_REF_HOPS} $refs"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_escaped_and_percent_encoded_pointers() {
        let doc = json!({"paths": {"/a/{id}": {"get": 1}}, "c": {"x.y": 2}});
        assert_eq!(resolve_pointer(&doc, "#/paths/~1a~1%7Bid%7D/get"), Some(&json!(1)));
        assert_eq!(resolve_pointer(&doc, "#/c/x.y"), Some(&json!(2)));
        assert_eq!(escape("/a/{id}"), "~1a~1{id}");
    }

    #[test]
    fn follows_chains_and_reports_cycles_and_dangling_refs() {
        let doc = json!({
            "a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"},
            "x": {"$ref": "#/y"}, "y": {"$ref": "#/x"}, "d": {"$ref": "#/nope"}
        });
        let (target, at) = resolve_ref(&doc, &doc["a"]).unwrap();
        assert_eq!(target, &json!({"type": "string"}));
        assert_eq!(at.as_deref(), Some("/c"));
        assert!(resolve_ref(&doc, &doc["x"]).unwrap_err().contains("cycle"));
        assert!(resolve_ref(&doc, &doc["d"]).unwrap_err().contains("points to nothing"));
    }
}
