//! `dyad code`.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dyad_coder::PhraseCoder;
use dyad_pipeline::read::{normalize_date, Format, ReadOptions, Reject, Source};
use dyad_pipeline::run::{run as run_pipeline, Observer, RunOptions};
use dyad_pipeline::Rejects;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InputFormat {
    /// By file name: .txt is text, .text/.tabari/.rec TABARI records, else JSONL.
    Auto,
    Jsonl,
    Text,
    Tabari,
}

#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Input files or glob patterns; `-` or none reads standard input.
    pub inputs: Vec<String>,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: InputFormat,
    /// Article date (YYYY-MM-DD) for plain-text input.
    #[arg(long)]
    pub date: Option<String>,
    /// Write events here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write rejected records here, unchanged (default: <output>.rejects.jsonl with -o).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Largest article accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_article_bytes: usize,
    /// Coding threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No summary and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// A file created only when the first byte is written to it.
struct LazyFile {
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl Write for LazyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() {
            let f = File::create(&self.path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.path.display())))?;
            self.file = Some(BufWriter::new(f));
        }
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Ok(0),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

struct Report {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Observer for Report {
    fn rejected(&mut self, r: &Reject) {
        self.println(&format!("dyad: {r}"));
    }
    fn input_error(&mut self, input: &str, e: &io::Error) {
        self.println(&format!("dyad: {input}: {e}"));
    }
    fn progress(&mut self, articles: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            b.set_position(bytes);
            b.set_message(format!("{articles} articles"));
        }
    }
}

impl Report {
    fn println(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
        let _ = self.quiet;
    }
}

fn expand_inputs(inputs: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for i in inputs {
        let is_glob = i.contains(['*', '?', '[']) && !std::path::Path::new(i).exists();
        if !is_glob {
            out.push(i.clone());
            continue;
        }
        let paths = glob::glob(i).with_context(|| format!("bad glob pattern {i:?}"))?;
        let mut found: Vec<String> = paths
            .filter_map(|p| p.ok())
            .filter(|p| p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        if found.is_empty() {
            bail!("{i}: no file matches this pattern");
        }
        found.sort();
        out.extend(found);
    }
    if out.is_empty() {
        out.push("-".into());
    }
    Ok(out)
}

pub fn run(args: CodeArgs) -> Result<u8> {
    let date = match &args.date {
        None => None,
        Some(d) => {
            Some(normalize_date(d).with_context(|| format!("--date {d:?}: want YYYY-MM-DD"))?)
        }
    };
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting the coding threads")?;
    }
    let inputs = expand_inputs(&args.inputs)?;
    let dict = dyad_dict::builtin::dictionary().context("loading the built-in dictionaries")?;
    let coder = PhraseCoder::new(dict);

    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let rejects_path = args.rejects.clone().or_else(|| {
        args.output.as_ref().map(|p| {
            let mut s = p.clone().into_os_string();
            s.push(".rejects.jsonl");
            PathBuf::from(s)
        })
    });
    let mut rejects = Rejects::new(
        rejects_path
            .clone()
            .map(|path| Box::new(LazyFile { path, file: None }) as Box<dyn Write + Send>),
    );

    let total: u64 = inputs
        .iter()
        .filter(|i| *i != "-")
        .filter_map(|i| std::fs::metadata(i).ok())
        .map(|m| m.len())
        .sum();
    let bar = (!args.quiet && io::stderr().is_terminal() && total > 0).then(|| {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let mut report = Report {
        bar,
        quiet: args.quiet,
    };
    let opts = ReadOptions {
        max_record_bytes: args.max_article_bytes,
        date,
    };
    let format = args.format;
    let sources = inputs.iter().map(|name| {
        let fmt = match format {
            InputFormat::Auto => Format::guess(name),
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Text => Format::Text,
            InputFormat::Tabari => Format::Tabari,
        };
        if name == "-" {
            let r: Box<dyn io::BufRead + Send> = Box::new(BufReader::new(io::stdin()));
            return Ok(Source::new("<stdin>", r, fmt, opts.clone()));
        }
        match File::open(name) {
            Ok(f) => {
                let r: Box<dyn io::BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, f));
                Ok(Source::new(name.clone(), r, fmt, opts.clone()))
            }
            Err(e) => Err((name.clone(), e)),
        }
    });
    let start = Instant::now();
    let summary = run_pipeline(
        sources,
        &coder,
        &mut out,
        &mut rejects,
        &mut report,
        &RunOptions::default(),
    )
    .context("writing events")?;
    if let Some(b) = &report.bar {
        b.finish_and_clear();
    }
    let secs = start.elapsed().as_secs_f64();
    if !args.quiet {
        let kept = match (&rejects_path, summary.rejected) {
            (_, 0) => String::new(),
            (Some(p), _) => format!(" (kept in {})", p.display()),
            (None, _) => " (not kept: use --rejects FILE)".into(),
        };
        eprintln!(
            "dyad: {} articles read, {} rejected{kept}, {} sentences, {} events; {:.1} MB in {:.2} s",
            summary.articles,
            summary.rejected,
            summary.sentences,
            summary.events,
            summary.bytes as f64 / 1e6,
            secs
        );
    }
    Ok(if summary.input_errors > 0 {
        crate::EXIT_ERROR
    } else if summary.rejected > 0 {
        crate::EXIT_REJECTS
    } else {
        0
    })
}
