//! The clouds' JSON rows for fleet items (spec §5, §6), computed at request
//! time so counters grow and "last seen" stays recent while the sim runs.

use serde_json::{json, Map, Value};

use super::*;

/// Wall-clock facts a rendering needs.
#[derive(Debug, Clone, Copy)]
pub struct RenderCtx {
    /// Server time, epoch ms.
    pub now_ms: i64,
    /// Seconds since the simulator started.
    pub elapsed_s: u64,
}

fn grow(base: u64, rate: u64, secs: u64, up: bool) -> u64 {
    if up {
        base.saturating_add(rate.saturating_mul(secs))
    } else {
        base
    }
}

/// One `ap/list` row (spec §6.2). Serial only for the few devices that show it.
pub fn ap_list_row(d: &GwnDevice, latest: Option<&str>, ctx: RenderCtx) -> Value {
    let mac = d.mac.to_colon_upper();
    let mut row = Map::new();
    row.insert("id".into(), json!(mac));
    row.insert("mac".into(), json!(mac));
    row.insert("name".into(), json!(d.name));
    row.insert("apType".into(), json!(d.model));
    row.insert("status".into(), json!(i32::from(d.online)));
    row.insert("networkId".into(), json!(d.network_id));
    row.insert("ip".into(), json!(d.ip));
    row.insert("ipv4".into(), json!(d.ipv4));
    if let Some(v6) = &d.ipv6 {
        row.insert("ipv6".into(), json!(v6));
    }
    row.insert("versionFirmware".into(), json!(d.firmware));
    row.insert("lastFwVersion".into(), json!(latest.unwrap_or(&d.firmware)));
    if d.online {
        row.insert("upTime".into(), json!(d.uptime_s + ctx.elapsed_s));
    }
    row.insert("firstSeen".into(), json!(d.first_seen_ms));
    row.insert(
        "lastSeen".into(),
        json!(if d.online {
            ctx.now_ms - 5_000
        } else {
            ctx.now_ms - 600_000
        }),
    );
    if d.kind == GwnKind::Ap {
        let clients = if d.online { d.clients.len() } else { 0 };
        if clients > 0 {
            row.insert("clients".into(), json!(clients));
        }
        let rate = 2_000 * d.clients.len() as u64;
        let up = grow(d.base_upload, rate, ctx.elapsed_s, d.online);
        let down = grow(d.base_download, rate * 6, ctx.elapsed_s, d.online);
        row.insert("upload".into(), json!(up));
        row.insert("download".into(), json!(down));
        row.insert("usage".into(), json!(up + down));
        row.insert("channel".into(), json!(d.channel));
        row.insert("channel5g".into(), json!(d.channel5g));
    }
    if d.sn_in_list {
        row.insert("sn".into(), json!(d.sn));
    }
    Value::Object(row)
}

/// Whether a router port has a link as the cloud reports it (an offline
/// router reports every port down).
fn port_link(d: &GwnDevice, p: &RouterPort) -> bool {
    d.online && p.link
}

/// One router `portInfo[]` item (spec §6.3).
pub fn router_port(d: &GwnDevice, p: &RouterPort, ctx: RenderCtx) -> Value {
    let link = port_link(d, p);
    let tx = grow(p.base_tx, p.rate, ctx.elapsed_s, link);
    let rx = grow(p.base_rx, p.rate * 5, ctx.elapsed_s, link);
    let mut o = Map::new();
    o.insert("portId".into(), json!(p.port_id));
    o.insert("portName".into(), json!(p.name));
    o.insert("silkScreenPort".into(), json!(p.silk));
    o.insert("silkNum".into(), json!(p.port_id));
    o.insert("role".into(), json!(i32::from(p.wan)));
    o.insert("linkStatus".into(), json!(i32::from(link)));
    o.insert("portSpeed".into(), json!(if link { p.speed } else { 0 }));
    o.insert("type".into(), json!(i32::from(p.sfp)));
    o.insert("isCombo".into(), json!(i32::from(p.combo)));
    o.insert(
        "aggregate".into(),
        json!({
            "txBytes": tx, "rxBytes": rx, "txPackets": tx / 1200, "rxPackets": rx / 1200,
        }),
    );
    if p.wan {
        let online = link && p.internet;
        o.insert("wanName".into(), json!(p.wan_name));
        o.insert("wanId".into(), json!(p.wan_id));
        if link {
            o.insert(
                "connectDuration".into(),
                json!(p.connected_for_s + ctx.elapsed_s),
            );
        }
        o.insert("wamMac".into(), json!(p.mac));
        let mut v4 = Map::new();
        v4.insert(
            "ip4Address".into(),
            json!(if link { p.ip.as_str() } else { "" }),
        );
        v4.insert("connectStatus".into(), json!(i32::from(online)));
        v4.insert("wanType".into(), json!(p.wan_type));
        if link {
            v4.insert("gateway".into(), json!(p.gateway));
            v4.insert("gatewayStatus".into(), json!(i32::from(online)));
            v4.insert("firstDns".into(), json!("1.1.1.1"));
            v4.insert("secondDns".into(), json!("8.8.8.8"));
        }
        o.insert("ipv4Info".into(), Value::Object(v4));
    } else if !p.custom_name.is_empty() {
        o.insert("portCustomName".into(), json!(p.custom_name));
    }
    Value::Object(o)
}

/// `device/info` `data` (spec §6.3): property rows, router ports, WAN summary.
pub fn device_info(d: &GwnDevice, ctx: RenderCtx) -> Value {
    let mut rows = vec![
        json!({"type": "string", "key": "sn", "value": d.sn}),
        json!({"type": "string", "key": "firmwareVersion", "value": d.firmware}),
        json!({"type": "string", "key": "ipv4", "value": d.ipv4}),
        json!({"type": "string", "key": "model", "value": d.model}),
    ];
    if d.online {
        rows.insert(2, json!({"type": "string", "key": "upTime", "value": (d.uptime_s + ctx.elapsed_s).to_string()}));
    }
    let ports: Vec<Value> = d
        .router_ports
        .iter()
        .map(|p| router_port(d, p, ctx))
        .collect();
    let summary: Vec<Value> = d
        .router_ports
        .iter()
        .filter(|p| p.wan)
        .map(|p| {
            let link = port_link(d, p);
            json!({
                "wanId": p.wan_id,
                "ip4Address": if link { p.ip.as_str() } else { "" },
                "connectStatus": i32::from(link && p.internet),
            })
        })
        .collect();
    json!({ "result": rows, "portInfo": ports, "ipv4Info": summary })
}

/// `switch/portInfo` `data.result[]` (spec §6.4).
pub fn switch_ports(d: &GwnDevice, ctx: RenderCtx) -> Value {
    let rows: Vec<Value> = d
        .switch_ports
        .iter()
        .map(|p| {
            let link = d.online && p.link;
            json!({
                "portId": p.port_id,
                "portName": p.name,
                "silkScreenPort": p.silk,
                "linkStatus": i32::from(link),
                "portSpeed": if link { p.speed } else { 0 },
                "type": i32::from(p.sfp),
                "portCustomName": p.custom_name,
                "portDesc": "",
                "vlan": p.vlan,
                "aggregate": {
                    "txBytes": grow(p.base_tx, p.rate, ctx.elapsed_s, link),
                    "rxBytes": grow(p.base_rx, p.rate * 2, ctx.elapsed_s, link),
                },
            })
        })
        .collect();
    json!({ "result": rows })
}

/// One `client/list` row (spec §6.5).
pub fn client_row(ap: &GwnDevice, c: &WifiClient, ctx: RenderCtx) -> Value {
    json!({
        "mac": c.mac.to_colon_upper(),
        "hostname": c.hostname,
        "ip": c.ip,
        "rssi": c.rssi,
        "band": c.band,
        "ssid": c.ssid,
        "apMac": ap.mac.to_colon_upper(),
        "txRate": c.tx_rate,
        "rxRate": c.rx_rate,
        "connectTime": c.connect_time_s + ctx.elapsed_s,
    })
}

/// One `alert/list` row (spec §6.6).
pub fn alert_row(a: &Alert) -> Value {
    json!({
        "id": a.id,
        "time": a.time_ms,
        "level": a.level,
        "basicDataKey": a.key,
        "content": a.content,
        "detailMap": a.detail,
    })
}

/// `upgrade/version` rows for one device (spec §6.7): the official row, plus
/// a pre-release row when the model has a beta newer than the official release.
pub fn upgrade_rows(d: &GwnDevice, release: Option<&FirmwareRelease>) -> Vec<Value> {
    let mac = d.mac.to_colon_upper();
    let latest = release
        .map(|r| r.latest.as_str())
        .unwrap_or(d.firmware.as_str());
    let mut rows = vec![json!({
        "mac": mac, "type": d.model, "currentVersion": d.firmware, "lastVersion": latest,
    })];
    if let Some(beta) = release.and_then(|r| r.beta.as_deref()) {
        rows.push(json!({
            "mac": mac, "type": d.model, "currentVersion": d.firmware, "lastVersion": beta,
            "isBeta": 1, "releaseType": "beta",
        }));
    }
    rows
}

fn local_time(epoch_ms: i64) -> String {
    chrono_like(epoch_ms / 1000)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) without a date crate: days-from-civil inverse.
fn chrono_like(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        tod / 3600,
        (tod % 3600) / 60,
        tod % 60
    )
}

/// One GDMS `device/list` row (spec §5.1).
pub fn uc_device_row(d: &UcDevice, ctx: RenderCtx) -> Value {
    let mut o = Map::new();
    o.insert("mac".into(), json!(d.mac.to_colon_upper()));
    o.insert("sn".into(), json!(d.sn));
    o.insert("deviceName".into(), json!(d.name));
    o.insert("deviceType".into(), json!(d.model));
    o.insert("status".into(), json!(d.status));
    o.insert("publicIp".into(), json!(d.public_ip));
    o.insert("privateIp".into(), json!(d.private_ip));
    o.insert("firmwareVersion".into(), json!(d.firmware));
    o.insert("siteName".into(), json!(d.site_name));
    if let Some(a) = d.account_status {
        o.insert(
            "accountStatus".into(),
            json!(if d.status == 1 { a } else { 0 }),
        );
    }
    let seen_ago = if d.status == 1 {
        d.last_seen_ago_s
    } else {
        d.last_seen_ago_s + ctx.elapsed_s
    };
    o.insert(
        "lastTime".into(),
        json!(local_time(ctx.now_ms - seen_ago as i64 * 1000)),
    );
    o.insert("dnd".into(), json!(d.dnd));
    o.insert("isSynchronized".into(), json!(d.is_synchronized));
    o.insert("syncFailureMsg".into(), json!(d.sync_failure_msg));
    o.insert("scheduledTask".into(), json!(d.scheduled_task));
    if let (Some(up), 1) = (d.uptime_s, d.status) {
        o.insert("upTime".into(), json!(up + ctx.elapsed_s));
    }
    Value::Object(o)
}

/// GDMS `device/detail` `data` (spec §5.4).
pub fn uc_device_detail(d: &UcDevice) -> Value {
    let lines: Vec<Value> = d
        .lines
        .iter()
        .map(|l| {
            json!({
                "line": l.line, "account": l.account, "sipServer": l.sip_server,
                "registerStatus": if d.status == 1 { l.register_status } else { 0 },
            })
        })
        .collect();
    json!({
        "mac": d.mac.to_colon_upper(),
        "deviceType": d.model,
        "status": d.status,
        "sn": d.sn,
        "firmwareVersion": d.firmware,
        "lineInfo": lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_formats() {
        assert_eq!(chrono_like(1_767_225_600), "2026-01-01 00:00:00");
        assert_eq!(chrono_like(1_767_260_045), "2026-01-01 09:34:05");
        assert_eq!(chrono_like(951_782_400), "2000-02-29 00:00:00");
    }
}
