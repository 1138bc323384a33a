//! [`Tokens`]: a token login at run time. The first token is got before anything is sent;
//! each is kept with its expiry and renewed before it expires (a fifth of its life, at most
//! 30 s, early), with its refresh token when it came with one; a valid request answered 401
//! renews it once and is sent again. A login that fails stops the run: its line says where
//! and how, secrets redacted. Every token got is taught to the session's redactor before it
//! is used.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use crate::credentials::{Grant, Login, Redactor, Source, TokenAt};
use crate::error::{Error, Result};
use crate::http;

/// The longest a token is renewed before its expiry.
const MAX_MARGIN: Duration = Duration::from_secs(30);
/// The largest token answer read.
const MAX_ANSWER: usize = 64 * 1024;
/// Renewals after a 401 in one run at most: a server that refuses every token gets its 401s
/// judged, not a login per request.
const MAX_RENEWALS_ON_401: usize = 10;

/// A token login's request, resolved against the target.
#[derive(Debug)]
struct Request {
    method: reqwest::Method,
    url: reqwest::Url,
    /// Form fields of an OAuth2 token request (the grant's), or a login body.
    body: Option<(String, String)>,
    /// The OAuth2 client, sent with HTTP Basic when it has a secret.
    client: Option<(String, Option<String>)>,
    token: TokenAt,
    expires_in: Option<String>,
    oauth2: bool,
}

#[derive(Clone)]
struct Token {
    value: Arc<str>,
    /// When it is to be renewed (its expiry less the margin), if it expires.
    renew_at: Option<Instant>,
    refresh: Option<String>,
}

/// What the logins of a run did, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginCounts {
    /// Tokens got (the first one included).
    pub obtained: usize,
    /// Of those, got because a valid request was answered 401.
    pub after_401: usize,
}

/// The token of a run's login, kept fresh.
pub struct Tokens {
    client: reqwest::Client,
    request: Request,
    timeout: Duration,
    redactor: Redactor,
    current: RwLock<Option<Token>>,
    renewing: tokio::sync::Mutex<()>,
    obtained: AtomicUsize,
    after_401: AtomicUsize,
    failed: OnceLock<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} {})", self.request.method, self.request.url)
    }
}

impl Tokens {
    /// The login of `login` against `base_url` (its token URL already taken from the spec
    /// when it named none: [`with_spec_token_url`]); not yet logged in.
    pub fn new(
        login: &Login,
        base_url: &str,
        client: reqwest::Client,
        timeout: Duration,
        redactor: Redactor,
    ) -> Result<Tokens> {
        let request = resolve(login, base_url)?;
        Ok(Tokens {
            client,
            request,
            timeout,
            redactor,
            current: RwLock::new(None),
            renewing: tokio::sync::Mutex::new(()),
            obtained: AtomicUsize::new(0),
            after_401: AtomicUsize::new(0),
            failed: OnceLock::new(),
        })
    }

    /// Where it logs in (`POST https://auth.example.com/token`), for the run's summary.
    pub fn describe(&self) -> String {
        let mut url = self.request.url.clone();
        url.set_query(None);
        format!("{} {url}", self.request.method)
    }

    /// A token that is not about to expire: the one kept, else a new one.
    pub async fn current(&self) -> std::result::Result<Arc<str>, String> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _one = self.renewing.lock().await;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        self.renew().await
    }

    /// A token after `stale` was answered 401: a new one, unless another request renewed it
    /// already; `None` when the run has renewed on 401s as often as it may.
    pub async fn after_401(&self, stale: &str) -> Option<std::result::Result<Arc<str>, String>> {
        let _one = self.renewing.lock().await;
        if let Some(token) = self.fresh()
            && &*token != stale
        {
            return Some(Ok(token));
        }
        if self.after_401.load(Ordering::Relaxed) >= MAX_RENEWALS_ON_401 {
            return None;
        }
        self.after_401.fetch_add(1, Ordering::Relaxed);
        Some(self.renew().await)
    }

    /// The line a failed login stopped the run with.
    pub fn failed(&self) -> Option<&str> {
        self.failed.get().map(String::as_str)
    }

    /// What the logins did so far.
    pub fn counts(&self) -> LoginCounts {
        LoginCounts {
            obtained: self.obtained.load(Ordering::Relaxed),
            after_401: self.after_401.load(Ordering::Relaxed),
        }
    }

    fn fresh(&self) -> Option<Arc<str>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        let token = current.as_ref()?;
        match token.renew_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(Arc::clone(&token.value)),
        }
    }

    /// Gets a new token (with the refresh token when there is one, else by logging in
    /// again); a failure is kept and stops the run.
    async fn renew(&self) -> std::result::Result<Arc<str>, String> {
        if let Some(failed) = self.failed.get() {
            return Err(failed.clone());
        }
        let refresh = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(|t| t.refresh.clone());
        let mut got = match &refresh {
            Some(refresh) => self.fetch(Some(refresh)).await,
            None => self.fetch(None).await,
        };
        if got.is_err() && refresh.is_some() {
            got = self.fetch(None).await;
        }
        match got {
            Ok(token) => {
                let value = Arc::clone(&token.value);
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(token);
                self.obtained.fetch_add(1, Ordering::Relaxed);
                Ok(value)
            }
            Err(message) => {
                let _ = self.failed.set(message.clone());
                Err(message)
            }
        }
    }

    /// One login (or refresh) request and the token its answer gives.
    async fn fetch(&self, refresh: Option<&str>) -> std::result::Result<Token, String> {
        let r = &self.request;
        let mut builder = self.client.request(r.method.clone(), r.url.clone());
        builder = builder.header(reqwest::header::ACCEPT, "application/json");
        let body = match refresh {
            Some(refresh) => Some((
                "application/x-www-form-urlencoded".to_owned(),
                form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]),
            )),
            None => r.body.clone(),
        };
        if let Some((content_type, body)) = body {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        }
        if let Some((id, Some(secret))) = &r.client {
            builder = builder.basic_auth(form_encode(id), Some(form_encode(secret)));
        }
        let what = match refresh {
            Some(_) => "token refresh",
            None => "token login",
        };
        let at = self.describe();
        let request = builder.build().map_err(|e| {
            self.redactor.redact(&format!("{what} at {at}: {}", http::describe_error(&e)))
        })?;
        let redact = |t: &str| self.redactor.redact(t);
        let sent = Instant::now();
        let exchange = http::send(&self.client, request, self.timeout, MAX_ANSWER, &redact).await;
        let response = exchange
            .outcome
            .map_err(|e| self.redactor.redact(&format!("{what} at {at} failed: {}", e.message)))?;
        if !(200..300).contains(&response.status) {
            let excerpt = crate::checks::excerpt(&response.body, 200);
            return Err(self
                .redactor
                .redact(&format!("{what} at {at} was answered {}: {excerpt}", response.status)));
        }
        let body: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
        let value = match &r.token {
            TokenAt::Body(pointer) => body
                .as_ref()
                .and_then(|b| b.pointer(pointer))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
            TokenAt::Header(name) => {
                response.headers.get(name.as_str()).and_then(|v| v.to_str().ok()).map(str::to_owned)
            }
        };
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            let place = match &r.token {
                TokenAt::Body(pointer) => format!("no string at {pointer} of its body"),
                TokenAt::Header(name) => format!("no {name} header"),
            };
            return Err(format!(
                "{what} at {at} was answered {} with {place}: no token",
                response.status
            ));
        };
        // Taught before anything can show it.
        self.redactor.learn(&value);
        let number = |p: &str| {
            let v = body.as_ref()?.pointer(p)?;
            v.as_f64().or_else(|| v.as_str()?.trim().parse().ok())
        };
        let life = r
            .expires_in
            .as_deref()
            .and_then(number)
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| Duration::from_secs_f64(s.min(1e9)));
        let refresh = match r.oauth2 {
            true => body
                .as_ref()
                .and_then(|b| b.pointer("/refresh_token"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
            false => None,
        };
        if let Some(refresh) = &refresh {
            self.redactor.learn(refresh);
        }
        // Counted from when the request left: the server's clock started no earlier.
        let renew_at = life.map(|life| sent + life - (life / 5).min(MAX_MARGIN));
        Ok(Token { value: value.into(), renew_at, refresh })
    }
}

/// `login` with the `tokenUrl` of the spec's (`doc`) flow for its grant when it names no
/// token URL of its own.
pub fn with_spec_token_url(login: &mut Login, doc: &serde_json::Value) -> Result<()> {
    if let Source::OAuth2 { token_url: url @ None, grant, .. } = &mut login.source {
        let (_, found) = crate::openapi::token_url(doc, grant.flow()).ok_or_else(|| {
            Error::flag(
                &login.named_by,
                format!(
                    "the spec has no oauth2 scheme with a {} flow: name the token endpoint with --token-url",
                    grant.flow()
                ),
            )
        })?;
        *url = Some(found);
    }
    Ok(())
}

/// The login's request against `base_url`.
fn resolve(login: &Login, base_url: &str) -> Result<Request> {
    let flag = login.named_by.as_str();
    let base = reqwest::Url::parse(&format!("{base_url}/"))
        .map_err(|e| Error::flag("--base-url", e.to_string()))?;
    // A path is under the base URL's own path, as the spec's paths are.
    let join = |url: &str| {
        base.join(url.strip_prefix('/').unwrap_or(url))
            .map_err(|e| Error::flag(flag, format!("'{url}' is not a URL: {e}")))
    };
    let request = match &login.source {
        Source::OAuth2 { token_url, grant, client_id, client_secret, scope } => {
            let url = token_url
                .clone()
                .ok_or_else(|| Error::flag(flag, "no token endpoint: name it with --token-url"))?;
            let mut fields: Vec<(&str, &str)> = Vec::new();
            match grant {
                Grant::ClientCredentials => fields.push(("grant_type", "client_credentials")),
                Grant::Password { username, password } => {
                    fields.push(("grant_type", "password"));
                    fields.push(("username", username));
                    fields.push(("password", password));
                }
            }
            if let Some(scope) = scope {
                fields.push(("scope", scope));
            }
            // A public client (no secret) names itself in the body.
            if let (Some(id), None) = (client_id, client_secret) {
                fields.push(("client_id", id));
            }
            Request {
                method: reqwest::Method::POST,
                url: join(&url)?,
                body: Some(("application/x-www-form-urlencoded".into(), form(&fields))),
                client: client_id.clone().map(|id| (id, client_secret.clone())),
                token: TokenAt::Body("/access_token".into()),
                expires_in: Some("/expires_in".into()),
                oauth2: true,
            }
        }
        Source::Request { method, url, body, content_type, token, expires_in } => Request {
            method: reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                .map_err(|_| Error::flag(flag, format!("'{method}' is not an HTTP method")))?,
            url: join(url)?,
            body: body.clone().map(|b| (content_type.clone(), b)),
            client: None,
            token: token.clone(),
            expires_in: expires_in.clone(),
            oauth2: false,
        },
    };
    check_transport(&request.url, &base, flag)?;
    Ok(request)
}

/// A login's secrets do not cross the network in the clear: plain http only to the target's
/// own host or to loopback.
fn check_transport(url: &reqwest::Url, base: &reqwest::Url, flag: &str) -> Result<()> {
    if url.scheme() == "https" {
        return Ok(());
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if url.scheme() == "http" && (loopback || url.host() == base.host()) {
        return Ok(());
    }
    Err(Error::flag(
        flag,
        format!(
            "the token endpoint {}://{}{} is neither https nor on the target's host: the login's secrets would cross the network in the clear",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.path()
        ),
    ))
}

fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

/// RFC 6749 2.3.1: the client id and secret are form-encoded before Basic encoding.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Slot;

    fn oauth(token_url: Option<&str>) -> Login {
        Login {
            source: Source::OAuth2 {
                token_url: token_url.map(str::to_owned),
                grant: Grant::ClientCredentials,
                client_id: Some("cid".into()),
                client_secret: Some("secret".into()),
                scope: Some("read write".into()),
            },
            slot: Slot::Bearer,
            named_by: "--client-id".into(),
        }
    }

    #[test]
    fn the_token_url_comes_from_the_spec_s_flow_and_a_path_is_under_the_base_url() {
        let doc = serde_json::json!({"components": {"securitySchemes": {
            "k": {"type": "apiKey", "name": "k", "in": "header"},
            "o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}}}
        }}});
        let mut login = oauth(None);
        with_spec_token_url(&mut login, &doc).unwrap();
        let r = resolve(&login, "http://127.0.0.1:9/api").unwrap();
        assert_eq!(r.url.as_str(), "http://127.0.0.1:9/api/oauth/token");
        assert_eq!(r.body.unwrap().1, "grant_type=client_credentials&scope=read+write");
        let e = with_spec_token_url(&mut oauth(None), &serde_json::json!({})).unwrap_err();
        assert!(e.to_string().contains("--token-url"), "{e}");
        assert!(e.to_string().contains("--client-id"), "{e}");
    }

    #[test]
    fn a_token_endpoint_over_plain_http_elsewhere_is_refused() {
        let far = oauth(Some("http://auth.example.com/token"));
        let e = resolve(&far, "https://api.example.com").unwrap_err();
        assert!(e.to_string().contains("in the clear"), "{e}");
        let same = oauth(Some("http://api.example.com/token"));
        assert!(resolve(&same, "http://api.example.com").is_ok());
        let tls = oauth(Some("https://auth.example.com/token"));
        assert!(resolve(&tls, "https://api.example.com").is_ok());
    }
}
