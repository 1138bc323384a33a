//! `--spec URL`: the document (FastAPI serves its own at `/openapi.json`) fetched with the
//! run's TLS settings and timeout, under the same size cap as a file, with the files its
//! relative `$ref`s name on the same origin, into a private folder that the loader then reads
//! as it reads any spec (so bundling and every check of a `$ref` stay the same). A `$ref` to
//! another origin is not fetched, and the loader then refuses it by name. Credentials are
//! sent only with `--spec-auth`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::http::{ClientConfig, client};
use crate::support::fs::MAX_FILE;

/// Most documents one spec may pull in.
const MAX_FILES: usize = 256;

/// Whether `spec` names a URL rather than a file.
pub fn is_url(spec: &Path) -> bool {
    let text = spec.to_string_lossy();
    text.starts_with("http://") || text.starts_with("https://")
}

/// A fetched spec: the local copy of the document, in a folder removed on drop.
#[derive(Debug)]
pub struct Fetched {
    /// The document's local copy.
    pub path: PathBuf,
    /// The URL it came from.
    pub url: String,
    dir: PathBuf,
}

impl Drop for Fetched {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Fetched {
    /// `error` with the local copy's folder named as the URL it stands for.
    pub fn rename(&self, error: Error) -> Error {
        if error.is_closed_output() {
            return error;
        }
        let base = self.url.rsplit_once('/').map_or(self.url.as_str(), |(b, _)| b);
        let dir = self.dir.to_string_lossy();
        Error::Other(error.to_string().replace(dir.as_ref(), base))
    }
}

/// How to fetch: TLS settings, the time each request may take, and a credential header to
/// send (only with `--spec-auth`).
pub struct FetchConfig<'a> {
    /// Extra root certificates (PEM).
    pub ca_certs: &'a [Vec<u8>],
    /// Accept any certificate.
    pub insecure: bool,
    /// Time allowed for each document.
    pub timeout: Duration,
    /// `Authorization` value to send, if any.
    pub authorization: Option<String>,
}

/// Fetches `url` and the same-origin files its relative `$ref`s name.
pub fn fetch(url: &str, config: &FetchConfig<'_>) -> Result<Fetched> {
    let flag = |m: String| Error::flag("--spec", m);
    let root = reqwest::Url::parse(url).map_err(|e| flag(format!("{url}: not a URL: {e}")))?;
    let dir = std::env::temp_dir().join(format!(
        "gauntlet-spec-{}-{}",
        std::process::id(),
        crate::support::fnv1a(&[url.as_bytes(), &now_nanos().to_le_bytes()])
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Other(format!("{}: cannot create: {e}", dir.display())))?;
    let name = root.path_segments().and_then(|mut s| s.next_back()).filter(|n| !n.is_empty());
    let name = name.unwrap_or("openapi.json").to_owned();
    let fetched = Fetched { path: dir.join(&name), url: url.to_owned(), dir: dir.clone() };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the HTTP runtime: {e}")))?;
    let http = client(ClientConfig {
        concurrency: 1,
        timeout: config.timeout,
        ca_certs: config.ca_certs,
        insecure: config.insecure,
    })?;
    let base = root.join(".").map_err(|e| flag(format!("{url}: {e}")))?;
    let mut queue = vec![root.clone()];
    let mut seen: HashSet<String> = HashSet::from([without_fragment(&root)]);
    while let Some(next) = queue.pop() {
        let bytes = runtime.block_on(get(&http, &next, config.authorization.as_deref()))?;
        let relative = next.as_str().strip_prefix(base.as_str()).unwrap_or(&name).to_owned();
        let local = dir.join(&relative);
        if let Some(parent) = local.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| Error::Read { path: parent.to_owned(), source })?;
        }
        std::fs::write(&local, &bytes)
            .map_err(|source| Error::Read { path: local.clone(), source })?;
        for target in refs(&bytes) {
            let Ok(found) = next.join(&target) else { continue };
            // Same origin and inside the document's folder only; the loader names the rest.
            if found.origin() != root.origin() || !found.as_str().starts_with(base.as_str()) {
                continue;
            }
            if seen.insert(without_fragment(&found)) {
                if seen.len() > MAX_FILES {
                    return Err(flag(format!("{url}: more than {MAX_FILES} referenced files")));
                }
                let mut plain = found.clone();
                plain.set_fragment(None);
                queue.push(plain);
            }
        }
    }
    Ok(fetched)
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn without_fragment(url: &reqwest::Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.to_string()
}

/// One document's bytes: 2xx only, at most [`MAX_FILE`] bytes.
async fn get(
    http: &reqwest::Client,
    url: &reqwest::Url,
    authorization: Option<&str>,
) -> Result<Vec<u8>> {
    let fail = |m: String| Error::flag("--spec", format!("{url}: {m}"));
    let mut request = http.get(url.clone());
    if let Some(value) = authorization {
        request = request.header(reqwest::header::AUTHORIZATION, value);
    }
    let mut response = request.send().await.map_err(|e| fail(crate::http::describe_error(&e)))?;
    let status = response.status();
    if !status.is_success() {
        let hint = if matches!(status.as_u16(), 401 | 403) {
            " (--spec-auth sends the run's credentials)"
        } else {
            ""
        };
        return Err(fail(format!("answered {status}{hint}")));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) =
        response.chunk().await.map_err(|e| fail(crate::http::describe_error(&e)))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > MAX_FILE {
            return Err(fail(crate::support::fs::too_large()));
        }
    }
    Ok(bytes)
}

/// The `$ref` targets of a document that name another file (`schemas.yaml#/Pet`).
fn refs(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => crate::openapi::parse_yaml(&text).unwrap_or(Value::Null),
    };
    let mut out = Vec::new();
    let mut stack = vec![&doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && !r.starts_with('#')
                {
                    out.push(r.clone());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}
