//! A fast, non-cryptographic hasher for the engine's hash maps.
//!
//! The plan builds maps over 100 000 devices and assets per cycle; std's
//! SipHash (DoS-resistant) costs more than the planning itself. Keys here come
//! from the organisation's own cloud account and GLPI inventory, not from
//! anonymous users, so flooding resistance is not needed. Multiply-rotate
//! mixing of 8-byte words (the scheme rustc uses for its own tables).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The hasher.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// A final avalanche (the splitmix64 finaliser): the multiply-rotate
    /// steps leave the LOW bits depending only on the low input bits, and
    /// the table indexes by low bits, so keys differing only in their last
    /// bytes (MACs of one vendor) would otherwise share buckets.
    #[inline]
    fn finish(&self) -> u64 {
        let mut z = self.hash;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// An empty map with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn h<T: Hash>(t: &T) -> u64 {
        let mut s = FastHasher::default();
        t.hash(&mut s);
        s.finish()
    }

    #[test]
    fn low_bits_spread_for_same_vendor_macs() {
        let mut buckets = std::collections::HashSet::new();
        for i in 0u32..1024 {
            let b = i.to_be_bytes();
            buckets.insert(h(&[0xc0u8, 0x74, 0xad, b[1], b[2], b[3]]) & 1023);
        }
        assert!(buckets.len() > 500, "{}", buckets.len());
    }

    #[test]
    fn distinguishes_lengths_and_content() {
        assert_ne!(h(&"ab"), h(&"ab\0"));
        assert_ne!(h(&"abcdefgh1"), h(&"abcdefgh2"));
        assert_eq!(h(&"same"), h(&"same"));
        let mut m: FastMap<String, u32> = map_with_capacity(4);
        m.insert("x".into(), 1);
        assert_eq!(m.get("x"), Some(&1));
    }
}
