//! The store's logic, written once over [`Conn`]: migrations, idempotent ingest, clustering
//! of mentions into events, and the queries.

use std::collections::{BTreeMap, BTreeSet};

use dyad_model::{Article, DatePrecision, Event};

use crate::merge::{self, MatchKey, MergeRule, Place};
use crate::sql::{group_column, push_filter, Conn, Query, Row, Value};
use crate::{
    ActorRow, ArticlePage, ArticleRow, CountRow, DyadRow, EventDetail, EventFilter, EventPage,
    GroupKey, IngestStats, Mention, Page, RejectRecord, Result, Store, StoreError, StoreStats,
    StoredEvent,
};

/// The schema migrations, in order: (version, SQL).
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_init.sql"))];

/// A store over any connection.
pub struct Engine<C: Conn> {
    conn: C,
    rule: MergeRule,
}

/// A mention as the clustering sees it.
#[derive(Clone, Debug)]
struct Member {
    id: String,
    cluster_id: String,
    key: MatchKey,
    rank_key: String,
    fatalities: Option<i64>,
    article_id: String,
    /// The article's source, or the article id when it has none.
    source: String,
    merged_with: Option<String>,
    reason: Option<String>,
}

const MEMBER_COLUMNS: &str = "m.id, m.cluster_id, m.merge_key, m.day_lo, m.day_hi, m.has_place, \
     m.geonames_id, m.place_country, m.lat, m.lon, m.precise, m.rank_key, m.fatalities, \
     m.article_id, COALESCE(a.source, m.article_id), m.merged_with, m.reason";

/// The mentions a new one may match: same blocking key, date ranges within the window (a
/// range is at most a year long, which bounds `day_lo` from below for the index).
const CANDIDATES: &str = "SELECT m.cluster_id, m.merge_key, m.day_lo, m.day_hi, m.has_place, \
     m.geonames_id, m.place_country, m.lat, m.lon, m.precise FROM mentions m \
     WHERE m.merge_key = ? AND m.day_lo >= ? AND m.day_lo <= ? AND m.day_hi >= ? AND m.id <> ?";

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
    let days = match (r.opt_int(3)?, r.opt_int(4)?) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    let place = (r.int(5)? != 0).then(|| -> Result<Place> {
        Ok(Place {
            geonames_id: r.opt_int(6)?,
            country: r.opt_str(7)?,
            lat: r.opt_real(8)?,
            lon: r.opt_real(9)?,
            precise: r.int(10)? != 0,
        })
    });
    Ok(Member {
        id: r.str(0)?,
        cluster_id: r.str(1)?,
        key: MatchKey {
            key: r.str(2)?,
            days,
            place: place.transpose()?,
        },
        rank_key: r.str(11)?,
        fatalities: r.opt_int(12)?,
        article_id: r.str(13)?,
        source: r.str(14)?,
        merged_with: r.opt_str(15)?,
        reason: r.opt_str(16)?,
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
    format!("{date}{place}{}", e.event_id)
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

const EVENT_COLUMNS: &str =
    "e.id, e.fatalities, e.num_mentions, e.num_sources, e.num_articles, m.json";

fn stored_event_of(r: &Row) -> Result<StoredEvent> {
    let json = r.str(5)?;
    let mut event: Event = serde_json::from_str(&json)
        .map_err(|e| StoreError::Corrupt(format!("event {}: {e}", r.str(0).unwrap_or_default())))?;
    event.event_id = r.str(0)?;
    event.fatalities = r.opt_int(1)?.map(count_u32);
    Ok(StoredEvent {
        event,
        num_mentions: count_u32(r.int(2)?),
        num_sources: count_u32(r.int(3)?),
        num_articles: count_u32(r.int(4)?),
    })
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
        for &(version, sql) in MIGRATIONS {
            if version <= current {
                continue;
            }
            let begin = self.conn.begin_sql();
            self.conn.batch(begin)?;
            let sql = self.conn.adapt_ddl(sql);
            let applied = self.conn.batch(&sql).and_then(|_| {
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

    fn ingest_article(
        &mut self,
        article: &Article,
        events: &[Event],
        stats: &mut IngestStats,
    ) -> Result<()> {
        let hash = crate::article_hash(article);
        let old = self.conn.query(
            "SELECT text_hash FROM articles WHERE id = ?",
            &[Value::text(article.id.as_str())],
        )?;
        let params = [
            Value::text(article.id.as_str()),
            Value::opt_text(article.date.as_deref()),
            Value::opt_text(article.source.as_deref()),
            Value::opt_text(article.url.as_deref()),
            Value::opt_text(article.title.as_deref()),
            Value::opt_text(article.language.as_deref()),
            Value::text(hash.as_str()),
        ];
        match old.first() {
            Some(r) if r.str(0)? == hash => {
                stats.articles_unchanged += 1;
                return Ok(());
            }
            Some(_) => {
                stats.articles_replaced += 1;
                let clusters: Vec<String> = self
                    .conn
                    .query(
                        "SELECT DISTINCT cluster_id FROM mentions WHERE article_id = ?",
                        &[Value::text(article.id.as_str())],
                    )?
                    .iter()
                    .map(|r| r.str(0))
                    .collect::<Result<_>>()?;
                self.conn.exec(
                    "DELETE FROM mentions WHERE article_id = ?",
                    &[Value::text(article.id.as_str())],
                )?;
                self.conn.exec(
                    "UPDATE articles SET date = ?, source = ?, url = ?, title = ?, language = ?, \
                     text_hash = ? WHERE id = ?",
                    &[
                        params[1].clone(),
                        params[2].clone(),
                        params[3].clone(),
                        params[4].clone(),
                        params[5].clone(),
                        params[6].clone(),
                        params[0].clone(),
                    ],
                )?;
                self.rebuild(&clusters)?;
            }
            None => {
                stats.articles_added += 1;
                self.conn.exec(
                    "INSERT INTO articles (id, date, source, url, title, language, text_hash) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &params,
                )?;
            }
        }
        let mut seen = BTreeSet::new();
        for e in events {
            if !seen.insert(e.event_id.as_str()) {
                continue;
            }
            self.add_mention(article, e, stats)?;
        }
        Ok(())
    }

    fn add_mention(&mut self, article: &Article, e: &Event, stats: &mut IngestStats) -> Result<()> {
        let key = MatchKey::of(e);
        let json = serde_json::to_string(e)?;
        let (lo, hi) = match key.days {
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        };
        let place = key.place.as_ref();
        let changed = self.conn.exec(
            "INSERT INTO mentions (id, article_id, sentence, cluster_id, merge_key, day_lo, day_hi, \
             has_place, geonames_id, place_country, lat, lon, precise, fatalities, rank_key, json) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            &[
                Value::text(e.event_id.as_str()),
                Value::text(article.id.as_str()),
                Value::Int(e.sentence as i64),
                Value::text(e.event_id.as_str()),
                Value::text(key.key.as_str()),
                Value::opt_int(lo),
                Value::opt_int(hi),
                Value::Int(place.is_some() as i64),
                Value::opt_int(place.and_then(|p| p.geonames_id)),
                Value::opt_text(place.and_then(|p| p.country.as_deref())),
                Value::opt_real(place.and_then(|p| p.lat)),
                Value::opt_real(place.and_then(|p| p.lon)),
                Value::Int(place.is_some_and(|p| p.precise) as i64),
                Value::opt_int(e.fatalities.map(i64::from)),
                Value::Text(rank_key(e)),
                Value::Text(json),
            ],
        )?;
        if changed == 0 {
            // The same event id from another article: ids hash the article id, so this is a
            // collision we cannot store twice.
            return Ok(());
        }
        stats.mentions_added += 1;
        let mut clusters = BTreeSet::new();
        if self.rule.enabled {
            if let Some((lo, hi)) = key.days {
                let w = self.rule.window();
                let rows = self.conn.query(
                    CANDIDATES,
                    &[
                        Value::text(key.key.as_str()),
                        Value::Int(lo - w - 366),
                        Value::Int(hi + w),
                        Value::Int(lo - w),
                        Value::text(e.event_id.as_str()),
                    ],
                )?;
                for r in &rows {
                    if self.rule.matches(&key, &match_key_of(r, 1)?).is_some() {
                        clusters.insert(r.str(0)?);
                    }
                }
            }
        }
        if clusters.is_empty() {
            self.write_event(e, e.fatalities.map(i64::from), 1, 1, 1)?;
        } else {
            stats.mentions_merged += 1;
            clusters.insert(e.event_id.clone());
            let clusters: Vec<String> = clusters.into_iter().collect();
            self.rebuild(&clusters)?;
        }
        Ok(())
    }

    /// Write the events row of a cluster whose representative is `rep`.
    fn write_event(
        &mut self,
        rep: &Event,
        fatalities: Option<i64>,
        mentions: i64,
        sources: i64,
        articles: i64,
    ) -> Result<()> {
        let day = rep.date.as_deref().and_then(merge::parse_date);
        let loc = rep.location.as_ref();
        let src = rep.source.as_ref();
        let tgt = rep.target.as_ref();
        let dyad = format!(
            "{}>{}",
            src.map_or("", |a| a.code.as_str()),
            tgt.map_or("", |a| a.code.as_str())
        );
        self.conn.exec(
            "INSERT INTO events (id, article_id, sentence, date, day, week, month, date_precision, \
             source_code, source_country, source_sector, target_code, target_country, \
             target_sector, dyad, cameo_code, root, quad_class, goldstein, plover_type, \
             acled_type, acled_sub_type, country, admin1, lat, lon, geonames_id, fatalities, \
             num_mentions, num_sources, num_articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \
             ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                Value::text(rep.event_id.as_str()),
                Value::text(rep.article_id.as_str()),
                Value::Int(rep.sentence as i64),
                Value::opt_text(day.map(merge::format_day).as_deref()),
                Value::opt_int(day),
                Value::opt_int(day.map(merge::week_start)),
                Value::opt_text(day.map(|d| merge::format_day(d)[..7].to_string()).as_deref()),
                Value::opt_text(precision_name(rep.date_precision)),
                Value::opt_text(src.map(|a| a.code.as_str())),
                Value::opt_text(src.and_then(|a| a.country.as_deref())),
                Value::opt_text(src.and_then(|a| a.sector.as_deref())),
                Value::opt_text(tgt.map(|a| a.code.as_str())),
                Value::opt_text(tgt.and_then(|a| a.country.as_deref())),
                Value::opt_text(tgt.and_then(|a| a.sector.as_deref())),
                Value::Text(dyad),
                Value::text(rep.cameo.code.as_str()),
                Value::text(rep.cameo.root.as_str()),
                Value::Int(rep.cameo.quad_class as i64),
                Value::Real(rep.cameo.goldstein),
                Value::opt_text(rep.plover.event_type.as_deref()),
                Value::opt_text(rep.acled.event_type.as_deref()),
                Value::opt_text(rep.acled.sub_event_type.as_deref()),
                Value::opt_text(loc.and_then(|l| l.country.as_deref())),
                Value::opt_text(loc.and_then(|l| l.admin1.as_deref())),
                Value::opt_real(loc.and_then(|l| l.lat)),
                Value::opt_real(loc.and_then(|l| l.lon)),
                Value::opt_int(loc.and_then(|l| l.geonames_id).map(|g| g as i64)),
                Value::opt_int(fatalities),
                Value::Int(mentions),
                Value::Int(sources),
                Value::Int(articles),
            ],
        )?;
        self.conn.exec(
            "INSERT INTO daily_counts (day, week, month, country, root, plover_type, quad_class, \
             n, fatalities, goldstein_sum) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) \
             ON CONFLICT (week, country, day, root, plover_type, quad_class) DO UPDATE SET \
             n = daily_counts.n + 1, fatalities = daily_counts.fatalities + excluded.fatalities, \
             goldstein_sum = daily_counts.goldstein_sum + excluded.goldstein_sum",
            &[
                Value::Int(day.unwrap_or(NO_DAY)),
                Value::Int(day.map_or(NO_DAY, merge::week_start)),
                Value::Text(day.map_or(String::new(), |d| merge::format_day(d)[..7].to_string())),
                Value::text(loc.and_then(|l| l.country.as_deref()).unwrap_or("")),
                Value::text(rep.cameo.root.as_str()),
                Value::text(rep.plover.event_type.as_deref().unwrap_or("")),
                Value::Int(rep.cameo.quad_class as i64),
                Value::Int(fatalities.unwrap_or(0)),
                Value::Real(rep.cameo.goldstein),
            ],
        )?;
        Ok(())
    }

    /// Delete an events row and take it out of the daily counts.
    fn delete_event(&mut self, id: &str) -> Result<()> {
        let old = self.conn.query(
            "SELECT COALESCE(day, -999999999), COALESCE(country, ''), root, COALESCE(plover_type, ''), \
             quad_class, COALESCE(fatalities, 0), goldstein FROM events WHERE id = ?",
            &[Value::text(id)],
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
        let key = [
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
        params.extend(key.iter().cloned());
        self.conn.exec(
            "UPDATE daily_counts SET n = n - 1, fatalities = fatalities - ?, \
             goldstein_sum = goldstein_sum - ? WHERE week = ? AND country = ? AND day = ? \
             AND root = ? AND plover_type = ? AND quad_class = ?",
            &params,
        )?;
        self.conn.exec(
            "DELETE FROM daily_counts WHERE n <= 0 AND week = ? AND country = ? AND day = ? \
             AND root = ? AND plover_type = ? AND quad_class = ?",
            &key,
        )?;
        self.conn
            .exec("DELETE FROM events WHERE id = ?", &[Value::text(id)])?;
        Ok(())
    }

    /// Recompute the clusters of these ids from their current members: connected components
    /// of the merge rule's "same event" relation, so the result depends only on which mentions
    /// are stored, never on the order they came in.
    fn rebuild(&mut self, cluster_ids: &[String]) -> Result<()> {
        let mut members: Vec<Member> = Vec::new();
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM mentions m JOIN articles a ON a.id = m.article_id \
             WHERE m.cluster_id = ?"
        );
        for c in cluster_ids {
            for r in self.conn.query(&sql, &[Value::text(c.as_str())])? {
                members.push(member_of(&r)?);
            }
            self.delete_event(c)?;
        }
        members.sort_by(|a, b| a.rank_key.cmp(&b.rank_key));
        members.dedup_by(|a, b| a.id == b.id);
        let n = members.len();
        // Union-find over the pairs the rule matches.
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        let mut matches: Vec<Vec<(usize, String)>> = vec![Vec::new(); n];
        for i in 0..n {
            for j in (i + 1)..n {
                if let Some(reason) = self.rule.matches(&members[i].key, &members[j].key) {
                    matches[i].push((j, reason.clone()));
                    matches[j].push((i, reason));
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
        let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            let root = find(&mut parent, i);
            components.entry(root).or_default().push(i);
        }
        for (_, comp) in components {
            // Members are sorted by rank key, so the first is the representative.
            let rep = comp[0];
            let cluster_id = members[rep].id.clone();
            for &i in &comp {
                // Each mention points at the best-ranked mention it matches directly.
                let (merged_with, reason) = if i == rep {
                    (None, None)
                } else {
                    matches[i]
                        .iter()
                        .min_by_key(|(j, _)| *j)
                        .map(|(j, r)| (Some(members[*j].id.clone()), Some(r.clone())))
                        .unwrap_or((None, None))
                };
                let m = &members[i];
                if m.cluster_id != cluster_id || m.merged_with != merged_with || m.reason != reason
                {
                    self.conn.exec(
                        "UPDATE mentions SET cluster_id = ?, merged_with = ?, reason = ? WHERE id = ?",
                        &[
                            Value::text(cluster_id.as_str()),
                            Value::opt_text(merged_with.as_deref()),
                            Value::opt_text(reason.as_deref()),
                            Value::text(m.id.as_str()),
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
            let json = self
                .conn
                .query(
                    "SELECT json FROM mentions WHERE id = ?",
                    &[Value::text(cluster_id.as_str())],
                )?
                .first()
                .map(|r| r.str(0))
                .transpose()?
                .ok_or_else(|| StoreError::Corrupt(format!("mention {cluster_id} vanished")))?;
            let event: Event = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("mention {cluster_id}: {e}")))?;
            self.write_event(
                &event,
                fatalities,
                comp.len() as i64,
                sources.len() as i64,
                articles.len() as i64,
            )?;
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
        self.in_transaction(|s| {
            let mut stats = IngestStats::default();
            for (article, events) in batch {
                s.ingest_article(article, events, &mut stats)?;
            }
            Ok(stats)
        })
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
            &format!("SELECT {EVENT_COLUMNS}, e.day FROM events e JOIN mentions m ON m.id = e.id"),
            filter,
        )?;
        // Newest first; undated events (day null, taken as -1) last; then by id.
        if let Some(c) = &page.cursor {
            let p = cursor_parts(c, 2)?;
            let day: i64 = p[0].parse().map_err(|_| StoreError::Invalid {
                what: "cursor",
                value: c.clone(),
                message: "not a cursor this store returned".into(),
            })?;
            q.bind(" AND (COALESCE(e.day, -1) < ?", Value::Int(day));
            q.bind(" OR (COALESCE(e.day, -1) = ?", Value::Int(day));
            q.bind(" AND e.id > ?))", Value::text(p[1].as_str()));
        }
        let limit = page_limit(page);
        q.bind(
            " ORDER BY COALESCE(e.day, -1) DESC, e.id LIMIT ?",
            Value::Int(limit + 1),
        );
        let rows = self.conn.query(&q.sql, &q.params)?;
        let mut events = Vec::with_capacity(rows.len());
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                let last = &rows[i - 1];
                let day = last.opt_int(6)?.unwrap_or(-1).to_string();
                next_cursor = Some(cursor_of(&[&day, &last.str(0)?]));
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

    fn event(&mut self, id: &str) -> Result<Option<EventDetail>> {
        // An id may be the event's or any of its mentions'.
        let cluster = self
            .conn
            .query(
                "SELECT cluster_id FROM mentions WHERE id = ?",
                &[Value::text(id)],
            )?
            .first()
            .map(|r| r.str(0))
            .transpose()?;
        let Some(cluster) = cluster else {
            return Ok(None);
        };
        let rows = self.conn.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events e JOIN mentions m ON m.id = e.id WHERE e.id = ?"),
            &[Value::text(cluster.as_str())],
        )?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let event = stored_event_of(row)?;
        let mut mentions = Vec::new();
        for r in self.conn.query(
            "SELECT m.id, m.article_id, a.source, a.title, a.url, m.sentence, m.json, \
             m.merged_with, m.reason FROM mentions m JOIN articles a ON a.id = m.article_id \
             WHERE m.cluster_id = ? ORDER BY m.rank_key",
            &[Value::text(cluster.as_str())],
        )? {
            let e: Event = serde_json::from_str(&r.str(6)?)
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
        Ok(Some(EventDetail { event, mentions }))
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
                "SELECT m.json FROM events e JOIN mentions m ON m.id = e.id \
                 WHERE e.source_code = ? OR e.target_code = ? LIMIT 1",
                &[
                    Value::text(row.code.as_str()),
                    Value::text(row.code.as_str()),
                ],
            )?;
            if let Some(r) = r.first() {
                let e: Event = serde_json::from_str(&r.str(0)?)?;
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
        let mut q = self.filtered(
            &format!("SELECT {EVENT_COLUMNS} FROM events e JOIN mentions m ON m.id = e.id"),
            filter,
        )?;
        q.push(" ORDER BY COALESCE(e.day, -1), e.id");
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
