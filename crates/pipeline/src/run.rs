//! The batch runner: read, code in parallel, write in order.

use std::io::{self, Write};

use dyad_coder::Coder;
use dyad_model::{Article, Event};
use rayon::prelude::*;

use crate::read::{Item, Reject, Source};
use crate::Rejects;

/// Batch limits: a batch is coded once it holds this many articles or bytes of text.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub batch_articles: usize,
    pub batch_bytes: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            batch_articles: 512,
            batch_bytes: 8 * 1024 * 1024,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles read and coded.
    pub articles: u64,
    /// Records rejected.
    pub rejected: u64,
    pub sentences: u64,
    pub events: u64,
    /// Bytes of article text coded.
    pub bytes: u64,
    /// Inputs that could not be opened or read.
    pub input_errors: u64,
}

/// Something the run reports as it goes: a rejected record, an unreadable input, progress.
pub trait Observer {
    fn rejected(&mut self, reject: &Reject);
    fn input_error(&mut self, input: &str, error: &io::Error);
    fn progress(&mut self, _articles: u64, _bytes: u64) {}
    /// Whether [`Observer::coded`] wants each batch's articles and events.
    fn wants_events(&self) -> bool {
        false
    }
    /// A batch has been coded and its events written, in input order (called only when
    /// [`Observer::wants_events`]). An error stops the run.
    fn coded(&mut self, _batch: &[(Article, Vec<Event>)]) -> io::Result<()> {
        Ok(())
    }
}

/// Code every input. Inputs arrive opened, or as the error that opening them gave; an input
/// that fails is reported and the run goes on with the next. An error writing the events is
/// returned at once.
pub fn run<I>(
    inputs: I,
    coder: &dyn Coder,
    out: &mut dyn Write,
    rejects: &mut Rejects,
    observer: &mut dyn Observer,
    opts: &RunOptions,
) -> io::Result<Summary>
where
    I: IntoIterator<Item = Result<Source, (String, io::Error)>>,
{
    let mut summary = Summary::default();
    let mut batch: Vec<Article> = Vec::new();
    let mut batch_bytes = 0usize;
    for input in inputs {
        let mut source = match input {
            Ok(s) => s,
            Err((name, e)) => {
                summary.input_errors += 1;
                observer.input_error(&name, &e);
                continue;
            }
        };
        loop {
            let item = match source.next_item(rejects) {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(e) => {
                    summary.input_errors += 1;
                    observer.input_error(source.name(), &e);
                    break;
                }
            };
            match item {
                Item::Article(a) => {
                    batch_bytes += a.text.len();
                    batch.push(a);
                    if batch.len() >= opts.batch_articles || batch_bytes >= opts.batch_bytes {
                        code_batch(&batch, coder, out, &mut summary, observer)?;
                        observer.progress(summary.articles, summary.bytes);
                        batch.clear();
                        batch_bytes = 0;
                    }
                }
                Item::Rejected(r) => {
                    summary.rejected += 1;
                    observer.rejected(&r);
                }
            }
        }
    }
    code_batch(&batch, coder, out, &mut summary, observer)?;
    observer.progress(summary.articles, summary.bytes);
    out.flush()?;
    rejects.flush()?;
    Ok(summary)
}

fn code_batch(
    batch: &[Article],
    coder: &dyn Coder,
    out: &mut dyn Write,
    summary: &mut Summary,
    observer: &mut dyn Observer,
) -> io::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let keep = observer.wants_events();
    // Code and serialise in parallel; only the write is sequential, in input order.
    type Coded = (usize, usize, Vec<u8>, Vec<Event>);
    // A few articles at a time (see `Coder::code_many`), in order.
    let coded: Vec<io::Result<Coded>> = batch
        .par_chunks(dyad_coder::CODE_MANY_CHUNK)
        .flat_map_iter(|chunk| {
            coder.code_many(chunk).into_iter().map(|c| {
                let mut buf = Vec::with_capacity(c.events.len() * 1024);
                for e in &c.events {
                    serde_json::to_writer(&mut buf, e).map_err(io::Error::other)?;
                    buf.push(b'\n');
                }
                let n = c.events.len();
                let events = if keep { c.events } else { Vec::new() };
                Ok((c.sentences, n, buf, events))
            })
        })
        .collect();
    let mut kept = Vec::with_capacity(if keep { batch.len() } else { 0 });
    for (article, c) in batch.iter().zip(coded) {
        let (sentences, events, buf, evs) = c?;
        summary.articles += 1;
        summary.bytes += article.text.len() as u64;
        summary.sentences += sentences as u64;
        summary.events += events as u64;
        out.write_all(&buf)?;
        if keep {
            kept.push((article.clone(), evs));
        }
    }
    if keep {
        out.flush()?;
        observer.coded(&kept)?;
    }
    Ok(())
}
