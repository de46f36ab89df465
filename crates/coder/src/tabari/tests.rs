//! Tests of the TABARI engine on our own small dictionaries and sentences
//! (`testdata/tabari/`: `test.actors`, `test.verbs`, `test.agents`, `test.options`, and the
//! cases in `cases.txt`).

use std::path::PathBuf;

use dyad_dict::formats::{actors, agents, options, tabari_verbs};

use super::{Date, DictFile, Outcome, TabariEngine, TabariOptions};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/tabari")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn engine() -> (TabariEngine, TabariOptions) {
    let files = vec![
        DictFile::Actors(
            "test.actors".into(),
            actors::parse(&read("test.actors"), "test.actors").0,
        ),
        DictFile::Verbs(
            "test.verbs".into(),
            tabari_verbs::parse(&read("test.verbs"), "test.verbs").0,
        ),
        DictFile::Agents(
            "test.agents".into(),
            agents::parse(&read("test.agents"), "test.agents").0,
        ),
    ];
    let opts = TabariOptions::from_file(&options::parse(&read("test.options"), "test.options").0);
    (TabariEngine::compile(&files), opts)
}

#[derive(Default, Debug)]
struct Case {
    id: String,
    date: String,
    text: String,
    expect: String,
    event_date: Option<String>,
    /// Options in force (cumulative).
    options: TabariOptions,
}

fn cases(base: &TabariOptions) -> Vec<Case> {
    let mut opts = base.clone();
    let mut out: Vec<Case> = Vec::new();
    for line in read("cases.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            panic!("cases.txt: cannot read `{line}`");
        };
        let value = value.trim();
        match key {
            "option" => assert!(opts.apply_str(value), "option not applied: {value}"),
            "case" => {
                let (id, date) = value.split_once(' ').expect("case: ID YYMMDD");
                out.push(Case {
                    id: id.to_string(),
                    date: date.trim().to_string(),
                    options: opts.clone(),
                    ..Case::default()
                });
            }
            "text" => out.last_mut().expect("text before case").text = value.to_string(),
            "expect" => out.last_mut().expect("expect before case").expect = value.to_string(),
            "date" => out.last_mut().expect("date before case").event_date = Some(value.into()),
            other => panic!("cases.txt: unknown key `{other}`"),
        }
    }
    out
}

fn triples(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(';')
        .map(|t| t.split('/').map(str::trim).collect::<Vec<_>>().join(" / "))
        .filter(|t| !t.is_empty())
        .collect();
    v.sort();
    v
}

#[test]
fn dictionaries_compile_cleanly() {
    let (e, _) = engine();
    assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
}

#[test]
fn cases_code_as_expected() {
    let (engine, base) = engine();
    let all = cases(&base);
    assert!(all.len() >= 60, "only {} cases", all.len());
    let mut failures = Vec::new();
    for c in &all {
        let date = Date::parse_tabari(&c.date, c.date.len() == 8).expect("case date");
        let r = engine.code_sentence(&c.text, date, &c.options, None);
        let got = match &r.outcome {
            Outcome::Coded => {
                let mut v: Vec<String> = r
                    .events
                    .iter()
                    .map(|e| format!("{} / {} / {}", e.source, e.target, e.code))
                    .collect();
                v.sort();
                v.join("; ")
            }
            Outcome::Discard(_) => "discard".to_string(),
            Outcome::Complex(_) => "complex".to_string(),
            Outcome::NoEvents(_) | Outcome::InputError(_) => "none".to_string(),
        };
        let want = match c.expect.as_str() {
            "none" | "discard" | "complex" => c.expect.clone(),
            t => triples(t).join("; "),
        };
        if got != want {
            failures.push(format!(
                "{}: expected `{}`, got `{}` ({})",
                c.id,
                want,
                got,
                r.outcome.describe()
            ));
            continue;
        }
        if let Some(d) = &c.event_date {
            let got_date = r.date.map(|x| x.tabari(false)).unwrap_or_default();
            if &got_date != d {
                failures.push(format!("{}: date {} instead of {}", c.id, got_date, d));
            }
        }
        // every event names the rule that fired and points at its words
        for e in &r.events {
            assert!(e.rule.contains("test.verbs:"), "{}: rule {}", c.id, e.rule);
            let [a, b] = e.verb_span.expect("verb span");
            assert!(a < b && b <= c.text.len(), "{}: verb span", c.id);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Each thread keeps the literals of the words it has seen ([`super::parse`]'s vocabulary):
/// two engines used in turn on one thread must each see their own dictionaries. Here the
/// two list the same actors in the opposite order, so the same word is a different literal
/// in each: a vocabulary shared between them would swap the actors.
#[test]
fn engines_used_in_turn_keep_their_own_words() {
    let (_, opts) = engine();
    let build = |actors_text: &str| {
        let actors = actors::parse(actors_text, "small.actors").0;
        let verbs = tabari_verbs::parse(&read("test.verbs"), "test.verbs").0;
        TabariEngine::compile(&[
            DictFile::Actors("small.actors".into(), actors),
            DictFile::Verbs("test.verbs".into(), verbs),
        ])
    };
    let one = build("ESTMARK  [EMK]\nWESTRIA  [WST]\n");
    let two = build("WESTRIA  [WST]\nESTMARK  [EMK]\n");
    let d = Date::new(1995, 1, 1);
    let text = "Estmark praised Westria on Monday in a long statement on television.";
    let codes = |e: &TabariEngine| -> Vec<String> {
        let r = e.code_sentence(text, d, &opts, None);
        r.events
            .iter()
            .map(|e| format!("{}/{}", e.source, e.target))
            .collect()
    };
    for _ in 0..3 {
        assert_eq!(codes(&one), ["EMK/WST"]);
        assert_eq!(codes(&two), ["EMK/WST"]);
    }
}

#[test]
fn forwarding_gives_a_pronoun_the_previous_actor() {
    let (engine, mut opts) = engine();
    assert!(opts.apply_str("FORWARD: ^^*****NNN*SSS"));
    let d = Date::new(1995, 1, 1);
    let first = engine.code_sentence(
        "Norvania praised Estmark on Monday in a long statement on television.",
        d,
        &opts,
        None,
    );
    assert_eq!(first.outcome, Outcome::Coded);
    let second = "He attacked Westria on Monday in the northern province of the country.";
    // without forwarding "he" has no antecedent
    let alone = engine.code_sentence(second, d, &opts, None);
    assert_ne!(alone.outcome, Outcome::Coded);
    let fwd = engine.code_sentence(second, d, &opts, first.forward.as_ref());
    let ev: Vec<String> = fwd
        .events
        .iter()
        .map(|e| format!("{}/{}/{}", e.source, e.target, e.code))
        .collect();
    assert_eq!(ev, vec!["NRV/WST/190"]);
}

#[test]
fn coder_trait_gives_contract_events() {
    use crate::Coder;
    let (engine, opts) = engine();
    let coder = super::TabariCoder::new(engine, opts);
    let article = dyad_model::Article {
        id: "t1".into(),
        text: "Norvania praised Estmark on Monday in a long statement on television. \
               Estmark was attacked by Norvania on Monday in the northern province."
            .into(),
        date: Some("1995-01-03".into()),
        ..Default::default()
    };
    let a = coder.code(&article);
    let b = coder.code(&article);
    assert_eq!(a.sentences, 2);
    assert_eq!(a.events.len(), 2);
    let e = &a.events[0];
    assert_eq!(e.cameo.code, "041");
    assert_eq!(e.cameo.root, "04");
    assert_eq!(e.source.as_ref().map(|s| s.code.as_str()), Some("NRV"));
    assert_eq!(e.target.as_ref().map(|s| s.text.as_str()), Some("Estmark"));
    assert_eq!(e.evidence.trigger.text, "praised");
    assert!(e.evidence.rule.starts_with("test.verbs:"));
    assert_eq!(e.date.as_deref(), Some("1995-01-03"));
    // a code that is not CAMEO still gives an event
    assert_eq!(a.events[1].cameo.code, "190");
    // deterministic
    let ids_a: Vec<&str> = a.events.iter().map(|e| e.event_id.as_str()).collect();
    let ids_b: Vec<&str> = b.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids_a, ids_b);
    // several articles at once: what each gives alone, in order
    let other = dyad_model::Article {
        id: "t2".into(),
        text: "Westria praised Kolonia on Monday in a long statement on television.".into(),
        date: Some("1995-01-04".into()),
        ..Default::default()
    };
    let many = coder.code_many(&[article.clone(), other.clone(), article.clone()]);
    let ids =
        |c: &crate::Coded| -> Vec<String> { c.events.iter().map(|e| e.event_id.clone()).collect() };
    assert_eq!(many.len(), 3);
    assert_eq!(ids(&many[0]), ids(&a));
    assert_eq!(ids(&many[1]), ids(&coder.code(&other)));
    assert!(!many[1].events.is_empty());
    assert_eq!(ids(&many[2]), ids(&a));
    assert_eq!(many[1].sentences, 1);
}

#[test]
fn coder_splits_sentences_by_our_rules() {
    use crate::Coder;
    let (engine, opts) = engine();
    let coder = super::TabariCoder::new(engine, opts);
    let article = |text: &str| dyad_model::Article {
        id: "s1".into(),
        text: text.into(),
        date: Some("1995-01-03".into()),
        ..Default::default()
    };
    // A word that sentencex lists as an abbreviation (`ore.`, Oregon) ends a sentence here:
    // two sentences, the second coded on its own.
    let a = coder.code(&article(
        "Estmark sells iron ore. Norvania praised Estmark on Monday in a long statement.",
    ));
    assert_eq!(a.sentences, 2);
    assert_eq!(a.events.len(), 1);
    assert_eq!(a.events[0].sentence, 2);
    assert_eq!(a.events[0].cameo.code, "041");
    // A title never ends one, and a dotted abbreviation before a capitalised name does not.
    let b = coder.code(&article(
        "Gen. Smith of Norvania praised Estmark on Monday. The U.S. Navy left.",
    ));
    assert_eq!(b.sentences, 2);
    assert_eq!(b.events.len(), 1);
    assert_eq!(b.events[0].sentence, 1);
}

#[test]
fn hostile_input_does_not_panic() {
    let (engine, opts) = engine();
    let d = Date::new(1995, 1, 1);
    let long = "Norvania and Estmark, and Westria, praised Kolonia and ".repeat(200);
    for text in [
        "",
        "   ",
        ",,,,,,,,,,,,,",
        "\u{1a}\u{1a}\u{1a} Norvania \u{1a} praised",
        "he she it they them their he she it they them their he she",
        "and and and and and and and and and and and and and and",
        "Norvania , , and , and Estmark and , praised , , , , , , ,",
        "{ } | * $ + % ^ & _ ~ = [ ] ( ) \" ' ' \" $ $",
        long.as_str(),
        "Ｎｏｒｖａｎｉａ praised Éstmark — naïve “quotes” ‘and’ …",
    ] {
        let _ = engine.code_sentence(text, d, &opts, None);
        let mut all = opts.clone();
        all.apply_str("SET: CODE ALL");
        all.apply_str("SET: CONVERT AGENT = TRUE");
        all.apply_str("DEFAULT: SOURCE [DS] PRIOR TARGET [DT] AFTER");
        all.apply_str("COMMA: MIN = 0 MAX = 200 EMIN = 0 EMAX = 200 BMIN = 0 BMAX = 200");
        let _ = engine.code_sentence(text, d, &all, None);
    }
}

#[test]
fn dates() {
    let d = Date::parse_tabari("950131", false).expect("date");
    assert_eq!(d, Date::new(1995, 1, 31));
    assert_eq!(Date::from_days(d.to_days() + 1), Date::new(1995, 2, 1));
    assert_eq!(Date::from_days(d.to_days() - 31), Date::new(1994, 12, 31));
    assert_eq!(
        Date::parse_tabari("290101", false),
        Some(Date::new(2029, 1, 1))
    );
    assert_eq!(
        Date::parse_tabari("300101", false),
        Some(Date::new(1930, 1, 1))
    );
    assert_eq!(
        Date::parse_tabari("20150607", true),
        Some(Date::new(2015, 6, 7))
    );
    // TABARI reads the century from the first digit only
    assert_eq!(
        Date::parse_tabari("18601002", true),
        Some(Date::new(1960, 10, 2))
    );
    assert_eq!(Date::parse_tabari("951301", false), None);
    assert_eq!(Date::parse_tabari("9501", false), None);
    assert_eq!(Date::parse_tabari("x50101", false), None);
    assert_eq!(Date::parse_iso("2024-02-29"), Some(Date::new(2024, 2, 29)));
    assert_eq!(Date::parse_iso("2023-02-29"), None);
    assert_eq!(Date::new(2024, 2, 29).iso(), "2024-02-29");
    for z in (-800_000..3_000_000).step_by(997) {
        let d = Date::from_days(z);
        let want = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        assert_eq!(d.iso(), want);
    }
    assert_eq!(Date::new(2004, 2, 9).tabari(false), "040209");
}

/// Sentences for the index checks: the cases, and news-style text.
fn index_check_sentences() -> Vec<(String, Date, TabariOptions)> {
    let (_, base) = engine();
    let mut out: Vec<(String, Date, TabariOptions)> = cases(&base)
        .into_iter()
        .map(|c| {
            let d = Date::parse_tabari(&c.date, c.date.len() == 8).expect("case date");
            (c.text, d, c.options)
        })
        .collect();
    for t in [
        "Norvania and Estmark signed a peace treaty in Harbor of the old Town on Monday, \
         officials said, and the Norvanian army sent grain to Westria.",
        "The minister of Kolonia accused the police of Sudavia's rebels, who attacked \
         Marlow yesterday, of not demanding the withdrawal loudly enough at the meeting.",
        "Aid workers from Norvania received medical supplies from Westria and Estmark \
         after they met with the Grand Duke in Port Linda next week.",
    ] {
        out.push((t.to_string(), Date::new(1995, 1, 1), base.clone()));
    }
    out
}

/// The indexes (literal trie, root index, pattern index, required literals) only narrow
/// down what is tried: coding with them gives exactly what trying everything gives.
fn assert_indexes_change_nothing(engine: &TabariEngine, sents: &[(String, Date, TabariOptions)]) {
    let mut coded = 0;
    for (text, date, opts) in sents {
        super::index::set_brute_force(true);
        let slow = engine.code_sentence(text, *date, opts, None);
        super::index::set_brute_force(false);
        let fast = engine.code_sentence(text, *date, opts, None);
        assert_eq!(slow.outcome, fast.outcome, "{text}");
        assert_eq!(slow.events, fast.events, "{text}");
        assert_eq!(slow.date, fast.date, "{text}");
        coded += usize::from(fast.outcome == Outcome::Coded);
    }
    assert!(coded > 0, "nothing was coded");
}

#[test]
fn indexes_change_nothing() {
    let (e, _) = engine();
    assert!(
        e.verb_sets.iter().any(|v| v.index.is_some()),
        "no verb has a pattern index"
    );
    assert_indexes_change_nothing(&e, &index_check_sentences());
}

#[test]
fn indexes_change_nothing_with_the_field_dictionaries() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/anchors");
    if !dir.exists() {
        eprintln!("skipped: ../shared/anchors not found");
        return;
    }
    let rd = |p: &str| {
        let b = std::fs::read(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        dyad_dict::formats::decode(&b).into_owned()
    };
    let mut files = Vec::new();
    for a in [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        let t = rd(&format!("petrarch2/{a}"));
        files.push(DictFile::Actors(a.into(), actors::parse(&t, a).0));
    }
    let t = rd("tabari/CAMEO.080612.verbs");
    files.push(DictFile::Verbs(
        "CAMEO.080612.verbs".into(),
        tabari_verbs::parse(&t, "v").0,
    ));
    let t = rd("petrarch2/Phoenix.agents.txt");
    files.push(DictFile::Agents(
        "Phoenix.agents.txt".into(),
        agents::parse(&t, "a").0,
    ));
    let e = TabariEngine::compile(&files);
    let opts = TabariOptions::default();
    let d = Date::new(2024, 3, 12);
    let mut sents = index_check_sentences();
    for t in [
        "Israeli troops raided the town of Jenin on Tuesday, Palestinian officials said, and \
         the army said its soldiers arrested 12 suspected militants.",
        "Hamas accused Israel of blocking aid convoys at the Rafah crossing with Egypt on \
         Wednesday, the group said in a statement.",
        "Egyptian mediators met Hamas leaders in Cairo on Wednesday to discuss a new truce \
         proposal, officials said.",
        "The United Nations urged both sides to protect civilians and allow humanitarian aid \
         into Gaza.",
        "Russian forces launched a wave of drones at the port of Odesa overnight, the \
         Ukrainian air force said.",
        "The Kremlin denied targeting civilian infrastructure and accused Kyiv of shelling \
         the city of Belgorod.",
        "China warned the United States against selling weapons to Taiwan, the foreign \
         ministry in Beijing said on Friday.",
        "The European Union imposed new sanctions on Iran over its support for the Russian \
         war in Ukraine.",
        "Prime Minister Narendra Modi of India met President Joe Biden at the White House \
         to sign a defense agreement.",
        "Sudan's army fought the paramilitary Rapid Support Forces in Khartoum on Monday, \
         residents said.",
    ] {
        sents.push((t.to_string(), d, opts.clone()));
    }
    assert_indexes_change_nothing(&e, &sents);
}
