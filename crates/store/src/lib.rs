//! dyad's event store: the only crate that knows SQL.
//!
//! - [`open`] gives a [`Store`]: SQLite for a file path (the default; WAL mode, migrations
//!   applied) or PostgreSQL for a `postgres://` / `postgresql://` URL.
//! - [`Store::ingest`] stores coded articles, idempotently: an article is keyed by its id and
//!   the hash of its text, so the same input again adds nothing, and a changed article replaces
//!   its old events. One transaction per batch, so a run killed at any point and run again
//!   leaves the store as one clean run would.
//! - Reports of one event from different articles merge into one stored event (its
//!   *mentions*); the rule is [`MergeRule`], defined once in [`merge`].
//! - [`Store::query_events`], [`Store::count`], [`Store::dyads`], [`Store::event`],
//!   [`Store::articles`], [`Store::actors`] and [`Store::export`] read it back, all through an
//!   [`EventFilter`]. Every value of a filter reaches SQL as a bound parameter, never as text
//!   spliced into a statement.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let db = dir.path().join("events.db");
//! let mut store = dyad_store::open(db.to_str().unwrap()).unwrap();
//! let stats = store.ingest(&[]).unwrap();
//! assert_eq!(stats.articles_added, 0);
//! let rows = store
//!     .count(&dyad_store::EventFilter::default(), &[dyad_store::GroupKey::Month])
//!     .unwrap();
//! assert!(rows.is_empty());
//! ```

use std::fmt;
use std::str::FromStr;

use dyad_model::{Article, Event, Evidence};
use serde::{Deserialize, Serialize};

pub mod bench;
mod engine;
pub mod merge;
mod packed;
mod pg;
mod sql;
mod sqlite;
pub mod testing;

pub use merge::MergeRule;

/// How many coded articles a caller should hand to [`Store::ingest`] at once, at most.
///
/// A commit writes every index page its transaction touched, and the indexes on random keys
/// (mention keys, merge keys, days) have a page touched by nearly every insert: once a store
/// holds a million events, a commit of 8,000 events wrote about 110 MB of index pages, and
/// ingesting those million wrote 14.9 GB (WAL and checkpoints; the file is 1.5 GB). Larger
/// transactions write each page once for more events: in batches of 16,384 articles (65,536
/// events) the same ingest wrote 6.3 GB and ran 1.2–1.5 times as fast (`bench-store DB 250000
/// BATCH`, BENCHMARKS.md). See also [`INGEST_BATCH_EVENTS`].
pub const INGEST_BATCH_ARTICLES: usize = 16_384;

/// How many events a caller should hand to [`Store::ingest`] at once, at most: gather coded
/// articles until either this or [`INGEST_BATCH_ARTICLES`] is reached. A transaction this
/// large fits in the SQLite page cache of a connection that ingests (512 MiB), so its dirty
/// pages are written at the commit only.
pub const INGEST_BATCH_EVENTS: usize = 65_536;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgresql: {0}")]
    Postgres(String),
    #[error("cannot open store {target}: {message}")]
    Open { target: String, message: String },
    #[error("invalid {what}: {value:?} ({message})")]
    Invalid {
        what: &'static str,
        value: String,
        message: String,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// An error raised by an [`Store::export`] sink, passed through.
    #[error("{0}")]
    Sink(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Open a store: `postgres://...` or `postgresql://...` is a PostgreSQL server, anything else
/// a SQLite file path (created if missing). The schema is migrated to the current version.
pub fn open(url_or_path: &str) -> Result<Box<dyn Store>> {
    open_with(url_or_path, MergeRule::default())
}

/// [`open`] with a merge rule other than the default.
pub fn open_with(url_or_path: &str, rule: MergeRule) -> Result<Box<dyn Store>> {
    if is_postgres_url(url_or_path) {
        let conn = pg::PgConn::open(url_or_path)?;
        Ok(Box::new(engine::Engine::new(conn, rule)?))
    } else {
        let conn = sqlite::SqliteConn::open(url_or_path)?;
        Ok(Box::new(engine::Engine::new(conn, rule)?))
    }
}

/// Does this `--db` value name a PostgreSQL server?
pub fn is_postgres_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// The store: one interface, two backends. Methods are synchronous; share a store between
/// threads behind a mutex.
pub trait Store: Send {
    /// `"sqlite"` or `"postgresql"`.
    fn backend(&self) -> &'static str;

    /// Store a batch of coded articles in one transaction. An article already stored with the
    /// same text hash is skipped; one stored with another hash has its events replaced.
    fn ingest(&mut self, batch: &[(Article, Vec<Event>)]) -> Result<IngestStats>;

    /// Record rejected input records (idempotent: the same file, line and bytes again add
    /// nothing). Returns how many were new.
    fn add_rejects(&mut self, rejects: &[RejectRecord]) -> Result<u64>;

    /// One page of events, newest date first, then by id.
    fn query_events(&mut self, filter: &EventFilter, page: &Page) -> Result<EventPage>;

    /// Counts of the events that pass the filter, grouped by the keys (none: one total row).
    fn count(&mut self, filter: &EventFilter, group_by: &[GroupKey]) -> Result<Vec<CountRow>>;

    /// The source–target pairs with most events.
    fn dyads(&mut self, filter: &EventFilter, limit: usize) -> Result<Vec<DyadRow>>;

    /// One event with all its mentions and why they merged. `id` may be the event's or any
    /// of its mentions'.
    fn event(&mut self, id: &str) -> Result<Option<EventDetail>> {
        self.event_mentions(id, 0, None)
    }

    /// One event with one page of its mentions: those from `offset` on, at most `limit` (all
    /// with `None`), in the order [`Store::event`] gives them (the representative report
    /// first). A story printed by thousands of outlets is one event with thousands of
    /// mentions; a reader of the event pages through them. `next_mentions_offset` says where
    /// the next page starts.
    fn event_mentions(
        &mut self,
        id: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Option<EventDetail>>;

    /// One page of stored articles, by id.
    fn articles(&mut self, page: &Page) -> Result<ArticlePage>;

    /// The actors of the events that pass the filter, with most events first.
    fn actors(&mut self, filter: &EventFilter, limit: usize) -> Result<Vec<ActorRow>>;

    /// Every event that passes the filter, by date then id, to the sink. Returns how many.
    fn export(
        &mut self,
        filter: &EventFilter,
        sink: &mut dyn FnMut(&StoredEvent) -> Result<()>,
    ) -> Result<u64>;

    /// Row counts of the main tables.
    fn stats(&mut self) -> Result<StoreStats>;
}

/// What one [`Store::ingest`] call did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestStats {
    /// Articles new to the store.
    pub articles_added: u64,
    /// Articles stored before with another text: their old events were replaced.
    pub articles_replaced: u64,
    /// Articles stored before with the same text: nothing done.
    pub articles_unchanged: u64,
    /// Coded events (mentions) stored.
    pub mentions_added: u64,
    /// Mentions that joined an existing event rather than starting one.
    pub mentions_merged: u64,
}

/// A rejected input record, as the reader kept it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectRecord {
    pub file: String,
    pub line: u64,
    pub reason: String,
    /// The record's bytes, lossily decoded.
    pub record: String,
}

/// Which events a query looks at. Every field is optional; set fields are ANDed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventFilter {
    /// First event date, `YYYY-MM-DD`, inclusive.
    pub date_from: Option<String>,
    /// Last event date, `YYYY-MM-DD`, inclusive.
    pub date_to: Option<String>,
    /// CAMEO code or root prefix (`19`, `190`, `0874`).
    pub cameo: Option<String>,
    /// PLOVER type (`ASSAULT`), case-insensitive.
    pub plover_type: Option<String>,
    /// ACLED event type (`Battles`), case-insensitive.
    pub acled_type: Option<String>,
    /// QuadClass 1..=4.
    pub quad_class: Option<u8>,
    /// Source actor code prefix (`USA`, `USAMIL`).
    pub source: Option<String>,
    /// Target actor code prefix.
    pub target: Option<String>,
    /// Source actor country (ISO alpha-3).
    pub source_country: Option<String>,
    /// Target actor country (ISO alpha-3).
    pub target_country: Option<String>,
    /// Country of the event's place (ISO alpha-3).
    pub country: Option<String>,
    /// First-level division of the event's place, as the gazetteer names it.
    pub admin1: Option<String>,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// Only events with a mention in this article.
    pub article: Option<String>,
}

impl EventFilter {
    /// Check the values a user typed: dates, QuadClass, bounding box.
    pub fn validate(&self) -> Result<()> {
        for (what, d) in [("date_from", &self.date_from), ("date_to", &self.date_to)] {
            if let Some(d) = d {
                if merge::parse_date(d).is_none() {
                    return Err(StoreError::Invalid {
                        what,
                        value: d.clone(),
                        message: "expected YYYY-MM-DD".into(),
                    });
                }
            }
        }
        if let Some(q) = self.quad_class {
            if !(1..=4).contains(&q) {
                return Err(StoreError::Invalid {
                    what: "quad_class",
                    value: q.to_string(),
                    message: "expected 1 to 4".into(),
                });
            }
        }
        if let Some(b) = self.bbox {
            if b.iter().any(|x| !x.is_finite()) || b[0] > b[2] || b[1] > b[3] {
                return Err(StoreError::Invalid {
                    what: "bbox",
                    value: format!("{b:?}"),
                    message: "expected min_lon,min_lat,max_lon,max_lat".into(),
                });
            }
        }
        Ok(())
    }
}

/// Keyset pagination: at most `limit` rows after the cursor a previous page returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub limit: usize,
    pub cursor: Option<String>,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 100,
            cursor: None,
        }
    }
}

/// A stored event: the contract event of its cluster's representative mention, and GDELT's
/// counts. `event_id` is the cluster's id (its representative's event id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    #[serde(flatten)]
    pub event: Event,
    /// Coded reports of this event (GDELT NumMentions).
    pub num_mentions: u32,
    /// Distinct article sources (publishers) among them (GDELT NumSources).
    pub num_sources: u32,
    /// Distinct articles among them (GDELT NumArticles).
    pub num_articles: u32,
    /// The URL of the article of the event's representative report (GDELT SOURCEURL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// That article's source (publisher), as ACLED's `source` column gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_source: Option<String>,
    /// When this store first took that article in, in seconds since 1970 (GDELT DATEADDED,
    /// ACLED timestamp). Not serialized: it is a fact of this store, not of the event, and two
    /// stores of the same input must compare equal.
    #[serde(skip)]
    pub date_added: Option<i64>,
}

/// One page of events and the cursor of the next, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub events: Vec<StoredEvent>,
    pub next_cursor: Option<String>,
}

/// One report of an event: the coded event of one sentence of one article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The coded event's own id (`Event::event_id` as `dyad code` wrote it).
    pub mention_id: String,
    pub article_id: String,
    pub article_source: Option<String>,
    pub article_title: Option<String>,
    pub article_url: Option<String>,
    pub sentence: u32,
    pub date: Option<String>,
    pub location: Option<String>,
    pub evidence: Evidence,
    /// The mention of the event it was found to match, when it is not the first.
    pub merged_with: Option<String>,
    /// Why it matched that mention, in words.
    pub reason: Option<String>,
}

/// An event with its mentions: all of them, or one page ([`Store::event_mentions`]). The
/// event's `num_mentions` counts them all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub event: StoredEvent,
    pub mentions: Vec<Mention>,
    /// Where the next page of mentions starts: none when these are the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_mentions_offset: Option<u64>,
}

/// A key to group counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKey {
    /// Event date, `YYYY-MM-DD`.
    Day,
    /// The Monday of the event's ISO week, `YYYY-MM-DD`.
    Week,
    /// `YYYY-MM`.
    Month,
    /// Country of the event's place.
    Country,
    /// First-level division of the event's place.
    Admin1,
    /// `SOURCE>TARGET` actor codes.
    Dyad,
    /// CAMEO root.
    Root,
    /// PLOVER type.
    Type,
}

impl GroupKey {
    pub const ALL: [GroupKey; 8] = [
        GroupKey::Day,
        GroupKey::Week,
        GroupKey::Month,
        GroupKey::Country,
        GroupKey::Admin1,
        GroupKey::Dyad,
        GroupKey::Root,
        GroupKey::Type,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GroupKey::Day => "day",
            GroupKey::Week => "week",
            GroupKey::Month => "month",
            GroupKey::Country => "country",
            GroupKey::Admin1 => "admin1",
            GroupKey::Dyad => "dyad",
            GroupKey::Root => "root",
            GroupKey::Type => "type",
        }
    }

    /// Parse a comma-separated list (`week,country`).
    pub fn parse_list(s: &str) -> Result<Vec<GroupKey>> {
        s.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::parse)
            .collect()
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for GroupKey {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        GroupKey::ALL
            .into_iter()
            .find(|k| k.name() == lower)
            .ok_or_else(|| StoreError::Invalid {
                what: "group key",
                value: s.to_string(),
                message: "expected one of day, week, month, country, admin1, dyad, root, type"
                    .into(),
            })
    }
}

/// One group of [`Store::count`]: its key values (in the order asked, null where the events
/// have none), how many events, the sum of their fatalities and their mean Goldstein value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub keys: Vec<Option<String>>,
    pub count: u64,
    pub fatalities: u64,
    pub goldstein_mean: Option<f64>,
}

/// One source–target pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DyadRow {
    pub source: String,
    pub target: String,
    pub count: u64,
    /// Events of QuadClass 3 or 4.
    pub conflict: u64,
    pub fatalities: u64,
    pub goldstein_mean: Option<f64>,
}

/// One actor code and how often it appears.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorRow {
    pub code: String,
    pub name: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub as_source: u64,
    pub as_target: u64,
}

/// A stored article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// xxh3-128 of the text, hex.
    pub text_hash: String,
    pub mentions: u64,
}

/// One page of articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub articles: Vec<ArticleRow>,
    pub next_cursor: Option<String>,
}

/// Row counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    pub articles: u64,
    pub events: u64,
    pub mentions: u64,
    pub rejects: u64,
}

/// The hash an article is keyed by: xxh3-128 of its text and metadata, hex.
pub fn article_hash(a: &Article) -> String {
    use xxhash_rust::xxh3::Xxh3;
    let mut h = Xxh3::new();
    for part in [
        a.text.as_str(),
        a.date.as_deref().unwrap_or(""),
        a.title.as_deref().unwrap_or(""),
        a.source.as_deref().unwrap_or(""),
        a.url.as_deref().unwrap_or(""),
    ] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    format!("{:032x}", h.digest128())
}
