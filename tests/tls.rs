//! https targets: a private CA is trusted only with --cacert; --insecure works only when asked,
//! and says so.

use std::io::{Read, Write};
use std::sync::Arc;

use crate::support::{USER, gauntlet};

/// A TLS server on 127.0.0.1 with a certificate signed by a fresh CA; answers every request
/// with a documented 404. Returns its URL and the CA certificate (PEM).
fn tls_server() -> (String, String) {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "gauntlet test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.subject_alt_names.push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let cert = params.signed_by(&key, &issuer).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let Ok(mut conn) = tokio_rustls::rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = tokio_rustls::rustls::Stream::new(&mut conn, &mut tcp);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let body = r#"{"error":"Not Found"}"#;
                let reply = format!(
                    "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes());
                let _ = tls.flush();
            });
        }
    });
    (url, ca_cert.pem())
}

fn run(url: &str, extra: &[&str]) -> crate::support::Outcome {
    let mut args = vec![
        "run",
        "--base-url",
        url,
        "--user",
        USER,
        "--max-examples",
        "4",
        "--check",
        "status_code_conformance",
    ];
    args.extend_from_slice(extra);
    gauntlet(&args)
}

#[test]
fn a_private_ca_is_trusted_only_when_given_and_insecure_says_so() {
    let (url, ca) = tls_server();
    let untrusted = run(&url, &[]);
    assert_eq!(untrusted.code, 2, "{}", untrusted.all());
    assert!(
        untrusted.stderr.contains("target unreachable")
            && untrusted.stderr.to_lowercase().contains("certificate"),
        "{}",
        untrusted.all()
    );

    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca).unwrap();
    let trusted = run(&url, &["--cacert", ca_file.to_str().unwrap()]);
    assert_eq!(trusted.code, 0, "{}", trusted.all());
    assert!(!trusted.stdout.contains("--insecure"), "{}", trusted.all());

    let insecure = run(&url, &["--insecure"]);
    assert_eq!(insecure.code, 0, "{}", insecure.all());
    assert!(
        insecure.stdout.contains("note: --insecure: TLS certificates are not verified"),
        "{}",
        insecure.all()
    );

    let bad = run(&url, &["--cacert", "Cargo.toml"]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(bad.stderr.contains("--cacert"), "{}", bad.all());
}
