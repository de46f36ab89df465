//! Data-driven casualty figures: `testdata/casualties.toml` (format in its header). Each case is
//! a sentence with the dead and injured it reports; some are also coded, to check that the
//! fatalities land on the violent event. Passes at 95% or more; every failure is printed.

use dyad_coder::{count, Coder, PhraseCoder};
use dyad_model::Article;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    kind: String,
    text: String,
    dead: Option<u32>,
    injured: Option<u32>,
    event: Option<String>,
}

fn run(c: &Case, coder: &PhraseCoder) -> Result<(), String> {
    let toks = dyad_text::tokenize(&c.text);
    let counts = count::find(&toks, &c.text);
    let got = count::casualties(&counts);
    let shown = || {
        counts
            .iter()
            .map(|k| format!("{} {} ({})", k.value, k.unit, k.qualifier))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if got.dead != c.dead {
        return Err(format!(
            "dead {:?}, want {:?} (counts: {})",
            got.dead,
            c.dead,
            shown()
        ));
    }
    if c.injured.is_some() && got.injured != c.injured {
        return Err(format!(
            "injured {:?}, want {:?} (counts: {})",
            got.injured,
            c.injured,
            shown()
        ));
    }
    let Some(code) = &c.event else {
        return Ok(());
    };
    let article = Article {
        id: "c".into(),
        text: c.text.clone(),
        date: Some("2024-01-19".into()),
        ..Default::default()
    };
    let events = coder.code(&article).events;
    let show = || {
        events
            .iter()
            .map(|e| format!("{} fatalities {:?}", e.cameo.code, e.fatalities))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !events
        .iter()
        .any(|e| e.cameo.code.starts_with(code.as_str()) && e.fatalities == c.dead)
    {
        return Err(format!(
            "no {code} event with fatalities {:?} in: {}",
            c.dead,
            show()
        ));
    }
    // Statements, arrests and the like about the same deaths carry none.
    let violent = |code: &str| {
        ["14", "15", "17", "18", "19", "20"]
            .iter()
            .any(|r| code.starts_with(r))
    };
    if events
        .iter()
        .any(|e| !violent(&e.cameo.code) && e.fatalities.is_some())
    {
        return Err(format!(
            "a non-violent event carries fatalities: {}",
            show()
        ));
    }
    Ok(())
}

#[test]
fn casualties_toml() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/casualties.toml"
    );
    let text = std::fs::read_to_string(path).expect("testdata/casualties.toml");
    let file: File = toml::from_str(&text).expect("valid casualties.toml");
    let coder = PhraseCoder::new(dyad_dict::builtin::dictionary().expect("built-in dictionary"));
    let n = file.case.len();
    assert!(n >= 100, "only {n} cases");
    let mut failed = 0;
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for c in &file.case {
        let r = run(c, &coder);
        let e = by_kind.entry(c.kind.as_str()).or_default();
        e.1 += 1;
        match r {
            Ok(()) => e.0 += 1,
            Err(why) => {
                failed += 1;
                println!("FAIL [{}] {:?}: {why}", c.kind, c.text);
            }
        }
    }
    for (k, (ok, all)) in &by_kind {
        println!("  {k:<10} {ok}/{all}");
    }
    let passed = n - failed;
    println!("casualty sentences: {passed} passed, {failed} failed of {n}");
    assert!(
        passed * 100 >= n * 95,
        "pass rate {:.1}% is under 95%",
        passed as f64 * 100.0 / n as f64
    );
}
