//! One renderer for every scheme and mode, in two forms: [`Form::Real`] gives the bytes sent,
//! [`Form::Shell`] the same credential as shell text that reads the secrets from the
//! environment (`$GAUNTLET_USER`), for `curl` lines. The two cannot drift apart: each
//! break is written once, over [`Material`] that each form supplies.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Credentials, PLACEHOLDER, Placement, WRONG_ID, WRONG_TOKEN};
use crate::openapi::{ApiKeyLocation, SecurityScheme};
use crate::plan::{AuthBreak, AuthFuzz, AuthMode};

/// How a credential is written.
pub(super) enum Form<'a> {
    /// As sent, with the secrets.
    Real(&'a Credentials),
    /// As shell text for a `curl` line; `has_credentials` says whether the variables hold any.
    Shell {
        /// Whether the run had credentials (the variables are set).
        has_credentials: bool,
    },
}

/// A part of a Basic `id:token` pair.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part<'s> {
    /// The configured id.
    Id,
    /// The configured token.
    Token,
    /// Text of gauntlet's own.
    Text(&'s str),
}

impl Form<'_> {
    /// The text of a pair part.
    fn part(&self, part: Part<'_>) -> String {
        match (self, part) {
            (_, Part::Text(t)) => t.to_owned(),
            (Form::Real(c), Part::Id) => c.basic.as_ref().map_or(PLACEHOLDER, |(id, _)| id).into(),
            (Form::Real(c), Part::Token) => c.basic.as_ref().map_or(PLACEHOLDER, |(_, t)| t).into(),
            (Form::Shell { has_credentials: false }, _) => PLACEHOLDER.into(),
            (Form::Shell { .. }, Part::Id) => "${GAUNTLET_USER%%:*}".into(),
            (Form::Shell { .. }, Part::Token) => "${GAUNTLET_USER#*:}".into(),
        }
    }

    /// `id:token` as one text.
    fn user(&self) -> String {
        match self {
            Form::Shell { has_credentials: true } => "$GAUNTLET_USER".into(),
            _ => format!("{}:{}", self.part(Part::Id), self.part(Part::Token)),
        }
    }

    /// The base64 of `text` (shell: computed by the shell, on one line).
    fn base64(&self, text: &str) -> String {
        match self {
            Form::Real(_) => STANDARD.encode(text),
            Form::Shell { .. } => format!("$(printf %s \"{text}\" | base64 | tr -d '\\n')"),
        }
    }

    /// A Basic credential of `id` and `token`: an `Authorization` header, or in the shell,
    /// curl's `-u` (which encodes it).
    fn pair(&self, id: Part<'_>, token: Part<'_>) -> Placement {
        match self {
            Form::Real(_) => {
                let user = format!("{}:{}", self.part(id), self.part(token));
                authorization(format!("Basic {}", self.base64(&user)))
            }
            Form::Shell { .. } if id == Part::Id && token == Part::Token => {
                Placement::Header("-u".into(), self.user())
            }
            Form::Shell { .. } => {
                Placement::Header("-u".into(), format!("{}:{}", self.part(id), self.part(token)))
            }
        }
    }

    /// N `x` characters.
    fn xs(&self, n: u16) -> String {
        match self {
            Form::Real(_) => "x".repeat(n.into()),
            Form::Shell { .. } => format!("$(head -c {n} /dev/zero | tr '\\0' x)"),
        }
    }

    /// The bearer token, or the API key: `None` when the run has none.
    fn secret(&self, scheme: &SecurityScheme) -> Option<String> {
        match (self, scheme) {
            (Form::Real(c), SecurityScheme::Bearer) => c.token(&c.bearer),
            (Form::Real(c), _) => c.token(&c.api_key),
            (Form::Shell { has_credentials: false }, _) => None,
            (Form::Shell { .. }, SecurityScheme::Bearer) => Some("$GAUNTLET_BEARER".into()),
            (Form::Shell { .. }, _) => Some("$GAUNTLET_API_KEY".into()),
        }
    }

    /// Whether a valid Basic credential can be written.
    fn has_basic(&self) -> bool {
        match self {
            Form::Real(c) => c.basic.is_some(),
            Form::Shell { has_credentials } => *has_credentials,
        }
    }
}

fn authorization(value: String) -> Placement {
    Placement::Header("Authorization".into(), value)
}

/// Renders `mode` for `scheme` in `form`: where it goes and what it says (nothing for
/// `Omit`, or for `Valid` without credentials).
pub(super) fn render(
    scheme: &SecurityScheme,
    mode: AuthMode,
    form: &Form<'_>,
) -> Option<Placement> {
    let header = |v: String| Some(authorization(v));
    match scheme {
        SecurityScheme::Basic => match mode {
            AuthMode::Omit => None,
            AuthMode::Valid => form.has_basic().then(|| form.pair(Part::Id, Part::Token)),
            AuthMode::Broken(b) => match b {
                AuthBreak::Empty => header(String::new()),
                AuthBreak::OtherScheme => header(format!("Bearer {}", form.base64(&form.user()))),
                AuthBreak::NotBase64 => header("Basic !!not-base64!!".into()),
                AuthBreak::NoColon => {
                    header(format!("Basic {}", form.base64(&form.part(Part::Id))))
                }
                AuthBreak::WrongToken => Some(form.pair(Part::Id, Part::Text(WRONG_TOKEN))),
                AuthBreak::WrongId => Some(form.pair(Part::Text(WRONG_ID), Part::Token)),
            },
            AuthMode::Fuzzed(f) => match f {
                AuthFuzz::SchemeCase(_) => {
                    header(format!("{} {}", f.scheme(), form.base64(&form.user())))
                }
                AuthFuzz::Padding(n) => {
                    header(format!("Basic {}{}", form.base64(&form.user()), "=".repeat(n.into())))
                }
                AuthFuzz::NotBase64(k) => header(format!(
                    "Basic {}",
                    not_base64(k, &form.part(Part::Id), &form.part(Part::Token))
                )),
                AuthFuzz::EmptyId => Some(form.pair(Part::Text(""), Part::Token)),
                AuthFuzz::EmptyToken => Some(form.pair(Part::Id, Part::Text(""))),
                AuthFuzz::EmptyParts => Some(form.pair(Part::Text(""), Part::Text(""))),
                AuthFuzz::LongToken(n) => {
                    let xs = form.xs(n);
                    Some(form.pair(Part::Id, Part::Text(&xs)))
                }
            },
        },
        SecurityScheme::Bearer => match mode {
            AuthMode::Omit => None,
            AuthMode::Valid => form.secret(scheme).and_then(|t| header(format!("Bearer {t}"))),
            AuthMode::Fuzzed(f) => {
                let token = form.secret(scheme).unwrap_or_else(|| PLACEHOLDER.into());
                header(match f {
                    AuthFuzz::SchemeCase(_) => format!("{} {token}", f.scheme_of("Bearer")),
                    AuthFuzz::Padding(n) => format!("Bearer {token}{}", "=".repeat(n.into())),
                    AuthFuzz::NotBase64(k) => format!("Bearer {}", not_a_token(k)),
                    AuthFuzz::EmptyId | AuthFuzz::EmptyParts => "Bearer".into(),
                    AuthFuzz::EmptyToken => "Bearer ".into(),
                    AuthFuzz::LongToken(n) => format!("Bearer {}", form.xs(n)),
                })
            }
            AuthMode::Broken(AuthBreak::Empty) => header(String::new()),
            AuthMode::Broken(AuthBreak::OtherScheme) => header(format!(
                "Basic {}",
                form.secret(scheme).unwrap_or_else(|| PLACEHOLDER.into())
            )),
            AuthMode::Broken(_) => header(format!("Bearer {WRONG_TOKEN}")),
        },
        SecurityScheme::ApiKey { name, location } => {
            let key = match mode {
                AuthMode::Omit => return None,
                AuthMode::Valid => form.secret(scheme)?,
                AuthMode::Broken(AuthBreak::Empty) => String::new(),
                AuthMode::Broken(_) => WRONG_TOKEN.into(),
                AuthMode::Fuzzed(f) => match f {
                    AuthFuzz::SchemeCase(_) => form.secret(scheme)?,
                    AuthFuzz::Padding(n) => {
                        format!("{}{}", form.secret(scheme)?, "=".repeat(n.into()))
                    }
                    AuthFuzz::NotBase64(k) => not_a_token(k).into(),
                    AuthFuzz::EmptyId | AuthFuzz::EmptyToken | AuthFuzz::EmptyParts => {
                        String::new()
                    }
                    AuthFuzz::LongToken(n) => form.xs(n),
                },
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

/// A bearer token or API key that is no credential: punctuation, spaces, a quote.
fn not_a_token(k: u8) -> &'static str {
    match k % 4 {
        0 => "!!!!",
        1 => "a b",
        2 => "%%%%",
        _ => "\"'",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (scheme, mode): the shell form is written exactly when the real one is, in the
    /// same place, and never holds a secret.
    #[test]
    fn shell_and_real_forms_agree_on_every_scheme_and_mode() {
        let creds = Credentials {
            basic: Some(("proj-7".into(), "s3cr3t-t0ken".into())),
            bearer: Some("b3arer-t0ken".into()),
            api_key: Some("k3y-v4lue".into()),
            login: None,
        };
        let schemes = [
            SecurityScheme::Basic,
            SecurityScheme::Bearer,
            SecurityScheme::ApiKey { name: "X-Key".into(), location: ApiKeyLocation::Query },
        ];
        let mut modes = vec![AuthMode::Valid, AuthMode::Omit];
        modes.extend(AuthBreak::BASIC.iter().map(|b| AuthMode::Broken(*b)));
        modes.extend([
            AuthMode::Fuzzed(AuthFuzz::SchemeCase(3)),
            AuthMode::Fuzzed(AuthFuzz::Padding(2)),
            AuthMode::Fuzzed(AuthFuzz::NotBase64(1)),
            AuthMode::Fuzzed(AuthFuzz::EmptyId),
            AuthMode::Fuzzed(AuthFuzz::LongToken(9)),
        ]);
        let kind = |p: &Placement| match p {
            Placement::Header(n, _) if n == "-u" => "Authorization".to_owned(),
            Placement::Header(n, _) => n.clone(),
            Placement::Query(n, _) => format!("?{n}"),
            Placement::Cookie(n, _) => format!("cookie {n}"),
        };
        for scheme in &schemes {
            for &mode in &modes {
                let real = render(scheme, mode, &Form::Real(&creds));
                let shell = render(scheme, mode, &Form::Shell { has_credentials: true });
                assert_eq!(
                    real.as_ref().map(kind),
                    shell.as_ref().map(kind),
                    "{scheme:?} {mode:?}"
                );
                let text = format!("{shell:?}");
                for secret in ["s3cr3t-t0ken", "b3arer-t0ken", "k3y-v4lue", "proj-7"] {
                    assert!(!text.contains(secret), "{scheme:?} {mode:?}: {text}");
                }
            }
        }
        let wrong = render(
            &schemes[0],
            AuthMode::Broken(AuthBreak::WrongToken),
            &Form::Shell { has_credentials: true },
        );
        assert_eq!(
            wrong,
            Some(Placement::Header(
                "-u".into(),
                "${GAUNTLET_USER%%:*}:gauntlet-wrong-token".into()
            ))
        );
    }
}
