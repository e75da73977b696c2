//! Reading every page of a list endpoint (spec §5.1, §6.1, §6.2).
//!
//! Page 1 is read first. When it announces `totalPage`, the remaining pages up
//! to the ceiling are requested at once (they do not depend on each other);
//! otherwise they are read one after another. Either way the listing is
//! complete only when every page succeeded and it ended naturally: a page
//! shorter than the page size, or (when trusted) `currentPage ≥ totalPage`.
//! A page that comes back short while more pages were announced means the
//! listing was cut: incomplete, never a silent end. A full page at the
//! ceiling is incomplete too.

use std::sync::Arc;

use serde_json::{json, Map, Value};
use tokio::task::JoinSet;

use super::api::{Api, Call};
use super::error::CloudError;
use super::read;
use super::transport::{Method, Safety};

/// What reading a list produced.
#[derive(Debug, Default)]
pub struct Listing {
    /// Rows of every page read, in page order.
    pub rows: Vec<Value>,
    /// Pages read successfully.
    pub pages: u32,
    /// Why the listing is incomplete, with the page concerned.
    pub failure: Option<(CloudError, u32)>,
}

impl Listing {
    /// Complete when nothing failed.
    pub fn complete(&self) -> bool {
        self.failure.is_none()
    }
}

/// How to page one endpoint.
#[derive(Clone)]
pub struct PageSpec {
    /// Endpoint below `/oapi/v1.0.0/`.
    pub endpoint: &'static str,
    /// Fields added to `pageNum`/`pageSize` in every body (e.g. `networkId`).
    pub base: Map<String, Value>,
    /// Page size asked for.
    pub page_size: usize,
    /// Most pages read.
    pub ceiling: u32,
    /// Whether `currentPage ≥ totalPage` ends a listing whose last page is
    /// full (GWN); GDMS UC relies on the short page only.
    pub trust_total_page: bool,
    /// Whole-request timeout.
    pub timeout: std::time::Duration,
}

struct Page {
    rows: Vec<Value>,
    total_pages: Option<u32>,
}

async fn page(api: &Api, spec: &PageSpec, n: u32) -> Result<Page, CloudError> {
    let mut body = spec.base.clone();
    body.insert("pageNum".into(), json!(n));
    body.insert("pageSize".into(), json!(spec.page_size));
    let body = Value::Object(body);
    let data = api
        .call(&Call {
            method: Method::Post,
            endpoint: spec.endpoint,
            query: &[],
            body: Some(&body),
            timeout: spec.timeout,
            safety: Safety::Safe,
        })
        .await?;
    let rows = read::rows(&data)
        .cloned()
        .ok_or_else(|| CloudError::Malformed {
            endpoint: format!("/oapi/v1.0.0/{}", spec.endpoint),
            detail: format!("page {n} has no result list"),
        })?;
    let total_pages = read::int(&data, &["totalPage"])
        .and_then(|t| u32::try_from(t).ok())
        .filter(|t| *t > 0);
    Ok(Page { rows, total_pages })
}

/// What one page means for the listing.
enum Step {
    /// Natural end: complete.
    End,
    /// Read on.
    More,
    /// Cut short.
    Truncated(CloudError),
}

fn judge(spec: &PageSpec, n: u32, p: &Page) -> Step {
    let short = p.rows.len() < spec.page_size;
    match (short, p.total_pages) {
        (true, Some(t)) if n < t => Step::Truncated(CloudError::Malformed {
            endpoint: format!("/oapi/v1.0.0/{}", spec.endpoint),
            detail: format!(
                "page {n} of {t} came back short ({} of {} rows): the listing was cut",
                p.rows.len(),
                spec.page_size
            ),
        }),
        (true, _) => Step::End,
        (false, Some(t)) if spec.trust_total_page && n >= t => Step::End,
        (false, _) => Step::More,
    }
}

/// Reads every page of `spec` through `api`.
pub async fn read_all(api: Arc<Api>, spec: Arc<PageSpec>) -> Listing {
    let mut out = Listing::default();
    let first = match page(&api, &spec, 1).await {
        Ok(p) => p,
        Err(e) => {
            out.failure = Some((e, 1));
            return out;
        }
    };
    out.pages = 1;
    let step = judge(&spec, 1, &first);
    let hint = first.total_pages;
    out.rows.extend(first.rows);
    match step {
        Step::End => return out,
        Step::Truncated(e) => {
            out.failure = Some((e, 1));
            return out;
        }
        Step::More => {}
    }
    let mut next = 2u32;
    // Announced pages: all at once.
    if let Some(total) = hint.filter(|t| *t >= 2) {
        let last = total.min(spec.ceiling);
        let mut set = JoinSet::new();
        for n in 2..=last {
            let (api, spec) = (api.clone(), spec.clone());
            set.spawn(async move { (n, page(&api, &spec, n).await) });
        }
        let mut results: Vec<(u32, Result<Page, CloudError>)> = Vec::new();
        while let Some(r) = set.join_next().await {
            match r {
                Ok(x) => results.push(x),
                Err(e) => {
                    out.failure = Some((CloudError::InvalidRequest(format!("page task: {e}")), 0));
                    return out;
                }
            }
        }
        results.sort_by_key(|(n, _)| *n);
        for (n, r) in results {
            match r {
                Err(e) => {
                    out.failure = Some((e, n));
                    return out;
                }
                Ok(p) => {
                    out.pages += 1;
                    let step = judge(&spec, n, &p);
                    out.rows.extend(p.rows);
                    match step {
                        Step::End => return out,
                        Step::Truncated(e) => {
                            out.failure = Some((e, n));
                            return out;
                        }
                        Step::More => {}
                    }
                }
            }
        }
        next = last + 1;
    }
    // Unannounced (or more than announced) pages: one after another.
    loop {
        if next > spec.ceiling {
            out.failure = Some((
                CloudError::PageCeiling {
                    pages: spec.ceiling,
                },
                spec.ceiling,
            ));
            return out;
        }
        match page(&api, &spec, next).await {
            Err(e) => {
                out.failure = Some((e, next));
                return out;
            }
            Ok(p) => {
                out.pages += 1;
                let step = judge(&spec, next, &p);
                out.rows.extend(p.rows);
                match step {
                    Step::End => return out,
                    Step::Truncated(e) => {
                        out.failure = Some((e, next));
                        return out;
                    }
                    Step::More => next += 1,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(trust: bool) -> PageSpec {
        PageSpec {
            endpoint: "ap/list",
            base: Map::new(),
            page_size: 3,
            ceiling: 50,
            trust_total_page: trust,
            timeout: std::time::Duration::from_secs(1),
        }
    }

    fn page_of(rows: usize, total: Option<u32>) -> Page {
        Page {
            rows: vec![Value::Null; rows],
            total_pages: total,
        }
    }

    #[test]
    fn how_a_page_ends_a_listing() {
        assert!(matches!(
            judge(&spec(true), 1, &page_of(2, None)),
            Step::End
        ));
        assert!(matches!(
            judge(&spec(true), 1, &page_of(0, Some(0))),
            Step::End
        ));
        assert!(matches!(
            judge(&spec(true), 1, &page_of(3, None)),
            Step::More
        ));
        // GWN trusts totalPage for a full last page; UC reads one more page.
        assert!(matches!(
            judge(&spec(true), 2, &page_of(3, Some(2))),
            Step::End
        ));
        assert!(matches!(
            judge(&spec(false), 2, &page_of(3, Some(2))),
            Step::More
        ));
        // Short while more pages were announced: cut, not an end.
        assert!(matches!(
            judge(&spec(false), 1, &page_of(1, Some(3))),
            Step::Truncated(CloudError::Malformed { .. })
        ));
    }
}
