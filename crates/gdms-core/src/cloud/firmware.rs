//! Official firmware of UC devices from Grandstream's public firmware pages
//! (spec §9), since GDMS UC has no API for it.
//!
//! The reference took the first `N.N.N.N` anywhere on the page (weakness 21):
//! a site build number, a default LAN IP or the previous release would do.
//! The heuristic here, in order:
//! 1. **The model's row.** Split the page into table rows / list items
//!    (`<tr>…</tr>`, `<li>…</li>`). A block *names* the model when one of its
//!    words (letters and digits, taken from text and attributes alike, so
//!    `data-models="UCM6301,UCM6304"` counts) equals the model, case-insensitive.
//!    The version is the first `N.N.N.N` of the block's text (tags removed),
//!    and of several such blocks (a "previous releases" list names the model
//!    too) the one with the highest version wins; the download link is the
//!    first `.bin` href of that block.
//! 2. **The slug's newest `.bin`.** Otherwise, among all `.bin` links whose
//!    file name starts with the slug (or the slug minus its `xx` wildcard),
//!    the one whose file name carries the highest version.
//! 3. Otherwise no version: the offer has none rather than a wrong one.
//!
//! Download URLs are made absolute on `https://firmware.grandstream.com/`
//! with a `fw<version>.bin` suffix turned into `fw.bin`, as the reference did,
//! except on beta pages, whose versioned file name is kept (see
//! [`download_url`]).

use serde_json::Value;

use super::gwn_devices::version_key;
use crate::snapshot::{FirmwareChannel, FirmwareOffer};

/// The firmware page slug of a UC model (longest prefix), or `None` for
/// models served from the CDN by name.
pub fn slug_for(model: &str) -> Option<&'static str> {
    let m = model.trim().to_ascii_uppercase();
    const TABLE: [(&str, &str); 15] = [
        ("UCM6300", "ucm6300"),
        ("UCM6301", "ucm6300"),
        ("UCM6302", "ucm6300"),
        ("UCM6304", "ucm6300"),
        ("UCM6308", "ucm6300"),
        ("UCM6510", "ucm6510"),
        ("UCM62", "ucm62xx"),
        ("UCM61", "ucm61xx"),
        ("GCC601", "gcc601x"),
        ("GCC602", "gcc602x"),
        ("GXV34", "gxv34xx"),
        ("WP816", "wp8x6"),
        ("WP826", "wp8x6"),
        ("WP836", "wp8x6"),
        ("HT8", "ht8xxv2"),
    ];
    if m.starts_with("HT8") && !m.ends_with("V2") {
        return None;
    }
    TABLE
        .iter()
        .filter(|(p, _)| m.starts_with(p))
        .max_by_key(|(p, _)| p.len())
        .map(|(_, s)| *s)
}

/// CDN file base for phones and ATAs without a page (spec §9).
pub fn cdn_base(model: &str) -> String {
    let m = model.trim().to_ascii_uppercase();
    let lower = m.to_ascii_lowercase();
    let any = |ps: &[&str]| ps.iter().any(|p| m.starts_with(p));
    if any(&["GRP2601", "GRP2602", "GRP2603", "GRP2604"]) {
        "grp2600".to_string()
    } else if m.starts_with("GRP26") {
        "grp2610".into()
    } else if any(&["HT841", "HT881"]) {
        "ht8x1".into()
    } else if any(&["HT801V2", "HT802V2"]) {
        "ht80xv2".into()
    } else if any(&["HT812V2", "HT814V2", "HT818V2"]) {
        "ht81xv2".into()
    } else if any(&["HT801"]) {
        "ht801".into()
    } else if any(&["HT802"]) {
        "ht802".into()
    } else if any(&["HT812", "HT814"]) {
        "ht81x".into()
    } else if any(&["HT818"]) {
        "ht818".into()
    } else if any(&["HT813"]) {
        "ht813".into()
    } else if any(&["GSC3574", "GSC3575"]) {
        "gsc3575".into()
    } else if any(&["GSC3518"]) {
        "gsc3518".into()
    } else if any(&["GSC3506", "GSC3516"]) {
        "gsc35x6".into()
    } else if any(&["GDS3710", "GDS3712"]) {
        "gds37xx_".into()
    } else if any(&["GDS3725", "GDS3726", "GDS3727"]) {
        "gds372x".into()
    } else {
        lower
    }
}

/// Upper-case words of letters and digits.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
}

/// Blocks `<tag …>…</tag>` of the page, case-insensitive, not nested.
fn blocks<'a>(html: &'a str, lower: &str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&open) {
        let start = from + i;
        let end = lower[start..]
            .find(&close)
            .map(|j| start + j + close.len())
            .unwrap_or(html.len());
        if let Some(b) = html.get(start..end) {
            out.push(b);
        }
        from = end.max(start + 1);
    }
    out
}

/// The first `N.N.N.N` in `s`.
fn first_quad(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            let mut j = i;
            let mut groups = 0;
            loop {
                let g0 = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j == g0 {
                    break;
                }
                groups += 1;
                if groups == 4 || j >= b.len() || b[j] != b'.' {
                    break;
                }
                j += 1;
            }
            if groups == 4 {
                return s.get(i..j).map(str::to_string);
            }
        }
        i += 1;
    }
    None
}

/// `href` targets ending in `.bin`.
fn bin_links(s: &str) -> Vec<String> {
    let lower = s.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("href=") {
        let at = from + i + 5;
        let rest = &s[at..];
        let (quote, body) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
            _ => (None, rest),
        };
        let end = match quote {
            Some(q) => body.find(q),
            None => body.find(|c: char| c.is_whitespace() || c == '>'),
        }
        .unwrap_or(body.len());
        let target = body[..end].trim();
        if target.to_ascii_lowercase().ends_with(".bin") {
            out.push(target.to_string());
        }
        from = at;
    }
    out
}

fn file_name(href: &str) -> &str {
    href.rsplit('/').next().unwrap_or(href)
}

/// `ucm6300fw1.0.27.10.bin` → `https://firmware.grandstream.com/ucm6300fw.bin`
/// for an official release (the host's alias of the family's current
/// release, as the reference did). A beta keeps its versioned file name: the
/// alias serves the official release, so a device sent there would not get
/// the beta it was asked to install.
pub fn download_url(href: &str, channel: FirmwareChannel) -> String {
    let name = file_name(href);
    if channel == FirmwareChannel::Beta {
        return format!("https://firmware.grandstream.com/{name}");
    }
    let lower = name.to_ascii_lowercase();
    let cut = lower
        .rfind("fw")
        .filter(|i| {
            let tail = lower
                .get(i + 2..lower.len().saturating_sub(4))
                .unwrap_or("");
            !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .map(|i| format!("{}fw.bin", &name[..i]))
        .unwrap_or_else(|| name.to_string());
    format!("https://firmware.grandstream.com/{cut}")
}

/// Picks the version and download link for `model` on the `channel` page of
/// `slug` (official and beta pages share one layout).
pub fn read_page(html: &str, model: &str, slug: &str, channel: FirmwareChannel) -> FirmwareOffer {
    let lower = html.to_ascii_lowercase();
    let want = model.trim().to_ascii_uppercase();
    let mut candidates = blocks(html, &lower, "tr");
    candidates.extend(blocks(html, &lower, "li"));
    // Of the blocks naming the model, the one with the highest version: a
    // "previous releases" list names the model too, with older versions.
    let named = candidates
        .into_iter()
        .filter(|b| words(b).any(|w| w == want))
        .filter_map(|b| first_quad(&strip_tags(b)).map(|v| (v, b)))
        .max_by(|a, b| version_key(&a.0).cmp(&version_key(&b.0)));
    if let Some((v, b)) = named {
        return FirmwareOffer {
            model: model.to_string(),
            channel,
            version: Some(v),
            download_url: bin_links(b).first().map(|h| download_url(h, channel)),
        };
    }
    let stem = slug
        .trim_end_matches("xx")
        .trim_end_matches('x')
        .to_ascii_lowercase();
    let best = bin_links(html)
        .into_iter()
        .filter(|h| file_name(h).to_ascii_lowercase().starts_with(&stem))
        .filter_map(|h| first_quad(file_name(&h)).map(|v| (v, h)))
        .max_by(|a, b| version_key(&a.0).cmp(&version_key(&b.0)));
    match best {
        Some((v, h)) => FirmwareOffer {
            model: model.to_string(),
            channel,
            version: Some(v),
            download_url: Some(download_url(&h, channel)),
        },
        None => FirmwareOffer {
            model: model.to_string(),
            channel,
            version: None,
            download_url: None,
        },
    }
}

/// Text of an HTML fragment without its tags (attributes carry no versions
/// for step 1: `?v=2.6.1.9` script URLs must not count).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The offer for a model served from the CDN by name: a link, no version
/// (the CDN has no beta files).
pub fn cdn_offer(model: &str) -> FirmwareOffer {
    FirmwareOffer {
        model: model.to_string(),
        channel: FirmwareChannel::Official,
        version: None,
        download_url: Some(format!(
            "https://firmware.grandstream.com/{}fw.bin",
            cdn_base(model)
        )),
    }
}

/// JSON of an offer (for documents).
pub fn offer_json(o: &FirmwareOffer) -> Value {
    serde_json::to_value(o).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta name="generator" content="SiteBuilder 4.12.0.3">
<script src="/assets/js/app.min.js?v=2.6.1.9"></script></head><body>
<p class="notice">Factory default LAN IP is 192.168.2.1. Upgrading from versions below 1.0.9.1 requires a step.</p>
<ul class="fw-history"><li>UCM6300 Series 1.0.26.8: <a href="/files/ucm6300fw1.0.26.8.bin">archive</a></li>
<li>UCM6300A Series 1.0.24.5: <a href="/files/ucm6300afw1.0.24.5.bin">archive</a></li></ul>
<table><tbody>
<tr class="fw-row" data-models="UCM6301,UCM6302,UCM6304,UCM6308"><td>UCM6300 Series</td><td class="fw-version">1.0.27.10</td><td><a href="/files/ucm6300fw1.0.27.10.bin">Download</a></td></tr>
<tr class="fw-row" data-models="UCM6300A,UCM6301A,UCM6304A"><td>UCM6300A Series</td><td class="fw-version">1.0.25.7</td><td><a href="/files/ucm6300afw1.0.25.7.bin">Download</a></td></tr>
</tbody></table></body></html>"#;

    #[test]
    fn picks_the_models_row_not_the_first_version() {
        let o = read_page(PAGE, "UCM6304", "ucm6300", FirmwareChannel::Official);
        assert_eq!(o.version.as_deref(), Some("1.0.27.10"));
        assert_eq!(
            o.download_url.as_deref(),
            Some("https://firmware.grandstream.com/ucm6300fw.bin")
        );
        let beta = read_page(PAGE, "UCM6304", "ucm6300", FirmwareChannel::Beta);
        assert_eq!(
            beta.download_url.as_deref(),
            Some("https://firmware.grandstream.com/ucm6300fw1.0.27.10.bin"),
            "a beta keeps its versioned file"
        );
        let o = read_page(PAGE, "ucm6304a", "ucm6300", FirmwareChannel::Official);
        assert_eq!(o.version.as_deref(), Some("1.0.25.7"));
        // A model the page does not name: newest .bin of the slug.
        let o = read_page(PAGE, "UCM6300", "ucm6300", FirmwareChannel::Official);
        assert_eq!(o.version.as_deref(), Some("1.0.27.10"));
        let o = read_page(
            "<html>1.2.3.4</html>",
            "UCM6510",
            "ucm6510",
            FirmwareChannel::Beta,
        );
        assert_eq!(o.version, None);
        assert_eq!(o.channel, FirmwareChannel::Beta);
    }

    #[test]
    fn slugs_and_cdn_names() {
        assert_eq!(slug_for("UCM6304A"), Some("ucm6300"));
        assert_eq!(slug_for("ucm6510"), Some("ucm6510"));
        assert_eq!(slug_for("UCM6208"), Some("ucm62xx"));
        assert_eq!(slug_for("GCC6010W"), Some("gcc601x"));
        assert_eq!(slug_for("HT812V2"), Some("ht8xxv2"));
        assert_eq!(slug_for("HT812"), None);
        assert_eq!(slug_for("GRP2612W"), None);
        assert_eq!(cdn_base("GRP2612W"), "grp2610");
        assert_eq!(cdn_base("GRP2602P"), "grp2600");
        assert_eq!(cdn_base("HT814"), "ht81x");
        assert_eq!(cdn_base("GXP1628"), "gxp1628");
        assert_eq!(
            first_quad("ip 192.168.2.1 and v1.0.27.10.bin"),
            Some("192.168.2.1".into())
        );
        assert_eq!(first_quad("1.2.3"), None);
    }
}
