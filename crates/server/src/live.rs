//! Writing and live updates: JSONL articles from `POST /api/ingest` or from the watched
//! folder are coded, stored, and their stored events pushed to `/api/stream` subscribers as
//! server-sent events.
//!
//! The watcher polls: every interval it lists the folder, and a `.jsonl` file whose size and
//! modification time held still for one interval is ingested (again when it changes later;
//! ingest is idempotent, so a file read twice adds nothing).

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{RawQuery, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use dyad_model::{Article, Event};
use dyad_store::{EventFilter, IngestStats, Page, RejectRecord, StoredEvent};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::error::ApiError;
use crate::params::Params;
use crate::AppState;

/// Events newly stored, as one server-sent event `events`.
#[derive(Clone, Debug, Serialize)]
pub struct Batch {
    /// The watched file they came from, or `POST /api/ingest`.
    pub file: String,
    pub events: Vec<StoredEvent>,
}

/// A line that was not an article.
#[derive(Clone, Debug, Serialize)]
pub struct LineReject {
    pub line: u64,
    pub message: String,
    #[serde(skip)]
    pub record: String,
}

/// What one ingest did: articles coded, lines rejected, what the store did, the coded events.
#[derive(Debug, Serialize)]
pub struct IngestOutcome {
    pub articles: usize,
    pub rejected: Vec<LineReject>,
    pub stored: IngestStats,
    pub events: Vec<Event>,
}

/// Split a JSONL body into articles and rejected lines (blank lines are skipped).
pub fn parse_jsonl(body: &[u8]) -> (Vec<Article>, Vec<LineReject>) {
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match dyad_pipeline::read::parse_json_article(line) {
            Ok(a) => articles.push(a),
            Err(message) => rejects.push(LineReject {
                line: i as u64 + 1,
                message,
                record: String::from_utf8_lossy(line).into_owned(),
            }),
        }
    }
    (articles, rejects)
}

/// Code the articles, store them and their rejects (one write at a time), and push the stored
/// events to the stream.
pub async fn ingest(
    st: &Arc<AppState>,
    articles: Vec<Article>,
    rejects: Vec<LineReject>,
    origin: &str,
) -> Result<IngestOutcome, ApiError> {
    let Some(coder) = st.coder.clone() else {
        return Err(ApiError::internal("no coder is loaded"));
    };
    let _write = st.write_lock.lock().await;
    let n_articles = articles.len();
    let coded = tokio::task::spawn_blocking(move || {
        articles
            .into_iter()
            .map(|a| {
                let events = coder.code(&a).events;
                (a, events)
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|_| ApiError::internal("the coder crashed on this input"))?;
    let events: Vec<Event> = coded.iter().flat_map(|(_, e)| e.iter().cloned()).collect();
    let ids: Vec<String> = coded.iter().map(|(a, _)| a.id.clone()).collect();
    let records: Vec<RejectRecord> = rejects
        .iter()
        .map(|r| RejectRecord {
            file: origin.to_string(),
            line: r.line,
            reason: r.message.clone(),
            record: r.record.clone(),
        })
        .collect();
    let limit = st.config.ingest_timeout;
    let result = st
        .pool
        .run_for(limit, move |s| {
            let stats = s.ingest(&coded)?;
            if !records.is_empty() {
                s.add_rejects(&records)?;
            }
            // What the dashboard shows: the stored events these articles now have a part in.
            let mut fresh: Vec<StoredEvent> = Vec::new();
            for id in ids.iter().take(500) {
                let filter = EventFilter {
                    article: Some(id.clone()),
                    ..EventFilter::default()
                };
                let page = Page {
                    limit: 1000,
                    cursor: None,
                };
                fresh.extend(s.query_events(&filter, &page)?.events);
            }
            Ok((stats, fresh))
        })
        .await;
    // Whatever happened, the store may have changed.
    st.cache.clear();
    let (stored, fresh) = result?;
    if !fresh.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let events: Vec<StoredEvent> = fresh
            .into_iter()
            .filter(|e| seen.insert(e.event.event_id.clone()))
            .collect();
        // No subscriber is not an error.
        let _ = st.events_tx.send(Arc::new(Batch {
            file: origin.to_string(),
            events,
        }));
    }
    Ok(IngestOutcome {
        articles: n_articles,
        rejected: rejects,
        stored,
        events,
    })
}

/// `GET /api/stream`: server-sent events. `ready` once, then `events` with a [`Batch`] as
/// JSON whenever events are stored; a comment every 15 s keeps the connection open.
pub async fn stream(
    State(st): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let rx = st.events_tx.subscribe();
    let ready =
        stream::once(async { Ok::<_, Infallible>(SseEvent::default().event("ready").data("{}")) });
    let updates = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(batch) => {
                    let data = serde_json::to_string(&*batch).unwrap_or_else(|_| "{}".into());
                    let ev = SseEvent::default().event("events").data(data);
                    return Some((Ok::<_, Infallible>(ev), rx));
                }
                // A slow client missed some batches: go on with the next.
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let body: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> =
        Box::pin(futures_util::StreamExt::chain(ready, updates));
    Ok(Sse::new(body).keep_alive(KeepAlive::default()))
}

/// One file's last seen size and time, and whether that state was ingested.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<SystemTime>,
    done: bool,
}

/// Poll the watched folder forever.
pub async fn watch(st: Arc<AppState>) {
    let Some(dir) = st.config.watch.clone() else {
        return;
    };
    let mut seen: HashMap<PathBuf, Seen> = HashMap::new();
    let mut tick = tokio::time::interval(st.config.watch_interval);
    loop {
        tick.tick().await;
        for path in ready_files(&dir, &mut seen).await {
            watch_file(&st, &path).await;
            if let Some(s) = seen.get_mut(&path) {
                s.done = true;
            }
        }
    }
}

/// Files whose size and time are the same as at the last look and not yet ingested.
async fn ready_files(dir: &Path, seen: &mut HashMap<PathBuf, Seen>) -> Vec<PathBuf> {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return Vec::new();
    };
    let mut ready = Vec::new();
    while let Ok(Some(entry)) = entries.next_entry().await {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        let Ok(meta) = entry.metadata().await else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let now = Seen {
            len: meta.len(),
            modified: meta.modified().ok(),
            done: false,
        };
        match seen.get(&path) {
            Some(prev) if prev.len == now.len && prev.modified == now.modified => {
                if !prev.done {
                    ready.push(path);
                }
            }
            _ => {
                seen.insert(path, now);
            }
        }
    }
    ready.sort();
    ready
}

async fn watch_file(st: &Arc<AppState>, path: &Path) {
    let name = path.display().to_string();
    let bytes = match tokio::fs::read(path).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("dyad serve: cannot read {name}: {e}");
            return;
        }
    };
    let (articles, rejects) = parse_jsonl(&bytes);
    for r in &rejects {
        eprintln!("dyad serve: {name}:{}: {}", r.line, r.message);
    }
    if articles.is_empty() {
        return;
    }
    // Batches of articles, so one huge file neither holds the write lock for ever nor
    // runs into the ingest time limit.
    let mut articles = articles.into_iter().peekable();
    let mut rejects = Some(rejects);
    while articles.peek().is_some() {
        let batch: Vec<Article> = articles.by_ref().take(256).collect();
        let n = batch.len();
        match ingest(st, batch, rejects.take().unwrap_or_default(), &name).await {
            Ok(out) => eprintln!(
                "dyad serve: {name}: {n} articles, {} events",
                out.events.len()
            ),
            Err(e) => {
                eprintln!("dyad serve: {name}: {e}");
                return;
            }
        }
    }
}
