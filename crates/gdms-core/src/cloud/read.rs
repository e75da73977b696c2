//! Lenient readers for cloud JSON.
//!
//! The clouds send ids as numbers or strings, numbers as strings, booleans as
//! `0/1`, `"1"` or `true`, and leave fields out. These readers accept every
//! such spelling and turn anything else into `None`, so no shape of answer can
//! panic the parser; the caller decides whether a missing field matters.

use serde_json::Value;

/// The first of `keys` present on `obj` and not `null`.
pub fn field<'a>(obj: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .filter_map(|k| obj.get(*k))
        .find(|v| !v.is_null())
}

/// Text of the first of `keys` that is a non-empty string or a number, trimmed.
pub fn text(obj: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().filter_map(|k| obj.get(*k)).find_map(as_text)
}

/// A value as trimmed, non-empty text (strings and numbers).
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer from a number (whole floats too) or a numeric string.
pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => {
            let t = s.trim();
            t.parse::<i64>().ok().or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                    .map(|f| f as i64)
            })
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Integer of the first of `keys` that reads as one.
pub fn int(obj: &Value, keys: &[&str]) -> Option<i64> {
    keys.iter().filter_map(|k| obj.get(*k)).find_map(as_i64)
}

/// Non-negative integer of the first of `keys`.
pub fn uint(obj: &Value, keys: &[&str]) -> Option<u64> {
    int(obj, keys).and_then(|i| u64::try_from(i).ok())
}

/// A small non-negative integer (enums, channels) that fits `T`.
pub fn small<T: TryFrom<i64>>(obj: &Value, keys: &[&str]) -> Option<T> {
    int(obj, keys).and_then(|i| T::try_from(i).ok())
}

/// Truthiness as the clouds spell it: `true`, non-zero numbers, `"1"`, `"true"`, `"yes"`.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "y"
        ),
        _ => false,
    }
}

/// Optional boolean of the first of `keys` (present → truthiness).
pub fn flag(obj: &Value, keys: &[&str]) -> Option<bool> {
    field(obj, keys).map(truthy)
}

/// Epoch milliseconds or seconds → epoch seconds (values below 10^10 are
/// already seconds, spec §6.6).
pub fn epoch_seconds(obj: &Value, keys: &[&str]) -> Option<i64> {
    int(obj, keys)
        .filter(|v| *v > 0)
        .map(|v| if v < 9_999_999_999 { v } else { v / 1000 })
}

/// The rows of a list answer's `data`: `data.result`, `data.list`, or `data`
/// itself when it is an array (spec §2.1). `None` when none of these is an array.
pub fn rows(data: &Value) -> Option<&Vec<Value>> {
    match data {
        Value::Array(a) => Some(a),
        Value::Object(_) => ["result", "list"]
            .iter()
            .find_map(|k| data.get(*k).and_then(Value::as_array)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_in_every_spelling() {
        let v = json!({"a": 5, "b": "7", "c": " 9 ", "d": 3.0, "e": "x", "f": null, "g": true});
        assert_eq!(int(&v, &["a"]), Some(5));
        assert_eq!(int(&v, &["b"]), Some(7));
        assert_eq!(int(&v, &["c"]), Some(9));
        assert_eq!(int(&v, &["d"]), Some(3));
        assert_eq!(int(&v, &["e"]), None);
        assert_eq!(int(&v, &["f", "a"]), Some(5));
        assert_eq!(int(&v, &["g"]), Some(1));
        assert_eq!(small::<u8>(&json!({"s": 300}), &["s"]), None);
        assert_eq!(uint(&json!({"s": -1}), &["s"]), None);
    }

    #[test]
    fn text_and_flags() {
        let v = json!({"id": 12345, "n": "  ", "m": " x ", "t": "1", "z": 0, "arr": []});
        assert_eq!(text(&v, &["id"]).as_deref(), Some("12345"));
        assert_eq!(text(&v, &["n", "m"]).as_deref(), Some("x"));
        assert_eq!(text(&v, &["arr"]), None);
        assert_eq!(flag(&v, &["t"]), Some(true));
        assert_eq!(flag(&v, &["z"]), Some(false));
        assert_eq!(flag(&v, &["missing"]), None);
    }

    #[test]
    fn epochs_and_rows() {
        assert_eq!(
            epoch_seconds(&json!({"t": 1767225000000_i64}), &["t"]),
            Some(1767225000)
        );
        assert_eq!(
            epoch_seconds(&json!({"t": 1767225000}), &["t"]),
            Some(1767225000)
        );
        assert_eq!(rows(&json!({"result": [1]})).map(Vec::len), Some(1));
        assert_eq!(rows(&json!({"list": [1, 2]})).map(Vec::len), Some(2));
        assert_eq!(rows(&json!([1, 2, 3])).map(Vec::len), Some(3));
        assert_eq!(rows(&json!({"result": "x"})), None);
        assert_eq!(rows(&json!(null)), None);
    }
}
