//! Criterion benches for the coder's hot stages: dictionary phrase matching on a tokenised
//! sentence, and whole-article coding with the built-in dictionaries.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_coder::{Coder, PhraseCoder};

const TEXT: &str = "BAGHDAD (Reuters) - Iraqi Prime Minister Mohammed Shia al-Sudani called on \
Thursday for a timetable for the departure of U.S.-led coalition forces from Iraq. Kata'ib \
Hezbollah fighters fired rockets at a base hosting U.S. troops in western Iraq on Wednesday, \
the Pentagon said. U.S. forces struck back with air strikes against the group near the Syrian \
border. Iraqi officials condemned the strikes as a violation of Iraq's sovereignty, while \
Washington accused Iran of arming the militias.";

fn benches(c: &mut Criterion) {
    let dict = dyad_dict::builtin::dictionary().expect("built-in dictionary");
    let ranges = dyad_text::sentences(TEXT);
    let tokens: Vec<_> = ranges
        .iter()
        .map(|r| dyad_text::Tokens::new(TEXT, r.clone()))
        .collect();

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Elements(ranges.len() as u64));
    g.bench_function("match_phrases", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &tokens {
                dict.find(TEXT, t, &mut out);
                n += out.len();
            }
            n
        })
    });
    g.finish();

    let coder = PhraseCoder::new(dict);
    let article = dyad_model::Article {
        id: "bench".into(),
        text: TEXT.into(),
        date: Some("2024-01-19".into()),
        ..Default::default()
    };
    let mut g = c.benchmark_group("article");
    g.throughput(Throughput::Bytes(TEXT.len() as u64));
    g.bench_function("code_article", |b| {
        b.iter(|| coder.code(&article).events.len())
    });
    g.finish();
}

criterion_group!(coder_benches, benches);
criterion_main!(coder_benches);
