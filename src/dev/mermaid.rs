//! Mermaid for the console page, served by the dev server itself so the page stays
//! self-contained (no CDN, works offline): the release `tests/diagrams` renders every
//! generated diagram with, vendored gzipped by `scripts/vendor-mermaid` (MIT licence in
//! `vendor/mermaid/LICENSE`) and sent as it is stored.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// `mermaid.min.js`, gzipped.
static SCRIPT_GZ: &[u8] = include_bytes!("../../vendor/mermaid/mermaid.min.js.gz");

/// The vendored release (`vendor/mermaid/VERSION`).
fn version() -> &'static str {
    include_str!("../../vendor/mermaid/VERSION").trim()
}

/// Where the page loads it from: the version is in the path, so it can be cached for good.
pub(crate) fn path() -> String {
    format!("/@dev/mermaid-{}.min.js", version())
}

/// `GET` [`path`]: the script, gzipped. Every browser accepts gzip; a client that says it
/// does not gets 406 rather than bytes it cannot read.
pub(crate) async fn script(headers: HeaderMap) -> Response {
    let accepts_gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if !accepts_gzip {
        return (
            StatusCode::NOT_ACCEPTABLE,
            "this script is served gzipped only: send Accept-Encoding: gzip\n",
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CONTENT_ENCODING, "gzip"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        SCRIPT_GZ,
    )
        .into_response()
}
