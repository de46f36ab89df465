//! End-to-end tests of `dyad code` with the field's dictionaries (`--project`, `--actors`,
//! `--verbs`, `--agents`, `--options`): the TABARI engine behind the command line, on our
//! invented dictionaries (`testdata/tabari/`) and, when `../shared/anchors` is present, on
//! CAMEO.080612 with the Phoenix actors and agents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::assert_contract;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("running dyad")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tabari(name: &str) -> PathBuf {
    workspace().join("testdata/tabari").join(name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn events(o: &Output) -> Vec<Value> {
    String::from_utf8(o.stdout.clone())
        .expect("events are UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
        .collect()
}

/// `(sentence, source, target, code)` of each event, sorted.
fn triples(evs: &[Value]) -> Vec<(u64, String, String, String)> {
    let mut v: Vec<_> = evs
        .iter()
        .map(|e| {
            (
                e["sentence"].as_u64().unwrap_or(0),
                e["source"]["code"].as_str().unwrap_or("").to_string(),
                e["target"]["code"].as_str().unwrap_or("").to_string(),
                e["cameo"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Invented articles for the invented dictionaries of `testdata/tabari/`.
fn articles(dir: &Path) -> PathBuf {
    let p = dir.join("articles.jsonl");
    let lines = [
        serde_json::json!({"id": "a1", "date": "1995-01-01", "text":
            "Norvania praised Estmark on Monday in a long statement on television. \
             Norvania visited Estmark on Monday for the first time in ten years. \
             Estmark was attacked by Norvania on Monday in the northern province."}),
        serde_json::json!({"id": "a2", "date": "1995-01-01", "text":
            "The weather was fine on Monday and nobody did anything of note at all."}),
        serde_json::json!({"id": "a3", "date": "1995-01-01", "text":
            "Norvania praised Ravenclaw on Monday in a long statement on television."}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&p, text).expect("writing the articles");
    p
}

fn expected_test_events() -> Vec<(u64, String, String, String)> {
    let t = |n: u64, s: &str, g: &str, c: &str| (n, s.to_string(), g.to_string(), c.to_string());
    let mut v = vec![
        t(1, "NRV", "EMK", "041"),
        t(2, "NRV", "EMK", "032"),
        t(2, "EMK", "NRV", "033"),
        t(3, "NRV", "EMK", "190"),
    ];
    v.sort();
    v
}

#[test]
fn a_tabari_project_codes_articles_into_contract_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--project")
        .arg(tabari("Test.project")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o);
    for e in &evs {
        assert_contract(e);
    }
    assert_eq!(triples(&evs), expected_test_events(), "{}", stderr(&o));
    // the second article codes nothing; the third is discarded (RAVENCLAW is `[###]`)
    assert!(evs.iter().all(|e| e["article_id"] == "a1"));
    // the rule names the dictionary file and line
    assert!(evs.iter().all(|e| e["evidence"]["rule"]
        .as_str()
        .unwrap_or("")
        .starts_with("test.verbs:")));
    let err = stderr(&o);
    assert!(err.contains("0 diagnostic(s)"), "{err}");
    assert!(err.contains("3 articles read, 0 rejected"), "{err}");
}

#[test]
fn dictionary_flags_code_like_the_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--actors")
        .arg(tabari("test.actors"))
        .arg("--verbs")
        .arg(tabari("test.verbs"))
        .arg("--agents")
        .arg(tabari("test.agents"))
        .arg("--options")
        .arg(tabari("test.options"))
        .arg("-q"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o);
    for e in &evs {
        assert_contract(e);
    }
    assert_eq!(triples(&evs), expected_test_events());
    // the same events as through the project, with the same ids
    let p = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--project")
        .arg(tabari("Test.project"))
        .arg("-q"));
    assert_eq!(o.stdout, p.stdout);
}

#[test]
fn without_dictionaries_the_builtin_coder_is_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let o = run(dyad().arg("code").arg(&input).arg("-q"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o);
    // the built-in dictionaries know nothing of Norvania: no TABARI rule fires
    assert!(evs.iter().all(|e| !e["evidence"]["rule"]
        .as_str()
        .unwrap_or("")
        .contains("test.verbs")));
}

#[test]
fn a_malformed_line_is_reported_with_file_and_line_and_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let actors = dir.path().join("bad.actors");
    std::fs::write(
        &actors,
        "NORVANIA [NRV]\nFOO] [XX]\nESTMARK [EMK]\nWESTRIA [WST\n",
    )
    .expect("writing the actors");
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--actors")
        .arg(&actors)
        .arg("--verbs")
        .arg(tabari("test.verbs")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let shown = actors.display().to_string();
    assert!(err.contains(&format!("{shown}:2:")), "{err}");
    assert!(err.contains(&format!("{shown}:4:")), "{err}");
    assert!(!err.contains(&format!("{shown}:1:")), "{err}");
    // the good lines still code
    let evs = events(&o);
    for e in &evs {
        assert_contract(e);
    }
    assert!(
        triples(&evs).contains(&(1, "NRV".into(), "EMK".into(), "041".into())),
        "{err}"
    );
}

#[test]
fn a_missing_dictionary_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let missing = dir.path().join("nowhere.actors");
    for flag in ["--actors", "--verbs", "--agents", "--options", "--project"] {
        let o = run(dyad().arg("code").arg(&input).arg(flag).arg(&missing));
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&missing.display().to_string()),
            "{flag}: {}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
    // a project naming a missing file
    let proj = dir.path().join("x.project");
    std::fs::write(&proj, "x\n<actorsfile> gone.actors\n").expect("writing the project");
    let o = run(dyad().arg("code").arg(&input).arg("--project").arg(&proj));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("gone.actors"), "{}", stderr(&o));
}

fn petrarch(name: &str) -> PathBuf {
    workspace().join("testdata/petrarch").join(name)
}

#[test]
fn petrarch_verb_files_select_the_petrarch_engine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("p.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id":"p1","date":"2015-06-01","text":"Velmora praised Tarsk on Monday. Tarsk seized the harbor from Velmora."}"#,
            "\n",
            r#"{"id":"p2","date":"2015-06-01","text":"Velmora praised Tarsk at the regatta."}"#,
            "\n"
        ),
    )
    .expect("writing the articles");
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--verbs")
        .arg(petrarch("test.verbs.txt"))
        .arg("--actors")
        .arg(petrarch("test.actors.txt"))
        .arg("--agents")
        .arg(petrarch("test.agents.txt"))
        .arg("--discards")
        .arg(petrarch("test.discards.txt")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("PETRARCH engine"), "{}", stderr(&o));
    let evs = events(&o);
    for e in &evs {
        assert_contract(e);
        assert_eq!(
            e["article_id"], "p1",
            "the discarded story codes nothing: {e}"
        );
    }
    let got: Vec<(String, String, String)> = evs
        .iter()
        .map(|e| {
            (
                e["source"]["code"].as_str().unwrap_or("").to_string(),
                e["target"]["code"].as_str().unwrap_or("").to_string(),
                e["cameo"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        got.contains(&("VEL".into(), "TRK".into(), "051".into())),
        "{got:?}"
    );
    assert!(
        evs.iter().all(|e| e["evidence"]["rule"]
            .as_str()
            .is_some_and(|r| !r.is_empty())),
        "every event names its rule"
    );
}

#[test]
fn tabari_and_petrarch_verb_files_cannot_be_mixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--verbs")
        .arg(petrarch("test.verbs.txt"))
        .arg("--verbs")
        .arg(tabari("test.verbs")));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be mixed"), "{}", stderr(&o));
}

#[test]
fn bench_takes_the_dictionaries_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles(dir.path());
    for extra in [None, Some("--no-output")] {
        let mut cmd = dyad();
        cmd.arg("bench")
            .arg(&input)
            .arg("--threads")
            .arg("1")
            .arg("--json")
            .arg("--project")
            .arg(tabari("Test.project"));
        if let Some(x) = extra {
            cmd.arg(x);
        }
        let o = run(&mut cmd);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let last = out.lines().last().unwrap_or("");
        let v: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(v["engine"], "tabari");
        assert_eq!(v["events"], 4);
        assert_eq!(v["sentences"], 5);
        assert_eq!(v["serialised"], extra.is_none());
        for k in [
            "dict_load_ms",
            "dict_parse_ms",
            "dict_compile_ms",
            "peak_rss_mb",
        ] {
            assert!(v[k].as_f64().is_some_and(|x| x >= 0.0), "{k}: {out}");
        }
    }
}

/// `../shared/anchors` beside the workspace, when present.
fn shared() -> Option<PathBuf> {
    let p = workspace().join("../shared/anchors");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/anchors not found");
        None
    }
}

#[test]
fn cameo_verbs_and_phoenix_actors_code_plain_news() {
    let Some(anchors) = shared() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("news.jsonl");
    let news = [
        ("n1", "Israeli troops attacked Palestinian militants in the West Bank town of Jenin on Tuesday."),
        ("n2", "Egyptian mediators met Hamas leaders in Cairo on Wednesday to discuss a new truce proposal."),
        ("n3", "The European Union imposed new sanctions on Iran over its support for the war in Ukraine."),
        ("n4", "China accused the United States of interfering in the internal affairs of Taiwan on Friday."),
        ("n5", "The weather in the capital was mild on Sunday and nothing else happened at all."),
    ];
    let text: String = news
        .iter()
        .map(|(id, t)| {
            format!(
                "{}\n",
                serde_json::json!({"id": id, "date": "2024-03-12", "text": t})
            )
        })
        .collect();
    std::fs::write(&input, text).expect("writing the news");
    let p2 = anchors.join("petrarch2");
    let o = run(dyad()
        .arg("code")
        .arg(&input)
        .arg("--verbs")
        .arg(anchors.join("tabari/CAMEO.080612.verbs"))
        .arg("--actors")
        .arg(p2.join("Phoenix.Countries.actors.txt"))
        .arg("--actors")
        .arg(p2.join("Phoenix.International.actors.txt"))
        .arg("--actors")
        .arg(p2.join("Phoenix.MilNonState.actors.txt"))
        .arg("--agents")
        .arg(p2.join("Phoenix.agents.txt")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // loading reports its diagnostics (the field's files have defects) and their count
    let summary = err
        .lines()
        .find(|l| l.contains("dictionaries:"))
        .unwrap_or_else(|| panic!("no summary: {err}"));
    let count: usize = summary
        .split(" diagnostic(s)")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {summary}"));
    assert!(count > 0, "{summary}");
    let shown = err
        .lines()
        .filter(|l| l.contains(".txt:") || l.contains(".verbs:"))
        .count();
    assert!(
        shown >= count / 2 && shown <= count,
        "{shown} of {count} shown"
    );
    let evs = events(&o);
    for e in &evs {
        assert_contract(e);
    }
    let by_article =
        |id: &str| -> Vec<&Value> { evs.iter().filter(|e| e["article_id"] == id).collect() };
    let has = |id: &str, src: &str, tgt: &str, root: &str| {
        by_article(id).iter().any(|e| {
            e["source"]["code"].as_str().unwrap_or("").starts_with(src)
                && e["target"]["code"].as_str().unwrap_or("").starts_with(tgt)
                && e["cameo"]["root"] == root
        })
    };
    let all: Vec<String> = evs
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["article_id"], e["source"]["code"], e["target"]["code"], e["cameo"]["code"]
            )
        })
        .collect();
    assert!(has("n1", "ISR", "PSE", "19"), "{all:?}");
    assert!(has("n2", "EGY", "PSE", "04"), "{all:?}");
    assert!(has("n3", "IGOEU", "IRN", "16"), "{all:?}");
    assert!(has("n4", "CHN", "USA", "11"), "{all:?}");
    assert!(by_article("n5").is_empty(), "{all:?}");
}
