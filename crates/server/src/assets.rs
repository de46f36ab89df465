//! The dashboard's files, embedded in the binary: our page, script and style, and the
//! front-end libraries vendored from npm by `scripts/vendor-dashboard.sh` (d3, topojson-client,
//! world-atlas's countries-110m). Nothing is ever loaded from another host.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::AppState;

/// One embedded file.
pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $file:literal, $ct:literal) => {
        Asset {
            path: $path,
            content_type: $ct,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $file)),
        }
    };
}

/// Every file the dashboard serves.
pub const ASSETS: &[Asset] = &[
    asset!("/", "index.html", "text/html; charset=utf-8"),
    asset!("/app.js", "app.js", "text/javascript; charset=utf-8"),
    asset!("/app.css", "app.css", "text/css; charset=utf-8"),
    asset!(
        "/vendor/d3.min.js",
        "vendor/d3.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "/vendor/topojson-client.min.js",
        "vendor/topojson-client.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "/vendor/countries-110m.json",
        "vendor/countries-110m.json",
        "application/json"
    ),
    asset!(
        "/vendor/d3.LICENSE",
        "vendor/d3.LICENSE",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "/vendor/topojson-client.LICENSE",
        "vendor/topojson-client.LICENSE",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "/vendor/world-atlas.LICENSE",
        "vendor/world-atlas.LICENSE",
        "text/plain; charset=utf-8"
    ),
];

/// The page may load nothing but its own files and talk to nothing but this server.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { serve("/") }))
        .route("/index.html", get(|| async { serve("/") }))
        .route("/app.js", get(|| async { serve("/app.js") }))
        .route("/app.css", get(|| async { serve("/app.css") }))
        .route("/vendor/{file}", get(vendor))
}

async fn vendor(Path(file): Path<String>) -> Response {
    serve(&format!("/vendor/{file}"))
}

fn serve(path: &str) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.path == path) else {
        return ApiError::not_found(format!("no such file: {path}")).into_response();
    };
    let mut res = (StatusCode::OK, asset.body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if path.starts_with("/vendor/") {
            "public, max-age=86400"
        } else {
            "no-cache"
        }),
    );
    res
}
