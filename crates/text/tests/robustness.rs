//! Garbage in, no panic out: random bytes, control characters, lone combining marks,
//! emoji, and megabyte-sized degenerate inputs (big enough that a quadratic algorithm would
//! visibly hang the test, but not timed, so the test stays robust on slow machines).

use dyad_text::{
    normalize_chars, normalize_phrase, sentences, sentences_rules_only, tokenize, Tokens,
};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Split, tokenise every sentence and the whole text, check basic invariants.
fn exercise(text: &str) -> usize {
    check_ranges(text, &sentences_rules_only(text));
    let sents = sentences(text);
    check_ranges(text, &sents);
    let mut toks = Tokens::default();
    let mut n = 0;
    for r in sents {
        toks.fill(text, r);
        for (i, t) in toks.tokens.iter().enumerate() {
            assert!(t.start < t.end && t.end <= text.len());
            assert!(!toks.norm_of(i).is_empty());
        }
        n += toks.len();
    }
    let all = tokenize(text);
    assert!(all.norm.starts_with(' ') && all.norm.ends_with(' '));
    n + all.len()
}

fn check_ranges(text: &str, sents: &[std::ops::Range<usize>]) {
    let mut prev = 0;
    for r in sents {
        assert!(r.start < r.end && r.start >= prev && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        prev = r.end;
    }
}

/// Like `exercise`, plus the per-token normalisation round trip (slower: allocates per token).
fn exercise_strict(text: &str) {
    exercise(text);
    let toks = tokenize(text);
    for (i, t) in toks.tokens.iter().enumerate() {
        assert_eq!(normalize_chars(&text[t.start..t.end]), toks.norm_of(i));
    }
    let _ = normalize_phrase(text);
}

#[test]
fn random_bytes_lossy() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        exercise_strict(&text);
    }
}

/// Random strings built from the characters that matter to the splitter and tokenizer.
#[test]
fn random_tricky_alphabet() {
    const PIECES: &[&str] = &[
        " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u{a0}", "\u{200b}", "\u{feff}", "\u{0}", "\u{7}",
        "\u{1b}", ".", "..", "...", "…", "?", "!", ",", ";", ":", "'", "’", "‘", "\"", "“", "”",
        "(", ")", "[", "]", "-", "—", "–", "−", "\u{ad}", "\u{301}", "\u{308}", "\u{200d}",
        "\u{fe0f}", "a", "A", "s", "S", "n", "t", "U", "U.S.", "Gen", "Jan", "No", "no", "e", "z",
        "W", "The", "the", "said", "0", "1", "2.5", "1,200", "é", "É", "ß", "İ", "ﬁ", "Σ", "ς",
        "ي", "\u{64b}", "中", "😀", "🇮", "🇶", "👍🏽", "$", "%", "#", "@", "&", "/", "\u{2028}",
        "\u{85}", "\u{202e}",
    ];
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let n = rng.below(40);
        let text: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        exercise_strict(&text);
    }
}

#[test]
fn control_chars_and_marks() {
    let controls: String = (0u32..0x20)
        .chain(0x7f..0xa0)
        .filter_map(char::from_u32)
        .collect();
    exercise_strict(&controls);
    exercise_strict(&controls.repeat(100));
    // Lone combining marks, at the start, after spaces, after punctuation, in a long run.
    exercise_strict("\u{301}");
    exercise_strict("\u{301}\u{302}\u{303} . \u{301}abc \u{308}. \u{301}");
    exercise_strict(&"\u{301}".repeat(100_000));
    exercise_strict(&format!("a{}", "\u{301}".repeat(100_000)));
    exercise_strict(&format!(".{} end.", "\u{301}".repeat(10_000)));
    // Emoji: ZWJ sequences, flags, skin tones, keycaps.
    exercise_strict("👨‍👩‍👧‍👦 🇮🇶🇺🇸 👍🏽 1️⃣ ❤️‍🔥. Done! ‍‍‍");
    // Every kind of quote/dash/space next to abbreviations.
    exercise_strict("“U.S.” ‘Gen.’ — Jan.\u{a0}4 —No.\u{2009}10 … „a“ ‚b‘ ″c″ ′");
    exercise_strict("'s n't 'S N'T ’s n’t ' ’ n'");
}

/// Size of the degenerate inputs: 1 MB, or 256 KB in unoptimised builds (still far too big
/// for a quadratic algorithm to finish, but keeps `cargo test` quick).
const MB: usize = if cfg!(debug_assertions) {
    1 << 18
} else {
    1 << 20
};

#[test]
fn huge_degenerate_inputs() {
    const FULL_MB: usize = 1 << 20;
    let cases: Vec<(&str, String)> = vec![
        ("1 MB of periods", ".".repeat(FULL_MB)),
        ("1 MB word", "a".repeat(FULL_MB)),
        ("many 'a.'", "a.".repeat(MB / 2)),
        ("many 'A. '", "A. ".repeat(MB / 3)),
        ("many 'U.S. '", "U.S. ".repeat(MB / 5)),
        ("many 'Gen. '", "Gen. ".repeat(MB / 5)),
        ("many '?! '", "?! ".repeat(MB / 3)),
        ("many quotes", "\"".repeat(MB)),
        ("many '.\" '", ".\" ".repeat(MB / 3)),
        ("many '.”'", ".”".repeat(MB / 4)),
        ("many newlines", "\n".repeat(MB)),
        ("many '.\\n'", ".\n".repeat(MB / 2)),
        ("many spaces", " ".repeat(MB)),
        ("many nbsp", "\u{a0}".repeat(MB / 2)),
        ("many apostrophes", "'".repeat(MB)),
        ("many \"n't\"", "n't".repeat(MB / 3)),
        ("long digits and commas", "1,".repeat(MB / 2)),
        ("long decimal", format!("1{}", ".1".repeat(MB / 2))),
        ("long dotted", "a.b.".repeat(MB / 4)),
        ("long hyphens", "-".repeat(MB)),
        ("long emoji", "😀".repeat(MB / 4)),
        ("long ZWJ", "\u{200d}".repeat(MB / 3)),
        ("long sentence", "word ".repeat(MB / 5)),
        ("huge space gap", format!("a.{}The end.", " ".repeat(MB))),
        (
            "news repeated",
            "BAGHDAD (Reuters) - The U.S. said on Jan. 4 that Gen. Smith left. \"Go!\" he said.\n\n"
                .repeat(MB / 80),
        ),
    ];
    for (name, text) in &cases {
        let t0 = std::time::Instant::now();
        let n = exercise(text);
        println!(
            "{name}: {} bytes, {n} tokens, {:?}",
            text.len(),
            t0.elapsed()
        );
    }
}

#[test]
fn fifty_megabytes() {
    // The crate must cope with a whole 50 MB text in one call (8 MB in unoptimised builds;
    // `cargo test --release` runs the full size).
    let size = if cfg!(debug_assertions) {
        8_000_000
    } else {
        50_000_000
    };
    let para = "KABUL, Afghanistan (AP) — Lt. Col. Ahmed’s troops didn’t leave the U.S.-run base. \
                Officials said 1,200 people, e.g. farmers, fled at 5 a.m. Monday.\n\n";
    let copies = size / para.len();
    let text = para.repeat(copies);
    let sents = sentences(&text);
    assert_eq!(sents.len(), 2 * copies);
    let toks = tokenize(&text);
    assert!(toks.len() > 30 * copies);
}
