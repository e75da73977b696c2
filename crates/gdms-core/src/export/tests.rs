//! Reads the produced workbooks back with calamine.

use calamine::{open_workbook, Data, Reader, Xlsx};

use super::*;

const NOW: i64 = 20_000 * DAY + 3_600;

/// A device observed 1000 s on each of `days` days (ending today) with
/// `online_permille` of that online.
fn device(name: &str, category: &str, window: usize, online: u32) -> ExportDevice {
    ExportDevice {
        key: name.to_lowercase(),
        name: name.into(),
        category: category.into(),
        model: "GWN7062".into(),
        network: "HQ".into(),
        status: "Online".into(),
        online_s: vec![online; window],
        observed_s: vec![1000; window],
    }
}

fn write(input: &ExportInput) -> (tempfile_path::TempPath, ExportReport) {
    let p = tempfile_path::TempPath::new();
    let report = export_xlsx(input, p.path()).expect("export");
    (p, report)
}

/// Minimal temp path owner (no extra dependency): removed on drop.
mod tempfile_path {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU32, Ordering};

    static N: AtomicU32 = AtomicU32::new(0);

    pub struct TempPath(PathBuf);

    impl TempPath {
        pub fn new() -> Self {
            let n = N.fetch_add(1, Ordering::Relaxed);
            TempPath(
                std::env::temp_dir()
                    .join(format!("gdms_export_test_{}_{n}.xlsx", std::process::id())),
            )
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match cell(r, row, col) {
        Data::String(s) => s,
        other => format!("{other:?}"),
    }
}

fn num(r: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match cell(r, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("not a number at {row},{col}: {other:?}"),
    }
}

fn edges_input() -> ExportInput {
    let w = 3;
    let mut labels = ExportLabels {
        summary: "Résumé".into(),
        ..ExportLabels::default()
    };
    for (k, v) in [
        ("gold", "Or"),
        ("silver", "Argent"),
        ("bronze", "Bronze"),
        ("critical", "Critique"),
        ("no_data", "Aucune donnée"),
    ] {
        labels.tiers.insert(k.into(), v.into());
    }
    let mut nodata = device("E-none", "Switch", w, 0);
    nodata.observed_s = vec![];
    ExportInput {
        now: NOW,
        window_days: w as u16,
        devices: vec![
            device("A-gold", "Router", w, 999),   // 99.9 exactly → Gold
            device("B-silver", "Router", w, 990), // 99.0 → Silver
            device("C-bronze", "AP", w, 950),     // 95.0 → Bronze
            device("D-critical", "AP", w, 949),   // 94.9 → Critical
            nodata,
        ],
        incidents: vec![ExportIncident {
            device: "D-critical".into(),
            kind: "Offline".into(),
            opened: NOW - 7_200,
            resolved: Some(NOW - 3_600),
            ticket_id: Some(42),
        }],
        labels,
    }
}

#[test]
fn export_sheets_and_headers() {
    let (p, report) = write(&edges_input());
    assert_eq!(report.devices, 5);
    assert_eq!(report.days, 3);
    let mut wb: Xlsx<_> = open_workbook(p.path()).expect("open");
    assert_eq!(
        wb.sheet_names(),
        vec!["Résumé", "Availability", "Incidents"]
    );

    let s = wb.worksheet_range("Résumé").expect("summary");
    assert_eq!(text(&s, 0, 0), "SLA tier");
    assert_eq!(text(&s, 0, 3), "Type");
    // Totals per tier, in tier order, then per category (sorted).
    assert_eq!(text(&s, 1, 0), "Or");
    assert_eq!(num(&s, 1, 1), 1.0);
    assert_eq!(text(&s, 5, 0), "Aucune donnée");
    assert_eq!(num(&s, 5, 1), 1.0);
    assert_eq!((text(&s, 1, 3), num(&s, 1, 4)), ("AP".into(), 2.0));
    assert_eq!((text(&s, 2, 3), num(&s, 2, 4)), ("Router".into(), 2.0));
    // Device table: header after the totals and one blank row.
    let h = 7;
    let headers: Vec<String> = (0..7).map(|c| text(&s, h, c)).collect();
    assert_eq!(
        headers,
        [
            "Device",
            "Type",
            "Model",
            "Network",
            "Status",
            "Availability %",
            "SLA tier"
        ]
    );
    assert_eq!(text(&s, h + 1, 0), "A-gold");
    assert_eq!(text(&s, h + 1, 2), "GWN7062");
    assert_eq!(text(&s, h + 1, 3), "HQ");
}

#[test]
fn export_tier_edges() {
    let (p, report) = write(&edges_input());
    let mut wb: Xlsx<_> = open_workbook(p.path()).expect("open");
    let s = wb.worksheet_range("Résumé").expect("summary");
    let h = 7;
    let rows: Vec<(String, Data, String)> = (1..=5)
        .map(|i| (text(&s, h + i, 0), cell(&s, h + i, 5), text(&s, h + i, 6)))
        .collect();
    assert_eq!(rows[0], ("A-gold".into(), Data::Float(99.9), "Or".into()));
    assert_eq!(
        rows[1],
        ("B-silver".into(), Data::Float(99.0), "Argent".into())
    );
    assert_eq!(
        rows[2],
        ("C-bronze".into(), Data::Float(95.0), "Bronze".into())
    );
    assert_eq!(
        rows[3],
        ("D-critical".into(), Data::Float(94.9), "Critique".into())
    );
    assert_eq!(rows[4].1, Data::Empty);
    assert_eq!(rows[4].2, "Aucune donnée");
    for t in TIERS {
        assert_eq!(report.tiers.get(&t), Some(&1), "{t:?}");
    }
}

#[test]
fn export_tier_matches_engine_just_below_edges() {
    // 99.89 % is Silver, 98.99 Bronze, 94.99 Critical: rounding to 2 decimals
    // never pushes them over (the dashboard rounds the same way).
    let mut d1 = device("x", "AP", 1, 0);
    d1.online_s = vec![9_989];
    d1.observed_s = vec![10_000];
    let mut d2 = d1.clone();
    d2.online_s = vec![9_899];
    let mut d3 = d1.clone();
    d3.online_s = vec![9_499];
    let input = ExportInput {
        now: NOW,
        window_days: 1,
        devices: vec![d1, d2, d3],
        ..ExportInput::default()
    };
    let (_p, report) = write(&input);
    assert_eq!(report.tiers.get(&SlaTier::Silver), Some(&1));
    assert_eq!(report.tiers.get(&SlaTier::Bronze), Some(&1));
    assert_eq!(report.tiers.get(&SlaTier::Critical), Some(&1));
}

#[test]
fn export_availability_days_and_incidents() {
    let mut input = edges_input();
    // B was not observed on the middle day: empty cell.
    input.devices[1].observed_s[1] = 0;
    let (p, _) = write(&input);
    let mut wb: Xlsx<_> = open_workbook(p.path()).expect("open");
    let a = wb.worksheet_range("Availability").expect("availability");
    assert_eq!(text(&a, 0, 0), "Device");
    assert_eq!(text(&a, 0, 1), "2024-10-02");
    assert_eq!(text(&a, 0, 3), "2024-10-04"); // day 20000 = today
    assert_eq!(text(&a, 1, 0), "A-gold");
    assert_eq!(num(&a, 1, 1), 99.9);
    assert_eq!(num(&a, 4, 3), 94.9);
    assert_eq!(cell(&a, 2, 2), Data::Empty);
    assert_eq!(cell(&a, 5, 1), Data::Empty);

    let i = wb.worksheet_range("Incidents").expect("incidents");
    let headers: Vec<String> = (0..6).map(|c| text(&i, 0, c)).collect();
    assert_eq!(
        headers,
        [
            "Device",
            "Kind",
            "Opened",
            "Resolved",
            "Duration (min)",
            "Ticket"
        ]
    );
    assert_eq!(text(&i, 1, 0), "D-critical");
    assert_eq!(text(&i, 1, 1), "Offline");
    let opened = match cell(&i, 1, 2) {
        Data::DateTime(d) => d.as_f64(),
        Data::Float(f) => f,
        other => panic!("{other:?}"),
    };
    assert!((opened - excel_time(NOW - 7_200)).abs() < 1e-6);
    assert_eq!(num(&i, 1, 4), 60.0);
    assert_eq!(num(&i, 1, 5), 42.0);
}

#[test]
fn export_json_rejects_bad_document_and_bad_path() {
    let e = export_json("{\"devices\": 3}", "/tmp/x.xlsx").unwrap_err();
    assert!(
        e.to_string().starts_with("invalid export input document"),
        "{e}"
    );
    let e = export_json("{}", "/nonexistent-dir/x.xlsx").unwrap_err();
    assert!(
        e.to_string().starts_with("cannot write the workbook"),
        "{e}"
    );
}

#[test]
fn export_sheet_names_are_made_valid() {
    assert_eq!(sheet_name("a/b:c", "X"), "abc");
    assert_eq!(sheet_name("", "X"), "X");
    assert_eq!(sheet_name(&"y".repeat(40), "X").len(), 31);
}
