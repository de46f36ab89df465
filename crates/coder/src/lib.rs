//! dyad's coder: from an article's text to coded events. Pure and deterministic: no I/O, no
//! clocks, no randomness; the same article and dictionary always give the same events.
//!
//! - [`Coder`]: the interface the pipeline codes through. Any engine implements it.
//! - [`PhraseCoder`]: the first engine: dictionary phrases (actors, agents, verb and noun
//!   triggers) found by one automaton pass per sentence, then source–trigger–target rules.
//!
//! ```
//! use dyad_coder::{Coder, PhraseCoder};
//! let coder = PhraseCoder::new(dyad_dict::builtin::dictionary().unwrap());
//! let article = dyad_model::Article {
//!     id: "a1".into(),
//!     text: "Israeli troops attacked Hamas fighters in Gaza.".into(),
//!     date: Some("2024-01-05".into()),
//!     ..Default::default()
//! };
//! let coded = coder.code(&article);
//! assert_eq!(coded.events[0].cameo.root, "19");
//! ```

pub mod count;
pub mod petrarch;
mod phrase;
pub mod tabari;
pub mod when;

use dyad_model::{Article, Event};

pub use phrase::PhraseCoder;

/// What coding one article gives.
#[derive(Clone, Debug, Default)]
pub struct Coded {
    pub events: Vec<Event>,
    /// Number of sentences the article was split into.
    pub sentences: usize,
}

/// A coding engine. Implementations must be deterministic and do no I/O.
pub trait Coder: Send + Sync {
    fn code(&self, article: &Article) -> Coded;

    /// Codes several articles, in order: what [`Coder::code`] gives for each. Callers that
    /// hold many articles pass them a few at a time, so that an engine can run each of its
    /// stages over all of them in turn (split every article into sentences, then code every
    /// sentence), which keeps each stage's code and tables in the processor's caches.
    fn code_many(&self, articles: &[Article]) -> Vec<Coded> {
        articles.iter().map(|a| self.code(a)).collect()
    }
}

/// How many articles callers pass to [`Coder::code_many`] at a time: enough for each stage
/// to warm the caches, few enough to spread a batch over the threads.
pub const CODE_MANY_CHUNK: usize = 16;
