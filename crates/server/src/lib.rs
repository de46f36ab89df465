//! `dyad serve`: the HTTP API over the event store and the offline dashboard. The only crate
//! that knows HTTP; it owns the API's wire types.
//!
//! - [`ServerConfig`] says what to serve and with which limits; [`Server::bind`] opens the
//!   store and the socket and gives a [`Server`], whose [`Server::run`] serves until shutdown.
//!   [`serve_blocking`] does both on a runtime of its own (what `dyad serve` calls).
//! - [`router`] is the axum router: the JSON API under `/api` ([`api`]) and the dashboard's
//!   embedded assets ([`assets`]).
//! - Errors have one JSON shape, `{"error":{"code","message"}}`, and one table from code to
//!   status: [`error::ErrorCode::status`].
//! - Store calls are synchronous; [`pool::StorePool`] runs them on the blocking pool under the
//!   query time limit. Live updates ([`live`]) poll a folder for new JSONL files, code and
//!   store them, and push their events to server-sent-event subscribers.
//!
//! ```no_run
//! let config = dyad_server::ServerConfig::new("dyad.db");
//! dyad_server::serve_blocking(config).unwrap();
//! ```

pub mod api;
pub mod assets;
pub mod cache;
pub mod error;
pub mod live;
pub mod openapi;
pub mod params;
pub mod pool;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use dyad_coder::Coder;
use tokio::sync::broadcast;

pub use error::{ApiError, ErrorCode};

/// What to serve and how.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// A SQLite path or a `postgres://` URL.
    pub db: String,
    /// Where to listen; loopback by default.
    pub addr: SocketAddr,
    /// With a token, `POST /api/ingest` is enabled and needs `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    /// A folder to watch for new JSONL files.
    pub watch: Option<PathBuf>,
    /// How often the watched folder is looked at.
    pub watch_interval: Duration,
    /// Largest request body (ingest), in bytes.
    pub max_body_bytes: usize,
    /// Largest page of events or articles.
    pub max_page: usize,
    /// Longest a read query may take.
    pub query_timeout: Duration,
    /// Longest an ingest may take (coding and storing).
    pub ingest_timeout: Duration,
    /// Store connections at most.
    pub connections: usize,
    /// Serve repeated read requests from the cache while the store is unchanged.
    pub cache: bool,
}

impl ServerConfig {
    /// The defaults for a store: 127.0.0.1:8080, read-only, 16 MiB bodies, pages of at most
    /// 1000, 10 s per query.
    pub fn new(db: impl Into<String>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServerConfig {
            db: db.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            watch: None,
            watch_interval: Duration::from_millis(1000),
            max_body_bytes: 16 * 1024 * 1024,
            max_page: 1000,
            query_timeout: Duration::from_secs(10),
            ingest_timeout: Duration::from_secs(120),
            connections: (cores * 2).max(4),
            cache: true,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("no store at {0} (create one with `dyad ingest` or `dyad code --db`, or serve it with --token or --watch to start an empty one)")]
    NoStore(String),
    #[error("cannot open the store: {0}")]
    Store(#[from] dyad_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch {path}: {source}")]
    Watch {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot load the built-in dictionaries: {0}")]
    Dictionary(String),
    #[error("the token must be at least 8 characters, visible ASCII")]
    WeakToken,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What every handler shares.
pub struct AppState {
    pub config: ServerConfig,
    pub pool: Arc<pool::StorePool>,
    /// The coder for ingest and the watched folder (present when either is enabled).
    pub coder: Option<Arc<dyn Coder>>,
    /// New events, for `/api/stream`.
    pub events_tx: broadcast::Sender<Arc<live::Batch>>,
    /// Serialises writes: one ingest at a time.
    pub write_lock: tokio::sync::Mutex<()>,
    /// Answers to read requests, valid while the store is unchanged.
    pub cache: cache::ResponseCache,
}

/// The application: the API under `/api` and the dashboard, with the body limit.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .nest("/api", api::routes())
        .merge(assets::routes())
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// The dictionary-based coder `dyad code` uses by default.
pub fn builtin_coder() -> Result<Arc<dyn Coder>, ServerError> {
    let dict =
        dyad_dict::builtin::dictionary().map_err(|e| ServerError::Dictionary(e.to_string()))?;
    Ok(Arc::new(dyad_coder::PhraseCoder::new(dict)))
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
}

impl Server {
    /// Open the store (a missing SQLite file is an error unless the server may write) and
    /// bind the socket. Must be called inside a tokio runtime.
    pub async fn bind(config: ServerConfig) -> Result<Server, ServerError> {
        Server::bind_with_coder(config, None).await
    }

    /// [`Server::bind`] with a coder of the caller's (else the built-in one when needed).
    pub async fn bind_with_coder(
        config: ServerConfig,
        coder: Option<Arc<dyn Coder>>,
    ) -> Result<Server, ServerError> {
        let writes = config.token.is_some() || config.watch.is_some();
        if let Some(t) = &config.token {
            if t.len() < 8 || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ServerError::WeakToken);
            }
        }
        if !writes
            && !dyad_store::is_postgres_url(&config.db)
            && !std::path::Path::new(&config.db).exists()
        {
            return Err(ServerError::NoStore(config.db.clone()));
        }
        if let Some(dir) = &config.watch {
            std::fs::read_dir(dir).map_err(|source| ServerError::Watch {
                path: dir.clone(),
                source,
            })?;
        }
        let db = config.db.clone();
        let first = tokio::task::spawn_blocking(move || dyad_store::open(&db))
            .await
            .map_err(|e| ServerError::Io(std::io::Error::other(e)))??;
        let coder = match (coder, writes) {
            (Some(c), _) => Some(c),
            (None, true) => Some(
                tokio::task::spawn_blocking(builtin_coder)
                    .await
                    .map_err(|e| ServerError::Io(std::io::Error::other(e)))??,
            ),
            (None, false) => None,
        };
        let pool = Arc::new(pool::StorePool::new(
            config.db.clone(),
            first,
            config.connections,
            config.query_timeout,
        ));
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServerError::Bind {
                addr: config.addr,
                source,
            })?;
        let (events_tx, _) = broadcast::channel(64);
        let cache = cache::ResponseCache::new(&config.db, config.cache);
        let state = Arc::new(AppState {
            config,
            cache,
            pool,
            coder,
            events_tx,
            write_lock: tokio::sync::Mutex::new(()),
        });
        Ok(Server { listener, state })
    }

    /// The address it listens on (the real port when the config said port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until `shutdown` resolves. Starts the folder watcher when configured.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if self.state.config.watch.is_some() {
            tokio::spawn(live::watch(Arc::clone(&self.state)));
        }
        let app = router(Arc::clone(&self.state));
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Serve until Ctrl-C.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    }
}

/// Bind and serve on a runtime of its own until Ctrl-C; `on_ready` is told the address.
pub fn serve_blocking(config: ServerConfig) -> Result<(), ServerError> {
    serve_blocking_with(config, |_| {})
}

/// [`serve_blocking`], telling `on_ready` the bound address first.
pub fn serve_blocking_with(
    config: ServerConfig,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let server = Server::bind(config).await?;
        on_ready(server.local_addr()?);
        server.run().await?;
        Ok(())
    })
}
