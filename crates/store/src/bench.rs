//! The store benchmark's workload: synthetic coded articles, and the timings of ingest and of
//! the queries analysts run most. `scripts/bench-store.sh` runs it; BENCHMARKS.md has figures.

use std::time::Instant;

use dyad_model::{schemes, Article, DatePrecision, Event, EventActor, Evidence, Location, Trigger};
use serde::Serialize;

use crate::{EventFilter, GroupKey, Result, Store};

const COUNTRIES: [&str; 40] = [
    "IRQ", "SYR", "USA", "ISR", "PSE", "LBN", "IRN", "YEM", "SAU", "JOR", "TUR", "EGY", "LBY",
    "SDN", "SSD", "ETH", "SOM", "KEN", "NGA", "MLI", "BFA", "NER", "TCD", "CMR", "COD", "CAF",
    "MOZ", "UKR", "RUS", "AFG", "PAK", "IND", "MMR", "PHL", "CHN", "COL", "MEX", "VEN", "HTI",
    "FRA",
];
const SECTORS: [&str; 8] = ["GOV", "MIL", "REB", "COP", "CVL", "OPP", "BUS", "MED"];
const CODES: [&str; 20] = [
    "010", "020", "036", "042", "051", "057", "061", "070", "111", "112", "120", "130", "141",
    "172", "173", "180", "190", "193", "195", "1952",
];

/// A small deterministic generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Synthetic coded articles `first..first + n`, four events each, over three years of
/// dates, 40 countries and 20 CAMEO codes. About one event in ten repeats another article's
/// (same actors, code, day and place), so merging is exercised.
pub fn synthetic(first: u64, n: u64) -> Vec<(Article, Vec<Event>)> {
    let base = crate::merge::parse_date("2022-01-01").unwrap_or(0);
    let mut out = Vec::with_capacity(n as usize);
    for i in first..first + n {
        let mut rng = Rng(i.wrapping_mul(0x2545F4914F6CDD1D) ^ 0x5DEECE66D);
        let day = base + rng.below(1096) as i64;
        let date = crate::merge::format_day(day);
        let article = Article {
            id: format!("syn-{i}"),
            text: format!("Synthetic article {i}."),
            date: Some(date.clone()),
            source: Some(format!("source-{}", rng.below(50))),
            url: Some(format!("https://example.org/{i}")),
            title: Some(format!("Article {i}")),
            language: None,
        };
        let mut events = Vec::with_capacity(4);
        for s in 0..4u32 {
            // One event in ten is a report of a "popular" event: drawn from a small pool.
            let mut r = if rng.below(10) == 0 {
                Rng(rng.below(20_000))
            } else {
                Rng(rng.next())
            };
            let day = if r.0 < 20_000 {
                base + r.below(1096) as i64
            } else {
                day
            };
            let c1 = COUNTRIES[r.below(40) as usize];
            let c2 = COUNTRIES[r.below(40) as usize];
            let s1 = SECTORS[r.below(8) as usize];
            let s2 = SECTORS[r.below(8) as usize];
            let code = CODES[r.below(20) as usize];
            let place_country = if r.below(2) == 0 { c1 } else { c2 };
            let gid = 1000 + r.below(5000);
            let lat = (gid % 120) as f64 - 50.0;
            let lon = (gid % 330) as f64 - 160.0;
            let (cameo, plover, acled) = schemes(code, None, Some(s1), Some(s2));
            let actor = |c: &str, s: &str| EventActor {
                text: format!("{c} {s}"),
                code: format!("{c}{s}"),
                country: Some(c.to_string()),
                sector: Some(s.to_string()),
                name: format!("{c} {s}"),
            };
            let sentence = s + 1;
            let src = format!("{c1}{s1}");
            let tgt = format!("{c2}{s2}");
            let text =
                format!("The {c1} {s1} acted ({code}) against the {c2} {s2} in place {gid}.");
            events.push(Event {
                event_id: Event::compute_id(
                    &article.id,
                    sentence,
                    (4, 9),
                    code,
                    Some(&src),
                    Some(&tgt),
                ),
                article_id: article.id.clone(),
                sentence,
                date: Some(crate::merge::format_day(day)),
                date_precision: Some(DatePrecision::Day),
                source: Some(actor(c1, s1)),
                target: Some(actor(c2, s2)),
                cameo,
                plover,
                acled,
                location: Some(Location {
                    name: format!("place {gid}"),
                    country: Some(place_country.to_string()),
                    admin1: Some(format!("{place_country}-{}", gid % 12)),
                    lat: Some(lat),
                    lon: Some(lon),
                    geonames_id: Some(gid),
                    precision: "city".into(),
                    near: false,
                }),
                fatalities: (code.starts_with("19") && r.below(3) == 0).then(|| r.below(5) as u32),
                quantities: vec![],
                evidence: Evidence {
                    text,
                    trigger: Trigger {
                        text: "acted".into(),
                        start: 4,
                        end: 9,
                    },
                    source_span: None,
                    target_span: None,
                    rule: "synthetic".into(),
                },
            });
        }
        out.push((article, events));
    }
    out
}

/// This process's CPU time (user + system) in seconds, from `/proc/self/stat` (Linux; None
/// elsewhere). Includes the database library's work, which runs on this thread.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    // Clock ticks: 100 a second on every Linux configuration in use.
    Some((utime + stime) / 100.0)
}

/// What [`run`] measured.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    pub backend: String,
    pub articles: u64,
    pub mentions: u64,
    pub events: u64,
    pub ingest_seconds: f64,
    pub mentions_per_second: f64,
    /// CPU time (user + system) of the ingest, generation excluded: on a machine shared with
    /// other work, `mentions / ingest_cpu_seconds` is the rate one core gives.
    pub ingest_cpu_seconds: Option<f64>,
    pub mentions_per_cpu_second: Option<f64>,
    /// Weekly counts by country over every event, best of three.
    pub weekly_by_country_seconds: f64,
    pub weekly_by_country_rows: usize,
    /// The same over one year and one root (a filtered analyst query), best of three.
    pub filtered_weekly_seconds: f64,
    pub bytes: Option<u64>,
    pub bytes_per_million_mentions: Option<f64>,
}

/// Ingest `articles` synthetic articles (four events each) in batches of `batch`, then time
/// the queries. `progress` is called after each batch with the articles done.
pub fn run(
    store: &mut dyn Store,
    articles: u64,
    batch: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<BenchReport> {
    let t0 = Instant::now();
    let cpu0 = cpu_seconds();
    let mut gen_secs = 0.0;
    let mut gen_cpu = 0.0;
    let mut done = 0;
    while done < articles {
        let n = batch.min(articles - done);
        let g = Instant::now();
        let gc = cpu_seconds();
        let b = synthetic(done, n);
        gen_secs += g.elapsed().as_secs_f64();
        if let (Some(a), Some(b)) = (gc, cpu_seconds()) {
            gen_cpu += b - a;
        }
        store.ingest(&b)?;
        done += n;
        progress(done);
    }
    // Generating the workload is not the store's time.
    let ingest_seconds = t0.elapsed().as_secs_f64() - gen_secs;
    let ingest_cpu_seconds = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) => Some(b - a - gen_cpu),
        _ => None,
    };
    let stats = store.stats()?;
    let time = |store: &mut dyn Store, f: &EventFilter| -> Result<(f64, usize)> {
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..3 {
            let t = Instant::now();
            rows = store.count(f, &[GroupKey::Week, GroupKey::Country])?.len();
            best = best.min(t.elapsed().as_secs_f64());
        }
        Ok((best, rows))
    };
    let (weekly, rows) = time(store, &EventFilter::default())?;
    let (filtered, _) = time(
        store,
        &EventFilter {
            date_from: Some("2023-01-01".into()),
            date_to: Some("2023-12-31".into()),
            cameo: Some("19".into()),
            ..EventFilter::default()
        },
    )?;
    Ok(BenchReport {
        backend: store.backend().to_string(),
        articles,
        mentions: stats.mentions,
        events: stats.events,
        ingest_seconds,
        mentions_per_second: stats.mentions as f64 / ingest_seconds.max(1e-9),
        ingest_cpu_seconds,
        mentions_per_cpu_second: ingest_cpu_seconds.map(|c| stats.mentions as f64 / c.max(1e-9)),
        weekly_by_country_seconds: weekly,
        weekly_by_country_rows: rows,
        filtered_weekly_seconds: filtered,
        bytes: None,
        bytes_per_million_mentions: None,
    })
}

/// What [`query_at_scale`] measured.
#[derive(Clone, Debug, Serialize)]
pub struct ScaleReport {
    pub events: u64,
    pub daily_count_rows: u64,
    pub fill_seconds: f64,
    pub weekly_by_country_seconds: f64,
    pub weekly_by_country_rows: usize,
    pub filtered_weekly_seconds: f64,
}

/// The weekly count by country as it runs over the events of `articles` synthetic articles
/// (four events each), without ingesting them one by one: the synthetic events are
/// aggregated in memory into the `daily_counts` rows ingest would have written (every event
/// its own, as if none merged), which are bulk-loaded into a fresh SQLite store at `path`,
/// and the query is timed through [`Store::count`].
pub fn query_at_scale(path: &str, articles: u64) -> Result<ScaleReport> {
    use std::collections::HashMap;
    let t0 = Instant::now();
    type Key = (i64, String, i64, String, String, i64, String);
    let mut cells: HashMap<Key, (i64, i64, f64)> = HashMap::new();
    let mut events = 0;
    let mut done = 0;
    while done < articles {
        let n = 10_000.min(articles - done);
        for (_, evs) in synthetic(done, n) {
            for e in evs {
                events += 1;
                let day = e.date.as_deref().and_then(crate::merge::parse_date);
                let key = (
                    day.map_or(-999_999_999, crate::merge::week_start),
                    e.location
                        .as_ref()
                        .and_then(|l| l.country.clone())
                        .unwrap_or_default(),
                    day.unwrap_or(-999_999_999),
                    e.cameo.root.clone(),
                    e.plover.event_type.clone().unwrap_or_default(),
                    e.cameo.quad_class as i64,
                    day.map_or(String::new(), |d| {
                        crate::merge::format_day(d)[..7].to_string()
                    }),
                );
                let c = cells.entry(key).or_insert((0, 0, 0.0));
                c.0 += 1;
                c.1 += e.fatalities.unwrap_or(0) as i64;
                c.2 += e.cameo.goldstein;
            }
        }
        done += n;
    }
    drop(crate::open(path)?);
    {
        let mut conn = rusqlite::Connection::open(path)?;
        let tx = conn.transaction()?;
        {
            let mut st = tx.prepare(
                "INSERT INTO daily_counts (week, country, day, root, plover_type, quad_class, \
                 month, n, fatalities, goldstein_sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?;
            for (k, v) in &cells {
                st.execute(rusqlite::params![
                    k.0, k.1, k.2, k.3, k.4, k.5, k.6, v.0, v.1, v.2
                ])?;
            }
        }
        tx.commit()?;
    }
    let fill_seconds = t0.elapsed().as_secs_f64();
    let mut store = crate::open(path)?;
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..3 {
        let t = Instant::now();
        rows = store
            .count(
                &EventFilter::default(),
                &[GroupKey::Week, GroupKey::Country],
            )?
            .len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let filter = EventFilter {
        date_from: Some("2023-01-01".into()),
        date_to: Some("2023-12-31".into()),
        cameo: Some("19".into()),
        ..EventFilter::default()
    };
    let mut filtered = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        store.count(&filter, &[GroupKey::Week, GroupKey::Country])?;
        filtered = filtered.min(t.elapsed().as_secs_f64());
    }
    Ok(ScaleReport {
        events,
        daily_count_rows: cells.len() as u64,
        fill_seconds,
        weekly_by_country_seconds: best,
        weekly_by_country_rows: rows,
        filtered_weekly_seconds: filtered,
    })
}

/// What [`sqlite_floor`] measured.
#[derive(Clone, Debug, Serialize)]
pub struct FloorReport {
    pub events: u64,
    pub cpu_seconds: Option<f64>,
    pub seconds: f64,
    pub events_per_second: f64,
    pub events_per_cpu_second: Option<f64>,
}

/// Which floor [`sqlite_floor`] measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Floor {
    /// One row an event, the contract JSON and nothing else, in a table with no index.
    Bare,
    /// The rows and indexes that the store's features cannot do without, and nothing else
    /// (see [`sqlite_floor`]).
    Indexed,
}

/// The tables of [`Floor::Indexed`]: a mention row (key, article, blocking hash, day, JSON)
/// with the three indexes that finding a mention by id, replacing an article and finding
/// merge candidates need; an event row far narrower than the store's, with the two indexes
/// that listing by day and filtering by country need.
const INDEXED_FLOOR_DDL: &str = "
    CREATE TABLE IF NOT EXISTS floor_mentions (key INTEGER NOT NULL, article_id TEXT NOT NULL,
        match_hash INTEGER NOT NULL, day_lo INTEGER, json TEXT NOT NULL);
    CREATE UNIQUE INDEX IF NOT EXISTS floor_mentions_key ON floor_mentions (key);
    CREATE INDEX IF NOT EXISTS floor_mentions_article ON floor_mentions (article_id);
    CREATE INDEX IF NOT EXISTS floor_mentions_match ON floor_mentions (match_hash, day_lo);
    CREATE TABLE IF NOT EXISTS floor_events (key INTEGER NOT NULL, day INTEGER, country TEXT,
        cameo_code TEXT NOT NULL, source_code TEXT, target_code TEXT, goldstein REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS floor_events_day ON floor_events (day, key);
    CREATE INDEX IF NOT EXISTS floor_events_country_day ON floor_events (country, day);";

/// The floor under SQLite ingest on this machine: the synthetic events of `articles` articles
/// written in transactions of `batch` articles, through prepared statements, with the store's
/// pragmas.
/// - [`Floor::Bare`]: one row an event, the contract JSON built in the timed loop, in a table
///   with no index: what any store that keeps each event's JSON must at least pay.
/// - [`Floor::Indexed`]: the mention and event rows of [`INDEXED_FLOOR_DDL`], with the
///   ingesting connection's page cache; each event's JSON, key, blocking hash and day are
///   made before the clock starts (the store builds the JSON on a second thread). No
///   look-up, no merging, no daily counts, no article rows: what a store with the indexes
///   that dedup, replacement and queries need must at least pay.
pub fn sqlite_floor(path: &str, articles: u64, batch: u64, floor: Floor) -> Result<FloorReport> {
    let conn = rusqlite::Connection::open(path)?;
    crate::sqlite::configure(&conn)?;
    if floor == Floor::Indexed {
        conn.pragma_update(None, "cache_size", -crate::sqlite::INGEST_CACHE_KIB)?;
        conn.execute_batch(INDEXED_FLOOR_DDL)?;
    } else {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS floor (id TEXT NOT NULL, json TEXT NOT NULL)",
        )?;
    }
    let mut seconds = 0.0;
    let mut cpu = Some(0.0);
    let mut events = 0;
    let mut done = 0;
    while done < articles {
        let n = batch.min(articles - done);
        let b = synthetic(done, n);
        // For the indexed floor: each event's JSON, key, blocking hash and day.
        let mut prepared = Vec::new();
        if floor == Floor::Indexed {
            for (_, evs) in &b {
                for e in evs {
                    let mkey = crate::merge::MatchKey::of(e);
                    prepared.push((
                        serde_json::to_string(e)?,
                        crate::engine::id_key(&e.event_id),
                        crate::engine::match_hash(&mkey.key),
                        mkey.days.map(|d| d.0),
                    ));
                }
            }
        }
        let (t, c0) = (Instant::now(), cpu_seconds());
        conn.execute_batch("BEGIN")?;
        match floor {
            Floor::Bare => {
                let mut st = conn.prepare_cached("INSERT INTO floor (id, json) VALUES (?1, ?2)")?;
                for (_, evs) in &b {
                    for e in evs {
                        let json = serde_json::to_string(e)?;
                        st.execute(rusqlite::params![e.event_id, json])?;
                        events += 1;
                    }
                }
            }
            Floor::Indexed => {
                let mut mention = conn.prepare_cached(
                    "INSERT INTO floor_mentions (key, article_id, match_hash, day_lo, json) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                let mut event = conn.prepare_cached(
                    "INSERT INTO floor_events (key, day, country, cameo_code, source_code, \
                     target_code, goldstein) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                let mut prepared = prepared.iter();
                for (a, evs) in &b {
                    for e in evs {
                        let Some((json, key, hash, day)) = prepared.next() else {
                            break;
                        };
                        mention.execute(rusqlite::params![key, a.id, hash, day, json])?;
                        event.execute(rusqlite::params![
                            key,
                            day,
                            e.location.as_ref().and_then(|l| l.country.as_deref()),
                            e.cameo.code,
                            e.source.as_ref().map(|s| s.code.as_str()),
                            e.target.as_ref().map(|s| s.code.as_str()),
                            e.cameo.goldstein,
                        ])?;
                        events += 1;
                    }
                }
            }
        }
        conn.execute_batch("COMMIT")?;
        seconds += t.elapsed().as_secs_f64();
        cpu = match (cpu, c0, cpu_seconds()) {
            (Some(sum), Some(a), Some(b)) => Some(sum + b - a),
            _ => None,
        };
        done += n;
    }
    Ok(FloorReport {
        events,
        cpu_seconds: cpu,
        seconds,
        events_per_second: events as f64 / seconds.max(1e-9),
        events_per_cpu_second: cpu.map(|c| events as f64 / c.max(1e-9)),
    })
}
