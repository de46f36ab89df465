//! Data-driven time expressions: `testdata/when.toml` (format in its header). Each case is a
//! sentence, its article date and the expression to check, with the date, precision and end it
//! must resolve to (or none for words that are no date). Passes at 95% or more; every failure
//! is printed.

use dyad_coder::when;
use dyad_model::DatePrecision;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    kind: String,
    date: String,
    text: String,
    expr: Option<String>,
    want: Option<String>,
    precision: Option<DatePrecision>,
    until: Option<String>,
    #[serde(default)]
    none: bool,
}

fn run(c: &Case) -> Result<(), String> {
    let toks = dyad_text::tokenize(&c.text);
    let article: jiff::civil::Date = c.date.parse().map_err(|e| format!("date: {e}"))?;
    let found = when::find(&toks, Some(article));
    let span = |t: &when::TimeExpr| toks.tokens[t.start].start..toks.tokens[t.end - 1].end;
    let show = |t: &when::TimeExpr| {
        format!(
            "{:?} {} {:?}{}",
            &c.text[span(t)],
            t.date,
            t.precision,
            t.until.map(|u| format!("..{u}")).unwrap_or_default()
        )
    };
    let all = || found.iter().map(show).collect::<Vec<_>>().join("; ");
    let hit = match &c.expr {
        Some(expr) => {
            let at = c
                .text
                .find(expr.as_str())
                .ok_or_else(|| format!("expr {expr:?} is not in the text"))?;
            let end = at + expr.len();
            found.iter().find(|t| {
                let s = span(t);
                s.start < end && at < s.end
            })
        }
        None => found.first(),
    };
    if c.none {
        return match hit {
            None => Ok(()),
            Some(t) => Err(format!("expected no date, got {}", show(t))),
        };
    }
    let t = hit.ok_or_else(|| format!("not found (found: {})", all()))?;
    let want = c.want.as_deref().ok_or("case has neither want nor none")?;
    let ok = t.date.to_string() == want
        && c.precision.is_none_or(|p| p == t.precision)
        && t.until.map(|u| u.to_string()) == c.until;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "got {}, want {want} {:?}{}",
            show(t),
            c.precision,
            c.until
                .as_ref()
                .map(|u| format!("..{u}"))
                .unwrap_or_default()
        ))
    }
}

#[test]
fn when_toml() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/when.toml");
    let text = std::fs::read_to_string(path).expect("testdata/when.toml");
    let file: File = toml::from_str(&text).expect("valid when.toml");
    let n = file.case.len();
    assert!(n >= 150, "only {n} cases");
    let mut failed = 0;
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for c in &file.case {
        let r = run(c);
        let e = by_kind.entry(c.kind.as_str()).or_default();
        e.1 += 1;
        match r {
            Ok(()) => e.0 += 1,
            Err(why) => {
                failed += 1;
                println!("FAIL [{}] {:?} ({}): {why}", c.kind, c.text, c.date);
            }
        }
    }
    for (k, (ok, all)) in &by_kind {
        println!("  {k:<10} {ok}/{all}");
    }
    let passed = n - failed;
    println!("time expressions: {passed} passed, {failed} failed of {n}");
    assert!(
        passed * 100 >= n * 95,
        "pass rate {:.1}% is under 95%",
        passed as f64 * 100.0 / n as f64
    );
}

/// The seed article's dates and figures (issue 5): read from `../shared/seed` when it is there.
#[test]
fn seed_article_dates_and_figures() {
    use dyad_coder::{Coder, PhraseCoder};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seed");
    let Some(path) = std::fs::read_dir(dir)
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| e.path())
    else {
        eprintln!("skipped: ../shared/seed not found");
        return;
    };
    let article = dyad_model::Article {
        id: "seed".into(),
        text: std::fs::read_to_string(path).expect("seed article"),
        date: Some("2024-01-19".into()),
        ..Default::default()
    };
    let coder = PhraseCoder::new(dyad_dict::builtin::dictionary().expect("built-in dictionary"));
    let events = coder.code(&article).events;
    let day = Some(DatePrecision::Day);
    // The call for withdrawal "on Thursday": the day before the article's Friday.
    assert!(
        events.iter().any(|e| e.evidence.text.contains("withdrawal")
            && e.date.as_deref() == Some("2024-01-18")
            && e.date_precision == day),
        "no withdrawal call dated 2024-01-18"
    );
    // The Nujaba strike "in early January": two dead, month precision.
    assert!(
        events.iter().any(|e| e.evidence.text.contains("Nujaba")
            && e.fatalities == Some(2)
            && e.date_precision == Some(DatePrecision::Month)
            && e.date.as_deref() == Some("2024-01-01")),
        "no Nujaba strike with 2 dead in January"
    );
    // The Pentagon's tally: 130, 53 in Iraq and 77 in Syria over 2023-10-17..2024-01-11.
    let tally = events
        .iter()
        .find(|e| e.quantities.iter().any(|q| q.value == 130.0))
        .expect("the tally");
    let got: Vec<(f64, Option<&str>)> = tally
        .quantities
        .iter()
        .map(|q| (q.value, q.country.as_deref()))
        .collect();
    assert_eq!(
        got,
        [(130.0, None), (53.0, Some("IRQ")), (77.0, Some("SYR"))]
    );
    for q in &tally.quantities {
        let p = q.period.as_ref().expect("a period");
        assert_eq!(
            (p.start.as_str(), p.end.as_str()),
            ("2023-10-17", "2024-01-11")
        );
        assert_eq!(q.attributed_to.as_deref(), Some("Pentagon"));
    }
}
