//! Device family and GLPI itemtype: the ONE rule set.
//!
//! Tickets (urgency, per-category toggles, WAN monitoring), the dashboard
//! counters and the Excel export all call [`classify`], so a device can never
//! be a router for one and an access point for another (the reference used
//! `^GWN700[123]` for tickets and `^GWN700[0-9]` on the dashboard, spec §2).
//!
//! Rules, on the model string upper-cased and trimmed, first match wins:
//!
//! | Order | Rule | Category |
//! |---|---|---|
//! | 1 | prefix GRP GXP GXV GXW WP HT DP GHP GVC GSC GDS GAC | phone |
//! | 2 | prefix UCM GCC CLOUDUCM SOFTWAREUCM | pbx |
//! | 3 | the device reports WAN ports, or prefix `GWN700` + digit | router |
//! | 4 | prefix GWN78 or GSS | switch |
//! | 5 | any other GWN | ap |
//! | 6 | anything else | unknown |
//!
//! Rule 3 is by capability: a gateway whose model we have never heard of is
//! still monitored as a router as soon as the cloud reports a WAN port for it.
//! Phones are tested before routers so a phone never becomes a router.

use serde::{Deserialize, Serialize};

/// What kind of device a cloud device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// IP phones, ATAs, video and door phones.
    Phone,
    /// UCM / GCC PBXs.
    Pbx,
    /// Gateways with WAN ports.
    Router,
    /// GWN switches.
    Switch,
    /// GWN access points (and any other GWN device).
    Ap,
    /// Anything the rules do not recognise.
    Unknown,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 6] = [
        Category::Router,
        Category::Switch,
        Category::Ap,
        Category::Phone,
        Category::Pbx,
        Category::Unknown,
    ];

    /// The GLPI itemtype a NEW asset of this category gets. An existing asset
    /// keeps its own itemtype whatever the category says.
    pub fn itemtype(self) -> Itemtype {
        match self {
            Category::Phone => Itemtype::Phone,
            _ => Itemtype::NetworkEquipment,
        }
    }

    /// Ticket urgency, impact and priority of a device-offline incident:
    /// 4 (High) for routers, whose loss cuts a whole site, else 3 (Medium).
    pub fn offline_urgency(self) -> u8 {
        match self {
            Category::Router => 4,
            _ => 3,
        }
    }

    /// Stable lower-case name, as stored in the `category` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Phone => "phone",
            Category::Pbx => "pbx",
            Category::Router => "router",
            Category::Switch => "switch",
            Category::Ap => "ap",
            Category::Unknown => "unknown",
        }
    }
}

/// The GLPI asset classes the plugin links devices to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Itemtype {
    /// GLPI `Phone`.
    Phone,
    /// GLPI `NetworkEquipment`.
    NetworkEquipment,
}

impl Itemtype {
    /// The GLPI class name.
    pub fn as_str(self) -> &'static str {
        match self {
            Itemtype::Phone => "Phone",
            Itemtype::NetworkEquipment => "NetworkEquipment",
        }
    }
}

const PHONE_PREFIXES: [&str; 12] = [
    "GRP", "GXP", "GXV", "GXW", "WP", "HT", "DP", "GHP", "GVC", "GSC", "GDS", "GAC",
];
const PBX_PREFIXES: [&str; 4] = ["UCM", "GCC", "CLOUDUCM", "SOFTWAREUCM"];

/// Classifies a device from its raw model string and whether it reports WAN
/// ports (this cycle or, when ports were not fetched, in its stored ports).
///
/// # Examples
/// ```
/// use gdms_core::engine::classify::{classify, Category};
/// assert_eq!(classify("GWN7003", false), Category::Router);
/// assert_eq!(classify("gwn7000", false), Category::Router);
/// assert_eq!(classify("GWN7062", true), Category::Router);
/// assert_eq!(classify("GWN7062", false), Category::Ap);
/// assert_eq!(classify(" ht812v2 ", true), Category::Phone);
/// assert_eq!(classify("GSS3000", false), Category::Switch);
/// ```
pub fn classify(model: &str, has_wan_ports: bool) -> Category {
    let m = model.trim();
    let starts =
        |p: &str| m.len() >= p.len() && m.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if PHONE_PREFIXES.iter().any(|p| starts(p)) {
        return Category::Phone;
    }
    if PBX_PREFIXES.iter().any(|p| starts(p)) {
        return Category::Pbx;
    }
    if has_wan_ports || (starts("GWN700") && m.as_bytes().get(6).is_some_and(u8::is_ascii_digit)) {
        return Category::Router;
    }
    if starts("GWN78") || starts("GSS") {
        return Category::Switch;
    }
    if starts("GWN") {
        return Category::Ap;
    }
    Category::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_table_rows() {
        let cases = [
            ("GRP2612W", false, Category::Phone),
            ("GXP1628", false, Category::Phone),
            ("HT812V2", false, Category::Phone),
            ("WP820", false, Category::Phone),
            ("GAC2570", false, Category::Phone),
            ("UCM6304", false, Category::Pbx),
            ("GCC6010", false, Category::Pbx),
            ("CLOUDUCM", false, Category::Pbx),
            ("SOFTWAREUCM", false, Category::Pbx),
            ("GWN7001", false, Category::Router),
            ("GWN7002", false, Category::Router),
            ("GWN7003", false, Category::Router),
            ("GWN7000", false, Category::Router),
            ("GWN7813P", false, Category::Switch),
            ("GSS3000", false, Category::Switch),
            ("GWN7660", false, Category::Ap),
            ("GWN7630LR", false, Category::Ap),
            ("", false, Category::Unknown),
            ("Cisco 2960", false, Category::Unknown),
        ];
        for (model, wan, want) in cases {
            assert_eq!(classify(model, wan), want, "{model}");
        }
    }

    #[test]
    fn routers_recognised_by_capability() {
        assert_eq!(classify("GWN7062", true), Category::Router);
        assert_eq!(classify("SOMEGATEWAY", true), Category::Router);
        // A phone reporting ports stays a phone; a PBX stays a PBX.
        assert_eq!(classify("GXP2170", true), Category::Phone);
        assert_eq!(classify("UCM6302", true), Category::Pbx);
    }

    #[test]
    fn itemtype_and_urgency() {
        assert_eq!(Category::Phone.itemtype(), Itemtype::Phone);
        for c in [
            Category::Pbx,
            Category::Router,
            Category::Switch,
            Category::Ap,
            Category::Unknown,
        ] {
            assert_eq!(c.itemtype(), Itemtype::NetworkEquipment);
        }
        assert_eq!(Category::Router.offline_urgency(), 4);
        assert_eq!(Category::Ap.offline_urgency(), 3);
        assert_eq!(
            serde_json::to_string(&Itemtype::NetworkEquipment).unwrap(),
            "\"NetworkEquipment\""
        );
    }
}
