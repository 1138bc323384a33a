//! Credentials: rendering them (valid or broken) onto a request, describing them in a `curl`
//! line without the secret, and redacting secrets from anything a report shows.
//!
//! Secrets live only in [`Credentials`]; the plan holds an [`AuthMode`], the runner renders it
//! here at send time, and reports get the `curl` form, which reads secrets from the
//! environment (`$GAUNTLET_USER`) instead of holding them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::openapi::{ApiKeyLocation, SecurityScheme};
use crate::plan::{AuthBreak, AuthFuzz, AuthMode};

/// A token no real account has.
const WRONG_TOKEN: &str = "gauntlet-wrong-token";
/// An id no real account has.
const WRONG_ID: &str = "gauntlet-wrong-id";
/// Stand-in id and token when the run has no credentials.
const PLACEHOLDER: &str = "gauntlet";

/// The secrets of a run.
#[derive(Clone, Default)]
pub struct Credentials {
    /// HTTP Basic id and token (`--user ID:TOKEN`).
    pub basic: Option<(String, String)>,
    /// A bearer token (`--bearer`); the Basic token stands in when absent.
    pub bearer: Option<String>,
    /// An API key (`--api-key`); the Basic token stands in when absent.
    pub api_key: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(***)")
    }
}

/// Where a rendered credential goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A header and its value.
    Header(String, String),
    /// A query parameter.
    Query(String, String),
    /// A cookie.
    Cookie(String, String),
}

impl Credentials {
    /// Parses `ID:TOKEN`.
    pub fn parse_user(user: &str) -> Option<(String, String)> {
        let (id, token) = user.split_once(':')?;
        Some((id.to_owned(), token.to_owned()))
    }

    /// Parses `ID:TOKEN` given by `source` (a flag, a variable, a settings key); the error
    /// names the source and never the value.
    pub fn user_setting(source: &str, user: &str) -> crate::Result<(String, String)> {
        Credentials::parse_user(user)
            .ok_or_else(|| crate::Error::flag(source, "expected ID:TOKEN (the value is not shown)"))
    }

    /// Whether the run has any credential at all.
    pub fn any(&self) -> bool {
        self.basic.is_some() || self.bearer.is_some() || self.api_key.is_some()
    }

    /// Whether the run can authenticate for `scheme`.
    pub fn covers(&self, scheme: &SecurityScheme) -> bool {
        match scheme {
            SecurityScheme::Basic => self.basic.is_some(),
            SecurityScheme::Bearer => self.bearer.is_some() || self.basic.is_some(),
            SecurityScheme::ApiKey { .. } => self.api_key.is_some() || self.basic.is_some(),
            SecurityScheme::Unsupported(_) => false,
        }
    }

    fn token(&self, explicit: &Option<String>) -> Option<String> {
        explicit.clone().or_else(|| self.basic.as_ref().map(|(_, t)| t.clone()))
    }

    /// Renders `mode` for `scheme`: where it goes and what it says (nothing for `Omit`, or for
    /// `Valid` without credentials).
    pub fn render(&self, scheme: &SecurityScheme, mode: AuthMode) -> Option<Placement> {
        let header = |v: String| Some(Placement::Header("Authorization".into(), v));
        match scheme {
            SecurityScheme::Basic => {
                let (id, token) =
                    self.basic.clone().unwrap_or((PLACEHOLDER.into(), PLACEHOLDER.into()));
                let b64 = |s: &str| STANDARD.encode(s);
                match mode {
                    AuthMode::Omit => None,
                    AuthMode::Valid => self
                        .basic
                        .as_ref()
                        .and_then(|_| header(format!("Basic {}", b64(&format!("{id}:{token}"))))),
                    AuthMode::Broken(b) => header(match b {
                        AuthBreak::Empty => String::new(),
                        AuthBreak::OtherScheme => {
                            format!("Bearer {}", b64(&format!("{id}:{token}")))
                        }
                        AuthBreak::NotBase64 => "Basic !!not-base64!!".into(),
                        AuthBreak::NoColon => format!("Basic {}", b64(&id)),
                        AuthBreak::WrongToken => {
                            format!("Basic {}", b64(&format!("{id}:{WRONG_TOKEN}")))
                        }
                        AuthBreak::WrongId => {
                            format!("Basic {}", b64(&format!("{WRONG_ID}:{token}")))
                        }
                    }),
                    AuthMode::Fuzzed(f) => header(match f {
                        AuthFuzz::SchemeCase(_) => {
                            format!("{} {}", f.scheme(), b64(&format!("{id}:{token}")))
                        }
                        AuthFuzz::Padding(n) => format!(
                            "Basic {}{}",
                            b64(&format!("{id}:{token}")),
                            "=".repeat(n.into())
                        ),
                        AuthFuzz::NotBase64(k) => format!("Basic {}", not_base64(k, &id, &token)),
                        AuthFuzz::EmptyId => format!("Basic {}", b64(&format!(":{token}"))),
                        AuthFuzz::EmptyToken => format!("Basic {}", b64(&format!("{id}:"))),
                        AuthFuzz::EmptyParts => format!("Basic {}", b64(":")),
                        AuthFuzz::LongToken(n) => {
                            format!("Basic {}", b64(&format!("{id}:{}", "x".repeat(n.into()))))
                        }
                    }),
                }
            }
            SecurityScheme::Bearer => {
                let token = self.token(&self.bearer);
                match mode {
                    AuthMode::Omit => None,
                    AuthMode::Valid => token.and_then(|t| header(format!("Bearer {t}"))),
                    AuthMode::Fuzzed(_) => header(format!("Bearer {WRONG_TOKEN}")),
                    AuthMode::Broken(b) => header(match b {
                        AuthBreak::Empty => String::new(),
                        AuthBreak::OtherScheme => {
                            format!("Basic {}", token.unwrap_or(PLACEHOLDER.into()))
                        }
                        _ => format!("Bearer {WRONG_TOKEN}"),
                    }),
                }
            }
            SecurityScheme::ApiKey { name, location } => {
                let key = match mode {
                    AuthMode::Omit => return None,
                    AuthMode::Valid => self.token(&self.api_key)?,
                    AuthMode::Broken(AuthBreak::Empty) => String::new(),
                    AuthMode::Broken(_) | AuthMode::Fuzzed(_) => WRONG_TOKEN.into(),
                };
                Some(match location {
                    ApiKeyLocation::Header => Placement::Header(name.clone(), key),
                    ApiKeyLocation::Query => Placement::Query(name.clone(), key),
                    ApiKeyLocation::Cookie => Placement::Cookie(name.clone(), key),
                })
            }
            SecurityScheme::Unsupported(_) => None,
        }
    }
}

/// A Basic payload that is not base64: `k` picks the form (one is the secret unencoded,
/// which a report never shows: it is redacted like any secret).
fn not_base64(k: u8, id: &str, token: &str) -> String {
    match k % 4 {
        0 => "!!!!".into(),
        1 => format!("{id}:{token}"),
        2 => "%%%%".into(),
        _ => "a b c d".into(),
    }
}

impl Credentials {
    /// The secrets to scrub from anything shown: tokens, `id:token`, and its base64 form.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((id, token)) = &self.basic {
            out.push(format!("{id}:{token}"));
            out.push(STANDARD.encode(format!("{id}:{token}")));
            out.push(token.clone());
        }
        out.extend(self.bearer.clone());
        out.extend(self.api_key.clone());
        out.retain(|s| s.len() >= 4);
        // Longest first, so `id:token` is replaced before `token` alone.
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out
    }

    /// Replaces every secret in `text` with `***`.
    pub fn redact(&self, text: &str) -> String {
        self.secrets().iter().fold(text.to_owned(), |t, s| t.replace(s.as_str(), "***"))
    }
}

/// `curl` arguments that reproduce `mode` for `scheme` without holding a secret: they read
/// `$GAUNTLET_USER`, `$GAUNTLET_BEARER` or `$GAUNTLET_API_KEY` from the environment.
/// Query-string keys come back as `Placement::Query` for the caller to put in the URL.
pub fn curl_form(
    scheme: &SecurityScheme,
    mode: AuthMode,
    has_credentials: bool,
) -> Option<Placement> {
    let user = if has_credentials { "$GAUNTLET_USER" } else { "gauntlet:gauntlet" };
    let header = |v: String| Some(Placement::Header("Authorization".into(), v));
    match (scheme, mode) {
        (_, AuthMode::Omit) | (SecurityScheme::Unsupported(_), _) => None,
        (_, AuthMode::Valid) if !has_credentials => None,
        (SecurityScheme::Basic, AuthMode::Valid) => {
            Some(Placement::Header("-u".into(), user.into()))
        }
        (SecurityScheme::Basic, AuthMode::Broken(b)) => match b {
            AuthBreak::Empty => header(String::new()),
            AuthBreak::OtherScheme => header(format!("Bearer $(printf %s \"{user}\" | base64)")),
            AuthBreak::NotBase64 => header("Basic !!not-base64!!".into()),
            AuthBreak::NoColon => {
                header("Basic $(printf %s \"${GAUNTLET_USER%%:*}\" | base64)".into())
            }
            AuthBreak::WrongToken => Some(Placement::Header(
                "-u".into(),
                format!("${{GAUNTLET_USER%%:*}}:{WRONG_TOKEN}"),
            )),
            AuthBreak::WrongId => {
                Some(Placement::Header("-u".into(), format!("{WRONG_ID}:${{GAUNTLET_USER#*:}}")))
            }
        },
        (SecurityScheme::Basic, AuthMode::Fuzzed(f)) => {
            let b64 = |s: &str| format!("$(printf %s \"{s}\" | base64 | tr -d '\\n')");
            match f {
                AuthFuzz::SchemeCase(_) => header(format!("{} {}", f.scheme(), b64(user))),
                AuthFuzz::Padding(n) => {
                    header(format!("Basic {}{}", b64(user), "=".repeat(n.into())))
                }
                AuthFuzz::NotBase64(k) => header(format!(
                    "Basic {}",
                    not_base64(k, "${GAUNTLET_USER%%:*}", "${GAUNTLET_USER#*:}")
                )),
                AuthFuzz::EmptyId => {
                    Some(Placement::Header("-u".into(), ":${GAUNTLET_USER#*:}".into()))
                }
                AuthFuzz::EmptyToken => {
                    Some(Placement::Header("-u".into(), "${GAUNTLET_USER%%:*}:".into()))
                }
                AuthFuzz::EmptyParts => Some(Placement::Header("-u".into(), ":".into())),
                AuthFuzz::LongToken(n) => Some(Placement::Header(
                    "-u".into(),
                    format!("${{GAUNTLET_USER%%:*}}:$(head -c {n} /dev/zero | tr '\\0' x)"),
                )),
            }
        }
        (SecurityScheme::Bearer, AuthMode::Valid) => header("Bearer $GAUNTLET_BEARER".into()),
        (SecurityScheme::Bearer, AuthMode::Fuzzed(_)) => header(format!("Bearer {WRONG_TOKEN}")),
        (SecurityScheme::Bearer, AuthMode::Broken(b)) => header(match b {
            AuthBreak::Empty => String::new(),
            AuthBreak::OtherScheme => "Basic $GAUNTLET_BEARER".into(),
            _ => format!("Bearer {WRONG_TOKEN}"),
        }),
        (SecurityScheme::ApiKey { name, location }, mode) => {
            let value = match mode {
                AuthMode::Valid => "$GAUNTLET_API_KEY".to_owned(),
                AuthMode::Broken(AuthBreak::Empty) => String::new(),
                _ => WRONG_TOKEN.to_owned(),
            };
            Some(match location {
                ApiKeyLocation::Header => Placement::Header(name.clone(), value),
                ApiKeyLocation::Query => Placement::Query(name.clone(), value),
                ApiKeyLocation::Cookie => Placement::Cookie(name.clone(), value),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_basic_forms_differ_from_the_valid_one_and_redact() {
        let creds = Credentials {
            basic: Some(("proj".into(), "s3cret-token".into())),
            ..Default::default()
        };
        let valid = creds.render(&SecurityScheme::Basic, AuthMode::Valid).unwrap();
        let Placement::Header(_, v) = &valid else { panic!() };
        assert_eq!(v, &format!("Basic {}", STANDARD.encode("proj:s3cret-token")));
        for &b in AuthBreak::BASIC {
            assert_ne!(
                creds.render(&SecurityScheme::Basic, AuthMode::Broken(b)).unwrap(),
                valid,
                "{b:?}"
            );
        }
        assert_eq!(creds.redact(&format!("echo {v} and s3cret-token")), "echo Basic *** and ***");
        assert!(creds.render(&SecurityScheme::Basic, AuthMode::Omit).is_none());
    }
}
