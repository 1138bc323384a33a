//! Credentials: rendering them (valid or broken) onto a request or, with the same renderer,
//! into a `curl` line that reads them from the environment; and redacting every form of a
//! secret from anything a report shows.
//!
//! Secrets live only in [`Credentials`]; the plan holds an [`AuthMode`], the runner renders it
//! here at send time, and reports get the `curl` form, which reads secrets from the
//! environment (`$GAUNTLET_USER`) instead of holding them.

mod login;
mod redact;
mod render;

pub use login::{Grant, Login, Slot, Source, TokenAt};
pub use redact::Redactor;
use render::Form;

use crate::openapi::SecurityScheme;
use crate::plan::AuthMode;

/// A token no real account has.
pub const WRONG_TOKEN: &str = "gauntlet-wrong-token";
/// An id no real account has.
pub const WRONG_ID: &str = "gauntlet-wrong-id";
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
    /// A token login: the token it gets fills the bearer token or the API key.
    pub login: Option<Login>,
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
    /// The `Authorization` value these credentials give on their own (the bearer token,
    /// else HTTP Basic), for fetching a spec with `--spec-auth`.
    pub fn authorization(&self) -> Option<String> {
        use base64::Engine;
        if let Some(token) = &self.bearer {
            return Some(format!("Bearer {token}"));
        }
        let (id, token) = self.basic.as_ref()?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{token}"));
        Some(format!("Basic {encoded}"))
    }

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

    /// Parses an identity, `NAME=bearer:TOKEN`, `NAME=api-key:KEY` or `NAME=user:ID:TOKEN`;
    /// errors never show the secret.
    pub fn identity(text: &str) -> Result<(String, Credentials), String> {
        let form = "expected NAME=bearer:TOKEN, NAME=api-key:KEY or NAME=user:ID:TOKEN (the value is not shown)";
        let (name, rest) = text.split_once('=').ok_or(form)?;
        let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() || name.len() > 32 || !name.chars().all(valid) {
            return Err(format!(
                "an identity's name is letters, digits, - and _ (at most 32); {form}"
            ));
        }
        let (kind, secret) = rest.split_once(':').ok_or(form)?;
        let mut out = Credentials::default();
        match kind {
            "bearer" => out.bearer = Some(secret.to_owned()),
            "api-key" => out.api_key = Some(secret.to_owned()),
            "user" => out.basic = Some(Credentials::parse_user(secret).ok_or(form)?),
            _ => return Err(form.to_owned()),
        }
        if secret.is_empty() {
            return Err(form.to_owned());
        }
        Ok((name.to_owned(), out))
    }

    /// Whether the run has any credential at all.
    pub fn any(&self) -> bool {
        self.basic.is_some()
            || self.bearer.is_some()
            || self.api_key.is_some()
            || self.login.is_some()
    }

    /// Which credential a token login fills, if there is one.
    pub fn login_slot(&self) -> Option<Slot> {
        self.login.as_ref().map(|l| l.slot)
    }

    /// Whether the token of a login is sent for `scheme`.
    pub fn uses_token(&self, scheme: &SecurityScheme) -> bool {
        matches!(
            (self.login_slot(), scheme),
            (Some(Slot::Bearer), SecurityScheme::Bearer)
                | (Some(Slot::ApiKey), SecurityScheme::ApiKey { .. })
        )
    }

    /// These credentials with `token` (a login's) in the credential it fills.
    pub fn with_token(&self, token: &str) -> Credentials {
        let mut out = self.clone();
        match self.login_slot() {
            Some(Slot::Bearer) => out.bearer = Some(token.to_owned()),
            Some(Slot::ApiKey) => out.api_key = Some(token.to_owned()),
            None => {}
        }
        out
    }

    /// Whether the run can authenticate for `scheme`.
    pub fn covers(&self, scheme: &SecurityScheme) -> bool {
        if self.uses_token(scheme) {
            return true;
        }
        match scheme {
            SecurityScheme::Basic => self.basic.is_some(),
            SecurityScheme::Bearer => self.bearer.is_some() || self.basic.is_some(),
            SecurityScheme::ApiKey { .. } => self.api_key.is_some() || self.basic.is_some(),
            SecurityScheme::Unsupported(_) => false,
        }
    }

    /// The flag that gives a credential for `scheme` (`--bearer TOKEN`); `None` for one
    /// gauntlet cannot send.
    pub fn flag(scheme: &SecurityScheme) -> Option<&'static str> {
        match scheme {
            SecurityScheme::Basic => Some("--user ID:TOKEN"),
            SecurityScheme::Bearer => Some("--bearer TOKEN"),
            SecurityScheme::ApiKey { .. } => Some("--api-key KEY"),
            SecurityScheme::Unsupported(_) => None,
        }
    }

    /// The token for a bearer or API-key scheme: the explicit one, else the Basic token.
    fn token(&self, explicit: &Option<String>) -> Option<String> {
        explicit.clone().or_else(|| self.basic.as_ref().map(|(_, t)| t.clone()))
    }

    /// Renders `mode` for `scheme` as it is sent: where it goes and what it says (nothing for
    /// `Omit`, or for `Valid` without credentials).
    pub fn render(&self, scheme: &SecurityScheme, mode: AuthMode) -> Option<Placement> {
        render::render(scheme, mode, &Form::Real(self))
    }

    /// A [`Redactor`] for these secrets and every form gauntlet sends them in (build it
    /// once and keep it: it compiles a matcher).
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self)
    }
}

/// `curl` arguments that reproduce `mode` for `scheme` without holding a secret: they read
/// `$GAUNTLET_USER`, `$GAUNTLET_BEARER` or `$GAUNTLET_API_KEY` from the environment.
/// Query-string keys come back as `Placement::Query` for the caller to put in the URL;
/// `-u` comes back as a header named `-u`.
pub fn curl_form(
    scheme: &SecurityScheme,
    mode: AuthMode,
    has_credentials: bool,
) -> Option<Placement> {
    render::render(scheme, mode, &Form::Shell { has_credentials })
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::*;
    use crate::plan::AuthBreak;

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
        let shown = creds.redactor().redact(&format!("echo {v} and s3cret-token"));
        assert_eq!(shown, "echo Basic *** and ***");
        assert!(creds.render(&SecurityScheme::Basic, AuthMode::Omit).is_none());
    }
}
