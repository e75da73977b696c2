//! A deliberately tiny blocking HTTP/1.1 client for `http://` URLs: enough for
//! the simulator's webhook pushes and `gdms-sim ctl`, and for tests that must
//! not depend on the project's real cloud clients. Not a general client: no
//! TLS, no redirects, one request per connection.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::error::SimError;

/// A received response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers in received order (names as sent).
    pub headers: Vec<(String, String)>,
    /// Body bytes (chunked encoding already removed).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value, name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as (lossy) UTF-8 text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

fn split_url(url: &str) -> Result<(String, String), SimError> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| SimError::Http(format!("only http:// URLs are supported: {url}")))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err(SimError::Http(format!("no host in {url}")));
    }
    let host = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    Ok((host, path.to_string()))
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        raw = &raw[eol + 2..];
        if size == 0 || raw.len() < size {
            out.extend_from_slice(&raw[..size.min(raw.len())]);
            break;
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or(&[]);
    }
    out
}

/// Sends one request and reads the whole response.
///
/// # Errors
/// [`SimError::Http`] on a bad URL, connection failure, timeout or a reply
/// that is not HTTP/1.x.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> Result<HttpResponse, SimError> {
    let (host, path) = split_url(url)?;
    let addr = host
        .to_socket_addrs()
        .map_err(|e| SimError::Http(format!("{host}: {e}")))?
        .next()
        .ok_or_else(|| SimError::Http(format!("{host}: no address")))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| SimError::Http(format!("connect {host}: {e}")))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| SimError::Http(e.to_string()))?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|e| SimError::Http(e.to_string()))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut wire = head.into_bytes();
    wire.extend_from_slice(body);
    stream
        .write_all(&wire)
        .map_err(|e| SimError::Http(format!("write: {e}")))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| SimError::Http(format!("read: {e}")))?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<HttpResponse, SimError> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| SimError::Http("no end of headers".into()))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    if !parts.next().unwrap_or("").starts_with("HTTP/1.") {
        return Err(SimError::Http(format!(
            "not an HTTP response: {status_line:?}"
        )));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| SimError::Http(format!("bad status line: {status_line:?}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let mut resp = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    resp.body = if resp
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest)
    } else if let Some(n) = resp
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        rest[..n.min(rest.len())].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(resp)
}

/// `POST` a JSON text.
///
/// # Errors
/// As [`request`].
pub fn post_json(url: &str, body: &str, timeout: Duration) -> Result<HttpResponse, SimError> {
    request(
        "POST",
        url,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
        timeout,
    )
}

/// `GET` a URL.
///
/// # Errors
/// As [`request`].
pub fn get(url: &str, timeout: Duration) -> Result<HttpResponse, SimError> {
    request("GET", url, &[], b"", timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked() {
        let r =
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhiXX").unwrap();
        assert_eq!(
            (r.status, r.body_text().as_str(), r.header("x-a")),
            (200, "hi", Some("b"))
        );
        let c = parse_response(b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!((c.status, c.body_text().as_str()), (404, "abcde"));
        assert!(parse_response(b"garbage\r\n\r\n").is_err());
    }

    #[test]
    fn urls() {
        assert_eq!(
            split_url("http://127.0.0.1:8/a?b=1").unwrap(),
            ("127.0.0.1:8".into(), "/a?b=1".into())
        );
        assert_eq!(
            split_url("http://localhost").unwrap(),
            ("localhost:80".into(), "/".into())
        );
        assert!(split_url("https://x").is_err());
    }
}
