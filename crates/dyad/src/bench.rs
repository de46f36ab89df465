//! `dyad bench`: code a corpus and report speed and memory, the end-to-end benchmark.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use dyad_coder::{Coder, PhraseCoder};
use dyad_model::Article;
use dyad_pipeline::read::{Format, Item, ReadOptions, Reject, Source};
use dyad_pipeline::run::{run as run_pipeline, Observer, RunOptions, Summary};
use dyad_pipeline::Rejects;
use rayon::prelude::*;

use crate::code::{load_dicts, DictArgs};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// JSONL corpus files (generate one with scripts/gen-corpus.sh).
    #[arg(required = true)]
    pub corpus: Vec<PathBuf>,
    /// Coding threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print one JSON object as the last line.
    #[arg(long)]
    pub json: bool,
    /// Code only: do not serialise the events (by default they are serialised to JSON, as
    /// `dyad code` does, and thrown away).
    #[arg(long)]
    pub no_output: bool,
    /// Write every phrase of the given dictionaries to FILE, one per line, for the floor
    /// comparison `rg -F -i -f FILE CORPUS` (see BENCHMARKS.md).
    #[arg(long, value_name = "FILE")]
    pub dump_phrases: Option<PathBuf>,
    #[command(flatten)]
    pub dicts: DictArgs,
}

/// Articles of the corpus on which the gazetteer lookup is timed.
const GEO_SAMPLE_ARTICLES: usize = 5_000;

struct Quiet;

impl Observer for Quiet {
    fn rejected(&mut self, _: &Reject) {}
    fn input_error(&mut self, input: &str, e: &io::Error) {
        eprintln!("dyad: {input}: {e}");
    }
}

/// Peak resident memory of this process in MB, from /proc (0 where there is none).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time (user + system) of this process so far, in seconds, from /proc (`None` where
/// there is none). On a shared machine it shows how much of the wall time was ours.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name (which is in parentheses and may hold blanks)
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0) // clock ticks: 100 per second on Linux
}

/// Resident memory of this process now, in MB, from /proc (0 where there is none).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / 1e6)
}

/// The gazetteer's cost: loading it, its memory, and the place lookup per sentence.
struct GeoCost {
    places: usize,
    load_ms: f64,
    /// Heap bytes the loaded gazetteer holds (`Gazetteer::memory_bytes`), in MB.
    heap_mb: f64,
    /// Growth of the resident memory while loading, in MB.
    rss_mb: f64,
    sentences: u64,
    /// Seconds spent in `find`, `Context::add_mentions` and `resolve`, on one thread.
    lookup_secs: f64,
    /// CPU seconds over wall seconds of the whole measuring loop: on a shared machine the
    /// lookup's wall time is scaled by it to estimate its CPU time.
    cpu_share: f64,
}

impl GeoCost {
    /// Load the gazetteer (before anything else is loaded, so that the memory growth is its
    /// own).
    fn load() -> GeoCost {
        let rss0 = rss_mb();
        let t = Instant::now();
        let geo = dyad_geo::gazetteer();
        let load_ms = t.elapsed().as_secs_f64() * 1e3;
        GeoCost {
            places: geo.len(),
            load_ms,
            heap_mb: geo.memory_bytes() as f64 / 1e6,
            rss_mb: rss_mb() - rss0,
            sentences: 0,
            lookup_secs: 0.0,
            cpu_share: 1.0,
        }
    }

    /// Time the place lookup, as the phrase coder does it, on the first `max` articles of the
    /// corpus: sentences are split and tokenised untimed, then toponyms found, the article's
    /// context updated and every toponym resolved, timed.
    fn measure(&mut self, corpus: &std::path::Path, max: usize) -> Result<()> {
        let geo = dyad_geo::gazetteer();
        let f = File::open(corpus).with_context(|| format!("{}: cannot open", corpus.display()))?;
        let mut source = Source::new(
            corpus.display().to_string(),
            Box::new(BufReader::new(f)),
            Format::Jsonl,
            ReadOptions::default(),
        );
        let mut rejects = Rejects::new(None);
        let mut tokens = dyad_text::Tokens::default();
        let mut articles = 0;
        let (wall0, cpu0) = (Instant::now(), cpu_seconds());
        while articles < max {
            let Some(item) = source.next_item(&mut rejects)? else {
                break;
            };
            let Item::Article(a) = item else { continue };
            articles += 1;
            let mut context = dyad_geo::Context::default();
            for r in dyad_text::sentences(&a.text) {
                tokens.fill(&a.text, r);
                let t = Instant::now();
                let found = geo.find(&a.text, &tokens);
                context.add_mentions(geo, &found);
                for tp in &found {
                    std::hint::black_box(geo.resolve(tp, &context));
                }
                self.lookup_secs += t.elapsed().as_secs_f64();
                self.sentences += 1;
            }
        }
        let wall = wall0.elapsed().as_secs_f64();
        if let (Some(a), Some(b)) = (cpu0, cpu_seconds()) {
            if wall > 0.0 && b > a {
                self.cpu_share = ((b - a) / wall).min(1.0);
            }
        }
        Ok(())
    }

    /// Estimated CPU microseconds of lookup per sentence.
    fn us_per_sentence(&self) -> f64 {
        self.lookup_secs * self.cpu_share * 1e6 / self.sentences.max(1) as f64
    }
}

/// The pipeline's batching without the serialisation: read, code in parallel, count.
fn run_coding_only(sources: Vec<Source>, coder: &dyn Coder) -> io::Result<Summary> {
    let opts = RunOptions::default();
    let mut summary = Summary::default();
    let mut rejects = Rejects::new(None);
    let mut batch: Vec<Article> = Vec::new();
    let mut batch_bytes = 0usize;
    let flush = |batch: &mut Vec<Article>, summary: &mut Summary| {
        let counts: Vec<(usize, usize)> = batch
            .par_chunks(dyad_coder::CODE_MANY_CHUNK)
            .flat_map_iter(|chunk| {
                coder
                    .code_many(chunk)
                    .into_iter()
                    .map(|c| (c.sentences, c.events.len()))
            })
            .collect();
        for (a, (s, e)) in batch.iter().zip(counts) {
            summary.articles += 1;
            summary.bytes += a.text.len() as u64;
            summary.sentences += s as u64;
            summary.events += e as u64;
        }
        batch.clear();
    };
    for mut source in sources {
        while let Some(item) = source.next_item(&mut rejects)? {
            match item {
                Item::Article(a) => {
                    batch_bytes += a.text.len();
                    batch.push(a);
                    if batch.len() >= opts.batch_articles || batch_bytes >= opts.batch_bytes {
                        flush(&mut batch, &mut summary);
                        batch_bytes = 0;
                    }
                }
                Item::Rejected(_) => summary.rejected += 1,
            }
        }
    }
    flush(&mut batch, &mut summary);
    Ok(summary)
}

pub fn run(args: BenchArgs) -> Result<u8> {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build_global()
        .context("starting the coding threads")?;

    // The built-in engine places events with the gazetteer: load it first, alone, to see its
    // memory.
    let mut geo = (!args.dicts.any()).then(GeoCost::load);
    let t0 = Instant::now();
    let loaded = load_dicts(&args.dicts, &mut |m| eprintln!("{m}"))?;
    let (coder, dict_line, parse_ms, compile_ms, diagnostics): (Box<dyn Coder>, _, _, _, _) =
        match loaded {
            Some(l) => {
                if let Some(path) = &args.dump_phrases {
                    let mut text = l.phrases().join("\n");
                    text.push('\n');
                    std::fs::write(path, text)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                let line = l.summary();
                let (p, c, d) = (l.parse_ms, l.compile_ms, l.diagnostics);
                (l.into_coder(), line, p, c, d)
            }
            None => {
                let dict = dyad_dict::builtin::dictionary()
                    .context("loading the built-in dictionaries")?;
                let ms = t0.elapsed().as_secs_f64() * 1e3;
                let line = format!(
                    "dictionary: built-in, {} phrases, loaded in {ms:.1} ms",
                    dict.phrase_count()
                );
                (Box::new(PhraseCoder::new(dict)), line, ms, 0.0, 0)
            }
        };
    let dict_load_ms = t0.elapsed().as_secs_f64() * 1e3;

    let mut sources = Vec::new();
    let mut input_bytes = 0u64;
    for p in &args.corpus {
        let f = File::open(p).with_context(|| format!("{}: cannot open", p.display()))?;
        input_bytes += f.metadata().map(|m| m.len()).unwrap_or(0);
        let r: Box<dyn io::BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, f));
        sources.push(Source::new(
            p.display().to_string(),
            r,
            Format::Jsonl,
            ReadOptions::default(),
        ));
    }
    let cpu0 = cpu_seconds();
    let t1 = Instant::now();
    let summary = if args.no_output {
        run_coding_only(sources, coder.as_ref())?
    } else {
        let mut sink = io::sink();
        let mut rejects = Rejects::new(None);
        run_pipeline(
            sources.into_iter().map(Ok),
            coder.as_ref(),
            &mut sink,
            &mut rejects,
            &mut Quiet,
            &RunOptions::default(),
        )?
    };
    let secs = t1.elapsed().as_secs_f64().max(1e-9);
    let cpu = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let sentences_per_sec = summary.sentences as f64 / secs;
    let mb_per_sec = input_bytes as f64 / 1e6 / secs;
    let peak = peak_rss_mb();
    let what = if args.no_output {
        "coded (no output)"
    } else {
        "coded and serialised"
    };
    println!("{dict_line}");
    println!("dictionary load: {dict_load_ms:.1} ms (parse {parse_ms:.1} ms, compile {compile_ms:.1} ms)");
    println!(
        "{what} {} articles, {} sentences, {} events from {:.1} MB in {secs:.2} s on {threads} thread(s)",
        summary.articles,
        summary.sentences,
        summary.events,
        input_bytes as f64 / 1e6
    );
    println!(
        "{sentences_per_sec:.0} sentences/s ({:.0} per thread), {mb_per_sec:.1} MB/s, peak RSS {peak:.0} MB",
        sentences_per_sec / threads as f64
    );
    if let Some(c) = cpu {
        println!(
            "CPU time {c:.2} s ({:.0}% of the wall time on {threads} thread(s)): {:.0} sentences per CPU second",
            100.0 * c / secs / threads as f64,
            summary.sentences as f64 / c
        );
    }
    // The gazetteer's share: its lookup per sentence against the coding CPU time per sentence.
    let coding_us = cpu.map(|c| c * 1e6 / summary.sentences.max(1) as f64);
    if let Some(g) = geo.as_mut() {
        if let Some(first) = args.corpus.first() {
            g.measure(first, GEO_SAMPLE_ARTICLES)?;
        }
        println!(
            "gazetteer: {} places, loaded in {:.1} ms, {:.1} MB heap, resident memory +{:.1} MB",
            g.places, g.load_ms, g.heap_mb, g.rss_mb
        );
        let share = coding_us
            .map(|c| {
                format!(
                    ", {:.1}% of the {c:.1} µs CPU per coded sentence",
                    100.0 * g.us_per_sentence() / c
                )
            })
            .unwrap_or_default();
        println!(
            "gazetteer lookup (find, context, resolve; {} sentences, one thread): {:.2} µs CPU per sentence{share}",
            g.sentences,
            g.us_per_sentence()
        );
    }
    if args.json {
        let geo_json = geo.as_ref().map(|g| {
            serde_json::json!({
                "places": g.places,
                "load_ms": g.load_ms,
                "heap_mb": g.heap_mb,
                "rss_mb": g.rss_mb,
                "sentences": g.sentences,
                "us_per_sentence": g.us_per_sentence(),
                "cpu_share": g.cpu_share,
                "share_of_coding": coding_us.map(|c| g.us_per_sentence() / c),
            })
        });
        println!(
            "{}",
            serde_json::json!({
                "gazetteer": geo_json,
                "engine": if args.dicts.any() { "tabari" } else { "builtin" },
                "serialised": !args.no_output,
                "sentences_per_sec": sentences_per_sec,
                "sentences_per_sec_per_thread": sentences_per_sec / threads as f64,
                "mb_per_sec": mb_per_sec,
                "threads": threads,
                "peak_rss_mb": peak,
                "dict_load_ms": dict_load_ms,
                "dict_parse_ms": parse_ms,
                "dict_compile_ms": compile_ms,
                "dict_diagnostics": diagnostics,
                "articles": summary.articles,
                "sentences": summary.sentences,
                "events": summary.events,
                "seconds": secs,
                "cpu_seconds": cpu,
                "sentences_per_cpu_sec": cpu.map(|c| summary.sentences as f64 / c),
            })
        );
    }
    Ok(0)
}
