//! Data-driven place resolution: `testdata/places.toml` (format in its header). Each case is a
//! sentence, optional article countries, the mention to check and the expected place (or none
//! for a false friend). Passes at 95% or more; every failure is printed.

use dyad_geo::{gazetteer, Context};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    mention: String,
    #[serde(default)]
    context: Vec<String>,
    id: Option<u64>,
    name: Option<String>,
    #[serde(default)]
    none: bool,
    near: Option<bool>,
    #[serde(default)]
    kind: String,
}

/// What the gazetteer says for `c.mention` in `c.text`: Ok(description) or Err(why not).
fn run(c: &Case) -> Result<(), String> {
    let g = gazetteer();
    let toks = dyad_text::tokenize(&c.text);
    let found = g.find(&c.text, &toks);
    let mut ctx = Context::new(c.context.iter().cloned());
    ctx.add_mentions(g, &found);
    let at = c
        .text
        .find(&c.mention)
        .ok_or_else(|| format!("mention {:?} is not in the text", c.mention))?;
    let end = at + c.mention.len();
    let t = found.iter().find(|t| t.span.start < end && at < t.span.end);
    let place = t.and_then(|t| g.resolve(t, &ctx));
    if c.none {
        return match place {
            None => Ok(()),
            Some(p) => Err(format!(
                "expected no place, got {} {} ({:?})",
                p.geonames_id, p.name, p.country
            )),
        };
    }
    let t = t.ok_or_else(|| {
        let spans: Vec<&str> = found.iter().map(|t| t.text.as_str()).collect();
        format!("not found (found {spans:?})")
    })?;
    let p = place.ok_or("found but not resolved")?;
    let want = c.id.ok_or("case has neither id nor none")?;
    if p.geonames_id != want {
        return Err(format!(
            "got {} {} ({:?}, {:?}), want {want}",
            p.geonames_id, p.name, p.country, p.admin1
        ));
    }
    if let Some(n) = &c.name {
        if &p.name != n {
            return Err(format!("got {:?}, want {n:?}", p.name));
        }
    }
    if let Some(near) = c.near {
        if t.near != near {
            return Err(format!("near is {}, want {near}", t.near));
        }
    }
    Ok(())
}

#[test]
fn places_toml() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/places.toml");
    let text = std::fs::read_to_string(path).expect("testdata/places.toml");
    let file: File = toml::from_str(&text).expect("valid places.toml");
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
                println!("FAIL {:?} in {:?}: {why}", c.mention, c.text);
            }
        }
    }
    for (k, (ok, all)) in &by_kind {
        println!("  {k:<12} {ok}/{all}");
    }
    let passed = n - failed;
    println!("places: {passed} passed, {failed} failed of {n}");
    assert!(
        passed * 100 >= n * 95,
        "pass rate {:.1}% is under 95%",
        passed as f64 * 100.0 / n as f64
    );
}
