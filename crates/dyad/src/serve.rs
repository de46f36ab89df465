//! `dyad serve`: the HTTP API and the dashboard over a store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The store: a SQLite file or a postgres:// URL.
    #[arg(long, default_value = "dyad.db")]
    pub db: String,
    /// Address to listen on. Loopback by default; anything else exposes the data to the
    /// network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Enable `POST /api/ingest` for requests that send `Authorization: Bearer TOKEN`
    /// (at least 8 characters). Without it the server is read-only. When absent, the
    /// DYAD_TOKEN environment variable is used (it does not show in `ps`).
    #[arg(long)]
    pub token: Option<String>,
    /// Code new JSONL files that appear in this folder, store their events and push them to
    /// the dashboard.
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,
    /// How often the watched folder is looked at, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub watch_interval: u64,
    /// Longest a query may run, in milliseconds.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub query_timeout: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Largest page of events or articles.
    #[arg(long, default_value_t = 1000)]
    pub max_page: usize,
    /// Run every read request against the store, even one answered a moment ago (for
    /// measuring the store; by default answers are reused while the store is unchanged).
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: ServeArgs) -> Result<u8> {
    let mut config = dyad_server::ServerConfig::new(args.db);
    config.addr = args.addr;
    config.token = args
        .token
        .or_else(|| std::env::var("DYAD_TOKEN").ok())
        .filter(|t| !t.is_empty());
    config.watch = args.watch;
    config.watch_interval = Duration::from_millis(args.watch_interval.max(50));
    config.query_timeout = Duration::from_millis(args.query_timeout.max(1));
    config.max_body_bytes = args.max_body_bytes;
    config.max_page = args.max_page.max(1);
    config.cache = !args.no_cache;
    let mode = if config.token.is_some() {
        "ingest enabled with a token"
    } else {
        "read-only"
    };
    let watch = config
        .watch
        .as_ref()
        .map(|w| format!(", watching {}", w.display()))
        .unwrap_or_default();
    dyad_server::serve_blocking_with(config, |addr| {
        eprintln!("dyad serve: http://{addr}/ ({mode}{watch}); Ctrl-C stops");
    })
    .context("dyad serve")?;
    Ok(0)
}
