//! An axum server for the seed contract (`GET /endpoints/sip/{id}`), conformant by default
//! and broken in one named way on request, so each check can be shown to fire.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, header};
use axum::routing::get;
use base64::Engine;
use serde_json::{Value, json};

use super::USER;

/// The one way a server breaks the contract (or `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Conformant.
    None,
    /// 500 for valid requests.
    ServerError,
    /// 418 for valid requests.
    UndocumentedStatus,
    /// `text/plain` for valid requests.
    WrongContentType,
    /// A 200 body whose `id` is not a uuid and `codecs` missing.
    SchemaViolation,
    /// Malformed ids accepted with 200.
    AcceptsInvalid,
    /// Credentials not checked.
    AuthBypass,
    /// Valid ids rejected with 422.
    RejectsValid,
    /// The Authorization header echoed back in bodies, breaking the schema (a leak to redact).
    EchoesCredentials,
    /// No answer to malformed ids (the connection is held open).
    HangsOnInvalid,
}

/// The ids the server knows: any well-formed uuid but this one (404).
pub const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000404";

fn json_response(status: u16, body: Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn endpoint(id: &str) -> Value {
    json!({
        "type": "sip_endpoint", "id": id, "username": "alice", "caller_id": null,
        "send_as": "+15551234567", "ciphers": ["AEAD_AES_256_GCM_8"], "codecs": ["PCMU", "OPUS"],
        "encryption": "optional", "call_handler": "relay_context", "calling_handler_resource_id": null,
        "call_request_url": null, "call_request_method": "POST", "call_fallback_url": null,
        "call_fallback_method": null, "call_status_callback_url": null, "call_status_callback_method": null,
        "call_laml_application_id": null, "call_dialogflow_agent_id": null, "call_relay_topic": null,
        "call_relay_topic_status_callback_url": null, "call_relay_context": "office",
        "call_relay_context_status_callback_url": null, "call_relay_application": null,
        "call_video_room_id": null, "call_relay_script_url": null
    })
}

async fn retrieve(
    State(fault): State<Fault>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(USER));
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let authorised = given.len() == expected.len()
        && given[..6].eq_ignore_ascii_case("basic ")
        && given[6..] == expected[6..];
    if !authorised && fault != Fault::AuthBypass {
        let mut body = json!({"error": "Unauthorized"});
        if fault == Fault::EchoesCredentials {
            body["error"] = json!(format!("Unauthorized: you sent '{given}'"));
        }
        return json_response(401, body);
    }
    if !is_uuid(&id) {
        match fault {
            Fault::AcceptsInvalid => return json_response(200, endpoint(&id)),
            Fault::HangsOnInvalid => {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            }
            _ => {}
        }
        return json_response(
            422,
            json!({"errors": [{"detail": "id must be a uuid", "status": "422", "title": "Invalid Parameter", "code": "invalid_parameter"}]}),
        );
    }
    if id.eq_ignore_ascii_case(UNKNOWN_ID) {
        return json_response(404, json!({"error": "Not Found"}));
    }
    match fault {
        Fault::ServerError => json_response(500, json!({"error": "Internal Server Error"})),
        Fault::UndocumentedStatus => json_response(418, json!({"error": "teapot"})),
        Fault::WrongContentType => Response::builder()
            .status(200)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(endpoint(&id).to_string()))
            .unwrap(),
        Fault::SchemaViolation => {
            let mut body = endpoint("not-a-uuid");
            body.as_object_mut().unwrap().remove("codecs");
            json_response(200, body)
        }
        Fault::RejectsValid => json_response(
            422,
            json!({"errors": [{"detail": "no", "status": "422", "title": "Invalid", "code": "invalid"}]}),
        ),
        Fault::EchoesCredentials => {
            let mut body = endpoint(&id);
            body["id"] = json!(given);
            json_response(200, body)
        }
        _ => json_response(200, endpoint(&id)),
    }
}

/// Starts the server on an ephemeral loopback port; returns its base URL.
pub fn start(fault: Fault) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let rt =
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async move {
            let app = Router::new()
                .route("/endpoints/sip/{id}", get(retrieve))
                .fallback(|| async { json_response(404, json!({"error": "Not Found"})) })
                .with_state(fault);
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    format!("http://{addr}")
}

/// A TCP port on 127.0.0.1 with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
