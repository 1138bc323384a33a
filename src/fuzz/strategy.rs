//! What is fuzzed for one operation, and how: a proptest strategy per parameter, in the path,
//! the query, a header or a cookie (valid values from its schema, invalid ones, the
//! dictionary, random and very long text), and one for the credentials, turned into
//! scenarios that keep everything else valid.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::text::Text;
use super::{bytes, dictionary};
use crate::credentials::Credentials;
use crate::generate::{
    Router, ValueGen, invalid_texts, read_param, serialize, wire_char, wire_safe,
};
use crate::openapi::{Location, Operation, SecurityScheme, Spec, resolve_ref};
use crate::plan::{AuthFuzz, AuthMode, Kind, Scenario};
use crate::schema::Validators;
use crate::support::fnv1a;

/// One example: a text per fuzzed parameter, then per fuzzed body field, and the
/// credentials.
pub type Example = (Vec<String>, AuthMode);

/// Where `gauntlet fuzz --location` points: a parameter location, or the JSON body's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Parameters in this location.
    Param(Location),
    /// The top-level fields of a JSON request body.
    Body,
}

impl Place {
    /// `path`, `query`, `header`, `cookie` or `body`.
    pub fn parse(s: &str) -> Option<Place> {
        if s == "body" {
            return Some(Place::Body);
        }
        Location::parse(s).map(Place::Param)
    }
}

/// Most body fields fuzzed per operation (top-level ones first, then nested ones).
const MAX_FIELDS: usize = 12;

/// How deep into nested objects body fields are fuzzed (`body.a.b.c` is depth 3).
const MAX_DEPTH: usize = 3;

type Tree = Box<dyn ValueTree<Value = Example>>;

/// The fuzzing of one operation.
pub struct OperationFuzz {
    /// Index of the operation in the session's plan.
    pub operation: usize,
    /// The fuzzed parameters, as `path.id`, `query.limit`, `header.X-Trace`.
    pub params: Vec<String>,
    /// Their indexes in the operation's parameters.
    indexes: Vec<usize>,
    /// The fuzzed body fields, each as its path of property names from the top (their keys,
    /// `body.name` and `body.address.city`, follow the parameters' in `params`).
    fields: Vec<Vec<String>>,
    /// The valid base body, as JSON, with the media type's validator pointer.
    base_body: Option<(serde_json::Map<String, Value>, crate::openapi::MediaType, Option<String>)>,
    op: Operation,
    base: Scenario,
    /// The base scenario's inputs (`path.id` → text), read once.
    base_inputs: Vec<(String, String)>,
    spec: Arc<Spec>,
    validators: Arc<Validators>,
    router: Arc<Router>,
    strategy: BoxedStrategy<Example>,
}

impl OperationFuzz {
    /// Fuzzes the parameters of `op` named in `only` (all when empty) in the `locations`
    /// given (all when empty), and its Basic credentials when `credentials` has them; `base`
    /// is its valid base scenario. `None` when there is nothing to fuzz.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        operation: usize,
        op: &Operation,
        base: Scenario,
        only: &[String],
        places: &[Place],
        spec: Arc<Spec>,
        validators: Arc<Validators>,
        router: Arc<Router>,
        credentials: &Credentials,
    ) -> Option<Self> {
        let params: Vec<usize> = op
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| places.is_empty() || places.contains(&Place::Param(p.location)))
            .filter(|(_, p)| only.is_empty() || only.contains(&p.name))
            .map(|(i, _)| i)
            .collect();
        let fuzz_auth = match op.auth.first() {
            Some(SecurityScheme::Basic) => credentials.basic.is_some(),
            Some(s @ (SecurityScheme::Bearer | SecurityScheme::ApiKey { .. })) => {
                credentials.covers(s)
            }
            _ => false,
        };
        let base_body = (places.is_empty() || places.contains(&Place::Body))
            .then(|| object_body(&spec, op, &base))
            .flatten();
        let fields: Vec<Vec<String>> = base_body
            .iter()
            .flat_map(|(fields, _, _)| field_paths(fields))
            .filter(|path| only.is_empty() || only.contains(&path.join(".")))
            .take(MAX_FIELDS)
            .collect();
        if params.is_empty() && fields.is_empty() && !fuzz_auth {
            return None;
        }
        let base_inputs = base.first().inputs(op);
        let mut texts: Vec<Text> = params
            .iter()
            .map(|&i| {
                let name = key(&op.parameters[i]);
                let valid = base_inputs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
                text_strategy(&spec, op, i, valid.unwrap_or(""))
            })
            .collect();
        if let Some((values, _, pointer)) = &base_body {
            let doc = spec.request_doc();
            let schema = pointer.as_deref().and_then(|p| doc.pointer(p));
            for path in &fields {
                let field = schema.and_then(|s| field_schema(doc, s, path));
                let valid = value_at(values, path).unwrap_or(&Value::Null);
                texts.push(field_strategy(&spec, field.cloned(), valid));
            }
        }
        let auth = if fuzz_auth { auth_strategy() } else { Just(AuthMode::Valid).boxed() };
        Some(OperationFuzz {
            operation,
            params: params
                .iter()
                .map(|&i| key(&op.parameters[i]))
                .chain(fields.iter().map(|f| format!("body.{}", f.join("."))))
                .collect(),
            indexes: params.clone(),
            fields,
            base_body,
            op: op.clone(),
            base,
            base_inputs,
            spec,
            validators,
            router,
            strategy: (texts, auth).boxed(),
        })
    }

    /// The tree of example `n` for `seed`: the same every time, so a failure can be shrunk
    /// again from scratch (for another check) and a run repeated.
    pub fn tree(&self, seed: u64, n: u64) -> Tree {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&n.to_le_bytes());
        key[16..24].copy_from_slice(&fnv1a(&[self.op.id.as_bytes()]).to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
        match self.strategy.new_tree(&mut runner) {
            Ok(tree) => Box::new(tree),
            Err(_) => {
                Box::new(Just((Vec::new(), AuthMode::Valid)).new_tree(&mut runner).expect("Just"))
            }
        }
    }

    /// The inputs of `example` for reports: `path.id` → value, `auth` → label.
    pub fn inputs(&self, example: &Example) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .params
            .iter()
            .zip(&example.0)
            .map(|(n, v)| (n.clone(), bytes::display(v)))
            .collect();
        out.push(("auth".into(), auth_label(example.1)));
        out
    }

    /// The scenario that sends `example`, or `None` when its path would route to another
    /// operation (a `..` segment, say), which is not this operation's answer to judge, or a
    /// header or cookie value holds what HTTP cannot carry there.
    pub fn scenario(&self, example: &Example) -> Option<Scenario> {
        let (values, auth) = example;
        let mut segments: Vec<(&str, String)> = Vec::new();
        let mut invalid = Vec::new();
        let mut request = self.base.first().request.clone();
        // Raw bytes that are not UTF-8 make a string no schema can call valid or invalid as
        // every server reads it: an example holding them is a probe, unless it breaks
        // something else.
        let raw = values.iter().any(|t| bytes::has_raw(t));
        for (param_index, param) in self.op.parameters.iter().enumerate() {
            let fuzzed = self.indexes.iter().position(|i| *i == param_index);
            if param.location != Location::Path {
                let Some(i) = fuzzed else { continue };
                let text = &values[i];
                if !self.accepts(param, text) {
                    invalid.push(key(param));
                }
                let same = |n: &String| n.eq_ignore_ascii_case(&param.name);
                if !wire_safe(param.location, text) {
                    return None;
                }
                let pairs = match param.location {
                    Location::Query => &mut request.query,
                    Location::Header => &mut request.headers,
                    _ => &mut request.cookies,
                };
                pairs.retain(|(n, _)| !same(n));
                pairs.push((param.name.clone(), text.clone()));
                continue;
            }
            let text = match fuzzed {
                Some(i) => {
                    let text = &values[i];
                    // An empty segment is a missing path parameter, whatever the schema says.
                    if text.is_empty() || !self.accepts(param, text) {
                        invalid.push(key(param));
                    }
                    text.clone()
                }
                None => self
                    .base_inputs
                    .iter()
                    .find(|(k, _)| *k == key(param))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            };
            segments.push((param.name.as_str(), bytes::segment(&text)));
        }
        let path = self
            .op
            .path
            .render(|name| segments.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()));
        if self.router.strays(&self.op.path, &path) {
            return None;
        }
        if let Some((base, media, pointer)) = &self.base_body
            && !self.fields.is_empty()
        {
            let json = crate::generate::writer(&media.name) == Some(crate::generate::Writer::Json);
            let mut body = base.clone();
            for (j, path) in self.fields.iter().enumerate() {
                let text = &values[self.indexes.len() + j];
                // In JSON, JSON where the text is JSON (`12`, `null`, `[]`), else the text as a
                // string; a form field is text whatever it holds.
                let value = match serde_json::from_str(text) {
                    Ok(v) if json => v,
                    _ => Value::String(text.clone()),
                };
                // A nested field whose parent another draw replaced by a non-object is gone.
                set_at(&mut body, path, value);
            }
            let doc = self.spec.request_doc();
            let schema = pointer.as_deref().and_then(|p| doc.pointer(p));
            let mut sent = crate::generate::encode_body(doc, media, schema, &Value::Object(body))?;
            // Judged as the server reads the bytes back (a form field's text coerced): valid
            // under every reading, or invalid under every one; a body two readings disagree
            // on is no example.
            if let Some(validator) = pointer.as_deref().and_then(|p| self.validators.get(p)) {
                let readings =
                    crate::generate::decode_body(doc, schema, &sent.content_type, &sent.bytes);
                let valid = readings.iter().filter(|r| validator.is_valid(r)).count();
                if valid == 0 {
                    invalid.push("body".into());
                } else if valid < readings.len() {
                    return None;
                }
            }
            if raw {
                sent.bytes = bytes::body(&sent.bytes);
            }
            request.body = Some(sent);
        }
        let auth_broken = match auth {
            AuthMode::Valid => false,
            AuthMode::Fuzzed(f) => !f.accepted(),
            _ => true,
        };
        if auth_broken {
            invalid.push("auth".into());
        }
        let kind = if invalid.is_empty() && raw {
            Kind::Negative { target: crate::plan::PROBE.into(), rule: "fuzz/not-utf-8".into() }
        } else if invalid.is_empty() {
            Kind::Positive
        } else {
            let rule = if auth_broken { auth_label(*auth) } else { "fuzz".into() };
            Kind::Negative { target: invalid.join(","), rule }
        };
        request.path = path;
        request.auth = *auth;
        Some(Scenario::single(self.operation, "fuzz".into(), kind, request))
    }

    /// Whether the parameter's schema accepts `text` as the server reads it.
    fn accepts(&self, param: &crate::openapi::Parameter, text: &str) -> bool {
        let Some(schema_ref) = &param.schema else { return true };
        let Some(validator) = self.validators.get(&schema_ref.pointer) else { return true };
        let doc = self.spec.request_doc();
        let Some(schema) = doc.pointer(&schema_ref.pointer) else { return true };
        validator.is_valid(&read_param(doc, param, schema, text))
    }
}

/// The base scenario's body as an object (a JSON object, or the fields of a form or a
/// multipart body as the server reads them), its media type, and the pointer of its schema.
fn object_body(
    spec: &Spec,
    op: &Operation,
    base: &Scenario,
) -> Option<(serde_json::Map<String, Value>, crate::openapi::MediaType, Option<String>)> {
    use crate::generate::Writer;
    let body = base.first().request.body.as_ref()?;
    let essence = crate::checks::essence(&body.content_type);
    let media = op.request_body.as_ref()?.content.iter().find(|m| m.name == essence)?;
    let pointer = media.schema.as_ref().map(|s| s.pointer.clone());
    let value = match crate::generate::writer(&media.name)? {
        Writer::Json => serde_json::from_slice(&body.bytes).ok()?,
        Writer::Form | Writer::Multipart => {
            let doc = spec.request_doc();
            let schema = pointer.as_deref().and_then(|p| doc.pointer(p));
            let readings =
                crate::generate::decode_body(doc, schema, &body.content_type, &body.bytes);
            readings.into_iter().next()?
        }
        _ => return None,
    };
    let Value::Object(fields) = value else { return None };
    Some((fields, media.clone(), pointer))
}

/// Each field of `fields` as its path of names: the top-level ones, then those of nested
/// objects, breadth first, down to [`MAX_DEPTH`].
fn field_paths(fields: &serde_json::Map<String, Value>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut level: Vec<(Vec<String>, &serde_json::Map<String, Value>)> = vec![(Vec::new(), fields)];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (prefix, map) in level {
            for (name, value) in map {
                let mut path = prefix.clone();
                path.push(name.clone());
                if let Value::Object(inner) = value {
                    next.push((path.clone(), inner));
                }
                out.push(path);
            }
        }
        level = next;
    }
    out
}

/// The value at `path` in `fields`.
fn value_at<'v>(fields: &'v serde_json::Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(fields.get(first)?, |v, name| v.get(name))
}

/// Sets the value at `path` in `fields`; `false` when a parent on the way is not an object.
fn set_at(fields: &mut serde_json::Map<String, Value>, path: &[String], value: Value) -> bool {
    let Some((last, parents)) = path.split_last() else { return false };
    let mut map = fields;
    for name in parents {
        match map.get_mut(name) {
            Some(Value::Object(inner)) => map = inner,
            _ => return false,
        }
    }
    map.insert(last.clone(), value);
    true
}

/// The schema of the field at `path` (property names from the top) of an object schema.
pub(super) fn field_schema<'d>(
    doc: &'d Value,
    schema: &'d Value,
    path: &[String],
) -> Option<&'d Value> {
    path.iter().try_fold(schema, |s, name| property_schema(doc, s, name))
}

/// The schema of property `name` of an object schema (`$ref`s and `allOf` followed).
pub(super) fn property_schema<'d>(
    doc: &'d Value,
    schema: &'d Value,
    name: &str,
) -> Option<&'d Value> {
    let (resolved, _) = resolve_ref(doc, schema).ok()?;
    if let Some(found) = resolved.get("properties").and_then(|p| p.get(name)) {
        return Some(found);
    }
    let all = resolved.get("allOf")?.as_array()?;
    all.iter().find_map(|part| property_schema(doc, part, name))
}

/// Text for one JSON body field: valid values of its schema, invalid ones, type and
/// structure changes, numbers at the edges of what parsers hold, the string dictionary, and
/// random and long text (JSON where it parses, else a string).
fn field_strategy(spec: &Arc<Spec>, schema: Option<Value>, valid: &Value) -> Text {
    let doc = spec.request_doc();
    let invalid: Vec<String> = schema
        .as_ref()
        .map(|s| crate::generate::invalid_values(doc, s, valid))
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.value.to_string())
        .collect();
    let shapes: Vec<String> = [
        "null",
        "true",
        "[]",
        "{}",
        "\"\"",
        "[null]",
        "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
        "0",
        "-1",
        "-0",
        "0.1",
        "1e308",
        "-1e308",
        "1e-320",
        "99999999999999999999999",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "\"\\u0000\"",
        "\"\\ud800\"",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain(std::iter::once(valid.to_string()))
    .collect();
    let invalid = if invalid.is_empty() { shapes.clone() } else { invalid };
    let valid_text = {
        let spec = Arc::clone(spec);
        let schema = schema.clone();
        let fallback = valid.to_string();
        any::<u64>().prop_map(move |seed| {
            let Some(schema) = &schema else { return fallback.clone() };
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            ValueGen::new(spec.request_doc(), &mut rng)
                .valid(schema, 1)
                .map_or_else(|| fallback.clone(), |v| v.to_string())
        })
    };
    let random = (1usize..48, any::<u64>()).prop_map(|(len, seed)| random_text(len, seed));
    let long = (64usize..4096, any::<u64>()).prop_map(|(len, seed)| random_text(len, seed));
    Text::new(
        prop_oneof![
            3 => valid_text,
            3 => prop::sample::select(invalid),
            3 => prop::sample::select(shapes),
            2 => prop::sample::select(dictionary::strings()),
            1 => prop::sample::select(bytes::values()),
            2 => random,
            1 => long,
        ]
        .boxed(),
    )
}

/// A parameter's input name (`query.limit`).
fn key(param: &crate::openapi::Parameter) -> String {
    format!("{}.{}", param.location.as_str(), param.name)
}

/// A label for a credential mode.
pub fn auth_label(mode: AuthMode) -> String {
    match mode {
        AuthMode::Valid => "valid".into(),
        AuthMode::Omit => "missing".into(),
        AuthMode::Broken(b) => b.label().into(),
        AuthMode::Fuzzed(f) => f.label(),
    }
}

/// Text for path parameter `index` of `op`.
fn text_strategy(spec: &Arc<Spec>, op: &Operation, index: usize, valid_text: &str) -> Text {
    let doc = spec.request_doc();
    let param = op.parameters[index].clone();
    let location = param.location;
    let schema = param.schema.as_ref().and_then(|s| doc.pointer(&s.pointer)).cloned();
    let resolved = schema.as_ref().and_then(|s| resolve_ref(doc, s).ok()).map(|(r, _)| r.clone());
    let is_uuid =
        resolved.as_ref().and_then(|r| r.get("format")).and_then(Value::as_str) == Some("uuid");
    let source = Arc::new(ValidText { spec: Arc::clone(spec), schema, param });
    let valid = {
        let source = Arc::clone(&source);
        any::<u64>().prop_map(move |seed| source.draw(seed))
    };
    let invalid: Vec<String> = match resolved.as_ref().and_then(Value::as_object) {
        Some(map) => invalid_texts(map, valid_text).into_iter().map(|c| c.text).collect(),
        None => Vec::new(),
    };
    let dictionary = if is_uuid { dictionary::uuid() } else { dictionary::strings() };
    let boundaries = if is_uuid { dictionary::uuid_boundaries() } else { dictionary::strings() };
    let invalid = if invalid.is_empty() { dictionary.clone() } else { invalid };
    // Random text: a length and a seed, the characters drawn from the seed (per-character
    // strategies would cost a tree each; `Text` does the shrinking).
    let random = (1usize..48, any::<u64>()).prop_map(|(len, seed)| random_text(len, seed));
    let long = (64usize..2048, any::<u64>()).prop_map(|(len, seed)| random_text(len, seed));
    // A valid value with one character changed: case, a neighbour, a stray.
    let mutated = (
        any::<u64>(),
        any::<prop::sample::Index>(),
        prop::sample::select(vec!['A', 'g', ' ', '\0', '%', '/', 'é', '-', '0']),
    )
        .prop_map({
            move |(seed, at, c)| {
                let mut chars: Vec<char> = source.draw(seed).chars().collect();
                if chars.is_empty() {
                    return c.to_string();
                }
                let i = at.index(chars.len());
                chars[i] = if c == 'A' { chars[i].to_ascii_uppercase() } else { c };
                chars.into_iter().collect()
            }
        });
    Text::new(
        prop_oneof![
            3 => valid,
            2 => prop::sample::select(invalid),
            3 => prop::sample::select(dictionary),
            2 => prop::sample::select(boundaries),
            2 => mutated,
            1 => prop::sample::select(bytes::values()),
            2 => random,
            1 => long,
        ]
        // A header or cookie carries only some bytes: the rest are left out of the draw
        // rather than the whole example skipped.
        .prop_map(move |text| carried(location, text))
        .boxed(),
    )
}

/// `text` with what HTTP cannot carry in `location` taken out (nothing for a path, which is
/// encoded, and only raw bytes for a query, whose values go out as UTF-8 text).
fn carried(location: Location, text: String) -> String {
    let text = match location {
        Location::Path => return text,
        _ if bytes::has_raw(&text) => bytes::without_raw(&text),
        _ => text,
    };
    if wire_safe(location, &text) {
        return text;
    }
    let kept: String = text.chars().filter(|c| wire_char(location, *c)).collect();
    match location {
        Location::Header => kept.trim().to_owned(),
        _ => kept,
    }
}

/// Valid text for one parameter, drawn from a seed.
struct ValidText {
    spec: Arc<Spec>,
    schema: Option<Value>,
    param: crate::openapi::Parameter,
}

impl ValidText {
    /// A value valid under the schema, serialised as the parameter's style says.
    fn draw(&self, seed: u64) -> String {
        let Some(schema) = &self.schema else { return format!("gauntlet{}", seed % 1000) };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let value = ValueGen::new(self.spec.request_doc(), &mut rng)
            .valid(schema, 0)
            .unwrap_or(Value::Null);
        serialize(&self.param, &value).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
    }
}

/// Characters for random text, weighted by repetition: mostly what uuids are made of, then
/// upper case, separators, whitespace, control characters, punctuation and non-ASCII.
const CHARS: &str = "abcdefabcdefabcdef0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ----ghijklmnopqrstuvwxyz \t\n\r\u{a0}\0\u{1}\u{8}\u{1b}\u{1f}\u{7f}%/.:{}[]'\"<>\\;,?#&=+*@!$()~`^|éßö€中😀\u{202e}\u{fffd}\u{200b}";

fn random_text(len: usize, seed: u64) -> String {
    use rand::Rng;
    let chars: Vec<char> = CHARS.chars().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|_| chars[rng.random_range(0..chars.len())]).collect()
}

/// Credentials: mostly valid, otherwise missing or changed in one way. Shrinking moves one
/// choice up the list at a time, so the still-valid forms come right after `Valid`.
fn auth_strategy() -> BoxedStrategy<AuthMode> {
    prop_oneof![
        12 => Just(AuthMode::Valid),
        1 => (1u8..32).prop_map(|m| AuthMode::Fuzzed(AuthFuzz::SchemeCase(m))),
        1 => Just(AuthMode::Omit),
        1 => (1u8..4).prop_map(|n| AuthMode::Fuzzed(AuthFuzz::Padding(n))),
        1 => (0u8..4).prop_map(|k| AuthMode::Fuzzed(AuthFuzz::NotBase64(k))),
        1 => prop::sample::select(vec![AuthFuzz::EmptyId, AuthFuzz::EmptyToken, AuthFuzz::EmptyParts])
            .prop_map(AuthMode::Fuzzed),
        1 => (65u16..8192).prop_map(|n| AuthMode::Fuzzed(AuthFuzz::LongToken(n))),
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header draws lost their inner spaces: each character was checked as a whole value,
    /// and a lone space is not one (it would be trimmed).
    #[test]
    fn a_header_draw_keeps_its_inner_spaces_and_drops_what_a_header_cannot_carry() {
        assert_eq!(carried(Location::Header, " a b\n\u{e9}c ".into()), "a bc");
        assert_eq!(carried(Location::Cookie, "a b;c".into()), "abc");
        assert_eq!(carried(Location::Query, "a b\n".into()), "a b\n");
    }
}
