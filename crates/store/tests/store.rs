//! The store test suite, run against every backend: SQLite, and a real PostgreSQL server when
//! one can be started (see `dyad_store::testing`).

use dyad_model::*;
use dyad_store::{EventFilter, GroupKey, Page, RejectRecord, Store};

fn article(id: &str, source: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        date: Some("2024-01-05".into()),
        source: Some(source.into()),
        ..Article::default()
    }
}

fn actor(code: &str) -> EventActor {
    EventActor {
        text: code.into(),
        code: code.into(),
        country: Some(code[..3].into()),
        sector: code.get(3..6).map(str::to_string),
        name: format!("name of {code}"),
    }
}

/// A strike by `src` on `tgt` on `date` in city `(geonames, lat, lon)`.
fn strike(
    a: &Article,
    sentence: u32,
    src: &str,
    tgt: &str,
    date: &str,
    city: Option<(u64, &str, f64, f64)>,
    dead: Option<u32>,
) -> Event {
    let (cameo, plover, acled) = schemes("195", None, Some("MIL"), Some("REB"));
    let event_id = Event::compute_id(&a.id, sentence, (0, 6), "195", Some(src), Some(tgt));
    Event {
        event_id,
        article_id: a.id.clone(),
        sentence,
        date: Some(date.into()),
        date_precision: Some(DatePrecision::Day),
        source: Some(actor(src)),
        target: Some(actor(tgt)),
        cameo,
        plover,
        acled,
        location: city.map(|(id, name, lat, lon)| Location {
            name: name.into(),
            country: Some(tgt[..3].into()),
            admin1: Some(name.into()),
            lat: Some(lat),
            lon: Some(lon),
            geonames_id: Some(id),
            precision: "city".into(),
            near: false,
        }),
        fatalities: dead,
        quantities: vec![],
        evidence: Evidence {
            text: a.text.clone(),
            trigger: Trigger {
                text: "strike".into(),
                start: 0,
                end: 6,
            },
            source_span: None,
            target_span: None,
            rule: "test".into(),
        },
    }
}

const BAGHDAD: Option<(u64, &str, f64, f64)> = Some((98182, "Baghdad", 33.34, 44.40));
const BASRA: Option<(u64, &str, f64, f64)> = Some((99532, "Basra", 30.51, 47.81));
const DEIR: Option<(u64, &str, f64, f64)> = Some((170794, "Deir ez-Zor", 35.33, 40.14));

/// `n` printings of one wire story, a strike in Baghdad on `date`, by `outlets` outlets in
/// turn (`copy-000`, `copy-001`...); printing `i` reports `dead(i)` killed.
fn printings(
    n: usize,
    outlets: usize,
    date: &str,
    dead: impl Fn(usize) -> Option<u32>,
) -> Vec<(Article, Vec<Event>)> {
    (0..n)
        .map(|i| {
            let a = article(
                &format!("copy-{i:03}"),
                &format!("outlet-{}", i % outlets),
                "US forces struck a base in Baghdad.",
            );
            let e = strike(&a, 1, "USAMIL", "IRQREB", date, BAGHDAD, dead(i));
            (a, vec![e])
        })
        .collect()
}

/// Everything a store holds, in a stable order, for comparing two stores.
fn dump(s: &mut dyn Store) -> String {
    let mut out = format!("{:?}\n", s.stats().unwrap());
    let mut ids = Vec::new();
    s.export(&EventFilter::default(), &mut |e| {
        ids.push(e.event.event_id.clone());
        Ok(())
    })
    .unwrap();
    for id in ids {
        out.push_str(&serde_json::to_string(&s.event(&id).unwrap().unwrap()).unwrap());
        out.push('\n');
    }
    out
}

/// Two fresh stores per backend, their SQLite files in `dir`: one to fill one way, one
/// another way, to compare.
fn store_pairs(dir: &std::path::Path) -> Vec<(String, String)> {
    let first = dyad_store::testing::backends(dir);
    first
        .into_iter()
        .zip(dyad_store::testing::backends(dir))
        .collect()
}

/// Run `test` once per backend.
fn each_backend(test: impl Fn(Box<dyn Store>)) {
    let dir = tempfile::tempdir().unwrap();
    for url in dyad_store::testing::backends(dir.path()) {
        let store = dyad_store::open(&url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        eprintln!("backend {}", store.backend());
        test(store);
    }
}

fn corpus() -> Vec<(Article, Vec<Event>)> {
    let a1 = article("a1", "AFP", "US forces struck a base in Baghdad.");
    let a2 = article("a2", "Reuters", "An American strike hit Baghdad.");
    let a3 = article("a3", "AP", "The US bombed militants in Baghdad, killing 3.");
    let a4 = article("a4", "AFP", "US strike in Basra the next day.");
    let a5 = article("a5", "AFP", "US forces hit a Syrian group in Deir ez-Zor.");
    vec![
        (
            a1.clone(),
            vec![strike(
                &a1,
                1,
                "USAMIL",
                "IRQREB",
                "2024-01-04",
                BAGHDAD,
                Some(2),
            )],
        ),
        (
            a2.clone(),
            vec![strike(
                &a2,
                1,
                "USAMIL",
                "IRQREB",
                "2024-01-04",
                BAGHDAD,
                None,
            )],
        ),
        (
            a3.clone(),
            vec![strike(
                &a3,
                2,
                "USAMIL",
                "IRQREB",
                "2024-01-04",
                None,
                Some(3),
            )],
        ),
        (
            a4.clone(),
            vec![strike(
                &a4,
                1,
                "USAMIL",
                "IRQREB",
                "2024-01-05",
                BASRA,
                Some(1),
            )],
        ),
        (
            a5.clone(),
            vec![strike(&a5, 1, "USAMIL", "SYRREB", "2024-01-04", DEIR, None)],
        ),
    ]
}

#[test]
fn round_trip_and_dedup() {
    each_backend(|mut s| {
        let stats = s.ingest(&corpus()).unwrap();
        assert_eq!(stats.articles_added, 5);
        assert_eq!(stats.mentions_added, 5);
        let st = s.stats().unwrap();
        assert_eq!((st.articles, st.mentions, st.events), (5, 5, 3));
        let page = s
            .query_events(&EventFilter::default(), &Page::default())
            .unwrap();
        assert_eq!(page.events.len(), 3);
        let baghdad = page
            .events
            .iter()
            .find(|e| e.num_mentions == 3)
            .expect("the three Baghdad reports merge");
        assert_eq!((baghdad.num_sources, baghdad.num_articles), (3, 3));
        assert_eq!(baghdad.event.fatalities, Some(3));
        assert_eq!(baghdad.event.location.as_ref().unwrap().name, "Baghdad");
        let d = s.event(&baghdad.event.event_id).unwrap().unwrap();
        assert_eq!(d.mentions.len(), 3);
        assert_eq!(d.mentions.iter().filter(|m| m.reason.is_some()).count(), 2);
        // Any mention's id finds its event.
        let other = &d.mentions[2].mention_id;
        assert_eq!(
            s.event(other).unwrap().unwrap().event.event.event_id,
            baghdad.event.event_id
        );
        assert!(s.event("no such id").unwrap().is_none());
        let arts = s
            .articles(&Page {
                limit: 2,
                cursor: None,
            })
            .unwrap();
        assert_eq!(arts.articles.len(), 2);
        let rest = s
            .articles(&Page {
                limit: 10,
                cursor: arts.next_cursor,
            })
            .unwrap();
        assert_eq!(rest.articles.len(), 3);
        assert!(rest.next_cursor.is_none());
    });
}

/// An event's mentions come in pages that together are exactly what `event` gives, in the
/// same order, the representative report first.
#[test]
fn an_events_mentions_come_in_pages() {
    each_backend(|mut s| {
        let batch = printings(23, 7, "2024-01-04", |i| (i == 5).then_some(4));
        s.ingest(&batch).unwrap();
        let id = batch[11].1[0].event_id.clone();
        let all = s.event(&id).unwrap().expect("stored");
        assert_eq!(all.mentions.len(), 23);
        assert_eq!(all.event.num_mentions, 23);
        assert!(all.next_mentions_offset.is_none());
        assert_eq!(all.mentions[0].mention_id, all.event.event.event_id);
        for limit in [1u64, 5, 10, 23, 50] {
            let mut got = Vec::new();
            let mut offset = 0;
            loop {
                let page = s.event_mentions(&id, offset, Some(limit)).unwrap().unwrap();
                assert_eq!(page.event, all.event, "every page carries the event");
                assert!(page.mentions.len() as u64 <= limit);
                got.extend(page.mentions);
                match page.next_mentions_offset {
                    Some(next) => {
                        assert_eq!(next, offset + limit);
                        offset = next;
                    }
                    None => break,
                }
            }
            assert_eq!(got, all.mentions, "pages of {limit}");
        }
        // past the end: no mentions, no next page
        let past = s.event_mentions(&id, 40, Some(10)).unwrap().unwrap();
        assert!(past.mentions.is_empty() && past.next_mentions_offset.is_none());
        // an offset alone: the rest
        let rest = s.event_mentions(&id, 20, None).unwrap().unwrap();
        assert_eq!(rest.mentions, all.mentions[20..]);
    });
}

#[test]
fn pagination_is_complete_and_stable() {
    each_backend(|mut s| {
        s.ingest(&corpus()).unwrap();
        // Two undated events and one long before 1970, which must not be taken for undated.
        let a6 = article("a6", "AFP", "Undated reports.");
        let mut undated = vec![
            strike(&a6, 1, "USAMIL", "IRQREB", "2024-01-04", None, None),
            strike(&a6, 2, "IRNMIL", "ISRMIL", "2024-01-04", None, None),
            strike(&a6, 3, "GBRMIL", "DEUMIL", "1944-06-06", None, None),
        ];
        undated[0].date = None;
        undated[1].date = None;
        s.ingest(&[(a6, undated)]).unwrap();
        let all = s
            .query_events(
                &EventFilter::default(),
                &Page {
                    limit: 100,
                    cursor: None,
                },
            )
            .unwrap()
            .events;
        assert_eq!(all.len(), 6);
        let dates: Vec<Option<&str>> = all.iter().map(|e| e.event.date.as_deref()).collect();
        assert_eq!(
            dates,
            [
                Some("2024-01-05"),
                Some("2024-01-04"),
                Some("2024-01-04"),
                Some("1944-06-06"),
                None,
                None
            ],
            "newest first, undated last"
        );
        let want: Vec<String> = all.iter().map(|e| e.event.event_id.clone()).collect();
        for limit in [1, 2, 4] {
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let p = s
                    .query_events(&EventFilter::default(), &Page { limit, cursor })
                    .unwrap();
                seen.extend(p.events.iter().map(|e| e.event.event_id.clone()));
                cursor = p.next_cursor;
                if cursor.is_none() {
                    break;
                }
            }
            assert_eq!(seen, want, "pages of {limit}");
        }
        assert!(s
            .query_events(
                &EventFilter::default(),
                &Page {
                    limit: 1,
                    cursor: Some("junk".into())
                }
            )
            .is_err());
    });
}

#[test]
fn reingest_is_idempotent_and_order_independent() {
    let dir = tempfile::tempdir().unwrap();
    let urls = dyad_store::testing::backends(dir.path());
    let mut dumps = Vec::new();
    for url in &urls {
        let mut s = dyad_store::open(url).unwrap();
        s.ingest(&corpus()).unwrap();
        let first = dump(s.as_mut());
        let again = s.ingest(&corpus()).unwrap();
        assert_eq!(again.articles_unchanged, 5);
        assert_eq!(again.mentions_added, 0);
        assert_eq!(dump(s.as_mut()), first);
        dumps.push(first);
    }
    // Reversed, one article per batch, into fresh stores: the same content.
    let dir2 = tempfile::tempdir().unwrap();
    for (i, url) in dyad_store::testing::backends(dir2.path())
        .iter()
        .enumerate()
    {
        let mut s = dyad_store::open(url).unwrap();
        for item in corpus().into_iter().rev() {
            s.ingest(&[item]).unwrap();
        }
        assert_eq!(dump(s.as_mut()), dumps[i], "backend {i}");
    }
    if dumps.len() == 2 {
        assert_eq!(dumps[0], dumps[1], "SQLite and PostgreSQL hold the same");
    }
}

/// A large batch goes through each backend's bulk path (PostgreSQL: binary `COPY`), one
/// article at a time through single statements: both store the same.
#[test]
fn bulk_and_single_article_batches_store_the_same() {
    let articles = dyad_store::bench::synthetic(0, 60);
    let dir = tempfile::tempdir().unwrap();
    let mut dumps = Vec::new();
    for (bulk_url, single_url) in &store_pairs(dir.path()) {
        let mut bulk = dyad_store::open(bulk_url).unwrap();
        let stats = bulk.ingest(&articles).unwrap();
        assert_eq!(stats.mentions_added, 240, "{}", bulk.backend());
        let mut single = dyad_store::open(single_url).unwrap();
        for item in &articles {
            single.ingest(std::slice::from_ref(item)).unwrap();
        }
        let dumped = dump(bulk.as_mut());
        assert_eq!(dumped, dump(single.as_mut()), "{}", bulk.backend());
        dumps.push(dumped);
    }
    if dumps.len() == 2 {
        assert_eq!(dumps[0], dumps[1], "SQLite and PostgreSQL hold the same");
    }
}

/// A batch whose reports merge with hundreds of stored events (more clusters than the
/// store reads in one statement) stores what reports taken one at a time do.
#[test]
fn a_batch_that_merges_with_many_stored_events() {
    // 150 strikes on 150 days, then a second report of each, and one more of the first 20.
    let day = |i: usize| format!("2023-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
    let reports = |prefix: &str, n: usize| -> Vec<(Article, Vec<Event>)> {
        (0..n)
            .map(|i| {
                let a = article(&format!("{prefix}-{i:03}"), prefix, "US forces struck.");
                let e = strike(&a, 1, "USAMIL", "IRQREB", &day(i), BAGHDAD, None);
                (a, vec![e])
            })
            .collect()
    };
    let first = reports("afp", 150);
    let mut second = reports("ap", 150);
    second.extend(reports("upi", 20));
    let dir = tempfile::tempdir().unwrap();
    for (url, single_url) in &store_pairs(dir.path()) {
        let mut s = dyad_store::open(url).unwrap();
        s.ingest(&first).unwrap();
        let stats = s.ingest(&second).unwrap();
        assert_eq!(stats.mentions_merged, 170, "{url}");
        let st = s.stats().unwrap();
        assert_eq!((st.mentions, st.events), (320, 150), "{url}");
        let mut single = dyad_store::open(single_url).unwrap();
        for item in first.iter().chain(&second) {
            single.ingest(std::slice::from_ref(item)).unwrap();
        }
        assert_eq!(dump(s.as_mut()), dump(single.as_mut()), "{url}");
    }
}

#[test]
fn changed_article_replaces_its_events() {
    each_backend(|mut s| {
        s.ingest(&corpus()).unwrap();
        // a1 now reports a strike in Basra on the 5th: it leaves the Baghdad event and joins
        // the Basra one.
        let mut a1 = corpus()[0].0.clone();
        a1.text = "Correction: US forces struck Basra.".into();
        let ev = strike(&a1, 1, "USAMIL", "IRQREB", "2024-01-05", BASRA, None);
        let stats = s.ingest(&[(a1, vec![ev])]).unwrap();
        assert_eq!(stats.articles_replaced, 1);
        let st = s.stats().unwrap();
        assert_eq!((st.articles, st.mentions, st.events), (5, 5, 3));
        let rows = s.count(&EventFilter::default(), &[GroupKey::Day]).unwrap();
        let counts: Vec<(Option<String>, u64)> =
            rows.iter().map(|r| (r.keys[0].clone(), r.count)).collect();
        assert_eq!(
            counts,
            vec![
                (Some("2024-01-04".into()), 2),
                (Some("2024-01-05".into()), 1)
            ]
        );
        let p = s
            .query_events(&EventFilter::default(), &Page::default())
            .unwrap();
        let mut mentions: Vec<u32> = p.events.iter().map(|e| e.num_mentions).collect();
        mentions.sort();
        assert_eq!(mentions, vec![1, 2, 2]);
        // The same as a clean store given the final articles.
        let dir = tempfile::tempdir().unwrap();
        let mut fresh = dyad_store::open(dir.path().join("f.db").to_str().unwrap()).unwrap();
        let mut c = corpus();
        let mut a1 = c[0].0.clone();
        a1.text = "Correction: US forces struck Basra.".into();
        c[0] = (
            a1.clone(),
            vec![strike(
                &a1,
                1,
                "USAMIL",
                "IRQREB",
                "2024-01-05",
                BASRA,
                None,
            )],
        );
        fresh.ingest(&c).unwrap();
        assert_eq!(dump(fresh.as_mut()), dump(s.as_mut()));
        // An article that now codes nothing removes its events.
        let (a5, _) = corpus()[4].clone();
        let mut a5 = a5;
        a5.text = "Nothing happened.".into();
        s.ingest(&[(a5, vec![])]).unwrap();
        assert_eq!(s.stats().unwrap().events, 2);
    });
}

#[test]
fn filters_and_groups() {
    each_backend(|mut s| {
        s.ingest(&corpus()).unwrap();
        let f = |f: EventFilter| f;
        let count = |s: &mut Box<dyn Store>, filter: EventFilter| {
            s.count(&filter, &[])
                .unwrap()
                .first()
                .map_or(0, |r| r.count)
        };
        assert_eq!(count(&mut s, EventFilter::default()), 3);
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    country: Some("irq".into()),
                    ..Default::default()
                })
            ),
            2
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    target: Some("SYR".into()),
                    ..Default::default()
                })
            ),
            1
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    source: Some("usa".into()),
                    ..Default::default()
                })
            ),
            3
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    cameo: Some("19".into()),
                    ..Default::default()
                })
            ),
            3
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    cameo: Some("18".into()),
                    ..Default::default()
                })
            ),
            0
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    quad_class: Some(4),
                    ..Default::default()
                })
            ),
            3
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    plover_type: Some("assault".into()),
                    ..Default::default()
                })
            ),
            3
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    date_from: Some("2024-01-05".into()),
                    ..Default::default()
                })
            ),
            1
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    date_to: Some("2024-01-04".into()),
                    ..Default::default()
                })
            ),
            2
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    admin1: Some("Basra".into()),
                    ..Default::default()
                })
            ),
            1
        );
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    article: Some("a2".into()),
                    ..Default::default()
                })
            ),
            1
        );
        // Baghdad and Basra, not Deir ez-Zor.
        assert_eq!(
            count(
                &mut s,
                f(EventFilter {
                    bbox: Some([43.0, 29.0, 49.0, 34.0]),
                    ..Default::default()
                })
            ),
            2
        );
        // Hostile strings are values, never SQL.
        for evil in ["'; DROP TABLE events; --", "%", "_", "\\", "\u{0}"] {
            assert_eq!(
                count(
                    &mut s,
                    f(EventFilter {
                        source: Some(evil.into()),
                        ..Default::default()
                    })
                ),
                0
            );
            assert_eq!(
                count(
                    &mut s,
                    f(EventFilter {
                        admin1: Some(evil.into()),
                        ..Default::default()
                    })
                ),
                0
            );
        }
        assert_eq!(count(&mut s, EventFilter::default()), 3);
        assert!(s
            .count(
                &f(EventFilter {
                    date_from: Some("yesterday".into()),
                    ..Default::default()
                }),
                &[]
            )
            .is_err());
        assert!(s
            .count(
                &f(EventFilter {
                    quad_class: Some(9),
                    ..Default::default()
                }),
                &[]
            )
            .is_err());

        let rows = s
            .count(
                &EventFilter::default(),
                &[GroupKey::Week, GroupKey::Country],
            )
            .unwrap();
        let got: Vec<(Vec<Option<String>>, u64, u64)> = rows
            .iter()
            .map(|r| (r.keys.clone(), r.count, r.fatalities))
            .collect();
        assert_eq!(
            got,
            vec![
                (vec![Some("2024-01-01".into()), Some("IRQ".into())], 2, 4),
                (vec![Some("2024-01-01".into()), Some("SYR".into())], 1, 0),
            ]
        );
        let rows = s
            .count(
                &EventFilter::default(),
                &[
                    GroupKey::Month,
                    GroupKey::Dyad,
                    GroupKey::Root,
                    GroupKey::Type,
                    GroupKey::Admin1,
                    GroupKey::Day,
                ],
            )
            .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].keys[0].as_deref(), Some("2024-01"));
        assert_eq!(rows[0].goldstein_mean, Some(-10.0));
        let dyads = s.dyads(&EventFilter::default(), 10).unwrap();
        assert_eq!(dyads[0].source, "USAMIL");
        assert_eq!(
            (dyads[0].target.as_str(), dyads[0].count, dyads[0].conflict),
            ("IRQREB", 2, 2)
        );
        let actors = s.actors(&EventFilter::default(), 10).unwrap();
        assert_eq!(actors[0].code, "USAMIL");
        assert_eq!(actors[0].as_source, 3);
        assert_eq!(actors[0].name.as_deref(), Some("name of USAMIL"));
    });
}

#[test]
fn rejects_are_kept_once() {
    each_backend(|mut s| {
        let r = vec![
            RejectRecord {
                file: "in.jsonl".into(),
                line: 3,
                reason: "bad json".into(),
                record: "{oops".into(),
            },
            RejectRecord {
                file: "in.jsonl".into(),
                line: 9,
                reason: "no id".into(),
                record: "{}".into(),
            },
        ];
        assert_eq!(s.add_rejects(&r).unwrap(), 2);
        assert_eq!(s.add_rejects(&r).unwrap(), 0);
        assert_eq!(s.stats().unwrap().rejects, 2);
    });
}

/// PostgreSQL cannot hold NUL in text, so both backends store U+FFFD in its place, and the
/// article and its event are stored, not refused.
#[test]
fn nul_in_text_is_stored_as_the_replacement_character() {
    each_backend(|mut s| {
        let mut a = article("nul1", "A\0FP", "US forces struck a base in Baghdad.");
        a.title = Some("Strike\0 in Baghdad".into());
        let e = strike(&a, 1, "USAMIL", "IRQREB", "2024-01-04", BAGHDAD, None);
        let id = e.event_id.clone();
        s.ingest(&[(a, vec![e])]).unwrap();
        let d = s.event(&id).unwrap().expect("the event is stored");
        let m = &d.mentions[0];
        assert_eq!(m.article_source.as_deref(), Some("A\u{fffd}FP"));
        assert_eq!(
            m.article_title.as_deref(),
            Some("Strike\u{fffd} in Baghdad")
        );
    });
}

#[test]
fn bad_store_paths_are_errors() {
    assert!(dyad_store::open("/nonexistent-dir/x/y.db").is_err());
    assert!(dyad_store::open("postgres://nobody@127.0.0.1:1/none").is_err());
}

/// Counts read from `daily_counts` agree with the events themselves, for filters the count
/// table can answer and filters it cannot.
#[test]
fn counts_agree_with_events() {
    each_backend(|mut s| {
        let mut c = corpus();
        let a6 = article("a6", "AP", "Protest in Baghdad.");
        let (cameo, plover, acled) = schemes("141", None, Some("CVL"), Some("GOV"));
        let mut protest = strike(&a6, 1, "IRQCVL", "IRQGOV", "2024-01-09", BAGHDAD, None);
        protest.cameo = cameo;
        protest.plover = plover;
        protest.acled = acled;
        c.push((a6, vec![protest]));
        s.ingest(&c).unwrap();
        let filters = [
            EventFilter::default(),
            EventFilter {
                cameo: Some("14".into()),
                ..Default::default()
            },
            EventFilter {
                acled_type: Some("Protests".into()),
                ..Default::default()
            },
            EventFilter {
                country: Some("IRQ".into()),
                date_from: Some("2024-01-05".into()),
                ..Default::default()
            },
            EventFilter {
                quad_class: Some(4),
                plover_type: Some("ASSAULT".into()),
                ..Default::default()
            },
        ];
        for f in filters {
            let mut want = std::collections::BTreeMap::new();
            s.export(&f, &mut |e| {
                let day = dyad_store::merge::parse_date(e.event.date.as_deref().unwrap()).unwrap();
                let week = dyad_store::merge::format_day(dyad_store::merge::week_start(day));
                let country = e.event.location.as_ref().and_then(|l| l.country.clone());
                *want.entry((Some(week), country)).or_insert(0u64) += 1;
                Ok(())
            })
            .unwrap();
            let got: std::collections::BTreeMap<_, _> = s
                .count(&f, &[GroupKey::Week, GroupKey::Country])
                .unwrap()
                .into_iter()
                .map(|r| ((r.keys[0].clone(), r.keys[1].clone()), r.count))
                .collect();
            assert_eq!(got, want, "{f:?} on {}", s.backend());
        }
    });
}

/// A store written by schema version 1 (text keys) opens as version 2 with the same events:
/// the migration re-adds its mentions.
#[test]
fn version_1_store_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let corpus = corpus();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let v1 = include_str!("../migrations/0001_init.sql")
            .replace("/*sqlite: WITHOUT ROWID*/", "WITHOUT ROWID");
        conn.execute_batch(&v1).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version BIGINT PRIMARY KEY, applied_at TEXT); \
             INSERT INTO schema_version VALUES (1, 'then')",
        )
        .unwrap();
        for (a, events) in &corpus {
            conn.execute(
                "INSERT INTO articles (id, date, source, text_hash) VALUES (?1, ?2, ?3, 'h')",
                rusqlite::params![a.id, a.date, a.source],
            )
            .unwrap();
            for e in events {
                conn.execute(
                    "INSERT INTO mentions (id, article_id, sentence, cluster_id, merge_key, \
                     has_place, precise, rank_key, json) VALUES (?1, ?2, ?3, ?1, 'k', 0, 0, ?1, ?4)",
                    rusqlite::params![
                        e.event_id,
                        a.id,
                        e.sentence,
                        serde_json::to_string(e).unwrap()
                    ],
                )
                .unwrap();
            }
        }
    }
    let mut s = dyad_store::open(path.to_str().unwrap()).unwrap();
    let st = s.stats().unwrap();
    assert_eq!((st.articles, st.mentions, st.events), (5, 5, 3));
    let page = s
        .query_events(&EventFilter::default(), &Page::default())
        .unwrap();
    let mut mentions: Vec<u32> = page.events.iter().map(|e| e.num_mentions).collect();
    mentions.sort();
    assert_eq!(mentions, vec![1, 1, 3]);
    let total: u64 = s
        .count(&EventFilter::default(), &[GroupKey::Country])
        .unwrap()
        .iter()
        .map(|r| r.count)
        .sum();
    assert_eq!(total, 3, "daily counts rebuilt");
    drop(s);
    // Opening again migrates nothing more.
    let mut s = dyad_store::open(path.to_str().unwrap()).unwrap();
    assert_eq!(s.stats().unwrap().events, 3);
}

/// A store written before JSON was packed holds it as it is (SQLite: text, up to schema 4;
/// PostgreSQL: text up to schema 5, then UTF-8 `bytea`): such rows read as they did, and rows
/// added later, packed, sit beside them.
#[test]
fn json_as_it_is_reads_beside_packed_json() {
    let corpus = corpus();
    let (first, rest) = corpus.split_at(3);
    let dir = tempfile::tempdir().unwrap();
    for (url, fresh_url) in &store_pairs(dir.path()) {
        let mut s = dyad_store::open(url).unwrap();
        s.ingest(first).unwrap();
        let packed = dump(s.as_mut());
        drop(s);
        // As an older dyad left them.
        let mut unpacked = 0;
        if url.starts_with("postgres") {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            for (_, events) in first {
                for e in events {
                    let json = serde_json::to_string(e).unwrap();
                    unpacked += c
                        .execute(
                            "UPDATE mentions SET json = convert_to($1, 'UTF8') \
                             WHERE id = $2 AND get_byte(json, 0) = 1",
                            &[&json, &e.event_id],
                        )
                        .unwrap();
                }
            }
        } else {
            let c = rusqlite::Connection::open(url).unwrap();
            for (_, events) in first {
                for e in events {
                    let json = serde_json::to_string(e).unwrap();
                    unpacked += c
                        .execute(
                            "UPDATE mentions SET json = ?1 WHERE id = ?2 AND typeof(json) = 'blob'",
                            rusqlite::params![json, e.event_id],
                        )
                        .unwrap() as u64;
                }
            }
        }
        assert_eq!(unpacked, 3, "{url}: new rows are packed");
        let mut s = dyad_store::open(url).unwrap();
        assert_eq!(dump(s.as_mut()), packed, "{url}");
        // The rest merge with those rows as with packed ones.
        s.ingest(rest).unwrap();
        let mut fresh = dyad_store::open(fresh_url).unwrap();
        fresh.ingest(&corpus).unwrap();
        assert_eq!(dump(s.as_mut()), dump(fresh.as_mut()), "{url}");
    }
}

/// A PostgreSQL store of schema 5 (JSON as text) moves to 6 (`bytea`) when it opens, and
/// holds the same.
#[test]
fn a_postgresql_store_of_schema_5_moves_to_6() {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = dyad_store::testing::backends(dir.path())
        .into_iter()
        .find(|u| u.starts_with("postgres"))
    else {
        return;
    };
    let mut s = dyad_store::open(&url).unwrap();
    s.ingest(&corpus()).unwrap();
    let before = dump(s.as_mut());
    drop(s);
    // Back to schema 5, as that dyad left it.
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    for (_, events) in corpus() {
        for e in events {
            let json = serde_json::to_string(&e).unwrap();
            c.execute(
                "UPDATE mentions SET json = convert_to($1, 'UTF8') WHERE id = $2",
                &[&json, &e.event_id],
            )
            .unwrap();
        }
    }
    c.batch_execute(
        "ALTER TABLE mentions ALTER COLUMN json TYPE TEXT USING convert_from(json, 'UTF8'); \
         DELETE FROM schema_version WHERE version = 6",
    )
    .unwrap();
    let mut s = dyad_store::open(&url).unwrap();
    assert_eq!(dump(s.as_mut()), before);
    let ty: String = c
        .query_one(
            "SELECT data_type FROM information_schema.columns \
             WHERE table_name = 'mentions' AND column_name = 'json'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(ty, "bytea");
}

#[test]
fn a_store_of_a_newer_dyad_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    let path = path.to_str().unwrap();
    drop(dyad_store::open(path).unwrap());
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch("INSERT INTO schema_version (version) VALUES (99)")
        .unwrap();
    let err = dyad_store::open(path).err().expect("refused").to_string();
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains("newer dyad"), "{err}");
}

/// Events whose representative's date is coarse (week, month, year) or missing: their rows
/// are found by the day their representative gives (schema 4 has no index on the key
/// alone), through merges, changes of representative and replaced articles, and the store
/// always equals a fresh one given the same articles.
#[test]
fn coarse_and_undated_events_are_found_by_their_day() {
    fn dated(a: &Article, s: u32, date: Option<&str>, p: Option<DatePrecision>) -> Event {
        let mut e = strike(
            a,
            s,
            "USAMIL",
            "IRQREB",
            date.unwrap_or(""),
            BAGHDAD,
            Some(s),
        );
        e.date = date.map(str::to_string);
        e.date_precision = p;
        e
    }
    let b = |id: &str, text: &str| article(id, "AFP", text);
    let (b1, b2, b3, b4, b5) = (
        b("b1", "In March, US forces struck Baghdad."),
        b("b2", "US forces struck Baghdad on 10 March."),
        b("b3", "US forces have struck Baghdad, at some point."),
        b("b4", "This year US forces struck Baghdad."),
        b("b5", "In the first week of June US forces struck Baghdad."),
    );
    let version1 = vec![
        (
            b1.clone(),
            vec![dated(
                &b1,
                1,
                Some("2024-03-17"),
                Some(DatePrecision::Month),
            )],
        ),
        (
            b2.clone(),
            vec![dated(&b2, 1, Some("2024-03-10"), Some(DatePrecision::Day))],
        ),
        (
            b3.clone(),
            vec![
                dated(&b3, 1, None, None),
                dated(&b3, 2, Some("sometime"), None),
            ],
        ),
        (
            b4.clone(),
            vec![dated(&b4, 1, Some("2023-06-01"), Some(DatePrecision::Year))],
        ),
        (
            b5.clone(),
            vec![dated(&b5, 1, Some("2023-06-05"), Some(DatePrecision::Week))],
        ),
    ];
    // Then b2 and b5, the day and week representatives, report other things, and b1 and b4
    // (now representatives of coarse dates) are corrected, and b3 codes nothing.
    let mut version2 = version1.clone();
    let changed = |i: usize,
                   v: &mut Vec<(Article, Vec<Event>)>,
                   evs: Vec<(u32, Option<&str>, Option<DatePrecision>)>| {
        let mut a = v[i].0.clone();
        a.text.push_str(" (corrected)");
        let e = evs
            .into_iter()
            .map(|(s, d, p)| dated(&a, s, d, p))
            .collect();
        v[i] = (a, e);
    };
    changed(
        1,
        &mut version2,
        vec![(3, Some("2023-01-02"), Some(DatePrecision::Day))],
    );
    changed(4, &mut version2, vec![(3, Some("2023-06-07"), None)]);
    changed(
        0,
        &mut version2,
        vec![(2, Some("2024-03-18"), Some(DatePrecision::Week))],
    );
    changed(
        3,
        &mut version2,
        vec![(2, Some("2024-06-20"), Some(DatePrecision::Month))],
    );
    changed(2, &mut version2, vec![]);

    let check = |s: &mut dyn Store, what: &str| {
        let st = s.stats().unwrap();
        let mut exported = 0;
        s.export(&EventFilter::default(), &mut |_| {
            exported += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            st.events, exported,
            "{what}: an events row without its event"
        );
        let counted: u64 = s
            .count(&EventFilter::default(), &[])
            .unwrap()
            .iter()
            .map(|r| r.count)
            .sum();
        assert_eq!(counted, st.events, "{what}: daily counts");
    };
    let dir = tempfile::tempdir().unwrap();
    for url in dyad_store::testing::backends(dir.path()) {
        let mut s = dyad_store::open(&url).unwrap();
        s.ingest(&version1).unwrap();
        check(s.as_mut(), "version 1");
        let st = s.stats().unwrap();
        // b1+b2 (March 2024), b4+b5 (a week of June in 2023), and b3's two undated ones.
        assert_eq!((st.mentions, st.events), (6, 4), "{url}");
        for (_, evs) in &version1 {
            for e in evs {
                let d = s
                    .event(&e.event_id)
                    .unwrap()
                    .expect("every mention finds its event");
                assert!(d.mentions.iter().any(|m| m.mention_id == e.event_id));
            }
        }
        for (i, item) in version2.iter().enumerate() {
            s.ingest(std::slice::from_ref(item)).unwrap();
            check(s.as_mut(), &format!("after replacing article {i}"));
        }
        let fresh_dir = tempfile::tempdir().unwrap();
        let mut fresh = dyad_store::open(fresh_dir.path().join("f.db").to_str().unwrap()).unwrap();
        fresh.ingest(&version2).unwrap();
        assert_eq!(dump(fresh.as_mut()), dump(s.as_mut()), "{url}");
        for (_, evs) in &version2 {
            for e in evs {
                assert!(s.event(&e.event_id).unwrap().is_some(), "{}", e.event_id);
            }
        }
    }
}

/// A wire story printed by hundreds of outlets is one event with every printing as a
/// mention, whether the copies arrive in one batch or across several; a strike in another
/// city the same day stays its own event.
#[test]
fn a_story_printed_many_times_is_one_event() {
    each_backend(|mut s| {
        let copies = printings(600, 20, "2024-01-05", |_| None);
        let basra = article("basra", "AP", "US strike in Basra.");
        let other = strike(&basra, 1, "USAMIL", "IRQREB", "2024-01-05", BASRA, None);
        s.ingest(&copies[..250]).unwrap();
        s.ingest(&[(basra.clone(), vec![other.clone()])]).unwrap();
        s.ingest(&copies[250..300]).unwrap();
        s.ingest(&copies[300..]).unwrap();
        let st = s.stats().unwrap();
        assert_eq!((st.articles, st.mentions, st.events), (601, 601, 2));
        let page = s
            .query_events(&EventFilter::default(), &Page::default())
            .unwrap();
        let big = page.events.iter().find(|e| e.num_mentions == 600).unwrap();
        assert_eq!((big.num_sources, big.num_articles), (20, 600));
        let d = s.event(&big.event.event_id).unwrap().unwrap();
        assert_eq!(d.mentions.len(), 600);
        // Every printing but the representative points at it, with the rule's reason.
        let rep = &big.event.event_id;
        let pointing = d
            .mentions
            .iter()
            .filter(|m| m.merged_with.as_ref() == Some(rep))
            .filter(|m| m.reason.as_deref().is_some_and(|r| r.contains("same day")))
            .count();
        assert_eq!(pointing, 599);
        let lone = page.events.iter().find(|e| e.num_mentions == 1).unwrap();
        assert_eq!(lone.event.article_id, "basra");

        // Half the outlets print a correction (the strike was the next day), in one batch:
        // the store is then what storing the final versions from the start gives.
        let fixed: Vec<(Article, Vec<Event>)> = copies[..300]
            .iter()
            .map(|(a, _)| {
                let mut a = a.clone();
                a.text = "Correction: US forces struck a base in Baghdad a day later.".into();
                let e = strike(&a, 1, "USAMIL", "IRQREB", "2024-01-06", BAGHDAD, None);
                (a, vec![e])
            })
            .collect();
        let st = s.ingest(&fixed).unwrap();
        assert_eq!((st.articles_replaced, st.mentions_added), (300, 300));
        let dir = tempfile::tempdir().unwrap();
        let mut clean = dyad_store::open(dir.path().join("clean.db").to_str().unwrap()).unwrap();
        clean.ingest(&fixed).unwrap();
        clean.ingest(&[(basra, vec![other])]).unwrap();
        clean.ingest(&copies[300..]).unwrap();
        assert_eq!(dump(s.as_mut()), dump(clean.as_mut()));
        assert_eq!(s.stats().unwrap().events, 3);
    });
}
