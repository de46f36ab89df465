//! The store's logic, written once over [`Conn`]: migrations, idempotent ingest, clustering
//! of mentions into events, and the queries.
//!
//! Ingest works a batch at a time: the batch's articles are looked up in one statement per
//! few hundred, its new mentions are written in bulk ([`Conn::insert_rows`]: multi-row
//! statements on PostgreSQL, one cached single-row statement on SQLite) after their merge
//! candidates are found (stored ones a few dozen mentions per statement, the batch's own
//! among themselves in memory), and the mentions that match nothing (most of them) become
//! events in bulk inserts too, with their daily counts summed in memory. Only mentions that
//! match others go through [`Engine::rebuild`], which recomputes their clusters from what is
//! stored.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use dyad_model::{Article, DatePrecision, Event};

use crate::merge::{self, MatchKey, MergeRule, Place};
use crate::sql::{chunks, group_column, placeholders, push_filter, Conn, Param, Query, Row, Value};
use crate::{
    ActorRow, ArticlePage, ArticleRow, CountRow, DyadRow, EventDetail, EventFilter, EventPage,
    GroupKey, IngestStats, Mention, Page, RejectRecord, Result, Store, StoreError, StoreStats,
    StoredEvent,
};

/// The schema migrations, in order: (version, SQL). Version 2 also moves a version-1 store's
/// mentions over (see [`Engine::apply_migration`]).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_integer_keys.sql")),
    (
        3,
        include_str!("../migrations/0003_merged_cluster_index.sql"),
    ),
    (4, include_str!("../migrations/0004_events_by_day.sql")),
    (5, include_str!("../migrations/0005_packed_json.sql")),
    (6, include_str!("../migrations/0006_pg_packed_json.sql")),
];

/// A store over any connection.
pub struct Engine<C: Conn> {
    conn: C,
    rule: MergeRule,
}

/// The integer key of a mention or event id: its first 64 bits, sign bit flipped, so that
/// keys sort as the ids do. An id that is not hexadecimal (not one `dyad code` wrote) is
/// hashed instead.
pub(crate) fn id_key(id: &str) -> i64 {
    let hex = id
        .get(..16)
        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    let bits = match hex.and_then(|h| u64::from_str_radix(h, 16).ok()) {
        Some(v) => v,
        None => xxhash_rust::xxh3::xxh3_64(id.as_bytes()),
    };
    (bits ^ (1 << 63)) as i64
}

/// The integer the merge rule's blocking key is looked up by.
pub(crate) fn match_hash(key: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64
}

/// A mention as the clustering sees it.
#[derive(Clone, Debug)]
struct Member {
    key: i64,
    id: String,
    cluster: i64,
    mkey: MatchKey,
    rank_key: String,
    fatalities: Option<i64>,
    article_id: String,
    /// The article's source, or the article id when it has none.
    source: String,
    merged_with: Option<String>,
    reason: Option<String>,
}

const MEMBER_COLUMNS: &str = "m.key, m.cluster, m.merge_key, m.day_lo, m.day_hi, m.has_place, \
     m.geonames_id, m.place_country, m.lat, m.lon, m.precise, m.rank_key, m.fatalities, \
     m.article_id, COALESCE(a.source, m.article_id), m.merged_with, m.reason, m.id";

/// `head` (a `SELECT ... FROM mentions m ...` with no `WHERE`) over the members of the
/// clusters that `which` picks (`= ?` or `IN (?, ...)`, its parameters bound twice): each
/// one's representative, whose key is the cluster's, and the mentions merged into it, which
/// the partial index `mentions_merged` holds (the second branch states the index's
/// condition, so both backends use it).
fn cluster_members(head: &str, which: &str) -> String {
    format!(
        "{head} WHERE m.key {which} AND m.cluster = m.key \
         UNION ALL {head} WHERE m.cluster {which} AND m.cluster <> m.key"
    )
}

/// The columns of a merge candidate: the cluster it is in, then its match key
/// (see [`match_key_of`]), then its blocking hash.
const CANDIDATE_COLUMNS: &str = "SELECT m.cluster, m.merge_key, m.day_lo, m.day_hi, \
     m.has_place, m.geonames_id, m.place_country, m.lat, m.lon, m.precise, m.match_hash";

/// One term's candidates: same blocking hash, date ranges within the window (a range is at
/// most a year long, which bounds `day_lo` from below for the index). Terms are `OR`ed, a
/// few dozen a statement, after `FROM mentions m WHERE`.
const CANDIDATE_TERM: &str =
    "(m.match_hash = ? AND m.day_lo >= ? AND m.day_lo <= ? AND m.day_hi >= ?)";

/// The same where the backend binds arrays (PostgreSQL): all terms in one statement, as four
/// arrays joined to the index. Planning an `OR` of 32 index ranges cost the server more than
/// running it (about 0.3 ms a statement), and each statement was a round trip.
const CANDIDATE_ARRAYS: &str = "FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], \
     ?::bigint[]) AS t(h, lo, hi, lo2) JOIN mentions m ON m.match_hash = t.h \
     AND m.day_lo >= t.lo AND m.day_lo <= t.hi AND m.day_hi >= t.lo2";

/// The match key in columns `i..i + 9` of a row (merge_key, day_lo, day_hi, has_place,
/// geonames_id, place_country, lat, lon, precise).
fn match_key_of(r: &Row, i: usize) -> Result<MatchKey> {
    let days = match (r.opt_int(i + 1)?, r.opt_int(i + 2)?) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    let place = if r.int(i + 3)? != 0 {
        Some(Place {
            geonames_id: r.opt_int(i + 4)?,
            country: r.opt_str(i + 5)?,
            lat: r.opt_real(i + 6)?,
            lon: r.opt_real(i + 7)?,
            precise: r.int(i + 8)? != 0,
        })
    } else {
        None
    };
    Ok(MatchKey {
        key: r.str(i)?,
        days,
        place,
    })
}

fn member_of(r: &Row) -> Result<Member> {
    Ok(Member {
        key: r.int(0)?,
        cluster: r.int(1)?,
        mkey: match_key_of(r, 2)?,
        rank_key: r.str(11)?,
        fatalities: r.opt_int(12)?,
        article_id: r.str(13)?,
        source: r.str(14)?,
        merged_with: r.opt_str(15)?,
        reason: r.opt_str(16)?,
        id: r.str(17)?,
    })
}

/// The representative of a cluster is the mention with the most precise date, then the most
/// precise place, then the smallest id: a total order, so the choice does not depend on the
/// order mentions arrived in.
fn rank_key(e: &Event) -> String {
    let date = match (e.date.is_some(), e.date_precision) {
        (false, _) => 9,
        (true, None) => 5,
        (true, Some(DatePrecision::Day)) => 0,
        (true, Some(DatePrecision::Week)) => 1,
        (true, Some(DatePrecision::Month)) => 2,
        (true, Some(DatePrecision::Year)) => 3,
    };
    let place = match e.location.as_ref().map(|l| l.precision.as_str()) {
        Some("point") => 0,
        Some("city") => 1,
        Some("admin2") => 2,
        Some("admin1") => 3,
        Some("country") => 4,
        Some(_) => 5,
        None => 9,
    };
    let mut key = String::with_capacity(e.event_id.len() + 2);
    key.push(char::from(b'0' + date));
    key.push(char::from(b'0' + place));
    key.push_str(&e.event_id);
    key
}

/// The `day` an event's row is filed under (its representative's date as a day number;
/// with its key, what `events_day` finds it by), from the representative mention's rank key
/// and `day_lo` when they tell: a date of day precision (or of none) stands for its own day
/// only, so `day_lo` is that day, and a mention without `day_lo` has no date the store can
/// read. For a week, month or year the day is the date's own, which only the mention's JSON
/// holds: None.
fn event_day_of(rank_key: &str, day_lo: Option<i64>) -> Option<Option<i64>> {
    match (rank_key.as_bytes().first(), day_lo) {
        (_, None) => Some(None),
        (Some(b'0' | b'5'), Some(day)) => Some(Some(day)),
        _ => None,
    }
}

/// The day of an event whose representative's JSON is `json` (see [`event_day_of`]).
fn event_day_of_json(key: i64, json: &str) -> Result<Option<i64>> {
    #[derive(serde::Deserialize)]
    struct Dated {
        date: Option<String>,
    }
    let d: Dated = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("mention {key}: {e}")))?;
    Ok(d.date.as_deref().and_then(merge::parse_date))
}

/// Find the `events` row of cluster `key` filed under `day`: `sql` ends with `WHERE`, to
/// which the condition on `{table}day` and `{table}key` is added.
fn by_day_and_key(sql: &str, table: &str, key: i64, day: Option<i64>) -> (String, Vec<Value>) {
    match day {
        Some(d) => (
            format!("{sql} {table}day = ? AND {table}key = ?"),
            vec![Value::Int(d), Value::Int(key)],
        ),
        None => (
            format!("{sql} {table}day IS NULL AND {table}key = ?"),
            vec![Value::Int(key)],
        ),
    }
}

/// Does `e`'s stored JSON read back to the same events row? Strings and integers always do;
/// a float does when its JSON text parses to the same number (serde_json's default float
/// parsing may miss the last bit of a number with many digits), so a representative just
/// written can give its events row from memory exactly as from the stored JSON.
fn reads_back_the_same(e: &Event) -> bool {
    let same = |x: f64| {
        serde_json::to_string(&x)
            .ok()
            .and_then(|s| serde_json::from_str::<f64>(&s).ok())
            .is_some_and(|y| y.to_bits() == x.to_bits())
    };
    let loc = e.location.as_ref();
    same(e.cameo.goldstein)
        && loc.and_then(|l| l.lat).is_none_or(same)
        && loc.and_then(|l| l.lon).is_none_or(same)
}

fn precision_name(p: Option<DatePrecision>) -> Option<&'static str> {
    p.map(|p| match p {
        DatePrecision::Day => "day",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    })
}

fn count_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

const MENTION_INSERT: &str = "INSERT INTO mentions (key, id, article_id, sentence, cluster, \
     match_hash, merge_key, day_lo, day_hi, has_place, geonames_id, place_country, lat, lon, \
     precise, fatalities, rank_key, json)";
const MENTION_WIDTH: usize = 18;

const EVENT_INSERT: &str = "INSERT INTO events (key, id, article_id, sentence, date, day, week, \
     month, date_precision, source_code, source_country, source_sector, target_code, \
     target_country, target_sector, dyad, cameo_code, root, quad_class, goldstein, plover_type, \
     acled_type, acled_sub_type, country, admin1, lat, lon, geonames_id, fatalities, \
     num_mentions, num_sources, num_articles)";
const EVENT_WIDTH: usize = 32;

const ARTICLE_INSERT: &str =
    "INSERT INTO articles (id, date, source, url, title, language, text_hash, added)";
const ARTICLE_WIDTH: usize = 8;

/// Now, in seconds since 1970: when an article was taken in.
fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The text an `events` row holds that its representative does not hold as such: the date
/// (normalised from the representative's) and the dyad. Kept apart so that the row's
/// parameters can borrow it.
struct EventText {
    day: Option<i64>,
    date: Option<String>,
    dyad: String,
}

impl EventText {
    fn of(rep: &Event) -> EventText {
        let day = rep.date.as_deref().and_then(merge::parse_date);
        let src = rep.source.as_ref().map_or("", |a| a.code.as_str());
        let tgt = rep.target.as_ref().map_or("", |a| a.code.as_str());
        let mut dyad = String::with_capacity(src.len() + tgt.len() + 1);
        dyad.push_str(src);
        dyad.push('>');
        dyad.push_str(tgt);
        EventText {
            day,
            date: day.map(merge::format_day),
            dyad,
        }
    }
}

/// The `events` row of a cluster whose representative is `rep`, stored under `key`.
fn event_row<'a>(
    out: &mut Vec<Param<'a>>,
    key: i64,
    rep: &'a Event,
    text: &'a EventText,
    fatalities: Option<i64>,
    counts: [i64; 3],
) {
    let day = text.day;
    let date = text.date.as_deref();
    let loc = rep.location.as_ref();
    let src = rep.source.as_ref();
    let tgt = rep.target.as_ref();
    out.extend([
        Param::Int(key),
        Param::Text(&rep.event_id),
        Param::Text(&rep.article_id),
        Param::Int(rep.sentence as i64),
        Param::opt_text(date),
        Param::opt_int(day),
        Param::opt_int(day.map(merge::week_start)),
        Param::opt_text(date.and_then(|d| d.get(..7))),
        Param::opt_text(precision_name(rep.date_precision)),
        Param::opt_text(src.map(|a| a.code.as_str())),
        Param::opt_text(src.and_then(|a| a.country.as_deref())),
        Param::opt_text(src.and_then(|a| a.sector.as_deref())),
        Param::opt_text(tgt.map(|a| a.code.as_str())),
        Param::opt_text(tgt.and_then(|a| a.country.as_deref())),
        Param::opt_text(tgt.and_then(|a| a.sector.as_deref())),
        Param::Text(&text.dyad),
        Param::Text(&rep.cameo.code),
        Param::Text(&rep.cameo.root),
        Param::Int(rep.cameo.quad_class as i64),
        Param::Real(rep.cameo.goldstein),
        Param::opt_text(rep.plover.event_type.as_deref()),
        Param::opt_text(rep.acled.event_type.as_deref()),
        Param::opt_text(rep.acled.sub_event_type.as_deref()),
        Param::opt_text(loc.and_then(|l| l.country.as_deref())),
        Param::opt_text(loc.and_then(|l| l.admin1.as_deref())),
        Param::opt_real(loc.and_then(|l| l.lat)),
        Param::opt_real(loc.and_then(|l| l.lon)),
        Param::opt_int(loc.and_then(|l| l.geonames_id).map(|g| g as i64)),
        Param::opt_int(fatalities),
        Param::Int(counts[0]),
        Param::Int(counts[1]),
        Param::Int(counts[2]),
    ]);
}

/// The `daily_counts` cell an event falls in: (week, country, day, root, plover_type,
/// quad_class); the month follows from the day.
type Cell<'a> = (i64, &'a str, i64, &'a str, &'a str, i64);

fn cell_of(rep: &Event, day: Option<i64>) -> Cell<'_> {
    (
        day.map_or(NO_DAY, merge::week_start),
        rep.location
            .as_ref()
            .and_then(|l| l.country.as_deref())
            .unwrap_or_default(),
        day.unwrap_or(NO_DAY),
        &rep.cameo.root,
        rep.plover.event_type.as_deref().unwrap_or_default(),
        rep.cameo.quad_class as i64,
    )
}

/// Sums for one `daily_counts` cell: events, fatalities, Goldstein.
#[derive(Default)]
struct CellSum(i64, i64, f64);

/// A stored event's columns (read by [`stored_event_of`]) and the tables they come from.
const EVENT_COLUMNS: &str =
    "e.id, e.fatalities, e.num_mentions, e.num_sources, e.num_articles, m.json, a.url, \
     a.source, a.added";
const EVENT_FROM: &str = "FROM events e JOIN mentions m ON m.key = e.key \
     LEFT JOIN articles a ON a.id = e.article_id";

fn stored_event_of(r: &Row) -> Result<StoredEvent> {
    let id = r.str(0)?;
    let json = r.json(5, &format_args!("event {id}"))?;
    let mut event: Event =
        serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?;
    event.event_id = id;
    event.fatalities = r.opt_int(1)?.map(count_u32);
    Ok(StoredEvent {
        event,
        num_mentions: count_u32(r.int(2)?),
        num_sources: count_u32(r.int(3)?),
        num_articles: count_u32(r.int(4)?),
        source_url: r.opt_str(6)?,
        article_source: r.opt_str(7)?,
        date_added: r.opt_int(8)?,
    })
}

/// A coded event on its way into `mentions`.
struct NewMention<'a> {
    event: &'a Event,
    article_id: &'a str,
    key: i64,
    mkey: MatchKey,
    hash: i64,
}

/// The events row of a rebuilt cluster, waiting to be written ([`Engine::write_events`]).
struct NewEvent<'a> {
    key: i64,
    rep: Cow<'a, Event>,
    fatalities: Option<i64>,
    counts: [i64; 3],
}

/// What one batch has still to write.
#[derive(Default)]
struct Pending<'a> {
    articles: Vec<&'a Article>,
    article_hashes: Vec<String>,
    mentions: Vec<NewMention<'a>>,
}

/// What a new mention's rows hold that the event does not hold as such: the mention's rank
/// key and JSON, and the text of the event row it may become.
struct MentionText {
    rank_key: String,
    json: StoredJson,
    event: EventText,
}

/// A mention's contract JSON as its row holds it.
enum StoredJson {
    /// Packed ([`crate::packed`]): every JSON under 4 GiB.
    Packed(Vec<u8>),
    /// As it is: a JSON too long to pack.
    Text(String),
}

impl StoredJson {
    fn param(&self) -> Param<'_> {
        match self {
            StoredJson::Text(s) => Param::Text(s),
            StoredJson::Packed(b) => Param::Bytes(b),
        }
    }
}

/// From this many mentions on, [`Engine::flush`] builds their texts on a second thread.
const PARALLEL_TEXTS: usize = 256;

/// [`Engine::rebuild`] reads the members of this many clusters a statement.
const MEMBER_FETCH: usize = 64;

/// The second thread sends texts this many mentions at a time, so that their rows are
/// written while it builds the next ones.
const TEXT_CHUNK: usize = 4096;

/// The texts of `mentions`' rows, their JSON packed ([`crate::packed`]).
fn mention_texts(mentions: &[NewMention<'_>]) -> Result<Vec<MentionText>> {
    mentions
        .iter()
        .map(|m| {
            let json = serde_json::to_string(m.event)?;
            Ok(MentionText {
                rank_key: rank_key(m.event),
                // JSON escapes NUL (`\u0000`): the packed text holds none either.
                json: match crate::packed::pack(&json) {
                    Some(packed) => StoredJson::Packed(packed),
                    None => StoredJson::Text(json),
                },
                event: EventText::of(m.event),
            })
        })
        .collect()
}

/// Union-find over cluster keys.
#[derive(Default)]
struct Components {
    parent: HashMap<i64, i64>,
}

impl Components {
    fn find(&mut self, x: i64) -> i64 {
        let mut r = x;
        while let Some(&p) = self.parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        // Path compression.
        let mut c = x;
        while c != r {
            let next = self.parent.get(&c).copied().unwrap_or(r);
            self.parent.insert(c, r);
            c = next;
        }
        self.parent.entry(r).or_insert(r);
        r
    }
    fn union(&mut self, a: i64, b: i64) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }
}

/// For each member of an event, the best-ranked member it matches directly (an index into
/// the members) and the rule's reason.
type Links = Vec<Option<(usize, String)>>;

/// The events that `members` (sorted by rank) form under `rule`: the connected components of
/// the pairs it matches, each as its members' indices in rank order, with, for each member,
/// the best-ranked member it matches directly and the rule's reason (None for a member that
/// matches none).
///
/// Members whose match keys are equal (see [`merge::groups`]) are matched once as a class, so
/// an event reported ten thousand times with the same date and place costs one comparison,
/// not fifty million: the work is the members plus the square of the distinct keys.
fn direct_matches(rule: &MergeRule, members: &[Member]) -> Vec<(Vec<usize>, Links)> {
    let n = members.len();
    let classes = merge::groups(members.iter().map(|m| &m.mkey));
    let g = classes.len();
    let key = |c: usize| &members[classes[c][0]].mkey;
    // Whether a class's members match each other; the classes each class matches.
    let own: Vec<bool> = (0..g).map(|c| rule.is_match(key(c), key(c))).collect();
    let mut parent: Vec<usize> = (0..g).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    // For each class, the best-ranked member of another class it matches, and that class.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; g];
    for a in 0..g {
        for b in (a + 1)..g {
            if !rule.is_match(key(a), key(b)) {
                continue;
            }
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
            let (fa, fb) = (classes[a][0], classes[b][0]);
            if best[a].is_none_or(|(j, _)| fb < j) {
                best[a] = Some((fb, b));
            }
            if best[b].is_none_or(|(j, _)| fa < j) {
                best[b] = Some((fa, a));
            }
        }
    }
    let mut class_of = vec![0; n];
    for (c, ms) in classes.iter().enumerate() {
        for &i in ms {
            class_of[i] = c;
        }
    }
    // A member of a class that matches neither itself nor another class is an event alone.
    let mut comps: BTreeMap<(usize, usize), (Vec<usize>, Links)> = BTreeMap::new();
    for (i, &c) in class_of.iter().enumerate() {
        let linked = own[c] || best[c].is_some();
        let at = if linked {
            (find(&mut parent, c), usize::MAX)
        } else {
            (usize::MAX, i)
        };
        let mut link = best[c];
        if own[c] {
            let ms = &classes[c];
            let mine = if ms[0] == i { ms.get(1) } else { ms.first() };
            if let Some(&j) = mine {
                if link.is_none_or(|(k, _)| j < k) {
                    link = Some((j, c));
                }
            }
        }
        let link = link.and_then(|(j, d)| {
            let (x, y) = if c <= d { (c, d) } else { (d, c) };
            rule.matches(key(x), key(y)).map(|r| (j, r))
        });
        let e = comps.entry(at).or_default();
        e.0.push(i);
        e.1.push(link);
    }
    let mut out: Vec<(Vec<usize>, Links)> = comps.into_values().collect();
    // In the order of their representatives, as before.
    out.sort_by_key(|(c, _)| c[0]);
    out
}

impl<C: Conn> Engine<C> {
    pub fn new(conn: C, rule: MergeRule) -> Result<Self> {
        let mut engine = Engine { conn, rule };
        engine.migrate()?;
        Ok(engine)
    }

    fn migrate(&mut self) -> Result<()> {
        self.conn.batch(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at TEXT)",
        )?;
        let current = self
            .conn
            .query("SELECT MAX(version) FROM schema_version", &[])?
            .first()
            .map(|r| r.opt_int(0))
            .transpose()?
            .flatten()
            .unwrap_or(0);
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > known {
            return Err(StoreError::Invalid {
                what: "store",
                value: format!("schema version {current}"),
                message: format!(
                    "written by a newer dyad; this one knows schema versions up to {known}"
                ),
            });
        }
        for &(version, sql) in MIGRATIONS {
            if version <= current {
                continue;
            }
            let begin = self.conn.begin_sql();
            self.conn.batch(begin)?;
            let applied = self.apply_migration(version, sql).and_then(|_| {
                self.conn.exec(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, CURRENT_TIMESTAMP)",
                    &[Value::Int(version)],
                )
            });
            match applied {
                Ok(_) => self.conn.batch("COMMIT")?,
                Err(e) => {
                    let _ = self.conn.batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn apply_migration(&mut self, version: i64, sql: &str) -> Result<()> {
        if version == 2 {
            // Set version 1's tables aside; the counts are rebuilt as mentions come back.
            self.conn.batch(
                "DROP INDEX mentions_article; DROP INDEX mentions_cluster; \
                 DROP INDEX mentions_match; DROP INDEX events_day; DROP INDEX events_country_day; \
                 ALTER TABLE mentions RENAME TO mentions_v1; DROP TABLE events; \
                 DELETE FROM daily_counts",
            )?;
        }
        let sql = self.conn.adapt_ddl(sql);
        self.conn.batch(&sql)?;
        if version == 2 {
            self.readd_v1_mentions()?;
            self.conn.batch("DROP TABLE mentions_v1")?;
        }
        Ok(())
    }

    /// Add a version-1 store's mentions again, article by article, as ingest would.
    fn readd_v1_mentions(&mut self) -> Result<()> {
        let mut stored: Vec<(String, Event)> = Vec::new();
        self.conn.query_each(
            "SELECT article_id, json FROM mentions_v1 ORDER BY article_id, id",
            &[],
            &mut |r| {
                let json = r.json(1, &"version-1 mention")?;
                let e: Event = serde_json::from_str(&json)
                    .map_err(|e| StoreError::Corrupt(format!("version-1 mention: {e}")))?;
                stored.push((r.str(0)?, e));
                Ok(())
            },
        )?;
        let mut stats = IngestStats::default();
        let mut pending = Pending::default();
        for (article_id, e) in &stored {
            self.queue_mention(&mut pending, article_id, e);
        }
        self.flush(&mut pending, &mut stats)
    }

    fn in_transaction<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let begin = self.conn.begin_sql();
        self.conn.batch(begin)?;
        match f(self) {
            Ok(v) => {
                self.conn.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn ingest_batch(&mut self, batch: &[(Article, Vec<Event>)]) -> Result<IngestStats> {
        let mut stats = IngestStats::default();
        // The stored text hash of every article of the batch, in statements of 256 ids.
        let mut known: HashMap<String, String> = HashMap::new();
        let ids: Vec<&str> = {
            let set: BTreeSet<&str> = batch.iter().map(|(a, _)| a.id.as_str()).collect();
            set.into_iter().collect()
        };
        for (at, size) in chunks(ids.len(), 256) {
            let part = &ids[at..at + size];
            let sql = format!(
                "SELECT id, text_hash FROM articles WHERE id IN {}",
                placeholders(size)
            );
            let params: Vec<Value> = part.iter().map(|s| Value::text(*s)).collect();
            for r in self.conn.query(&sql, &params)? {
                known.insert(r.str(0)?, r.str(1)?);
            }
        }
        let mut pending = Pending::default();
        // Changed articles are replaced together before the batch's mentions are written:
        // their old mentions deleted and the clusters those were in rebuilt once, however
        // many of them share a cluster (a corrected wire story, printed everywhere).
        let mut replace: Vec<(&Article, String)> = Vec::new();
        let mut in_batch: HashSet<&str> = HashSet::new();
        for (article, events) in batch {
            let hash = crate::article_hash(article);
            let again = !in_batch.insert(article.id.as_str());
            match known.get(&article.id) {
                Some(old) if *old == hash => {
                    stats.articles_unchanged += 1;
                    continue;
                }
                Some(_) if again => {
                    stats.articles_replaced += 1;
                    // Another version of an article of this batch, whose reports may still
                    // be pending: bring the store up to date first, then replace it.
                    self.replace_articles(&std::mem::take(&mut replace))?;
                    self.flush(&mut pending, &mut stats)?;
                    self.replace_articles(&[(article, hash.clone())])?;
                }
                Some(_) => {
                    stats.articles_replaced += 1;
                    replace.push((article, hash.clone()));
                }
                None => {
                    stats.articles_added += 1;
                    pending.articles.push(article);
                    pending.article_hashes.push(hash.clone());
                }
            }
            known.insert(article.id.clone(), hash);
            let mut seen = BTreeSet::new();
            for e in events {
                if seen.insert(e.event_id.as_str()) {
                    self.queue_mention(&mut pending, &article.id, e);
                }
            }
        }
        self.replace_articles(&replace)?;
        self.flush(&mut pending, &mut stats)?;
        Ok(stats)
    }

    fn queue_mention<'a>(&self, pending: &mut Pending<'a>, article_id: &'a str, e: &'a Event) {
        let mkey = MatchKey::of(e);
        pending.mentions.push(NewMention {
            event: e,
            article_id,
            key: id_key(&e.event_id),
            hash: match_hash(&mkey.key),
            mkey,
        });
    }

    /// Delete changed articles' mentions, update their rows (`hash` the new text hash) and
    /// re-cluster what the mentions were in, all clusters at once.
    fn replace_articles(&mut self, articles: &[(&Article, String)]) -> Result<()> {
        if articles.is_empty() {
            return Ok(());
        }
        // Their ids, a few hundred a statement.
        let parts: Vec<(usize, Vec<Value>)> = chunks(articles.len(), 256)
            .into_iter()
            .map(|(at, size)| {
                let ids = articles[at..at + size]
                    .iter()
                    .map(|(a, _)| Value::text(a.id.as_str()));
                (size, ids.collect())
            })
            .collect();
        let mut clusters: BTreeSet<i64> = BTreeSet::new();
        for (size, part) in &parts {
            let sql = format!(
                "SELECT DISTINCT cluster FROM mentions WHERE article_id IN {}",
                placeholders(*size)
            );
            for r in self.conn.query(&sql, part)? {
                clusters.insert(r.int(0)?);
            }
        }
        let clusters: Vec<i64> = clusters.into_iter().collect();
        // The days their events are filed under, while their representatives are stored.
        let mut days = HashMap::new();
        for &c in &clusters {
            if let Some(day) = self.event_day(c)? {
                days.insert(c, day);
            }
        }
        for (size, part) in &parts {
            let sql = format!(
                "DELETE FROM mentions WHERE article_id IN {}",
                placeholders(*size)
            );
            self.conn.exec(&sql, part)?;
        }
        let now = now_seconds();
        for (article, hash) in articles {
            self.conn.exec(
                "UPDATE articles SET date = ?, source = ?, url = ?, title = ?, language = ?, \
                 text_hash = ?, added = ? WHERE id = ?",
                &[
                    Value::opt_text(article.date.as_deref()),
                    Value::opt_text(article.source.as_deref()),
                    Value::opt_text(article.url.as_deref()),
                    Value::opt_text(article.title.as_deref()),
                    Value::opt_text(article.language.as_deref()),
                    Value::text(hash.as_str()),
                    Value::Int(now),
                    Value::text(article.id.as_str()),
                ],
            )?;
        }
        self.rebuild(&clusters, &days, &HashMap::new())
    }

    /// The day cluster `key`'s event is filed under, from its representative mention (see
    /// [`event_day_of`]); None when no such mention is stored.
    fn event_day(&mut self, key: i64) -> Result<Option<Option<i64>>> {
        let rows = self.conn.query(
            "SELECT rank_key, day_lo FROM mentions WHERE key = ?",
            &[Value::Int(key)],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        match event_day_of(&r.str(0)?, r.opt_int(1)?) {
            Some(day) => Ok(Some(day)),
            None => self.event_day_of_stored_json(key).map(Some),
        }
    }

    /// [`event_day_of_json`] of stored mention `key`.
    fn event_day_of_stored_json(&mut self, key: i64) -> Result<Option<i64>> {
        let rows = self.conn.query(
            "SELECT json FROM mentions WHERE key = ?",
            &[Value::Int(key)],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StoreError::Corrupt(format!("mention {key} vanished")))?;
        event_day_of_json(key, &r.json(0, &format_args!("mention {key}"))?)
    }

    /// Write what is pending: articles, mentions, then the events of the mentions that match
    /// nothing, and the re-clustering of those that match.
    ///
    /// The mentions' JSON (packed), rank keys and event texts are built on a second
    /// thread, when there are enough of them to pay for one, while this one writes the
    /// articles and looks up keys and merge candidates. They come [`TEXT_CHUNK`] mentions at a
    /// time, so that this thread writes one run's rows while the next is built.
    fn flush(&mut self, pending: &mut Pending<'_>, stats: &mut IngestStats) -> Result<()> {
        let mentions = std::mem::take(&mut pending.mentions);
        // All of them at once, built here.
        let here = |mentions: &[NewMention<'_>]| {
            let mut all = Some(mention_texts(mentions));
            move || all.take().transpose()
        };
        if mentions.len() < PARALLEL_TEXTS {
            return self.write_pending(pending, &mentions, &mut here(&mentions), stats);
        }
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::channel();
            let chunks = mentions.chunks(TEXT_CHUNK);
            let helper = std::thread::Builder::new()
                .name("dyad-store-texts".into())
                .spawn_scoped(scope, move || {
                    for chunk in chunks {
                        let texts = mention_texts(chunk);
                        let failed = texts.is_err();
                        // Sent in order; stop when the writer has stopped, or at an error.
                        if tx.send(texts).is_err() || failed {
                            break;
                        }
                    }
                });
            match helper {
                // A chunk at a time, in order, None when all came; a panic of the helper's
                // goes on here.
                Ok(helper) => {
                    let mut helper = Some(helper);
                    let mut next = move || match rx.recv() {
                        Ok(texts) => texts.map(Some),
                        Err(_) => {
                            if let Some(Err(panic)) = helper.take().map(|h| h.join()) {
                                std::panic::resume_unwind(panic);
                            }
                            Ok(None)
                        }
                    };
                    self.write_pending(pending, &mentions, &mut next, stats)
                }
                // No thread to be had: build them here.
                Err(_) => self.write_pending(pending, &mentions, &mut here(&mentions), stats),
            }
        })
    }

    /// [`Engine::flush`]'s work: `texts` gives [`mention_texts`] of `mentions`, a run of them
    /// at a time, in order, then None.
    fn write_pending(
        &mut self,
        pending: &mut Pending<'_>,
        mentions: &[NewMention<'_>],
        texts: &mut dyn FnMut() -> Result<Option<Vec<MentionText>>>,
        stats: &mut IngestStats,
    ) -> Result<()> {
        let mut rows = Vec::with_capacity(pending.articles.len() * ARTICLE_WIDTH);
        let now = now_seconds();
        for (a, hash) in pending.articles.iter().zip(&pending.article_hashes) {
            rows.extend([
                Param::Text(&a.id),
                Param::opt_text(a.date.as_deref()),
                Param::opt_text(a.source.as_deref()),
                Param::opt_text(a.url.as_deref()),
                Param::opt_text(a.title.as_deref()),
                Param::opt_text(a.language.as_deref()),
                Param::Text(hash),
                Param::Int(now),
            ]);
        }
        self.conn
            .insert_rows(ARTICLE_INSERT, ARTICLE_WIDTH, &rows, "")?;
        drop(rows);
        pending.articles.clear();
        pending.article_hashes.clear();

        // Mentions: a key already stored (or twice in the batch) is an id collision we cannot
        // store twice; the first report keeps it.
        let mut keys: Vec<i64> = mentions.iter().map(|m| m.key).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut taken: BTreeSet<i64> = BTreeSet::new();
        for (at, size) in chunks(keys.len(), 256) {
            let part = &keys[at..at + size];
            let sql = format!(
                "SELECT key FROM mentions WHERE key IN {}",
                placeholders(size)
            );
            let params: Vec<Value> = part.iter().map(|k| Value::Int(*k)).collect();
            for r in self.conn.query(&sql, &params)? {
                taken.insert(r.int(0)?);
            }
        }
        let kept: Vec<bool> = mentions.iter().map(|m| taken.insert(m.key)).collect();
        if !kept.contains(&true) {
            // Wait for the texts all the same: an error there is still this batch's.
            while texts()?.is_some() {}
            return Ok(());
        }
        let new: Vec<&NewMention> = mentions
            .iter()
            .zip(&kept)
            .filter_map(|(m, &k)| k.then_some(m))
            .collect();

        // Merge candidates, before the batch's mentions are written: stored ones a few dozen
        // windows a statement, and the batch's own among themselves, in memory (a stored
        // mention's row need not be read back to find that it matches itself). Mentions with
        // equal match keys are matched as one class (see `merge::groups`): a story repeated
        // by a thousand outlets is compared once, not a million times.
        let mut components = Components::default();
        let mut merged: BTreeSet<i64> = BTreeSet::new();
        if self.rule.enabled {
            let dated: Vec<&NewMention> = new
                .iter()
                .copied()
                .filter(|m| m.mkey.days.is_some())
                .collect();
            let classes = merge::groups(dated.iter().map(|m| &m.mkey));
            let head = |c: usize| dated[classes[c][0]];
            // Whether each class matches anything (then all its members are linked), and
            // the classes of each blocking hash.
            let mut linked: Vec<bool> = (0..classes.len())
                .map(|c| classes[c].len() > 1 && self.rule.is_match(&head(c).mkey, &head(c).mkey))
                .collect();
            let mut by_hash: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
            for c in 0..classes.len() {
                by_hash.entry(head(c).hash).or_default().push(c);
            }
            // Stored candidates: one term per blocking hash and run of overlapping windows.
            let w = self.rule.window();
            let mut terms: Vec<[i64; 4]> = Vec::new();
            for (&hash, cs) in &by_hash {
                let mut spans: Vec<(i64, i64)> =
                    cs.iter().filter_map(|&c| head(c).mkey.days).collect();
                spans.sort_unstable();
                let mut run: Option<(i64, i64)> = None;
                for (lo, hi) in spans {
                    run = match run {
                        Some((a, b)) if lo - w - 366 <= b + w => Some((a, b.max(hi))),
                        Some((a, b)) => {
                            terms.push([hash, a - w - 366, b + w, a - w]);
                            Some((lo, hi))
                        }
                        None => Some((lo, hi)),
                    };
                }
                if let Some((a, b)) = run {
                    terms.push([hash, a - w - 366, b + w, a - w]);
                }
            }
            let statements: Vec<(String, Vec<Value>)> = if self.conn.binds_arrays() {
                terms
                    .chunks(65_536)
                    .map(|part| {
                        let column = |i: usize| Value::Ints(part.iter().map(|t| t[i]).collect());
                        let sql = format!("{CANDIDATE_COLUMNS} {CANDIDATE_ARRAYS}");
                        (sql, (0..4).map(column).collect())
                    })
                    .collect()
            } else {
                terms
                    .chunks(32)
                    .map(|part| {
                        let mut sql = format!("{CANDIDATE_COLUMNS} FROM mentions m WHERE ");
                        let mut params = Vec::with_capacity(part.len() * 4);
                        for (i, t) in part.iter().enumerate() {
                            if i > 0 {
                                sql.push_str(" OR ");
                            }
                            sql.push_str(CANDIDATE_TERM);
                            params.extend(t.iter().map(|&v| Value::Int(v)));
                        }
                        (sql, params)
                    })
                    .collect()
            };
            for (sql, params) in statements {
                let mut found: Vec<(i64, i64, MatchKey)> = Vec::new();
                for r in self.conn.query(&sql, &params)? {
                    found.push((r.int(0)?, r.int(10)?, match_key_of(&r, 1)?));
                }
                // Stored mentions with equal keys, compared once; each of their clusters
                // joined.
                for ids in merge::groups(found.iter().map(|f| &f.2)) {
                    let (_, hash, theirs) = &found[ids[0]];
                    let Some(cs) = by_hash.get(hash) else {
                        continue;
                    };
                    let clusters: BTreeSet<i64> = ids.iter().map(|&i| found[i].0).collect();
                    for &c in cs {
                        if self.rule.is_match(&head(c).mkey, theirs) {
                            linked[c] = true;
                            for &cluster in &clusters {
                                components.union(head(c).key, cluster);
                            }
                        }
                    }
                }
            }
            // The batch among itself: each class against the others with its blocking hash
            // (the query's date window is the rule's own date test).
            for cs in by_hash.values() {
                for (x, &a) in cs.iter().enumerate() {
                    for &b in &cs[x + 1..] {
                        if self.rule.is_match(&head(a).mkey, &head(b).mkey) {
                            linked[a] = true;
                            linked[b] = true;
                            components.union(head(a).key, head(b).key);
                        }
                    }
                }
            }
            // A linked class's members match what its head matches, so they join it.
            for (c, ms) in classes.iter().enumerate() {
                if linked[c] {
                    for &i in ms {
                        merged.insert(dated[i].key);
                        components.union(dated[i].key, head(c).key);
                    }
                }
            }
        }

        // The mentions' rows, written as their texts come.
        let mut built: Vec<MentionText> = Vec::with_capacity(mentions.len());
        while let Some(chunk) = texts()? {
            let at = built.len();
            let mut rows = Vec::with_capacity(chunk.len() * MENTION_WIDTH);
            for (i, text) in (at..).zip(&chunk) {
                let (Some(m), Some(true)) = (mentions.get(i), kept.get(i)) else {
                    continue;
                };
                let e = m.event;
                let (lo, hi) = match m.mkey.days {
                    Some((a, b)) => (Some(a), Some(b)),
                    None => (None, None),
                };
                let place = m.mkey.place.as_ref();
                rows.extend([
                    Param::Int(m.key),
                    Param::Text(&e.event_id),
                    Param::Text(m.article_id),
                    Param::Int(e.sentence as i64),
                    Param::Int(m.key),
                    Param::Int(m.hash),
                    Param::Text(&m.mkey.key),
                    Param::opt_int(lo),
                    Param::opt_int(hi),
                    Param::Int(place.is_some() as i64),
                    Param::opt_int(place.and_then(|p| p.geonames_id)),
                    Param::opt_text(place.and_then(|p| p.country.as_deref())),
                    Param::opt_real(place.and_then(|p| p.lat)),
                    Param::opt_real(place.and_then(|p| p.lon)),
                    Param::Int(place.is_some_and(|p| p.precise) as i64),
                    Param::opt_int(e.fatalities.map(i64::from)),
                    Param::Text(&text.rank_key),
                    text.json.param(),
                ]);
            }
            self.conn
                .insert_rows(MENTION_INSERT, MENTION_WIDTH, &rows, "")?;
            drop(rows);
            built.extend(chunk);
        }
        if built.len() != mentions.len() {
            return Err(StoreError::Corrupt(format!(
                "the texts of {} mentions came for {}",
                built.len(),
                mentions.len()
            )));
        }
        let texts: Vec<&MentionText> = built
            .iter()
            .zip(&kept)
            .filter_map(|(t, &k)| k.then_some(t))
            .collect();
        stats.mentions_added += new.len() as u64;
        stats.mentions_merged += merged.len() as u64;

        // Mentions that match nothing are events of their own.
        let mut rows = Vec::with_capacity(new.len() * EVENT_WIDTH);
        let mut cells: BTreeMap<Cell, CellSum> = BTreeMap::new();
        for (m, text) in new.iter().zip(&texts) {
            if components.parent.contains_key(&m.key) {
                continue;
            }
            let fatalities = m.event.fatalities.map(i64::from);
            event_row(
                &mut rows,
                m.key,
                m.event,
                &text.event,
                fatalities,
                [1, 1, 1],
            );
            let c = cells.entry(cell_of(m.event, text.event.day)).or_default();
            c.0 += 1;
            c.1 += fatalities.unwrap_or(0);
            c.2 += m.event.cameo.goldstein;
        }
        self.conn
            .insert_rows(EVENT_INSERT, EVENT_WIDTH, &rows, "")?;
        drop(rows);
        self.add_counts(&cells)?;
        let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        let nodes: Vec<i64> = components.parent.keys().copied().collect();
        for k in nodes {
            let root = components.find(k);
            groups.entry(root).or_default().push(k);
        }
        // The batch's mentions that merge: no events row yet, and their events at hand.
        let fresh: HashMap<i64, &Event> = new
            .iter()
            .filter(|m| components.parent.contains_key(&m.key))
            .map(|m| (m.key, m.event))
            .collect();
        let no_days = HashMap::new();
        // Their members a statement per [`MEMBER_FETCH`] clusters, not a statement or two per
        // cluster; and only those sets' members in memory at a time (a story printed
        // everywhere is one cluster of thousands).
        let groups: Vec<Vec<i64>> = groups.into_values().collect();
        let mut events = Vec::new();
        let mut at = 0;
        while at < groups.len() {
            let mut end = at + 1;
            let mut n = groups[at].len();
            while end < groups.len() && n + groups[end].len() <= MEMBER_FETCH {
                n += groups[end].len();
                end += 1;
            }
            let clusters: Vec<i64> = groups[at..end].iter().flatten().copied().collect();
            let mut fetched = self.fetch_members(&clusters)?;
            for clusters in &groups[at..end] {
                self.rebuild_fetched(clusters, &mut fetched, &no_days, &fresh, &mut events)?;
            }
            at = end;
        }
        self.write_events(&events)?;
        Ok(())
    }

    fn add_counts(&mut self, cells: &BTreeMap<Cell, CellSum>) -> Result<()> {
        // The month of each cell's day ('' for undated events), which its row borrows.
        let months: Vec<String> = cells
            .keys()
            .map(|k| {
                if k.2 == NO_DAY {
                    String::new()
                } else {
                    let mut d = merge::format_day(k.2);
                    d.truncate(7);
                    d
                }
            })
            .collect();
        let mut rows = Vec::with_capacity(cells.len() * 10);
        for ((k, v), month) in cells.iter().zip(&months) {
            rows.extend([
                Param::Int(k.0),
                Param::Text(k.1),
                Param::Int(k.2),
                Param::Text(k.3),
                Param::Text(k.4),
                Param::Int(k.5),
                Param::Text(month),
                Param::Int(v.0),
                Param::Int(v.1),
                Param::Real(v.2),
            ]);
        }
        self.conn.insert_rows(
            "INSERT INTO daily_counts (week, country, day, root, plover_type, quad_class, month, \
             n, fatalities, goldstein_sum)",
            10,
            &rows,
            " ON CONFLICT (week, country, day, root, plover_type, quad_class) DO UPDATE SET \
             n = daily_counts.n + excluded.n, \
             fatalities = daily_counts.fatalities + excluded.fatalities, \
             goldstein_sum = daily_counts.goldstein_sum + excluded.goldstein_sum",
        )
    }

    /// Write the events rows of rebuilt clusters, and add them to the daily counts.
    fn write_events(&mut self, events: &[NewEvent<'_>]) -> Result<()> {
        let texts: Vec<EventText> = events.iter().map(|e| EventText::of(&e.rep)).collect();
        let mut rows = Vec::with_capacity(events.len() * EVENT_WIDTH);
        let mut cells: BTreeMap<Cell, CellSum> = BTreeMap::new();
        for (e, text) in events.iter().zip(&texts) {
            event_row(&mut rows, e.key, &e.rep, text, e.fatalities, e.counts);
            let c = cells.entry(cell_of(&e.rep, text.day)).or_default();
            c.0 += 1;
            c.1 += e.fatalities.unwrap_or(0);
            c.2 += e.rep.cameo.goldstein;
        }
        self.conn
            .insert_rows(EVENT_INSERT, EVENT_WIDTH, &rows, "")?;
        self.add_counts(&cells)
    }

    /// Delete the events row of cluster `key`, filed under `day`, and take it out of the
    /// daily counts.
    fn delete_event(&mut self, key: i64, day: Option<i64>) -> Result<()> {
        let (sql, params) = by_day_and_key("DELETE FROM events WHERE", "", key, day);
        let old = self.conn.query(
            &format!(
                "{sql} RETURNING COALESCE(day, -999999999), COALESCE(country, ''), root, \
                 COALESCE(plover_type, ''), quad_class, COALESCE(fatalities, 0), goldstein"
            ),
            &params,
        )?;
        let Some(r) = old.first() else {
            return Ok(());
        };
        let day = r.int(0)?;
        let week = if day == NO_DAY {
            NO_DAY
        } else {
            merge::week_start(day)
        };
        let cell = [
            Value::Int(week),
            Value::Text(r.str(1)?),
            Value::Int(day),
            Value::Text(r.str(2)?),
            Value::Text(r.str(3)?),
            Value::Int(r.int(4)?),
        ];
        let mut params = vec![
            Value::Int(r.int(5)?),
            Value::Real(r.opt_real(6)?.unwrap_or(0.0)),
        ];
        params.extend(cell.iter().cloned());
        self.conn.exec(
            "UPDATE daily_counts SET n = n - 1, fatalities = fatalities - ?, \
             goldstein_sum = goldstein_sum - ? WHERE week = ? AND country = ? AND day = ? \
             AND root = ? AND plover_type = ? AND quad_class = ?",
            &params,
        )?;
        self.conn.exec(
            "DELETE FROM daily_counts WHERE n <= 0 AND week = ? AND country = ? AND day = ? \
             AND root = ? AND plover_type = ? AND quad_class = ?",
            &cell,
        )?;
        Ok(())
    }

    /// Recompute the clusters of these keys from their current members: connected components
    /// of the merge rule's "same event" relation, so the result depends only on which mentions
    /// are stored, never on the order they came in.
    ///
    /// A cluster's events row is found by the day it is filed under, which its representative
    /// tells: `days` holds it for clusters whose representative is no longer stored. `fresh`
    /// are mentions just written, whose keys have no events row yet, with their events.
    fn rebuild(
        &mut self,
        clusters: &[i64],
        days: &HashMap<i64, Option<i64>>,
        fresh: &HashMap<i64, &Event>,
    ) -> Result<()> {
        let mut fetched = self.fetch_members(clusters)?;
        let mut events = Vec::new();
        self.rebuild_fetched(clusters, &mut fetched, days, fresh, &mut events)?;
        self.write_events(&events)
    }

    /// The members of these clusters, by cluster: [`MEMBER_FETCH`] clusters a statement (see
    /// [`cluster_members`]; a mention is in one cluster, so the sets are disjoint).
    fn fetch_members(&mut self, clusters: &[i64]) -> Result<HashMap<i64, Vec<Member>>> {
        let mut out: HashMap<i64, Vec<Member>> = HashMap::new();
        let mut keys = clusters.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let head = format!(
            "SELECT {MEMBER_COLUMNS} FROM mentions m JOIN articles a ON a.id = m.article_id"
        );
        for (at, size) in chunks(keys.len(), MEMBER_FETCH) {
            let sql = cluster_members(&head, &format!("IN {}", placeholders(size)));
            let part = keys[at..at + size].iter().map(|&k| Value::Int(k));
            let params: Vec<Value> = part.clone().chain(part).collect();
            self.conn.query_each(&sql, &params, &mut |r| {
                let m = member_of(r)?;
                out.entry(m.cluster).or_default().push(m);
                Ok(())
            })?;
        }
        Ok(out)
    }

    /// [`Engine::rebuild`], the clusters' members fetched already ([`Engine::fetch_members`];
    /// each cluster's are taken out of `fetched`), and the new events rows left in `events`
    /// for [`Engine::write_events`]: their keys are these clusters' members', which no other
    /// set of clusters holds, so they can wait for others' to be rebuilt.
    fn rebuild_fetched<'e>(
        &mut self,
        clusters: &[i64],
        fetched: &mut HashMap<i64, Vec<Member>>,
        days: &HashMap<i64, Option<i64>>,
        fresh: &HashMap<i64, &'e Event>,
        events: &mut Vec<NewEvent<'e>>,
    ) -> Result<()> {
        let mut members: Vec<Member> = Vec::new();
        for &c in clusters {
            let first = members.len();
            members.extend(fetched.remove(&c).unwrap_or_default());
            if fresh.contains_key(&c) {
                continue;
            }
            let day = match days.get(&c) {
                Some(&day) => Some(day),
                None => match members[first..].iter().find(|m| m.key == c) {
                    Some(rep) => match event_day_of(&rep.rank_key, rep.mkey.days.map(|d| d.0)) {
                        Some(day) => Some(day),
                        None => Some(self.event_day_of_stored_json(c)?),
                    },
                    // No representative, so no events row either.
                    None => None,
                },
            };
            if let Some(day) = day {
                self.delete_event(c, day)?;
            }
        }
        members.sort_by(|a, b| a.rank_key.cmp(&b.rank_key));
        members.dedup_by(|a, b| a.key == b.key);
        let direct = direct_matches(&self.rule, &members);
        for (comp, links) in direct {
            // Members are sorted by rank key, so the first is the representative.
            let rep = comp[0];
            let cluster = members[rep].key;
            for (&i, link) in comp.iter().zip(links) {
                // Each mention points at the best-ranked mention it matches directly.
                let (merged_with, reason) = match link {
                    Some((j, reason)) if i != rep => (Some(members[j].id.clone()), Some(reason)),
                    _ => (None, None),
                };
                let m = &members[i];
                if m.cluster != cluster || m.merged_with != merged_with || m.reason != reason {
                    self.conn.exec(
                        "UPDATE mentions SET cluster = ?, merged_with = ?, reason = ? WHERE key = ?",
                        &[
                            Value::Int(cluster),
                            Value::opt_text(merged_with.as_deref()),
                            Value::opt_text(reason.as_deref()),
                            Value::Int(m.key),
                        ],
                    )?;
                }
            }
            let fatalities = comp.iter().filter_map(|&i| members[i].fatalities).max();
            let sources: BTreeSet<&str> =
                comp.iter().map(|&i| members[i].source.as_str()).collect();
            let articles: BTreeSet<&str> = comp
                .iter()
                .map(|&i| members[i].article_id.as_str())
                .collect();
            let counts = [
                comp.len() as i64,
                sources.len() as i64,
                articles.len() as i64,
            ];
            if let Some(&event) = fresh.get(&cluster).filter(|e| reads_back_the_same(e)) {
                events.push(NewEvent {
                    key: cluster,
                    rep: Cow::Borrowed(event),
                    fatalities,
                    counts,
                });
                continue;
            }
            let json = self
                .conn
                .query(
                    "SELECT json FROM mentions WHERE key = ?",
                    &[Value::Int(cluster)],
                )?
                .first()
                .map(|r| r.json(0, &format_args!("mention {cluster}")))
                .transpose()?
                .ok_or_else(|| StoreError::Corrupt(format!("mention {cluster} vanished")))?;
            let event: Event = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("mention {cluster}: {e}")))?;
            events.push(NewEvent {
                key: cluster,
                rep: Cow::Owned(event),
                fatalities,
                counts,
            });
        }
        Ok(())
    }

    fn read_counts(&mut self, q: &Query, group_by: &[GroupKey]) -> Result<Vec<CountRow>> {
        let rows = self.conn.query(&q.sql, &q.params)?;
        let n = group_by.len();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let count = r.int(n)?;
            if group_by.is_empty() && count == 0 {
                continue;
            }
            let mut keys = Vec::with_capacity(n);
            for (i, k) in group_by.iter().enumerate() {
                keys.push(match k {
                    GroupKey::Day | GroupKey::Week => r
                        .opt_int(i)?
                        .filter(|d| *d != NO_DAY)
                        .map(merge::format_day),
                    _ => r.opt_str(i)?.filter(|s| !s.is_empty()),
                });
            }
            out.push(CountRow {
                keys,
                count: count as u64,
                fatalities: r.int(n + 1)?.max(0) as u64,
                goldstein_mean: r.opt_real(n + 2)?,
            });
        }
        Ok(out)
    }

    fn filtered(&self, select: &str, f: &EventFilter) -> Result<Query> {
        let mut q = Query::new(select);
        q.push(" WHERE 1 = 1");
        push_filter(&mut q, f)?;
        Ok(q)
    }
}

/// The day stored in `daily_counts` for an undated event.
const NO_DAY: i64 = -999_999_999;

/// A count over `daily_counts` instead of `events`, when the filters and groups need only
/// its columns: dates, place country, CAMEO root, PLOVER type, QuadClass.
fn rollup_query(f: &EventFilter, group_by: &[GroupKey]) -> Result<Option<Query>> {
    f.validate()?;
    let simple = f.cameo.as_ref().is_none_or(|c| c.trim().len() <= 2)
        && f.acled_type.is_none()
        && f.source.is_none()
        && f.target.is_none()
        && f.source_country.is_none()
        && f.target_country.is_none()
        && f.admin1.is_none()
        && f.bbox.is_none()
        && f.article.is_none()
        && [&f.country, &f.plover_type, &f.cameo]
            .iter()
            .all(|v| v.as_ref().is_none_or(|s| !s.trim().is_empty()))
        && group_by.iter().all(|k| {
            matches!(
                k,
                GroupKey::Day
                    | GroupKey::Week
                    | GroupKey::Month
                    | GroupKey::Country
                    | GroupKey::Root
                    | GroupKey::Type
            )
        });
    if !simple {
        return Ok(None);
    }
    let cols: Vec<&str> = group_by.iter().map(|k| group_column(*k)).collect();
    let mut sql = String::from("SELECT ");
    for c in &cols {
        sql.push_str(c);
        sql.push_str(", ");
    }
    sql.push_str(
        "CAST(COALESCE(SUM(e.n), 0) AS BIGINT), CAST(COALESCE(SUM(e.fatalities), 0) AS BIGINT), \
         CAST(SUM(e.goldstein_sum) / SUM(e.n) AS DOUBLE PRECISION) FROM daily_counts e WHERE 1 = 1",
    );
    let mut q = Query::new(&sql);
    if let Some(d) = &f.date_from {
        q.bind(
            " AND e.day >= ?",
            Value::Int(merge::parse_date(d).unwrap_or(i64::MIN)),
        );
    }
    if let Some(d) = &f.date_to {
        q.bind(
            " AND e.day <= ?",
            Value::Int(merge::parse_date(d).unwrap_or(i64::MAX)),
        );
    }
    if f.date_from.is_some() || f.date_to.is_some() {
        q.bind(" AND e.day <> ?", Value::Int(NO_DAY));
    }
    if let Some(v) = &f.country {
        q.bind(" AND e.country = ?", Value::text(v.trim().to_uppercase()));
    }
    if let Some(v) = &f.plover_type {
        q.bind(
            " AND e.plover_type = ?",
            Value::text(v.trim().to_uppercase()),
        );
    }
    if let Some(c) = f.quad_class {
        q.bind(" AND e.quad_class = ?", Value::Int(c as i64));
    }
    if let Some(c) = &f.cameo {
        q.bind(
            " AND e.root LIKE ? ESCAPE '\\'",
            Value::Text(crate::sql::like_prefix(c.trim())),
        );
    }
    if !cols.is_empty() {
        let list = cols.join(", ");
        q.push(&format!(" GROUP BY {list} ORDER BY {list}"));
    }
    Ok(Some(q))
}

/// Encode a keyset cursor: fields joined by a separator no id or date holds.
fn cursor_of(parts: &[&str]) -> String {
    parts.join("\u{1f}")
}

fn cursor_parts(c: &str, n: usize) -> Result<Vec<String>> {
    let parts: Vec<String> = c.split('\u{1f}').map(str::to_string).collect();
    if parts.len() != n {
        return Err(StoreError::Invalid {
            what: "cursor",
            value: c.to_string(),
            message: "not a cursor this store returned".into(),
        });
    }
    Ok(parts)
}

fn page_limit(p: &Page) -> i64 {
    p.limit.clamp(1, 10_000) as i64
}

impl<C: Conn> Store for Engine<C> {
    fn backend(&self) -> &'static str {
        self.conn.backend()
    }

    fn ingest(&mut self, batch: &[(Article, Vec<Event>)]) -> Result<IngestStats> {
        self.conn.for_ingest()?;
        self.in_transaction(|s| s.ingest_batch(batch))
    }

    fn add_rejects(&mut self, rejects: &[RejectRecord]) -> Result<u64> {
        self.in_transaction(|s| {
            let mut added = 0;
            for r in rejects {
                let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(r.record.as_bytes()));
                added += s.conn.exec(
                    "INSERT INTO rejects (file, line, record_hash, reason, record) \
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (file, line, record_hash) DO NOTHING",
                    &[
                        Value::text(r.file.as_str()),
                        Value::Int(r.line.min(i64::MAX as u64) as i64),
                        Value::Text(hash),
                        Value::text(r.reason.as_str()),
                        Value::text(r.record.as_str()),
                    ],
                )?;
            }
            Ok(added)
        })
    }

    fn query_events(&mut self, filter: &EventFilter, page: &Page) -> Result<EventPage> {
        let mut q = self.filtered(
            &format!("SELECT {EVENT_COLUMNS}, e.day, e.key {EVENT_FROM}"),
            filter,
        )?;
        // Newest first, undated events last, then by id, newest id first: the order of a
        // backward scan of the (day, key) index, so the first page reads a page's worth of
        // rows, not every event.
        if let Some(c) = &page.cursor {
            let p = cursor_parts(c, 2)?;
            let bad = || StoreError::Invalid {
                what: "cursor",
                value: c.clone(),
                message: "not a cursor this store returned".into(),
            };
            let key: i64 = p[1].parse().map_err(|_| bad())?;
            if p[0] == "-" {
                q.bind(" AND e.day IS NULL AND e.key < ?", Value::Int(key));
            } else {
                let day: i64 = p[0].parse().map_err(|_| bad())?;
                q.bind(" AND (e.day < ?", Value::Int(day));
                q.bind(" OR (e.day = ?", Value::Int(day));
                q.bind(" AND e.key < ?) OR e.day IS NULL)", Value::Int(key));
            }
        }
        let limit = page_limit(page);
        q.bind(
            " ORDER BY e.day DESC NULLS LAST, e.key DESC LIMIT ?",
            Value::Int(limit + 1),
        );
        let rows = self.conn.query(&q.sql, &q.params)?;
        let mut events = Vec::with_capacity(rows.len());
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                let last = &rows[i - 1];
                let day = last
                    .opt_int(9)?
                    .map_or_else(|| "-".to_string(), |d| d.to_string());
                next_cursor = Some(cursor_of(&[&day, &last.int(10)?.to_string()]));
                break;
            }
            events.push(stored_event_of(r)?);
        }
        Ok(EventPage {
            events,
            next_cursor,
        })
    }

    fn count(&mut self, filter: &EventFilter, group_by: &[GroupKey]) -> Result<Vec<CountRow>> {
        if let Some(q) = rollup_query(filter, group_by)? {
            return self.read_counts(&q, group_by);
        }
        let cols: Vec<&str> = group_by.iter().map(|k| group_column(*k)).collect();
        let mut select = String::from("SELECT ");
        for c in &cols {
            select.push_str(c);
            select.push_str(", ");
        }
        select.push_str(
            "COUNT(*), CAST(COALESCE(SUM(e.fatalities), 0) AS BIGINT), \
             CAST(AVG(e.goldstein) AS DOUBLE PRECISION) FROM events e",
        );
        let mut q = self.filtered(&select, filter)?;
        if !cols.is_empty() {
            let list = cols.join(", ");
            q.push(&format!(" GROUP BY {list} ORDER BY {list}"));
        }
        self.read_counts(&q, group_by)
    }

    fn dyads(&mut self, filter: &EventFilter, limit: usize) -> Result<Vec<DyadRow>> {
        let mut q = self.filtered(
            "SELECT COALESCE(e.source_code, ''), COALESCE(e.target_code, ''), COUNT(*), \
             CAST(SUM(CASE WHEN e.quad_class >= 3 THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(COALESCE(SUM(e.fatalities), 0) AS BIGINT), \
             CAST(AVG(e.goldstein) AS DOUBLE PRECISION) FROM events e",
            filter,
        )?;
        q.push(" AND e.source_code IS NOT NULL AND e.target_code IS NOT NULL");
        q.bind(
            " GROUP BY e.source_code, e.target_code ORDER BY COUNT(*) DESC, 1, 2 LIMIT ?",
            Value::Int(limit.clamp(1, 10_000) as i64),
        );
        self.conn
            .query(&q.sql, &q.params)?
            .iter()
            .map(|r| {
                Ok(DyadRow {
                    source: r.str(0)?,
                    target: r.str(1)?,
                    count: r.int(2)? as u64,
                    conflict: r.int(3)? as u64,
                    fatalities: r.int(4)?.max(0) as u64,
                    goldstein_mean: r.opt_real(5)?,
                })
            })
            .collect()
    }

    fn event_mentions(
        &mut self,
        id: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Option<EventDetail>> {
        // An id may be the event's or any of its mentions'.
        let cluster = self
            .conn
            .query(
                "SELECT cluster FROM mentions WHERE key = ? AND id = ?",
                &[Value::Int(id_key(id)), Value::text(id)],
            )?
            .first()
            .map(|r| r.int(0))
            .transpose()?;
        let Some(cluster) = cluster else {
            return Ok(None);
        };
        let Some(day) = self.event_day(cluster)? else {
            return Ok(None);
        };
        let (sql, params) = by_day_and_key(
            &format!("SELECT {EVENT_COLUMNS} {EVENT_FROM} WHERE"),
            "e.",
            cluster,
            day,
        );
        let rows = self.conn.query(&sql, &params)?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let event = stored_event_of(row)?;
        // By rank key (the representative first; the key ends with the mention's id, so the
        // order is total), in the database: only the page's JSON is parsed and sent. The keys
        // are ASCII digits and lower-case hex of one length, so every collation orders them
        // as bytes do.
        let mut sql = cluster_members(
            "SELECT m.id, m.article_id, a.source, a.title, a.url, m.sentence, m.json, \
             m.merged_with, m.reason, m.rank_key FROM mentions m \
             JOIN articles a ON a.id = m.article_id",
            "= ?",
        );
        sql.push_str(" ORDER BY 10");
        let mut params = vec![Value::Int(cluster), Value::Int(cluster)];
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        if limit.is_some() || offset > 0 {
            // one row more than the page, to tell whether another page follows
            sql.push_str(" LIMIT ? OFFSET ?");
            params.push(Value::Int(
                limit.map_or(i64::MAX, |l| clamp(l.saturating_add(1))),
            ));
            params.push(Value::Int(clamp(offset)));
        }
        let mut rows = self.conn.query(&sql, &params)?;
        let next_mentions_offset = match limit {
            Some(l) if rows.len() as u64 > l => {
                rows.truncate(usize::try_from(l).unwrap_or(usize::MAX));
                Some(offset.saturating_add(l))
            }
            _ => None,
        };
        let mut mentions = Vec::with_capacity(rows.len());
        for r in rows {
            let e: Event = serde_json::from_str(&r.json(6, &"mention")?)
                .map_err(|e| StoreError::Corrupt(format!("mention: {e}")))?;
            mentions.push(Mention {
                mention_id: r.str(0)?,
                article_id: r.str(1)?,
                article_source: r.opt_str(2)?,
                article_title: r.opt_str(3)?,
                article_url: r.opt_str(4)?,
                sentence: count_u32(r.int(5)?),
                date: e.date.clone(),
                location: e.location.as_ref().map(|l| l.name.clone()),
                evidence: e.evidence,
                merged_with: r.opt_str(7)?,
                reason: r.opt_str(8)?,
            });
        }
        Ok(Some(EventDetail {
            event,
            mentions,
            next_mentions_offset,
        }))
    }

    fn articles(&mut self, page: &Page) -> Result<ArticlePage> {
        let mut q = Query::new(
            "SELECT a.id, a.date, a.source, a.url, a.title, a.text_hash, \
             (SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id) FROM articles a WHERE 1 = 1",
        );
        if let Some(c) = &page.cursor {
            q.bind(" AND a.id > ?", Value::text(c.as_str()));
        }
        let limit = page_limit(page);
        q.bind(" ORDER BY a.id LIMIT ?", Value::Int(limit + 1));
        let rows = self.conn.query(&q.sql, &q.params)?;
        let mut articles = Vec::new();
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                next_cursor = Some(rows[i - 1].str(0)?);
                break;
            }
            articles.push(ArticleRow {
                id: r.str(0)?,
                date: r.opt_str(1)?,
                source: r.opt_str(2)?,
                url: r.opt_str(3)?,
                title: r.opt_str(4)?,
                text_hash: r.str(5)?,
                mentions: r.int(6)? as u64,
            });
        }
        Ok(ArticlePage {
            articles,
            next_cursor,
        })
    }

    fn actors(&mut self, filter: &EventFilter, limit: usize) -> Result<Vec<ActorRow>> {
        let mut out: BTreeMap<String, ActorRow> = BTreeMap::new();
        for (col, country, sector, as_source) in [
            ("e.source_code", "e.source_country", "e.source_sector", true),
            (
                "e.target_code",
                "e.target_country",
                "e.target_sector",
                false,
            ),
        ] {
            let mut q = self.filtered(
                &format!("SELECT {col}, MIN({country}), MIN({sector}), COUNT(*) FROM events e"),
                filter,
            )?;
            q.push(&format!(" AND {col} IS NOT NULL GROUP BY {col}"));
            for r in self.conn.query(&q.sql, &q.params)? {
                let code = r.str(0)?;
                let row = out.entry(code.clone()).or_insert_with(|| ActorRow {
                    code,
                    name: None,
                    country: None,
                    sector: None,
                    as_source: 0,
                    as_target: 0,
                });
                row.country = row.country.take().or(r.opt_str(1)?);
                row.sector = row.sector.take().or(r.opt_str(2)?);
                let n = r.int(3)? as u64;
                if as_source {
                    row.as_source += n;
                } else {
                    row.as_target += n;
                }
            }
        }
        let mut rows: Vec<ActorRow> = out.into_values().collect();
        rows.sort_by(|a, b| {
            (b.as_source + b.as_target)
                .cmp(&(a.as_source + a.as_target))
                .then_with(|| a.code.cmp(&b.code))
        });
        rows.truncate(limit.max(1));
        // Names come from one event each.
        for row in &mut rows {
            let r = self.conn.query(
                "SELECT m.json FROM events e JOIN mentions m ON m.key = e.key \
                 WHERE e.source_code = ? OR e.target_code = ? LIMIT 1",
                &[
                    Value::text(row.code.as_str()),
                    Value::text(row.code.as_str()),
                ],
            )?;
            if let Some(r) = r.first() {
                let e: Event = serde_json::from_str(&r.json(0, &"an actor's event")?)?;
                row.name = [e.source, e.target]
                    .into_iter()
                    .flatten()
                    .find(|a| a.code == row.code)
                    .map(|a| a.name);
            }
        }
        Ok(rows)
    }

    fn export(
        &mut self,
        filter: &EventFilter,
        sink: &mut dyn FnMut(&StoredEvent) -> Result<()>,
    ) -> Result<u64> {
        let mut q = self.filtered(&format!("SELECT {EVENT_COLUMNS} {EVENT_FROM}"), filter)?;
        q.push(" ORDER BY e.day NULLS FIRST, e.key");
        let mut n = 0;
        self.conn.query_each(&q.sql, &q.params, &mut |r| {
            sink(&stored_event_of(r)?)?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    fn stats(&mut self) -> Result<StoreStats> {
        let rows = self.conn.query(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM events), \
             (SELECT COUNT(*) FROM mentions), (SELECT COUNT(*) FROM rejects)",
            &[],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StoreError::Corrupt("no stats row".into()))?;
        Ok(StoreStats {
            articles: r.int(0)? as u64,
            events: r.int(1)? as u64,
            mentions: r.int(2)? as u64,
            rejects: r.int(3)? as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `direct_matches` gives, worked out pair by pair: the components of the matching
    /// pairs, and each member's best-ranked direct match with the rule's reason.
    fn pairwise(rule: &MergeRule, members: &[Member]) -> Vec<(Vec<usize>, Links)> {
        let n = members.len();
        let mut comp: Vec<usize> = (0..n).collect();
        let mut links: Links = vec![None; n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                if let Some(r) = rule.matches(&members[i].mkey, &members[j].mkey) {
                    if links[i].as_ref().is_none_or(|(k, _)| j < *k) {
                        links[i] = Some((j, r));
                    }
                    let (a, b) = (comp[i], comp[j]);
                    if a != b {
                        let (lo, hi) = (a.min(b), a.max(b));
                        comp.iter_mut().filter(|c| **c == hi).for_each(|c| *c = lo);
                    }
                }
            }
        }
        let mut out: BTreeMap<usize, (Vec<usize>, Links)> = BTreeMap::new();
        for i in 0..n {
            let e = out.entry(comp[i]).or_default();
            e.0.push(i);
            e.1.push(links[i].clone());
        }
        out.into_values().collect()
    }

    /// Matching classes of equal keys gives what matching every pair gives, on reports
    /// drawn from a few dates, precisions and places (many of them equal, some not matching
    /// themselves: precise places without coordinates).
    #[test]
    fn class_matching_equals_pairwise_matching() {
        let mut bits = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            bits % n
        };
        for round in 0..300 {
            let rule = MergeRule {
                day_tolerance: (round % 3) as i64,
                missing_place_matches: round % 2 == 0,
                ..MergeRule::default()
            };
            let n = 1 + next(40) as usize;
            let members: Vec<Member> = (0..n)
                .map(|i| {
                    let day = 19_000 + next(4) as i64;
                    let days = match next(5) {
                        0 => None,
                        1 => Some((day - day % 7, day - day % 7 + 6)),
                        _ => Some((day, day)),
                    };
                    let place = match next(6) {
                        0 => None,
                        1 => Some(Place {
                            geonames_id: Some(next(2) as i64),
                            country: Some("IRQ".into()),
                            lat: None,
                            lon: None,
                            precise: true,
                        }),
                        2 => Some(Place {
                            geonames_id: None,
                            country: Some("IRQ".into()),
                            lat: None,
                            lon: None,
                            precise: true,
                        }),
                        3 => Some(Place {
                            geonames_id: None,
                            country: Some(["IRQ", "SYR"][next(2) as usize].into()),
                            lat: None,
                            lon: None,
                            precise: false,
                        }),
                        _ => Some(Place {
                            geonames_id: None,
                            country: Some("IRQ".into()),
                            lat: Some(33.0 + next(3) as f64 * 0.2),
                            lon: Some(44.0),
                            precise: true,
                        }),
                    };
                    Member {
                        key: i as i64,
                        id: format!("m{i}"),
                        cluster: i as i64,
                        mkey: MatchKey {
                            key: ["19|USA|MIL|IRQ|", "18|USA|MIL|IRQ|"][next(2) as usize].into(),
                            days,
                            place,
                        },
                        rank_key: format!("{i:04}"),
                        fatalities: None,
                        article_id: format!("a{i}"),
                        source: String::new(),
                        merged_with: None,
                        reason: None,
                    }
                })
                .collect();
            assert_eq!(
                direct_matches(&rule, &members),
                pairwise(&rule, &members),
                "round {round}"
            );
        }
    }

    /// An event given from memory is the one its stored JSON gives back whenever
    /// `reads_back_the_same` says so, whatever its floats.
    #[test]
    fn events_from_memory_equal_their_stored_json() {
        let mut bits = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            bits
        };
        let mut agreed = 0;
        for (_, events) in crate::bench::synthetic(0, 250) {
            for mut e in events {
                if let Some(l) = e.location.as_mut() {
                    // Random doubles, many with 17 significant digits, and a few plain ones.
                    let r = next();
                    l.lat = Some(match r % 3 {
                        0 => (r >> 11) as f64 / (1u64 << 53) as f64 * 180.0 - 90.0,
                        1 => ((r >> 20) % 1_000_000) as f64 / 10_000.0,
                        _ => f64::from_bits(r),
                    });
                    l.lon = Some((next() >> 11) as f64 / (1u64 << 53) as f64 * 360.0 - 180.0);
                }
                let back: Option<Event> = serde_json::to_string(&e)
                    .ok()
                    .and_then(|j| serde_json::from_str(&j).ok());
                let same = back.is_some_and(|b| {
                    let (l, m) = (b.location.as_ref(), e.location.as_ref());
                    b.cameo.goldstein.to_bits() == e.cameo.goldstein.to_bits()
                        && l.and_then(|l| l.lat).map(f64::to_bits)
                            == m.and_then(|l| l.lat).map(f64::to_bits)
                        && l.and_then(|l| l.lon).map(f64::to_bits)
                            == m.and_then(|l| l.lon).map(f64::to_bits)
                });
                if reads_back_the_same(&e) {
                    assert!(same, "{:?}", e.location);
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 100);
    }
}
