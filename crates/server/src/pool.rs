//! A small pool of store connections. Store calls are synchronous, so each runs on tokio's
//! blocking pool, holding one connection, under the server's query time limit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dyad_store::{Store, StoreError};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ErrorCode};

/// Connections to one store, opened on demand up to a maximum.
pub struct StorePool {
    target: String,
    idle: Mutex<Vec<Box<dyn Store>>>,
    slots: Arc<Semaphore>,
    timeout: Duration,
}

impl StorePool {
    /// A pool over `target` (a SQLite path or PostgreSQL URL) with up to `max` connections;
    /// `first` is a connection already open (it proved the store can be opened).
    pub fn new(target: String, first: Box<dyn Store>, max: usize, timeout: Duration) -> Self {
        StorePool {
            target,
            idle: Mutex::new(vec![first]),
            slots: Arc::new(Semaphore::new(max.max(1))),
            timeout,
        }
    }

    /// Run `f` with a connection, on the blocking pool, within the query time limit
    /// (waiting for a free connection counts). On timeout the call answers `timeout` at once;
    /// the work itself finishes in the background and then frees its connection.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        self.run_for(self.timeout, f).await
    }

    /// [`StorePool::run`] with another time limit (ingest).
    pub async fn run_for<T, F>(self: &Arc<Self>, limit: Duration, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        let work = async move {
            let permit = Arc::clone(&pool.slots)
                .acquire_owned()
                .await
                .map_err(|_| ApiError::internal("the store pool is closed"))?;
            let handle = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let mut store = pool.checkout()?;
                let result = f(store.as_mut());
                pool.checkin(store);
                result.map_err(ApiError::from)
            });
            match handle.await {
                Ok(r) => r,
                Err(e) if e.is_panic() => Err(ApiError::internal("a store worker crashed")),
                Err(e) => Err(ApiError::internal(e)),
            }
        };
        let start = std::time::Instant::now();
        match tokio::time::timeout(limit, work).await {
            // Over the limit is over the limit, even when the timer had not fired yet.
            Ok(r) if start.elapsed() <= limit => r,
            _ => Err(ApiError::new(
                ErrorCode::Timeout,
                format!(
                    "the query took longer than the limit of {} ms; narrow the filters",
                    limit.as_millis()
                ),
            )),
        }
    }

    fn checkout(&self) -> Result<Box<dyn Store>, ApiError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(s) => Ok(s),
            None => dyad_store::open(&self.target).map_err(ApiError::internal),
        }
    }

    fn checkin(&self, store: Box<dyn Store>) {
        if let Ok(mut v) = self.idle.lock() {
            v.push(store);
        }
    }
}
