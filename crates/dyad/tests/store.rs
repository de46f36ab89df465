//! End-to-end tests of the event store through the `dyad` binary and the real coder, on
//! every backend (SQLite, and a real throwaway PostgreSQL server when one can be started).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dyad_store::EventFilter;
use serde_json::Value;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/store")
        .join(name)
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "dyad failed ({}): {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn ingest(db: &str, file: &Path) -> Output {
    ok(dyad()
        .args(["ingest", "--quiet", "--db", db])
        .arg(file)
        .output()
        .unwrap())
}

/// Everything a store holds, in a stable order.
fn dump(db: &str) -> String {
    let mut s = dyad_store::open(db).unwrap();
    let mut out = format!("{:?}\n", s.stats().unwrap());
    let mut ids = Vec::new();
    s.export(&EventFilter::default(), &mut |e| {
        ids.push(e.event.event_id.clone());
        Ok(())
    })
    .unwrap();
    for id in ids {
        out.push_str(&serde_json::to_string(&s.event(&id).unwrap().unwrap()).unwrap());
        out.push('\n');
    }
    out
}

#[test]
fn three_reports_of_one_strike_make_one_event() {
    let dir = tempfile::tempdir().unwrap();
    for db in dyad_store::testing::backends(dir.path()) {
        ingest(&db, &testdata("strikes.jsonl"));
        let mut s = dyad_store::open(&db).unwrap();
        let filter = EventFilter {
            source: Some("USAMIL".into()),
            target: Some("IRQREB".into()),
            cameo: Some("19".into()),
            ..EventFilter::default()
        };
        let page = s.query_events(&filter, &Default::default()).unwrap();
        let got: Vec<(String, String, u32, u32)> = page
            .events
            .iter()
            .map(|e| {
                (
                    e.event.date.clone().unwrap(),
                    e.event.location.as_ref().unwrap().name.clone(),
                    e.num_mentions,
                    e.num_sources,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("2024-01-05".into(), "Basrah".into(), 1, 1),
                ("2024-01-04".into(), "Baghdad".into(), 3, 3),
            ],
            "{}",
            s.backend()
        );
        let baghdad = &page.events[1];
        let d = s.event(&baghdad.event.event_id).unwrap().unwrap();
        let mut articles: Vec<&str> = d.mentions.iter().map(|m| m.article_id.as_str()).collect();
        articles.sort();
        assert_eq!(articles, ["s1", "s2", "s3"]);
        assert!(d
            .mentions
            .iter()
            .filter_map(|m| m.reason.as_deref())
            .all(|r| r.contains("same CAMEO root 19")));
        // --explain shows the mentions and why.
        let o = ok(dyad()
            .args(["query", "--db", &db, "--format", "csv", "--explain"])
            .arg(&baghdad.event.event_id)
            .output()
            .unwrap());
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("3 mentions, 3 sources, 3 articles"), "{text}");
        assert!(
            text.contains("same place") || text.contains("km apart"),
            "{text}"
        );
        // Ingesting again adds nothing.
        let before = dump(&db);
        ingest(&db, &testdata("strikes.jsonl"));
        assert_eq!(dump(&db), before);
    }
}

#[test]
fn query_reproduces_a_tally_of_attacks_on_us_forces() {
    let dir = tempfile::tempdir().unwrap();
    for db in dyad_store::testing::backends(dir.path()) {
        ingest(&db, &testdata("tally.jsonl"));
        // Attacks (CAMEO 19) on US forces from October 17 to January 11, per country.
        let o = ok(dyad()
            .args([
                "query",
                "--db",
                &db,
                "--target",
                "USA",
                "--cameo",
                "19",
                "--from",
                "2023-10-17",
                "--to",
                "2024-01-11",
                "--group-by",
                "country",
                "--format",
                "json",
            ])
            .output()
            .unwrap());
        let rows: Value = serde_json::from_slice(&o.stdout).unwrap();
        let got: Vec<(String, u64)> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["country"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect();
        // Iraq: Ain al-Asad on the 17th (two reports, one event), Erbil, Ain al-Asad again;
        // Syria: al-Tanf, al-Shaddadi. Tower 22 (January 28) and Erbil in September are out
        // of range.
        assert_eq!(got, vec![("IRQ".into(), 3), ("SYR".into(), 2)], "{db}");
        // The same as a table and as CSV.
        let o = ok(dyad()
            .args(["query", "--db", &db, "--target", "USA", "--cameo", "19"])
            .args(["--group-by", "week,country", "--format", "csv"])
            .output()
            .unwrap());
        let csv = String::from_utf8(o.stdout).unwrap();
        assert!(
            csv.starts_with("week,country,count,fatalities,goldstein_mean\n"),
            "{csv}"
        );
        assert!(
            csv.contains("2023-10-16,IRQ,1,0,-10.00") || csv.contains("2023-10-16,IRQ,1,0,-10"),
            "{csv}"
        );
        let o = ok(dyad()
            .args(["query", "--db", &db, "--count", "--format", "table"])
            .output()
            .unwrap());
        assert!(String::from_utf8_lossy(&o.stdout).contains("count"));
    }
}

#[test]
fn exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").to_string_lossy().to_string();
    ingest(&db, &testdata("strikes.jsonl"));
    let export = |format: &str| -> String {
        let o = ok(dyad()
            .args(["export", "--db", &db, "--format", format])
            .output()
            .unwrap());
        String::from_utf8(o.stdout).unwrap()
    };
    let jsonl = export("jsonl");
    let events: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), dump(&db).lines().count() - 1);
    assert!(events.iter().any(|e| e["num_mentions"] == 3));
    for e in &events {
        for key in [
            "event_id",
            "article_id",
            "sentence",
            "cameo",
            "plover",
            "evidence",
        ] {
            assert!(e.get(key).is_some(), "{key} in {e}");
        }
    }
    let gdelt = export("gdelt");
    assert_eq!(gdelt.lines().count(), events.len());
    for l in gdelt.lines() {
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 61, "{l}");
        assert_eq!(cols[1].len(), 8, "Day is YYYYMMDD: {l}");
        assert!(
            cols[59].len() == 14 && cols[59].bytes().all(|b| b.is_ascii_digit()),
            "DATEADDED is YYYYMMDDHHMMSS: {l}"
        );
        assert!(
            cols[60].starts_with("https://example.org/s"),
            "SOURCEURL: {l}"
        );
    }
    let acled = export("acled");
    assert!(acled.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type"));
    assert!(acled.contains("Explosions/Remote violence") || acled.contains("Battles"));
    for l in acled.lines().skip(1) {
        // Unquoted notes hold no comma here, so the last columns can be read by splitting.
        let cols: Vec<&str> = l.rsplitn(7, ',').collect();
        assert!(cols[0].parse::<i64>().is_ok(), "timestamp: {l}");
        assert!(
            [",AFP,", ",Reuters,", ",AP,"].iter().any(|s| l.contains(s)),
            "source: {l}"
        );
    }
    // Parquet: month partitions that read back as the same events.
    let pq = dir.path().join("pq");
    let o = ok(dyad()
        .args(["export", "--db", &db, "--format", "parquet", "-o"])
        .arg(&pq)
        .output()
        .unwrap());
    assert!(String::from_utf8_lossy(&o.stderr).contains("month partition"));
    let mut ids = Vec::new();
    for part in std::fs::read_dir(&pq).unwrap() {
        let part = part.unwrap().path();
        let name = part.file_name().unwrap().to_string_lossy().to_string();
        let month = name
            .strip_prefix("month=")
            .expect("hive partition directory");
        let file = std::fs::File::open(part.join("part-0.parquet")).unwrap();
        use parquet::file::reader::FileReader;
        use parquet::record::RowAccessor;
        let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let col = |n: &str| {
            (0..schema.num_columns())
                .find(|&i| schema.column(i).name() == n)
                .unwrap()
        };
        let (id_col, code_col, url_col) = (col("event_id"), col("cameo_code"), col("source_url"));
        for row in reader.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            let id = row.get_string(id_col).unwrap().clone();
            let event = events
                .iter()
                .find(|e| e["event_id"] == id.as_str())
                .unwrap();
            assert_eq!(
                event["cameo"]["code"],
                row.get_string(code_col).unwrap().as_str()
            );
            assert_eq!(
                &event["date"].as_str().unwrap()[..7],
                month,
                "{id} in its month"
            );
            assert!(row
                .get_string(url_col)
                .unwrap()
                .starts_with("https://example.org/s"));
            ids.push(id);
        }
    }
    ids.sort();
    let mut want: Vec<String> = events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert_eq!(ids, want, "every event once");
    // A second export into the same, now non-empty, directory is refused.
    let o = dyad()
        .args(["export", "--db", &db, "--format", "parquet", "-o"])
        .arg(&pq)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"));
    let plover = export("plover");
    let first: Value = serde_json::from_str(plover.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "ASSAULT");
    // A filter that matches nothing exports nothing; a bad one is a usage error.
    let o = ok(dyad()
        .args(["export", "--db", &db, "--country", "FRA"])
        .output()
        .unwrap());
    assert!(o.stdout.is_empty());
    let o = dyad()
        .args(["query", "--db", &db, "--from", "last week"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("date_from"));
    let o = dyad()
        .args(["query", "--db", &db, "--group-by", "weekday"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = dyad()
        .args([
            "query",
            "--db",
            &dir.path().join("none.db").to_string_lossy(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such store"));
}

#[test]
fn code_with_db_stores_and_still_writes_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").to_string_lossy().to_string();
    let out = dir.path().join("events.jsonl");
    let bad = dir.path().join("in.jsonl");
    let mut input = std::fs::read_to_string(testdata("strikes.jsonl")).unwrap();
    input.push_str("{not json\n");
    std::fs::write(&bad, input).unwrap();
    let o = dyad()
        .args(["code", "--db", &db, "-o"])
        .arg(&out)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let lines = std::fs::read_to_string(&out).unwrap().lines().count();
    let mut s = dyad_store::open(&db).unwrap();
    let st = s.stats().unwrap();
    assert_eq!(st.mentions as usize, lines);
    assert_eq!((st.articles, st.rejects), (4, 1));
}

/// A tiny deterministic generator, so the kill points differ from run to run of the loop but
/// a failure can be replayed from its seed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// A corpus of many small articles built from the fixtures, with repeated reports.
fn kill_corpus(path: &Path, n: usize) {
    let mut lines = Vec::new();
    let fixtures: Vec<Value> = ["strikes.jsonl", "tally.jsonl"]
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(testdata(f))
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    for i in 0..n {
        let mut a = fixtures[i % fixtures.len()].clone();
        a["id"] = Value::from(format!("k{i}"));
        // Twelve days of news, so some reports merge and most do not.
        let day = 1 + (i / fixtures.len()) % 12;
        a["date"] = Value::from(format!("2024-02-{day:02}"));
        lines.push(a.to_string());
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn killed_ingest_rerun_equals_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    kill_corpus(&corpus, 600);
    let clean_dir = tempfile::tempdir().unwrap();
    let cleans = dyad_store::testing::backends(clean_dir.path());
    let killeds = dyad_store::testing::backends(dir.path());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    // Small transactions, so that a killed run stops between many commits.
    let ingest = |db: &str| {
        let mut c = dyad();
        c.args([
            "ingest",
            "--quiet",
            "--batch-articles",
            "20",
            "--db-batch-articles",
            "20",
            "--db",
            db,
        ])
        .arg(&corpus);
        c
    };
    for (clean, killed) in cleans.iter().zip(&killeds) {
        let t0 = Instant::now();
        ok(ingest(clean).output().unwrap());
        let full = t0.elapsed();
        let mut kills = 0;
        for _ in 0..4 {
            let mut child = ingest(killed)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            // Somewhere in the run, past the dictionary load most of the time.
            let ms = (full.as_millis() as u64 * 9 / 10).max(20);
            let wait = Duration::from_millis(rng.next() % ms);
            std::thread::sleep(wait);
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap(); // SIGKILL
                kills += 1;
            }
            child.wait().unwrap();
        }
        ok(ingest(killed).output().unwrap());
        assert_eq!(
            dump(killed),
            dump(clean),
            "store killed {kills} times then rerun differs from a clean run (seed {seed})"
        );
        eprintln!("{killed}: killed {kills} times, same as a clean run");
    }
}
