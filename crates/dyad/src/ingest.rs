//! Storing while coding: `dyad code --db` and `dyad ingest`. The pipeline hands each coded
//! batch to [`StoreObserver`], which gathers batches up to `--db-batch-articles` (by default
//! [`STORE_BATCH_ARTICLES`]) articles or [`dyad_store::INGEST_BATCH_EVENTS`] events and
//! stores them in one transaction; rejected records are captured on their way to the rejects
//! file and stored too.

use std::io::{self, Write};
use std::sync::{mpsc, Arc, Mutex};

use anyhow::{Context, Result};
use dyad_model::{Article, Event};
use dyad_pipeline::read::Reject;
use dyad_pipeline::run::Observer;
use dyad_store::{IngestStats, RejectRecord, Store};

/// Coded articles are stored a transaction per this many by default (`--db-batch-articles`
/// sets it; a transaction holds whole pipeline batches), or per
/// [`dyad_store::INGEST_BATCH_EVENTS`] events when those come first: the store's own advice
/// ([`dyad_store::INGEST_BATCH_ARTICLES`], which says why). A run killed meanwhile loses at
/// most the articles gathered and the open transaction, which running it again stores.
pub const STORE_BATCH_ARTICLES: usize = dyad_store::INGEST_BATCH_ARTICLES;

/// The store of a coding run, if `--db` was given. A thread of its own stores the gathered
/// batches while the pipeline codes the next ones.
pub struct Ingest {
    worker: Option<Worker>,
    /// Coded articles not stored yet.
    gathered: Vec<(Article, Vec<Event>)>,
    /// The events of `gathered`.
    gathered_events: usize,
    /// Store once this many articles are gathered,
    batch: usize,
    /// or this many events.
    batch_events: usize,
    captured: Arc<Mutex<Vec<u8>>>,
    pending: Vec<RejectRecord>,
}

/// What the store thread is handed, in order.
enum Job {
    Batch(Vec<(Article, Vec<Event>)>),
    Rejects(Vec<RejectRecord>),
}

/// The store thread: it takes one job at a time (the channel holds none), so at most one
/// batch is being stored while the next is gathered.
struct Worker {
    jobs: Option<mpsc::SyncSender<Job>>,
    thread: Option<std::thread::JoinHandle<Stored>>,
    /// The first error the thread met; it stores nothing after it.
    failed: Arc<Mutex<Option<String>>>,
}

/// What the store thread hands back when the jobs end.
struct Stored {
    store: Box<dyn Store>,
    stats: IngestStats,
    rejects: u64,
    error: Option<anyhow::Error>,
}

impl Worker {
    fn start(store: Box<dyn Store>) -> Result<Worker> {
        let (jobs, rx) = mpsc::sync_channel::<Job>(0);
        let failed: Arc<Mutex<Option<String>>> = Arc::default();
        let seen = failed.clone();
        let thread = std::thread::Builder::new()
            .name("dyad-store".into())
            .spawn(move || {
                let mut out = Stored {
                    store,
                    stats: IngestStats::default(),
                    rejects: 0,
                    error: None,
                };
                for job in rx {
                    if out.error.is_some() {
                        continue;
                    }
                    if let Err(e) = run_job(&mut out, job) {
                        if let Ok(mut f) = seen.lock() {
                            *f = Some(format!("{e:#}"));
                        }
                        out.error = Some(e);
                    }
                }
                out
            })
            .context("starting the store thread")?;
        Ok(Worker {
            jobs: Some(jobs),
            thread: Some(thread),
            failed,
        })
    }

    /// Hand `job` over; an error the thread met earlier is returned instead.
    fn send(&mut self, job: Job) -> Result<()> {
        if let Some(e) = self.failed.lock().ok().and_then(|f| f.clone()) {
            anyhow::bail!("{e}");
        }
        match &self.jobs {
            Some(jobs) if jobs.send(job).is_ok() => Ok(()),
            _ => anyhow::bail!("the store thread has stopped"),
        }
    }

    /// Wait for the jobs handed over to be done.
    fn join(&mut self) -> Result<Stored> {
        self.jobs = None;
        let thread = self.thread.take().context("the store thread has stopped")?;
        thread
            .join()
            .map_err(|_| anyhow::anyhow!("the store thread panicked"))
    }
}

impl Drop for Worker {
    /// A run that ends early still stores what it handed over.
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.join();
        }
    }
}

fn run_job(out: &mut Stored, job: Job) -> Result<()> {
    match job {
        Job::Batch(batch) => {
            let st = out.store.ingest(&batch).with_context(|| {
                let first = batch.first().map_or("", |(a, _)| a.id.as_str());
                format!("storing the batch from article {first:?}")
            })?;
            let t = &mut out.stats;
            t.articles_added += st.articles_added;
            t.articles_replaced += st.articles_replaced;
            t.articles_unchanged += st.articles_unchanged;
            t.mentions_added += st.mentions_added;
            t.mentions_merged += st.mentions_merged;
        }
        Job::Rejects(rejects) => {
            out.rejects += out
                .store
                .add_rejects(&rejects)
                .context("storing rejected records")?;
        }
    }
    Ok(())
}

impl Ingest {
    /// The store at `db`, if any, storing a transaction per `batch` articles or
    /// `batch_events` events, whichever comes first.
    pub fn open(db: Option<&str>, batch: usize, batch_events: usize) -> Result<Ingest> {
        let worker = match db {
            Some(db) => Some(Worker::start(
                dyad_store::open(db).with_context(|| format!("--db {db}"))?,
            )?),
            None => None,
        };
        Ok(Ingest {
            worker,
            gathered: Vec::new(),
            gathered_events: 0,
            batch: batch.max(1),
            batch_events: batch_events.max(1),
            captured: Arc::default(),
            pending: Vec::new(),
        })
    }

    pub fn enabled(&self) -> bool {
        self.worker.is_some()
    }

    /// The rejects writer: `file` (if any), and a copy for the store when there is one.
    pub fn tee_rejects(
        &self,
        file: Option<Box<dyn Write + Send>>,
    ) -> Option<Box<dyn Write + Send>> {
        if self.worker.is_none() {
            return file;
        }
        Some(Box::new(Tee {
            file,
            captured: self.captured.clone(),
        }))
    }

    /// Wrap the run's observer.
    pub fn observer<'a>(&'a mut self, inner: &'a mut dyn Observer) -> StoreObserver<'a> {
        StoreObserver {
            ingest: self,
            inner,
        }
    }

    /// Hand the gathered articles (one transaction), then the rejects so far, to the store
    /// thread.
    fn store_gathered(&mut self) -> Result<()> {
        let Some(w) = &mut self.worker else {
            return Ok(());
        };
        if !self.gathered.is_empty() {
            w.send(Job::Batch(std::mem::take(&mut self.gathered)))?;
            self.gathered_events = 0;
        }
        if !self.pending.is_empty() {
            w.send(Job::Rejects(std::mem::take(&mut self.pending)))?;
        }
        Ok(())
    }

    /// Store what is left and wait for the store thread; a line for the summary.
    pub fn finish(&mut self) -> Result<Option<String>> {
        self.store_gathered()?;
        let Some(mut w) = self.worker.take() else {
            return Ok(None);
        };
        let mut done = w.join()?;
        if let Some(e) = done.error {
            return Err(e);
        }
        let st = done.store.stats().context("reading the store")?;
        let i = &done.stats;
        Ok(Some(format!(
            "stored: {} articles new, {} replaced, {} unchanged; {} mentions ({} merged into \
             earlier events), {} rejects; the store holds {} events from {} articles",
            i.articles_added,
            i.articles_replaced,
            i.articles_unchanged,
            i.mentions_added,
            i.mentions_merged,
            done.rejects,
            st.events,
            st.articles
        )))
    }
}

/// Writes rejected records to their file and keeps a copy of the current one.
struct Tee {
    file: Option<Box<dyn Write + Send>>,
    captured: Arc<Mutex<Vec<u8>>>,
}

impl Write for Tee {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(f) = &mut self.file {
            f.write_all(buf)?;
        }
        if let Ok(mut c) = self.captured.lock() {
            c.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

pub struct StoreObserver<'a> {
    ingest: &'a mut Ingest,
    inner: &'a mut dyn Observer,
}

impl Observer for StoreObserver<'_> {
    fn rejected(&mut self, r: &Reject) {
        self.inner.rejected(r);
        if self.ingest.worker.is_some() {
            let bytes = self
                .ingest
                .captured
                .lock()
                .map(|mut c| std::mem::take(&mut *c))
                .unwrap_or_default();
            let mut record = String::from_utf8_lossy(&bytes).into_owned();
            if record.ends_with('\n') {
                record.pop();
            }
            self.ingest.pending.push(RejectRecord {
                file: r.file.clone(),
                line: r.line as u64,
                reason: r.reason.clone(),
                record,
            });
        }
    }
    fn input_error(&mut self, input: &str, error: &io::Error) {
        self.inner.input_error(input, error);
    }
    fn progress(&mut self, articles: u64, bytes: u64) {
        self.inner.progress(articles, bytes);
    }
    fn wants_events(&self) -> bool {
        self.ingest.worker.is_some()
    }
    fn coded(&mut self, batch: &[(Article, Vec<Event>)]) -> io::Result<()> {
        if self.ingest.worker.is_none() {
            return Ok(());
        }
        self.ingest.gathered.extend_from_slice(batch);
        self.ingest.gathered_events += batch.iter().map(|(_, e)| e.len()).sum::<usize>();
        if self.ingest.gathered.len() < self.ingest.batch
            && self.ingest.gathered_events < self.ingest.batch_events
        {
            return Ok(());
        }
        self.ingest
            .store_gathered()
            .map_err(|e| io::Error::other(format!("{e:#}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quiet;
    impl Observer for Quiet {
        fn rejected(&mut self, _: &Reject) {}
        fn input_error(&mut self, _: &str, _: &io::Error) {}
    }

    fn coded(id: &str, events: usize) -> (Article, Vec<Event>) {
        let article = Article {
            id: id.into(),
            text: format!("Text of {id}."),
            date: Some("2024-01-05".into()),
            title: None,
            source: None,
            url: None,
            language: None,
        };
        let evs = dyad_store::bench::synthetic(0, 1)
            .remove(0)
            .1
            .into_iter()
            .take(events)
            .enumerate()
            .map(|(i, mut e)| {
                e.event_id = format!("{id}-{i}");
                e.article_id = id.into();
                e
            })
            .collect();
        (article, evs)
    }

    fn stored(path: &str) -> u64 {
        dyad_store::open(path).unwrap().stats().unwrap().articles
    }

    #[test]
    fn gathers_until_the_articles_or_the_events_are_reached() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let path = path.to_str().unwrap();
        // At most 10 articles or 5 events a transaction.
        let mut ingest = Ingest::open(Some(path), 10, 5).unwrap();
        let mut quiet = Quiet;
        let mut obs = ingest.observer(&mut quiet);
        let gathered = |obs: &StoreObserver| obs.ingest.gathered.len();
        obs.coded(&[coded("a", 2), coded("b", 2)]).unwrap();
        assert_eq!(gathered(&obs), 2, "4 events, 2 articles: still gathering");
        obs.coded(&[coded("c", 1)]).unwrap();
        assert_eq!(gathered(&obs), 0, "5 events: handed to the store");
        obs.coded(&[coded("d", 0), coded("e", 0)]).unwrap();
        assert_eq!(gathered(&obs), 2);
        let many: Vec<_> = (0..10).map(|i| coded(&format!("n{i}"), 0)).collect();
        obs.coded(&many).unwrap();
        assert_eq!(gathered(&obs), 0, "12 articles: handed to the store");
        obs.coded(&[coded("f", 1)]).unwrap();
        assert_eq!(gathered(&obs), 1);
        let line = ingest.finish().unwrap().unwrap();
        assert!(line.contains("16 articles new"), "{line}");
        assert_eq!(stored(path), 16);
    }
}
