//! How a request carries credentials: described, never held ([`AuthMode`]).

/// How a request carries credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AuthMode {
    /// The configured credentials, as the operation's security scheme wants them.
    Valid,
    /// No credentials at all.
    Omit,
    /// Credentials broken in one way.
    Broken(AuthBreak),
    /// Credentials changed by the fuzzer (Basic, a bearer token or an API key).
    Fuzzed(AuthFuzz),
}

/// How `gauntlet fuzz` changes credentials. For a bearer token: the scheme's case, `=` after
/// the token, a token that is not one, `Bearer` with no token, a long token; for an API key
/// the same on the key alone (its case change is the key itself, still valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AuthFuzz {
    /// The scheme's letters in another case (bit i flips letter i of `Basic`): still valid,
    /// as the scheme name is case-insensitive.
    SchemeCase(u8),
    /// N extra `=` after the base64 payload.
    Padding(u8),
    /// A payload that is not base64 (one of a few forms).
    NotBase64(u8),
    /// `:TOKEN`.
    EmptyId,
    /// `ID:`.
    EmptyToken,
    /// `:`.
    EmptyParts,
    /// The right id and a token of N `x`.
    LongToken(u16),
}

impl AuthFuzz {
    /// Whether a server must accept it.
    pub fn accepted(self) -> bool {
        matches!(self, AuthFuzz::SchemeCase(_))
    }

    /// The scheme name as sent for `SchemeCase`.
    pub fn scheme(self) -> String {
        self.scheme_of("Basic")
    }

    /// `name` as sent for `SchemeCase` (bit i flips the case of letter i).
    pub fn scheme_of(self, name: &str) -> String {
        let AuthFuzz::SchemeCase(mask) = self else { return name.into() };
        name.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask & (1 << i) == 0 {
                    c
                } else if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    }

    /// A label for reports: `scheme-case(bAsIc)`, `long-token(4096)`, ...
    pub fn label(self) -> String {
        match self {
            AuthFuzz::SchemeCase(_) => format!("scheme-case({})", self.scheme()),
            AuthFuzz::Padding(n) => format!("padding({n})"),
            AuthFuzz::NotBase64(k) => format!("not-base64({k})"),
            AuthFuzz::EmptyId => "empty-id".into(),
            AuthFuzz::EmptyToken => "empty-token".into(),
            AuthFuzz::EmptyParts => "empty-parts".into(),
            AuthFuzz::LongToken(n) => format!("long-token({n})"),
        }
    }
}

/// The ways credentials are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AuthBreak {
    /// The header (or key) present but empty.
    Empty,
    /// The right secret under another scheme (`Bearer` for Basic, `Basic` for Bearer).
    OtherScheme,
    /// A Basic payload that is not base64.
    NotBase64,
    /// A Basic payload without the `:` between id and token.
    NoColon,
    /// The right id with a wrong token (or a wrong bearer token / API key).
    WrongToken,
    /// A wrong id with the right token.
    WrongId,
}

impl AuthMode {
    /// Whether it is defined by the run's credentials: the valid ones, or a break of them
    /// (the right token under another scheme, a wrong id with the right token). Without
    /// credentials such a request tests nothing; missing, empty or malformed ones still do.
    pub fn needs_credentials(self) -> bool {
        match self {
            AuthMode::Valid | AuthMode::Fuzzed(_) => true,
            AuthMode::Omit => false,
            AuthMode::Broken(b) => {
                matches!(b, AuthBreak::OtherScheme | AuthBreak::WrongToken | AuthBreak::WrongId)
            }
        }
    }
}

impl AuthBreak {
    /// Every way of breaking HTTP Basic credentials.
    pub const BASIC: &[AuthBreak] = &[
        AuthBreak::Empty,
        AuthBreak::OtherScheme,
        AuthBreak::NotBase64,
        AuthBreak::NoColon,
        AuthBreak::WrongToken,
        AuthBreak::WrongId,
    ];

    /// The label part, e.g. `wrong-token`.
    pub fn label(self) -> &'static str {
        match self {
            AuthBreak::Empty => "empty",
            AuthBreak::OtherScheme => "other-scheme",
            AuthBreak::NotBase64 => "not-base64",
            AuthBreak::NoColon => "no-colon",
            AuthBreak::WrongToken => "wrong-token",
            AuthBreak::WrongId => "wrong-id",
        }
    }
}
