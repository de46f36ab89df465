//! The store benchmark: `bench-store DB ARTICLES [BATCH]` ingests ARTICLES synthetic articles
//! (four events each) into DB (a SQLite path or a postgres:// URL), then times a weekly count
//! by country over all events, and prints one JSON object. `bench-store --query-only DB
//! ARTICLES` times the same count over that many articles' events bulk-loaded into the count
//! table (see `dyad_store::bench::query_at_scale`). `bench-store --floor DB ARTICLES` writes
//! the same events as bare JSON rows into one unindexed SQLite table: the floor under any
//! ingest; `bench-store --floor-indexed DB ARTICLES` writes them as mention and event rows
//! with the indexes that the store's features need, in the store's batches: the floor under
//! this store's ingest (see `dyad_store::bench::sqlite_floor`). See scripts/bench-store.sh.

use std::process::ExitCode;

/// Articles a transaction, as `dyad ingest` gathers them: four events an article.
fn store_batch() -> u64 {
    (dyad_store::INGEST_BATCH_EVENTS / 4).min(dyad_store::INGEST_BATCH_ARTICLES) as u64
}

/// The `dyad` binary's allocator, so that the figures are those of `dyad ingest`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The SQLite-only modes: `--query-only`, `--floor` and `--floor-indexed`, each
    // `MODE SQLITE_PATH ARTICLES`.
    if let Some(mode @ ("--query-only" | "--floor" | "--floor-indexed")) =
        args.first().map(String::as_str)
    {
        let (Some(db), Some(n)) = (args.get(1), args.get(2).and_then(|s| s.parse::<u64>().ok()))
        else {
            eprintln!("usage: bench-store {mode} SQLITE_PATH ARTICLES");
            return ExitCode::from(2);
        };
        use dyad_store::bench::{sqlite_floor, Floor};
        let report = if mode == "--floor" {
            sqlite_floor(db, n, 2000, Floor::Bare).map(|r| serde_json::to_string(&r))
        } else if mode == "--floor-indexed" {
            sqlite_floor(db, n, store_batch(), Floor::Indexed).map(|r| serde_json::to_string(&r))
        } else {
            dyad_store::bench::query_at_scale(db, n).map(|r| serde_json::to_string(&r))
        };
        return match report {
            Ok(json) => {
                println!("{}", json.unwrap_or_default());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bench-store: {e}");
                ExitCode::from(2)
            }
        };
    }
    let (Some(db), Some(n)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: bench-store DB ARTICLES [BATCH]");
        return ExitCode::from(2);
    };
    let batch = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(store_batch);
    let mut store = match dyad_store::open(db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench-store: {e}");
            return ExitCode::from(2);
        }
    };
    let step = (n / 20).max(batch);
    let mut last = 0;
    let result = dyad_store::bench::run(store.as_mut(), n, batch, &mut |done| {
        if done - last >= step {
            eprintln!("bench-store: {done} articles");
            last = done;
        }
    });
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench-store: {e}");
            return ExitCode::from(2);
        }
    };
    drop(store);
    if !dyad_store::is_postgres_url(db) {
        let size: u64 = ["", "-wal", "-shm"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{db}{s}")).ok())
            .map(|m| m.len())
            .sum();
        report.bytes = Some(size);
        report.bytes_per_million_mentions = Some(size as f64 * 1e6 / report.mentions.max(1) as f64);
    }
    match serde_json::to_string(&report) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("bench-store: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
