//! Property tests: no answer, however broken, panics a parser.

use proptest::prelude::*;
use serde_json::Value;

use super::api::read_envelope;
use super::transport::Reply;
use super::{extras, firmware, gwn_devices, ports, uc_devices};
use crate::snapshot::FirmwareChannel;

/// Arbitrary JSON values a cloud might send, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "1",
            "-1",
            "0",
            "C0:74:AD:12:34:56",
            "1.0.7.4",
            "beta",
            "",
            " 12 ",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 48, 8, |inner| {
        let keys = prop::sample::select(vec![
            "mac",
            "sn",
            "status",
            "apType",
            "deviceType",
            "result",
            "portInfo",
            "ipv4Info",
            "aggregate",
            "key",
            "value",
            "role",
            "linkStatus",
            "portId",
            "lastVersion",
            "isBeta",
            "time",
            "detailMap",
            "id",
            "upTime",
            "lastTime",
            "privateIp",
            "accountStatus",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.prop_map(str::to_string), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsers_never_panic(v in json_value()) {
        let _ = uc_devices::device(&v);
        let _ = gwn_devices::device(&v, "1", Some("n"));
        let _ = gwn_devices::device_info(&v);
        let _ = gwn_devices::stable_versions(&v);
        let _ = ports::router_port(&v, 0);
        let _ = ports::switch_port(&v, 0);
        let _ = extras::alert(&v, "1");
        let _ = extras::client(&v, "1");
        let body = serde_json::to_vec(&v).unwrap_or_default();
        let _ = read_envelope("/x", &Reply { status: 200, html: false, body });
    }

    #[test]
    fn bytes_and_pages_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), s in "\\PC{0,200}") {
        let _ = read_envelope("/x", &Reply { status: 200, html: false, body: bytes });
        let _ = firmware::read_page(&s, "UCM6304", "ucm6300", FirmwareChannel::Official);
        let _ = firmware::download_url(&s, FirmwareChannel::Official);
        let _ = firmware::slug_for(&s);
        let _ = firmware::cdn_base(&s);
        let html = format!("<tr data-models=\"UCM6304\">{s}<a href='x{s}.bin'></tr><li>{s}");
        let _ = firmware::read_page(&html, "UCM6304", "ucm6300", FirmwareChannel::Beta);
    }
}
