//! Valid values from a JSON Schema (2020-12, as normalised at load), seeded.
//!
//! The generator aims to produce a value the schema accepts; the caller confirms it with the
//! compiled validator and tries again (or gives up with a note) when it did not. It never
//! loops unbounded: recursion stops at [`MAX_DEPTH`], where optional parts are left out.

use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::{Map, Number, Value, json};

use crate::openapi::resolve_ref;

/// How deep nested schemas are followed before optional parts are left out.
pub const MAX_DEPTH: usize = 6;
/// How deep required parts are followed before the schema is called unsatisfiable.
const HARD_DEPTH: usize = 48;
/// The longest string a pattern may force (`a{100000000}` is not generated).
const MAX_PATTERN_LEN: usize = 10_000;
/// The largest string, array or object made: a schema whose `minLength`, `minItems` or
/// `minProperties` is larger gets no value (and its operation a note), never a gigabyte.
pub const MAX_SIZE: u64 = 65_536;

/// The size keyword of `map` that asks for more than [`MAX_SIZE`], with its value.
fn oversized_here(map: &Map<String, Value>) -> Option<(&'static str, u64)> {
    ["minLength", "minItems", "minProperties"]
        .into_iter()
        .find_map(|k| map.get(k).and_then(Value::as_u64).filter(|n| *n > MAX_SIZE).map(|n| (k, n)))
}

/// Why no value of `schema` can be made within [`MAX_SIZE`]: the first required size past
/// it (`minLength 1000000000`), searched through `$ref`s, `allOf` and required properties
/// and items, each schema once.
pub fn oversized(doc: &Value, schema: &Value) -> Option<String> {
    let mut stack = vec![schema];
    let mut seen = std::collections::HashSet::new();
    while let Some(schema) = stack.pop() {
        let Ok((schema, target)) = resolve_ref(doc, schema) else { continue };
        if target.is_some_and(|t| !seen.insert(t)) || seen.len() > 10_000 {
            continue;
        }
        let Some(map) = schema.as_object() else { continue };
        if let Some((keyword, n)) = oversized_here(map) {
            return Some(format!("{keyword} {n} is over the {MAX_SIZE} gauntlet makes"));
        }
        if let Some(Value::Array(all)) = map.get("allOf") {
            stack.extend(all);
        }
        if map.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0
            && let Some(items) = map.get("items")
        {
            stack.push(items);
        }
        let required = map.get("required").and_then(Value::as_array);
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                stack.extend(props.get(name));
            }
        }
    }
    None
}

/// Makes values for schemas of one document.
pub struct ValueGen<'a, R: Rng> {
    doc: &'a Value,
    /// The random source (seeded by the caller).
    pub rng: &'a mut R,
}

impl<'a, R: Rng> ValueGen<'a, R> {
    /// A generator over `doc`, the document the schemas' `$ref`s point into.
    pub fn new(doc: &'a Value, rng: &'a mut R) -> Self {
        ValueGen { doc, rng }
    }

    /// A value meant to be valid under `schema` (None when the generator knows no way).
    pub fn valid(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        // Required parts can recurse forever (`Node` requires a `Node`): such a schema has no
        // finite value, and is given up on here rather than on the stack.
        if depth > HARD_DEPTH {
            return None;
        }
        let (schema, _) = resolve_ref(self.doc, schema).ok()?;
        let Some(map) = schema.as_object() else {
            // `true`, `{}`, or `false` (no value at all).
            return (schema != &Value::Bool(false)).then(|| json!("gauntlet"));
        };
        if oversized_here(map).is_some() {
            return None;
        }
        if let Some(c) = map.get("const") {
            return Some(c.clone());
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            return values.choose(self.rng).cloned();
        }
        // Examples written by the spec's authors are the most realistic values; use them often.
        if depth > 0 || self.rng.random_bool(0.5) {
            // Only one of the schema's own types: specs write `default: {}` on a string.
            let fits = |v: &&Value| fits_types(self.doc, map, v);
            if let Some(example) = map.get("example").filter(fits) {
                return Some(example.clone());
            }
            if let Some(default) = map.get("default").filter(fits) {
                return Some(default.clone());
            }
            if let Some(Value::Array(examples)) = map.get("examples")
                && let Some(e) = examples.choose(self.rng).filter(fits)
            {
                return Some(e.clone());
            }
        }
        if let Some(Value::Array(all)) = map.get("allOf") {
            return self.valid(&merge_all_of(self.doc, map, all), depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = map.get(key) {
                let branch = branches.choose(self.rng)?;
                let merged = with_siblings(map, key, branch);
                // A discriminator is spelt out in the document's views (`openapi::views`).
                return self.valid(&merged, depth + 1);
            }
        }
        let ty = self.pick_type(map);
        match ty.as_str() {
            "null" => Some(Value::Null),
            "boolean" => Some(Value::Bool(self.rng.random())),
            "integer" => self.integer(map),
            "number" => self.number(map),
            "string" => Some(Value::String(self.string(map))),
            "array" => self.array(map, depth),
            _ => self.object(map, depth),
        }
    }

    fn pick_type(&mut self, map: &Map<String, Value>) -> String {
        match map.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(types)) => {
                // Prefer a real value to null; null stays possible.
                let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                let pick = if non_null.is_empty() || self.rng.random_bool(0.2) {
                    types.choose(self.rng)
                } else {
                    non_null.choose(self.rng).copied()
                };
                pick.and_then(Value::as_str).unwrap_or("null").to_owned()
            }
            _ if map.contains_key("properties") || map.contains_key("required") => "object".into(),
            _ if map.contains_key("items") => "array".into(),
            _ if map.contains_key("minimum") || map.contains_key("maximum") => "number".into(),
            _ => "string".into(),
        }
    }

    fn integer(&mut self, map: &Map<String, Value>) -> Option<Value> {
        let (lo, hi) = bounds(map, true);
        // The registry's sized formats bound the value as its type does on the server.
        let (lo, hi) = match format_range(map.get("format").and_then(Value::as_str)) {
            Some((min, max)) => (lo.max(min), hi.min(max)),
            None => (lo, hi),
        };
        let (lo, hi) = (lo.ceil(), hi.floor());
        if lo > hi {
            return None;
        }
        let multiple = map.get("multipleOf").and_then(Value::as_f64).filter(|m| *m >= 1.0);
        let n = self.rng.random_range(lo..=hi);
        let n = match multiple {
            Some(m) => {
                let k = (n / m).floor() * m;
                if k < lo { k + m } else { k }
            }
            None => n,
        };
        Some(Value::Number(Number::from(n as i64)))
    }

    fn number(&mut self, map: &Map<String, Value>) -> Option<Value> {
        if map.contains_key("multipleOf") {
            return self.integer(map);
        }
        let (lo, hi) = bounds(map, false);
        if lo > hi {
            return None;
        }
        let x = (self.rng.random_range(lo..=hi) * 100.0).round() / 100.0;
        Number::from_f64(x.clamp(lo, hi)).map(Value::Number)
    }

    fn string(&mut self, map: &Map<String, Value>) -> String {
        let format = map.get("format").and_then(Value::as_str).unwrap_or("");
        if let Some(s) = self.formatted(format) {
            return s;
        }
        if let Some(regex) = map.get("pattern").and_then(Value::as_str).and_then(pattern_generator)
        {
            return self.rng.sample::<String, _>(&regex);
        }
        let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
        let max = map.get("maxLength").and_then(Value::as_u64).map_or(min.max(12), |m| m as usize);
        let len = if min > max { min } else { self.rng.random_range(min..=max.min(min + 24)) };
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| *ALPHABET.choose(self.rng).unwrap_or(&b'a') as char).collect()
    }

    /// A value of a well-known string format, when `format` is one.
    pub fn formatted(&mut self, format: &str) -> Option<String> {
        Some(match format {
            "uuid" => uuid::Builder::from_random_bytes(self.rng.random()).into_uuid().to_string(),
            "date-time" => format!(
                "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                self.rng.random_range(10..30),
                self.rng.random_range(1..=12),
                self.rng.random_range(1..=28),
                self.rng.random_range(0..24),
                self.rng.random_range(0..60),
                self.rng.random_range(0..60)
            ),
            "date" => format!(
                "20{:02}-{:02}-{:02}",
                self.rng.random_range(10..30),
                self.rng.random_range(1..=12),
                self.rng.random_range(1..=28)
            ),
            "time" => format!(
                "{:02}:{:02}:00Z",
                self.rng.random_range(0..24),
                self.rng.random_range(0..60)
            ),
            "email" => format!("user{}@example.com", self.rng.random_range(0..10_000)),
            "uri" | "url" => format!("https://example.com/{}", self.rng.random_range(0..10_000)),
            "hostname" => format!("host{}.example.com", self.rng.random_range(0..10_000)),
            "ipv4" => format!("192.0.2.{}", self.rng.random_range(1..255)),
            "ipv6" => format!("2001:db8::{:x}", self.rng.random_range(1..0xffff)),
            "byte" => "Z2F1bnRsZXQ=".into(),
            "duration" => format!(
                "P{}DT{}H{}M",
                self.rng.random_range(0..30),
                self.rng.random_range(0..24),
                self.rng.random_range(0..60)
            ),
            "idn-email" => format!("user{}@example.com", self.rng.random_range(0..10_000)),
            "idn-hostname" => format!("host{}.example.com", self.rng.random_range(0..10_000)),
            "iri" => format!("https://example.com/r%C3%A9f/{}", self.rng.random_range(0..10_000)),
            "uri-reference" | "iri-reference" => {
                format!("/things/{}", self.rng.random_range(0..10_000))
            }
            "uri-template" => "https://example.com/things/{id}".into(),
            "json-pointer" => format!("/things/{}", self.rng.random_range(0..100)),
            "relative-json-pointer" => format!("{}/things", self.rng.random_range(0..3)),
            "regex" => "^[a-z]+[0-9]*$".into(),
            "media-range" => {
                ["application/json", "text/*", "*/*"][self.rng.random_range(0..3)].into()
            }
            "commonmark" => format!("*gauntlet* {}", self.rng.random_range(0..10_000)),
            "html" => format!("<p>gauntlet {}</p>", self.rng.random_range(0..10_000)),
            _ => return None,
        })
    }

    fn array(&mut self, map: &Map<String, Value>, depth: usize) -> Option<Value> {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map.get("maxItems").and_then(Value::as_u64).map_or(min + 2, |m| m as usize);
        if min > max {
            return None;
        }
        let len =
            if depth >= MAX_DEPTH { min } else { self.rng.random_range(min..=max.min(min + 2)) };
        let items = map.get("items").cloned().unwrap_or(json!({}));
        let unique = map.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false);
        let mut out: Vec<Value> = Vec::with_capacity(len);
        // `prefixItems` (2020-12 tuples): one value per position first; `items` (when not
        // `false`) only for what follows.
        if let Some(Value::Array(prefix)) = map.get("prefixItems") {
            for schema in prefix {
                out.push(self.valid(schema, depth + 1)?);
            }
            if items == Value::Bool(false) || out.len() >= len {
                return (out.len() >= min && out.len() <= max).then_some(Value::Array(out));
            }
        }
        let mut attempts = 0;
        while out.len() < len && attempts < len * 4 + 4 {
            attempts += 1;
            let item = self.valid(&items, depth + 1)?;
            if !unique || !out.contains(&item) {
                out.push(item);
            }
        }
        // `contains`: at least one item (`minContains` of them) must match it.
        if let Some(contains) = map.get("contains") {
            let wanted = map.get("minContains").and_then(Value::as_u64).unwrap_or(1) as usize;
            for _ in 0..wanted {
                let item = self.valid(contains, depth + 1)?;
                if out.len() >= max {
                    out.remove(0);
                }
                out.push(item);
            }
        }
        (out.len() >= min).then_some(Value::Array(out))
    }

    fn object(&mut self, map: &Map<String, Value>, depth: usize) -> Option<Value> {
        let mut out = Map::new();
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let properties = map.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        for (name, schema) in properties {
            let is_required = required.contains(&name.as_str());
            if !is_required && (depth >= MAX_DEPTH || self.rng.random_bool(0.5)) {
                continue;
            }
            if schema == &Value::Bool(false) {
                continue;
            }
            out.insert(name.clone(), self.valid(schema, depth + 1)?);
        }
        for name in required {
            if !out.contains_key(name) {
                let extra = match map.get("additionalProperties") {
                    Some(Value::Bool(false)) => return None,
                    Some(schema @ Value::Object(_)) => self.valid(schema, depth + 1)?,
                    _ => json!("gauntlet"),
                };
                out.insert(name.to_owned(), extra);
            }
        }
        let min = map.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        let mut n = 0;
        while out.len() < min && n < min + 4 {
            n += 1;
            let value = match map.get("additionalProperties") {
                Some(Value::Bool(false)) => break,
                Some(schema @ Value::Object(_)) => self.valid(schema, depth + 1)?,
                _ => json!("gauntlet"),
            };
            out.insert(format!("extra{n}"), value);
        }
        Some(Value::Object(out))
    }
}

/// A generator of strings matching `pattern` (ASCII classes, as ECMA-262 reads `\\d` and
/// `\\w`; anchors dropped, since a generated string is all there is), or `None` when the
/// pattern is beyond it.
fn pattern_generator(pattern: &str) -> Option<rand_regex::Regex> {
    let core = strip_anchors(pattern);
    let ascii = regex_syntax::ParserBuilder::new().unicode(false).build().parse(&core);
    let hir = match ascii {
        Ok(hir) => hir,
        Err(_) => regex_syntax::ParserBuilder::new().build().parse(&core).ok()?,
    };
    if hir.properties().maximum_len().is_some_and(|n| n > MAX_PATTERN_LEN) {
        return None;
    }
    rand_regex::Regex::with_hir(printable(hir), 8).ok()
}

/// `hir` with each character class cut to printable ASCII where that leaves it any
/// character: `[^>]+` then gives `a<b`, not control characters or scripts a header cannot
/// carry. A value may still use the rest of a class when nothing printable is in it.
fn printable(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut cut = class.clone();
            cut.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            let keep = if cut.ranges().is_empty() { class } else { cut };
            Hir::class(Class::Unicode(keep))
        }
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(printable(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(printable(*cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(printable).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(printable).collect()),
        HirKind::Class(bytes) => Hir::class(bytes),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Look(l) => Hir::look(l),
    }
}

/// Removes `^` and `$` outside character classes and escapes.
fn strip_anchors(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let (mut escaped, mut in_class) = (false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '^' | '$' if !in_class => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The range of an integer format of the OpenAPI format registry (`int8` ... `uint64`).
fn format_range(format: Option<&str>) -> Option<(f64, f64)> {
    Some(match format? {
        "int8" => (i8::MIN as f64, i8::MAX as f64),
        "int16" => (i16::MIN as f64, i16::MAX as f64),
        "int32" => (i32::MIN as f64, i32::MAX as f64),
        "int64" => (i64::MIN as f64, i64::MAX as f64),
        "uint8" => (0.0, u8::MAX as f64),
        "uint16" => (0.0, u16::MAX as f64),
        "uint32" => (0.0, u32::MAX as f64),
        "uint64" => (0.0, u64::MAX as f64),
        _ => return None,
    })
}

/// Whether `value` is of a type the schema declares (its own `type`, or that of an `allOf`
/// member it is made of); a schema that declares none takes any.
fn fits_types(doc: &Value, map: &Map<String, Value>, value: &Value) -> bool {
    let declared = |m: &Map<String, Value>| -> Option<Vec<String>> {
        match m.get("type")? {
            Value::String(t) => Some(vec![t.clone()]),
            Value::Array(ts) => {
                Some(ts.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            }
            _ => None,
        }
    };
    let types = declared(map).or_else(|| {
        let members = map.get("allOf")?.as_array()?;
        members.iter().find_map(|m| {
            let (m, _) = resolve_ref(doc, m).ok()?;
            declared(m.as_object()?)
        })
    });
    let Some(types) = types else { return true };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    types.iter().any(|t| t == actual || (t == "number" && actual == "integer"))
}

/// The numeric bounds of a schema, defaulting to a modest range.
fn bounds(map: &Map<String, Value>, integer: bool) -> (f64, f64) {
    let get = |k: &str| map.get(k).and_then(Value::as_f64);
    let step = if integer { 1.0 } else { 0.01 };
    let lo = get("minimum").or(get("exclusiveMinimum").map(|x| x + step));
    let hi = get("maximum").or(get("exclusiveMaximum").map(|x| x - step));
    let lo =
        lo.unwrap_or(if hi.is_some_and(|h| h < 1.0) { hi.unwrap_or(0.0) - 100.0 } else { 1.0 });
    let hi = hi.unwrap_or(lo.max(0.0) + 1000.0);
    (lo.max(-1e15), hi.min(1e15))
}

/// The object schema of `map` with its `allOf` branches folded in (shallowly), nested
/// `allOf`s included. Walked with a work list, each referenced schema once: an `allOf` cycle
/// (A = allOf [B], B = allOf [A]) folds what it has and stops.
pub(crate) fn merge_all_of(doc: &Value, map: &Map<String, Value>, all: &[Value]) -> Value {
    let mut merged = map.clone();
    merged.remove("allOf");
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Branches in document order: a stack of iterators over each allOf list met.
    let mut lists: Vec<std::slice::Iter<'_, Value>> = vec![all.iter()];
    let mut branches: Vec<Map<String, Value>> = Vec::new();
    while let Some(list) = lists.last_mut() {
        let Some(branch) = list.next() else {
            lists.pop();
            continue;
        };
        let Ok((resolved, target)) = resolve_ref(doc, branch) else { continue };
        if let Some(target) = target
            && !seen.insert(target)
        {
            continue;
        }
        let Some(object) = resolved.as_object() else { continue };
        let mut own = object.clone();
        own.remove("allOf");
        branches.push(own);
        if let Some(Value::Array(inner)) = object.get("allOf") {
            lists.push(inner.iter());
        }
    }
    for branch in branches {
        for (k, v) in branch {
            match (k.as_str(), merged.get_mut(&k)) {
                ("properties", Some(Value::Object(props))) => {
                    if let Value::Object(more) = v {
                        props.extend(more);
                    }
                }
                ("required", Some(Value::Array(req))) => {
                    if let Value::Array(more) = v {
                        req.extend(more);
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    merged.insert(k, v);
                }
            }
        }
    }
    Value::Object(merged)
}

/// `branch` with the keywords that sit beside `oneOf`/`anyOf` in `map` (they apply too).
fn with_siblings(map: &Map<String, Value>, key: &str, branch: &Value) -> Value {
    let mut siblings: Map<String, Value> = map.clone();
    siblings.remove(key);
    siblings.retain(|k, _| !matches!(k.as_str(), "discriminator" | "description" | "title"));
    if siblings.is_empty() {
        return branch.clone();
    }
    json!({"allOf": [Value::Object(siblings), branch]})
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn valid_values(doc: &Value, pointer: &str, n: usize) -> usize {
        let validators = crate::schema::Validators::compile(doc, [pointer]);
        let validator = validators.get(pointer).expect("compiles");
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut generator = ValueGen::new(doc, &mut rng);
        let schema = doc.pointer(pointer).unwrap().clone();
        (0..n).filter_map(|_| generator.valid(&schema, 0)).filter(|v| validator.is_valid(v)).count()
    }

    /// `format: duration`, `iri`, `json-pointer` or `relative-json-pointer` (or a `contains`)
    /// got no valid value, so the whole operation was skipped; `int8` got 500.
    #[test]
    fn every_registry_format_and_contains_gets_values_the_validator_accepts() {
        let strings = [
            "date",
            "time",
            "date-time",
            "duration",
            "email",
            "idn-email",
            "hostname",
            "idn-hostname",
            "ipv4",
            "ipv6",
            "uri",
            "uri-reference",
            "iri",
            "iri-reference",
            "uri-template",
            "json-pointer",
            "relative-json-pointer",
            "regex",
            "uuid",
            "byte",
            "binary",
            "password",
            "commonmark",
            "html",
            "media-range",
        ];
        let mut schemas = Map::new();
        for format in strings {
            schemas.insert(format.into(), json!({"type": "string", "format": format}));
        }
        let sized = [("int8", 127), ("int16", 32767), ("uint8", 255), ("uint16", 65535)];
        for (format, max) in sized {
            // An int8 the validator cannot bound: the schema spells the range out to check it.
            let min = if format.starts_with('u') { 0 } else { -max - 1 };
            schemas.insert(
                format.into(),
                json!({"type": "integer", "format": format, "minimum": min, "maximum": max}),
            );
            schemas.insert(format!("{format}-bare"), json!({"type": "integer", "format": format}));
        }
        for format in ["int32", "int64", "uint32", "uint64", "float", "double"] {
            schemas.insert(format.into(), json!({"type": "number", "format": format}));
        }
        schemas.insert(
            "contains".into(),
            json!({"type": "array", "maxItems": 3, "items": {"type": ["integer", "string"]},
                   "contains": {"type": "integer", "minimum": 5}}),
        );
        // Tuples (`prefixItems`), closed or open.
        schemas.insert(
            "tuple".into(),
            json!({"type": "array", "prefixItems": [{"type": "string", "maxLength": 5}, {"type": "integer"}],
                   "items": false, "minItems": 2}),
        );
        schemas.insert(
            "open-tuple".into(),
            json!({"type": "array", "prefixItems": [{"const": "x"}], "items": {"type": "integer"}, "minItems": 3}),
        );
        let doc = json!({"components": {"schemas": schemas}});
        for name in schemas.keys() {
            let pointer = format!("/components/schemas/{name}");
            let n = valid_values(&doc, &pointer, 20);
            assert_eq!(n, 20, "{name}: only {n} of 20 valid");
        }
        // The bare sized formats stay in range without the schema saying so.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut generator = ValueGen::new(&doc, &mut rng);
        for _ in 0..50 {
            let v = generator.valid(&json!({"type": "integer", "format": "int8"}), 0).unwrap();
            assert!((-128..=127).contains(&v.as_i64().unwrap()), "{v}");
        }
    }

    #[test]
    fn seed_response_bodies_are_mostly_valid() {
        let text = std::fs::read_to_string("spec/relay-rest.yaml").unwrap();
        let doc: Value = serde_saphyr::from_str(&text).unwrap();
        for name in ["SipEndpointResponse", "Types.StatusCodes.ValidationError"] {
            let n = valid_values(&doc, &format!("/components/schemas/{name}"), 50);
            assert!(n >= 45, "{name}: only {n} of 50 valid");
        }
    }

    #[test]
    fn negated_classes_give_printable_ascii() {
        let regex = pattern_generator("^<[^>]+>; rel=\"(next|prev)\"").unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..50 {
            let s: String = rng.sample(&regex);
            assert!(s.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{s:?}");
            assert!(s.starts_with('<') && s.contains(">; rel=\""), "{s:?}");
        }
    }

    #[test]
    fn patterns_generate_matching_strings_despite_anchors_and_flags() {
        let doc = json!({"s": {
            "sid": {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$"},
            "file": {"type": "string", "pattern": "([^\\s]+(\\.(?i)(jpeg|pdf))$)"},
            "digits": {"type": "string", "pattern": "^\\d{3}$"}
        }});
        for p in ["/s/sid", "/s/file", "/s/digits"] {
            assert_eq!(valid_values(&doc, p, 20), 20, "{p}");
        }
        assert_eq!(strip_anchors(r"^a[$^]\$b$"), r"a[$^]\$b");
    }

    #[test]
    fn unsatisfiable_recursion_and_huge_patterns_give_up_without_a_crash() {
        let doc = json!({"s": {
            "node": {"type": "object", "required": ["child"], "properties": {"child": {"$ref": "#/s/node"}}},
            "huge": {"type": "string", "pattern": "^a{100000000}$"}
        }});
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut generator = ValueGen::new(&doc, &mut rng);
        assert_eq!(generator.valid(&doc["s"]["node"], 0), None);
        let huge = generator.valid(&doc["s"]["huge"], 0).unwrap();
        assert!(huge.as_str().unwrap().len() < 100, "not generated from the pattern");
    }

    #[test]
    fn bounds_enums_and_all_of_are_respected() {
        let doc = json!({"s": {
            "n": {"type": "integer", "minimum": 5, "exclusiveMaximum": 9, "multipleOf": 2},
            "e": {"enum": ["a", "b"]},
            "a": {"allOf": [{"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "format": "date"}}},
                            {"required": ["y"], "properties": {"y": {"type": "number", "maximum": -3}}}]}
        }});
        for p in ["/s/n", "/s/e", "/s/a"] {
            assert_eq!(valid_values(&doc, p, 30), 30, "{p}");
        }
    }
}
