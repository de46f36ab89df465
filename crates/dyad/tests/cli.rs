//! End-to-end tests of the `dyad` binary: real process, real files, temp dirs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::assert_contract;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("running dyad")
}

fn run_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning dyad");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .expect("events are UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
        .collect()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn examples_code_and_conform_to_the_contract() {
    let o = run(dyad()
        .arg("code")
        .arg(workspace().join("examples/articles.jsonl")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o.stdout);
    assert!(evs.len() >= 15, "only {} events", evs.len());
    for e in &evs {
        assert_contract(e);
    }
    let roots: std::collections::BTreeSet<&str> = evs
        .iter()
        .filter_map(|e| e["cameo"]["root"].as_str())
        .collect();
    assert!(roots.len() >= 6, "roots {roots:?}");
    assert!(
        stderr(&o).contains("8 articles read, 0 rejected"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn event_ids_are_stable() {
    let path = workspace().join("examples/articles.jsonl");
    let a = run(dyad().arg("code").arg(&path));
    let b = run(dyad().args(["code", "--threads", "1"]).arg(&path));
    assert_eq!(a.stdout, b.stdout);
    let ids: std::collections::HashSet<String> = events(&a.stdout)
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), events(&a.stdout).len(), "ids are unique");
}

#[test]
fn bad_input_is_rejected_byte_for_byte_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good1 = br#"{"id":"g1","date":"2024-01-05","text":"Israeli troops attacked Hamas fighters in Gaza."}"#;
    let good2 =
        br#"{"id":"g2","date":"2024-01-05T08:00:00Z","text":"Russian forces shelled Kharkiv."}"#;
    let big_text = "word ".repeat(11 * 1024 * 1024 / 5);
    let big = format!(r#"{{"id":"big","text":"{big_text}"}}"#);
    let mut bad: Vec<(Vec<u8>, &str)> = vec![
        (
            br#"{"id":"b1","text":"unterminated"#.to_vec(),
            "not a JSON article object",
        ),
        (
            b"{\"id\":\"b2\",\"text\":\"caf\xe9 bombing\"}".to_vec(),
            "invalid UTF-8",
        ),
        (br#"{"text":"Troops attacked."}"#.to_vec(), "missing `id`"),
        (br#"{"id":"b4"}"#.to_vec(), "missing `text`"),
        (br#"{"id":"b5","text":"   "}"#.to_vec(), "empty `text`"),
        (
            b"\x00\x01\x02\xff\xfe binary \x7f junk \x00".to_vec(),
            "invalid UTF-8",
        ),
        (br#"{"id":7,"text":"x"}"#.to_vec(), "`id` must be a string"),
        (
            br#"{"id":"b8","date":"05/01/2024","text":"x"}"#.to_vec(),
            "bad `date`",
        ),
        (br#"[1,2,3]"#.to_vec(), "not a JSON article object"),
        (big.into_bytes(), "larger than the limit"),
    ];
    let mut all = Vec::new();
    all.extend_from_slice(good1);
    all.push(b'\n');
    for (b, _) in &bad {
        all.extend_from_slice(b);
        all.push(b'\n');
    }
    all.extend_from_slice(good2);
    all.push(b'\n');
    std::fs::write(&input, &all).unwrap();
    let out = dir.path().join("events.jsonl");
    let o = run(dyad().arg("code").arg(&input).arg("-o").arg(&out));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // One diagnostic line per reject, naming file and line.
    let err = stderr(&o);
    for (i, (_, reason)) in bad.iter().enumerate() {
        let tag = format!("in.jsonl:{}: rejected: ", i + 2);
        let line = err
            .lines()
            .find(|l| l.contains(&tag))
            .unwrap_or_else(|| panic!("no diagnostic {tag} in\n{err}"));
        assert!(line.contains(reason), "{line} should say {reason}");
        assert!(line.len() < 400, "one short line: {line}");
    }
    // The rejects file holds exactly the rejected lines, unchanged.
    let rejects = std::fs::read(dir.path().join("events.jsonl.rejects.jsonl")).unwrap();
    let mut want = Vec::new();
    for (b, _) in bad.drain(..) {
        want.extend_from_slice(&b);
        want.push(b'\n');
    }
    assert!(
        rejects == want,
        "rejects file differs from the rejected lines"
    );
    // The good records went through.
    let evs = events(&std::fs::read(&out).unwrap());
    let ids: Vec<&str> = evs
        .iter()
        .filter_map(|e| e["article_id"].as_str())
        .collect();
    assert!(ids.contains(&"g1") && ids.contains(&"g2"), "{ids:?}");
    assert!(err.contains("2 articles read, 10 rejected"), "{err}");
}

#[test]
fn a_50_mb_article_is_rejected_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    f.write_all(br#"{"id":"huge","text":""#).unwrap();
    let chunk = "The army shelled the town. ".repeat(1000);
    while f.get_ref().metadata().unwrap().len() < 50 * 1024 * 1024 {
        f.write_all(chunk.as_bytes()).unwrap();
        f.flush().unwrap();
    }
    f.write_all(b"\"}\n{\"id\":\"after\",\"text\":\"Israeli troops attacked Hamas.\"}\n")
        .unwrap();
    drop(f);
    let rej = dir.path().join("rej.jsonl");
    let o = run(dyad().arg("code").arg(&input).arg("--rejects").arg(&rej));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("huge.jsonl:1: rejected: record of"),
        "{}",
        stderr(&o)
    );
    let original = std::fs::read(&input).unwrap();
    let first_line = &original[..=original.iter().position(|&b| b == b'\n').unwrap()];
    assert!(std::fs::read(&rej).unwrap() == first_line);
    assert!(events(&o.stdout).iter().any(|e| e["article_id"] == "after"));
}

#[test]
fn exit_codes_for_usage_and_io_errors() {
    let o = run(dyad().args(["code", "--format", "bogus"]));
    assert_eq!(o.status.code(), Some(2));
    let o = run(dyad().args(["code", "/nonexistent/dir/file.jsonl"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/dir/file.jsonl"),
        "{}",
        stderr(&o)
    );
    let o = run(dyad().args(["code", "--date", "yesterday", "x.txt"]));
    assert_eq!(o.status.code(), Some(2));
    let o = run(dyad().args(["code", "no-such-*.jsonl"]));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn standard_input_and_globs() {
    let input = b"{\"id\":\"s1\",\"date\":\"2024-01-05\",\"text\":\"Russian forces shelled Kharkiv on Monday.\"}\n";
    let o = run_stdin(dyad().arg("code"), input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(events(&o.stdout)[0]["article_id"], "s1");

    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        std::fs::write(
            dir.path().join(format!("part{i}.jsonl")),
            format!("{{\"id\":\"p{i}\",\"text\":\"Turkish jets bombed Kurdish militants.\"}}\n"),
        )
        .unwrap();
    }
    let pattern = dir.path().join("part*.jsonl");
    let o = run(dyad().arg("code").arg(pattern.to_str().unwrap()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = events(&o.stdout)
        .iter()
        .map(|e| e["article_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["p0", "p1", "p2"]);
}

#[test]
fn plain_text_and_tabari_records() {
    let o = run(dyad()
        .args(["code", "--date", "2024-01-19"])
        .arg(workspace().join("examples/dispatch.txt")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o.stdout);
    assert!(!evs.is_empty());
    assert!(evs.iter().all(|e| e["article_id"] == "dispatch"));
    // "fired rockets ... on Wednesday" in an article of Friday 2024-01-19.
    assert!(
        evs.iter()
            .any(|e| e["date"] == "2024-01-17" && e["date_precision"] == "day"),
        "{evs:#?}"
    );

    let o = run(dyad()
        .arg("code")
        .arg(workspace().join("examples/records.text")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o.stdout);
    assert!(evs
        .iter()
        .any(|e| e["article_id"] == "EX-REC-01" && e["date"] == "2024-03-01"));
    assert!(stderr(&o).contains("2 articles read"), "{}", stderr(&o));
}

#[test]
fn the_seed_article() {
    let seed_dir = workspace().join("../shared/seed");
    let Some(seed) = std::fs::read_dir(&seed_dir).ok().and_then(|mut d| d.next()) else {
        eprintln!("skipped: ../shared/seed not found");
        return;
    };
    let path = seed.unwrap().path();
    let o = run(dyad()
        .args(["code", "--format", "text", "--date", "2024-01-19"])
        .arg(&path));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o.stdout);
    for e in &evs {
        assert_contract(e);
    }
    let has = |pred: &dyn Fn(&Value) -> bool| evs.iter().any(pred);
    let code = |e: &Value, side: &str| e[side]["code"].as_str().unwrap_or("").to_string();
    let cameo = |e: &Value| e["cameo"]["code"].as_str().unwrap_or("").to_string();
    let acled = |e: &Value| {
        e["acled"]["sub_event_type"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let says = |e: &Value, w: &str| {
        e["evidence"]["text"]
            .as_str()
            .is_some_and(|t| t.contains(w))
    };
    // Sudani's demand for the coalition's withdrawal: IRQGOV -> USA, CAMEO 10x, dated the
    // Thursday before the article date.
    assert!(
        has(&|e| code(e, "source").starts_with("IRQGOV")
            && code(e, "target").starts_with("USA")
            && cameo(e).starts_with("10")
            && says(e, "withdrawal")
            && e["date"] == "2024-01-18"),
        "no demand for withdrawal by Iraq's government in {evs:#?}"
    );
    // The US strikes on pro-Iran groups: USAMIL -> an Iraqi armed group, 19x, by air.
    assert!(
        has(&|e| code(e, "source").starts_with("USAMIL")
            && code(e, "target").starts_with("IRQ")
            && matches!(e["target"]["sector"].as_str(), Some("UAF" | "REB"))
            && cameo(e).starts_with("19")
            && acled(e) == "Air/drone strike"
            && says(e, "pro-Iran groups")),
        "no US air strike on Iraqi armed groups in {evs:#?}"
    );
    // The militia drone and rocket attacks on coalition forces.
    assert!(
        has(&|e| code(e, "target").starts_with("USAMIL")
            && matches!(e["cameo"]["root"].as_str(), Some("18" | "19"))),
        "no attack on US forces in {evs:#?}"
    );
    // The drone strike that killed a Nujaba commander: USAMIL -> IRQ, remote violence.
    assert!(
        has(&|e| code(e, "source").starts_with("USAMIL")
            && code(e, "target").starts_with("IRQ")
            && e["acled"]["event_type"] == "Explosions/Remote violence"
            && says(e, "Nujaba")
            && e["fatalities"] == 2),
        "no drone strike on the Nujaba commander in {evs:#?}"
    );
    // The call for dialogue: IRQGOV -> USA, 10x or 03x.
    assert!(
        has(&|e| code(e, "source").starts_with("IRQGOV")
            && code(e, "target").starts_with("USA")
            && (cameo(e).starts_with("10") || cameo(e).starts_with("03"))
            && says(e, "dialogue")),
        "no call for dialogue with the US in {evs:#?}"
    );
    // No US or coalition attack from "ceased all combat missions".
    assert!(!has(&|e| e["evidence"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("ceased all combat"))
        && matches!(
            e["cameo"]["root"].as_str(),
            Some("18" | "19" | "20")
        )));
}
