//! HTTP tests: the real server on a free loopback port, over a real SQLite store filled from
//! our fixture articles (tests/fixtures/articles.jsonl), coded by the built-in coder.
//! Every endpoint, every error code, the token rule, live updates, and SQL injection through
//! every parameter.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use dyad_coder::Coder;
use dyad_server::{Server, ServerConfig};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/articles.jsonl");
const TOKEN: &str = "test-token-123";

fn coder() -> Arc<dyn Coder> {
    static CODER: OnceLock<Arc<dyn Coder>> = OnceLock::new();
    CODER
        .get_or_init(|| dyad_server::builtin_coder().expect("built-in dictionaries"))
        .clone()
}

/// A SQLite store in a temp dir, filled from the fixture articles.
fn fixture_store(dir: &Path) -> PathBuf {
    let db = dir.join("events.db");
    let mut store = dyad_store::open(db.to_str().unwrap()).unwrap();
    let coder = coder();
    let batch: Vec<_> = FIXTURE
        .lines()
        .map(|l| {
            let a = dyad_pipeline::read::parse_json_article(l.as_bytes()).unwrap();
            let events = coder.code(&a).events;
            (a, events)
        })
        .collect();
    let stats = store.ingest(&batch).unwrap();
    assert_eq!(stats.articles_added, 16);
    db
}

/// A running server; stopped when dropped.
struct TestServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    fn start(config: ServerConfig) -> TestServer {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let server = Server::bind_with_coder(config, Some(coder()))
                    .await
                    .expect("server binds");
                addr_tx.send(server.local_addr().unwrap()).unwrap();
                server
                    .run_until(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server started");
        TestServer {
            addr,
            stop: Some(tx),
            thread: Some(thread),
            _dir: None,
        }
    }

    /// A server over a fresh fixture store, configured by `f`.
    fn fixture(f: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = fixture_store(dir.path());
        let mut config = ServerConfig::new(db.to_str().unwrap());
        config.addr = "127.0.0.1:0".parse().unwrap();
        f(&mut config);
        let mut s = TestServer::start(config);
        s._dir = Some(dir);
        s
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        let (status, body) = self.get_text(path);
        let v = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"));
        (status, v)
    }

    fn get_text(&self, path: &str) -> (u16, String) {
        respond(agent().get(&self.url(path)).call())
    }

    fn post(&self, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
        let mut req = agent().post(&self.url(path));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        let (status, body) = respond(req.send_string(body));
        let v = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("POST {path}: not JSON ({e}): {body}"));
        (status, v)
    }

    fn call(&self, method: &str, path: &str) -> (u16, Value) {
        let (status, body) = respond(agent().request(method, &self.url(path)).call());
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build()
}

fn respond(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match r {
        Ok(res) => (res.status(), res.into_string().unwrap()),
        Err(ureq::Error::Status(code, res)) => (code, res.into_string().unwrap()),
        Err(e) => panic!("transport error: {e}"),
    }
}

/// The error shape, and the code.
fn error_code(status: u16, body: &Value) -> String {
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not the error shape: {body}"));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(status >= 400, "{status} {body}");
    code.to_string()
}

fn total(s: &TestServer, query: &str) -> u64 {
    let (status, body) = s.get(&format!("/api/counts?{query}"));
    assert_eq!(status, 200, "{body}");
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

/// A wire story printed by seven outlets: its events' mentions come a page at a time, and the
/// pages together are the whole list, in order.
#[test]
fn an_events_mentions_come_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wire.db");
    let mut store = dyad_store::open(db.to_str().unwrap()).unwrap();
    let coder = coder();
    let first = FIXTURE.lines().next().unwrap();
    let batch: Vec<_> = (0..7)
        .map(|i| {
            let mut a = dyad_pipeline::read::parse_json_article(first.as_bytes()).unwrap();
            a.id = format!("wire-{i}");
            a.source = Some(format!("outlet {i}"));
            let events = coder.code(&a).events;
            (a, events)
        })
        .collect();
    store.ingest(&batch).unwrap();
    drop(store);
    let mut config = ServerConfig::new(db.to_str().unwrap());
    config.addr = "127.0.0.1:0".parse().unwrap();
    let s = TestServer::start(config);

    let (_, all) = s.get("/api/events?limit=1000");
    let merged = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["num_mentions"].as_u64().unwrap() == 7)
        .expect("the seven copies merge");
    let id = merged["event_id"].as_str().unwrap();
    let n = merged["num_mentions"].as_u64().unwrap();
    let (_, whole) = s.get(&format!("/api/events/{id}"));
    let whole = whole["mentions"].as_array().unwrap().clone();
    assert_eq!(whole.len() as u64, n);
    let mut paged = Vec::new();
    let mut pages = 0;
    let mut offset = 0;
    loop {
        let (st, page) = s.get(&format!(
            "/api/events/{id}?mentions_limit=2&mentions_offset={offset}"
        ));
        assert_eq!(st, 200, "{page}");
        assert_eq!(page["event"]["event_id"], id);
        let got = page["mentions"].as_array().unwrap();
        assert!(got.len() <= 2, "{page}");
        paged.extend(got.iter().cloned());
        pages += 1;
        match page["next_mentions_offset"].as_u64() {
            Some(next) => offset = next,
            None => break,
        }
    }
    assert_eq!(paged, whole);
    assert_eq!(pages, 4, "seven mentions, two a page");
    for bad in ["mentions_limit=0", "mentions_limit=x", "mentions_offset=-1"] {
        let (st, b) = s.get(&format!("/api/events/{id}?{bad}"));
        assert_eq!(st, 400, "{bad}: {b}");
        assert_eq!(b["error"]["code"], "invalid_parameter", "{bad}");
    }
}

#[test]
fn every_endpoint_answers() {
    let s = TestServer::fixture(|_| {});

    let (st, health) = s.get("/api/health");
    assert_eq!((st, health["status"].as_str()), (200, Some("ok")));
    assert_eq!(health["backend"], "sqlite");

    let (st, version) = s.get("/api/version");
    assert_eq!(st, 200);
    assert_eq!(version["name"], "dyad");
    assert_eq!(version["version"], env!("CARGO_PKG_VERSION"));

    let (st, doc) = s.get("/api/openapi.json");
    assert_eq!(st, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/events"]["get"].is_object());

    // Events: every page, by cursor, adds up to the total count.
    let n = total(&s, "");
    assert!(n >= 20, "the fixture gives events: {n}");
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/events?limit=7&cursor={}", enc(c)),
            None => "/api/events?limit=7".to_string(),
        };
        let (st, page) = s.get(&q);
        assert_eq!(st, 200, "{page}");
        let events = page["events"].as_array().unwrap();
        assert!(events.len() <= 7);
        for e in events {
            assert!(seen.insert(e["event_id"].as_str().unwrap().to_string()));
            assert!(e["num_mentions"].as_u64().unwrap() >= 1);
            assert!(e["cameo"]["code"].is_string());
            assert!(e["evidence"]["text"].is_string());
        }
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
        assert!(pages < 100);
    }
    assert_eq!(seen.len() as u64, n);
    assert!(pages >= 3);

    // Counts by week and country: keys by name, counts that add up.
    let (st, counts) = s.get("/api/counts?group_by=week,country");
    assert_eq!(st, 200);
    assert_eq!(counts["group_by"], serde_json::json!(["week", "country"]));
    let rows = counts["rows"].as_array().unwrap();
    assert!(rows.len() > 5);
    for r in rows {
        let week = r["week"].as_str().unwrap();
        assert_eq!(week.len(), 10, "{r}");
        assert!(r.get("country").is_some());
        assert!(r["count"].as_u64().unwrap() >= 1);
    }
    assert_eq!(total(&s, "group_by=week,country"), n);

    // Dyads.
    let (st, dyads) = s.get("/api/dyads?limit=5");
    assert_eq!(st, 200);
    let dyads = dyads["dyads"].as_array().unwrap();
    assert!(!dyads.is_empty() && dyads.len() <= 5);
    assert!(dyads[0]["source"].is_string() && dyads[0]["count"].as_u64().unwrap() >= 1);

    // One event with its mentions and evidence.
    let (_, page) = s.get("/api/events?cameo=1952");
    let id = page["events"][0]["event_id"].as_str().unwrap().to_string();
    let (st, detail) = s.get(&format!("/api/events/{id}"));
    assert_eq!(st, 200, "{detail}");
    assert_eq!(detail["event"]["event_id"], id.as_str());
    let mentions = detail["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    let ev = &mentions[0]["evidence"];
    let text = ev["text"].as_str().unwrap();
    let (a, b) = (
        ev["trigger"]["start"].as_u64().unwrap() as usize,
        ev["trigger"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], ev["trigger"]["text"].as_str().unwrap());
    assert_eq!(mentions[0]["article_id"], "fx-01");

    // Articles, paged.
    let (st, arts) = s.get("/api/articles?limit=10");
    assert_eq!(st, 200);
    assert_eq!(arts["articles"].as_array().unwrap().len(), 10);
    let c = arts["next_cursor"].as_str().unwrap();
    let (_, rest) = s.get(&format!("/api/articles?limit=10&cursor={}", enc(c)));
    assert_eq!(rest["articles"].as_array().unwrap().len(), 6);

    // Actors.
    let (st, actors) = s.get("/api/actors?limit=500");
    assert_eq!(st, 200);
    let actors = actors["actors"].as_array().unwrap();
    assert!(actors.iter().any(|a| a["code"] == "USAMIL"));

    // The stream starts with `ready`.
    let res = agent().get(&s.url("/api/stream")).call().unwrap();
    assert_eq!(res.content_type(), "text/event-stream");
    let mut lines = BufReader::new(res.into_reader()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "event: ready");

    // Every dashboard asset answers 200 with its type.
    for (path, ty) in [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/vendor/d3.min.js", "text/javascript"),
        ("/vendor/topojson-client.min.js", "text/javascript"),
        ("/vendor/countries-110m.json", "application/json"),
        ("/vendor/d3.LICENSE", "text/plain"),
        ("/vendor/topojson-client.LICENSE", "text/plain"),
        ("/vendor/world-atlas.LICENSE", "text/plain"),
    ] {
        let res = agent().get(&s.url(path)).call().unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.content_type().starts_with(ty), "{path}");
        assert!(res
            .header("content-security-policy")
            .unwrap()
            .contains("default-src 'self'"));
    }
    // Nothing in the page comes from another host.
    let (_, html) = s.get_text("/");
    assert!(!html.contains("http://") && !html.contains("https://"));
    let (_, js) = s.get_text("/app.js");
    assert!(!js.contains("http://") && !js.contains("https://"));
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn filters_select_the_right_events() {
    let s = TestServer::fixture(|_| {});
    let all = total(&s, "");
    let check = |q: &str, pred: &dyn Fn(&Value) -> bool| {
        let (st, page) = s.get(&format!("/api/events?limit=1000&{q}"));
        assert_eq!(st, 200, "{q}: {page}");
        let events = page["events"].as_array().unwrap();
        assert!(!events.is_empty(), "{q} selects something");
        assert!((events.len() as u64) < all, "{q} leaves something out");
        for e in events {
            assert!(pred(e), "{q}: {e}");
        }
        assert_eq!(total(&s, q), events.len() as u64, "{q}: counts agree");
    };
    check("cameo=19", &|e| e["cameo"]["root"] == "19");
    check("cameo=1952", &|e| e["cameo"]["code"] == "1952");
    check("quad_class=1", &|e| e["cameo"]["quad_class"] == 1);
    check("plover_type=assault", &|e| e["plover"]["type"] == "ASSAULT");
    check("acled_type=Battles", &|e| {
        e["acled"]["event_type"] == "Battles"
    });
    check("source=usa", &|e| {
        e["source"]["code"].as_str().unwrap().starts_with("USA")
    });
    check("target=UKR", &|e| {
        e["target"]["code"].as_str().unwrap().starts_with("UKR")
    });
    check("source_country=RUS", &|e| e["source"]["country"] == "RUS");
    check("target_country=ISR", &|e| e["target"]["country"] == "ISR");
    check("country=IRQ", &|e| e["location"]["country"] == "IRQ");
    check("admin1=Baghdad", &|e| e["location"]["admin1"] == "Baghdad");
    check("date_from=2024-02-01&date_to=2024-02-29", &|e| {
        let d = e["date"].as_str().unwrap();
        ("2024-02-01"..="2024-02-29").contains(&d)
    });
    check("bbox=30,25,50,40", &|e| {
        let (lon, lat) = (
            e["location"]["lon"].as_f64().unwrap(),
            e["location"]["lat"].as_f64().unwrap(),
        );
        (30.0..=50.0).contains(&lon) && (25.0..=40.0).contains(&lat)
    });
    check("article=fx-01", &|e| e["article_id"] == "fx-01");
}

#[test]
fn every_error_code() {
    let s = TestServer::fixture(|c| {
        c.token = Some(TOKEN.into());
        c.max_body_bytes = 64 * 1024;
    });
    let expect = |status: u16, body: &Value, code: &str, http: u16| {
        assert_eq!(error_code(status, body), code, "{body}");
        assert_eq!(status, http, "{body}");
    };

    let (st, b) = s.get("/api/events?cameo=abc");
    expect(st, &b, "invalid_parameter", 400);
    let (st, b) = s.get("/api/events?limit=100000");
    expect(st, &b, "invalid_parameter", 400);
    let (st, b) = s.get("/api/events?cursor=garbage");
    expect(st, &b, "invalid_parameter", 400);
    let (st, b) = s.get("/api/counts?group_by=planet");
    expect(st, &b, "invalid_parameter", 400);
    let (st, b) = s.get("/api/events?date_from=2024-13-45");
    expect(st, &b, "invalid_parameter", 400);
    let (st, b) = s.get("/api/events?bogus=1");
    expect(st, &b, "unknown_parameter", 400);
    let (st, b) = s.get("/api/events?cameo=1&cameo=2");
    expect(st, &b, "unknown_parameter", 400);
    let (st, b) = s.post("/api/ingest", Some(TOKEN), "this is not json\n");
    expect(st, &b, "invalid_body", 400);
    let (st, b) = s.post("/api/ingest", Some(TOKEN), "");
    expect(st, &b, "invalid_body", 400);
    let (st, b) = s.post("/api/ingest", None, "{}");
    expect(st, &b, "unauthorized", 401);
    let (st, b) = s.post("/api/ingest", Some("wrong-token-456"), "{}");
    expect(st, &b, "unauthorized", 401);
    let (st, b) = s.get("/api/events/no-such-event");
    expect(st, &b, "not_found", 404);
    let (st, b) = s.get("/api/no-such-endpoint");
    expect(st, &b, "not_found", 404);
    let (st, b) = s.get("/no-such-page");
    expect(st, &b, "not_found", 404);
    let (st, b) = s.get("/vendor/no-such-file.js");
    expect(st, &b, "not_found", 404);
    let (st, b) = s.call("POST", "/api/events");
    expect(st, &b, "method_not_allowed", 405);
    let (st, b) = s.call("DELETE", "/api/ingest");
    expect(st, &b, "method_not_allowed", 405);
    let (st, b) = s.call("GET", "/api/ingest");
    expect(st, &b, "method_not_allowed", 405);
    let big = format!(
        "{{\"id\":\"big\",\"text\":\"{}\"}}\n",
        "Troops attacked. ".repeat(5000)
    );
    let (st, b) = s.post("/api/ingest", Some(TOKEN), &big);
    expect(st, &b, "payload_too_large", 413);

    // read_only: ingest on a server without a token, with or without a header.
    let ro = TestServer::fixture(|_| {});
    let (st, b) = ro.post("/api/ingest", None, "{}");
    expect(st, &b, "read_only", 403);
    let (st, b) = ro.post("/api/ingest", Some(TOKEN), "{}");
    expect(st, &b, "read_only", 403);

    // timeout: a server whose queries may take no time at all.
    let slow = TestServer::fixture(|c| c.query_timeout = Duration::ZERO);
    let (st, b) = slow.get("/api/counts?group_by=week");
    expect(st, &b, "timeout", 503);

    // internal: the store broke under the server (a table gone).
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_store(dir.path());
    let mut config = ServerConfig::new(db.to_str().unwrap());
    config.addr = "127.0.0.1:0".parse().unwrap();
    let broken = TestServer::start(config);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("ALTER TABLE events RENAME TO events_gone")
        .unwrap();
    let (st, b) = broken.get("/api/events");
    expect(st, &b, "internal", 500);

    // The table in the OpenAPI document lists exactly these codes.
    let (_, doc) = s.get("/api/openapi.json");
    let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]
        ["properties"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_parameter",
            "unknown_parameter",
            "invalid_body",
            "unauthorized",
            "read_only",
            "not_found",
            "method_not_allowed",
            "payload_too_large",
            "timeout",
            "internal"
        ]
    );
}

#[test]
fn ingest_needs_the_token() {
    let s = TestServer::fixture(|c| c.token = Some(TOKEN.into()));
    let before = total(&s, "");
    let body = concat!(
        r#"{"id": "new-1", "date": "2024-03-26", "source": "Dyad Wire", "text": "Israeli troops attacked Hamas fighters in Gaza on Tuesday."}"#,
        "\n",
        "not an article\n",
        "\n",
        r#"{"id": "new-2", "date": "2024-03-27", "text": "Turkey condemned the attack."}"#,
        "\n"
    );
    let (st, b) = s.post("/api/ingest", None, body);
    assert_eq!((st, error_code(st, &b).as_str()), (401, "unauthorized"));
    assert_eq!(total(&s, ""), before, "nothing stored without the token");

    let (st, b) = s.post("/api/ingest", Some(TOKEN), body);
    assert_eq!(st, 200, "{b}");
    assert_eq!(b["articles"], 2);
    assert_eq!(b["rejected"][0]["line"], 2);
    assert_eq!(b["stored"]["articles_added"], 2);
    let events = b["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().any(|e| e["article_id"] == "new-1"));
    assert!(total(&s, "") > before);
    let (_, page) = s.get("/api/events?article=new-1");
    assert!(!page["events"].as_array().unwrap().is_empty());

    // The same again adds nothing.
    let after = total(&s, "");
    let (st, b) = s.post("/api/ingest", Some(TOKEN), body);
    assert_eq!(st, 200);
    assert_eq!(b["stored"]["articles_unchanged"], 2);
    assert_eq!(total(&s, ""), after);
}

/// Values that try to break out of a SQL string or statement.
const INJECTIONS: &[&str] = &[
    "' OR '1'='1",
    "1' OR 1=1 --",
    "x'; DROP TABLE events; --",
    "1; DROP TABLE articles",
    "\" OR \"\"=\"",
    "') UNION SELECT * FROM articles --",
    "%' OR '%'='",
    "19 OR 1=1",
    "USA' --",
    "1) OR (1=1",
    "*/ DELETE FROM mentions /*",
    "Robert'); DROP TABLE events;--",
];

#[test]
fn sql_injection_is_refused_or_literal() {
    let s = TestServer::fixture(|_| {});
    let before_events = total(&s, "");
    let (_, arts) = s.get("/api/articles?limit=1000");
    let before_articles = arts["articles"].as_array().unwrap().len();
    assert_eq!(before_articles, 16);

    let params = [
        "date_from",
        "date_to",
        "cameo",
        "plover_type",
        "acled_type",
        "quad_class",
        "source",
        "target",
        "source_country",
        "target_country",
        "country",
        "admin1",
        "bbox",
        "article",
        "limit",
        "cursor",
        "group_by",
    ];
    let mut literal = 0;
    let mut refused = 0;
    for endpoint in ["events", "counts", "dyads", "actors", "articles"] {
        for p in params {
            for inj in INJECTIONS {
                let path = format!("/api/{endpoint}?{p}={}", enc(inj));
                let (st, body) = s.get(&path);
                match st {
                    400 => {
                        let code = error_code(st, &body);
                        assert!(
                            code == "invalid_parameter" || code == "unknown_parameter",
                            "{path}: {body}"
                        );
                        refused += 1;
                    }
                    200 if endpoint == "articles" && p == "cursor" => {
                        // Taken as a literal: the articles whose id sorts after it.
                        for a in body["articles"].as_array().unwrap() {
                            assert!(a["id"].as_str().unwrap() > *inj, "{path}: {body}");
                        }
                        literal += 1;
                    }
                    200 => {
                        // Taken as a literal: it matches nothing.
                        let rows = match endpoint {
                            "events" => body["events"].as_array(),
                            "counts" => body["rows"].as_array(),
                            "dyads" => body["dyads"].as_array(),
                            "actors" => body["actors"].as_array(),
                            _ => body["articles"].as_array(),
                        }
                        .unwrap();
                        let n: u64 = if endpoint == "counts" {
                            rows.iter().map(|r| r["count"].as_u64().unwrap()).sum()
                        } else {
                            rows.len() as u64
                        };
                        assert_eq!(n, 0, "{path} matched something: {body}");
                        literal += 1;
                    }
                    _ => panic!("{path}: {st} {body}"),
                }
            }
        }
    }
    assert!(
        refused > 0 && literal > 0,
        "{refused} refused, {literal} literal"
    );
    // The path parameter too.
    for inj in INJECTIONS {
        let (st, body) = s.get(&format!("/api/events/{}", enc(inj)));
        assert!(st == 404 || st == 400, "{inj}: {st} {body}");
    }
    // The store is intact.
    assert_eq!(total(&s, ""), before_events);
    let (_, arts) = s.get("/api/articles?limit=1000");
    assert_eq!(arts["articles"].as_array().unwrap().len(), before_articles);
    let (st, _) = s.get("/api/events/".to_string().as_str());
    assert!(st == 404 || st == 200);
    let (st, _) = s.get("/api/dyads");
    assert_eq!(st, 200);
}

#[test]
fn odd_input_never_breaks_the_server() {
    let s = TestServer::fixture(|c| c.token = Some(TOKEN.into()));
    for path in [
        "/api/events?cameo=%ZZ",
        "/api/events?%00=1",
        "/api/events?admin1=%F0%9F%92%A5",
        "/api/events?admin1=%FF%FE",
        "/api/events?bbox=1e999,0,1,1",
        "/api/events?limit=-1",
        "/api/events?limit=18446744073709551616",
        "/api/counts?group_by=,,,",
        "/api/events/%F0%9F%92%A5",
        "/api/events/..%2F..%2Fetc%2Fpasswd",
        "/vendor/..%2F..%2FCargo.toml",
    ] {
        let (st, body) = s.get_text(path);
        assert!((200..500).contains(&st), "{path}: {st} {body}");
    }
    let long = format!("/api/events?admin1={}", "a".repeat(5000));
    let (st, _) = s.get_text(&long);
    assert_eq!(st, 400);
    // Invalid UTF-8 and NUL bytes in an ingest body are rejected lines, not a crash.
    let res = agent()
        .post(&s.url("/api/ingest"))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .send_bytes(b"\xff\xfe\x00garbage\n{\"id\":\"\",\"text\":\"x\"}\n");
    let (st, body) = respond(res);
    assert_eq!(st, 400, "{body}");
    let (st, _) = s.get("/api/health");
    assert_eq!(st, 200);
}

#[test]
fn watched_folder_streams_new_events() {
    let watch = tempfile::tempdir().unwrap();
    let wpath = watch.path().to_path_buf();
    let s = TestServer::fixture(|c| {
        c.watch = Some(wpath);
        c.watch_interval = Duration::from_millis(100);
    });
    let before = total(&s, "");
    let res = ureq::AgentBuilder::new()
        .timeout_read(Duration::from_secs(20))
        .build()
        .get(&s.url("/api/stream"))
        .call()
        .unwrap();
    let mut lines = BufReader::new(res.into_reader()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "event: ready");

    // Written under another name, then renamed in: the watcher sees a whole file.
    let tmp = watch.path().join("incoming.part");
    std::fs::write(
        &tmp,
        concat!(
            r#"{"id": "live-1", "date": "2024-04-02", "source": "Dyad Wire", "text": "Russian forces shelled Kharkiv on Tuesday, killing two civilians."}"#,
            "\n"
        ),
    )
    .unwrap();
    std::fs::rename(&tmp, watch.path().join("incoming.jsonl")).unwrap();

    let start = Instant::now();
    let mut data = None;
    while start.elapsed() < Duration::from_secs(20) {
        let line = lines.next().expect("stream open").expect("read");
        if line == "event: events" {
            let d = lines.next().unwrap().unwrap();
            data = Some(d.strip_prefix("data: ").unwrap().to_string());
            break;
        }
    }
    let batch: Value = serde_json::from_str(&data.expect("an events message")).unwrap();
    assert!(batch["file"].as_str().unwrap().ends_with("incoming.jsonl"));
    let events = batch["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["article_id"] == "live-1"));
    assert!(total(&s, "") > before);
}
