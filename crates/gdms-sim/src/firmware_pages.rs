//! Stand-ins for Grandstream's public firmware pages (spec §9), which the
//! plugin scrapes for UC PBX firmware because GDMS has no API for it.
//!
//! Pages live at `/support/firmware/<slug>-official-firmware` (and
//! `-beta-firmware`) like on www.grandstream.com. Each page is deliberately
//! hostile to a naive reader: several `N.N.N.N` strings (a site build number,
//! a default LAN IP, the previous release) come before the real version, and
//! one page lists several model families with different versions. The real
//! version of a family is in the `<tr class="fw-row" data-models="…">` whose
//! `data-models` lists the model, in `<td class="fw-version">`, next to the
//! `.bin` link.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::server::{AppState, Auth, Call, Out};
use crate::state::SimState;

/// One model family row of a page.
struct Family {
    label: &'static str,
    models: &'static [&'static str],
    file_stem: &'static str,
    fallback: &'static str,
}

/// Slug → families on that page, first family first.
fn families(slug: &str) -> Option<&'static [Family]> {
    const UCM6300: &[Family] = &[
        Family {
            label: "UCM6300 Series",
            models: &["UCM6301", "UCM6302", "UCM6304", "UCM6308"],
            file_stem: "ucm6300",
            fallback: "1.0.27.10",
        },
        Family {
            label: "UCM6300A Series",
            models: &["UCM6300A", "UCM6301A", "UCM6302A", "UCM6304A", "UCM6308A"],
            file_stem: "ucm6300a",
            fallback: "1.0.25.7",
        },
    ];
    const UCM6510: &[Family] = &[Family {
        label: "UCM6510",
        models: &["UCM6510"],
        file_stem: "ucm6510",
        fallback: "1.0.20.44",
    }];
    const UCM62XX: &[Family] = &[Family {
        label: "UCM6202/6204/6208",
        models: &["UCM6202", "UCM6204", "UCM6208"],
        file_stem: "ucm6200",
        fallback: "1.0.20.52",
    }];
    const UCM61XX: &[Family] = &[Family {
        label: "UCM6102/6104/6108/6116",
        models: &["UCM6102", "UCM6104", "UCM6108", "UCM6116"],
        file_stem: "ucm6100",
        fallback: "1.0.18.13",
    }];
    const GCC601X: &[Family] = &[Family {
        label: "GCC6010/6011",
        models: &["GCC6010", "GCC6010W", "GCC6011"],
        file_stem: "gcc601x",
        fallback: "1.0.3.8",
    }];
    const GCC602X: &[Family] = &[Family {
        label: "GCC6020/6021",
        models: &["GCC6020", "GCC6021"],
        file_stem: "gcc602x",
        fallback: "1.0.1.5",
    }];
    const GRP260X: &[Family] = &[Family {
        label: "GRP2601/2602/2603/2604",
        models: &["GRP2601", "GRP2601P", "GRP2602", "GRP2603", "GRP2604"],
        file_stem: "grp2600",
        fallback: "1.0.11.3",
    }];
    const GXV34XX: &[Family] = &[Family {
        label: "GXV3450/3470/3480",
        models: &["GXV3450", "GXV3470", "GXV3480"],
        file_stem: "gxv34xx",
        fallback: "1.0.1.56",
    }];
    const WP8X6: &[Family] = &[Family {
        label: "WP816/WP826/WP836",
        models: &["WP816", "WP826", "WP836"],
        file_stem: "wp8x6",
        fallback: "1.0.7.85",
    }];
    const HT8XXV2: &[Family] = &[Family {
        label: "HT8xx V2",
        models: &["HT801V2", "HT802V2", "HT812V2", "HT814V2", "HT818V2"],
        file_stem: "ht8xxv2",
        fallback: "1.0.13.7",
    }];
    Some(match slug {
        "ucm6300" => UCM6300,
        "ucm6510" => UCM6510,
        "ucm62xx" => UCM62XX,
        "ucm61xx" => UCM61XX,
        "gcc601x" => GCC601X,
        "gcc602x" => GCC602X,
        "grp260x" => GRP260X,
        "gxv34xx" => GXV34XX,
        "wp8x6" => WP8X6,
        "ht8xxv2" => HT8XXV2,
        _ => return None,
    })
}

/// Highest version among `versions` by numeric comparison.
fn highest<'a>(versions: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    versions.max_by_key(|v| {
        v.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    })
}

/// The version a family page advertises: the highest catalogue version among
/// its models (so a `firmware` scenario for one model moves the page), or the
/// page's built-in one. A family is in beta only while the catalogue holds a
/// beta for one of its models (`None` otherwise: no row on the beta page).
fn family_version(state: &SimState, fam: &Family, beta: bool) -> Option<String> {
    let fleet = state.fleet();
    let found = highest(
        fam.models
            .iter()
            .filter_map(|m| fleet.firmware.get(*m))
            .filter_map(|r| {
                if beta {
                    r.beta.as_deref()
                } else {
                    Some(r.latest.as_str())
                }
            }),
    );
    match (found, beta) {
        (Some(v), _) => Some(v.to_string()),
        (None, false) => Some(fam.fallback.to_string()),
        (None, true) => None,
    }
}

fn previous(version: &str) -> String {
    let mut parts: Vec<u64> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.saturating_sub(2).max(1);
    }
    if let Some(third) = parts.get_mut(2) {
        *third = third.saturating_sub(1);
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Renders a firmware page; `None` for an unknown slug, and for a beta page
/// none of whose families is in beta (the site has no such page: 404).
pub fn page_html(state: &SimState, slug: &str, beta: bool) -> Option<String> {
    let fams = families(slug)?;
    let kind = if beta { "Beta" } else { "Official" };
    let mut rows = String::new();
    let mut history = String::new();
    for f in fams {
        let Some(v) = family_version(state, f, beta) else {
            continue;
        };
        let prev = previous(&v);
        rows.push_str(&format!(
            "<tr class=\"fw-row\" data-models=\"{models}\"><td class=\"fw-model\">{label}</td><td class=\"fw-version\">{v}</td><td class=\"fw-date\">2026-10-14</td><td><a href=\"/files/{stem}fw{v}.bin\">Download</a> | <a href=\"/files/{stem}_release_notes_{v}.pdf\">Release notes</a></td></tr>\n",
            models = f.models.join(","),
            label = f.label,
            stem = f.file_stem,
        ));
        history.push_str(&format!(
            "<li>{} {prev}: <a href=\"/files/{}fw{prev}.bin\">archive</a></li>\n",
            f.label, f.file_stem
        ));
    }
    if rows.is_empty() {
        return None;
    }
    Some(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"generator\" content=\"SiteBuilder 4.12.0.3\">\
<title>{slug_up} {kind} Firmware | Grandstream Networks</title>\
<script src=\"/assets/js/app.min.js?v=2.6.1.9\"></script></head>\n<body>\n\
<nav>Support &gt; Firmware &gt; {slug_up}</nav>\n\
<p class=\"notice\">Factory default LAN IP is 192.168.2.1. Upgrading from versions below 1.0.9.1 requires an intermediate step.</p>\n\
<h2>Previous releases</h2><ul class=\"fw-history\">\n{history}</ul>\n\
<h1>{slug_up} {kind} Firmware</h1>\n\
<table class=\"fw-table\"><thead><tr><th>Model</th><th>Version</th><th>Date</th><th>Files</th></tr></thead><tbody>\n{rows}</tbody></table>\n\
<footer>&copy; 2026 Grandstream Networks, Inc.</footer>\n</body></html>\n",
        slug_up = slug.to_uppercase(),
    ))
}

fn page_impl(state: &SimState, call: &Call) -> Out {
    let page = call.query_param("__page").unwrap_or("");
    let (slug, beta) = if let Some(s) = page.strip_suffix("-official-firmware") {
        (s, false)
    } else if let Some(s) = page.strip_suffix("-beta-firmware") {
        (s, true)
    } else {
        return Out::Html(
            StatusCode::NOT_FOUND,
            "<html><body><h1>Page not found</h1></body></html>".into(),
        );
    };
    match page_html(state, slug, beta) {
        Some(html) => Out::Html(StatusCode::OK, html),
        None => Out::Html(
            StatusCode::NOT_FOUND,
            "<html><body><h1>Page not found</h1></body></html>".into(),
        ),
    }
}

async fn page(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(page): Path<String>,
) -> Response {
    // The page name travels to the pipeline as a synthetic query parameter.
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("__page", &page)
        .finish();
    crate::server::pipeline(
        state,
        "firmware:page",
        Auth::None,
        Some(query),
        axum::body::Bytes::new(),
        page_impl,
    )
    .await
}

async fn file(Path(name): Path<String>) -> Response {
    if name.ends_with(".bin") || name.ends_with(".pdf") {
        (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            format!("simulated file {name}\n"),
        )
            .into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

/// Firmware page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/support/firmware/{page}", get(page))
        .route("/files/{name}", get(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(
            highest(["1.0.9.1", "1.0.27.10", "1.0.3.99"].into_iter()),
            Some("1.0.27.10")
        );
        assert_eq!(previous("1.0.27.10"), "1.0.26.8");
    }
}
