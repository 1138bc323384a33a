//! The one HTTP client of a run: rustls with ring, a keep-alive pool sized to the
//! concurrency, no redirects (credentials go to the target's origin only), no proxies.

use std::time::Duration;

use crate::error::{Error, Result};

/// What the client is built from.
#[derive(Debug, Clone, Copy)]
pub struct ClientConfig<'a> {
    /// Requests in flight at once (the pool keeps as many idle connections).
    pub concurrency: usize,
    /// Time allowed for a whole exchange; connecting gets a little less.
    pub timeout: Duration,
    /// Extra root certificates (PEM) to trust, for a private CA.
    pub ca_certs: &'a [Vec<u8>],
    /// Accept any certificate (only when asked).
    pub insecure: bool,
}

/// Builds the HTTP client: no redirects, no proxies, decoding on, keep-alive pool.
pub fn client(config: ClientConfig<'_>) -> Result<reqwest::Client> {
    // reqwest is built without a bundled crypto provider; ring is ours (fast to build).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    let mut certs = Vec::new();
    for pem in config.ca_certs {
        let bundle = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::flag("--cacert", format!("not a PEM certificate: {e}")))?;
        if bundle.is_empty() {
            return Err(Error::flag("--cacert", "no PEM certificate in the file"));
        }
        certs.extend(bundle);
    }
    if !certs.is_empty() {
        // The private CA joins the system's roots.
        builder = builder.tls_certs_merge(certs);
    }
    if config.insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        // The whole exchange is bounded by one timer in `send`; a second one here would cost per request.
        // Shorter than the exchange's timer, so a target that never accepts reads as unreachable.
        .connect_timeout(config.timeout.mul_f64(0.9))
        .pool_max_idle_per_host(config.concurrency.max(1))
        .user_agent(concat!("gauntlet/", env!("CARGO_PKG_VERSION")))
        .gzip(true)
        .deflate(true)
        .brotli(true)
        .build()
        .map_err(|e| Error::Other(format!("cannot build the HTTP client: {e}")))
}
