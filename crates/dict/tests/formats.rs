//! Tests of the dictionary-file parsers (`dyad_dict::formats`):
//!
//! 1. small inline files for every token kind, code form and date form;
//! 2. the real TABARI / PETRARCH files of `../shared/anchors` (read at run time; skipped when
//!    the directory is missing), with plausible counts and the diagnostics per file (the first
//!    few; all with `DYAD_ALL_DIAGS=1`);
//! 3. the parse time of the start-up set (printed, not asserted):
//!    `cargo test --release -p dyad-dict --test formats -- --nocapture`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dyad_dict::formats::{
    self, actors,
    agents::{self, AgentPosition, Plural},
    discards,
    issues::{self, IssueKind},
    options::{self, OptionCommand},
    pattern::{CodeKind, CodeSpec, Token, Word},
    petrarch_verbs::{self, Dialect, TransformTerm},
    project, tabari_verbs, Diagnostic,
};

// ------------------------------------------------------------------------------------------
// helpers

fn word(text: &str, stem: bool, adjacent_next: bool) -> Token {
    Token::Word(Word {
        text: text.to_string(),
        stem,
        adjacent_next,
        tilde: false,
    })
}

fn ww(text: &str, stem: bool) -> Word {
    Word {
        text: text.to_string(),
        stem,
        adjacent_next: false,
        tilde: false,
    }
}

fn w(text: &str) -> Token {
    word(text, true, false)
}

const VERB: Token = Token::Verb {
    adjacent_next: false,
};
const SRC: Token = Token::Source {
    adjacent_next: false,
};
const TGT: Token = Token::Target {
    adjacent_next: false,
};

fn code(c: &str) -> Option<CodeSpec> {
    Some(CodeSpec::code(c))
}

fn messages(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect()
}

/// Asserts that some diagnostic is on `line` and contains `needle`.
fn has(d: &[Diagnostic], line: usize, needle: &str) {
    assert!(
        d.iter()
            .any(|d| d.line == line && d.message.contains(needle)),
        "no diagnostic `{needle}` on line {line}: {:#?}",
        messages(d)
    );
}

// ------------------------------------------------------------------------------------------
// 1. inline cases

const TABARI_VERBS: &str = "<SYNSETS>
&CURRENCY
+DOLLAR
+SWISS_FRANC_
&TIES_
+&CURRENCY_MEMOS
</SYNSETS>
<TIME>
LAST_WEEK [-7]
NEXT_MONTH [+30]
- * AND A WEEK [+8]
NEVER [---]
</TIME>
<NOUN>
BEES ; comment
</NOUN>
<ADJECTIVE>
AWFUL
</ADJECTIVE>
ABANDON  [---] ;OY 25 Jul 2003
- SAID + MUST * POLICY  [100] ;ab 10 Jul 2003
- * OUTPOST IN_ +  [0874]
ACT_ [100]
{ ACTING_ BROKEN_DOWN_ }
- $_*_+ [054]
BAN= [191?]
- % * IN_^ FOR_ TALK [046:046]
- + HAS_BEEN_* [:033]
- FORCE TO_ * [100!]
- + { WAS | WERE BEEN }_* [###]
- DEMAND_{ GENEVA_ | INTERNATIONAL }_CONVENTIONS * [+++]
- THE_NEAT~_PLACE * &CURRENCY_EXCHANGE
- { HAVE | HAS } _* EFFORT [050]
- +-SPONSORED * [010]
~~FINISH
IGNORED [111]
";

#[test]
fn tabari_verbs_sections_and_tokens() {
    let (vf, d) = tabari_verbs::parse(TABARI_VERBS, "t.verbs");
    assert!(d.is_empty(), "{:#?}", messages(&d));

    // synsets
    assert_eq!(vf.synsets.len(), 2);
    let cur = &vf.synsets[0];
    assert_eq!(
        (cur.name.as_str(), cur.no_plural, cur.line),
        ("CURRENCY", false, 2)
    );
    assert_eq!(cur.members[0].tokens, vec![w("dollar")]);
    assert_eq!(
        cur.members[1].tokens,
        vec![word("swiss", false, true), word("franc", false, false)]
    );
    let ties = &vf.synsets[1];
    assert_eq!((ties.name.as_str(), ties.no_plural), ("TIES", true));
    assert_eq!(
        ties.members[0].tokens,
        vec![
            Token::Synset {
                name: "CURRENCY".into(),
                adjacent_next: true
            },
            w("memos")
        ]
    );

    // <TIME>
    assert_eq!(vf.time.len(), 3);
    assert_eq!(
        vf.time[0].phrase,
        vec![
            Word {
                text: "last".into(),
                stem: false,
                adjacent_next: true,
                tilde: false
            },
            Word::stem("week")
        ]
    );
    assert_eq!(vf.time[0].code, Some(CodeSpec::of(CodeKind::Shift(-7))));
    assert_eq!(vf.time[1].code, Some(CodeSpec::of(CodeKind::Shift(30))));
    assert_eq!(
        vf.time[1].patterns[0].code,
        Some(CodeSpec::of(CodeKind::Shift(8)))
    );
    assert_eq!(vf.time[2].code, Some(CodeSpec::of(CodeKind::Null)));

    // <NOUN>, <ADJECTIVE>
    assert_eq!(vf.nouns.len(), 1);
    assert_eq!(
        (vf.nouns[0].phrase.as_str(), vf.nouns[0].line),
        ("BEES", 15)
    );
    assert_eq!(vf.adjectives[0].phrase, "AWFUL");

    // roots: IGNORED comes after ~~FINISH
    assert_eq!(vf.roots.len(), 3);
    let abandon = &vf.roots[0];
    assert_eq!(abandon.phrase, vec![Word::stem("abandon")]);
    assert_eq!(abandon.code, Some(CodeSpec::of(CodeKind::Null)));
    assert_eq!(abandon.comment.as_deref(), Some("OY 25 Jul 2003"));
    assert_eq!(abandon.line, 20);
    let p = &abandon.patterns[0];
    assert_eq!(p.tokens, vec![w("said"), TGT, w("must"), VERB, w("policy")]);
    assert_eq!(p.code, code("100"));
    assert_eq!((p.line, p.comment.as_deref()), (21, Some("ab 10 Jul 2003")));
    assert_eq!(
        abandon.patterns[1].tokens,
        vec![VERB, w("outpost"), word("in", false, false), TGT]
    );
    assert_eq!(abandon.patterns[1].comment, None);

    let act = &vf.roots[1];
    assert_eq!(act.phrase, vec![ww("act", false)]);
    assert!(abandon.forms.is_none());
    assert_eq!(
        act.forms,
        Some(vec![
            vec![Word {
                text: "acting".into(),
                stem: false,
                adjacent_next: false,
                tilde: false
            }],
            vec![
                Word {
                    text: "broken".into(),
                    stem: false,
                    adjacent_next: true,
                    tilde: false
                },
                Word {
                    text: "down".into(),
                    stem: false,
                    adjacent_next: false,
                    tilde: false
                }
            ],
        ])
    );
    assert_eq!(
        act.patterns[0].tokens,
        vec![
            Token::Source {
                adjacent_next: true
            },
            Token::Verb {
                adjacent_next: true
            },
            TGT
        ]
    );

    let ban = &vf.roots[2];
    assert_eq!(ban.phrase, vec![ww("ban", false)]);
    assert_eq!(
        ban.code,
        Some(CodeSpec {
            kind: CodeKind::Code("191".into()),
            subordinate: true,
            dominant: false
        })
    );
    let pats = &ban.patterns;
    assert_eq!(pats.len(), 8);
    // - % * IN_^ FOR_ TALK [046:046]
    assert_eq!(
        pats[0].tokens,
        vec![
            Token::Compound {
                adjacent_next: false
            },
            VERB,
            word("in", false, true),
            Token::Skip {
                adjacent_next: false
            },
            word("for", false, false),
            w("talk")
        ]
    );
    assert_eq!(
        pats[0].code,
        Some(CodeSpec::of(CodeKind::Paired(
            Some("046".into()),
            Some("046".into())
        )))
    );
    // - + HAS_BEEN_* [:033]
    assert_eq!(
        pats[1].tokens,
        vec![
            TGT,
            word("has", false, true),
            word("been", false, true),
            VERB
        ]
    );
    assert_eq!(
        pats[1].code,
        Some(CodeSpec::of(CodeKind::Paired(None, Some("033".into()))))
    );
    // - FORCE TO_ * [100!]
    assert_eq!(
        pats[2].code,
        Some(CodeSpec {
            kind: CodeKind::Code("100".into()),
            subordinate: false,
            dominant: true
        })
    );
    // - + { WAS | WERE BEEN }_* [###]
    assert_eq!(
        pats[3].tokens,
        vec![
            TGT,
            Token::Alternatives {
                options: vec![vec![w("was")], vec![w("were"), w("been")]],
                adjacent_next: true
            },
            VERB
        ]
    );
    assert_eq!(pats[3].code, Some(CodeSpec::of(CodeKind::Discard)));
    // - DEMAND_{ GENEVA_ | INTERNATIONAL }_CONVENTIONS * [+++]
    assert_eq!(
        pats[4].tokens,
        vec![
            word("demand", false, true),
            Token::Alternatives {
                options: vec![vec![word("geneva", false, false)], vec![w("international")]],
                adjacent_next: true
            },
            w("conventions"),
            VERB
        ]
    );
    assert_eq!(pats[4].code, Some(CodeSpec::of(CodeKind::Complex)));
    // - THE_NEAT~_PLACE * &CURRENCY_EXCHANGE   (no code)
    assert_eq!(
        pats[5].tokens,
        vec![
            word("the", false, true),
            Token::Word(Word {
                text: "neat".into(),
                stem: true,
                adjacent_next: true,
                tilde: true
            }),
            w("place"),
            VERB,
            Token::Synset {
                name: "CURRENCY".into(),
                adjacent_next: true
            },
            w("exchange")
        ]
    );
    assert_eq!(pats[5].code, None);
    // - { HAVE | HAS } _* EFFORT [050]: a leading `_` joins to the element before
    assert_eq!(
        pats[6].tokens,
        vec![
            Token::Alternatives {
                options: vec![vec![w("have")], vec![w("has")]],
                adjacent_next: true
            },
            VERB,
            w("effort")
        ]
    );
    // - +-SPONSORED * [010]: a hyphen after a special reads as `_`
    assert_eq!(
        pats[7].tokens,
        vec![
            Token::Target {
                adjacent_next: true
            },
            w("sponsored"),
            VERB
        ]
    );
    assert_eq!(vf.patterns().count(), 12);
}

#[test]
fn tabari_verbs_diagnostics() {
    let text = "- * NO ROOT [010]
FOO [010]
- * A } [010]
- * { A | B ] X [010]
- A B [010]
- * A [0-1]
- * A [010]]
 * INDENTED [010]
- * &UNDEFINED [010]
+MEMBER
- * A [+3]
- * A * [010]
- * A [010
BAR [---] [010]
- * (PAREN) [010]
- *X [010]
<TIME>
";
    let (vf, d) = tabari_verbs::parse(text, "bad.verbs");
    has(&d, 1, "pattern before any verb root");
    has(&d, 3, "stray `}`");
    has(&d, 4, "`{ ... ]` read as `{ ... }`");
    has(&d, 5, "pattern without `*`");
    has(&d, 6, "malformed code `[0-1]`");
    has(&d, 7, "`]` after the code ignored");
    has(&d, 8, "line starts with a blank");
    has(&d, 9, "undefined synset &UNDEFINED");
    has(&d, 10, "`+` line outside a synset");
    has(&d, 11, "outside a <TIME> section");
    has(&d, 12, "pattern with 2 `*`");
    has(&d, 13, "`[` without `]`");
    has(&d, 14, "malformed verb root");
    has(&d, 16, "no blank after `*`");
    has(&d, 17, "<TIME> is never closed");
    assert_eq!(vf.roots.len(), 1);
    let foo = &vf.roots[0];
    // kept: the repaired `{ A | B ]`, `[010]]`, `&UNDEFINED`, `(PAREN)` (a word in TABARI), `*X`
    assert_eq!(
        foo.patterns.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![4, 7, 9, 15, 16]
    );
    assert_eq!(
        foo.patterns[0].tokens,
        vec![
            VERB,
            Token::Alternatives {
                options: vec![vec![w("a")], vec![w("b")]],
                adjacent_next: false
            },
            w("x")
        ]
    );
    assert_eq!(foo.patterns[3].tokens, vec![VERB, w("(paren)")]);
    assert_eq!(foo.patterns[4].tokens, vec![VERB, w("x")]);
    let shown = d[0].to_string();
    assert_eq!(
        shown,
        "bad.verbs:1: pattern before any verb root; skipped: `- * NO ROOT [010]`"
    );
}

const PETR1: &str = "####### SYNONYM SETS #######
&AUXVERB1_
+WAS
+WERE

####### VERB PATTERNS #######
--- ABANDON [080] ---
ABANDON  # comment
+BEEF_UP {+BEEFS_UP +BEEFED_UP} [0311]
WIRE_+TAP {WIRE_+TAPPED}
SAY {}
SNUB [111] {SNUBS}
- * &AUXVERB1 + [100] # ABANDON <ab 10 Jul 2003>
- $ * { A | B } [101]

&NEG
+NEVER

### OLD STYLE ###
QUIT
- * [---]

- * ORPHAN [010]
LOOSE
--- DELAY [120]  [031:031]  ---
<!-- an XML comment
over two lines -->
DELAY
";

#[test]
fn petrarch1_blocks() {
    assert_eq!(petrarch_verbs::detect_dialect(PETR1), Dialect::Petrarch1);
    let (vd, d) = petrarch_verbs::parse(PETR1, "p1.txt");
    assert_eq!(vd.dialect, Dialect::Petrarch1);
    assert_eq!(vd.synsets.len(), 2);
    assert_eq!(
        (vd.synsets[0].name.as_str(), vd.synsets[0].no_plural),
        ("AUXVERB1", true)
    );
    assert_eq!(vd.synsets[0].members.len(), 2);
    assert_eq!(vd.synsets[1].members[0].tokens, vec![w("never")]);

    assert_eq!(vd.blocks.len(), 3);
    let b = &vd.blocks[0];
    assert_eq!(
        (b.name.as_str(), b.code.clone(), b.line),
        ("ABANDON", code("080"), 7)
    );
    assert_eq!(b.verbs.len(), 5);
    assert_eq!(b.verbs[0].phrase.words, vec![Word::stem("abandon")]);
    assert_eq!(b.verbs[0].comment.as_deref(), Some("comment"));
    assert!(!b.verbs[0].phrase.marked);
    assert_eq!(b.verbs[0].forms, None);

    let beef = &b.verbs[1];
    assert_eq!(
        beef.phrase.words,
        vec![
            Word {
                text: "beef".into(),
                stem: false,
                adjacent_next: true,
                tilde: false
            },
            Word::stem("up")
        ]
    );
    assert_eq!((beef.phrase.head, beef.phrase.marked), (0, true));
    assert_eq!(beef.code, code("0311"));
    let forms = beef.forms.as_ref().unwrap();
    assert_eq!(forms.len(), 2);
    assert_eq!(forms[1].words[0].text, "beefed");

    let tap = &b.verbs[2];
    assert_eq!(tap.phrase.head, 1);
    assert_eq!(tap.phrase.words[1].text, "tap");
    assert_eq!(tap.forms.as_ref().unwrap()[0].head, 1);
    assert_eq!(b.verbs[3].forms, Some(vec![]));
    // forms after the code
    assert_eq!(b.verbs[4].code, code("111"));
    assert_eq!(b.verbs[4].forms.as_ref().unwrap().len(), 1);

    assert_eq!(b.patterns.len(), 2);
    assert_eq!(
        b.patterns[0].tokens,
        vec![
            VERB,
            Token::Synset {
                name: "AUXVERB1".into(),
                adjacent_next: false
            },
            TGT
        ]
    );
    assert_eq!(
        b.patterns[0].comment.as_deref(),
        Some("ABANDON <ab 10 Jul 2003>")
    );
    assert_eq!(
        b.patterns[1].tokens[2],
        Token::Alternatives {
            options: vec![vec![w("a")], vec![w("b")]],
            adjacent_next: false
        }
    );

    let old = &vd.blocks[1];
    assert_eq!((old.name.as_str(), old.code.clone()), ("OLD STYLE", None));
    assert_eq!(old.verbs.len(), 1);
    assert_eq!(old.patterns[0].code, Some(CodeSpec::of(CodeKind::Null)));

    let delay = &vd.blocks[2];
    assert_eq!(delay.code, code("120"));
    assert_eq!(delay.verbs.len(), 1);

    has(&d, 23, "pattern outside a verb block");
    has(&d, 24, "verb outside a verb block");
    has(&d, 25, "block header with 2 codes");
    assert_eq!(d.len(), 3, "{:#?}", messages(&d));
}

const PETR2: &str = "####### SYNONYM SETS #######
&NEGOTIATOR
+ENVOY

&MILITARY
+ARMY

####### VERB PATTERNS #######
---  CALL   [---]  ---
CALL
SUMMON [020]
- * (FOR WITHDRAWAL)        [025]     # CALL
- $ * (AS &NEGOTIATOR) (IN {PEACE TALK}) (WITH +)  [045]
- &MILITARY *               [154]
- * {FINANCIAL AID}         [:030]
- * (TO)                    [042:043]

---  OFFEND   [:110]---  ---
OFFEND

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
~ a (b . Q) WANT = a b Q   # comment
~ a (b ATTACK SAY = a b 1
";

#[test]
fn petrarch2_patterns() {
    assert_eq!(petrarch_verbs::detect_dialect(PETR2), Dialect::Petrarch2);
    let (vd, d) = petrarch_verbs::parse(PETR2, "p2.txt");
    assert_eq!(vd.dialect, Dialect::Petrarch2);
    has(&d, 24, "`(` without `)` in transformation");
    assert_eq!(d.len(), 1, "{:#?}", messages(&d));
    assert_eq!(vd.synsets.len(), 2);
    assert_eq!(vd.blocks.len(), 2);
    let call = &vd.blocks[0];
    assert_eq!(call.name, "CALL");
    assert_eq!(call.code, Some(CodeSpec::of(CodeKind::Null)));
    assert_eq!(call.verbs.len(), 2);
    assert_eq!(call.verbs[1].code, code("020"));
    let p = &call.patterns;
    assert_eq!(p.len(), 5);
    assert_eq!(
        p[0].tokens,
        vec![VERB, Token::Prep(vec![w("for"), w("withdrawal")])]
    );
    assert_eq!(p[0].comment.as_deref(), Some("CALL"));
    assert_eq!(
        p[1].tokens,
        vec![
            SRC,
            VERB,
            Token::Prep(vec![
                w("as"),
                Token::Synset {
                    name: "NEGOTIATOR".into(),
                    adjacent_next: false
                }
            ]),
            Token::Prep(vec![
                w("in"),
                Token::NounPhrase(vec![w("peace"), w("talk")])
            ]),
            Token::Prep(vec![w("with"), TGT]),
        ]
    );
    assert_eq!(
        p[2].tokens,
        vec![
            Token::Synset {
                name: "MILITARY".into(),
                adjacent_next: false
            },
            VERB
        ]
    );
    assert_eq!(
        p[3].tokens,
        vec![VERB, Token::NounPhrase(vec![w("financial"), w("aid")])]
    );
    assert_eq!(
        p[3].code,
        Some(CodeSpec::of(CodeKind::Paired(None, Some("030".into()))))
    );
    assert_eq!(p[4].tokens, vec![VERB, Token::Prep(vec![w("to")])]);
    // `[:110]---  ---`
    assert_eq!(
        vd.blocks[1].code,
        Some(CodeSpec::of(CodeKind::Paired(None, Some("110".into()))))
    );

    assert_eq!(vd.transformations.len(), 2);
    let t = &vd.transformations[0];
    let atom = |s: &str| TransformTerm::Atom(s.to_string());
    assert_eq!(
        t.pattern,
        vec![
            atom("a"),
            TransformTerm::Group(vec![atom("a"), atom("b"), atom("ATTACK")]),
            atom("SAY")
        ]
    );
    assert_eq!(t.result, vec!["a", "b", "015"]);
    assert_eq!(vd.transformations[1].comment.as_deref(), Some("comment"));

    // forcing PETRARCH-1 reads `{FINANCIAL AID}` as a one-option alternative, `(TO)` as a word
    let (vd1, _) = petrarch_verbs::parse_dialect(PETR2, "p2.txt", Dialect::Petrarch1);
    let p1 = &vd1.blocks[0].patterns;
    let at = |line: usize| p1.iter().find(|p| p.line == line).unwrap();
    assert_eq!(
        at(15).tokens[1],
        Token::Alternatives {
            options: vec![vec![w("financial"), w("aid")]],
            adjacent_next: false
        }
    );
    assert_eq!(at(16).tokens, vec![VERB, w("(to)")]);
}

#[test]
fn petrarch2_pattern_errors() {
    let text = "--- X [010] ---
X
- * {A | } [010]
- * (WITH {A $}) [010]
- * () [010]
- * (TO [010]
- * A) [010]
- * {} [010]
- * &[010]
- * (((((((((((A))))))))))) [010]
- * VENTURE (WITH VISIT)    VISIT)[042:043]
";
    let (vd, d) = petrarch_verbs::parse_dialect(text, "e.txt", Dialect::Petrarch2);
    has(&d, 3, "empty alternative");
    has(&d, 4, "noun phrase");
    has(&d, 5, "empty `()`");
    has(&d, 6, "`(` without `)`");
    has(&d, 7, "stray `)`");
    has(&d, 8, "empty `{}`");
    has(&d, 9, "`&` without a synset name");
    has(&d, 10, "nested too deeply");
    has(&d, 11, "stray `)`");
    assert!(vd.blocks[0].patterns.is_empty());
}

const ACTORS: &str = "<!-- comment
  over two lines -->
AFGHANISTAN_  [AFG]
+AFGHAN_
HAMAS WING [PSEHMSBRD] [PSE]   # two codes
GOLLUM  ; pas
+SMEAGOL
	[HOB < 950601]
	[HOBGOV 950601 - 990815]
	[HOBREB > 990816]
	[HOBELI >20130119]
	[HOBCIV <20080120]
	[ORCHOB 19270101-730717]
	[AFGELI 270101-730717]
	[FRAGOV 070516-20120515]
	[XXX >300101]
	[YYY <310101]
	[---]
LORIEN  [ELR/GAL]
PRINCE_DOL_AMROTH  [--- <950630] [DOL]
JAIME_BATEMAN_CAYON_GROUP_(JBC)_ [COLREB] #  kkl 21 Mar 13
PEOPLE'S_WAR [pse]
";

#[test]
fn actors_codes_and_dates() {
    let (af, d) = actors::parse(ACTORS, "a.txt");
    assert!(d.is_empty(), "{:#?}", messages(&d));
    assert_eq!(af.entries.len(), 7);
    let afg = &af.entries[0];
    assert_eq!(afg.phrases, vec!["AFGHANISTAN_", "AFGHAN_"]);
    assert_eq!(afg.line, 3);
    let plain = |c: &str| actors::DatedCode {
        code: c.into(),
        from: None,
        to: None,
    };
    assert_eq!(afg.codes, vec![plain("AFG")]);
    assert_eq!(af.entries[1].phrases, vec!["HAMAS WING"]);
    assert_eq!(af.entries[1].codes, vec![plain("PSEHMSBRD"), plain("PSE")]);

    let g = &af.entries[2];
    assert_eq!(g.phrases, vec!["GOLLUM", "SMEAGOL"]);
    let dated =
        |c: &str, from: Option<(u16, u8, u8)>, to: Option<(u16, u8, u8)>| actors::DatedCode {
            code: c.into(),
            from,
            to,
        };
    assert_eq!(
        g.codes,
        vec![
            dated("HOB", None, Some((1995, 6, 1))),
            dated("HOBGOV", Some((1995, 6, 1)), Some((1999, 8, 15))),
            dated("HOBREB", Some((1999, 8, 16)), None),
            dated("HOBELI", Some((2013, 1, 19)), None),
            dated("HOBCIV", None, Some((2008, 1, 20))),
            dated("ORCHOB", Some((1927, 1, 1)), Some((1973, 7, 17))),
            // the pivot reads 27 as 2027; the range fix-up moves it back a century
            dated("AFGELI", Some((1927, 1, 1)), Some((1973, 7, 17))),
            dated("FRAGOV", Some((2007, 5, 16)), Some((2012, 5, 15))),
            // pivot: 00-30 -> 20xx, 31-99 -> 19xx
            dated("XXX", Some((2030, 1, 1)), None),
            dated("YYY", None, Some((1931, 1, 1))),
            plain("---"),
        ]
    );
    assert_eq!(actors::pack((1995, 6, 1)), 19950601);

    let lorien = &af.entries[3];
    assert_eq!(
        lorien.codes[0].members().collect::<Vec<_>>(),
        vec!["ELR", "GAL"]
    );
    assert_eq!(
        af.entries[4].codes,
        vec![dated("---", None, Some((1995, 6, 30))), plain("DOL")]
    );
    assert_eq!(
        af.entries[5].phrases,
        vec!["JAIME_BATEMAN_CAYON_GROUP_(JBC)_"]
    );
    assert_eq!(af.entries[6].codes, vec![plain("pse")]);

    // phrase_words splits a phrase with the pattern reading of `_`
    let words = formats::pattern::phrase_words("AFGHANISTAN_").unwrap();
    assert_eq!(
        words,
        vec![Word {
            text: "afghanistan".into(),
            stem: false,
            adjacent_next: false,
            tilde: false
        }]
    );
    let words = formats::pattern::phrase_words("HAMAS WING").unwrap();
    assert_eq!(words, vec![Word::stem("hamas"), Word::stem("wing")]);
    assert!(formats::pattern::phrase_words("$ X").is_none());
}

#[test]
fn actors_malformed_dates() {
    let text = "A1 [ARMUNR 9008223-911221] [OK1]
A2 [GBRGOV >201005011]
A3 [IRQOCC 1920030320-20060520]
A4 [MNEGOV 20121204]
A5 [EGYGOV 20121207-20120802]
A6 [AFGGOV 030101-040931]
A7 [ 991201-010114]
A8 [AAA950601-990815]
A9 [X 991301-000101]
A10 [EGYGOV > 140608]
A11 [KORGOVBUS 2004017-20061201]
A12 [X <0101]
A13 [X 20000229-20010229]
";
    let (af, d) = actors::parse(text, "dates.txt");
    has(&d, 1, "7-digit date `9008223`");
    has(&d, 2, "9-digit date `201005011`");
    has(&d, 3, "10-digit date `1920030320`");
    has(&d, 4, "date without `<`, `>` or range");
    has(&d, 5, "date range ends before it starts");
    has(&d, 6, "impossible date `040931`");
    has(&d, 6, "read as 2004-09-30");
    has(&d, 7, "missing code");
    has(&d, 8, "malformed code");
    has(&d, 9, "impossible date `991301`");
    has(&d, 11, "7-digit date `2004017`");
    has(&d, 12, "4-digit date");
    has(&d, 13, "read as 2001-02-28");
    let codes: Vec<usize> = af.entries.iter().map(|e| e.codes.len()).collect();
    assert_eq!(codes, vec![1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]);
    assert_eq!(af.entries[5].codes[0].to, Some((2004, 9, 30)));
    assert_eq!(af.entries[9].codes[0].from, Some((2014, 6, 8)));
    assert_eq!(af.entries[12].codes[0].from, Some((2000, 2, 29)));
    // code-less entries are reported once each
    has(&d, 2, "actor `A2` has no code");
}

#[test]
fn actors_structure() {
    let text = "	[ORPHAN]
+ORPHAN_SYNONYM
<NOUN>
BEES   ;pas 26 Feb 2002
FORCES_
</NOUN>
<ADJECTIVE>
AWFUL
</ADJECTIVE>
REAL_IRA [GBRREB]
+TRUE_IRA

 #  kkl 21 Mar 13

+RIRA
	JOHN_MCCLOY_	[IGOUNODEVWBK 470301-490630]# IGOrulers.txt
KURD
+KURDS
+KURDISH [KUR]
FAEROYENE]_  [DNKFRO]
	[LOST]
+LOST_TOO
U.N._
X [A] junk [B
<!-- never closed
Y [Y]
";
    let (af, d) = actors::parse(text, "s.txt");
    has(&d, 1, "code line without an actor");
    has(&d, 2, "synonym without a primary actor");
    has(&d, 15, "synonym separated from its entry by a blank line");
    has(&d, 16, "indented phrase without `+`");
    has(&d, 19, "codes on a synonym line");
    has(&d, 20, "stray `]` in actor phrase");
    has(&d, 23, "actor `U.N._` has no code");
    has(&d, 24, "`junk` after the codes ignored");
    has(&d, 24, "`[` without `]`");
    has(&d, 25, "never closed");
    // the lines after a skipped primary line are dropped silently
    assert!(!d.iter().any(|d| d.line == 21 || d.line == 22));

    assert_eq!(af.nouns.len(), 2);
    assert_eq!(af.nouns[1].phrase, "FORCES_");
    assert_eq!(af.adjectives.len(), 1);
    let names: Vec<&str> = af.entries.iter().map(|e| e.phrases[0].as_str()).collect();
    assert_eq!(names, vec!["REAL_IRA", "KURD", "U.N._", "X"]);
    assert_eq!(
        af.entries[0].phrases,
        vec!["REAL_IRA", "TRUE_IRA", "RIRA", "JOHN_MCCLOY_"]
    );
    assert_eq!(af.entries[0].codes.len(), 2);
    assert_eq!(af.entries[1].phrases, vec!["KURD", "KURDS", "KURDISH"]);
    assert_eq!(af.entries[1].codes[0].code, "KUR");
    assert_eq!(af.entries[3].codes.len(), 1);
}

#[test]
fn actors_end_marks() {
    let (af, _) = actors::parse("A [A]\n---STOP---\nB [B]\n", "x");
    assert_eq!(af.entries.len(), 1);
    let (af, _) = actors::parse("A [A]\n~~FINISH 16:47\nB [B]\n", "x");
    assert_eq!(af.entries.len(), 1);
}

const AGENTS: &str = "# ======== SUBSTITUTION SETS ========
!PERSON! = MAN, MEN, WOMAN
PRESIDENT [~GOVPRS]  # c
HUMAN_RIGHTS_BODY [NGO~]
THIEF {THIEVES} [~CRM]
POLICE {} [ ~COP]
CONGRESS!PERSON! [~LEG]
PARLIAMENTARY_OPPOSITION_  [ ~OPP] ;jap 11 Oct 2002
DEPARMENT_OF_ENVIRONMENT [~ENV}
ISLAMIC_EXTREMIST
FOO!NOPE! [~X]
CHIEF EXECUTIVE [GOV]
<!-- PETRARCH comment -->
BAD [~A B]
";

#[test]
fn agents_entries() {
    let (af, d) = agents::parse(AGENTS, "ag.txt");
    has(&d, 9, "code closed by `}`");
    has(&d, 10, "agent without a code");
    has(&d, 11, "undefined substitution marker `!NOPE!`");
    has(&d, 12, "without `~`");
    has(&d, 14, "malformed agent code");
    assert_eq!(d.len(), 5, "{:#?}", messages(&d));

    assert_eq!(af.substitutions.len(), 1);
    assert_eq!(af.substitutions[0].name, "PERSON");
    assert_eq!(af.substitutions[0].values, vec!["MAN", "MEN", "WOMAN"]);
    let e: Vec<_> = af.entries.iter().collect();
    assert_eq!(e.len(), 9);
    assert_eq!(e[0].phrase, "PRESIDENT");
    assert_eq!(e[0].code.code, "GOVPRS");
    assert_eq!(e[0].code.position, AgentPosition::Suffix);
    assert_eq!(e[0].plural, Plural::Regular);
    assert_eq!(e[1].code.position, AgentPosition::Prefix);
    assert_eq!(e[1].code.code, "NGO");
    assert_eq!(e[2].plural, Plural::Irregular("THIEVES".into()));
    assert_eq!(e[3].plural, Plural::None);
    assert_eq!(e[3].code.code, "COP");
    assert_eq!(
        af.expand(e[4]),
        vec!["CONGRESSMAN", "CONGRESSMEN", "CONGRESSWOMAN"]
    );
    assert_eq!(af.expand(e[0]), vec!["PRESIDENT"]);
    assert_eq!(e[5].phrase, "PARLIAMENTARY_OPPOSITION_");
    assert_eq!(e[6].code.code, "ENV");
    assert!(af.expand(e[7]).is_empty());
    assert_eq!(e[8].phrase, "CHIEF EXECUTIVE");
}

#[test]
fn discard_entries() {
    let text = "# Story-level discards are indicated with a '+'.
+ACADEMY AWARD   # LRP 08 Mar 2004 ;LRP
BASEBALL   \n1914
+
X [Y]
";
    let (df, d) = discards::parse(text, "d.txt");
    assert_eq!(df.entries.len(), 3);
    assert_eq!(
        (
            df.entries[0].phrase.as_str(),
            df.entries[0].story,
            df.entries[0].line
        ),
        ("ACADEMY AWARD", true, 2)
    );
    assert_eq!(
        (df.entries[1].phrase.as_str(), df.entries[1].story),
        ("BASEBALL", false)
    );
    assert_eq!(df.entries[2].phrase, "1914");
    has(&d, 5, "without a phrase");
    has(&d, 6, "bracket in discard phrase");
}

#[test]
fn issue_entries() {
    let text = "# Phoenix issues
<ISSUE CATEGORY=\"EDUCATION\" TYPE=\"ALL\">
n:teacher [TEACHERS]
pre+n:school [EARLY]
v:arrest m:site [ARREST]
~get head start
~~armenian genocide
european central bank
eu+ gene [EU]
x [Y]****
</ISSUE>
</ISSUE>
loose [LOOSE]
<ISSUE CATEGORY=\"OPEN\">
";
    let (f, d) = issues::parse(text, "i.txt");
    has(&d, 5, "unknown word prefix `m:`");
    has(&d, 8, "without `[CODE]`");
    has(&d, 10, "`****` after the code ignored");
    has(&d, 12, "without an open block");
    has(&d, 14, "never closed");
    assert_eq!(d.len(), 5, "{:#?}", messages(&d));
    assert_eq!(f.blocks.len(), 2);
    let b = &f.blocks[0];
    assert_eq!(b.category.as_deref(), Some("EDUCATION"));
    assert_eq!(b.kind.as_deref(), Some("ALL"));
    assert_eq!(b.entries.len(), 7);
    let e = &b.entries;
    assert_eq!(e[0].kind, IssueKind::Code("TEACHERS".into()));
    assert_eq!(e[0].phrase, "n:teacher");
    assert_eq!(
        (
            e[0].words[0].text.as_str(),
            e[0].words[0].noun,
            e[0].words[0].verb
        ),
        ("teacher", true, false)
    );
    assert_eq!(e[1].words.len(), 2);
    assert!(e[1].words[0].joined_next && !e[1].words[1].joined_next);
    assert!(e[1].words[1].noun);
    assert!(e[2].words[0].verb);
    assert_eq!(e[2].words[1].text, "site");
    assert_eq!(e[3].kind, IssueKind::Ignore);
    assert_eq!(e[3].phrase, "get head start");
    assert_eq!(e[4].kind, IssueKind::IgnoreStory);
    assert!(e[5].words[0].joined_next);
    assert_eq!(e[5].words[1].text, "gene");
    assert_eq!(f.loose.len(), 1);
    assert_eq!(f.blocks[1].kind, None);
    assert_eq!(f.entries().count(), 8);
}

#[test]
fn option_commands() {
    let text = "// OPTIONS FILE
COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN
SET: SKIP RECORDS = FALSE
SET: CODE BY SENTENCE
OUTPUT: ACTOR MATCH ID
LABEL: 010=YIELD
DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER
DEFAULT: OFF
FORWARD: ^^*****NNN*SSS DOC OFF
VALID: SOURCE TARGET  // removed
NO COLON HERE
LABEL: 023
~~~~~
LABEL: 011=AFTER END
";
    let (f, d) = options::parse(text, "o.options");
    has(&d, 11, "expected `COMMAND: value`");
    has(&d, 12, "`LABEL:` without `=`");
    assert_eq!(d.len(), 2);
    let c: Vec<&OptionCommand> = f.commands.iter().map(|c| &c.command).collect();
    assert_eq!(c.len(), 9);
    match c[0] {
        OptionCommand::Complex(conds) => {
            assert_eq!(conds.len(), 4);
            assert_eq!(
                (conds[0].name.as_str(), conds[0].arg.as_deref()),
                ("VERBS", Some("5"))
            );
            assert_eq!(conds[3].arg, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(f.set("skip records"), Some(Some("FALSE")));
    assert_eq!(f.set("CODE BY SENTENCE"), Some(None));
    assert_eq!(f.set("nothing"), None);
    assert_eq!(
        *c[3],
        OptionCommand::Output(vec!["ACTOR".into(), "MATCH".into(), "ID".into()])
    );
    assert_eq!(f.labels().collect::<Vec<_>>(), vec![("010", "YIELD")]);
    match c[5] {
        OptionCommand::Default(def) => {
            assert!(!def.off);
            let s = def.source.as_ref().unwrap();
            assert_eq!(
                (s.code.as_str(), s.modifiers.clone()),
                ("DEFSRC", vec!["PRIOR".to_string()])
            );
            let t = def.target.as_ref().unwrap();
            assert_eq!(
                (t.code.as_str(), t.modifiers.clone()),
                ("DEFTAR", vec!["AFTER".to_string()])
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(c[6], OptionCommand::Default(d) if d.off));
    assert_eq!(
        *c[7],
        OptionCommand::Forward {
            template: "^^*****NNN*SSS".into(),
            args: vec!["DOC".into(), "OFF".into()]
        }
    );
    assert_eq!(
        *c[8],
        OptionCommand::Other {
            key: "VALID".into(),
            value: "SOURCE TARGET".into()
        }
    );
    assert_eq!(f.commands[8].line, 10);
    // one command, as in a validation record's `{ OPTION: SET: TIME SHIFT = FALSE }`
    assert_eq!(
        options::parse_command("SET: TIME SHIFT = FALSE"),
        Ok(OptionCommand::Set {
            name: "TIME SHIFT".into(),
            value: Some("FALSE".into())
        })
    );
}

#[test]
fn project_files() {
    let text = "Demonstration file for TABARI
<actorsfile> \tA.actors
<actorsfile> A2.actors
<verbsfile> B.verbs
<optionsfile> C.options
<agentsfile>  D.agents
<textfile> \t\tE.text
<coder> DEMO
<session 1> <coder pas> <date Mon 18 Jun 2007> <records 6>
junk line
<eventfile>
<session 2> <coder x
";
    let (p, d) = project::parse(text, "p.project");
    assert_eq!(
        p.description.as_deref(),
        Some("Demonstration file for TABARI")
    );
    assert_eq!(
        p.actors().collect::<Vec<_>>(),
        vec!["A.actors", "A2.actors"]
    );
    assert_eq!(p.verbs().collect::<Vec<_>>(), vec!["B.verbs"]);
    assert_eq!(p.options().collect::<Vec<_>>(), vec!["C.options"]);
    assert_eq!(p.agents().collect::<Vec<_>>(), vec!["D.agents"]);
    assert_eq!(p.texts().collect::<Vec<_>>(), vec!["E.text"]);
    assert_eq!(p.coder.as_deref(), Some("DEMO"));
    assert_eq!(p.sessions.len(), 2);
    assert_eq!(
        p.sessions[0].fields,
        vec![
            ("session".to_string(), "1".to_string()),
            ("coder".into(), "pas".into()),
            ("date".into(), "Mon 18 Jun 2007".into()),
            ("records".into(), "6".into())
        ]
    );
    has(&d, 10, "not a `<tag>` line");
    has(&d, 11, "without a value");
    has(&d, 12, "`<` without `>`");
}

#[test]
fn crlf_and_encoding() {
    let text = "ABANDON [010]\r\n- * X [011] ;c\r\n";
    let (vf, d) = tabari_verbs::parse(text, "crlf");
    assert!(d.is_empty());
    assert_eq!(vf.roots[0].patterns[0].comment.as_deref(), Some("c"));
    // invalid UTF-8 and control characters are reported, the line is still read
    let bytes = b"A\xc2 [X]\nB\x00C [Y]\n";
    let text = formats::decode(bytes);
    let (af, d) = actors::parse(&text, "enc");
    assert_eq!(af.entries.len(), 2);
    has(&d, 1, "U+FFFD");
    has(&d, 2, "control character U+0000");
}

// ------------------------------------------------------------------------------------------
// fuzzing: no parser may panic, whatever the input

fn parse_all(text: &str) {
    let _ = tabari_verbs::parse(text, "f");
    let _ = petrarch_verbs::parse_dialect(text, "f", Dialect::Petrarch1);
    let _ = petrarch_verbs::parse_dialect(text, "f", Dialect::Petrarch2);
    let _ = actors::parse(text, "f");
    let _ = agents::parse(text, "f");
    let _ = discards::parse(text, "f");
    let _ = issues::parse(text, "f");
    let _ = options::parse(text, "f");
    let _ = project::parse(text, "f");
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn fuzz_no_panic() {
    let samples = [TABARI_VERBS, PETR1, PETR2, ACTORS, AGENTS];
    // every line truncated at every character
    for s in samples {
        let lines: Vec<&str> = s.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            for (cut, _) in line.char_indices() {
                let mut text = String::new();
                for (j, l) in lines.iter().enumerate() {
                    text.push_str(if j == i { &line[..cut] } else { l });
                    text.push('\n');
                }
                parse_all(&text);
            }
        }
    }
    // random syntax soup and random bytes
    let alphabet: Vec<char> = "[]{}()<>|_-+*$%^&~!#;:=/ \t\n\nAB019<!---->\"'.,?\u{e9}\u{FFFD}\0"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = (rng.next() % 80) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        parse_all(&s);
        let prefixes = [
            "- ", "--- ", "&", "+", "\t[", "~ ", "!A! = ", "<ISSUE ", "SET: ", "<",
        ];
        let p = prefixes[(rng.next() % prefixes.len() as u64) as usize];
        parse_all(&format!("X [1]\n{p}{s}\n"));
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        parse_all(&formats::decode(&bytes));
    }
}

// ------------------------------------------------------------------------------------------
// 2. real files (and 3. parse time)

const ANCHORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/anchors");

fn anchors() -> Option<PathBuf> {
    let p = Path::new(ANCHORS);
    if p.is_dir() {
        Some(p.to_path_buf())
    } else {
        println!("skipped: ../shared/anchors not found");
        None
    }
}

fn read(dir: &Path, rel: &str) -> String {
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    formats::decode(&bytes).into_owned()
}

fn report(name: &str, diags: &[Diagnostic]) {
    println!("{name}: {} diagnostics", diags.len());
    let all = std::env::var_os("DYAD_ALL_DIAGS").is_some();
    for d in diags.iter().take(if all { usize::MAX } else { 6 }) {
        println!("    {d}");
    }
}

#[test]
fn tabari_cameo_verbs() {
    let Some(dir) = anchors() else { return };
    let text = read(&dir, "tabari/CAMEO.080612.verbs");
    let (vf, diags) = tabari_verbs::parse(&text, "CAMEO.080612.verbs");
    let n = vf.patterns().count();
    println!("CAMEO.080612.verbs: {} roots, {n} patterns", vf.roots.len());
    report("CAMEO.080612.verbs", &diags);
    assert!(vf.roots.len() > 1000, "{}", vf.roots.len());
    assert!(n > 14_000, "{n}");
    assert!(diags.len() < 100);
}

#[test]
fn tabari_demo_files() {
    let Some(dir) = anchors() else { return };
    let text = read(&dir, "tabari/TABARI.Demo.verbs");
    let (vf, diags) = tabari_verbs::parse(&text, "TABARI.Demo.verbs");
    println!(
        "TABARI.Demo.verbs: {} synsets, {} time, {} roots, {} patterns",
        vf.synsets.len(),
        vf.time.len(),
        vf.roots.len(),
        vf.patterns().count()
    );
    report("TABARI.Demo.verbs", &diags);
    assert_eq!(vf.synsets.len(), 5);
    assert_eq!(vf.time.len(), 10);
    assert!(vf.roots.len() > 250);

    let text = read(&dir, "tabari/TABARI.Demo.actors");
    let (af, diags) = actors::parse(&text, "TABARI.Demo.actors");
    println!(
        "TABARI.Demo.actors: {} entries, {} nouns, {} adjectives",
        af.entries.len(),
        af.nouns.len(),
        af.adjectives.len()
    );
    report("TABARI.Demo.actors", &diags);
    assert_eq!(af.nouns.len(), 8);
    assert_eq!(af.adjectives.len(), 5);
    assert!(af.entries.len() > 100);
    let gollum = af
        .entries
        .iter()
        .find(|e| e.phrases[0] == "GOLLUM")
        .unwrap();
    assert_eq!(gollum.phrases.len(), 4);
    assert_eq!(gollum.codes.len(), 3);

    for name in [
        "TABARI.Demo.options",
        "Validate.options",
        "CAMEO.09b5.options",
    ] {
        let text = read(&dir, &format!("tabari/{name}"));
        let (of, diags) = options::parse(&text, name);
        println!(
            "{name}: {} commands, {} labels",
            of.commands.len(),
            of.labels().count()
        );
        report(name, &diags);
        assert!(of.labels().count() > 80);
    }

    let text = read(&dir, "tabari/Validate.agents");
    let (ag, diags) = agents::parse(&text, "Validate.agents");
    println!("Validate.agents: {} entries", ag.entries.len());
    report("Validate.agents", &diags);
    assert_eq!(ag.entries.len(), 86);

    for name in ["Validate.project", "TABARI.Demo.project"] {
        let text = read(&dir, &format!("tabari/{name}"));
        let (p, diags) = project::parse(&text, name);
        println!(
            "{name}: {} files, {} sessions, actors {:?}, verbs {:?}, options {:?}, agents {:?}",
            p.files.len(),
            p.sessions.len(),
            p.actors().collect::<Vec<_>>(),
            p.verbs().collect::<Vec<_>>(),
            p.options().collect::<Vec<_>>(),
            p.agents().collect::<Vec<_>>()
        );
        report(name, &diags);
        assert!(diags.is_empty());
        assert_eq!(p.actors().collect::<Vec<_>>(), ["TABARI.Demo.actors"]);
        assert_eq!(p.verbs().collect::<Vec<_>>(), ["TABARI.Demo.verbs"]);
        assert!(p.sessions.len() > 50);
    }
}

#[test]
fn tabari_countryinfo_actors() {
    let Some(dir) = anchors() else { return };
    let text = read(&dir, "tabari/CountryInfo.120116.actors");
    let (af, diags) = actors::parse(&text, "CountryInfo.120116.actors");
    let codes: usize = af.entries.iter().map(|e| e.codes.len()).sum();
    println!(
        "CountryInfo.120116.actors: {} entries, {codes} codes",
        af.entries.len()
    );
    report("CountryInfo.120116.actors", &diags);
    assert!(af.entries.len() > 20_000);
}

#[test]
fn petrarch2_cameo_verbs() {
    let Some(dir) = anchors() else { return };
    let text = read(&dir, "petrarch2/CAMEO.2.0.txt");
    let (vd, diags) = petrarch_verbs::parse(&text, "CAMEO.2.0.txt");
    let n = vd.patterns().count();
    let verbs: usize = vd.blocks.iter().map(|b| b.verbs.len()).sum();
    println!(
        "CAMEO.2.0.txt: {:?}, {} synsets, {} blocks, {verbs} verbs, {n} patterns, {} transformations",
        vd.dialect,
        vd.synsets.len(),
        vd.blocks.len(),
        vd.transformations.len()
    );
    report("CAMEO.2.0.txt", &diags);
    assert_eq!(vd.dialect, petrarch_verbs::Dialect::Petrarch2);
    assert_eq!(vd.synsets.len(), 40);
    assert!(
        (380..=420).contains(&vd.blocks.len()),
        "{}",
        vd.blocks.len()
    );
    assert!((4_500..=4_700).contains(&n), "{n}");
    assert_eq!(vd.transformations.len(), 8);
    let preps = vd
        .patterns()
        .filter(|p| p.tokens.iter().any(|t| matches!(t, Token::Prep(_))))
        .count();
    let nps = vd
        .patterns()
        .filter(|p| {
            let mut found = false;
            for t in &p.tokens {
                t.walk(&mut |x| found |= matches!(x, Token::NounPhrase(_)));
            }
            found
        })
        .count();
    println!("CAMEO.2.0.txt: {preps} patterns with (PREP ...), {nps} with {{NOUN PHRASE}}");
    assert!(preps > 800 && nps > 500);
}

#[test]
fn petrarch1_verbs() {
    let Some(dir) = anchors() else { return };
    for (rel, min) in [
        ("petrarch2/CAMEO.verbpatterns.150430.txt", 10_000),
        ("petrarch2/PETR.Validate.verbs.txt", 300),
        ("petrarch-classic/PETR.Validate.verbs.txt", 300),
        ("universalpetrarch/PETR_Validate_verbs_2_02.txt", 300),
    ] {
        let text = read(&dir, rel);
        let (vd, diags) = petrarch_verbs::parse(&text, rel);
        let n = vd.patterns().count();
        let verbs: usize = vd.blocks.iter().map(|b| b.verbs.len()).sum();
        println!(
            "{rel}: {:?}, {} synsets, {} blocks, {verbs} verbs, {n} patterns",
            vd.dialect,
            vd.synsets.len(),
            vd.blocks.len()
        );
        report(rel, &diags);
        assert!(n > min, "{rel}: {n}");
    }
}

#[test]
fn phoenix_actors() {
    let Some(dir) = anchors() else { return };
    for (rel, min) in [
        ("petrarch2/Phoenix.Countries.actors.txt", 18_000),
        ("petrarch2/Phoenix.International.actors.txt", 7_000),
        ("petrarch2/Phoenix.MilNonState.actors.txt", 200),
        ("petrarch2/PETR.Validate.actors.txt", 100),
        ("petrarch-classic/PETR.Validate.actors.txt", 100),
    ] {
        let text = read(&dir, rel);
        let (af, diags) = actors::parse(&text, rel);
        let phrases: usize = af.entries.iter().map(|e| e.phrases.len()).sum();
        let codes: usize = af.entries.iter().map(|e| e.codes.len()).sum();
        let dated = af
            .entries
            .iter()
            .flat_map(|e| &e.codes)
            .filter(|c| c.from.is_some() || c.to.is_some())
            .count();
        let no_code = af.entries.iter().filter(|e| e.codes.is_empty()).count();
        println!(
            "{rel}: {} entries, {phrases} phrases, {codes} codes ({dated} dated), {no_code} entries without code",
            af.entries.len()
        );
        report(rel, &diags);
        let examples: Vec<_> = af
            .entries
            .iter()
            .filter(|e| e.codes.is_empty())
            .take(4)
            .map(|e| format!("{}:{}", e.phrases[0], e.line))
            .collect();
        if !examples.is_empty() {
            println!("    entries without code, e.g. {examples:?}");
        }
        assert!(af.entries.len() > min, "{rel}: {}", af.entries.len());
    }
}

#[test]
fn agents_discards_issues() {
    let Some(dir) = anchors() else { return };
    for (rel, min) in [
        ("petrarch2/Phoenix.agents.txt", 2_000),
        ("ngec/PLOVER_agents.txt", 2_000),
        ("petrarch2/PETR.Validate.agents.txt", 80),
    ] {
        let text = read(&dir, rel);
        let (af, diags) = agents::parse(&text, rel);
        let expanded: usize = af.entries.iter().map(|e| af.expand(e).len()).sum();
        println!(
            "{rel}: {} substitution sets, {} entries ({expanded} phrases after substitution)",
            af.substitutions.len(),
            af.entries.len()
        );
        report(rel, &diags);
        assert!(af.entries.len() > min, "{rel}: {}", af.entries.len());
    }

    for rel in [
        "petrarch2/Phoenix.discards.txt",
        "petrarch2/PETR.Validate.discards.txt",
    ] {
        let text = read(&dir, rel);
        let (df, diags) = discards::parse(&text, rel);
        let story = df.entries.iter().filter(|e| e.story).count();
        println!("{rel}: {} discards ({story} story-level)", df.entries.len());
        report(rel, &diags);
        assert!(diags.is_empty());
        if rel.contains("Phoenix") {
            assert!(df.entries.len() > 450);
            assert_eq!(story, 64);
        }
    }

    let rel = "petrarch2/Phoenix.IssueCoding.txt";
    let text = read(&dir, rel);
    let (f, diags) = issues::parse(&text, rel);
    let all: Vec<_> = f.entries().collect();
    let ignores = all
        .iter()
        .filter(|e| !matches!(e.kind, issues::IssueKind::Code(_)))
        .count();
    let story = all
        .iter()
        .filter(|e| e.kind == issues::IssueKind::IgnoreStory)
        .count();
    println!(
        "{rel}: {} blocks, {} entries ({ignores} ignore lines, {story} of them `~~`), {} outside blocks",
        f.blocks.len(),
        all.len(),
        f.loose.len()
    );
    report(rel, &diags);
    assert!(all.len() > 3_000);
    assert_eq!(ignores, 181);
    assert_eq!(story, 83);
}

/// The load that matters for start-up: Phoenix actors + agents + the TABARI verbs. Prints the
/// time (measure in release).
#[test]
fn load_time() {
    let Some(dir) = anchors() else { return };
    let files = [
        "petrarch2/Phoenix.Countries.actors.txt",
        "petrarch2/Phoenix.International.actors.txt",
        "petrarch2/Phoenix.MilNonState.actors.txt",
        "petrarch2/Phoenix.agents.txt",
        "tabari/CAMEO.080612.verbs",
    ];
    // reading and decoding the files is part of loading
    let t_read = Instant::now();
    let texts: Vec<String> = files.iter().map(|f| read(&dir, f)).collect();
    let read_ms = t_read.elapsed().as_secs_f64() * 1e3;
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut best_each = vec![f64::MAX; files.len()];
    for _ in 0..5 {
        let t0 = Instant::now();
        let mut n = 0;
        for (k, (f, text)) in files.iter().zip(&texts).enumerate() {
            let t = Instant::now();
            n += if f.ends_with(".verbs") {
                tabari_verbs::parse(text, f).0.patterns().count()
            } else if f.contains("agents") {
                agents::parse(text, f).0.entries.len()
            } else {
                actors::parse(text, f).0.entries.len()
            };
            best_each[k] = best_each[k].min(t.elapsed().as_secs_f64() * 1e3);
        }
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        best = best.min(ms);
        assert!(n > 40_000);
    }
    println!(
        "parse time (Phoenix actors x3 + Phoenix.agents + CAMEO.080612.verbs, {:.1} MB): \
         best of 5 {best:.1} ms (+ {read_ms:.1} ms to read and decode the files once)",
        bytes as f64 / 1e6
    );
    for (f, ms) in files.iter().zip(&best_each) {
        println!("    {f}: {ms:.1} ms");
    }
}
