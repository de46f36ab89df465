//! `dyad bench`: code a corpus and report speed and memory, the end-to-end benchmark.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use dyad_coder::PhraseCoder;
use dyad_pipeline::read::{Format, ReadOptions, Reject, Source};
use dyad_pipeline::run::{run as run_pipeline, Observer, RunOptions};
use dyad_pipeline::Rejects;

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
}

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

pub fn run(args: BenchArgs) -> Result<u8> {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build_global()
        .context("starting the coding threads")?;

    let t0 = Instant::now();
    let dict = dyad_dict::builtin::dictionary().context("loading the built-in dictionaries")?;
    let dict_load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let phrases = dict.phrase_count();
    let coder = PhraseCoder::new(dict);

    let mut sources = Vec::new();
    let mut input_bytes = 0u64;
    for p in &args.corpus {
        let f = File::open(p).with_context(|| format!("{}: cannot open", p.display()))?;
        input_bytes += f.metadata().map(|m| m.len()).unwrap_or(0);
        let r: Box<dyn io::BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, f));
        sources.push(Ok(Source::new(
            p.display().to_string(),
            r,
            Format::Jsonl,
            ReadOptions::default(),
        )));
    }
    let mut sink = io::sink();
    let mut rejects = Rejects::new(None);
    let t1 = Instant::now();
    let summary = run_pipeline(
        sources,
        &coder,
        &mut sink,
        &mut rejects,
        &mut Quiet,
        &RunOptions::default(),
    )?;
    let secs = t1.elapsed().as_secs_f64().max(1e-9);
    let sentences_per_sec = summary.sentences as f64 / secs;
    let mb_per_sec = input_bytes as f64 / 1e6 / secs;
    let peak = peak_rss_mb();
    println!("dictionary: built-in, {phrases} phrases, loaded in {dict_load_ms:.1} ms");
    println!(
        "coded {} articles, {} sentences, {} events from {:.1} MB in {secs:.2} s on {threads} thread(s)",
        summary.articles,
        summary.sentences,
        summary.events,
        input_bytes as f64 / 1e6
    );
    println!(
        "{sentences_per_sec:.0} sentences/s ({:.0} per thread), {mb_per_sec:.1} MB/s, peak RSS {peak:.0} MB",
        sentences_per_sec / threads as f64
    );
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "sentences_per_sec": sentences_per_sec,
                "sentences_per_sec_per_thread": sentences_per_sec / threads as f64,
                "mb_per_sec": mb_per_sec,
                "threads": threads,
                "peak_rss_mb": peak,
                "dict_load_ms": dict_load_ms,
                "articles": summary.articles,
                "sentences": summary.sentences,
                "events": summary.events,
                "seconds": secs,
            })
        );
    }
    Ok(0)
}
