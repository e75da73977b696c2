//! What PHP does to JSON on a round trip, and how input documents accept it.
//!
//! `json_decode($json, true)` turns an empty object `{}` into an empty array,
//! which `json_encode` writes back as `[]`. Every map a PHP-side document can
//! carry back (stored engine state, a plan re-sent for its summary) therefore
//! accepts `[]` as the empty map.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// Deserializes a map, accepting PHP's `[]` for an empty one.
///
/// # Errors
/// The deserializer's error when the value is neither a map nor an empty list.
pub fn map_or_empty_list<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MapOrList<V> {
        Map(BTreeMap<String, V>),
        List(Vec<serde::de::IgnoredAny>),
    }
    match MapOrList::<V>::deserialize(d)? {
        MapOrList::Map(m) => Ok(m),
        MapOrList::List(l) if l.is_empty() => Ok(BTreeMap::new()),
        MapOrList::List(_) => Err(serde::de::Error::custom(
            "expected a map, found a non-empty list",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default, deserialize_with = "map_or_empty_list")]
        m: BTreeMap<String, u32>,
    }

    #[test]
    fn php_empty_array_is_an_empty_map() {
        assert!(serde_json::from_str::<Doc>(r#"{"m":[]}"#)
            .unwrap()
            .m
            .is_empty());
        assert_eq!(
            serde_json::from_str::<Doc>(r#"{"m":{"a":1}}"#).unwrap().m["a"],
            1
        );
        assert!(serde_json::from_str::<Doc>(r#"{"m":[1]}"#).is_err());
        assert!(serde_json::from_str::<Doc>(r#"{}"#).unwrap().m.is_empty());
    }
}
