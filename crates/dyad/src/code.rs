//! `dyad code`.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dyad_coder::petrarch::{PetrDict, PetrarchCoder, PetrarchEngine, PetrarchOptions};
use dyad_coder::tabari::{DictFile, TabariCoder, TabariEngine, TabariOptions};
use dyad_coder::{Coder, PhraseCoder};
use dyad_dict::formats::{
    self, actors, agents, discards, options, petrarch_verbs, project, tabari_verbs, Diagnostic,
};
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
    /// Store the events in this database, a SQLite file or a postgres:// URL (see `dyad
    /// ingest`); JSONL is then written only with -o.
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// Articles per batch coded and written together.
    #[arg(long, default_value_t = 512, hide = true)]
    pub batch_articles: usize,
    /// Articles per store transaction with --db (whole batches: at least one batch).
    #[arg(long, default_value_t = crate::ingest::STORE_BATCH_ARTICLES, hide = true)]
    pub db_batch_articles: usize,
    /// Events per store transaction with --db, at most (whole batches: at least one batch).
    #[arg(long, default_value_t = dyad_store::INGEST_BATCH_EVENTS, hide = true)]
    pub db_batch_events: usize,
    #[command(flatten)]
    pub dicts: DictArgs,
}

/// The field's dictionaries. With none of these flags, dyad codes with its built-in
/// dictionaries and its own phrase coder; with any of them, with the TABARI engine, or with
/// the PETRARCH engine when the verb files are PETRARCH-1/2 files.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Dictionaries (TABARI engine)")]
pub struct DictArgs {
    /// A verb file; repeatable. TABARI .verbs files (CAMEO.080612.verbs) select the TABARI
    /// engine; PETRARCH-1 and PETRARCH-2 verb files (CAMEO.verbpatterns.*.txt,
    /// CAMEO.2.0.txt) the PETRARCH engine (which codes plain text through its own shallow
    /// parser). The two kinds cannot be mixed.
    #[arg(long, value_name = "FILE")]
    pub verbs: Vec<PathBuf>,
    /// An actors file: TABARI .actors or PETRARCH/Phoenix (Phoenix.Countries.actors.txt);
    /// repeatable.
    #[arg(long, value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    /// An agents file: TABARI .agents or PETRARCH/Phoenix (Phoenix.agents.txt); repeatable.
    #[arg(long, value_name = "FILE")]
    pub agents: Vec<PathBuf>,
    /// A discards file (Phoenix.discards.txt; PETRARCH engine); repeatable.
    #[arg(long, value_name = "FILE")]
    pub discards: Vec<PathBuf>,
    /// A TABARI .options file (replaces the project's).
    #[arg(long, value_name = "FILE")]
    pub options: Option<PathBuf>,
    /// A TABARI .project naming actors, verbs, agents and options files (paths relative to
    /// the project); files given by the flags above come after the project's.
    #[arg(long, value_name = "FILE")]
    pub project: Option<PathBuf>,
}

impl DictArgs {
    /// Whether any dictionary was given (the TABARI engine is then used).
    pub fn any(&self) -> bool {
        !self.verbs.is_empty()
            || !self.actors.is_empty()
            || !self.agents.is_empty()
            || !self.discards.is_empty()
            || self.options.is_some()
            || self.project.is_some()
    }
}

/// The engine built from the files of [`DictArgs`].
pub enum DictEngine {
    Tabari(Box<TabariCoder>),
    Petrarch(Box<PetrarchCoder>),
}

/// The engine built from the files of [`DictArgs`], with what loading took.
pub struct LoadedDicts {
    pub coder: DictEngine,
    /// Files in the order they were compiled (options last).
    pub files: Vec<PathBuf>,
    /// Diagnostics of the parsers and of the compiler (each already printed).
    pub diagnostics: usize,
    /// Reading and parsing the files, in milliseconds.
    pub parse_ms: f64,
    /// Compiling the parsed files into the engine, in milliseconds.
    pub compile_ms: f64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DictKind {
    Actors,
    Verbs,
    Agents,
    Discards,
}

/// One parsed dictionary file.
enum Parsed {
    /// Actors, agents or a TABARI verb file.
    Common(DictFile),
    PetrarchVerbs(String, dyad_dict::formats::petrarch_verbs::VerbDictionary),
    Discards(String, dyad_dict::formats::discards::DiscardFile),
}

fn read_dict_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(formats::decode(&bytes).into_owned())
}

/// A PETRARCH verb file: `--- NAME [code] ---` block headers or a `#### VERB PATTERNS`
/// section marker (a TABARI .verbs file has neither).
fn is_petrarch_verbs(text: &str) -> bool {
    text.lines().take(5000).any(|l| {
        let t = l.trim();
        (t.starts_with("--- ") && t.ends_with("---") && t.len() > 7)
            || (t.starts_with("####") && t.contains("VERB PATTERNS"))
    })
}

/// The name an engine knows a file by (in `evidence.rule`): its file name.
fn short_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads and parses one dictionary file, with the diagnostics of its parser.
fn parse_dict(kind: DictKind, path: &Path) -> Result<(Parsed, Vec<Diagnostic>)> {
    let text = read_dict_text(path)?;
    let shown = path.display().to_string();
    let name = short_name(path);
    Ok(match kind {
        DictKind::Actors => {
            let (f, d) = actors::parse(&text, &shown);
            (Parsed::Common(DictFile::Actors(name, f)), d)
        }
        DictKind::Agents => {
            let (f, d) = agents::parse(&text, &shown);
            (Parsed::Common(DictFile::Agents(name, f)), d)
        }
        DictKind::Discards => {
            let (f, d) = discards::parse(&text, &shown);
            (Parsed::Discards(name, f), d)
        }
        DictKind::Verbs => {
            if is_petrarch_verbs(&text) {
                let (f, d) = petrarch_verbs::parse(&text, &shown);
                (Parsed::PetrarchVerbs(name, f), d)
            } else {
                let (f, d) = tabari_verbs::parse(&text, &shown);
                (Parsed::Common(DictFile::Verbs(name, f)), d)
            }
        }
    })
}

/// Loads the dictionaries of `args` into a TABARI engine, printing every diagnostic
/// (`file:line: message`, the line skipped) through `say`. `Ok(None)` when no dictionary
/// flag was given. A file that cannot be read is an error naming it.
pub fn load_dicts(args: &DictArgs, say: &mut dyn FnMut(&str)) -> Result<Option<LoadedDicts>> {
    if !args.any() {
        return Ok(None);
    }
    let t0 = Instant::now();
    let mut wanted: Vec<(DictKind, PathBuf)> = Vec::new();
    let mut options_path: Option<PathBuf> = None;
    let mut diags: Vec<Diagnostic> = Vec::new();
    if let Some(p) = &args.project {
        let text = read_dict_text(p)?;
        let (proj, d) = project::parse(&text, &p.display().to_string());
        diags.extend(d);
        let dir = p.parent().unwrap_or(Path::new("."));
        for f in &proj.files {
            let path = dir.join(f.path.trim());
            match f.kind.as_str() {
                "actorsfile" => wanted.push((DictKind::Actors, path)),
                "verbsfile" => wanted.push((DictKind::Verbs, path)),
                "agentsfile" => wanted.push((DictKind::Agents, path)),
                "optionsfile" => options_path = Some(path),
                _ => {}
            }
        }
    }
    wanted.extend(args.actors.iter().map(|p| (DictKind::Actors, p.clone())));
    wanted.extend(args.verbs.iter().map(|p| (DictKind::Verbs, p.clone())));
    wanted.extend(args.agents.iter().map(|p| (DictKind::Agents, p.clone())));
    wanted.extend(
        args.discards
            .iter()
            .map(|p| (DictKind::Discards, p.clone())),
    );
    if let Some(p) = &args.options {
        options_path = Some(p.clone());
    }
    // The files are independent: parse them side by side (the big actor files dominate).
    let parsed: Vec<Result<(Parsed, Vec<Diagnostic>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = wanted
            .iter()
            .map(|(kind, path)| s.spawn(move || parse_dict(*kind, path)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a dictionary parser failed")))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(parsed.len());
    for r in parsed {
        let (f, d) = r?;
        all.push(f);
        diags.extend(d);
    }
    let petrarch = all.iter().any(|f| matches!(f, Parsed::PetrarchVerbs(..)));
    if petrarch
        && all
            .iter()
            .any(|f| matches!(f, Parsed::Common(DictFile::Verbs(..))))
    {
        bail!("TABARI and PETRARCH verb files cannot be mixed: give the verb files of one engine");
    }
    if petrarch {
        if options_path.is_some() {
            bail!("--options and --project are TABARI files; the PETRARCH engine takes none");
        }
        // (TABARI verb files were refused above.)
        let files: Vec<PetrDict> = all
            .into_iter()
            .filter_map(|f| match f {
                Parsed::Common(DictFile::Actors(n, a)) => Some(PetrDict::Actors(n, a)),
                Parsed::Common(DictFile::Agents(n, a)) => Some(PetrDict::Agents(n, a)),
                Parsed::Common(DictFile::Verbs(..)) => None,
                Parsed::PetrarchVerbs(n, v) => Some(PetrDict::Verbs(n, v)),
                Parsed::Discards(n, d) => Some(PetrDict::Discards(n, d)),
            })
            .collect();
        let parse_ms = t0.elapsed().as_secs_f64() * 1e3;
        let t1 = Instant::now();
        let engine = PetrarchEngine::compile(&files);
        let compile_ms = t1.elapsed().as_secs_f64() * 1e3;
        for d in &diags {
            say(&format!("dyad: {d}"));
        }
        for d in engine.notes() {
            say(&format!("dyad: {d}"));
        }
        let diagnostics = diags.len() + engine.notes().len();
        return Ok(Some(LoadedDicts {
            coder: DictEngine::Petrarch(Box::new(PetrarchCoder::new(
                engine,
                PetrarchOptions::default(),
            ))),
            files: wanted.into_iter().map(|(_, p)| p).collect(),
            diagnostics,
            parse_ms,
            compile_ms,
        }));
    }
    let mut files = Vec::with_capacity(all.len());
    for f in all {
        match f {
            Parsed::Common(f) => files.push(f),
            Parsed::Discards(n, _) => {
                bail!("{n}: discards files are read by the PETRARCH engine only (give PETRARCH verb files)")
            }
            Parsed::PetrarchVerbs(..) => {}
        }
    }
    let mut opts = TabariOptions::default();
    if let Some(p) = &options_path {
        let text = read_dict_text(p)?;
        let (of, d) = options::parse(&text, &p.display().to_string());
        diags.extend(d);
        opts = TabariOptions::from_file(&of);
    }
    let parse_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t1 = Instant::now();
    let engine = TabariEngine::compile(&files);
    let compile_ms = t1.elapsed().as_secs_f64() * 1e3;
    drop(files);
    for d in &diags {
        say(&format!("dyad: {d}"));
    }
    for d in &engine.diagnostics {
        say(&format!("dyad: {d}"));
    }
    let diagnostics = diags.len() + engine.diagnostics.len();
    let mut paths: Vec<PathBuf> = wanted.into_iter().map(|(_, p)| p).collect();
    paths.extend(options_path);
    Ok(Some(LoadedDicts {
        coder: DictEngine::Tabari(Box::new(TabariCoder::new(engine, opts))),
        files: paths,
        diagnostics,
        parse_ms,
        compile_ms,
    }))
}

impl LoadedDicts {
    /// The engine behind the coder interface.
    pub fn into_coder(self) -> Box<dyn Coder> {
        match self.coder {
            DictEngine::Tabari(t) => t,
            DictEngine::Petrarch(p) => p,
        }
    }

    /// Every phrase of the dictionaries (TABARI engine; empty for PETRARCH).
    pub fn phrases(&self) -> Vec<String> {
        match &self.coder {
            DictEngine::Tabari(t) => t.engine().phrases(),
            DictEngine::Petrarch(_) => Vec::new(),
        }
    }

    /// One line: what was loaded and how long it took.
    pub fn summary(&self) -> String {
        let c = match &self.coder {
            DictEngine::Tabari(t) => t.engine().counts(),
            DictEngine::Petrarch(p) => {
                let (actors, agents, verbs, patterns) = p.engine().counts();
                return format!(
                    "dictionaries (PETRARCH engine): {} file(s), {verbs} verb forms, {patterns} \
                     patterns, {actors} actor phrases, {agents} agents; {} diagnostic(s) (lines \
                     skipped); parsed in {:.1} ms, compiled in {:.1} ms",
                    self.files.len(),
                    self.diagnostics,
                    self.parse_ms,
                    self.compile_ms
                );
            }
        };
        format!(
            "dictionaries: {} file(s), {} roots ({} verbs, {} patterns), {} literals; {} \
             diagnostic(s) (lines skipped); parsed in {:.1} ms, compiled in {:.1} ms",
            self.files.len(),
            c.roots,
            c.verbs,
            c.patterns,
            c.literals,
            self.diagnostics,
            self.parse_ms,
            self.compile_ms
        )
    }
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
    let loaded = load_dicts(&args.dicts, &mut |m| eprintln!("{m}"))?;
    let coder: Box<dyn Coder> = match loaded {
        Some(l) => {
            if !args.quiet {
                eprintln!("dyad: {}", l.summary());
            }
            l.into_coder()
        }
        None => Box::new(PhraseCoder::new(
            dyad_dict::builtin::dictionary().context("loading the built-in dictionaries")?,
        )),
    };

    let mut db = crate::ingest::Ingest::open(
        args.db.as_deref(),
        args.db_batch_articles,
        args.db_batch_events,
    )?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None if db.enabled() => Box::new(io::sink()),
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
        db.tee_rejects(
            rejects_path
                .clone()
                .map(|path| Box::new(LazyFile { path, file: None }) as Box<dyn Write + Send>),
        ),
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
        coder.as_ref(),
        &mut out,
        &mut rejects,
        &mut db.observer(&mut report),
        &RunOptions {
            batch_articles: args.batch_articles.max(1),
            ..RunOptions::default()
        },
    )
    .context("writing events")?;
    let stored = db.finish()?;
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
        if let Some(line) = stored {
            eprintln!("dyad: {line}");
        }
    }
    Ok(if summary.input_errors > 0 {
        crate::EXIT_ERROR
    } else if summary.rejected > 0 {
        crate::EXIT_REJECTS
    } else {
        0
    })
}
