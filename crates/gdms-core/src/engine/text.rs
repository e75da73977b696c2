//! Structured, translatable text.
//!
//! The PHP shell translates with gettext, so the plan never carries English
//! prose meant for people: it carries a [`Message`] = a stable message id, the
//! English gettext msgid (a template with `{param}` placeholders) and the
//! parameter values. PHP renders one with
//! `strtr(__($m['msgid'], 'gdmsintegration'), ['{name}' => $value, ...])`,
//! escaping each value for the output (HTML in ticket content).
//!
//! Values that are data, not language (MACs, IPs, dates, durations), are
//! formatted here once, so every language shows `2026-01-01 09:14:05` and
//! `1d 2h 3m` alike. [`MsgId::ALL`] lists every message so the PHP side can
//! keep them in its translation catalog (`xgettext` needs them in source).

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// Every message the plan can carry. The id is the stable contract; the
/// English template ([`MsgId::msgid`]) may be reworded (translations follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgId {
    /// Title of a device-offline ticket.
    TitleDeviceOffline,
    /// Title of a WAN link-down ticket.
    TitleWanLinkDown,
    /// Title of a WAN link-down ticket, with the ISP name.
    TitleWanLinkDownIsp,
    /// Title of a WAN no-internet ticket.
    TitleWanNoInternet,
    /// Title of a WAN no-internet ticket, with the ISP name.
    TitleWanNoInternetIsp,
    /// First body line of a device-offline ticket.
    BodyDeviceOffline,
    /// First body line of a WAN ticket.
    BodyWanPort,
    /// First body line of a WAN ticket, with the ISP name.
    BodyWanPortIsp,
    /// Second body line: the physical link went down.
    BodyWanLinkDown,
    /// Second body line: link up, no internet.
    BodyWanNoInternet,
    /// Table header, first column.
    TableField,
    /// Table header, second column.
    TableValue,
    /// Row label.
    FieldMac,
    /// Row label.
    FieldSerial,
    /// Row label.
    FieldPublicIp,
    /// Row label.
    FieldPrivateIp,
    /// Row label.
    FieldNetwork,
    /// Row label.
    FieldFirmware,
    /// Row label.
    FieldLastUptime,
    /// Row label.
    FieldDetected,
    /// Row label.
    FieldFailover,
    /// Value: not available.
    ValueNa,
    /// Value: traffic fails over to a named WAN connection.
    ValueFailoverIsp,
    /// Value: traffic fails over to a port (no WAN name).
    ValueFailoverPort,
    /// Footer of device tickets.
    FooterDevice,
    /// Footer of WAN tickets.
    FooterWan,
    /// Followup: device back online (resolves).
    FollowupDeviceOnline,
    /// Followup: WAN port recovered, internet confirmed (resolves).
    FollowupWanRecovered,
    /// Followup: link back, internet unknown (resolves the link-down incident).
    FollowupWanLinkRestored,
    /// Followup: link back without internet; a no-internet incident follows.
    FollowupWanLinkBackNoInternet,
    /// Followup: no-internet became link-down; a link-down incident follows.
    FollowupWanLinkLost,
    /// Followup: the port is no longer reported by the router.
    FollowupWanPortGone,
    /// Followup: the device was removed from the cloud (not solved).
    FollowupDeviceRemoved,
    /// Solution text of every auto-resolved incident.
    SolutionAutoResolved,
}

impl MsgId {
    /// Every message id, for catalogs and tests.
    pub const ALL: [MsgId; 34] = [
        MsgId::TitleDeviceOffline,
        MsgId::TitleWanLinkDown,
        MsgId::TitleWanLinkDownIsp,
        MsgId::TitleWanNoInternet,
        MsgId::TitleWanNoInternetIsp,
        MsgId::BodyDeviceOffline,
        MsgId::BodyWanPort,
        MsgId::BodyWanPortIsp,
        MsgId::BodyWanLinkDown,
        MsgId::BodyWanNoInternet,
        MsgId::TableField,
        MsgId::TableValue,
        MsgId::FieldMac,
        MsgId::FieldSerial,
        MsgId::FieldPublicIp,
        MsgId::FieldPrivateIp,
        MsgId::FieldNetwork,
        MsgId::FieldFirmware,
        MsgId::FieldLastUptime,
        MsgId::FieldDetected,
        MsgId::FieldFailover,
        MsgId::ValueNa,
        MsgId::ValueFailoverIsp,
        MsgId::ValueFailoverPort,
        MsgId::FooterDevice,
        MsgId::FooterWan,
        MsgId::FollowupDeviceOnline,
        MsgId::FollowupWanRecovered,
        MsgId::FollowupWanLinkRestored,
        MsgId::FollowupWanLinkBackNoInternet,
        MsgId::FollowupWanLinkLost,
        MsgId::FollowupWanPortGone,
        MsgId::FollowupDeviceRemoved,
        MsgId::SolutionAutoResolved,
    ];

    /// The English gettext msgid, with `{param}` placeholders.
    pub fn msgid(self) -> &'static str {
        match self {
            MsgId::TitleDeviceOffline => "Device Offline: {name}",
            MsgId::TitleWanLinkDown => "{device} — WAN {port}: Link Down",
            MsgId::TitleWanLinkDownIsp => "{device} — WAN {port} ({isp}): Link Down",
            MsgId::TitleWanNoInternet => "{device} — WAN {port}: No Internet",
            MsgId::TitleWanNoInternetIsp => "{device} — WAN {port} ({isp}): No Internet",
            MsgId::BodyDeviceOffline => "{name} went offline and is no longer reachable.",
            MsgId::BodyWanPort => "{device} — WAN port {port}",
            MsgId::BodyWanPortIsp => "{device} — WAN port {port} ({isp})",
            MsgId::BodyWanLinkDown => "WAN port physical link went down.",
            MsgId::BodyWanNoInternet => {
                "WAN link is up but internet connectivity was lost (ISP / PPPoE failure)."
            }
            MsgId::TableField => "Field",
            MsgId::TableValue => "Value",
            MsgId::FieldMac => "MAC",
            MsgId::FieldSerial => "Serial",
            MsgId::FieldPublicIp => "Public IP",
            MsgId::FieldPrivateIp => "Private IP",
            MsgId::FieldNetwork => "Network",
            MsgId::FieldFirmware => "Firmware",
            MsgId::FieldLastUptime => "Last uptime",
            MsgId::FieldDetected => "Detected",
            MsgId::FieldFailover => "Failover",
            MsgId::ValueNa => "N/A",
            MsgId::ValueFailoverIsp => "Active → {isp}",
            MsgId::ValueFailoverPort => "Active → Port {port}",
            MsgId::FooterDevice => {
                "This ticket was automatically generated by the GDMS Integration plugin."
            }
            MsgId::FooterWan => "Automatically generated by GDMS Integration.",
            MsgId::FollowupDeviceOnline => {
                "✅ Device {name} is back online as of {time} (outage: {duration}). Ticket auto-resolved by GDMS Integration."
            }
            MsgId::FollowupWanRecovered => {
                "✅ WAN port {port} on {device} has recovered — link up and internet connectivity confirmed as of {time} (outage: {duration}). Ticket auto-resolved by GDMS Integration."
            }
            MsgId::FollowupWanLinkRestored => {
                "✅ WAN port {port} on {device}: physical link restored as of {time} (outage: {duration}); internet connectivity is not reported by the router. Ticket auto-resolved by GDMS Integration."
            }
            MsgId::FollowupWanLinkBackNoInternet => {
                "WAN port {port} on {device}: physical link restored as of {time} (after {duration}) but there is still no internet connectivity. The outage continues in a new No Internet ticket."
            }
            MsgId::FollowupWanLinkLost => {
                "WAN port {port} on {device}: physical link went down as of {time} (no internet for {duration} before). The outage continues in a new Link Down ticket."
            }
            MsgId::FollowupWanPortGone => {
                "WAN port {port} on {device} is no longer reported by the router as of {time} (after {duration}). Monitoring of this port stopped; ticket auto-resolved by GDMS Integration."
            }
            MsgId::FollowupDeviceRemoved => {
                "Device {name} was removed from the cloud as of {time}. Monitoring stopped; this ticket is left open for review."
            }
            MsgId::SolutionAutoResolved => "Auto-resolved by GDMS Integration.",
        }
    }
}

/// One translatable message: id, English template and parameter values.
///
/// JSON: `{"id":"title_device_offline","msgid":"Device Offline: {name}","params":{"name":"Lobby AP"}}`.
/// `msgid` is written for PHP's convenience and ignored when read back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Message {
    /// Which message.
    pub id: MsgId,
    /// Placeholder name (without braces) → value, already formatted.
    #[serde(default, deserialize_with = "crate::php_compat::map_or_empty_list")]
    pub params: BTreeMap<String, String>,
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Message", 3)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("msgid", self.id.msgid())?;
        st.serialize_field("params", &self.params)?;
        st.end()
    }
}

impl Message {
    /// A message without parameters.
    pub fn new(id: MsgId) -> Self {
        Message {
            id,
            params: BTreeMap::new(),
        }
    }

    /// Adds one parameter.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// English rendering (untranslated), for the dry-run summary and tests.
    pub fn english(&self) -> String {
        let mut out = self.id.msgid().to_string();
        for (k, v) in &self.params {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// A table cell: literal data, or a translatable message (e.g. "N/A").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// Data shown as is (escaped): `{"text":"C0:74:AD:12:34:56"}`.
    Text(String),
    /// Translated text: `{"msg":{...Message...}}`.
    Msg(Message),
}

impl Cell {
    /// `Text(value)` when non-empty, else the translated "N/A".
    pub fn or_na(value: Option<&str>) -> Cell {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Cell::Text(v.to_string()),
            None => Cell::Msg(Message::new(MsgId::ValueNa)),
        }
    }

    /// English rendering.
    pub fn english(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Msg(m) => m.english(),
        }
    }
}

/// One Field / Value row of a ticket body table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The label (a `field_*` message).
    pub label: Message,
    /// The value.
    pub value: Cell,
}

/// A ticket title: `prefix`, translated `text`, `suffix`, joined by one space
/// (empty parts skipped). The prefix and suffix are markers, never translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    /// Always `[GDMS]`.
    pub prefix: String,
    /// The translatable part.
    pub text: Message,
    /// `[GDMS-WAN:<port>]`, `[GDMS-WAN-NOINET:<port>]` or empty.
    pub suffix: String,
}

impl Title {
    /// English rendering.
    pub fn english(&self) -> String {
        [
            self.prefix.clone(),
            self.text.english(),
            self.suffix.clone(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// A ticket body: paragraphs, a Field / Value table, an italic footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Paragraphs in order; PHP renders parameter values in bold.
    pub lines: Vec<Message>,
    /// Table header labels (`table_field`, `table_value`).
    pub header: [Message; 2],
    /// Table rows in order.
    pub rows: Vec<Row>,
    /// Italic footer.
    pub footer: Message,
}

impl Body {
    /// A body with the standard header.
    pub fn new(lines: Vec<Message>, rows: Vec<Row>, footer: MsgId) -> Self {
        Body {
            lines,
            header: [
                Message::new(MsgId::TableField),
                Message::new(MsgId::TableValue),
            ],
            rows,
            footer: Message::new(footer),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC; out-of-range times give the epoch.
pub fn utc_datetime(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// `YYYY-MM-DD` (UTC day) of an epoch second.
pub fn utc_day(epoch: i64) -> String {
    day_string(epoch.div_euclid(86_400))
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn day_string(day: i64) -> String {
    utc_datetime(day.saturating_mul(86_400))[..10].to_string()
}

/// `<d>d <h>h <m>m`, the reference's uptime/outage format. Negative → `0d 0h 0m`.
pub fn duration_dhm(seconds: i64) -> String {
    let s = seconds.max(0);
    format!(
        "{}d {}h {}m",
        s / 86_400,
        (s % 86_400) / 3_600,
        (s % 3_600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_documented_once() {
        for id in MsgId::ALL {
            let t = id.msgid();
            assert!(!t.is_empty());
            assert_eq!(t.matches('{').count(), t.matches('}').count(), "{id:?}");
        }
        let mut ids: Vec<_> = MsgId::ALL.to_vec();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), MsgId::ALL.len());
    }

    #[test]
    fn message_json_carries_msgid_and_reads_back() {
        let m = Message::new(MsgId::TitleDeviceOffline).with("name", "Lobby AP");
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(
            j,
            r#"{"id":"title_device_offline","msgid":"Device Offline: {name}","params":{"name":"Lobby AP"}}"#
        );
        let back: Message = serde_json::from_str(&j).unwrap();
        assert_eq!(back, m);
        assert_eq!(m.english(), "Device Offline: Lobby AP");
    }

    #[test]
    fn cells_and_formats() {
        assert_eq!(
            serde_json::to_string(&Cell::or_na(Some("1.2.3.4"))).unwrap(),
            r#"{"text":"1.2.3.4"}"#
        );
        assert_eq!(Cell::or_na(Some("  ")).english(), "N/A");
        assert_eq!(duration_dhm(90_061), "1d 1h 1m");
        assert_eq!(duration_dhm(-5), "0d 0h 0m");
        assert_eq!(utc_datetime(1_767_225_600), "2026-01-01 00:00:00");
        assert_eq!(utc_day(1_767_225_599), "2025-12-31");
    }
}
