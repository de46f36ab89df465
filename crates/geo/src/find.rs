//! Toponym recognition: one automaton pass over a sentence's match key, longest matches,
//! then the false-friend filters and the qualifiers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use dyad_text::{Tokens, ALL_CAPS, CAPITALIZED, NUMBER, PUNCT};

use crate::key::SentenceKey;
use crate::names::{COMMON, EXACT, PERSON};
use crate::Kind;
use crate::{Gazetteer, PlaceId, Toponym, MAIN};

/// Lower-case words a name may start with and still be a name ("al-Qaim", "the Hague").
const PARTICLES_WORDS: &str =
    "al an ar as ash at ath ad az ed el er es et ez de da di du la le les los las the van von \
    den der";
/// Words before a name that make it a person: "President Jordan", "Mr. Paris".
const TITLES_WORDS: &str =
    "president pres. mr. mr mrs. mrs ms. ms miss dr. dr gen. general sen. senator rep. \
    representative gov. governor minister king queen prince princess sheikh sheik emir lt. \
    col. colonel capt. captain sgt. sergeant adm. admiral maj. pope judge justice secretary \
    chancellor premier ayatollah imam cleric lord lady sir commander spokesman spokeswoman \
    envoy ambassador mayor coach actor actress singer rapper author striker midfielder \
    defender goalkeeper player named dubbed son daughter wife husband brother sister mother \
    father uncle aunt cousin nephew niece prof. professor rev. reverend father brig. cpl. \
    pvt. officer";
/// Administrative words after (or before "of") a name: "Kirkuk province".
const ADMIN_WORDS_WORDS: &str =
    "province governorate state region oblast district county prefecture department \
    municipality krai territory emirate division canton voivodeship wilaya provinces regions \
    states governorates";
/// Capitalised words that may follow a name without making it part of a longer name.
const FOLLOW_OK_WORDS: &str =
    "city airport international monday tuesday wednesday thursday friday saturday sunday \
    january february march april may june july august september october november december \
    jan. feb. aug. sept. sep. oct. nov. dec. and or in on at to from of for the with by near \
    after as is was were has had have";
/// Capitalised words that may come before a name without making it part of a longer name.
const PRECEDE_OK_WORDS: &str =
    "north south east west northern southern eastern western central northeast northwest \
    southeast southwest northeastern northwestern southeastern southwestern upper lower \
    greater in at on near from to of the and or for into outside across by with over after \
    as occupied rural downtown inner outer";
/// Words before a name that make it a place for a name that is also an ordinary word.
const LOCATIVE_WORDS: &str =
    "in at near outside from to into across around toward towards via through inside between \
    and nearby reached entered captured visited shelled struck raided attacked hit bombed \
    stormed besieged seized surrounded fled evacuated liberated recaptured retook";
/// Nouns before "of" that make the next name a place: "the port of Split".
const PLACE_NOUNS_WORDS: &str =
    "city town port village province region capital outskirts suburbs suburb district state \
    county area centre center heart north south east west northeast northwest southeast \
    southwest governorate streets people residents mayor governor town cities towns";
/// Words a division may be named ("Eastern", Ghana's and Zambia's) that are directions first.
const DIRECTION_NAMES_WORDS: &str =
    "north south east west northern southern eastern western central northeast northwest \
    southeast southwest northeastern northwestern southeastern southwestern upper lower \
    centre center coast coastal";
/// Locatives that make a name in capitals a place ("IN USULUTAN"); "to" and "and" are too
/// common before other capitalised words.
const STRONG_LOCATIVE_WORDS: &str =
    "in at near outside inside into across around toward towards through from";
const DIRECTIONS_WORDS: &str = "north south east west northeast northwest southeast southwest \
    northeastern northwestern southeastern southwestern";
const DISTANCE_UNITS_WORDS: &str = "km kms kilometres kilometers kilometre kilometer miles mile mi";

// The word lists as bits, so that a word's lists are one hash lookup away.
const PARTICLES: u16 = 1 << 0;
const TITLES: u16 = 1 << 1;
const ADMIN_WORDS: u16 = 1 << 2;
const FOLLOW_OK: u16 = 1 << 3;
const PRECEDE_OK: u16 = 1 << 4;
const LOCATIVE: u16 = 1 << 5;
const PLACE_NOUNS: u16 = 1 << 6;
const DIRECTION_NAMES: u16 = 1 << 7;
const STRONG_LOCATIVE: u16 = 1 << 8;
const DIRECTIONS: u16 = 1 << 9;
const DISTANCE_UNITS: u16 = 1 << 10;

/// Is `w` in the word list(s) `list` (bits above)?
fn is(list: u16, w: &str) -> bool {
    static CLASSES: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    let classes = CLASSES.get_or_init(|| {
        let mut m: HashMap<&'static str, u16> = HashMap::new();
        for (words, bit) in [
            (PARTICLES_WORDS, PARTICLES),
            (TITLES_WORDS, TITLES),
            (ADMIN_WORDS_WORDS, ADMIN_WORDS),
            (FOLLOW_OK_WORDS, FOLLOW_OK),
            (PRECEDE_OK_WORDS, PRECEDE_OK),
            (LOCATIVE_WORDS, LOCATIVE),
            (PLACE_NOUNS_WORDS, PLACE_NOUNS),
            (DIRECTION_NAMES_WORDS, DIRECTION_NAMES),
            (STRONG_LOCATIVE_WORDS, STRONG_LOCATIVE),
            (DIRECTIONS_WORDS, DIRECTIONS),
            (DISTANCE_UNITS_WORDS, DISTANCE_UNITS),
        ] {
            for w in words.split(' ') {
                *m.entry(w).or_default() |= bit;
            }
        }
        m
    });
    classes.get(w).is_some_and(|c| c & list != 0)
}

thread_local! {
    static KEY: RefCell<SentenceKey> = RefCell::new(SentenceKey::default());
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a Tokens,
    /// First token with a letter or digit.
    initial: usize,
    /// The sentence is in capitals ("SAN SALVADOR, 3 JAN 90 -- ..."): case tells nothing.
    uncased: bool,
}

impl Ctx<'_> {
    fn norm(&self, i: usize) -> &str {
        self.toks.norm_of(i)
    }
    fn original(&self, i: usize) -> &str {
        self.toks
            .tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }
    fn flags(&self, i: usize) -> u8 {
        self.toks.tokens.get(i).map_or(0, |t| t.flags)
    }
    fn has_letter(&self, i: usize) -> bool {
        i < self.toks.len()
            && self.flags(i) & PUNCT == 0
            && self.norm(i).chars().any(char::is_alphabetic)
    }
    fn capitalised(&self, i: usize) -> bool {
        self.flags(i) & (CAPITALIZED | ALL_CAPS) != 0
    }
    /// The token before `i`, skipping hyphens.
    fn prev(&self, i: usize) -> Option<usize> {
        let mut j = i.checked_sub(1)?;
        while self.norm(j) == "-" {
            j = j.checked_sub(1)?;
        }
        Some(j)
    }
    fn next(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        while j < self.toks.len() && self.norm(j) == "-" {
            j += 1;
        }
        (j < self.toks.len()).then_some(j)
    }
    /// Is a capitalised token `i` (outside a match) part of a longer proper name?
    fn demonym_like(&self, i: usize) -> bool {
        let w = self.norm(i);
        w.len() >= 4
            && ["i", "ian", "an", "ese", "ish", "ic", "ean"]
                .iter()
                .any(|s| w.ends_with(s))
    }
}

impl Gazetteer {
    /// Toponyms in a tokenised sentence (`tokens` made from `text`, as the coder makes them),
    /// in text order, with their candidate places; false friends are filtered out.
    pub fn find(&self, text: &str, tokens: &Tokens) -> Vec<Toponym> {
        KEY.with(|k| {
            let mut sk = k.borrow_mut();
            sk.fill(tokens);
            self.find_in(text, tokens, &sk)
        })
    }

    fn find_in(&self, text: &str, toks: &Tokens, sk: &SentenceKey) -> Vec<Toponym> {
        // Every match, as (first token, last token, key).
        let mut ms: Vec<(usize, usize, u32)> = self
            .matcher
            .find_overlapping_iter(&sk.key)
            .filter_map(|m| {
                let (a, b) = sk.tokens_of(m.start(), m.end())?;
                Some((a, b, m.value()))
            })
            .collect();
        if ms.is_empty() {
            return Vec::new();
        }
        let words = || {
            toks.tokens
                .iter()
                .filter(|t| t.flags & (PUNCT | NUMBER) == 0 && t.end - t.start >= 2)
        };
        let (n_words, n_caps) = (
            words().count(),
            words().filter(|t| t.flags & ALL_CAPS != 0).count(),
        );
        let cx = Ctx {
            text,
            toks,
            initial: (0..toks.len())
                .find(|&i| toks.tokens[i].flags & PUNCT == 0)
                .unwrap_or(0),
            uncased: n_words >= 4 && n_caps * 10 >= n_words * 6,
        };
        // Written like a name? ("in Salah ad Din" is not "In Salah" + "ad Din".) Then
        // leftmost-longest, without overlaps.
        ms.retain(|&(a, b, key)| written_as_name(&cx, a, b, self.key_cands(key).1));
        ms.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
        let mut chosen: Vec<(usize, usize, u32)> = Vec::with_capacity(ms.len());
        for m in ms {
            if chosen.last().is_none_or(|c| m.0 > c.1) {
                chosen.push(m);
            }
        }
        let mut out: Vec<Toponym> = Vec::with_capacity(chosen.len());
        for (a, b, key) in chosen {
            let Some(weak) = self.accept(&cx, a, b, key) else {
                continue;
            };
            let cands = self.key_cands(key).0;
            let (start, end) = (toks.tokens[a].start, toks.tokens[b].end);
            out.push(Toponym {
                tokens: a..b + 1,
                span: start..end,
                text: text.get(start..end).unwrap_or("").to_string(),
                candidates: cands.iter().map(|&c| PlaceId(c & !MAIN)).collect(),
                near: near(&cx, a),
                admin_word: admin_word(&cx, a, b),
                hint: Vec::new(),
                qualifier: false,
                weak,
                main: cands.iter().map(|&c| c & MAIN != 0).collect(),
            });
        }
        self.qualify(&cx, &mut out);
        out
    }

    /// The false-friend filters of the context. `None`: not a place here; `Some(weak)`: a
    /// place, weak when only the article's focus country can confirm it.
    fn accept(&self, cx: &Ctx, a: usize, b: usize, key: u32) -> Option<bool> {
        let (cands, mut flags) = self.key_cands(key);
        let prev = cx.prev(a);
        let next = cx.next(b);
        let kind_in = |k: Kind| {
            cands
                .iter()
                .any(|&c| self.places[(c & !MAIN) as usize].kind == k)
        };
        // A direction is a division only as "Eastern Province", "Central Region", and then
        // only in the article's country (Ghana, Zambia and Kenya all have an "Eastern").
        if a == b && is(DIRECTION_NAMES, cx.norm(a)) {
            return next
                .is_some_and(|n| is(ADMIN_WORDS, cx.norm(n)))
                .then_some(true);
        }
        // A title before it: a person ("President Jordan", "Mr. Lincoln").
        if prev.is_some_and(|p| is(TITLES, cx.norm(p))) {
            return None;
        }
        // "in Nice", "the port of Split", "in the Red Sea", "Nice, France", "Kirkuk province".
        let before = prev.and_then(|p| {
            if cx.norm(p) == "the" {
                cx.prev(p)
            } else {
                Some(p)
            }
        });
        let place_of = |p: usize| {
            cx.norm(p) == "of" && cx.prev(p).is_some_and(|q| is(PLACE_NOUNS, cx.norm(q)))
        };
        let admin_next = next.is_some_and(|n| is(ADMIN_WORDS, cx.norm(n)));
        let supported = before.is_some_and(|p| is(LOCATIVE, cx.norm(p)) || place_of(p))
            || admin_next
            || next.is_some_and(|n| matches!(cx.norm(n), "," | "("));
        let initial = a == cx.initial || prev.is_some_and(|p| p < cx.initial);
        // A dateline: "NICE, France (AP) -", "BAGHDAD (Reuters) -".
        let dateline = initial
            && (a..=b).all(|i| !cx.has_letter(i) || cx.flags(i) & ALL_CAPS != 0)
            && next.is_some_and(|n| matches!(cx.norm(n), "," | "(" | "-"));
        if cx.uncased {
            // All capitals: the case says nothing. Countries and our own places stand; any
            // other name needs a locative, a qualifier or a dateline ("IN USULUTAN", not
            // "RODRIGUEZ SAID").
            let curated = kind_in(Kind::Country) || kind_in(Kind::Supplement);
            let strong = before.is_some_and(|p| is(STRONG_LOCATIVE, cx.norm(p)) || place_of(p))
                || admin_next;
            if flags & (COMMON | PERSON) != 0 {
                // "AT THE SUMMIT", "IN CHANGE": only where the article is.
                return (strong || dateline).then_some(true);
            }
            return (curated || strong || dateline).then_some(false);
        }
        if kind_in(Kind::Country) {
            // In ordinary text a capitalised country name is the country: "China said",
            // "Chad closed its border".
            flags &= !(COMMON | PERSON);
        }
        if let Some(p) = prev {
            let w = cx.norm(p);
            // Part of a longer capitalised name: "George Washington", "Lake Victoria"; but
            // "In Baghdad", "But Moscow" start sentences.
            let starter = p == cx.initial && dyad_text::is_sentence_starter(cx.original(p));
            if !starter
                && cx.has_letter(p)
                && cx.flags(p) & CAPITALIZED != 0
                && cx.flags(p) & ALL_CAPS == 0
                && !is(PRECEDE_OK, w)
                && !cx.demonym_like(p)
            {
                return None;
            }
        }
        if let Some(n) = next {
            let w = cx.norm(n);
            if cx.has_letter(n)
                && cx.flags(n) & CAPITALIZED != 0
                && cx.flags(n) & ALL_CAPS == 0
                && !is(FOLLOW_OK, w)
                && !is(ADMIN_WORDS, w)
            {
                return None;
            }
        }
        // Only an alternate name of small towns ("Lula" for Luleå, "Farmers" for a town in
        // Michigan): like a name that is also a word.
        let minor = cands.iter().all(|&c| {
            let p = &self.places[(c & !MAIN) as usize];
            c & MAIN == 0 && p.kind == Kind::City && p.population < 100_000
        });
        // "Reading the statement, ...", "Victoria said ...", "Rubio said ...".
        if (flags & (COMMON | PERSON) != 0 || minor) && initial && !dateline {
            return None;
        }
        Some((flags & (COMMON | PERSON) != 0 || minor) && !supported)
    }

    /// Qualifiers: "X (Y)", "X, Y" and "Y's X", where Y is a division or country containing
    /// some candidate of X.
    fn qualify(&self, cx: &Ctx, out: &mut [Toponym]) {
        for i in 1..out.len() {
            let (left, right) = out.split_at_mut(i);
            let x = &mut left[i - 1];
            let y = &mut right[0];
            let (xb, ya) = (x.tokens.end, y.tokens.start);
            let between: Vec<&str> = (xb..ya).map(|t| cx.norm(t)).filter(|w| *w != "-").collect();
            let y_closed = between.as_slice() != ["("] || cx.norm(y.tokens.end) == ")";
            if matches!(between.as_slice(), ["("] | [","]) && y_closed && !y.weak {
                let hint = self.hint_places(x, y);
                if !hint.is_empty() {
                    x.hint = hint;
                    y.qualifier = true;
                }
            } else if between.as_slice() == ["'s"] && !y.weak {
                // "Iraq's Anbar province": the first qualifies the second.
                let hint = self.hint_places(y, x);
                if !hint.is_empty() {
                    y.hint = hint;
                }
            }
        }
    }

    /// Places among `y`'s candidates (divisions, countries) that contain a candidate of `x`.
    fn hint_places(&self, x: &Toponym, y: &Toponym) -> Vec<PlaceId> {
        y.candidates
            .iter()
            .copied()
            .filter(|&h| {
                let hp = self.place(h);
                matches!(hp.kind, Kind::Admin1 | Kind::Country)
                    && x.candidates
                        .iter()
                        .any(|&c| c != h && self.within(self.place(c), hp))
            })
            .collect()
    }
}

/// The capitalisation of a name: the first word that is not a particle is capitalised; a
/// name that is also an ordinary word has all its longer words capitalised; a case-sensitive
/// alias ("US") is in capitals.
fn written_as_name(cx: &Ctx, a: usize, b: usize, flags: u8) -> bool {
    let mut letters = (a..=b).filter(|&i| cx.has_letter(i));
    let Some(first) = letters.clone().next() else {
        return false;
    };
    let head = letters
        .clone()
        .find(|&i| !is(PARTICLES, cx.norm(i)) || cx.capitalised(i))
        .unwrap_or(first);
    if !cx.capitalised(head) {
        return false;
    }
    if flags & EXACT != 0 && !letters.clone().all(|i| cx.flags(i) & ALL_CAPS != 0) {
        return false;
    }
    flags & COMMON == 0 || letters.all(|i| cx.capitalised(i) || cx.norm(i).len() <= 3)
}

/// "near X", "outside X", "close to X", "north of X", "on the outskirts of X", "10 km from X".
fn near(cx: &Ctx, a: usize) -> bool {
    let Some(p) = cx.prev(a) else { return false };
    let w = cx.norm(p);
    if matches!(w, "near" | "outside" | "nearby" | "around") {
        return true;
    }
    let pp = cx.prev(p).map(|q| cx.norm(q)).unwrap_or("");
    match w {
        "to" => pp == "close",
        "of" | "from" => {
            is(DIRECTIONS, pp)
                || is(DISTANCE_UNITS, pp)
                || pp == "outskirts"
                || pp == "away"
                // "north-east of": the hyphen is skipped, so "east" is what comes before.
                || pp.ends_with("east") || pp.ends_with("west")
        }
        _ => false,
    }
}

/// "Kirkuk province", "province of Kirkuk", "Kirkuk governorate".
fn admin_word(cx: &Ctx, a: usize, b: usize) -> bool {
    if cx.next(b).is_some_and(|n| is(ADMIN_WORDS, cx.norm(n))) {
        return true;
    }
    cx.prev(a).is_some_and(|p| {
        cx.norm(p) == "of" && cx.prev(p).is_some_and(|q| is(ADMIN_WORDS, cx.norm(q)))
    })
}

#[cfg(test)]
mod tests {
    use crate::{gazetteer, Context};

    /// (sentence, the toponyms found as "text" or "text:flags", flags n=near a=admin word
    /// q=qualifier w=weak).
    const CASES: &[(&str, &[&str])] = &[
        ("Rockets hit Baghdad and Basra.", &["Baghdad", "Basra"]),
        ("A drone struck near Erbil.", &["Erbil:n"]),
        ("Shelling 10 km north of Kharkiv.", &["Kharkiv:n"]),
        ("Clashes in Kirkuk province.", &["Kirkuk:a"]),
        ("Clashes in the province of Kandahar.", &["Kandahar:a"]),
        (
            "Strikes in Comodoro Rivadavia (Chubut).",
            &["Comodoro Rivadavia", "Chubut:q"],
        ),
        (
            "Flooding in Paris, Texas, and Paris.",
            &["Paris", "Texas:q", "Paris"],
        ),
        ("Iraq's Anbar province.", &["Iraq", "Anbar:a"]),
        ("The mayor of Split spoke.", &["Split"]),
        ("Split mayor Ivica Puljak spoke.", &[]),
        ("He met Split officials.", &["Split:w"]),
        ("The coalition may split.", &[]),
        ("President Chad Mitchell and Mr. Lincoln left.", &[]),
        ("The Washington Post said.", &[]),
        ("Victoria said no.", &[]),
        ("US troops and U.S. jets; let us go.", &["US", "U.S."]),
        (
            "THE ARMY KILLED RODRIGUEZ IN USULUTAN DEPARTMENT.",
            &["USULUTAN:a"],
        ),
        ("", &[]),
        ("---", &[]),
    ];

    #[test]
    fn finds_and_filters() {
        let g = gazetteer();
        for (text, want) in CASES {
            let toks = dyad_text::tokenize(text);
            let got: Vec<String> = g
                .find(text, &toks)
                .iter()
                .map(|t| {
                    let flags: String = [
                        (t.near, 'n'),
                        (t.admin_word, 'a'),
                        (t.qualifier, 'q'),
                        (t.weak, 'w'),
                    ]
                    .iter()
                    .filter(|f| f.0)
                    .map(|f| f.1)
                    .collect();
                    if flags.is_empty() {
                        t.text.clone()
                    } else {
                        format!("{}:{flags}", t.text)
                    }
                })
                .collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn weak_names_need_the_focus_country() {
        let g = gazetteer();
        let text = "He met Split officials.";
        let toks = dyad_text::tokenize(text);
        let t = &g.find(text, &toks)[0];
        assert!(g.resolve(t, &Context::default()).is_none());
        assert!(g.resolve(t, &Context::new(["FRA", "HRV"])).is_none());
        let split = g.resolve(t, &Context::new(["HRV"])).unwrap();
        assert_eq!(split.geonames_id, 3190261);
    }

    #[test]
    fn any_input_is_safe() {
        let g = gazetteer();
        for text in [
            "\u{0}",
            "ﷺ Baghdad ﷺ",
            "a\u{301}\u{301}",
            "(((((",
            "Al-",
            "-Baghdad-",
            "İstanbul",
        ] {
            let toks = dyad_text::tokenize(text);
            for t in g.find(text, &toks) {
                assert!(text.get(t.span.clone()).is_some());
                let _ = g.resolve(&t, &Context::new(["XXX"]));
            }
        }
    }
}
