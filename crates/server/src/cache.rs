//! A cache of read responses. Dashboards ask the same questions over and over (the weekly
//! series, the dyads, the first page of events); an aggregate over millions of events costs
//! far more than serving its answer again.
//!
//! An answer stays valid while the store is unchanged: for a SQLite store, while the database
//! file and its write-ahead log keep their size and modification time (a write by any process
//! changes them; checked with two `stat` calls per request); for PostgreSQL, for a short time
//! ([`PG_TTL`]). Our own writes (ingest, the watched folder) clear it at once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;

/// How long an answer from a PostgreSQL store is served again.
pub const PG_TTL: Duration = Duration::from_secs(2);
/// How long any answer is served at most.
pub const MAX_TTL: Duration = Duration::from_secs(300);
/// Entries and bytes at most; past either the cache starts over.
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 256 * 1024 * 1024;

/// What identifies a state of the store.
pub type Stamp = Vec<Option<(u64, Option<SystemTime>)>>;

struct Entry {
    stamp: Stamp,
    at: Instant,
    body: Bytes,
}

/// Serialized JSON answers by request.
pub struct ResponseCache {
    enabled: bool,
    files: Vec<PathBuf>,
    ttl: Duration,
    inner: Mutex<(HashMap<String, Entry>, usize)>,
}

impl ResponseCache {
    /// A cache for the store at `db` (a SQLite path or a PostgreSQL URL); a disabled one
    /// never answers.
    pub fn new(db: &str, enabled: bool) -> Self {
        let (files, ttl) = if dyad_store::is_postgres_url(db) {
            (Vec::new(), PG_TTL)
        } else {
            let files = ["", "-wal"]
                .iter()
                .map(|s| PathBuf::from(format!("{db}{s}")))
                .collect();
            (files, MAX_TTL)
        };
        ResponseCache {
            enabled,
            files,
            ttl,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    fn stamp(&self) -> Stamp {
        self.files
            .iter()
            .map(|f| {
                std::fs::metadata(f)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()))
            })
            .collect()
    }

    /// The stored answer to `key`, if the store has not changed since.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        if !self.enabled {
            return None;
        }
        let stamp = self.stamp();
        let inner = self.inner.lock().ok()?;
        let e = inner.0.get(key)?;
        (e.stamp == stamp && e.at.elapsed() < self.ttl).then(|| e.body.clone())
    }

    /// Remember an answer. `stamp_before` is the store's stamp taken before the query ran, so
    /// a write that lands during the query makes the answer stale rather than wrongly fresh.
    pub fn put(&self, key: String, stamp_before: Stamp, body: Bytes) {
        if !self.enabled {
            return;
        }
        if let Ok(mut inner) = self.inner.lock() {
            if inner.0.len() >= MAX_ENTRIES || inner.1 + body.len() > MAX_BYTES {
                inner.0.clear();
                inner.1 = 0;
            }
            inner.1 += body.len();
            let old = inner.0.insert(
                key,
                Entry {
                    stamp: stamp_before,
                    at: Instant::now(),
                    body,
                },
            );
            if let Some(old) = old {
                inner.1 -= old.body.len();
            }
        }
    }

    /// The current stamp, to pass to [`ResponseCache::put`].
    pub fn before(&self) -> Stamp {
        self.stamp()
    }

    /// Forget everything (after our own writes).
    pub fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.0.clear();
            inner.1 = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_go_stale_when_the_store_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"one").unwrap();
        let cache = ResponseCache::new(db.to_str().unwrap(), true);
        let before = cache.before();
        cache.put("k".into(), before, Bytes::from_static(b"{}"));
        assert_eq!(cache.get("k").as_deref(), Some(&b"{}"[..]));
        assert!(cache.get("other").is_none());
        std::fs::write(&db, b"one more").unwrap();
        assert!(cache.get("k").is_none());
        let before = cache.before();
        cache.put("k".into(), before, Bytes::from_static(b"[]"));
        assert!(cache.get("k").is_some());
        cache.clear();
        assert!(cache.get("k").is_none());
        let off = ResponseCache::new(db.to_str().unwrap(), false);
        off.put("k".into(), off.before(), Bytes::from_static(b"{}"));
        assert!(off.get("k").is_none());
    }
}
