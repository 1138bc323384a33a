//! The open-file limit: a run of N requests in flight needs N sockets and a few files more.
//! The soft limit is raised toward the hard one where that is allowed; what remains is the
//! most concurrency the machine can give.

/// File descriptors kept free for everything but sockets (reports, the spec, the mock).
pub const RESERVED_FILES: u64 = 64;

/// Raises the soft open-file limit to at least `wanted` when the hard limit allows, and
/// returns the soft limit in force afterwards.
pub fn raise_open_files(wanted: u64) -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes the limit into the struct it is given, which outlives the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return u64::MAX;
    }
    if limit.rlim_cur >= wanted {
        return limit.rlim_cur;
    }
    let raised = libc::rlimit { rlim_cur: wanted.min(limit.rlim_max), rlim_max: limit.rlim_max };
    // SAFETY: setrlimit reads the struct it is given, which outlives the call.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
        raised.rlim_cur
    } else {
        limit.rlim_cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_in_force_is_reported() {
        let now = raise_open_files(16);
        assert!(now >= 16, "{now}");
    }
}
