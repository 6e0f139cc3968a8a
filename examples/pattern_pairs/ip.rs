//! IP addresses for `pattern_pairs`: CIDR blocks, addresses on and around their edges, and
//! the many spellings of one address (leading zeros, compressed or full IPv6, upper case,
//! IPv4-mapped IPv6).

use std::net::Ipv6Addr;

use crate::values::Rng;

/// An address: IPv4 (`v4`, 32 bits) or IPv6 (128 bits).
#[derive(Clone, Copy)]
struct Ip {
    v4: bool,
    bits: u128,
}

const V4_BASES: [u32; 6] = [
    0x0A00_0000,
    0xC0A8_0100,
    0x0000_0000,
    0xFFFF_FFFF,
    0x7F00_0001,
    0x0A00_00FF,
];
const V6_BASES: [u128; 5] = [
    0x2001_0db8_0000_0000_0000_0000_0000_0000,
    0x2001_0db8_1234_1a00_0000_0000_0000_0000,
    0,
    u128::MAX,
    0xfe80_0000_0000_0000_0000_0000_0000_0001,
];

fn random_ip(rng: &mut Rng) -> Ip {
    if rng.chance(0.6) {
        let base = rng.pick(&V4_BASES);
        let bits = if rng.chance(0.5) {
            base
        } else {
            rng.next() as u32
        };
        Ip {
            v4: true,
            bits: u128::from(bits),
        }
    } else {
        let base = rng.pick(&V6_BASES);
        let bits = if rng.chance(0.5) {
            base
        } else {
            base ^ u128::from(rng.next() as u16)
        };
        Ip { v4: false, bits }
    }
}

fn v4_text(rng: &mut Rng, bits: u32) -> String {
    let octets = bits.to_be_bytes();
    let zeros = rng.chance(0.15);
    octets
        .iter()
        .map(|o| {
            if zeros {
                format!("{o:03}")
            } else {
                o.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn v6_text(rng: &mut Rng, bits: u128) -> String {
    let addr = Ipv6Addr::from(bits);
    match rng.below(5) {
        4 => compress_any(rng, &addr.segments()),
        0 => addr
            .segments()
            .iter()
            .map(|g| format!("{g:04x}"))
            .collect::<Vec<_>>()
            .join(":"),
        1 => addr.to_string().to_uppercase(),
        2 => addr
            .segments()
            .iter()
            .map(|g| format!("{g:x}"))
            .collect::<Vec<_>>()
            .join(":"),
        _ => addr.to_string(),
    }
}

/// Groups in short hex with one run of zero groups (any run, not only the longest) as "::".
fn compress_any(rng: &mut Rng, groups: &[u16; 8]) -> String {
    let zeros: Vec<usize> = (0..8).filter(|&i| groups[i] == 0).collect();
    let Some(&start) = rng.pick_opt(&zeros) else {
        return groups
            .iter()
            .map(|g| format!("{g:x}"))
            .collect::<Vec<_>>()
            .join(":");
    };
    let end = (start..8)
        .take_while(|&i| groups[i] == 0)
        .last()
        .unwrap_or(start)
        + 1;
    let part = |range: &[u16]| {
        range
            .iter()
            .map(|g| format!("{g:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    format!("{}::{}", part(&groups[..start]), part(&groups[end..]))
}

/// A spelling of `ip` that is not a valid literal: IPv6 with both 8 groups and "::", or a
/// 5-digit group; IPv4 with an octet of 256 or more, or a fifth part.
fn invalid(rng: &mut Rng, ip: Ip) -> String {
    if ip.v4 {
        let text = v4_text(rng, ip.bits as u32);
        return if rng.chance(0.5) {
            format!("{text}.0")
        } else {
            text.replacen('.', "0.", 1).replacen("00.", "256.", 1)
        };
    }
    let groups: Vec<String> = Ipv6Addr::from(ip.bits)
        .segments()
        .iter()
        .map(|g| format!("{g:x}"))
        .collect();
    let at = 1 + rng.below(7) as usize;
    if rng.chance(0.5) {
        format!("{}::{}", groups[..at].join(":"), groups[at..].join(":"))
    } else {
        let mut g = groups;
        g[at] = format!(
            "{:05x}",
            u32::from(u16::from_str_radix(&g[at], 16).unwrap_or(0))
        );
        g.join(":")
    }
}

/// One spelling of `ip`; an IPv4 address sometimes as an IPv4-mapped IPv6 address in hex.
fn spell(rng: &mut Rng, ip: Ip) -> String {
    if ip.v4 {
        if rng.chance(0.1) {
            return v6_text(rng, 0xffff_0000_0000 | ip.bits);
        }
        v4_text(rng, ip.bits as u32)
    } else {
        v6_text(rng, ip.bits)
    }
}

/// An address (valid or not) for an exact-string pattern or an event.
pub(crate) fn address(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => rng
            .pick(&[
                "10.0.0.256",
                "1.2.3",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "12345::",
                ":1::",
            ])
            .into(),
        1 | 2 => {
            let ip = random_ip(rng);
            invalid(rng, ip)
        }
        _ => {
            let ip = random_ip(rng);
            spell(rng, ip)
        }
    }
}

/// A valid CIDR block, sometimes with host bits set, a `+` on the mask or a trailing slash.
pub(crate) fn block(rng: &mut Rng) -> String {
    let ip = random_ip(rng);
    let width = if ip.v4 { 32 } else { 128 };
    let mask = rng.below(width);
    let text = if ip.v4 {
        v4_text(rng, ip.bits as u32)
    } else {
        v6_text(rng, ip.bits)
    };
    let sign = if rng.chance(0.05) { "+" } else { "" };
    let tail = if rng.chance(0.05) { "/" } else { "" };
    format!("{text}/{sign}{mask}{tail}")
}

/// Parses our own spellings (IPv4 octets may have leading zeros).
fn parse(text: &str) -> Option<Ip> {
    if text.contains('.') {
        let octets: Vec<u32> = text
            .split('.')
            .map(|o| o.parse().ok())
            .collect::<Option<_>>()?;
        let bits = octets
            .iter()
            .try_fold(0u32, |acc, &o| (o < 256).then_some((acc << 8) | o))?;
        return (octets.len() == 4).then_some(Ip {
            v4: true,
            bits: u128::from(bits),
        });
    }
    let bits = u128::from(text.parse::<Ipv6Addr>().ok()?);
    Some(Ip { v4: false, bits })
}

/// The same address in another spelling, when `s` is an address.
pub(crate) fn respell(rng: &mut Rng, s: &str) -> String {
    match parse(s) {
        Some(ip) if rng.chance(0.5) => spell(rng, ip),
        _ => s.to_string(),
    }
}

/// A near miss for an exact-string pattern `s`: a neighbouring address, an invalid
/// spelling of the same address, or (for dotted digits that are not an address) an octet
/// with a leading zero.
pub(crate) fn respell_loosely(rng: &mut Rng, s: &str) -> String {
    if let Some(ip) = parse(s) {
        return match rng.below(3) {
            0 => spell(
                rng,
                Ip {
                    v4: ip.v4,
                    bits: ip.bits ^ 1,
                },
            ),
            1 => invalid(rng, ip),
            _ => spell(rng, ip),
        };
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return format!("0{s}");
    }
    format!("{s}{}", rng.pick(&["", "x", ".", ":"]))
}

/// An address on or near the edges of `block`: first, last, one before, one after, or any.
pub(crate) fn inside(rng: &mut Rng, block: &str) -> String {
    let mut pieces = block.split('/');
    let (Some(address), Some(mask)) = (pieces.next(), pieces.next()) else {
        return block.to_string();
    };
    let (Some(ip), Ok(mask)) = (parse(address), mask.trim_start_matches('+').parse::<u32>()) else {
        return address.to_string();
    };
    let width: u32 = if ip.v4 { 32 } else { 128 };
    let host_bits = width.saturating_sub(mask);
    let host: u128 = if host_bits == 0 {
        0
    } else {
        u128::MAX >> (128 - host_bits)
    };
    let (low, high) = (ip.bits & !host, ip.bits | host);
    let limit = if ip.v4 {
        u128::from(u32::MAX)
    } else {
        u128::MAX
    };
    let bits = match rng.below(6) {
        0 => low,
        1 => high,
        2 => low.wrapping_sub(1) & limit,
        3 => high.wrapping_add(1) & limit,
        _ => low | (u128::from(rng.next()) & host),
    };
    if rng.chance(0.05) {
        return invalid(rng, Ip { v4: ip.v4, bits });
    }
    spell(rng, Ip { v4: ip.v4, bits })
}
