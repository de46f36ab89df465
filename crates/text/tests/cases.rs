//! Data-driven tests: `testdata/sentences.toml` at the workspace root.

use std::fmt::Write as _;

use dyad_text::{
    normalize_chars, normalize_phrase, sentences, sentences_rules_only, tokenize, Tokens,
};
use serde::Deserialize;

const CASES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/sentences.toml"
));

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    case: Vec<SentenceCase>,
    #[serde(default)]
    token_case: Vec<TokenCase>,
}

#[derive(Deserialize)]
struct SentenceCase {
    name: String,
    text: String,
    sentences: Vec<String>,
}

#[derive(Deserialize)]
struct TokenCase {
    name: String,
    text: String,
    tokens: Vec<String>,
    flags: Option<Vec<u8>>,
}

fn load() -> File {
    match toml::from_str(CASES) {
        Ok(f) => f,
        Err(e) => panic!("testdata/sentences.toml does not parse: {e}"),
    }
}

/// A readable line-by-line diff of two lists (expected vs got).
fn diff(expected: &[String], got: &[String]) -> String {
    let mut out = String::new();
    let n = expected.len().max(got.len());
    for i in 0..n {
        match (expected.get(i), got.get(i)) {
            (Some(e), Some(g)) if e == g => {
                let _ = writeln!(out, "      {i:>2}   {e:?}");
            }
            (e, g) => {
                if let Some(e) = e {
                    let _ = writeln!(out, "    - {i:>2}   {e:?}");
                }
                if let Some(g) = g {
                    let _ = writeln!(out, "    + {i:>2}   {g:?}");
                }
            }
        }
    }
    out
}

#[test]
fn sentence_cases() {
    run_sentence_cases("sentences", sentences);
}

#[test]
fn sentence_cases_rules_only() {
    run_sentence_cases("sentences_rules_only", sentences_rules_only);
}

fn run_sentence_cases(what: &str, split: fn(&str) -> Vec<std::ops::Range<usize>>) {
    let file = load();
    assert!(
        file.case.len() >= 70,
        "only {} sentence cases",
        file.case.len()
    );
    let mut failures = String::new();
    let mut failed = 0;
    for case in &file.case {
        let got: Vec<String> = split(&case.text)
            .into_iter()
            .map(|r| case.text[r].to_string())
            .collect();
        if got != case.sentences {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n--- case {:?}\n    text: {:?}\n    (- expected, + got)\n{}",
                case.name,
                case.text,
                diff(&case.sentences, &got)
            );
        }
    }
    println!(
        "{what}: {} sentence cases, {} failed",
        file.case.len(),
        failed
    );
    assert!(
        failed == 0,
        "{what}: {failed} of {} sentence cases failed:{failures}",
        file.case.len()
    );
}

#[test]
fn token_cases() {
    let file = load();
    assert!(!file.token_case.is_empty());
    let mut failures = String::new();
    let mut failed = 0;
    for case in &file.token_case {
        let toks = tokenize(&case.text);
        let got: Vec<String> = (0..toks.len())
            .map(|i| toks.norm_of(i).to_string())
            .collect();
        let mut bad = got != case.tokens;
        let mut msg = String::new();
        if let Some(flags) = &case.flags {
            let got_flags: Vec<u8> = toks.tokens.iter().map(|t| t.flags).collect();
            if &got_flags != flags {
                bad = true;
                let _ = writeln!(
                    msg,
                    "    flags expected {flags:?}\n    flags got      {got_flags:?}"
                );
            }
        }
        // The phrase normaliser must give exactly the sentence's norm.
        let phrase = normalize_phrase(&case.text);
        let expected_norm = if case.tokens.is_empty() {
            String::new()
        } else {
            format!(" {} ", case.tokens.join(" "))
        };
        if phrase != expected_norm {
            bad = true;
            let _ = writeln!(
                msg,
                "    normalize_phrase: {phrase:?}\n    expected:         {expected_norm:?}"
            );
        }
        if bad {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n--- token case {:?}\n    text: {:?}\n    (- expected, + got)\n{}{}",
                case.name,
                case.text,
                diff(&case.tokens, &got),
                msg
            );
        }
    }
    println!("{} token cases, {} failed", file.token_case.len(), failed);
    assert!(
        failed == 0,
        "{failed} of {} token cases failed:{failures}",
        file.token_case.len()
    );
}

/// Invariants that must hold for any text: checked on every case text and, in
/// `robustness.rs`, on garbage.
pub fn check_invariants(text: &str) {
    check_sentence_ranges(text, &sentences_rules_only(text));
    let sents = sentences(text);
    check_sentence_ranges(text, &sents);
    let mut toks = Tokens::default();
    for r in sents.iter().cloned().chain(std::iter::once(0..text.len())) {
        toks.fill(text, r.clone());
        check_tokens(text, r, &toks);
    }
}

fn check_sentence_ranges(text: &str, sents: &[std::ops::Range<usize>]) {
    let mut prev_end = 0;
    for r in sents {
        assert!(r.start < r.end, "empty sentence {r:?} in {text:?}");
        assert!(
            r.start >= prev_end,
            "overlap/out of order {r:?} in {text:?}"
        );
        assert!(r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let s = &text[r.clone()];
        assert_eq!(s.trim(), s, "sentence not trimmed: {s:?}");
        prev_end = r.end;
    }
}

fn check_tokens(text: &str, range: std::ops::Range<usize>, toks: &Tokens) {
    assert!(toks.norm.starts_with(' ') && toks.norm.ends_with(' '));
    let mut expected_norm = String::from(" ");
    let mut prev_end = range.start;
    for (i, t) in toks.tokens.iter().enumerate() {
        assert!(
            t.start < t.end && t.start >= prev_end && t.end <= range.end,
            "{t:?}"
        );
        let orig = &text[t.start..t.end];
        let norm = toks.norm_of(i);
        assert!(!norm.is_empty() && !norm.contains(' '), "bad norm {norm:?}");
        assert_eq!(normalize_chars(orig), norm, "token {orig:?} in {text:?}");
        assert_eq!(t.norm_start as usize, expected_norm.len());
        expected_norm.push_str(norm);
        expected_norm.push(' ');
        assert_eq!(toks.token_starting_at(t.norm_start as usize), Some(i));
        assert_eq!(toks.token_starting_at(t.norm_start as usize - 1), Some(i));
        assert_eq!(toks.token_ending_at(t.norm_end as usize), Some(i));
        assert_eq!(toks.token_ending_at(t.norm_end as usize + 1), Some(i));
        // Everything between tokens is whitespace/control/invisible.
        let gap = &text[prev_end..t.start];
        assert!(
            gap.chars().all(|c| c.is_whitespace()
                || c.is_control()
                || normalize_chars(&c.to_string()).is_empty()),
            "text {gap:?} dropped between tokens in {text:?}"
        );
        prev_end = t.end;
    }
    assert_eq!(toks.norm, expected_norm);
}

#[test]
fn invariants_on_all_cases() {
    let file = load();
    let mut n = 0;
    for text in file
        .case
        .iter()
        .map(|c| &c.text)
        .chain(file.token_case.iter().map(|c| &c.text))
    {
        check_invariants(text);
        n += 1;
    }
    println!("invariants hold on {n} texts");
}

#[test]
fn tokens_map_back_to_phrases() {
    // Every dictionary-style phrase of a case, normalised, is found in the sentence norm and
    // maps back to the original words.
    let text =
        "BAGHDAD (Reuters) - Kata’ib Hezbollah’s leader met U.S.-backed Lt. Col. Omar Haddad.";
    let toks = tokenize(text);
    for (phrase, original) in [
        ("Kata'ib Hezbollah", "Kata’ib Hezbollah"),
        ("U.S.-backed", "U.S.-backed"),
        ("lt. col.", "Lt. Col."),
        ("BAGHDAD", "BAGHDAD"),
        ("Omar Haddad", "Omar Haddad"),
    ] {
        let p = normalize_phrase(phrase);
        let Some(at) = toks.norm.find(&p) else {
            panic!("{p:?} not found in {:?}", toks.norm);
        };
        let first = toks.token_starting_at(at);
        let last = toks.token_ending_at(at + p.len());
        let (Some(first), Some(last)) = (first, last) else {
            panic!("{p:?} does not map back to tokens");
        };
        assert_eq!(
            &text[toks.tokens[first].start..toks.tokens[last].end],
            original
        );
    }
    // A phrase never matches part of a token.
    assert!(!toks.norm.contains(&normalize_phrase("Hezb")));
}

#[test]
fn ranges_are_clamped() {
    let text = "Iraq’s army";
    #[allow(clippy::reversed_empty_ranges)]
    let ranges = [0..100, 3..5, 5..4, 200..300, 4..6];
    for r in ranges {
        let t = Tokens::new(text, r);
        assert!(t.norm.starts_with(' '));
    }
    assert_eq!(Tokens::new(text, 0..4).norm, " iraq ");
}
