//! The `dyad` command line: `dyad code` turns articles into events.

mod bench;
mod code;
mod eval;
mod export;
mod ingest;
mod parquet_export;
mod query;
mod serve;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: see the note in Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// dyad: news text in, political and conflict event data out.
#[derive(Parser)]
#[command(name = "dyad", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code articles (JSONL, plain text or TABARI records) into events (JSONL).
    Code(code::CodeArgs),
    /// Code a JSONL corpus and report sentences/s, MB/s, peak memory and dictionary load time.
    Bench(bench::BenchArgs),
    /// Run a validation suite (TABARI .project / .derived.jsonl, PETRARCH .xml) through the
    /// TABARI engine; the last line is `passed N of M`.
    Validate(validate::ValidateArgs),
    /// Code the labelled sets in ../shared/eval (PLOVER, MUC-3/4) and our gold cases, and score
    /// them: a table per set, or one JSON object per set per line with --json.
    Eval(eval::EvalArgs),
    /// Code articles and store their events (`dyad code --db`): a SQLite file or a
    /// postgres:// URL. Idempotent: the same input again adds nothing.
    Ingest(code::CodeArgs),
    /// Query the event store: list events, count them by group, or explain one.
    Query(query::QueryArgs),
    /// Export the event store as JSONL, GDELT 2.0 TSV, ACLED CSV or PLOVER JSON.
    Export(query::ExportArgs),
    /// Serve the store over HTTP: the JSON API under /api and the offline dashboard.
    /// Loopback and read-only by default; --token enables ingest, --watch a live folder.
    Serve(serve::ServeArgs),
}

/// Exit codes: 0 all records went through, 3 some were rejected, 2 usage or I/O error.
pub const EXIT_REJECTS: u8 = 3;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Ingest(args) => {
            if args.db.is_none() {
                eprintln!("dyad: error: ingest needs --db PATH|URL");
                return ExitCode::from(EXIT_ERROR);
            }
            code::run(args)
        }
        Command::Query(args) => query::run_query(args),
        Command::Export(args) => query::run_export(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
