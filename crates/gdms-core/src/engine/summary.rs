//! The dry-run rendering of a plan: what would happen, in plain English, for
//! `make demo`, the log's verbose tier and the configuration page's "preview".
//! (Not translated: it is an operator's view of data, like a log.)

use std::fmt::Write;

use super::plan::Plan;

/// Renders a plan as a readable multi-line summary.
///
/// # Examples
/// ```
/// use gdms_core::engine::{plan, summary, PlanInput};
/// let input: PlanInput = serde_json::from_str(r#"{"now":0,"config":{},"snapshot":{"sources":[],
///   "devices":[],"networks":[],"tokens":[],"stats":{"requests":0,"tokens_issued":0,"retries":0,"duration_ms":0}}}"#).unwrap();
/// assert!(summary(&plan(input)).starts_with("Plan for entity 0"));
/// ```
pub fn summary(p: &Plan) -> String {
    let mut s = String::new();
    let st = &p.stats;
    let _ = writeln!(
        s,
        "Plan for entity {} at {} UTC: {} fresh, {} stale, {} purged, {} skipped device(s)",
        p.entities_id,
        super::text::utc_datetime(p.now),
        st.fresh,
        st.stale,
        st.purged,
        st.skipped
    );
    let _ = writeln!(s, "Sources:");
    for (k, o) in &p.sources {
        let _ = writeln!(
            s,
            "  {k}: {} — listed {}, stale {}, purged {}{}",
            if o.complete { "complete" } else { "INCOMPLETE" },
            o.listed,
            o.stale,
            o.purged,
            if o.kept_empty_list > 0 {
                format!(", {} kept (complete but empty list)", o.kept_empty_list)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        s,
        "Assets: {} to create, {} to fill",
        p.assets.create.len(),
        p.assets.fill.len()
    );
    for c in &p.assets.create {
        let _ = writeln!(
            s,
            "  CREATE {} '{}' for {} (model '{}'{}) in entity {}",
            c.itemtype.as_str(),
            c.name,
            c.device_key,
            c.model,
            c.model_id
                .map(|m| format!(" → model #{m}"))
                .unwrap_or_default(),
            c.entities_id
        );
    }
    for f in &p.assets.fill {
        let mut what = Vec::new();
        if let Some(v) = &f.serial {
            what.push(format!("serial='{v}'"));
        }
        if let Some(v) = &f.uuid {
            what.push(format!("uuid='{v}'"));
        }
        if let Some(v) = f.model_id {
            what.push(format!("model #{v}"));
        }
        let _ = writeln!(
            s,
            "  FILL {} #{} from {}: {}",
            f.itemtype.as_str(),
            f.id,
            f.device_key,
            what.join(", ")
        );
    }
    let _ = writeln!(s, "Matches:");
    for m in &p.matches {
        let _ = write!(s, "  {} → {} by {}", m.device_key, m.asset, m.reason);
        if let Some(r) = &m.name_rejected {
            let _ = write!(s, " (name match {r} rejected: serial/MAC differ)");
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "Incidents: {} to resolve, {} to open",
        p.incidents.resolve.len(),
        p.incidents.open.len()
    );
    for r in &p.incidents.resolve {
        let _ = writeln!(
            s,
            "  RESOLVE #{} (ticket #{}) {:?} on {}{} — {:?}, outage {}{}",
            r.incident_id,
            r.tickets_id,
            r.kind,
            r.device_key,
            if r.port_key.is_empty() {
                String::new()
            } else {
                format!(" port {}", r.port_key)
            },
            r.reason,
            super::text::duration_dhm(r.duration_s),
            if r.solution.is_some() {
                ""
            } else {
                " (ticket left as is)"
            }
        );
    }
    for o in &p.incidents.open {
        let _ = writeln!(
            s,
            "  OPEN {} — entity {}, urgency {}, {:?}, linked to {}",
            o.ticket.title.english(),
            o.ticket.entities_id,
            o.ticket.urgency,
            o.ticket.status,
            o.asset
        );
    }
    for r in &p.rekeys {
        let _ = writeln!(
            s,
            "  REKEY {} → {} (the device now reports a MAC)",
            r.from, r.to
        );
    }
    for pg in &p.purge {
        let _ = writeln!(
            s,
            "  PURGE {} ({}): {:?} — plugin state removed, GLPI asset kept",
            pg.device_key, pg.name, pg.reason
        );
    }
    for d in p.devices.iter().filter(|d| d.is_stale) {
        let _ = writeln!(
            s,
            "  STALE {} ({}): source incomplete, kept unchanged",
            d.device_key,
            d.display_name()
        );
    }
    for k in &p.skipped {
        let _ = writeln!(s, "  SKIP '{}' ({}): {:?}", k.name, k.model, k.reason);
    }
    let _ = writeln!(s, "Events: {}", p.events.len());
    for e in &p.events {
        let _ = writeln!(s, "  {} {}", e.kind.topic(), e.device_key);
    }
    let _ = writeln!(
        s,
        "History: {} sample(s), {} roll-up addition(s), purge before {}; topology: {}",
        p.samples.len(),
        p.rollups.len(),
        p.retention.purge_before_day,
        p.topology
            .as_ref()
            .map_or_else(|| "off".to_string(), |e| format!("{} edge(s)", e.len()))
    );
    s
}
