//! Stopping a run from outside: Ctrl-C (SIGINT) and SIGTERM both stop it the same way —
//! requests in flight abandoned, reports of what finished written — and each has its exit
//! code, so a CI runner that cancels a job sees 143, a person at a terminal 130.

use crate::error::{EXIT_INTERRUPTED, EXIT_TERMINATED};

/// Resolves when the process is asked to stop, with the exit code that signal means.
pub async fn stop_requested() -> i32 {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match &mut terminate {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => EXIT_INTERRUPTED,
        () = terminated => EXIT_TERMINATED,
    }
}
