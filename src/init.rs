//! `lambdaless-gen init [DIR]`: a starter spec that passes `check` without warnings, with the
//! schema beside it so editors validate and complete it offline.

use std::fs;
use std::path::Path;

use crate::schema::SCHEMA_TEXT;

/// The spec file `init` writes.
const SPEC_FILE: &str = "lambdaless.yaml";
/// The schema file the spec's modeline names.
const SCHEMA_FILE: &str = "lambdaless.schema.json";

/// The starter spec; `NAME` is replaced.
const STARTER: &str = r#"# yaml-language-server: $schema=./lambdaless.schema.json
#
# A lambdaless-gen spec: WebSocket clients subscribe to topics (EventBridge event patterns) and
# receive every matching event, with no Lambda code. Check it, run it locally, deploy it:
#
#   lambdaless-gen check lambdaless.yaml
#   lambdaless-gen dev lambdaless.yaml        # ws://127.0.0.1:3000/live and a console page
#   lambdaless-gen build lambdaless.yaml -o out
#
# Every key is described in lambdaless.schema.json (your editor shows it on hover).
version: 1
# Prefixes every AWS name (the NamePrefix parameter's default; override it per deployment).
name: NAME
description: Events pushed to WebSocket clients
api:
  # Clients sign the connection URL (SigV4); `none` lets anyone in. Locally, connect with
  # examples/clients/python/signed_client.py (any AWS_ACCESS_KEY_ID and secret will do).
  auth: iam
  routes:
    $connect:    { do: connect }
    $disconnect: { do: disconnect }
    # {"action":"subscribe","topics":["orders"]}  (no topics: every topic the route allows)
    subscribe:   { do: subscribe, topics: [orders, payments], max_topics: 2 }
    # {"action":"unsubscribe"}
    unsubscribe: { do: unsubscribe }
bus:
  # The stack creates this bus (named after NamePrefix); put your events on it.
  name: NAME
topics:
  orders:
    description: Orders placed or cancelled
    pattern: { source: [shop.orders], detail-type: [OrderPlaced, OrderCancelled] }
    examples:                  # checked by `check` and `build`
      matches:
        - { source: shop.orders, detail-type: OrderPlaced, detail: { orderId: o-1 } }
      ignores:
        - { source: shop.orders, detail-type: OrderShipped }
  payments:
    description: Payments over 100
    deliver: summary           # clients get id, source, detail-type, time and detail only
    pattern:
      source: [shop.payments]
      detail:
        amount: [{ numeric: [">", 100] }]
"#;

/// Writes the starter spec and the schema into `dir`; returns the exit code.
pub(crate) fn run(dir: &Path, name: Option<&str>) -> u8 {
    let spec = dir.join(SPEC_FILE);
    if spec.exists() {
        eprintln!("error: {} already exists; nothing written", spec.display());
        return 1;
    }
    let name = name.map_or_else(|| default_name(dir), str::to_owned);
    if !valid_name(&name) {
        eprintln!("error: `{name}` is not a valid name: a lower-case letter, then lower-case letters, digits or `-`, at most 40 characters");
        return 2;
    }
    let written = fs::create_dir_all(dir)
        .and_then(|()| fs::write(dir.join(SCHEMA_FILE), SCHEMA_TEXT))
        .and_then(|()| fs::write(&spec, STARTER.replace("NAME", &name)));
    match written {
        Ok(()) => {
            println!("wrote {} and {SCHEMA_FILE}", spec.display());
            println!("next: lambdaless-gen dev {}", spec.display());
            0
        }
        Err(e) => {
            eprintln!("error: cannot write into {}: {e}", dir.display());
            1
        }
    }
}

fn valid_name(name: &str) -> bool {
    name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The folder's name, lower-cased, other characters as `-`, starting with a letter.
fn default_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let base = absolute
        .components()
        .next_back()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    name = name.trim_matches('-').chars().take(40).collect();
    if valid_name(&name) {
        name
    } else {
        "my-stream".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_folder() {
        assert!(valid_name("orders-dev"));
        assert!(!valid_name("9lives"));
        assert_eq!(
            default_name(Path::new("/nonexistent/Order Feed")),
            "order-feed"
        );
        assert_eq!(default_name(Path::new("/tmp/42")), "my-stream");
    }
}
