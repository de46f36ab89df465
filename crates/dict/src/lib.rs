//! dyad's dictionaries: what words mean to the coder.
//!
//! - [`Dictionary`]: one compiled, immutable dictionary: a phrase automaton (daachorse) over
//!   normalised token text, and the actor, agent and trigger entries its phrases point to.
//! - [`DictionaryBuilder`]: collects entries from any source (our built-in TOML files,
//!   TABARI/PETRARCH files) and compiles them with [`DictionaryBuilder::build`].
//! - [`builtin`]: dyad's own English dictionaries, embedded in the binary.
//!
//! ```
//! let dict = dyad_dict::builtin::dictionary().unwrap();
//! assert!(dict.phrase_count() > 1000);
//! ```
//!
//! A dictionary never changes once built: coding threads share it by reference.

pub mod builtin;
mod compiled;
pub mod formats;
mod inflect;

pub use compiled::*;
pub use inflect::{inflect_verb, noun_plural};

/// A calendar date packed as `yyyymmdd`, so that comparisons are integer comparisons.
pub type PackedDate = u32;

/// Pack a `YYYY-MM-DD` string; `None` when it is not a date of that form.
pub fn pack_date(s: &str) -> Option<PackedDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(y * 10_000 + m * 100 + d)
}

/// An error building a dictionary.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: entry {entry}: {message}")]
    Entry {
        file: String,
        entry: String,
        message: String,
    },
    #[error("building the phrase automaton: {0}")]
    Automaton(String),
}
