//! Excel export of the NOC state and availability history (issue 7, spec §10.1).
//!
//! PHP gathers the rows (bulk queries, entity scoped, strings translated) into
//! one [`ExportInput`] document; this module writes the workbook to a file with
//! rust_xlsxwriter in constant-memory mode, so 10,000 devices × 365 days never
//! sit in memory as cells: each row is flushed to a temporary file as soon as
//! the next one starts.
//!
//! Availability and SLA tiers come from [`crate::engine::availability`]
//! ([`availability`], [`SlaTier::from_availability`]) and are rounded to two
//! decimals before tiering, exactly as the dashboard does, so a device shows
//! the same figure and tier in both places (the reference used a different
//! formula in its export, weakness list §17).
//!
//! Sheets, in this order:
//! 1. **Summary**: totals per SLA tier and per category at the top, then one
//!    row per device (name, type, model, network, status, availability %,
//!    tier) with a styled, frozen header, an autofilter and tier colours.
//! 2. **Availability**: one row per device, one column per UTC day of the
//!    window (oldest first), that day's availability %, coloured by tier
//!    through conditional formats; empty cell = nothing observed that day.
//! 3. **Incidents**: device, kind, opened, resolved, duration (minutes),
//!    ticket id.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign, Workbook,
    Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::engine::availability::{availability, DailyRollup, Day, SlaTier};

const DAY: i64 = 86_400;
/// Excel's serial day number of 1970-01-01 (1900 date system).
const EXCEL_EPOCH_OFFSET: f64 = 25_569.0;
/// Excel's limit on sheet names.
const SHEET_NAME_MAX: usize = 31;

/// Why an export could not be written.
#[derive(Debug, Error)]
pub enum ExportError {
    /// The input document does not have the shape of [`ExportInput`].
    #[error("invalid export input document: {0}")]
    Input(#[from] serde_json::Error),
    /// rust_xlsxwriter refused a value or could not write the file.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One device of the export. Display strings arrive translated from PHP.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportDevice {
    /// Stable device key (joins incidents to their device).
    pub key: String,
    /// Display name (GLPI name, else cloud name, else MAC).
    pub name: String,
    /// Device type / category, already translated (totals are grouped by it).
    pub category: String,
    /// Model.
    pub model: String,
    /// Network (site) name.
    pub network: String,
    /// Current status, already translated.
    pub status: String,
    /// Seconds online per UTC day of the window, index 0 = the window's first
    /// day (`today - window_days + 1`). Shorter than the window = zeros after.
    /// Parallel arrays rather than one object per day: 10,000 × 365 days must
    /// stay small as JSON and in memory.
    #[serde(deserialize_with = "exact_vec")]
    pub online_s: Vec<u32>,
    /// Seconds observed per UTC day, aligned with `online_s`; 0 = no data.
    #[serde(deserialize_with = "exact_vec")]
    pub observed_s: Vec<u32>,
}

/// A day array in a buffer of its own length. Parsing grows it by doubling
/// (365 values end in a 512-slot buffer) and allocators keep a shrunk block
/// in place, so the values are copied out: 20,000 such arrays are most of
/// the export's memory.
fn exact_vec<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    Ok(Vec::<u32>::deserialize(d)?.as_slice().to_vec())
}

/// One plugin incident inside the window.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportIncident {
    /// Device display name.
    pub device: String,
    /// Kind, already translated.
    pub kind: String,
    /// Opened, epoch seconds.
    pub opened: i64,
    /// Resolved, epoch seconds; `None` while open.
    pub resolved: Option<i64>,
    /// GLPI ticket id, if any.
    pub ticket_id: Option<u64>,
}

/// Sheet names and headers, translated by PHP (`__()`); English defaults so a
/// partial document still yields a readable workbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportLabels {
    /// Summary sheet name.
    pub summary: String,
    /// Availability sheet name.
    pub availability: String,
    /// Incidents sheet name.
    pub incidents: String,
    /// "Device".
    pub device: String,
    /// "Type".
    pub category: String,
    /// "Model".
    pub model: String,
    /// "Network".
    pub network: String,
    /// "Status".
    pub status: String,
    /// "Availability %".
    pub availability_percent: String,
    /// "SLA tier".
    pub tier: String,
    /// "Devices" (count column of the totals).
    pub count: String,
    /// "Kind".
    pub kind: String,
    /// "Opened".
    pub opened: String,
    /// "Resolved".
    pub resolved: String,
    /// "Duration (min)".
    pub duration: String,
    /// "Ticket".
    pub ticket: String,
    /// Tier names: `gold`, `silver`, `bronze`, `critical`, `no_data`.
    pub tiers: BTreeMap<String, String>,
}

impl Default for ExportLabels {
    fn default() -> Self {
        let s = |v: &str| v.to_string();
        ExportLabels {
            summary: s("Summary"),
            availability: s("Availability"),
            incidents: s("Incidents"),
            device: s("Device"),
            category: s("Type"),
            model: s("Model"),
            network: s("Network"),
            status: s("Status"),
            availability_percent: s("Availability %"),
            tier: s("SLA tier"),
            count: s("Devices"),
            kind: s("Kind"),
            opened: s("Opened"),
            resolved: s("Resolved"),
            duration: s("Duration (min)"),
            ticket: s("Ticket"),
            tiers: BTreeMap::new(),
        }
    }
}

/// The one input document of the export (`gdms_export_xlsx`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportInput {
    /// Now, epoch seconds: the window ends on this UTC day (included).
    pub now: i64,
    /// Window length in UTC days (clamped to 1–365 like the dashboard).
    pub window_days: u16,
    /// Devices, in the order they appear.
    pub devices: Vec<ExportDevice>,
    /// Incidents, in the order they appear.
    pub incidents: Vec<ExportIncident>,
    /// Translated sheet names and headers.
    pub labels: ExportLabels,
}

/// What was written (the answer of `gdms_export_xlsx`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportReport {
    /// Devices written.
    pub devices: usize,
    /// Incidents written.
    pub incidents: usize,
    /// Days of the window (columns of the Availability sheet).
    pub days: u16,
    /// First UTC day of the window.
    pub first_day: Day,
    /// Devices per tier.
    pub tiers: BTreeMap<SlaTier, usize>,
}

const TIERS: [SlaTier; 5] = [
    SlaTier::Gold,
    SlaTier::Silver,
    SlaTier::Bronze,
    SlaTier::Critical,
    SlaTier::NoData,
];

fn tier_code(t: SlaTier) -> &'static str {
    match t {
        SlaTier::Gold => "gold",
        SlaTier::Silver => "silver",
        SlaTier::Bronze => "bronze",
        SlaTier::Critical => "critical",
        SlaTier::NoData => "no_data",
    }
}

/// Fill colour of a tier (green, blue, amber, red, grey).
fn tier_colour(t: SlaTier) -> Color {
    Color::RGB(match t {
        SlaTier::Gold => 0xC6EFCE,
        SlaTier::Silver => 0xDDEBF7,
        SlaTier::Bronze => 0xFFEB9C,
        SlaTier::Critical => 0xFFC7CE,
        SlaTier::NoData => 0xEDEDED,
    })
}

/// Same rounding as the dashboard before tiering, so 99.895 is Gold in both.
fn round2(p: f64) -> f64 {
    (p * 100.0).round() / 100.0
}

/// Availability % (rounded) and tier of one device over the window, from the
/// engine's [`availability`] over its daily roll-ups.
fn device_availability(
    d: &ExportDevice,
    first_day: i64,
    window: u16,
    now: i64,
    scratch: &mut Vec<DailyRollup>,
) -> (Option<f64>, SlaTier) {
    scratch.clear();
    for (i, &obs) in d.observed_s.iter().enumerate().take(usize::from(window)) {
        if obs > 0 {
            let on = d.online_s.get(i).copied().unwrap_or(0);
            scratch.push(DailyRollup {
                day: Day(first_day + i as i64),
                online_s: u64::from(on),
                observed_s: u64::from(obs),
            });
        }
    }
    let p = availability(scratch, window, now).map(round2);
    (p, SlaTier::from_availability(p))
}

fn sheet_name(name: &str, fallback: &str) -> String {
    // Excel forbids these characters in sheet names and caps the length.
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(SHEET_NAME_MAX)
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_string();
    if cleaned.is_empty() {
        fallback.to_string()
    } else {
        cleaned
    }
}

fn excel_time(epoch: i64) -> f64 {
    epoch as f64 / DAY as f64 + EXCEL_EPOCH_OFFSET
}

/// Parses the JSON document and writes the workbook; answers the
/// [`ExportReport`] as JSON.
pub fn export_json(input_json: &str, path: &str) -> Result<String, ExportError> {
    let input: ExportInput = serde_json::from_str(input_json)?;
    let report = export_xlsx(&input, Path::new(path))?;
    Ok(serde_json::to_string(&report)?)
}

/// Writes the three-sheet workbook of `input` to `path`.
pub fn export_xlsx(input: &ExportInput, path: &Path) -> Result<ExportReport, ExportError> {
    let now = input.now;
    let window = input.window_days.clamp(1, 365);
    let today = now.div_euclid(DAY);
    let first_day = today - i64::from(window) + 1;
    let l = &input.labels;

    // First pass: one figure per device (tiny), needed for the totals that
    // come first on the Summary sheet; rows are streamed afterwards.
    let mut scratch = Vec::with_capacity(usize::from(window));
    let figures: Vec<(Option<f64>, SlaTier)> = input
        .devices
        .iter()
        .map(|d| device_availability(d, first_day, window, now, &mut scratch))
        .collect();
    let mut per_tier: BTreeMap<SlaTier, usize> = BTreeMap::new();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, (_, t)) in input.devices.iter().zip(&figures) {
        *per_tier.entry(*t).or_default() += 1;
        *per_category.entry(d.category.as_str()).or_default() += 1;
    }
    let tier_name = |t: SlaTier| -> String {
        l.tiers
            .get(tier_code(t))
            .cloned()
            .unwrap_or_else(|| tier_code(t).to_string())
    };

    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1A56DB))
        .set_align(FormatAlign::Center);
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let tier_fmt: BTreeMap<SlaTier, Format> = TIERS
        .iter()
        .map(|t| (*t, Format::new().set_background_color(tier_colour(*t))))
        .collect();
    let tier_pct: BTreeMap<SlaTier, Format> = TIERS
        .iter()
        .map(|t| {
            (
                *t,
                Format::new()
                    .set_num_format("0.00")
                    .set_background_color(tier_colour(*t)),
            )
        })
        .collect();

    let mut wb = Workbook::new();

    // --- Summary ---
    {
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(sheet_name(&l.summary, "Summary"))?;
        ws.write_string_with_format(0, 0, &l.tier, &header)?;
        ws.write_string_with_format(0, 1, &l.count, &header)?;
        ws.write_string_with_format(0, 3, &l.category, &header)?;
        ws.write_string_with_format(0, 4, &l.count, &header)?;
        let cats: Vec<(&str, usize)> = per_category.iter().map(|(k, v)| (*k, *v)).collect();
        let total_rows = TIERS.len().max(cats.len());
        for i in 0..total_rows {
            let row = (i + 1) as u32;
            if let Some(t) = TIERS.get(i) {
                let f = &tier_fmt[t];
                ws.write_string_with_format(row, 0, tier_name(*t), f)?;
                let n = per_tier.get(t).copied().unwrap_or(0);
                ws.write_number_with_format(row, 1, n as f64, f)?;
            }
            if let Some((c, n)) = cats.get(i) {
                ws.write_string(row, 3, *c)?;
                ws.write_number(row, 4, *n as f64)?;
            }
        }
        let head = (total_rows + 2) as u32;
        let cols = [
            &l.device,
            &l.category,
            &l.model,
            &l.network,
            &l.status,
            &l.availability_percent,
            &l.tier,
        ];
        for (c, h) in cols.iter().enumerate() {
            ws.write_string_with_format(head, c as u16, h.as_str(), &header)?;
        }
        for (i, (d, (p, t))) in input.devices.iter().zip(&figures).enumerate() {
            let row = head + 1 + i as u32;
            ws.write_string(row, 0, &d.name)?;
            ws.write_string(row, 1, &d.category)?;
            ws.write_string(row, 2, &d.model)?;
            ws.write_string(row, 3, &d.network)?;
            ws.write_string(row, 4, &d.status)?;
            if let Some(p) = p {
                ws.write_number_with_format(row, 5, *p, &tier_pct[t])?;
            } else {
                ws.write_blank(row, 5, &tier_fmt[t])?;
            }
            ws.write_string_with_format(row, 6, tier_name(*t), &tier_fmt[t])?;
        }
        let last = head + input.devices.len() as u32;
        ws.autofilter(head, 0, last, (cols.len() - 1) as u16)?;
        ws.set_freeze_panes(head + 1, 0)?;
        widths(ws, &[28.0, 14.0, 16.0, 20.0, 12.0, 15.0, 12.0])?;
    }

    // --- Availability ---
    {
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(sheet_name(&l.availability, "Availability"))?;
        ws.write_string_with_format(0, 0, &l.device, &header)?;
        for i in 0..window {
            let day = Day(first_day + i64::from(i));
            ws.write_string_with_format(0, i + 1, day.to_string(), &header)?;
        }
        let mut one = [DailyRollup {
            day: Day(first_day),
            online_s: 0,
            observed_s: 0,
        }];
        for (r, d) in input.devices.iter().enumerate() {
            let row = r as u32 + 1;
            ws.write_string(row, 0, &d.name)?;
            for (i, &obs) in d.observed_s.iter().enumerate().take(usize::from(window)) {
                if obs == 0 {
                    continue;
                }
                let day = first_day + i as i64;
                one[0] = DailyRollup {
                    day: Day(day),
                    online_s: u64::from(d.online_s.get(i).copied().unwrap_or(0)),
                    observed_s: u64::from(obs),
                };
                // That day alone, through the same engine function.
                if let Some(p) = availability(&one, 1, day * DAY) {
                    // No per-cell format: values are already rounded to 2
                    // decimals, General shows them as is, and skipping the
                    // format lookup of 3.65 M cells is a large share of the
                    // benchmark's time.
                    ws.write_number(row, i as u16 + 1, round2(p))?;
                }
            }
        }
        if !input.devices.is_empty() {
            let last_row = input.devices.len() as u32;
            let rules = [
                (
                    SlaTier::Gold,
                    ConditionalFormatCellRule::GreaterThanOrEqualTo(99.9),
                ),
                (
                    SlaTier::Silver,
                    ConditionalFormatCellRule::GreaterThanOrEqualTo(99.0),
                ),
                (
                    SlaTier::Bronze,
                    ConditionalFormatCellRule::GreaterThanOrEqualTo(95.0),
                ),
                (SlaTier::Critical, ConditionalFormatCellRule::LessThan(95.0)),
            ];
            for (t, rule) in rules {
                let cf = ConditionalFormatCell::new()
                    .set_rule(rule)
                    .set_format(&tier_fmt[&t])
                    .set_stop_if_true(true);
                ws.add_conditional_format(1, 1, last_row, window, &cf)?;
            }
        }
        ws.set_freeze_panes(1, 1)?;
        ws.set_column_width(0, 28)?;
    }

    // --- Incidents ---
    {
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(sheet_name(&l.incidents, "Incidents"))?;
        let cols = [
            &l.device,
            &l.kind,
            &l.opened,
            &l.resolved,
            &l.duration,
            &l.ticket,
        ];
        for (c, h) in cols.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h.as_str(), &header)?;
        }
        for (i, inc) in input.incidents.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &inc.device)?;
            ws.write_string(row, 1, &inc.kind)?;
            ws.write_number_with_format(row, 2, excel_time(inc.opened), &when)?;
            if let Some(r) = inc.resolved {
                ws.write_number_with_format(row, 3, excel_time(r), &when)?;
                let minutes = (r.saturating_sub(inc.opened)).max(0) / 60;
                ws.write_number(row, 4, minutes as f64)?;
            }
            if let Some(t) = inc.ticket_id {
                ws.write_number(row, 5, t as f64)?;
            }
        }
        ws.autofilter(0, 0, input.incidents.len() as u32, (cols.len() - 1) as u16)?;
        ws.set_freeze_panes(1, 0)?;
        widths(ws, &[28.0, 18.0, 17.0, 17.0, 14.0, 10.0])?;
    }

    wb.save(path)?;
    Ok(ExportReport {
        devices: input.devices.len(),
        incidents: input.incidents.len(),
        days: window,
        first_day: Day(first_day),
        tiers: per_tier,
    })
}

fn widths(ws: &mut Worksheet, w: &[f64]) -> Result<(), XlsxError> {
    for (c, w) in w.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

pub mod import;

#[cfg(test)]
mod tests;
