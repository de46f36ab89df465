//! Gazetteer cost per news sentence: `find` + `resolve`, on top of tokenising.
//!
//! `cargo bench -p dyad-geo -- --warm-up-time 1 --measurement-time 3`
//!
//! It also prints the load time, `memory_bytes` and the process's resident-memory growth
//! while loading.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_geo::{gazetteer, Context};
use dyad_text::Tokens;

const SENTENCES: &[&str] = &[
    "BAGHDAD (Reuters) - Iraqi Prime Minister Mohamed Shia al-Sudani reiterated his stance on \
     Tuesday that the U.S.-led coalition must leave the country.",
    "A drone strike killed a commander of Harakat al-Nujaba in eastern Baghdad on Thursday, \
     two security sources said.",
    "Militants launched rockets at Ain al-Asad air base in Anbar province and at a U.S. \
     garrison near Erbil.",
    "The Pentagon said there had been at least 130 attacks, including 53 in Iraq and 77 in \
     Syria, from October 17 to January 11.",
    "Three U.S. soldiers were killed at Tower 22, a small outpost in Jordan near the Syrian \
     border.",
    "Israeli tanks pushed into Khan Younis as aid trucks queued at the Rafah crossing and \
     Kerem Shalom.",
    "Russian missiles hit Kharkiv and Odesa overnight, while fighting continued around \
     Avdiivka in the Donbas.",
    "Protesters gathered in Nairobi, Mombasa and Kisumu on Wednesday to demand the \
     president's resignation.",
    "The minister said the talks in Geneva would resume next week, according to a statement \
     released in Washington.",
    "Gunmen on motorcycles attacked a village near Maiduguri in Borno State, killing at \
     least 12 people.",
];

fn load_report() {
    let rss = || -> Option<u64> {
        let s = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
        Some(pages * 4096)
    };
    let before = rss();
    let t = Instant::now();
    let g = gazetteer();
    let load = t.elapsed();
    let after = rss();
    let (names, keys) = g.names();
    eprintln!(
        "gazetteer: {} places, {} names ({} keys); load {:.0} ms; \
         memory_bytes {:.1} MB; RSS +{:.1} MB",
        g.len(),
        names,
        keys,
        load.as_secs_f64() * 1000.0,
        g.memory_bytes() as f64 / 1e6,
        after
            .zip(before)
            .map_or(0.0, |(a, b)| a.saturating_sub(b) as f64 / 1e6),
    );
}

fn bench(c: &mut Criterion) {
    load_report();
    let g = gazetteer();
    let toks: Vec<Tokens> = SENTENCES.iter().map(|s| dyad_text::tokenize(s)).collect();
    let ctx = Context::new(["IRQ"]);

    let mut grp = c.benchmark_group("sentence");
    grp.throughput(Throughput::Elements(SENTENCES.len() as u64));
    grp.bench_function("tokenize", |b| {
        let mut t = Tokens::default();
        b.iter(|| {
            let mut n = 0;
            for s in SENTENCES {
                t.fill(s, 0..s.len());
                n += t.len();
            }
            n
        })
    });
    grp.bench_function("find", |b| {
        b.iter(|| {
            let mut n = 0;
            for (s, t) in SENTENCES.iter().zip(&toks) {
                n += g.find(black_box(s), t).len();
            }
            n
        })
    });
    grp.bench_function("find+resolve", |b| {
        b.iter(|| {
            let mut n = 0;
            for (s, t) in SENTENCES.iter().zip(&toks) {
                let found = g.find(black_box(s), t);
                let mut cx = ctx.clone();
                cx.add_mentions(g, &found);
                for f in &found {
                    if let Some(p) = g.resolve(f, &cx) {
                        n += p.geonames_id as usize;
                    }
                }
            }
            n
        })
    });
    grp.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
