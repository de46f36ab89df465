//! dyad's pipeline: articles in, events out, nothing lost.
//!
//! - [`read`]: streaming readers for JSONL articles, plain-text files and TABARI record files.
//!   Each yields [`read::Item`]s: an article, or a [`read::Reject`] naming the file and line.
//! - [`Rejects`]: where rejected records go, byte for byte as they were read.
//! - [`run::run`]: reads every input in bounded batches, codes each batch in parallel
//!   (rayon) through any [`dyad_coder::Coder`], and writes events in input order.
//!
//! Memory stays bounded whatever the input size: records are read one at a time, at most one
//! batch is held, and a record larger than the limit is streamed straight to the rejects.

pub mod read;
mod rejects;
pub mod run;

pub use rejects::Rejects;
