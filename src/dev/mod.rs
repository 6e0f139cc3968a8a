//! `lambdaless-gen dev`: the stack a spec deploys, running on localhost. A thin runtime over
//! the same validated [`Model`] that `build` emits from: the WebSocket API with the spec's
//! routes, EventBridge's `PutEvents`, the `@connections` API, a live trace and a console page.
//! See the README's "Run it locally" section.

mod actions;
mod clock;
mod delivery;
mod events;
mod guard;
mod http;
mod ids;
mod mermaid;
mod message;
mod outbox;
mod path;
mod request;
mod sigv4;
mod socket;
mod stack;
mod state;
mod table;
mod throttle;
mod trace;
mod watch;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::compile::compile;
use crate::diagnostic::Diagnostic;
use crate::emit::Format;
use crate::model::Model;
use crate::render::{self, Style};
use crate::source::{read_source, Source};
use stack::Stack;
use state::{Dev, Settings};
pub use trace::LogFormat;

/// Whether `--allow-origin` accepts `text` (`http(s)://host[:port]`).
pub fn is_origin(text: &str) -> bool {
    guard::is_origin(text)
}

/// An origin as the server compares it: lower-case, without a trailing `/`.
pub fn normalize_origin(text: &str) -> String {
    guard::normalize(text)
}

/// What `dev` was asked to do.
#[derive(Debug)]
pub struct Options {
    /// The spec to serve.
    pub spec: PathBuf,
    /// Address to listen on.
    pub host: String,
    /// Port (0: any free port).
    pub port: u16,
    /// Trace format.
    pub log: LogFormat,
    /// Region of events and signatures.
    pub region: String,
    /// Origins besides the console's whose pages may use the server.
    pub allow_origins: Vec<String>,
    /// Most WebSocket connections at once.
    pub max_connections: u32,
}

/// The account id events carry.
const ACCOUNT: &str = "000000000000";

/// A spec, compiled: its model, or its errors.
pub(crate) enum Loaded {
    /// Valid.
    Ok {
        /// The model.
        model: Box<Model>,
        /// Its warnings.
        warnings: Vec<Diagnostic>,
        /// The text it came from.
        source: Source,
        /// The stack diagram `build` writes (`diagrams/stack.mmd`), for the console.
        diagram: String,
    },
    /// Invalid (or unreadable).
    Failed {
        /// The text it came from.
        source: Source,
        /// Every error (and warning).
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads and compiles `spec` with every check of `build`.
pub(crate) fn load(spec: &Path) -> Loaded {
    match read_source(spec) {
        Err((source, diagnostics)) => Loaded::Failed {
            source,
            diagnostics,
        },
        Ok(source) => match compile(&source, Format::Yaml) {
            Ok(c) => Loaded::Ok {
                diagram: c
                    .artifacts
                    .diagrams
                    .into_iter()
                    .next()
                    .map(|d| d.text)
                    .unwrap_or_default(),
                model: Box::new(c.model),
                warnings: c.warnings,
                source,
            },
            Err(diagnostics) => Loaded::Failed {
                source,
                diagnostics,
            },
        },
    }
}

/// Prints diagnostics as `check` does.
pub(crate) fn print_diagnostics(source: &Source, diags: &[Diagnostic]) {
    let style = Style::detect();
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = write!(err, "{}", render::human(source, d, style));
    }
}

/// Runs `dev`; returns the exit code.
pub fn run(options: Options) -> u8 {
    let started = Instant::now();
    let (model, diagram) = match load(&options.spec) {
        Loaded::Ok {
            model,
            warnings,
            source,
            diagram,
        } => {
            print_diagnostics(&source, &warnings);
            (model, diagram)
        }
        Loaded::Failed {
            source,
            diagnostics,
        } => {
            print_diagnostics(&source, &diagnostics);
            eprintln!(
                "error: {} in {}; not serving",
                render::summary(&diagnostics),
                source.name()
            );
            return 1;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    let code = runtime.block_on(serve(options, Stack::new(*model, diagram), started));
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}

async fn serve(options: Options, stack: Stack, started: Instant) -> u8 {
    let listener = match TcpListener::bind((options.host.as_str(), options.port)).await {
        Ok(l) => l,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                "\n  help: another program listens there: pick another port with --port (0 picks a free one)"
            } else {
                ""
            };
            eprintln!(
                "error: cannot listen on {}:{}: {e}{hint}",
                options.host, options.port
            );
            return 1;
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], options.port)));
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let credentials = set("AWS_ACCESS_KEY_ID").zip(set("AWS_SECRET_ACCESS_KEY"));
    let settings = Settings {
        spec: options.spec,
        addr,
        region: options.region,
        account: ACCOUNT.into(),
        credentials,
        host: options.host,
        allowed_origins: options.allow_origins,
        max_connections: options.max_connections as usize,
    };
    let (bus, events) = mpsc::unbounded_channel();
    let dev = Arc::new(Dev::new(
        settings,
        stack,
        trace::Trace::new(options.log),
        bus,
    ));
    tokio::spawn(delivery::run(Arc::clone(&dev), events));
    let _watcher = watch::start(Arc::clone(&dev));
    announce(&dev, options.log, started);
    let app = router(Arc::clone(&dev)).into_make_service_with_connect_info::<SocketAddr>();
    tokio::select! {
        result = axum::serve(listener.tap_io(no_delay), app) => {
            if let Err(e) = result {
                eprintln!("error: the server stopped: {e}");
                return 1;
            }
        }
        () = shutdown() => {}
    }
    0
}

fn router(dev: Arc<Dev>) -> Router {
    Router::new()
        .route("/", get(http::console).post(http::aws_call))
        .route("/@dev/info", get(http::info))
        .route(&mermaid::path(), get(mermaid::script))
        .route("/@dev/console-diagram.js", get(http::console_diagram))
        .route("/@dev/trace", get(http::trace))
        .route("/@dev/undelivered", get(http::undelivered))
        .route("/@dev/connections/{id}", get(http::records))
        .route("/@dev/connections/{id}/stale", post(http::stale))
        .route("/{stage}", get(socket::upgrade))
        .route(
            "/{stage}/@connections/{id}",
            post(http::post_to_connection)
                .get(http::get_connection)
                .delete(http::delete_connection),
        )
        .fallback(http::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&dev),
            guard::guard,
        ))
        .with_state(dev)
}

/// Small frames (replies, events) go out at once rather than waiting for Nagle's algorithm
/// to coalesce them (40 ms with a delayed ACK).
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    let _ = tcp.set_nodelay(true);
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// The URLs the server answers on.
pub(crate) fn urls(dev: &Dev) -> Value {
    let addr = dev.settings.addr;
    let host = if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    };
    let stage = dev.stack().model.stage.clone();
    json!({
        "websocket": format!("ws://{host}/{stage}"),
        "events": format!("http://{host}"),
        "connections": format!("http://{host}/{stage}/@connections/{{connectionId}}"),
        "console": format!("http://{host}/"),
    })
}

/// The ready line(s).
fn announce(dev: &Dev, log: LogFormat, started: Instant) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let urls = urls(dev);
    let stack = dev.stack();
    let name = &stack.model.name;
    let mut out = std::io::stdout().lock();
    if log == LogFormat::Json {
        let ready = json!({ "kind": "ready", "name": name, "spec": dev.settings.spec.display().to_string(), "ms": ms, "urls": urls });
        let _ = writeln!(out, "{ready}");
        return;
    }
    let s = |k: &str| urls[k].as_str().unwrap_or_default().to_owned();
    let _ = writeln!(
        out,
        "dev: {name} from {} ready in {ms:.1} ms",
        dev.settings.spec.display()
    );
    let _ = writeln!(out, "  websocket    {}", s("websocket"));
    let _ = writeln!(
        out,
        "  events       {0}  (aws events put-events --region {1} --endpoint-url {0} --entries ...)",
        s("events"),
        dev.settings.region
    );
    let _ = writeln!(out, "  connections  {}", s("connections"));
    let _ = writeln!(out, "  console      {}", s("console"));
    if let Some(keys) = stack.api_keys() {
        let _ = writeln!(
            out,
            "  api keys     send one in the x-api-key header: {}",
            keys.join(", ")
        );
    }
    if stack.needs_signature() {
        let how = match &dev.settings.credentials {
            Some((key, _)) => format!("verified against AWS_ACCESS_KEY_ID={key}"),
            None => "checked for form only (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to verify them)".to_owned(),
        };
        let _ = writeln!(
            out,
            "  signatures   SigV4 for execute-api in {}, {how}",
            dev.settings.region
        );
    }
}
