//! dyad's text layer: sentence splitting, tokens with byte offsets into the original text,
//! and the normalised lower-case forms that the dictionary automaton matches against.
//!
//! * [`sentences`] gives the byte ranges of the sentences of a text (news-aware: `U.S.`,
//!   `Gen.`, `Jan. 4`, initials, decimals, quoted speech and datelines don't end sentences).
//!   It uses `sentencex` as a base and corrects it; [`sentences_rules_only`] applies the same
//!   rules without `sentencex`, several times faster.
//! * [`Tokens`] holds the [`Token`]s of one sentence plus [`Tokens::norm`], the normalised
//!   forms of all tokens joined by single spaces with one leading and one trailing space,
//!   so a phrase `" w1 w2 "` found in `norm` always matches whole tokens.
//! * [`normalize_phrase`] turns a dictionary phrase into exactly that form
//!   ([`normalize_chars`] is the character-level part, applied to each token's text).
//!
//! Normalisation is NFC, lower case, curly quotes to straight (`’` → `'`, `“` → `"`), every
//! dash and the minus sign to `-`, `…` to `...`. Token offsets always refer to the original,
//! unnormalised text. Nothing here panics, whatever the input; everything is linear in the
//! input, and tokenising allocates nothing per token (re-use a [`Tokens`] with
//! [`Tokens::fill`] to allocate nothing at all).
//!
//! ```
//! use dyad_text::{normalize_phrase, sentences, Tokens, CAPITALIZED};
//!
//! let text = "BAGHDAD (Reuters) - Iraqi Prime Minister Mohamed Shia al-Sudani’s office \
//!             said the U.S.-led coalition would leave. \"We will not wait,\" he said.";
//! let sents = sentences(text);
//! assert_eq!(sents.len(), 2);
//!
//! let mut toks = Tokens::default();
//! toks.fill(text, sents[0].clone());
//! assert!(toks.norm.starts_with(" baghdad ( reuters ) - iraqi prime minister "));
//! assert!(toks.norm.contains(" al - sudani 's office "));
//! assert!(toks.norm.ends_with(" the u.s. - led coalition would leave . "));
//!
//! // A dictionary phrase normalises to the same form, so a substring search finds it...
//! let phrase = normalize_phrase("Al-Sudani");
//! assert_eq!(phrase, " al - sudani ");
//! let at = toks.norm.find(&phrase).unwrap();
//! // ...and the match maps back to tokens and to the original text.
//! let first = toks.token_starting_at(at + 1).unwrap();
//! let last = toks.token_ending_at(at + phrase.len() - 1).unwrap();
//! assert_eq!(&text[toks.tokens[first].start..toks.tokens[last].end], "al-Sudani");
//! assert_eq!(toks.tokens[first].flags & CAPITALIZED, 0);
//! ```

use std::ops::Range;

mod abbrev;
mod normalize;
mod sentences;
mod tokenize;

pub use normalize::normalize_chars;
pub use sentences::{is_sentence_starter, sentences, sentences_rules_only};

/// First letter is upper case.
pub const CAPITALIZED: u8 = 1;
/// All cased letters are upper case, and there are at least 2 of them (`NATO`, `U.S.`).
pub const ALL_CAPS: u8 = 2;
/// Punctuation or symbols only: no letter or digit.
pub const PUNCT: u8 = 4;
/// A number: starts with a digit, digits with `,` `.` inside (`2.5`, `1,200`).
pub const NUMBER: u8 = 8;

/// One token of a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offsets into the ORIGINAL text passed to [`Tokens::new`] / [`tokenize`]:
    /// `&text[start..end]` is the token's original text.
    pub start: usize,
    pub end: usize,
    /// Byte range of this token's normalised, lower-cased form inside [`Tokens::norm`].
    pub norm_start: u32,
    pub norm_end: u32,
    /// [`CAPITALIZED`] | [`ALL_CAPS`] | [`PUNCT`] | [`NUMBER`], computed on the original text.
    pub flags: u8,
}

/// The tokens of one sentence (or any range of text) and their normalised forms.
///
/// Tokenisation: split on whitespace and punctuation; `,` `;` `:` `(` `)` `"` `'` `?` `!` and
/// every other symbol are tokens of their own; a run of periods (`...`) is one token.
/// Kept together: abbreviations with internal periods (`U.S.`, `a.m.`, `J.R.R.`, `Ph.D.`),
/// known abbreviations with their period (`Gen.`, `Lt.`, `Col.`, `Jan.`, `Mr.`, `Dr.`, `St.`,
/// `Inc.`, `etc.`, `No.` before a number), capital initials (`W.`), numbers with `.`/`,`
/// between digits (`2.5`, `1,200`), apostrophes inside names (`O'Brien`).
/// Split off: a sentence-final period (but an abbreviation keeps its period even at the end
/// of a sentence: `in the U.S.` ends with the token `u.s.`), the clitics `'s` `'re` `'ve`
/// `'ll` `'m` (`Sudani’s` → `sudani` `'s`), `n't` (`didn't` → `did` `n't`), and hyphens
/// (`al-Nujaba` → `al` `-` `nujaba`, `U.S.-led` → `u.s.` `-` `led`).
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    /// The normalised lower-case forms of all tokens, joined by single spaces, with ONE
    /// leading and ONE trailing space:
    /// `" iraqi prime minister mohamed shia al - sudani reiterated his stance . "`,
    /// so a phrase automaton can look for `" w1 w2 "` and be sure it matches whole tokens.
    /// With no tokens it is `" "`. Token norms never contain whitespace.
    pub norm: String,
    pub tokens: Vec<Token>,
}

impl Tokens {
    /// Tokenise `text[range]` (offsets in tokens stay relative to the whole `text`).
    /// A range out of bounds or off char boundaries is clamped, never a panic.
    pub fn new(text: &str, range: Range<usize>) -> Tokens {
        let mut t = Tokens::default();
        t.fill(text, range);
        t
    }

    /// Re-use buffers: clear and tokenise again.
    pub fn fill(&mut self, text: &str, range: Range<usize>) {
        tokenize::tokenize_into(text, range, self);
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// No tokens?
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The normalised form of token `i` (`""` if there is no such token).
    pub fn norm_of(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.norm.get(t.norm_start as usize..t.norm_end as usize))
            .unwrap_or("")
    }

    /// Index of the token whose norm range starts at byte `norm_byte` of `norm`
    /// (binary search). The byte of the space just before the token is accepted too, so
    /// for a match `m` of `" w1 w2 "` both `m.start` and `m.start + 1` find `w1`.
    pub fn token_starting_at(&self, norm_byte: usize) -> Option<usize> {
        let find = |b: usize| {
            let b = u32::try_from(b).ok()?;
            self.tokens.binary_search_by_key(&b, |t| t.norm_start).ok()
        };
        find(norm_byte).or_else(|| {
            (self.norm.as_bytes().get(norm_byte) == Some(&b' '))
                .then(|| find(norm_byte + 1))
                .flatten()
        })
    }

    /// Index of the token whose norm range ends at byte `norm_byte` (exclusive end) of
    /// `norm` (binary search). The byte after the space that follows the token is accepted
    /// too, so for a match `m` of `" w1 w2 "` both `m.end` and `m.end - 1` find `w2`.
    pub fn token_ending_at(&self, norm_byte: usize) -> Option<usize> {
        let find = |b: usize| {
            let b = u32::try_from(b).ok()?;
            self.tokens.binary_search_by_key(&b, |t| t.norm_end).ok()
        };
        find(norm_byte).or_else(|| {
            let prev = norm_byte.checked_sub(1)?;
            (self.norm.as_bytes().get(prev) == Some(&b' '))
                .then(|| find(prev))
                .flatten()
        })
    }
}

/// Tokenise a whole text (same as `Tokens::new(text, 0..text.len())`).
pub fn tokenize(text: &str) -> Tokens {
    Tokens::new(text, 0..text.len())
}

/// Normalise one phrase the same way token norms are made (used by the dictionary compiler
/// for its phrases): returns `" w1 w2 ... "` (leading/trailing space) — exactly the form a
/// sentence's [`Tokens::norm`] contains for the same words. A phrase with no tokens (empty
/// or only whitespace) gives `""`.
///
/// ```
/// assert_eq!(dyad_text::normalize_phrase("U.S.-led  Coalition"), " u.s. - led coalition ");
/// assert_eq!(dyad_text::normalize_phrase("Kata’ib Hezbollah’s"), " kata'ib hezbollah 's ");
/// assert_eq!(dyad_text::normalize_phrase(" \t"), "");
/// ```
pub fn normalize_phrase(phrase: &str) -> String {
    let t = tokenize(phrase);
    if t.tokens.is_empty() {
        String::new()
    } else {
        t.norm
    }
}
