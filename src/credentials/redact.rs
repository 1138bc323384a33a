//! [`Redactor`]: every secret of a run, in every form gauntlet sends it — raw, `id:token`,
//! base64 at any alignment inside a longer value (so `gauntlet-wrong-id:TOKEN` encoded is
//! caught too), and URL-encoded — found in one pass and replaced with `***`. Built once per
//! session.

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

use std::sync::{Arc, RwLock};

use super::Credentials;

/// Secrets shorter than this are not redacted: they would match everywhere.
const MIN_SECRET: usize = 4;
/// The shortest base64 run taken as a secret's trace (shorter runs match by chance).
const MIN_ENCODED: usize = 6;

/// Finds and replaces every form of a run's secrets; clones share what it has learnt.
#[derive(Debug, Clone)]
pub struct Redactor {
    inner: Arc<RwLock<Inner>>,
}

#[derive(Debug)]
struct Inner {
    secrets: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl Redactor {
    /// A redactor for `credentials`' secrets.
    pub fn new(credentials: &Credentials) -> Redactor {
        Redactor::with(credentials, Vec::new())
    }

    /// A redactor for `credentials`' secrets and the `extra` ones (values case files take
    /// from the environment).
    pub fn with(credentials: &Credentials, extra: Vec<String>) -> Redactor {
        let mut secrets: Vec<String> = extra;
        if let Some((id, token)) = &credentials.basic {
            secrets.push(format!("{id}:{token}"));
            secrets.push(token.clone());
        }
        secrets.extend(credentials.bearer.clone());
        secrets.extend(credentials.api_key.clone());
        secrets.extend(credentials.login.iter().flat_map(|l| l.secrets()));
        secrets.retain(|s| s.len() >= MIN_SECRET);
        let matcher = matcher(&secrets);
        Redactor { inner: Arc::new(RwLock::new(Inner { secrets, matcher })) }
    }

    /// Learns `secret` (a token a login got), in every form, from now on, for this redactor
    /// and its clones.
    pub fn learn(&self, secret: &str) {
        if secret.len() < MIN_SECRET {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if inner.secrets.iter().any(|s| s == secret) {
            return;
        }
        inner.secrets.push(secret.to_owned());
        inner.matcher = matcher(&inner.secrets);
    }

    /// `text` with every form of every secret replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        match &inner.matcher {
            Some(m) => {
                let mut out = String::with_capacity(text.len());
                m.replace_all_with(text, &mut out, |_, _, dst| {
                    dst.push_str("***");
                    true
                });
                out
            }
            None => text.to_owned(),
        }
    }
}

/// One matcher for every form of `secrets`.
fn matcher(secrets: &[String]) -> Option<AhoCorasick> {
    let mut patterns: Vec<String> = Vec::new();
    for secret in secrets {
        patterns.push(secret.clone());
        patterns.push(
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
        patterns.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
        patterns.extend(encoded_traces(secret.as_bytes()));
    }
    patterns.retain(|p| p.len() >= MIN_SECRET);
    patterns.sort();
    patterns.dedup();
    (!patterns.is_empty())
        .then(|| {
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()
        })
        .flatten()
}

/// The base64 characters that `secret` alone decides wherever it sits in a longer value:
/// for each of the three alignments, in both alphabets, the encoding without the groups
/// it shares with the bytes before and after it.
fn encoded_traces(secret: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for offset in 0..3usize {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(secret);
        for engine in [&STANDARD, &URL_SAFE] {
            let encoded = engine.encode(&bytes);
            let start = if offset == 0 { 0 } else { 4 };
            let end =
                if bytes.len() % 3 == 0 { encoded.len() } else { encoded.len().saturating_sub(4) };
            if end > start && end - start >= MIN_ENCODED {
                out.push(encoded[start..end].to_owned());
            }
            // Where the secret ends a value, its last group (with `=` padding) is its own.
            if offset == 0 && encoded.len() >= MIN_ENCODED {
                out.push(encoded.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_of_a_derived_credential_is_redacted() {
        let creds = Credentials {
            basic: Some(("proj".into(), "PT-s3cr3t-t0ken-4242".into())),
            bearer: Some("b3arer/t0ken+x".into()),
            ..Default::default()
        };
        let r = creds.redactor();
        for prefix in ["", "a", "ab", "gauntlet-wrong-id:", "x:"] {
            let value = format!("{prefix}PT-s3cr3t-t0ken-4242");
            for engine in [&STANDARD, &URL_SAFE] {
                let encoded = engine.encode(&value);
                let shown = r.redact(&format!("Authorization: Basic {encoded}"));
                let left = shown.trim_start_matches("Authorization: Basic ");
                let decoded = engine.decode(left.replace("***", "")).unwrap_or_default();
                assert!(
                    !String::from_utf8_lossy(&decoded).contains("s3cr3t-t0ken"),
                    "{prefix:?}: {shown}"
                );
                assert!(shown.contains("***"), "{prefix:?}: {shown}");
            }
        }
        assert_eq!(r.redact("token=b3arer%2Ft0ken%2Bx"), "token=***");
        assert_eq!(r.redact("q=b3arer%2Ft0ken%2Bx&b3arer/t0ken+x"), "q=***&***");
        assert_eq!(r.redact("nothing here"), "nothing here");
        let clone = r.clone();
        r.learn("fresh-t0ken/42");
        assert_eq!(clone.redact("Bearer fresh-t0ken%2F42"), "Bearer ***");
    }
}
