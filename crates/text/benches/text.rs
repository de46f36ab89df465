//! Sentence splitting and tokenisation throughput on news text.
//!
//! `cargo bench -p dyad-text -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_text::{sentences, sentences_rules_only, Tokens};

const PARAGRAPH: &str = "BAGHDAD (Reuters) - Iraqi Prime Minister Mohamed Shia al-Sudani \
reiterated his stance on Tuesday that the U.S.-led coalition must leave the country by Sept. 2026, \
officials said. The coalition, which has about 2,500 U.S. troops in Iraq, said 1,200 of them would \
leave by Jan. 4. \"We will not accept any attacks on our sovereignty,\" Sudani’s office said in a \
statement. Gen. John Smith met Lt. Col. Ahmed Ali of the Popular Mobilisation Forces at 10 a.m. \
Monday to discuss the withdrawal. Rockets hit the Green Zone late on Sunday, but nobody was hurt, \
according to a security source. Kata’ib Hezbollah, an Iran-backed militia, didn't claim the attack.";

/// About 25 words, typical of a news sentence.
const SENTENCE: &str = "Iraqi Prime Minister Mohamed Shia al-Sudani reiterated his stance on \
Tuesday that the U.S.-led coalition must leave the country by the end of next year, officials said.";

fn bench(c: &mut Criterion) {
    let n_sent = sentences(PARAGRAPH).len() as u64;

    let mut g = c.benchmark_group("paragraph");
    g.throughput(Throughput::Elements(n_sent));
    g.bench_function("split", |b| b.iter(|| sentences(black_box(PARAGRAPH))));
    g.bench_function("split rules-only", |b| {
        b.iter(|| sentences_rules_only(black_box(PARAGRAPH)))
    });
    g.bench_function("split rules-only+tokenize", |b| {
        let mut toks = Tokens::default();
        b.iter(|| {
            let mut n = 0;
            for r in sentences_rules_only(black_box(PARAGRAPH)) {
                toks.fill(PARAGRAPH, r);
                n += toks.len();
            }
            n
        })
    });
    g.bench_function("split+tokenize", |b| {
        let mut toks = Tokens::default();
        b.iter(|| {
            let mut n = 0;
            for r in sentences(black_box(PARAGRAPH)) {
                toks.fill(PARAGRAPH, r);
                n += toks.len();
            }
            n
        })
    });
    g.bench_function("tokenize", |b| {
        let ranges = sentences(PARAGRAPH);
        let mut toks = Tokens::default();
        b.iter(|| {
            let mut n = 0;
            for r in &ranges {
                toks.fill(black_box(PARAGRAPH), r.clone());
                n += toks.len();
            }
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("sentence");
    g.throughput(Throughput::Elements(1));
    g.bench_function("tokenize 25 words", |b| {
        let mut toks = Tokens::default();
        b.iter(|| {
            toks.fill(black_box(SENTENCE), 0..SENTENCE.len());
            toks.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
