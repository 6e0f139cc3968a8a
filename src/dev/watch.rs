//! Reloads the spec when it changes: the new stack runs when it compiles (connections stay;
//! subscriptions to topics it no longer has are dropped), otherwise the last good stack keeps
//! running and the diagnostics are shown.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use serde_json::json;
use tokio::sync::mpsc;

use super::stack::Stack;
use super::state::Dev;
use super::{load, print_diagnostics, Loaded};
use crate::render::{self, Style};

/// Editors save in bursts (write, rename, touch): changes this close together reload once.
const SETTLE: Duration = Duration::from_millis(100);

/// Starts watching the spec's folder; the watcher must be kept alive. `None` (with a trace
/// record saying why) when the platform cannot watch it.
pub(crate) fn start(dev: Arc<Dev>) -> Option<RecommendedWatcher> {
    let spec = dev.settings.spec.clone();
    let target = spec.canonicalize().unwrap_or_else(|_| spec.clone());
    let folder = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let (tx, rx) = mpsc::unbounded_channel();
    let name = target.file_name().map(ToOwned::to_owned);
    let handler = move |event: notify::Result<notify::Event>| {
        // Only changes count: reading the spec (as a reload does) reports access events.
        if let Ok(event) = event {
            let changed = !matches!(event.kind, EventKind::Access(_) | EventKind::Other);
            if changed && event.paths.iter().any(|p| p.file_name() == name.as_deref()) {
                let _ = tx.send(());
            }
        }
    };
    let watcher = notify::recommended_watcher(handler).and_then(|mut w| {
        w.watch(&folder, RecursiveMode::NonRecursive)?;
        Ok(w)
    });
    match watcher {
        Ok(w) => {
            tokio::spawn(reload_on_change(dev, rx));
            Some(w)
        }
        Err(e) => {
            dev.trace.emit(
                "watch-failed",
                json!({ "spec": spec.display().to_string(), "error": e.to_string() }),
            );
            None
        }
    }
}

async fn reload_on_change(dev: Arc<Dev>, mut changes: mpsc::UnboundedReceiver<()>) {
    let mut last = std::fs::read(&dev.settings.spec).ok();
    while changes.recv().await.is_some() {
        tokio::time::sleep(SETTLE).await;
        while changes.try_recv().is_ok() {}
        // A save that changes nothing (or a `touch`) keeps the running stack.
        let now = std::fs::read(&dev.settings.spec).ok();
        if now != last {
            last = now;
            reload(&dev);
        }
    }
}

/// Compiles the spec again and runs it, or keeps the running stack.
fn reload(dev: &Dev) {
    let spec = dev.settings.spec.display().to_string();
    match load(&dev.settings.spec) {
        Loaded::Ok {
            model,
            warnings,
            source,
            diagram,
        } => {
            print_diagnostics(&source, &warnings);
            let dropped = dev.replace_stack(Stack::new(*model, diagram));
            dev.trace.emit("reload", json!({ "spec": spec, "warnings": warnings.len(), "subscriptionsDropped": dropped }));
        }
        Loaded::Failed {
            source,
            diagnostics,
        } => {
            print_diagnostics(&source, &diagnostics);
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| render::human(&source, d, Style::plain()))
                .collect();
            dev.trace.emit(
                "reload-failed",
                json!({ "spec": spec, "errors": errors, "running": "the last good spec" }),
            );
        }
    }
}
