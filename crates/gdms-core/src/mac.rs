//! MAC addresses as one canonical value.
//!
//! The clouds write MACs in at least three shapes (`C0:74:AD:12:34:56`,
//! `C074AD123456`, lower case colon form) and GLPI assets may hold `c0-74-ad-…`
//! or Cisco dotted form. Parsing every one of them into a [`Mac`] is what lets
//! matching compare like with like (the reference plugin compared raw strings).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::GdmsError;

/// A 48-bit MAC address. Displays as lowercase colon form, GLPI's inventory form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac([u8; 6]);

impl Mac {
    /// Parses any of the usual spellings: separators `:`, `-`, `.` or none, any case.
    ///
    /// # Errors
    /// [`GdmsError::InvalidMac`] when, after removing separators and surrounding
    /// whitespace, the text is not exactly 12 hexadecimal digits.
    ///
    /// # Examples
    /// ```
    /// use gdms_core::Mac;
    /// let a = Mac::parse("C0:74:AD:12:34:56").unwrap();
    /// assert_eq!(a, Mac::parse("c074.ad12.3456").unwrap());
    /// assert_eq!(a.to_string(), "c0:74:ad:12:34:56");
    /// assert_eq!(a.to_compact_upper(), "C074AD123456");
    /// ```
    pub fn parse(text: &str) -> Result<Self, GdmsError> {
        let mut bytes = [0u8; 6];
        let mut nibbles = 0usize;
        for c in text.trim().chars() {
            if matches!(c, ':' | '-' | '.') {
                continue;
            }
            let v = c
                .to_digit(16)
                .ok_or_else(|| GdmsError::InvalidMac(text.to_string()))?;
            if nibbles >= 12 {
                return Err(GdmsError::InvalidMac(text.to_string()));
            }
            bytes[nibbles / 2] = (bytes[nibbles / 2] << 4) | v as u8;
            nibbles += 1;
        }
        if nibbles != 12 {
            return Err(GdmsError::InvalidMac(text.to_string()));
        }
        Ok(Mac(bytes))
    }

    /// Like [`Mac::parse`] but for optional cloud fields: empty or invalid gives `None`.
    pub fn parse_lenient(text: &str) -> Option<Self> {
        Mac::parse(text).ok()
    }

    /// The raw bytes.
    pub fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// `C0:74:AD:12:34:56`: the form GDMS `task/add` requires.
    pub fn to_colon_upper(&self) -> String {
        self.to_string().to_uppercase()
    }

    /// `C074AD123456`: the form GWN `upgrade/add` and port calls require.
    pub fn to_compact_upper(&self) -> String {
        hex::encode_upper(self.0)
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mac({self})")
    }
}

impl FromStr for Mac {
    type Err = GdmsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mac::parse(s)
    }
}

impl Serialize for Mac {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Mac {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Mac::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_is_the_same_mac() {
        let want = Mac::parse("c0:74:ad:12:34:56").unwrap();
        for s in [
            "C0:74:AD:12:34:56",
            "C0-74-AD-12-34-56",
            "C074AD123456",
            "c074.ad12.3456",
            "  c0:74:ad:12:34:56 ",
        ] {
            assert_eq!(Mac::parse(s).unwrap(), want, "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_mac() {
        for s in [
            "",
            "c0:74:ad:12:34",
            "c0:74:ad:12:34:56:78",
            "g0:74:ad:12:34:56",
            "n/a",
        ] {
            assert!(Mac::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn serde_round_trip_uses_canonical_form() {
        let m: Mac = serde_json::from_str("\"C0-74-AD-12-34-56\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"c0:74:ad:12:34:56\"");
        assert!(serde_json::from_str::<Mac>("\"nope\"").is_err());
    }
}
