//! `dev` refusing bad specs and busy ports, reloading, `init` and `completions`.

use std::process::Command;
use std::time::Duration;

use crate::harness::{Server, BIN};

#[test]
fn an_invalid_spec_is_not_served_and_a_busy_port_is_a_clear_error() {
    let out = Command::new(BIN)
        .args(["dev", "specs/invalid/many-errors.yaml", "--port", "0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not serving"));
    let s = Server::start("specs/minimal.yaml".as_ref(), &[]);
    let port = s.http.rsplit(':').next().unwrap().to_owned();
    let out = Command::new(BIN)
        .args(["dev", "specs/minimal.yaml", "--port", &port])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")) && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn a_changed_spec_is_reloaded_and_a_broken_one_keeps_the_last_good() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("app.yaml");
    let two = "version: 1\nname: app\ntopics:\n  a:\n    pattern: { source: [x] }\n  b:\n    pattern: { source: [y] }\n";
    std::fs::write(&spec, two).unwrap();
    let mut s = Server::start(&spec, &[]);
    let (mut c, _) = s.connect();
    assert_eq!(
        c.ask(r#"{"action":"subscribe","topics":["a","b"]}"#)["topics"],
        serde_json::json!(["a", "b"])
    );
    std::thread::sleep(Duration::from_millis(50));
    std::fs::write(
        &spec,
        two.replace("  b:\n    pattern: { source: [y] }\n", ""),
    )
    .unwrap();
    let reload = s.wait("reload", |_| true);
    assert_eq!(reload["subscriptionsDropped"], 1);
    // Reading the spec is not a change: one edit, one reload.
    std::thread::sleep(Duration::from_millis(400));
    s.mark();
    assert_eq!(s.seen.iter().filter(|r| r["kind"] == "reload").count(), 1);
    assert_eq!(
        c.ask(r#"{"action":"subscribe","topics":["b"]}"#)["code"],
        "unknown-topic",
        "the connection survived"
    );
    std::fs::write(&spec, "version: 1\nname: app\ntopics: 3\n").unwrap();
    let failed = s.wait("reload-failed", |_| true);
    assert!(!failed["errors"].as_array().unwrap().is_empty());
    assert_eq!(
        c.ask(r#"{"action":"subscribe","topics":["a"]}"#)["type"],
        "subscribed",
        "still the last good spec"
    );
}

#[test]
fn init_writes_a_starter_that_checks_clean_and_completions_print() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Order Feed");
    let out = Command::new(BIN).arg("init").arg(&target).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = target.join("lambdaless.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=./lambdaless.schema.json"));
    assert!(text.contains("\nname: order-feed\n"), "{text}");
    assert!(target.join("lambdaless.schema.json").exists());
    let check = Command::new(BIN)
        .arg("check")
        .arg(&spec)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // The URL its comment shows is the one `dev` serves it on.
    let s = Server::start(&spec, &[]);
    assert!(
        text.contains(&format!("ws://127.0.0.1:3000/{}", s.stage)),
        "stage {}: {text}",
        s.stage
    );
    let again = Command::new(BIN).arg("init").arg(&target).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "never overwrites");
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(BIN)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("test-pattern"));
    }
}
