//! Helpers shared by the CLI test binaries.

use serde_json::Value;

/// Every field of the output contract, with its type.
pub fn assert_contract(e: &Value) {
    let obj = e.as_object().expect("event is an object");
    let is_str_or_null = |v: &Value| v.is_string() || v.is_null();
    for f in [
        "event_id",
        "article_id",
        "sentence",
        "date",
        "date_precision",
        "source",
        "target",
        "cameo",
        "plover",
        "acled",
        "location",
        "fatalities",
        "quantities",
        "evidence",
    ] {
        assert!(obj.contains_key(f), "missing field {f} in {e}");
    }
    assert!(e["event_id"].is_string() && e["article_id"].is_string());
    assert!(
        e["sentence"].as_u64().is_some_and(|n| n >= 1),
        "sentences count from 1"
    );
    assert!(is_str_or_null(&e["date"]));
    if let Some(d) = e["date"].as_str() {
        assert_eq!(d.len(), 10, "date {d}");
    }
    assert!(matches!(
        e["date_precision"].as_str(),
        None | Some("day" | "week" | "month" | "year")
    ));
    for side in ["source", "target"] {
        let a = &e[side];
        if a.is_null() {
            continue;
        }
        for f in ["text", "code", "name"] {
            assert!(a[f].is_string(), "{side}.{f} in {e}");
        }
        assert!(is_str_or_null(&a["country"]) && is_str_or_null(&a["sector"]));
        if let Some(c) = a["country"].as_str() {
            assert_eq!(c.len(), 3, "{side}.country {c}");
        }
    }
    assert!(
        e["source"].is_object() || e["target"].is_object(),
        "an event has an actor"
    );
    let c = &e["cameo"];
    let code = c["code"].as_str().expect("cameo.code");
    assert!((2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(c["root"].as_str(), Some(&code[..2]));
    assert!((1..=4).contains(&c["quad_class"].as_u64().expect("quad_class")));
    assert!(c["goldstein"].is_f64() || c["goldstein"].is_i64());
    let p = &e["plover"];
    assert!(is_str_or_null(&p["type"]) && is_str_or_null(&p["mode"]) && p["contexts"].is_array());
    let a = &e["acled"];
    assert!(is_str_or_null(&a["event_type"]) && is_str_or_null(&a["sub_event_type"]));
    assert!(e["location"].is_null() || e["location"].is_object());
    assert!(e["fatalities"].is_null() || e["fatalities"].is_u64());
    assert!(e["quantities"].is_array());
    let ev = &e["evidence"];
    let text = ev["text"].as_str().expect("evidence.text");
    let t = &ev["trigger"];
    let (s, en) = (
        t["start"].as_u64().expect("trigger.start") as usize,
        t["end"].as_u64().expect("trigger.end") as usize,
    );
    assert_eq!(
        &text[s..en],
        t["text"].as_str().expect("trigger.text"),
        "trigger span"
    );
    for (span, side) in [("source_span", "source"), ("target_span", "target")] {
        if let Some(sp) = ev[span].as_array() {
            let (a, b) = (
                sp[0].as_u64().expect("span start") as usize,
                sp[1].as_u64().expect("span end") as usize,
            );
            assert_eq!(
                &text[a..b],
                e[side]["text"].as_str().expect("actor text"),
                "{span}"
            );
        } else {
            assert!(ev[span].is_null());
        }
    }
    assert!(ev["rule"].as_str().is_some_and(|r| !r.is_empty()));
}
