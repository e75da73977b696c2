//! Randomness from the operating system (secrets, message ids, jitter).

/// `n` random bytes from the OS.
///
/// # Panics
/// When the OS has no randomness to give (never on a supported system);
/// a secret must not be made from anything weaker.
pub fn bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).expect("the operating system refused random bytes");
    buf
}

/// A uniform float in `[0, 1)`.
pub fn unit() -> f64 {
    let b = bytes(8);
    let mut a = [0u8; 8];
    a.copy_from_slice(&b);
    (u64::from_le_bytes(a) >> 11) as f64 / (1u64 << 53) as f64
}
