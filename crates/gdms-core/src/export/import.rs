//! History import (issue 7, spec §10.2): reads back the Availability sheet of
//! a workbook this module's export produced and turns it into daily roll-ups
//! for devices PHP knows, with every skipped row and the reason.
//!
//! The workbook holds daily percentages, not seconds, so an imported day is a
//! fully observed day (`observed_s` = 86,400) with `online_s` = percentage ×
//! 86,400: availability over any window then gives back the exported figure.
//! Never-duplicating days already present is the caller's job (it knows the
//! stored rows); this module only parses and maps.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::engine::availability::{parse_day, Day};

const DAY_S: f64 = 86_400.0;

/// Why a file is refused as a whole (shown to the user as is).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than the configured limit.
    #[error("the file is {size} bytes, more than the {max} allowed")]
    TooLarge {
        /// Size of the file.
        size: usize,
        /// Limit.
        max: usize,
    },
    /// Not a zip-based xlsx workbook at all.
    #[error("the file is not an Excel (.xlsx) workbook")]
    NotXlsx,
    /// An xlsx workbook, but not one this plugin's export produced.
    #[error("the workbook was not produced by the GDMS history export: {0}")]
    NotOurs(&'static str),
}

/// One daily roll-up to add when the day is not stored yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedDay {
    /// Device key (from the name map PHP passed).
    pub device_key: String,
    /// UTC day.
    pub day: Day,
    /// Seconds online (percentage of a full day).
    pub online_s: u32,
    /// Seconds observed (a full day).
    pub observed_s: u32,
}

/// A row of the Availability sheet that gave nothing, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// 1-based row number in the sheet.
    pub row: usize,
    /// Device name in column A.
    pub name: String,
    /// `unknown_device`, `ambiguous_name` or `no_values`.
    pub reason: String,
}

/// Result of parsing a history workbook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportParse {
    /// Days to merge.
    pub days: Vec<ImportedDay>,
    /// Rows skipped, with the reason.
    pub skipped: Vec<SkippedRow>,
}

/// Parses `bytes` (the uploaded file) against `devices` (display name →
/// device keys of the user's devices; more than one key = ambiguous name).
pub fn parse_history(
    bytes: &[u8],
    max_bytes: usize,
    devices: &BTreeMap<String, Vec<String>>,
) -> Result<ImportParse, ImportError> {
    if bytes.len() > max_bytes {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            max: max_bytes,
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ImportError::NotXlsx);
    }
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ImportError::NotXlsx)?;
    if wb.sheet_names().len() != 3 {
        return Err(ImportError::NotOurs("it does not have the three sheets"));
    }
    // Sheet names are translated: the Availability sheet is found by position.
    let range = match wb.worksheet_range_at(1) {
        Some(Ok(r)) => r,
        _ => return Err(ImportError::NotOurs("its second sheet cannot be read")),
    };
    let mut rows = range.rows();
    let header = rows
        .next()
        .ok_or(ImportError::NotOurs("its second sheet is empty"))?;
    let days: Vec<Day> = header
        .iter()
        .skip(1)
        .map(|c| c.get_string().and_then(parse_day).map(Day))
        .collect::<Option<Vec<_>>>()
        .ok_or(ImportError::NotOurs(
            "the second sheet's header is not one UTC day per column",
        ))?;
    if days.is_empty() {
        return Err(ImportError::NotOurs("the second sheet has no day column"));
    }

    let mut out = ImportParse::default();
    for (i, row) in rows.enumerate() {
        let name = row.first().and_then(|c| c.as_string()).unwrap_or_default();
        let number = i + 2;
        let skip = |reason: &str| SkippedRow {
            row: number,
            name: name.clone(),
            reason: reason.to_string(),
        };
        let key = match devices.get(&name).map(Vec::as_slice) {
            Some([key]) => key.clone(),
            Some([_, _, ..]) => {
                out.skipped.push(skip("ambiguous_name"));
                continue;
            }
            _ => {
                out.skipped.push(skip("unknown_device"));
                continue;
            }
        };
        let before = out.days.len();
        for (day, cell) in days.iter().zip(row.iter().skip(1)) {
            let pct = match cell {
                Data::Float(_) | Data::Int(_) => cell.as_f64(),
                _ => None,
            };
            let Some(pct) = pct.filter(|p| (0.0..=100.0).contains(p)) else {
                continue;
            };
            out.days.push(ImportedDay {
                device_key: key.clone(),
                day: *day,
                online_s: (pct / 100.0 * DAY_S).round() as u32,
                observed_s: DAY_S as u32,
            });
        }
        if out.days.len() == before {
            out.skipped.push(skip("no_values"));
        }
    }
    Ok(out)
}

/// The request of `gdms_import_xlsx`: the uploaded file's path, the size
/// limit and the user's devices (display name → device keys).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportRequest {
    /// Path of the uploaded file (PHP's temporary upload).
    pub path: String,
    /// Size limit in bytes.
    pub max_bytes: usize,
    /// Display name → device keys (more than one = ambiguous name).
    pub devices: BTreeMap<String, Vec<String>>,
}

/// `gdms_import_xlsx`: `{"ok":true,"days":[…],"skipped":[…]}` or
/// `{"ok":false,"error":"…"}` for a refused file (a user mistake, not a
/// failure: it is answered, not thrown). Only a malformed request is an error.
pub fn import_json(request_json: &str) -> Result<String, serde_json::Error> {
    let req: ImportRequest = serde_json::from_str(request_json)?;
    // Size first, from the metadata, so an oversized upload is never read.
    let answer = match std::fs::metadata(&req.path) {
        Err(_) => Err(ImportError::NotXlsx),
        Ok(m) if m.len() > req.max_bytes as u64 => Err(ImportError::TooLarge {
            size: usize::try_from(m.len()).unwrap_or(usize::MAX),
            max: req.max_bytes,
        }),
        Ok(_) => std::fs::read(&req.path)
            .map_err(|_| ImportError::NotXlsx)
            .and_then(|bytes| parse_history(&bytes, req.max_bytes, &req.devices)),
    };
    serde_json::to_string(&match answer {
        Ok(p) => serde_json::json!({"ok": true, "days": p.days, "skipped": p.skipped}),
        Err(e) => serde_json::json!({"ok": false, "error": e.to_string()}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::availability::{availability, DailyRollup};
    use crate::export::{export_xlsx, ExportDevice, ExportInput};

    const NOW: i64 = 20_000 * 86_400 + 3_600;

    fn exported() -> Vec<u8> {
        let dev = |name: &str, on: Vec<u32>, obs: Vec<u32>| ExportDevice {
            key: format!("key-{name}"),
            name: name.into(),
            online_s: on,
            observed_s: obs,
            ..ExportDevice::default()
        };
        let input = ExportInput {
            now: NOW,
            window_days: 3,
            devices: vec![
                dev("A", vec![86_400, 43_200, 86_313], vec![86_400; 3]),
                dev("B", vec![0, 0, 0], vec![0, 0, 0]),
                dev("Stranger", vec![1; 3], vec![1; 3]),
                dev("Twin", vec![1; 3], vec![1; 3]),
            ],
            ..ExportInput::default()
        };
        // Unique per call: tests run in parallel and each removes its file.
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("gdms_import_{}_{n}.xlsx", std::process::id()));
        export_xlsx(&input, &path).expect("export");
        let bytes = std::fs::read(&path).expect("read");
        let _ = std::fs::remove_file(&path);
        bytes
    }

    fn known() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([
            ("A".to_string(), vec!["key-A".to_string()]),
            ("B".to_string(), vec!["key-B".to_string()]),
            ("Twin".to_string(), vec!["t1".to_string(), "t2".to_string()]),
        ])
    }

    #[test]
    fn import_of_an_export_round_trips() {
        let parsed = parse_history(&exported(), 5 << 20, &known()).expect("parse");
        let a: Vec<DailyRollup> = parsed
            .days
            .iter()
            .filter(|d| d.device_key == "key-A")
            .map(|d| DailyRollup {
                day: d.day,
                online_s: u64::from(d.online_s),
                observed_s: u64::from(d.observed_s),
            })
            .collect();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].day, Day(19_998));
        assert_eq!(a[1].online_s, 43_200);
        // Same window availability as the original roll-ups, to 2 decimals.
        let original = (86_400.0 + 43_200.0 + 86_313.0) * 100.0 / (3.0 * 86_400.0);
        let back = availability(&a, 3, NOW).expect("some");
        assert!((back - original).abs() < 0.01, "{back} vs {original}");
        let reasons: Vec<(&str, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("B", "no_values"),
                ("Stranger", "unknown_device"),
                ("Twin", "ambiguous_name")
            ]
        );
    }

    #[test]
    fn import_rejects_other_files() {
        let bytes = exported();
        assert_eq!(
            parse_history(&bytes, 10, &known()),
            Err(ImportError::TooLarge {
                size: bytes.len(),
                max: 10
            })
        );
        assert_eq!(
            parse_history(b"Date,Device\n", 1 << 20, &known()),
            Err(ImportError::NotXlsx)
        );
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet();
        let other = wb.save_to_buffer().expect("buffer");
        assert!(matches!(
            parse_history(&other, 1 << 20, &known()),
            Err(ImportError::NotOurs(_))
        ));
    }
}
