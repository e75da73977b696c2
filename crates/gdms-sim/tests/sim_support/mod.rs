//! Shared helpers for the simulator's own tests: a raw HTTP client (the
//! simulator's tiny one, not the project's cloud clients) plus signing with
//! the spec's algorithm from `gdms_core::signing`.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gdms_core::signing;
use gdms_sim::http_client::{request, HttpResponse};
use gdms_sim::{Sim, SimConfig, SimHandle};
use serde_json::Value;

pub const TIMEOUT: Duration = Duration::from_secs(10);

pub fn spawn() -> SimHandle {
    spawn_with(SimConfig::default())
}

pub fn spawn_with(config: SimConfig) -> SimHandle {
    Sim::spawn(config).expect("simulator starts")
}

pub fn now_ms() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string()
}

pub fn post_form(url: &str, form: &str) -> HttpResponse {
    request(
        "POST",
        url,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
        TIMEOUT,
    )
    .expect("http")
}

pub fn get(url: &str) -> HttpResponse {
    request("GET", url, &[], b"", TIMEOUT).expect("http")
}

pub fn post_json(url: &str, body: &str) -> HttpResponse {
    request(
        "POST",
        url,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
        TIMEOUT,
    )
    .expect("http")
}

pub fn json(r: &HttpResponse) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|_| panic!("not JSON ({}): {}", r.status, r.body_text()))
}

pub fn uc_token_response(sim: &SimHandle) -> HttpResponse {
    let c = sim.uc_credentials();
    let form = format!(
        "username={}&password={}&grant_type=password&client_id={}&client_secret={}",
        c.username,
        signing::uc_password_hash(&c.password),
        c.client_id,
        c.client_secret
    );
    post_form(&format!("{}/oapi/oauth/token", sim.uc_uri()), &form)
}

pub fn uc_token(sim: &SimHandle) -> String {
    let r = uc_token_response(sim);
    assert_eq!(r.status, 200, "{}", r.body_text());
    json(&r)["access_token"].as_str().unwrap().to_string()
}

pub fn gwn_token(sim: &SimHandle) -> String {
    let c = sim.gwn_credentials();
    let r = get(&format!(
        "{}/oauth/token?grant_type=client_credentials&client_id={}&client_secret={}",
        sim.gwn_uri(),
        c.app_id,
        c.secret_key
    ));
    assert_eq!(r.status, 200, "{}", r.body_text());
    json(&r)["access_token"].as_str().unwrap().to_string()
}

/// Signed UC call with the given extra query params (they are signed too).
pub fn uc_call_with(
    sim: &SimHandle,
    method: &str,
    token: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &str,
    ts: &str,
) -> HttpResponse {
    let c = sim.uc_credentials();
    let mut q: Vec<(&str, &str)> = vec![("access_token", token), ("timestamp", ts)];
    q.extend_from_slice(extra);
    let sig = signing::uc_signature(&q, &c.client_id, &c.client_secret, body.as_bytes());
    let mut qs: String = q.iter().map(|(k, v)| format!("{k}={v}&")).collect();
    qs.push_str(&format!("signature={sig}"));
    let url = format!("{}/oapi/v1.0.0/{path}?{qs}", sim.uc_uri());
    request(
        method,
        &url,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
        TIMEOUT,
    )
    .expect("http")
}

pub fn uc_call(sim: &SimHandle, token: &str, path: &str, body: &str) -> HttpResponse {
    uc_call_with(sim, "POST", token, path, &[], body, &now_ms())
}

/// GWN URL with a correct signature for `body`.
pub fn gwn_url(sim: &SimHandle, token: &str, path: &str, body: &str, ts: &str) -> String {
    let c = sim.gwn_credentials();
    let sig = signing::gwn_signature(token, &c.app_id, &c.secret_key, ts, body.as_bytes());
    format!(
        "{}/oapi/v1.0.0/{path}?access_token={token}&appID={}&timestamp={ts}&signature={sig}",
        sim.gwn_uri(),
        c.app_id
    )
}

pub fn gwn_call(sim: &SimHandle, token: &str, path: &str, body: &str) -> HttpResponse {
    post_json(&gwn_url(sim, token, path, body, &now_ms()), body)
}

/// `(retCode, data)` of an envelope.
pub fn envelope(r: &HttpResponse) -> (i64, Value) {
    let v = json(r);
    (v["retCode"].as_i64().expect("retCode"), v["data"].clone())
}

pub fn rows(data: &Value) -> Vec<Value> {
    data["result"].as_array().cloned().unwrap_or_default()
}

/// Every row of a paginated GWN list, following pages until a short one.
pub fn gwn_all(sim: &SimHandle, token: &str, path: &str, network: i64, size: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1..100 {
        let body = format!(r#"{{"networkId":{network},"pageNum":{page},"pageSize":{size}}}"#);
        let (code, data) = envelope(&gwn_call(sim, token, path, &body));
        assert_eq!(code, 0);
        let r = rows(&data);
        let n = r.len();
        out.extend(r);
        if n < size {
            break;
        }
    }
    out
}

/// A request captured by [`Receiver`].
#[derive(Debug, Clone)]
pub struct Captured {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A one-thread HTTP receiver standing in for the plugin's webhook.php: it
/// records each request and answers `200 {"ok":true}`.
pub struct Receiver {
    pub url: String,
    pub got: std::sync::Arc<std::sync::Mutex<Vec<Captured>>>,
}

impl Receiver {
    pub fn start() -> Self {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/plugins/gdmsintegration/front/webhook.php",
            listener.local_addr().unwrap()
        );
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                let mut headers = Vec::new();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end().to_string();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                let len: usize = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                sink.lock().unwrap().push(Captured {
                    request_line: request_line.trim_end().to_string(),
                    headers,
                    body,
                });
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}");
            }
        });
        Self { url, got }
    }

    /// Waits until `n` requests arrived (up to 5 s) and returns them.
    pub fn wait_for(&self, n: usize) -> Vec<Captured> {
        for _ in 0..500 {
            if self.got.lock().unwrap().len() >= n {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.got.lock().unwrap().clone()
    }
}
