//! Client CPU per request: reqwest (what gauntlet sends with) against hyper-util's client
//! directly, both on one current-thread runtime, against the built-in mock on its own
//! threads. Prints figures; asserts nothing about time. Run with `cargo bench --bench client`.
//! It measures what replacing reqwest would save before anyone does it.

use std::sync::Arc;
use std::time::Instant;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;

const REQUESTS: usize = 40_000;
const CONCURRENCY: usize = 8;

/// CPU time of the calling thread, in microseconds.
fn thread_cpu_us() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the time into `t`, which outlives the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e6 + t.tv_nsec as f64 / 1e3
}

fn main() {
    // The mock on its own runtime and threads, so the client's thread time is the client's.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let spec = Arc::new(
                gauntlet::openapi::load(std::path::Path::new("spec/relay-rest.yaml")).unwrap(),
            );
            let ops = gauntlet::openapi::operations(&spec).unwrap();
            let creds = gauntlet::credentials::Credentials {
                basic: Some(("bench".into(), "tok".into())),
                ..Default::default()
            };
            let config = gauntlet::mock::MockConfig {
                credentials: Some(creds),
                seed: 1,
                faults: vec![],
                stateful: false,
            };
            let running =
                gauntlet::mock::spawn(Arc::new(gauntlet::mock::Mock::new(spec, ops, config)))
                    .await
                    .unwrap();
            tx.send(running.addr).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv().unwrap();
    let url = format!("http://{addr}/endpoints/sip/3fa85f64-5717-4562-b3fc-2c963f66afa6");
    let auth = "Basic YmVuY2g6dG9r";
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    // gauntlet's own client, as every run builds it.
    let reqwest_client = gauntlet::http::client(gauntlet::http::ClientConfig {
        concurrency: CONCURRENCY,
        timeout: std::time::Duration::from_secs(10),
        ca_certs: &[],
        insecure: false,
    })
    .unwrap();
    let hyper_client: hyper_util::client::legacy::Client<_, Empty<Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_max_idle_per_host(CONCURRENCY)
            .build_http();
    let uri: hyper::Uri = url.parse().unwrap();

    for round in 0..2 {
        let (cpu, wall) = (thread_cpu_us(), Instant::now());
        rt.block_on(async {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let worker = || async {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < REQUESTS {
                    let r = reqwest_client
                        .get(&url)
                        .header("Authorization", auth)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    let _ = r.bytes().await.unwrap();
                }
            };
            futures_util::future::join_all((0..CONCURRENCY).map(|_| worker())).await;
        });
        report(round, "reqwest", cpu, wall);
        let (cpu, wall) = (thread_cpu_us(), Instant::now());
        rt.block_on(async {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let worker = || async {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < REQUESTS {
                    let req = hyper::Request::get(uri.clone())
                        .header("Authorization", auth)
                        .body(Empty::<Bytes>::new())
                        .unwrap();
                    let r = hyper_client.request(req).await.unwrap();
                    assert_eq!(r.status(), 200);
                    let _ = r.into_body().collect().await.unwrap().to_bytes();
                }
            };
            futures_util::future::join_all((0..CONCURRENCY).map(|_| worker())).await;
        });
        report(round, "hyper-util", cpu, wall);
    }
}

fn report(round: usize, what: &str, cpu_start: f64, wall: Instant) {
    let cpu = thread_cpu_us() - cpu_start;
    let secs = wall.elapsed().as_secs_f64();
    println!(
        "round {round} {what:<11} {:>8.0} requests/s  {:>6.1} µs client CPU/request",
        REQUESTS as f64 / secs,
        cpu / REQUESTS as f64
    );
}
