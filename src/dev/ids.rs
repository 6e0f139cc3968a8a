//! Identifiers shaped like API Gateway's and EventBridge's.

/// A connection id like API Gateway's (`L0SM9cOFvHcCIhw=`): 15 letters and digits and `=`,
/// safe in an `@connections/{id}` path without encoding.
pub(crate) fn connection_id() -> String {
    let mut id = alphanumeric(15);
    id.push('=');
    id
}

/// A request id like API Gateway's (`Rz1ABcDeFgHiJkL=`).
pub(crate) fn request_id() -> String {
    let mut id = alphanumeric(15);
    id.push('=');
    id
}

/// An event id like EventBridge's (a UUID).
pub(crate) fn event_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `n` random letters and digits.
fn alphanumeric(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in uuid::Uuid::new_v4().into_bytes() {
            // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
            if b < 248 && out.len() < n {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_shapes_clients_expect() {
        let id = connection_id();
        assert_eq!(id.len(), 16);
        assert!(id.ends_with('='));
        assert!(id[..15].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(connection_id(), connection_id());
        assert_eq!(event_id().len(), 36);
    }
}
