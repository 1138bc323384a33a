//! [`Login`]: how a run gets a token instead of being given one — an OAuth2 token endpoint
//! (client credentials or password grant, from the scheme's own `flows.tokenUrl` or a named
//! URL), or a login request of the API's own (`[login]` in `gauntlet.toml`). Data only: the
//! runner's `token` module sends it, caches what it gives and refreshes it.

/// The OAuth2 grants gauntlet can log in with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// `grant_type=client_credentials`: the client id and secret alone.
    ClientCredentials,
    /// `grant_type=password`: a user's name and password (and the client, if given).
    Password {
        /// The user's name.
        username: String,
        /// The user's password.
        password: String,
    },
}

impl Grant {
    /// The name of the spec's flow for this grant (`flows.clientCredentials`).
    pub fn flow(&self) -> &'static str {
        match self {
            Grant::ClientCredentials => "clientCredentials",
            Grant::Password { .. } => "password",
        }
    }
}

/// Where a login request's answer holds the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenAt {
    /// A JSON pointer into the answer's body (`/access_token`).
    Body(String),
    /// A header of the answer (`X-Auth-Token`).
    Header(String),
}

/// Which credential the token stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Slot {
    /// The bearer token of http bearer, oauth2 and openIdConnect schemes.
    #[default]
    Bearer,
    /// The API key of apiKey schemes.
    ApiKey,
}

/// A token login: how the token is got and which credential it stands for.
#[derive(Clone, Debug)]
pub struct Login {
    /// Where the token comes from.
    pub source: Source,
    /// The credential it fills.
    pub slot: Slot,
    /// What configured it (`--client-id`, `gauntlet.toml [login]`), named in its errors.
    pub named_by: String,
}

/// Where a token comes from.
#[derive(Clone)]
pub enum Source {
    /// An OAuth2 token endpoint.
    OAuth2 {
        /// The token endpoint; `None`: the `tokenUrl` of the spec's flow for the grant.
        token_url: Option<String>,
        /// The grant.
        grant: Grant,
        /// The client's id (sent with HTTP Basic, as RFC 6749 asks servers to accept).
        client_id: Option<String>,
        /// The client's secret.
        client_secret: Option<String>,
        /// The scopes asked for, space-separated.
        scope: Option<String>,
    },
    /// A login request of the API's own.
    Request {
        /// Its method.
        method: String,
        /// A path under the base URL, or an absolute URL.
        url: String,
        /// Its body, `${VAR}`s already read.
        body: Option<String>,
        /// The body's media type.
        content_type: String,
        /// Where the answer holds the token.
        token: TokenAt,
        /// A JSON pointer to the token's life in seconds, if the answer gives one.
        expires_in: Option<String>,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::OAuth2 { grant, .. } => write!(f, "OAuth2({})", grant.flow()),
            Source::Request { method, url, .. } => write!(f, "Request({method} {url})"),
        }
    }
}

impl Login {
    /// Every secret the login itself holds (the client secret, the password, the values of
    /// a login body), for the redactor.
    pub fn secrets(&self) -> Vec<String> {
        match &self.source {
            Source::OAuth2 { grant, client_secret, .. } => {
                let mut out: Vec<String> = client_secret.iter().cloned().collect();
                if let Grant::Password { password, .. } = grant {
                    out.push(password.clone());
                }
                out
            }
            Source::Request { body, .. } => body_values(body.as_deref().unwrap_or("")),
        }
    }
}

/// The string values of a JSON login body (its passwords among them), or the values of a
/// form body.
fn body_values(body: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => walk(&v, &mut out),
        Err(_) => out.extend(url::form_urlencoded::parse(body.as_bytes()).map(|(_, v)| v.into())),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_s_secrets_are_its_secret_its_password_and_its_body_values() {
        let oauth = Source::OAuth2 {
            token_url: None,
            grant: Grant::Password { username: "ann".into(), password: "pw-1234".into() },
            client_id: Some("cid".into()),
            client_secret: Some("cs-5678".into()),
            scope: None,
        };
        let oauth = Login { source: oauth, slot: Slot::Bearer, named_by: "--client-id".into() };
        assert_eq!(oauth.secrets(), ["cs-5678", "pw-1234"]);
        let request = |body: &str| Source::Request {
            method: "POST".into(),
            url: "/login".into(),
            body: Some(body.into()),
            content_type: "application/json".into(),
            token: TokenAt::Body("/token".into()),
            expires_in: None,
        };
        let request = |body: &str| Login {
            source: request(body),
            slot: Slot::ApiKey,
            named_by: "[login]".into(),
        };
        assert_eq!(request(r#"{"user":"ann","pass":{"v":"s3cret"}}"#).secrets(), ["s3cret", "ann"]);
        assert_eq!(request("user=ann&pass=s3%2Fcret").secrets(), ["ann", "s3/cret"]);
        assert!(!format!("{oauth:?}").contains("cs-5678"));
    }
}
