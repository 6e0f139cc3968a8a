//! IP addresses and the `cidr` operator.
//!
//! EventBridge (event-ruler) recognises an IP literal only if it looks like
//! `digits.digits.digits.digits` or consists of hex digits and colons with at least one colon,
//! then parses it with Java's `InetAddress`. Exact string patterns that are IP literals are
//! also compared as addresses, so `"2001:db8::1"` matches `"2001:0db8:0:0:0:0:0:1"`.

use std::net::Ipv6Addr;

/// An IPv4 or IPv6 address as an integer; IPv4 addresses keep `v4` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ip {
    v4: bool,
    bits: u128,
}

/// Parses an IP literal as EventBridge does; `None` for anything else.
pub(crate) fn parse_ip(text: &str) -> Option<Ip> {
    if let Some(ip) = parse_v4(text) {
        return Some(ip);
    }
    if !looks_like_v6(text) {
        return None;
    }
    let octets = text.parse::<Ipv6Addr>().ok()?.octets();
    // Java's InetAddress turns IPv4-mapped IPv6 literals (::ffff:a.b.c.d in hex form) into
    // plain IPv4 addresses.
    if octets[..10].iter().all(|&b| b == 0) && octets[10] == 0xff && octets[11] == 0xff {
        let v4 = u32::from_be_bytes([octets[12], octets[13], octets[14], octets[15]]);
        return Some(Ip {
            v4: true,
            bits: u128::from(v4),
        });
    }
    Some(Ip {
        v4: false,
        bits: u128::from_be_bytes(octets),
    })
}

/// event-ruler's `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`.
fn looks_like_v4(text: &str) -> bool {
    let mut parts = 0;
    for part in text.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

/// event-ruler's `[0-9a-fA-F:]*:[0-9a-fA-F:]*`.
fn looks_like_v6(text: &str) -> bool {
    text.contains(':') && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
}

/// Dotted quad with decimal octets; leading zeros are decimal, not octal (as AWS reads them).
/// Single pass, no allocation: event values are parsed on every `cidr` test.
fn parse_v4(text: &str) -> Option<Ip> {
    let (mut value, mut octet, mut digits, mut dots) = (0u32, 0u32, 0usize, 0);
    for &byte in text.as_bytes() {
        match byte {
            b'0'..=b'9' => {
                octet = octet * 10 + u32::from(byte - b'0');
                digits += 1;
                if octet > 255 {
                    return None;
                }
            }
            b'.' if digits > 0 && dots < 3 => {
                value = (value << 8) | octet;
                (octet, digits, dots) = (0, 0, dots + 1);
            }
            _ => return None,
        }
    }
    (digits > 0 && dots == 3).then(|| Ip {
        v4: true,
        bits: u128::from((value << 8) | octet),
    })
}

/// An inclusive address range from a CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CidrRange {
    v4: bool,
    low: u128,
    high: u128,
}

impl CidrRange {
    /// Whether `ip` is inside the block (never across address families).
    pub(crate) fn contains(&self, ip: Ip) -> bool {
        ip.v4 == self.v4 && (self.low..=self.high).contains(&ip.bits)
    }
}

/// Why a `cidr` operand is rejected; `Display` gives the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CidrError {
    /// Not exactly one `/`.
    #[error("malformed CIDR, one '/' required")]
    OneSlash,
    /// Mask bits are not an integer.
    #[error("malformed CIDR, mask bits must be an integer")]
    MaskNotInteger,
    /// Mask bits are negative.
    #[error("malformed CIDR, mask bits must not be negative")]
    MaskNegative,
    /// The address does not look like an IP literal at all.
    #[error("nonstandard IP address: {0}")]
    Nonstandard(String),
    /// The address looks like an IP literal but is not a valid one.
    #[error("invalid IP address: {0}")]
    Invalid(String),
    /// IPv4 prefix length above 31.
    #[error("IPv4 mask bits must be < 32")]
    V4Mask,
    /// IPv6 prefix length above 127.
    #[error("IPv6 mask bits must be < 128")]
    V6Mask,
}

/// Parses a CIDR block as EventBridge does.
///
/// Quirks kept on purpose: Java's `String.split("/")` drops trailing empty pieces (so
/// `"10.0.0.0/24/"` is accepted), the mask is parsed like `Integer.parseInt` (optional sign),
/// and EventBridge rejects `/32` for IPv4 and `/128` for IPv6 (use an exact value instead).
/// Host bits below the mask are ignored.
///
/// `/32` and `/128`: event-ruler's `CIDR.cidr` (aws/event-ruler, unchanged through v2.0.1 in
/// 2026) throws "IPv4 mask bits must be < 32" / "IPv6 mask bits must be < 128", and the
/// EventBridge user guide documents no other limit (its IP matching section shows `/24`).
/// With no evidence that the service accepts them, they stay rejected: a rule that deploys
/// here must deploy there. An exact string pattern (`["10.0.0.1"]`) matches one address in
/// any spelling, so nothing is lost.
pub(crate) fn parse_cidr(text: &str) -> Result<CidrRange, CidrError> {
    let mut pieces: Vec<&str> = text.split('/').collect();
    while pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    let [address, mask] = pieces[..] else {
        return Err(CidrError::OneSlash);
    };
    let mask = parse_java_int(mask).ok_or(CidrError::MaskNotInteger)?;
    if mask < 0 {
        return Err(CidrError::MaskNegative);
    }
    if !looks_like_v4(address) && !looks_like_v6(address) {
        return Err(CidrError::Nonstandard(address.to_string()));
    }
    let ip = parse_ip(address).ok_or_else(|| CidrError::Invalid(address.to_string()))?;
    let width: u32 = if ip.v4 { 32 } else { 128 };
    if ip.v4 && mask > 31 {
        return Err(CidrError::V4Mask);
    }
    if !ip.v4 && mask > 127 {
        return Err(CidrError::V6Mask);
    }
    let host_bits = width - mask.unsigned_abs();
    let host_mask: u128 = if host_bits == 0 {
        0
    } else {
        u128::MAX >> (128 - host_bits)
    };
    Ok(CidrRange {
        v4: ip.v4,
        low: ip.bits & !host_mask,
        high: ip.bits | host_mask,
    })
}

/// `Integer.parseInt`: optional sign, decimal digits, within `i32`.
fn parse_java_int(text: &str) -> Option<i32> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i32>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Ip {
        parse_ip(text).unwrap_or(Ip { v4: false, bits: 0 })
    }

    #[test]
    fn parses_addresses() {
        assert_eq!(parse_ip("10.0.0.1"), parse_ip("010.000.0.01"));
        assert!(parse_ip("10.0.0.256").is_none());
        assert!(parse_ip("10.0.0").is_none());
        assert!(parse_ip("bad").is_none());
        assert_eq!(
            parse_ip("2001:db8:1234:1a00::"),
            parse_ip("2001:0db8:1234:1a00:0000:0000:0000:0000")
        );
        assert!(parse_ip("2001:db8::g").is_none());
        assert!(parse_ip("1:2:3:4:5:6:7:8:9").is_none());
        assert_eq!(parse_ip("::ffff:a00:1"), parse_ip("10.0.0.1"));
    }

    #[test]
    fn parses_blocks() {
        let block = parse_cidr("10.0.0.0/24").expect("valid");
        assert!(block.contains(ip("10.0.0.255")));
        assert!(block.contains(ip("10.0.0.0")));
        assert!(!block.contains(ip("10.0.1.0")));
        let host_bits_set = parse_cidr("10.0.0.7/24").expect("valid");
        assert_eq!(host_bits_set, block);
        let v6 = parse_cidr("2001:db8:1234:1a00::/64").expect("valid");
        assert!(v6.contains(ip("2001:0db8:1234:1a00:0000:0000:0000:0001")));
        assert!(!v6.contains(ip("2001:0db8:1234:1a01::")));
        assert!(!v6.contains(ip("10.0.0.1")));
        assert!(parse_cidr("0.0.0.0/0")
            .expect("valid")
            .contains(ip("255.255.255.255")));
        assert!(parse_cidr("10.0.0.0/24/").is_ok());
    }

    #[test]
    fn rejects_blocks() {
        assert_eq!(parse_cidr("bad-filter"), Err(CidrError::OneSlash));
        assert_eq!(parse_cidr("a/b/c"), Err(CidrError::OneSlash));
        assert_eq!(parse_cidr("bad-/64filter"), Err(CidrError::MaskNotInteger));
        assert_eq!(parse_cidr("10.0.0.0/-1"), Err(CidrError::MaskNegative));
        assert_eq!(parse_cidr("10.0.0.0/33"), Err(CidrError::V4Mask));
        assert_eq!(parse_cidr("10.0.0.0/32"), Err(CidrError::V4Mask));
        assert_eq!(parse_cidr("::/128"), Err(CidrError::V6Mask));
        assert!(matches!(
            parse_cidr("10.0.0.300/8"),
            Err(CidrError::Invalid(_))
        ));
        assert!(matches!(
            parse_cidr("host/8"),
            Err(CidrError::Nonstandard(_))
        ));
        assert_eq!(
            parse_cidr("10.0.0.0/99999999999"),
            Err(CidrError::MaskNotInteger)
        );
        assert_eq!(parse_cidr("::1/128"), Err(CidrError::V6Mask));
        assert_eq!(parse_cidr("10.0.0.1/+32"), Err(CidrError::V4Mask));
    }

    #[test]
    fn narrowest_blocks_hold_two_addresses() {
        let v4 = parse_cidr("10.0.0.7/31").expect("valid");
        assert!(v4.contains(ip("10.0.0.6")) && v4.contains(ip("10.0.0.7")));
        assert!(!v4.contains(ip("10.0.0.5")) && !v4.contains(ip("10.0.0.8")));
        let v6 = parse_cidr("2001:db8::1/127").expect("valid");
        assert!(v6.contains(ip("2001:db8::")) && v6.contains(ip("2001:0DB8:0:0:0:0:0:1")));
        assert!(!v6.contains(ip("2001:db8::2")));
        // Java's Integer.parseInt: a sign and leading zeros are fine.
        assert_eq!(parse_cidr("10.0.0.0/+024"), parse_cidr("10.0.0.0/24"));
        assert_eq!(parse_cidr("10.0.0.0/-0"), parse_cidr("0.0.0.0/0"));
        // IPv4-mapped IPv6 blocks are IPv4 blocks.
        assert_eq!(
            parse_cidr("::ffff:a00:0/8").map(|b| b.contains(ip("10.1.2.3"))),
            Ok(true)
        );
    }
}
