//! The mock on a socket: axum in front of [`Mock::respond`], with the delays, hangs and broken
//! connections that faults ask for, and a clean shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use tokio::net::TcpListener;

use super::respond::{Mock, MockRequest};
use crate::error::{Error, Result};

/// Largest request body the mock reads.
const MAX_REQUEST_BODY: usize = 8 * 1024 * 1024;

/// Binds `host:port` (port 0 for an ephemeral one); a port in use is a flag error.
pub async fn bind(host: &str, port: u16) -> Result<TcpListener> {
    TcpListener::bind((host, port)).await.map_err(|e| {
        let flag = if e.kind() == std::io::ErrorKind::AddrInUse { "--port" } else { "--host" };
        Error::flag(flag, format!("cannot listen on {host}:{port}: {e}"))
    })
}

/// Serves `mock` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    mock: Arc<Mock>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new().fallback(handle).with_state(mock);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// A mock serving in the background of the current runtime.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts `mock` on an ephemeral 127.0.0.1 port; it stops when the handle is dropped.
pub async fn spawn(mock: Arc<Mock>) -> Result<Running> {
    let listener = bind("127.0.0.1", 0).await?;
    let addr = listener.local_addr().map_err(|e| Error::Other(format!("mock: {e}")))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, mock, async move {
        let _ = stopped.await;
    }));
    Ok(Running { addr, stop: Some(stop) })
}

async fn handle(State(mock): State<Arc<Mock>>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_REQUEST_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => return simple(StatusCode::PAYLOAD_TOO_LARGE),
    };
    let req = MockRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())
            })
            .collect(),
        body,
    };
    let answer = mock.respond(&req);
    if answer.hang {
        std::future::pending::<()>().await;
    }
    if let Some(delay) = answer.delay {
        tokio::time::sleep(delay).await;
    }
    let body = if answer.reset {
        // The head goes out, then the body stream fails: the connection is cut mid-response.
        let chunks: Vec<std::result::Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"{")),
            Err(std::io::Error::other("gauntlet mock: reset fault")),
        ];
        Body::from_stream(futures_util::stream::iter(chunks))
    } else {
        Body::from(answer.body)
    };
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in answer.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(n, v);
        }
    }
    response
}

fn simple(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}
