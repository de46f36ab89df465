//! Criterion benches for the TABARI engine's hot stages: tokenising, the literal trie, marking
//! actors (root matching and markup), matching verbs (patterns, sources and targets), a whole
//! article through `TabariCoder` (event building included) and serialising its events.
//!
//! The dictionaries are a small invented set written for this bench (always run), and, when
//! `../shared/anchors` is present, the field's CAMEO.080612 verbs with the Phoenix actors and
//! agents (the `dyad bench` set). Profile one stage with e.g.
//! `cargo bench -p dyad-coder --bench tabari -- --profile-time 10 phoenix/match_verbs`.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_coder::tabari::{stages, Date, DictFile, TabariCoder, TabariEngine, TabariOptions};
use dyad_coder::Coder;
use dyad_dict::formats::{self, actors, agents, tabari_verbs};

/// News-style text (invented), one sentence per line once split.
const TEXT: &str = "\
JERUSALEM (Reuters) - Israeli troops raided the town of Jenin on Tuesday, Palestinian officials \
said, and the army said its soldiers arrested 12 suspected militants. \
Hamas accused Israel of blocking aid convoys at the Rafah crossing with Egypt. \
Egyptian mediators met Hamas leaders in Cairo on Wednesday to discuss a new truce proposal. \
The United Nations urged both sides to protect civilians and allow humanitarian aid into Gaza. \
Russian forces launched a wave of drones at the port of Odesa overnight, the Ukrainian air force said. \
President Volodymyr Zelensky called on Western allies to send more air defense systems to Ukraine. \
The Kremlin denied targeting civilian infrastructure and accused Kyiv of shelling Belgorod. \
Sudan's army fought the paramilitary Rapid Support Forces in Khartoum on Monday, residents said. \
Nigerian police arrested 20 suspected kidnappers in Zamfara state after a raid on a forest camp. \
The European Union imposed new sanctions on Iran over its support for Russia's war in Ukraine. \
China warned the United States against selling weapons to Taiwan, the foreign ministry said. \
Thousands of protesters marched through the capital of Kenya to demand lower taxes on food.";

/// A small invented dictionary in the TABARI formats (codes are CAMEO's).
const ACTORS: &str = "\
ISRAEL_ [ISR]
+ISRAELI_
PALESTINE_ [PSE]
+PALESTINIAN_
HAMAS_ [PSEREB]
EGYPT_ [EGY]
+EGYPTIAN_
UNITED_NATIONS [IGOUNO]
RUSSIA_ [RUS]
+RUSSIAN_
+KREMLIN_
UKRAINE_ [UKR]
+UKRAINIAN_
+KYIV_
VOLODYMYR_ZELENSKY_ [UKRGOV]
SUDAN_ [SDN]
RAPID_SUPPORT_FORCES [SDNREB]
NIGERIA_ [NGA]
+NIGERIAN_
EUROPEAN_UNION [IGOEEC]
IRAN_ [IRN]
CHINA_ [CHN]
UNITED_STATES [USA]
TAIWAN_ [TWN]
KENYA_ [KEN]
~~FINISH
";

const AGENTS: &str = "\
TROOP [~MIL]
ARMY [~MIL]
SOLDIER [~MIL]
FORCES [~MIL]
POLICE [~COP]
OFFICIAL [~GOV]
MINISTRY [~GOV]
PRESIDENT [~GOV]
MILITANT [~REB]
PROTESTER [~OPP]
MEDIATOR [~GOV]
~~FINISH
";

const VERBS: &str = "\
<SYNSETS>
&WEAPON
+WEAPONS
+ARMS
+MISSILES
</SYNSETS>
RAID [190]
ARREST [173]
ACCUSE [112]
- * $ OF BLOCKING [112]
MEET [036]
- * + IN [036]
URGE [010]
- * + TO PROTECT [020]
LAUNCH [190]
- * A WAVE OF DRONES AT + [195]
CALL_ON [010]
- * + TO SEND [020]
DENY [020]
FOUGHT [190]
IMPOSE [160]
- * NEW SANCTIONS ON + [163]
WARN [130]
- * + AGAINST SELLING &WEAPON [130]
MARCH [140]
SAID [010]
~~FINISH
";

/// `../shared/anchors` beside the workspace (or `$DYAD_ANCHORS`), when present.
fn shared() -> Option<PathBuf> {
    let p = match std::env::var_os("DYAD_ANCHORS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/anchors"),
    };
    p.exists().then_some(p)
}

fn read(p: &Path) -> String {
    let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    formats::decode(&bytes).into_owned()
}

fn small_engine() -> TabariEngine {
    TabariEngine::compile(&[
        DictFile::Actors(
            "bench.actors".into(),
            actors::parse(ACTORS, "bench.actors").0,
        ),
        DictFile::Verbs(
            "bench.verbs".into(),
            tabari_verbs::parse(VERBS, "bench.verbs").0,
        ),
        DictFile::Agents(
            "bench.agents".into(),
            agents::parse(AGENTS, "bench.agents").0,
        ),
    ])
}

/// The `dyad bench` set: CAMEO.080612 verbs, Phoenix actors and agents.
fn phoenix_engine(dir: &Path) -> TabariEngine {
    let mut files = Vec::new();
    for a in [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        let t = read(&dir.join("petrarch2").join(a));
        files.push(DictFile::Actors(a.into(), actors::parse(&t, a).0));
    }
    let v = "CAMEO.080612.verbs";
    let t = read(&dir.join("tabari").join(v));
    files.push(DictFile::Verbs(v.into(), tabari_verbs::parse(&t, v).0));
    let g = "Phoenix.agents.txt";
    let t = read(&dir.join("petrarch2").join(g));
    files.push(DictFile::Agents(g.into(), agents::parse(&t, g).0));
    TabariEngine::compile(&files)
}

fn bench_engine(c: &mut Criterion, name: &str, engine: TabariEngine) {
    let opts = TabariOptions::default();
    let date = Date::new(2024, 3, 12);
    let sents: Vec<&str> = dyad_text::sentences(TEXT)
        .into_iter()
        .filter_map(|r| TEXT.get(r))
        .collect();
    let n = sents.len() as u64;

    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(n));
    g.bench_function("tokenize", |b| {
        b.iter(|| sents.iter().map(|s| stages::words(s)).sum::<usize>())
    });
    g.bench_function("literals", |b| {
        b.iter(|| {
            sents
                .iter()
                .map(|s| stages::literals(&engine, s))
                .sum::<usize>()
        })
    });
    g.bench_function("mark_actors", |b| {
        b.iter(|| {
            sents
                .iter()
                .map(|s| stages::parse(&engine, s, date, &opts).roots())
                .sum::<usize>()
        })
    });
    let parsed: Vec<_> = sents
        .iter()
        .map(|s| stages::parse(&engine, s, date, &opts))
        .collect();
    g.bench_function("match_verbs", |b| {
        b.iter(|| parsed.iter().map(|p| p.code(&opts)).sum::<usize>())
    });
    drop(parsed);

    let coder = TabariCoder::new(engine, opts);
    let article = dyad_model::Article {
        id: "bench".into(),
        text: TEXT.into(),
        date: Some("2024-03-12".into()),
        ..Default::default()
    };
    g.bench_function("code_article", |b| {
        b.iter(|| coder.code(&article).events.len())
    });
    let events = coder.code(&article).events;
    g.bench_function("serialise", |b| {
        let mut buf = Vec::with_capacity(1 << 16);
        b.iter(|| {
            buf.clear();
            for e in &events {
                serde_json::to_writer(&mut buf, e).expect("events serialise");
                buf.push(b'\n');
            }
            buf.len()
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_engine(c, "tabari_small", small_engine());
    match shared() {
        Some(dir) => bench_engine(c, "tabari_phoenix", phoenix_engine(&dir)),
        None => eprintln!("skipped: ../shared/anchors not found (tabari_phoenix benches)"),
    }
}

criterion_group!(tabari_benches, benches);
criterion_main!(tabari_benches);
