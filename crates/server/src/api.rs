//! The JSON API under `/api`. Every handler checks its parameters ([`crate::params`]), runs
//! one store call on the pool and answers JSON; every failure is an [`ApiError`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ErrorCode};
use crate::live;
use crate::params::{encode_cursor, Params, FILTER_PARAMS};
use crate::AppState;

type St = State<Arc<AppState>>;
type ApiResult = Result<Response, ApiError>;

/// Default page size of events and articles.
pub const DEFAULT_PAGE: usize = 100;
/// Default and largest number of dyads and actors.
pub const DEFAULT_ROWS: usize = 100;
pub const MAX_ROWS: usize = 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(health))
        .route("/version", get(version))
        .route("/openapi.json", get(openapi))
        .route("/events", get(events))
        .route("/events/{id}", get(event))
        .route("/counts", get(counts))
        .route("/dyads", get(dyads))
        .route("/articles", get(articles))
        .route("/actors", get(actors))
        .route("/ingest", post(ingest))
        .route("/stream", get(live::stream))
        .layer(middleware::from_fn(json_errors))
}

/// Any bare error response from axum itself (an unknown route, a wrong method, a rejected
/// extractor) becomes the API's JSON error shape.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let code = match res.status() {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        s if s.is_client_error() => ErrorCode::InvalidBody,
        _ => ErrorCode::Internal,
    };
    let message = match code {
        ErrorCode::NotFound => "no such endpoint".to_string(),
        ErrorCode::MethodNotAllowed => "this endpoint does not take that method".to_string(),
        _ => res.status().to_string(),
    };
    ApiError::new(code, message).into_response()
}

/// The router's fallback: no such route.
pub async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!("no such endpoint or page: {}", req.uri().path()))
}

/// The router's fallback for a known route with another method.
pub async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} does not take {}", req.uri().path(), req.method()),
    )
}

fn json(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(value).into_response())
}

fn json_bytes(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// The answer to `key` from the cache, or computed by `work`, stored, and returned.
async fn cached<T, Fut>(st: &AppState, key: String, work: impl FnOnce() -> Fut) -> ApiResult
where
    T: serde::Serialize,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    if let Some(body) = st.cache.get(&key) {
        return Ok(json_bytes(body));
    }
    let before = st.cache.before();
    let value = work().await?;
    let body = Bytes::from(serde_json::to_vec(&value).map_err(ApiError::internal)?);
    st.cache.put(key, before, body.clone());
    Ok(json_bytes(body))
}

fn key(endpoint: &str, q: &Option<String>) -> String {
    format!("{endpoint}?{}", q.as_deref().unwrap_or(""))
}

async fn health(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    let backend = st.pool.run(|s| Ok(s.backend())).await?;
    json(json!({"status": "ok", "backend": backend}))
}

async fn version(RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    json(json!({
        "name": "dyad",
        "version": env!("CARGO_PKG_VERSION"),
        "api": crate::openapi::API_VERSION,
    }))
}

async fn openapi(State(st): St) -> ApiResult {
    json(crate::openapi::document(&st.config))
}

/// The filter parameters and the endpoint's own.
fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = FILTER_PARAMS.to_vec();
    v.extend_from_slice(extra);
    v
}

async fn events(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &with(&["limit", "cursor"]))?;
    let filter = p.filter()?;
    let page = p.page(DEFAULT_PAGE, st.config.max_page)?;
    cached(&st, key("events", &q), || async {
        let mut result = st.pool.run(move |s| s.query_events(&filter, &page)).await?;
        result.next_cursor = result.next_cursor.as_deref().map(encode_cursor);
        Ok(result)
    })
    .await
}

/// The largest `mentions_offset` taken: far past any event's mentions.
pub const MAX_MENTIONS_OFFSET: usize = 1 << 40;

async fn event(State(st): St, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["mentions_limit", "mentions_offset"])?;
    if id.is_empty() || id.len() > 128 || id.chars().any(char::is_control) {
        return Err(ApiError::invalid("id", "expected an event id"));
    }
    // A story printed by thousands of outlets is one event with thousands of mentions: they
    // come a page at a time.
    let limit = p.number("mentions_limit", DEFAULT_PAGE, 1, st.config.max_page)? as u64;
    let offset = p.number("mentions_offset", 0, 0, MAX_MENTIONS_OFFSET)? as u64;
    cached(&st, format!("event/{id}?{limit},{offset}"), || async {
        let key = id.clone();
        match st
            .pool
            .run(move |s| s.event_mentions(&key, offset, Some(limit)))
            .await?
        {
            Some(detail) => Ok(detail),
            None => Err(ApiError::not_found(format!("no event {id:?}"))),
        }
    })
    .await
}

async fn counts(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &with(&["group_by"]))?;
    let filter = p.filter()?;
    let keys = p.group_by()?;
    let ks = keys.clone();
    cached(&st, key("counts", &q), || async {
        let rows = st.pool.run(move |s| s.count(&filter, &ks)).await?;
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|r| {
                let mut o = Map::new();
                for (k, v) in keys.iter().zip(r.keys) {
                    o.insert(k.name().to_string(), v.map_or(Value::Null, Value::String));
                }
                o.insert("count".into(), r.count.into());
                o.insert("fatalities".into(), r.fatalities.into());
                o.insert(
                    "goldstein_mean".into(),
                    r.goldstein_mean
                        .and_then(serde_json::Number::from_f64)
                        .map_or(Value::Null, Value::Number),
                );
                Value::Object(o)
            })
            .collect();
        Ok(json!({
            "group_by": keys.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "rows": rows,
        }))
    })
    .await
}

async fn dyads(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &with(&["limit"]))?;
    let filter = p.filter()?;
    let limit = p.limit(DEFAULT_ROWS, MAX_ROWS)?;
    cached(&st, key("dyads", &q), || async {
        let rows = st.pool.run(move |s| s.dyads(&filter, limit)).await?;
        Ok(json!({ "dyads": rows }))
    })
    .await
}

async fn actors(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &with(&["limit"]))?;
    let filter = p.filter()?;
    let limit = p.limit(DEFAULT_ROWS, MAX_ROWS)?;
    cached(&st, key("actors", &q), || async {
        let rows = st.pool.run(move |s| s.actors(&filter, limit)).await?;
        Ok(json!({ "actors": rows }))
    })
    .await
}

async fn articles(State(st): St, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["limit", "cursor"])?;
    let page = p.page(DEFAULT_PAGE, st.config.max_page)?;
    cached(&st, key("articles", &q), || async {
        let mut result = st.pool.run(move |s| s.articles(&page)).await?;
        result.next_cursor = result.next_cursor.as_deref().map(encode_cursor);
        Ok(result)
    })
    .await
}

/// Compare without an early exit, so the time taken says nothing about the token.
fn same_token(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = given.len() ^ expected.len();
    for (i, e) in expected.iter().enumerate() {
        diff |= usize::from(given.get(i).copied().unwrap_or(0) ^ e);
    }
    diff == 0
}

/// The ingest rule: disabled without `--token` (403), else the bearer token or 401.
fn authorize(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &st.config.token else {
        return Err(ApiError::new(
            ErrorCode::ReadOnly,
            "this server is read-only; start it with --token to enable ingest",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        Some(t) if same_token(t.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::Unauthorized, "wrong token")),
        None => Err(ApiError::new(
            ErrorCode::Unauthorized,
            "ingest needs the header `Authorization: Bearer TOKEN`",
        )),
    }
}

async fn ingest(
    State(st): St,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    authorize(&st, &headers)?;
    Params::parse(q.as_deref(), &[])?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "the body is over the limit of {} bytes; send smaller batches",
                    st.config.max_body_bytes
                ),
            )
        } else {
            ApiError::new(ErrorCode::InvalidBody, e.body_text())
        }
    })?;
    let (articles, rejects) = live::parse_jsonl(&body);
    if articles.is_empty() {
        let why = match rejects.first() {
            Some(r) => format!("no valid article: line {}: {}", r.line, r.message),
            None => "the body holds no article (one JSON object per line)".into(),
        };
        return Err(ApiError::new(ErrorCode::InvalidBody, why));
    }
    let outcome = live::ingest(&st, articles, rejects, "POST /api/ingest").await?;
    json(outcome)
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn token_comparison() {
        assert!(same_token(b"secret-token", b"secret-token"));
        assert!(!same_token(b"secret-tokeN", b"secret-token"));
        assert!(!same_token(b"secret", b"secret-token"));
        assert!(!same_token(b"secret-token-and-more", b"secret-token"));
        assert!(!same_token(b"", b"secret-token"));
    }
}
