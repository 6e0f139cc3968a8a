//! The SigV4 check API Gateway makes on `$connect` when `api.auth` is `iam`: the upgrade
//! request must be signed for `execute-api`, in its query string (presigned URL, what
//! browsers and `examples/clients` use) or in an `Authorization` header. Its form is always
//! checked; the signature itself when the server knows the signer's secret (the
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` it was started with).
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// SHA-256 of an empty payload (what a signed GET hashes).
const EMPTY_PAYLOAD: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of a SigV4 signature the check needs.
#[derive(Debug, PartialEq, Eq)]
struct Signed {
    access_key: String,
    date: String,
    scope: String,
    amz_date: String,
    signed_headers: Vec<String>,
    signature: String,
}

/// Why a request is refused: API Gateway's message (the body of its 403) and, for the trace,
/// what exactly is wrong.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    /// API Gateway's message.
    pub message: &'static str,
    /// What is wrong, in the dev server's words.
    pub detail: &'static str,
}

impl From<&'static str> for Refused {
    /// An answer whose message says what is wrong.
    fn from(message: &'static str) -> Self {
        Refused {
            message,
            detail: message,
        }
    }
}

/// API Gateway's bare `Forbidden`, with what is wrong.
const fn forbidden(detail: &'static str) -> Refused {
    Refused {
        message: "Forbidden",
        detail,
    }
}

/// The detail of an upgrade request that carries no signature at all.
pub(crate) const UNSIGNED: &str = "the request carries no SigV4 signature (no X-Amz-Signature in the URL, no Authorization header)";

/// Checks the upgrade request: `query` (raw, undecoded), `header` (a lookup of request
/// headers, lower-case names), `path`, `region`, and `secret` for the signer's access key
/// if the server knows it.
pub(crate) fn check(
    query: &str,
    header: &dyn Fn(&str) -> Option<String>,
    path: &str,
    region: &str,
    secret: Option<(&str, &str)>,
) -> Result<(), Refused> {
    let params = parse_query(query);
    let in_query = params.iter().any(|(k, _)| k == "X-Amz-Signature");
    let signed = if in_query {
        from_query(&params)?
    } else if let Some(auth) = header("authorization") {
        from_header(&auth, header("x-amz-date"))?
    } else {
        return Err(forbidden(UNSIGNED));
    };
    let scope: Vec<&str> = signed.scope.split('/').collect();
    if scope.len() != 4
        || scope[0] != signed.date
        || scope[2] != "execute-api"
        || scope[3] != "aws4_request"
    {
        return Err("Credential should be scoped to correct service: 'execute-api'.".into());
    }
    if scope[1] != region {
        return Err("Credential should be scoped to a valid region.".into());
    }
    if !signed.amz_date.starts_with(&signed.date) || signed.amz_date.len() != 16 {
        return Err("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.".into());
    }
    if !signed.signed_headers.iter().any(|h| h == "host") {
        return Err(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".into(),
        );
    }
    if signed.signature.len() != 64 || !signed.signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(
            "The request signature we calculated does not match the signature you provided.".into(),
        );
    }
    let Some((key_id, secret)) = secret else {
        return Ok(());
    };
    if key_id != signed.access_key {
        return Err("The security token included in the request is invalid.".into());
    }
    let query_part = if in_query {
        canonical_query(params.iter().filter(|(k, _)| k != "X-Amz-Signature"))
    } else {
        canonical_query(params.iter())
    };
    let headers: String = signed
        .signed_headers
        .iter()
        .map(|h| format!("{h}:{}\n", header(h).unwrap_or_default().trim()))
        .collect();
    let canonical = format!(
        "GET\n{}\n{query_part}\n{headers}\n{}\n{EMPTY_PAYLOAD}",
        encode(path, false),
        signed.signed_headers.join(";")
    );
    let to_sign = format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        signed.amz_date,
        signed.scope,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), &signed.date);
    for part in &scope[1..] {
        key = hmac(&key, part);
    }
    if hex(&hmac(&key, &to_sign)) == signed.signature {
        Ok(())
    } else {
        Err("The request signature we calculated does not match the signature you provided.".into())
    }
}

fn from_query(params: &[(String, String)]) -> Result<Signed, Refused> {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("X-Amz-Algorithm").as_deref() != Some(ALGORITHM) {
        return Err(forbidden("X-Amz-Algorithm is not AWS4-HMAC-SHA256"));
    }
    let credential = get("X-Amz-Credential").ok_or(forbidden("the URL has no X-Amz-Credential"))?;
    let (access_key, scope) = credential.split_once('/').ok_or(forbidden(
        "X-Amz-Credential is not KEY/DATE/REGION/SERVICE/aws4_request",
    ))?;
    Ok(Signed {
        access_key: access_key.to_owned(),
        date: scope.split('/').next().unwrap_or_default().to_owned(),
        scope: scope.to_owned(),
        amz_date: get("X-Amz-Date").ok_or(forbidden("the URL has no X-Amz-Date"))?,
        signed_headers: get("X-Amz-SignedHeaders")
            .ok_or(forbidden("the URL has no X-Amz-SignedHeaders"))?
            .split(';')
            .map(str::to_owned)
            .collect(),
        signature: get("X-Amz-Signature").unwrap_or_default(),
    })
}

fn from_header(auth: &str, amz_date: Option<String>) -> Result<Signed, Refused> {
    let rest = auth
        .strip_prefix(ALGORITHM)
        .ok_or(forbidden(
            "the Authorization header is not AWS4-HMAC-SHA256",
        ))?
        .trim();
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v.to_owned()),
            Some(("SignedHeaders", v)) => signed_headers = Some(v.to_owned()),
            Some(("Signature", v)) => signature = Some(v.to_owned()),
            _ => return Err("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.".into()),
        }
    }
    let credential = credential.ok_or(forbidden("the Authorization header has no Credential"))?;
    let (access_key, scope) = credential.split_once('/').ok_or(forbidden(
        "Credential is not KEY/DATE/REGION/SERVICE/aws4_request",
    ))?;
    Ok(Signed {
        access_key: access_key.to_owned(),
        date: scope.split('/').next().unwrap_or_default().to_owned(),
        scope: scope.to_owned(),
        amz_date: amz_date.ok_or(forbidden("the request has no X-Amz-Date header"))?,
        signed_headers: signed_headers
            .ok_or(forbidden("the Authorization header has no SignedHeaders"))?
            .split(';')
            .map(str::to_owned)
            .collect(),
        signature: signature.ok_or(forbidden("the Authorization header has no Signature"))?,
    })
}

/// Query parameters, percent-decoded (`+` is a literal plus in SigV4 URLs).
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Sorted `k=v` pairs, each side encoded as SigV4 requires.
fn canonical_query<'a>(params: impl Iterator<Item = &'a (String, String)>) -> String {
    let mut pairs: Vec<(String, String)> = params
        .map(|(k, v)| (encode(k, true), encode(v, true)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 encoding: unreserved characters stay, `/` too when `slash` is false (paths).
fn encode(text: &str, slash: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (b == b'/' && !slash) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hmac(key: &[u8], text: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(text.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
