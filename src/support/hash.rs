//! One stable hash for seeds, partitions and fuzz keys.

/// FNV-1a (64 bits) over `parts` in turn: stable across platforms and releases (unlike
/// `DefaultHasher`), for per-operation seed streams and hash partitions.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.iter())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
