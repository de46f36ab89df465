//! The tokenizer: one linear pass over the bytes of a range, no allocation per token.

use std::ops::Range;

use crate::abbrev::{self, Abbrev};
use crate::normalize::{char_at, char_before, class_of, into_string, push_norm, Class};
use crate::{Token, Tokens};

/// Clamp an arbitrary range to `text` and to char boundaries (never panics).
pub(crate) fn clamp_range(text: &str, range: Range<usize>) -> (usize, usize) {
    let len = text.len();
    let mut start = range.start.min(len);
    let mut end = range.end.min(len).max(start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end.max(start))
}

/// Clear `out` and tokenise `text[range]` into it.
pub(crate) fn tokenize_into(text: &str, range: Range<usize>, out: &mut Tokens) {
    out.tokens.clear();
    // The norm is built as bytes (cheaper per token) and turned back into a String, without
    // copying, at the end; only whole UTF-8 chars are ever appended.
    let mut norm = std::mem::take(&mut out.norm).into_bytes();
    norm.clear();
    norm.push(b' ');
    let (start, end) = clamp_range(text, range);
    // Everything below looks only at `s`, so nothing past the range is ever read.
    if let Some(s) = text.get(..end) {
        norm.reserve(end - start + (end - start) / 2 + 2);
        scan(s, start, end, &mut norm, &mut out.tokens);
    }
    out.norm = into_string(norm);
}

/// Tokenise `s[start..end]`, appending to `norm` and `tokens`.
fn scan(s: &str, start: usize, end: usize, norm: &mut Vec<u8>, tokens: &mut Vec<Token>) {
    let bytes = s.as_bytes();
    let mut i = start;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        // Fast path: a run of ASCII letters/digits ended by a space or by punctuation that
        // needs no look-around (the vast majority of tokens in English news).
        if b.is_ascii_alphanumeric() {
            let mut j = i + 1;
            while bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            }
            let simple = match bytes.get(j) {
                None => true,
                Some(&nb) => nb < 0x80 && !matches!(nb, b'.' | b',' | b'\''),
            };
            if simple {
                if !emit(s, i, j, norm, tokens) {
                    break;
                }
                i = j;
                continue;
            }
        } else if b <= b' ' {
            i += 1;
            continue;
        }
        let Some((c, len)) = char_at(s, i) else { break };
        let tok_end = match class_of(c) {
            Class::Sep => {
                i += len;
                continue;
            }
            Class::Word | Class::Extend => scan_word(s, i),
            Class::Apos => {
                let attached = matches!(
                    char_before(s, i).map(class_of),
                    Some(Class::Word | Class::Extend | Class::Period)
                ) && i > start;
                match clitic_len(s, i + len) {
                    Some(n) if attached => i + len + n,
                    _ => i + len,
                }
            }
            Class::Period => {
                let mut j = i + 1;
                while bytes.get(j) == Some(&b'.') {
                    j += 1;
                }
                j
            }
            Class::Comma | Class::Dash => i + len,
            Class::Other => extend_run(s, i + len),
        };
        // Guard against a scanner that would not advance (cannot happen, but never loop).
        let tok_end = if tok_end > i { tok_end } else { i + len };
        if !emit(s, i, tok_end, norm, tokens) {
            break;
        }
        i = tok_end;
    }
}

/// Append one token; `false` when `norm` would outgrow `u32` offsets (tokenising stops).
#[inline]
fn emit(s: &str, start: usize, end: usize, norm: &mut Vec<u8>, tokens: &mut Vec<Token>) -> bool {
    let Some(tok) = s.get(start..end) else {
        return true;
    };
    let norm_start = norm.len();
    let flags = push_norm(tok, norm);
    let norm_end = norm.len();
    if norm_end == norm_start {
        // Only invisible characters (e.g. a lone soft hyphen): no token.
        return true;
    }
    match (u32::try_from(norm_start), u32::try_from(norm_end + 1)) {
        (Ok(ns), Ok(ne_plus_one)) => {
            norm.push(b' ');
            tokens.push(Token {
                start,
                end,
                norm_start: ns,
                norm_end: ne_plus_one - 1,
                flags,
            });
            true
        }
        _ => {
            norm.truncate(norm_start);
            false
        }
    }
}

/// Byte after a run of `Extend` characters starting at `j` (a ZWJ also takes the next char).
fn extend_run(s: &str, mut j: usize) -> usize {
    while let Some((c, len)) = char_at(s, j) {
        if class_of(c) != Class::Extend {
            break;
        }
        j += len;
        if c == '\u{200D}' {
            if let Some((next, nlen)) = char_at(s, j) {
                if class_of(next) != Class::Sep {
                    j += nlen;
                }
            }
        }
    }
    j
}

#[inline]
fn is_word_char(c: char) -> bool {
    matches!(class_of(c), Class::Word | Class::Extend)
}

/// Does a clitic (`s`, `re`, `ve`, `ll`, `m`) start at byte `j`, followed by a non-word char?
/// Returns its length in bytes (without the apostrophe).
#[inline]
fn clitic_len(s: &str, j: usize) -> Option<usize> {
    let b = s.as_bytes();
    let c0 = b.get(j)?.to_ascii_lowercase();
    let n = match c0 {
        b's' | b'm' => 1,
        b'r' if b.get(j + 1).map(u8::to_ascii_lowercase) == Some(b'e') => 2,
        b'v' if b.get(j + 1).map(u8::to_ascii_lowercase) == Some(b'e') => 2,
        b'l' if b.get(j + 1).map(u8::to_ascii_lowercase) == Some(b'l') => 2,
        _ => return None,
    };
    match char_at(s, j + n) {
        Some((c, _)) if is_word_char(c) || class_of(c) == Class::Apos => None,
        _ => Some(n),
    }
}

/// `n't` (or `n’t`) at byte `i`, followed by a non-word char: its length in bytes.
#[inline]
fn nt_len(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    if !matches!(b.get(i), Some(b'n' | b'N')) {
        return None;
    }
    let (apos, alen) = char_at(s, i + 1)?;
    if class_of(apos) != Class::Apos {
        return None;
    }
    if !matches!(b.get(i + 1 + alen), Some(b't' | b'T')) {
        return None;
    }
    let end = i + 1 + alen + 1;
    match char_at(s, end) {
        Some((c, _)) if is_word_char(c) => None,
        _ => Some(end - i),
    }
}

/// Number of alphabetic chars starting at `j`, counting at most `limit + 1`.
#[inline]
fn letters_ahead(s: &str, mut j: usize, limit: usize) -> usize {
    let mut n = 0;
    while n <= limit {
        match char_at(s, j) {
            Some((c, len)) if c.is_alphabetic() => {
                n += 1;
                j += len;
            }
            _ => break,
        }
    }
    n
}

/// Is the first non-space char after byte `j` a digit (looking a few bytes ahead)?
fn digit_follows(s: &str, mut j: usize) -> bool {
    for _ in 0..4 {
        match s.as_bytes().get(j) {
            Some(b' ' | b'\t') => j += 1,
            Some(b) => return b.is_ascii_digit(),
            None => return false,
        }
    }
    false
}

/// Scan a word-like token starting at `i` (a `Word` or `Extend` char); returns its end.
///
/// Handles dotted abbreviations (`U.S.`, `a.m.`, `J.R.R.`), numbers with `.`/`,` between
/// digits, apostrophes inside names (`O'Brien`), clitics (`'s`, `n't`: the word ends before
/// them), and a final period kept by known abbreviations and initials.
fn scan_word(s: &str, i: usize) -> usize {
    if let Some(n) = nt_len(s, i) {
        return i + n;
    }
    let bytes = s.as_bytes();
    let mut j = i;
    // Chars in the current period-separated segment, and whether they are all letters.
    let mut seg = 0usize;
    let mut seg_letters = true;
    let mut dotted = false;
    let mut prev_digit = false;
    let mut prev_letter = false;
    while let Some((c, len)) = char_at(s, j) {
        match class_of(c) {
            Class::Word => {
                j += len;
                seg += 1;
                prev_digit = c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric());
                prev_letter = !prev_digit && c.is_alphabetic();
                seg_letters &= prev_letter;
            }
            Class::Extend => j += len,
            Class::Period => {
                let next = char_at(s, j + 1).map(|x| x.0);
                if prev_digit && !dotted && next.is_some_and(|n| n.is_ascii_digit()) {
                    // Decimal: 2.5, 1,200.50
                    j += 1;
                    continue;
                }
                if prev_letter
                    && seg_letters
                    && seg <= 2
                    && next.is_some_and(char::is_alphabetic)
                    && letters_ahead(s, j + 1, 2) <= 2
                {
                    // Internal period of U.S, a.m, Ph.D
                    dotted = true;
                    j += 1;
                    seg = 0;
                    seg_letters = true;
                    continue;
                }
                if next == Some('.') {
                    // An ellipsis follows: it is its own token.
                    break;
                }
                if dotted && prev_letter && seg <= 3 {
                    j += 1;
                } else if let Some(word) = s.get(i..j) {
                    if keeps_period(word, s, j + 1) {
                        j += 1;
                    }
                }
                break;
            }
            Class::Comma => {
                if prev_digit && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                    continue;
                }
                break;
            }
            Class::Apos => {
                let after = j + len;
                if clitic_len(s, after).is_some() {
                    break;
                }
                if j > i + 1
                    && matches!(bytes.get(j - 1), Some(b'n' | b'N'))
                    && nt_len(s, j - 1).is_some()
                {
                    return j - 1;
                }
                if prev_letter && char_at(s, after).is_some_and(|(n, _)| n.is_alphabetic()) {
                    // O'Brien, Shi'ite
                    j = after;
                    seg += 1;
                    seg_letters = false;
                    continue;
                }
                break;
            }
            Class::Sep | Class::Dash | Class::Other => break,
        }
    }
    j
}

/// Does `word` (the text before a period) keep that period as part of the token?
fn keeps_period(word: &str, s: &str, after_period: usize) -> bool {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true; // initial: "George W. Bush"
        }
    }
    match abbrev::lookup(word) {
        Some(Abbrev::BeforeNumber) if abbrev::is_number_prefix(word) => {
            digit_follows(s, after_period)
        }
        Some(_) => true,
        None => false,
    }
}
