//! Parsers for the dictionary files of the TABARI / PETRARCH family (the syntax layer only).
//!
//! Each parser turns the text of one file into a typed, owned AST plus a list of
//! [`Diagnostic`]s. Nothing here decides what an entry *means* for coding (plural generation,
//! synset expansion, date selection, …): that is the job of the stage that compiles these ASTs
//! into automata.
//!
//! | module | files |
//! |---|---|
//! | [`tabari_verbs`] | TABARI `.verbs` (`CAMEO.080612.verbs`, `TABARI.Demo.verbs`) |
//! | [`petrarch_verbs`] | PETRARCH-1 (`CAMEO.verbpatterns.*`, `PETR.Validate.verbs.txt`) and PETRARCH-2 (`CAMEO.2.0.txt`) verb files |
//! | [`actors`] | TABARI `.actors` and PETRARCH actor files (`Phoenix.*.actors.txt`) |
//! | [`agents`] | TABARI `.agents` and PETRARCH agent files (`Phoenix.agents.txt`) |
//! | [`discards`] | PETRARCH discard lists |
//! | [`issues`] | `Phoenix.IssueCoding.txt` |
//! | [`options`] | TABARI `.options` |
//! | [`project`] | TABARI `.project` |
//! | [`pattern`] | what the verb parsers share: [`pattern::Token`], [`pattern::CodeSpec`], [`pattern::Synset`] |
//!
//! # Conventions shared by every parser
//!
//! * Input is `&str`; files that are not valid UTF-8 (several real ones are not) should be read
//!   with [`decode`], which replaces invalid bytes by U+FFFD. Lines containing U+FFFD or
//!   control characters are reported (and still parsed).
//! * Line numbers are 1-based. `\r\n` line ends are accepted.
//! * Comments: `#` and `;` outside `[...]` start a comment that runs to the end of the line
//!   (PETRARCH and TABARI conventions; `[###]` is a code, not a comment). PETRARCH's XML
//!   comments `<!-- ... -->` (one or several lines; also the malformed opener `<! --`) are
//!   skipped by the parsers of PETRARCH files. `.options` files use `//`.
//! * A line that cannot be interpreted is reported and skipped. A line with a defect that has an
//!   obvious reading (a stray `]` after a code, a synonym separated from its entry by a blank
//!   line, …) is kept, and the defect is reported; the message says what was done.
//! * Parsing never panics, whatever the input.
//! * Words in verb patterns are lower-cased ([`pattern::Word::text`]); phrases of actor, agent,
//!   discard and issue files are kept exactly as written (trimmed), because their `_`, `=`,
//!   `+` and `!…!` markers carry meaning; [`pattern::phrase_words`] splits such a phrase into
//!   [`pattern::Word`]s.

use std::borrow::Cow;
use std::fmt;

pub mod actors;
pub mod agents;
pub mod discards;
pub mod issues;
mod lex;
pub mod options;
pub mod pattern;
pub mod petrarch_verbs;
pub mod project;
pub mod tabari_verbs;

/// A problem found in a dictionary file: a malformed line (skipped) or a defect that was
/// repaired (the message says how).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file name given to the parser.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Decodes the bytes of a dictionary file: UTF-8, with every invalid byte sequence replaced
/// by U+FFFD (some real files contain stray Latin-1 / Mac Roman bytes). Borrows when the bytes
/// are valid UTF-8.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// A bare phrase with its line: entries of TABARI `<NOUN>` / `<ADJECTIVE>` sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseEntry {
    /// As written, trimmed.
    pub phrase: String,
    pub line: usize,
}
