//! End to end in a real headless Chromium, driven by chromedriver over the WebDriver protocol:
//! `dyad serve` on a store filled (through `POST /api/ingest`) from our fixture articles; the
//! dashboard draws the events on the map, brushing the weekly series filters the table, and
//! clicking a dot shows its sentence with the trigger, source and target highlighted. A
//! screenshot goes to target/artifacts/dashboard.png.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver; .ci/run installs
//! them). Without them the test says SKIPPED, except under CI, where it fails.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../server/tests/fixtures/articles.jsonl"
);
const TOKEN: &str = "dashboard-test-token";

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Kills the process when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build()
}

/// A WebDriver session.
struct Browser {
    base: String,
    _driver: Proc,
}

impl Browser {
    fn start(driver: &Path, chromium: &Path) -> Browser {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver_proc = Proc(child);
        let root = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while agent().get(&format!("{root}/status")).call().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1366,900",
                         "--no-first-run", "--no-default-browser-check"]
            }
        }}});
        let res: Value = serde_json::from_str(
            &agent()
                .post(&format!("{root}/session"))
                .send_string(&caps.to_string())
                .expect("a browser session")
                .into_string()
                .unwrap(),
        )
        .unwrap();
        let sid = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"));
        Browser {
            base: format!("{root}/session/{sid}"),
            _driver: driver_proc,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let req = agent().request(method, &url);
        let res = match body {
            Some(b) => req.send_string(&b.to_string()),
            None => req.call(),
        };
        let text = match res {
            Ok(r) => r.into_string().unwrap(),
            Err(ureq::Error::Status(code, r)) => {
                panic!("WebDriver {path}: {code} {}", r.into_string().unwrap())
            }
            Err(e) => panic!("WebDriver {path}: {e}"),
        };
        serde_json::from_str::<Value>(&text).unwrap()["value"].take()
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Poll `script` until it returns something truthy.
    fn wait(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script);
            let truthy = match &v {
                Value::Null | Value::Bool(false) => false,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}; status: {}",
                self.js("return document.getElementById('status').textContent")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn pointer(&self, actions: Value) {
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{
                "type": "pointer", "id": "mouse",
                "parameters": {"pointerType": "mouse"},
                "actions": actions
            }]})),
        );
        self.cmd("DELETE", "/actions", None);
    }

    fn screenshot(&self, to: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let bytes = decode_base64(b64.as_str().unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent().delete(&self.base).call();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// `dyad serve` on a free port, with ingest enabled; its address.
fn serve(db: &Path) -> (Proc, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", "127.0.0.1:0", "--token", TOKEN])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dyad serve starts");
    let stderr = child.stderr.take().unwrap();
    let proc = Proc(child);
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (proc, url)
}

fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("artifacts")
}

#[test]
fn dashboard_in_chromium() {
    let (Some(driver), Some(chromium)) = (
        find(&["chromedriver", "chromium.chromedriver"]),
        find(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        if std::env::var_os("CI").is_some() {
            panic!("dashboard Chromium test: no chromium/chromedriver found, and CI is set");
        }
        println!("SKIPPED: dashboard Chromium test (no chromium/chromedriver found)");
        return;
    };

    // The store, filled through the API from our fixture articles.
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(&dir.path().join("events.db"));
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let res = agent()
        .post(&format!("{url}/api/ingest"))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .send_string(&fixture)
        .expect("ingest");
    let out: Value = serde_json::from_str(&res.into_string().unwrap()).unwrap();
    assert_eq!(out["articles"], 16, "{out}");

    let browser = Browser::start(&driver, &chromium);
    browser.cmd("POST", "/url", Some(json!({"url": format!("{url}/")})));

    // The map draws the events.
    browser.wait(
        "the first view",
        "return document.body.dataset.ready === '1'",
    );
    let circles = browser
        .wait(
            "dots on the map",
            "return document.querySelectorAll('#map circle.event').length",
        )
        .as_u64()
        .unwrap();
    let land = browser
        .js("return document.querySelectorAll('#map path.land').length")
        .as_u64()
        .unwrap();
    assert!(land > 100, "the world map is drawn: {land} countries");
    let rows_before = browser
        .js("return document.querySelectorAll('#events tbody tr').length")
        .as_u64()
        .unwrap();
    assert!(circles > 20, "{circles} dots");
    assert!(rows_before >= circles, "{rows_before} rows");
    let bars = browser
        .js("return document.querySelectorAll('#series rect.bar').length")
        .as_u64()
        .unwrap();
    assert!(bars >= 8, "{bars} weekly bars");

    // Brush the middle third of the weekly series.
    let rect = browser.js(
        "const r = document.querySelector('#series .brush .overlay').getBoundingClientRect();
         document.querySelector('#series').scrollIntoView({block: 'center'});
         const s = document.querySelector('#series .brush .overlay').getBoundingClientRect();
         return [s.left, s.top, s.width, s.height, r.width];",
    );
    let f = |i: usize| rect[i].as_f64().unwrap();
    let (left, top, width, height) = (f(0), f(1), f(2), f(3));
    let y = (top + height / 2.0).round() as i64;
    let x1 = (left + width / 3.0).round() as i64;
    let x2 = (left + 2.0 * width / 3.0).round() as i64;
    browser.pointer(json!([
        {"type": "pointerMove", "duration": 0, "x": x1, "y": y, "origin": "viewport"},
        {"type": "pointerDown", "button": 0},
        {"type": "pointerMove", "duration": 150, "x": (x1 + x2) / 2, "y": y, "origin": "viewport"},
        {"type": "pointerMove", "duration": 150, "x": x2, "y": y, "origin": "viewport"},
        {"type": "pointerUp", "button": 0}
    ]));
    browser.wait(
        "the brushed view",
        "return Number(document.body.dataset.ready) >= 2 && document.getElementById('f-date-from').value !== ''",
    );
    let view = browser.js(
        "return {from: document.getElementById('f-date-from').value,
                 to: document.getElementById('f-date-to').value,
                 dates: [...document.querySelectorAll('#events tbody tr')].map(tr => tr.dataset.date),
                 circles: document.querySelectorAll('#map circle.event').length};",
    );
    let from = view["from"].as_str().unwrap();
    let to = view["to"].as_str().unwrap();
    let dates: Vec<&str> = view["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(from < to, "{view}");
    assert!(!dates.is_empty(), "the brushed range holds events: {view}");
    assert!(
        (dates.len() as u64) < rows_before,
        "brushing filtered the table: {view}"
    );
    for d in &dates {
        assert!(
            (from..=to).contains(d),
            "{d} outside the brushed {from}..{to}"
        );
    }
    // The API agrees with the table.
    let api: Value = serde_json::from_str(
        &agent()
            .get(&format!(
                "{url}/api/events?limit=1000&date_from={from}&date_to={to}"
            ))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(api["events"].as_array().unwrap().len(), dates.len());

    // Click a dot: the event panel shows its sentence with the parts highlighted.
    let target = browser.js(
        "document.querySelector('#map').scrollIntoView({block: 'center'});
         for (const c of document.querySelectorAll('#map circle.event')) {
           const r = c.getBoundingClientRect();
           const x = r.left + r.width / 2, y = r.top + r.height / 2;
           if (document.elementFromPoint(x, y) === c) return {id: c.dataset.id, x, y};
         }
         return null;",
    );
    assert!(target.is_object(), "a dot that can be clicked");
    let id = target["id"].as_str().unwrap().to_string();
    browser.pointer(json!([
        {"type": "pointerMove", "duration": 0,
         "x": target["x"].as_f64().unwrap().round() as i64,
         "y": target["y"].as_f64().unwrap().round() as i64, "origin": "viewport"},
        {"type": "pointerDown", "button": 0},
        {"type": "pointerUp", "button": 0}
    ]));
    let shown = browser.wait(
        "the event panel",
        &format!(
            "const d = document.getElementById('event-detail');
             return d.dataset.id === {id:?} && document.querySelector('#sentence mark.trigger')
               ? {{trigger: document.querySelector('#sentence mark.trigger').firstChild.textContent,
                  marks: [...document.querySelectorAll('#sentence mark')].map(m => m.dataset.role),
                  sentence: document.getElementById('sentence').textContent,
                  rule: d.textContent.includes('Rule'),
                  schemes: ['CAMEO', 'PLOVER', 'ACLED'].every(s => d.textContent.includes(s))}}
               : null;"
        ),
    );
    let api: Value = serde_json::from_str(
        &agent()
            .get(&format!("{url}/api/events/{id}"))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    let evidence = &api["event"]["evidence"];
    assert_eq!(shown["trigger"], evidence["trigger"]["text"], "{shown}");
    assert!(shown["sentence"]
        .as_str()
        .unwrap()
        .contains(evidence["trigger"]["text"].as_str().unwrap()));
    let marks: Vec<&str> = shown["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    if !evidence["source_span"].is_null() {
        assert!(marks.contains(&"source"), "{shown}");
    }
    if !evidence["target_span"].is_null() {
        assert!(marks.contains(&"target"), "{shown}");
    }
    assert_eq!(shown["rule"], true);
    assert_eq!(shown["schemes"], true);

    // Nothing was fetched from another host.
    let hosts = browser.js(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)
                .filter(h => h !== location.host);",
    );
    assert_eq!(hosts, json!([]), "requests to other hosts");

    browser.js("window.scrollTo(0, 0)");
    let shot = artifacts_dir().join("dashboard.png");
    browser.screenshot(&shot);
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    println!("screenshot: {}", shot.display());
}
