//! Where requests go: the base URL the user gave, or the built-in mock of the same spec,
//! started in-process on a loopback port with fresh credentials.

use std::sync::Arc;
use std::time::SystemTime;

use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::mock::{Mock, MockConfig, Running};
use crate::openapi::{Operation, Spec};
use crate::schema::Validators;

/// The target of a run.
#[derive(Debug)]
pub struct Target {
    /// Base URL, path prefix included, without a trailing `/`.
    pub base_url: String,
    /// How the console names it.
    pub description: String,
    /// The built-in mock, when it is the target (it stops when this is dropped).
    pub mock: Option<Running>,
}

impl Target {
    /// `given` (already checked by [`check_base_url`]), or else the built-in mock of `spec`,
    /// which then requires `credentials` (Basic ones are made up when none were given).
    /// `validators`, when given, are every operation's, compiled already. Must be called
    /// within a tokio runtime: the mock runs on it.
    pub async fn resolve(
        given: Option<String>,
        spec: Arc<Spec>,
        operations: Vec<Operation>,
        validators: Option<Arc<Validators>>,
        credentials: &mut Credentials,
        seed: u64,
    ) -> Result<Target> {
        if let Some(url) = given {
            return Ok(Target { description: url.clone(), base_url: url, mock: None });
        }
        if credentials.basic.is_none() {
            credentials.basic = Some(generated_credentials(seed));
        }
        let config = MockConfig {
            credentials: Some(credentials.clone()),
            seed,
            faults: Vec::new(),
            stateful: true,
        };
        let mock = match validators {
            Some(v) => Mock::with_validators(spec, operations, v, config),
            None => Mock::new(spec, operations, config),
        };
        let running = crate::mock::spawn(Arc::new(mock)).await?;
        let base_url = format!("http://{}", running.addr);
        Ok(Target {
            description: format!("the built-in mock at {base_url} (no --base-url given)"),
            base_url,
            mock: Some(running),
        })
    }
}

/// Checks a base URL given by `flag` (`--base-url`, `GAUNTLET_BASE_URL`): http or https
/// with a host; returned without its trailing `/`.
/// A URL with userinfo (`http://id:token@host`) is refused without being echoed: whatever
/// is in it would be printed and saved with the reports.
pub fn check_base_url(flag: &str, url: &str) -> Result<String> {
    // The value is quoted back only when it cannot hold userinfo.
    let shown = if url.contains('@') { "the URL".to_owned() } else { format!("'{url}'") };
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::flag(flag, format!("{shown} is not a URL: {e}")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::flag(
            flag,
            "credentials in the URL are refused (they would be shown and saved with the reports): give them with --user ID:TOKEN or GAUNTLET_USER",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(Error::flag(flag, format!("{shown} is not an http or https URL")));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Credentials for a run against the built-in mock: derived from the seed and the clock,
/// never shown.
fn generated_credentials(seed: u64) -> (String, String) {
    let token = uuid::Builder::from_random_bytes(
        (u128::from(seed) ^ u128::from(random_seed()) << 64).to_le_bytes(),
    )
    .into_uuid();
    (format!("gauntlet-{seed}"), token.simple().to_string())
}

/// A seed from the clock and the process id, short enough to read and type.
pub fn random_seed() -> u64 {
    let nanos =
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    // Mix in the process id so two runs started together differ; keep it readable.
    ((nanos as u64) ^ (u64::from(std::process::id()) << 32)) % 1_000_000_000
}
