//! Tests with the invented dictionaries and cases of `testdata/petrarch/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dyad_dict::formats::{actors, agents, discards, petrarch_verbs};
use dyad_model::Article;

use super::*;

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/petrarch")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn engine(verbs: &str) -> PetrarchEngine {
    let files = vec![
        PetrDict::Verbs(verbs.into(), petrarch_verbs::parse(&data(verbs), verbs).0),
        PetrDict::Actors(
            "test.actors.txt".into(),
            actors::parse(&data("test.actors.txt"), "test.actors.txt").0,
        ),
        PetrDict::Agents(
            "test.agents.txt".into(),
            agents::parse(&data("test.agents.txt"), "test.agents.txt").0,
        ),
        PetrDict::Discards(
            "test.discards.txt".into(),
            discards::parse(&data("test.discards.txt"), "test.discards.txt").0,
        ),
    ];
    PetrarchEngine::compile(&files)
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    text: String,
    parse: String,
    events: Vec<String>,
    date: Option<u32>,
    outcome: Option<String>,
    #[serde(default)]
    options: BTreeMap<String, String>,
    verbs: Option<String>,
}

fn triples(c: &PetrCoding) -> Vec<String> {
    let mut v: Vec<String> = c
        .events
        .iter()
        .map(|e| format!("{} {} {}", e.source, e.target, e.code))
        .collect();
    v.sort();
    v
}

#[test]
fn invented_cases() {
    let cases: Cases = toml::from_str(&data("cases.toml")).expect("cases.toml");
    let e1 = engine("test.verbs.txt");
    let e2 = engine("test.verbs2.txt");
    assert!(e1.notes().is_empty(), "{:?}", e1.notes());
    let mut failures = Vec::new();
    for c in &cases.case {
        let e = if c.verbs.as_deref() == Some("2") {
            &e2
        } else {
            &e1
        };
        let mut o = PetrarchOptions::default();
        for (k, v) in &c.options {
            assert!(o.set(k, v), "{}: option {k} = {v}", c.name);
        }
        let got = e.code_parse(&c.text, &c.parse, c.date.unwrap_or(20_150_601), &o, true);
        let mut want = c.events.clone();
        want.sort();
        let outcome_ok = match &c.outcome {
            Some(x) => got.outcome.error_name() == Some(x.as_str()),
            None => got.outcome.error_name().is_none(),
        };
        if triples(&got) != want || !outcome_ok {
            failures.push(format!(
                "{}: want {:?} {:?}, got {:?} ({})\n  {}",
                c.name,
                want,
                c.outcome,
                triples(&got),
                got.outcome.describe(),
                got.trace.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tree_and_engine_are_deterministic() {
    let e = engine("test.verbs.txt");
    let o = PetrarchOptions::default();
    let p = "(ROOT (S (NP (NNP Velmora)) (VP (VBD visited) (NP (NNP Tarsk))) (. .)))";
    let a = e.code_parse("Velmora visited Tarsk.", p, 20_150_601, &o, false);
    let b = e.code_parse("Velmora visited Tarsk.", p, 20_150_601, &o, false);
    assert_eq!(a.events, b.events);
    assert_eq!(a.events.len(), 2);
    assert_eq!(a.events[0].verb, (1, 2));
    assert_eq!(a.events[0].source_toks, Some((0, 1)));
}

#[test]
fn plain_text_is_parsed_and_coded() {
    let e = engine("test.verbs.txt");
    let o = PetrarchOptions::default();
    for (text, want) in [
        ("Velmora praised Tarsk.", vec!["VEL TRK 051"]),
        (
            "Tarsk was praised by Velmora on Monday.",
            vec!["VEL TRK 051"],
        ),
        (
            "Velmora and Tarsk signed an accord on Friday.",
            vec!["TRK VEL 057", "VEL TRK 057"],
        ),
        (
            "The Velmoran foreign minister praised Tarsk fishermen.",
            vec!["VELGOVFRM TRKCVL 051"],
        ),
        (
            "Velmora took over the harbor of Tarsk.",
            vec!["VEL TRK 171"],
        ),
        (
            "Velmora praised Tarsk and visited Ostrava Minor.",
            vec!["OSM VEL 043", "VEL OSM 042", "VEL TRK 051"],
        ),
        ("Velmora didn't praise Tarsk.", vec!["VEL TRK 125"]),
        (
            "Velmora praised Tarsk, officials said.",
            vec!["VEL TRK 051"],
        ),
        (
            "Tarsk recalled its envoy from Velmora.",
            vec!["VEL TRK 162"],
        ),
        ("The weather was fine.", vec![]),
    ] {
        let got = e.code_text(text, 20_150_601, &o, true);
        assert_eq!(
            triples(&got),
            want,
            "{text}\n  {}\n  {:?}",
            got.trace.join("\n  "),
            got.tree.map(|t| t.words())
        );
    }
}

#[test]
fn coder_codes_articles() {
    let coder = PetrarchCoder::new(engine("test.verbs.txt"), PetrarchOptions::default());
    let article = Article {
        id: "a1".into(),
        text: "Velmora praised Tarsk on Monday. The Tarsk navy took over a Velmoran trawler."
            .into(),
        date: Some("2015-06-01".into()),
        ..Default::default()
    };
    let a = coder.code(&article);
    let b = coder.code(&article);
    assert_eq!(a.sentences, 2);
    let codes: Vec<(&str, &str, &str)> = a
        .events
        .iter()
        .map(|e| {
            (
                e.source.as_ref().map_or("", |s| s.code.as_str()),
                e.target.as_ref().map_or("", |s| s.code.as_str()),
                e.cameo.code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![("VEL", "TRK", "051"), ("TRKMILNAV", "VEL", "171")]
    );
    let ids: Vec<&str> = a.events.iter().map(|e| e.event_id.as_str()).collect();
    let ids2: Vec<&str> = b.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, ids2);
    let ev = &a.events[1];
    assert_eq!(ev.evidence.trigger.text, "took over");
    assert_eq!(ev.source.as_ref().unwrap().text, "The Tarsk navy");
    assert_eq!(ev.sentence, 2, "sentences count from 1");
    assert_eq!(ev.date.as_deref(), Some("2015-06-01"));
    // a story discard anywhere drops the whole article
    let discarded = Article {
        text: format!("{} It happened at the chess olympiad.", article.text),
        ..article
    };
    assert!(coder.code(&discarded).events.is_empty());
}

#[test]
fn options_by_name() {
    let mut o = PetrarchOptions::default();
    assert!(o.set("require_dyad", "False"));
    assert!(!o.require_dyad);
    assert!(o.set("comma_emax", "6"));
    assert_eq!(o.comma_emax, 6);
    assert!(!o.set("comma_emax", "x"));
    assert!(!o.set("no_such_option", "1"));
}

#[test]
fn datelines() {
    assert!(is_dateline("CEBU CITY: -- Cordova Mayor Sitoy said"));
    assert!(is_dateline("VELMOR -- Velmora said"));
    assert!(!is_dateline("ALL OF THE UNIT TESTS WERE CODED CORRECTLY."));
    assert!(!is_dateline("Velmora said: -- nothing"));
}

#[test]
fn no_panic_on_odd_input() {
    let e = engine("test.verbs.txt");
    let o = PetrarchOptions::default();
    let long = "Velmora praised Tarsk and ".repeat(400);
    let texts = [
        "",
        " ",
        ".",
        "''",
        "n't",
        "'s 's 's",
        "Velmora , , , and and",
        "¿Velmora? «Tarsk» — praised…",
        "U.S. U.S.",
        "((()))",
        long.as_str(),
    ];
    for t in texts {
        let _ = e.code_text(t, 20_150_601, &o, true);
        let _ = e.code_parse(t, t, 20_150_601, &o, true);
    }
    for p in [
        "",
        "(",
        ")",
        "(ROOT",
        "(ROOT (S (NP (NNP A)) (VP (VBD praised))))",
        "(ROOT (S (VP (VBD praised) (NP (NNP Tarsk)))))",
        "(ROOT (NP (NP (NP (NP (NNP Velmora))))))",
        "((S (NP Velmora) (VP praised Tarsk)))",
        "(ROOT (S (NP (NNP Velmora)) (VP (VBD praised) (PP (IN of) (NP)) (NP (NNP Tarsk)))))",
    ] {
        let _ = e.code_parse("x", p, 20_150_601, &o, true);
    }
    let deep = format!("{}(NN x){}", "(NP ".repeat(2000), ")".repeat(2000));
    let _ = e.code_parse("x", &deep, 20_150_601, &o, true);
}

/// The field's PETRARCH-2 dictionaries (CAMEO.2.0 verbs, Phoenix actors and agents), read
/// from `../shared/anchors` when it is there: they compile, and plain sentences code with
/// the actors they name.
#[test]
fn phoenix_dictionaries() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/anchors/petrarch2");
    if !dir.join("CAMEO.2.0.txt").exists() {
        println!("skipped: ../shared/anchors not found");
        return;
    }
    let read = |n: &str| {
        let b = std::fs::read(dir.join(n)).expect("read anchor file");
        dyad_dict::formats::decode(&b).into_owned()
    };
    let mut files = vec![PetrDict::Verbs(
        "CAMEO.2.0.txt".into(),
        petrarch_verbs::parse(&read("CAMEO.2.0.txt"), "CAMEO.2.0.txt").0,
    )];
    for a in [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        files.push(PetrDict::Actors(a.into(), actors::parse(&read(a), a).0));
    }
    files.push(PetrDict::Agents(
        "Phoenix.agents.txt".into(),
        agents::parse(&read("Phoenix.agents.txt"), "Phoenix.agents.txt").0,
    ));
    files.push(PetrDict::Discards(
        "Phoenix.discards.txt".into(),
        discards::parse(&read("Phoenix.discards.txt"), "Phoenix.discards.txt").0,
    ));
    let e = PetrarchEngine::compile(&files);
    let (actor_phrases, agent_phrases, verb_forms, patterns) = e.counts();
    assert!(
        actor_phrases > 30_000 && agent_phrases > 4_000,
        "{:?}",
        e.counts()
    );
    assert!(verb_forms > 5_000 && patterns > 10_000, "{:?}", e.counts());
    assert!(e.notes().len() < 20, "{:?}", e.notes());
    let o = PetrarchOptions::default();
    for (text, source, target) in [
        (
            "Israeli troops attacked Hamas fighters in Gaza.",
            "ISRMIL",
            "PSE",
        ),
        (
            "Police arrested opposition leaders in Caracas.",
            "---COP",
            "VEN",
        ),
        (
            "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow.",
            "RUSGOV",
            "CHNGOV",
        ),
    ] {
        let c = e.code_text(text, 20_150_601, &o, true);
        assert!(
            c.events
                .iter()
                .any(|ev| ev.source == source && ev.target.starts_with(target)),
            "{text}: {:?}\n  {}",
            c.events,
            c.trace.join("\n  ")
        );
    }
}

#[test]
fn long_sentences_stay_fast() {
    let e = engine("test.verbs.txt");
    let o = PetrarchOptions::default();
    let text = "Velmora praised Tarsk and the Velmoran navy of Ostrava Minor, officials said, "
        .repeat(150);
    let t0 = std::time::Instant::now();
    let c = e.code_text(&text, 20_150_601, &o, false);
    assert!(!c.events.is_empty());
    assert!(t0.elapsed().as_secs() < 20, "{:?}", t0.elapsed());
}
