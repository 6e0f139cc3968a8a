//! Which requests the dev server serves. It listens on the developer's machine, where any web
//! page the developer opens could otherwise drive it; so, before any route runs:
//!
//! * the `Host` must be a loopback name (`localhost`, `127.x.x.x`, `[::1]`) or the `--host`
//!   it listens on (with `--host 0.0.0.0` or `::`, any IP address): a page cannot reach it
//!   through a DNS name it controls that resolves to 127.0.0.1 (DNS rebinding);
//! * a request carrying an `Origin` must come from the console's own origin or one named by
//!   `--allow-origin`: another page's WebSocket upgrades, POSTs and reads are refused. Requests
//!   without `Origin` (the AWS CLI, SDKs, curl, WebSocket libraries) are served.
//!
//! An allowed front-end origin also gets CORS answers, so its page can call `PutEvents` and
//! `@connections` too. A refusal is a 403 with a `reason`, traced as `request-refused`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::state::Dev;

/// Serves `request` if its `Host` and `Origin` pass (see the module docs), with CORS headers
/// for an allowed front-end origin.
pub(crate) async fn guard(State(dev): State<Arc<Dev>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = text(headers, header::HOST);
    if let Some(h) = &host {
        if !host_allowed(h, &dev.settings.host) {
            let reason = format!(
                "Host `{h}` is not served: lambdaless-gen dev answers to localhost, 127.0.0.1, [::1] and its --host ({}), so that no web page can reach it through a DNS name (DNS rebinding)",
                dev.settings.host
            );
            return refuse(&dev, &request, reason);
        }
    }
    let Some(origin) = text(headers, header::ORIGIN) else {
        return next.run(request).await;
    };
    let origin = normalize(&origin);
    if host
        .as_deref()
        .is_some_and(|h| origin == format!("http://{}", h.to_ascii_lowercase()))
    {
        return next.run(request).await;
    }
    if !dev.settings.allowed_origins.contains(&origin) {
        let reason = format!(
            "Origin `{origin}` is not the console's: cross-origin requests and WebSocket upgrades are refused (start dev with --allow-origin {origin} to let that page in)"
        );
        return refuse(&dev, &request, reason);
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let asked_headers = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    if preflight {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, DELETE"),
        );
        if let Some(asked) = asked_headers {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    } else {
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-amzn-RequestId, x-amzn-ErrorType"),
        );
    }
    response
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// 403 `{"message":"Forbidden","reason":...}`, traced.
fn refuse(dev: &Dev, request: &Request, reason: String) -> Response {
    dev.trace.emit(
        "request-refused",
        json!({
            "method": request.method().as_str(),
            "path": request.uri().path(),
            "status": 403,
            "reason": reason,
        }),
    );
    (
        StatusCode::FORBIDDEN,
        Json(json!({ "message": "Forbidden", "reason": reason })),
    )
        .into_response()
}

/// An origin as browsers send it and `--allow-origin` takes it: lower-case, no trailing `/`.
pub(crate) fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Whether `--allow-origin` can take `text`: `http(s)://host[:port]`, nothing after.
pub(crate) fn is_origin(text: &str) -> bool {
    let o = normalize(text);
    let Some(rest) = o
        .strip_prefix("http://")
        .or_else(|| o.strip_prefix("https://"))
    else {
        return false;
    };
    if rest.contains(['/', '?', '#', '@', ' ']) {
        return false;
    }
    let (name, port) = match rest.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((name, "")) => (name, None),
            Some((name, after)) => match after.strip_prefix(':') {
                Some(port) => (name, Some(port)),
                None => return false,
            },
            None => return false,
        },
        None => match rest.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (rest, None),
        },
    };
    !name.is_empty() && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The host part of a `Host` header (`name`, `1.2.3.4`, `[::1]`, each with an optional port),
/// lower-case, brackets and a final dot removed.
fn host_name(host: &str) -> String {
    let h = host.trim();
    let name = if h.parse::<IpAddr>().is_ok() {
        h // an IPv6 address without brackets (as `--host ::` is written)
    } else if let Some(v6) = h.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        match h.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => h,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a request's `Host` is served (see the module docs); `listen` is `--host`.
fn host_allowed(host: &str, listen: &str) -> bool {
    let name = host_name(host);
    let listen_name = host_name(listen);
    if name == "localhost" || name == listen_name {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()))
                || listen_name
                    .parse::<IpAddr>()
                    .is_ok_and(|l| l.is_unspecified())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_the_listen_address_are_served() {
        for ok in [
            "localhost:3000",
            "LOCALHOST",
            "localhost.:3000",
            "127.0.0.1:3000",
            "127.1.2.3",
            "[::1]:3000",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(host_allowed(ok, "127.0.0.1"), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.nip.io:3000",
            "192.168.1.5:3000",
            "",
        ] {
            assert!(!host_allowed(refused, "127.0.0.1"), "{refused}");
        }
        assert!(host_allowed("devbox.lan:3000", "devbox.lan"));
        assert!(host_allowed("192.168.1.5:3000", "0.0.0.0"));
        assert!(host_allowed("[fe80::1]:3000", "::"));
        assert!(
            !host_allowed("evil.example", "0.0.0.0"),
            "names still must be loopback"
        );
    }

    #[test]
    fn origins_for_allow_origin() {
        for ok in [
            "http://localhost:5173",
            "https://app.example.com",
            "http://[::1]:8080",
            "HTTP://LocalHost:5173/",
        ] {
            assert!(is_origin(ok), "{ok}");
        }
        for bad in [
            "localhost:5173",
            "http://",
            "http://x/path",
            "ftp://x",
            "http://x:port",
            "*",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
        assert_eq!(normalize("HTTP://LocalHost:5173/"), "http://localhost:5173");
    }
}
