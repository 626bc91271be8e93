//! IPv4 and IPv6 address literals, read exactly as `std::net::IpAddr::from_str` reads them
//! (the same grammar, step for step: see `parse_ip`), in less wasm than std's generic parser
//! (BENCHMARKS.md, "A hand-written IP literal parser"). `tests/ip.rs` checks it against std on
//! a generated corpus and by a property test.

use std::net::IpAddr;

/// A cursor over the literal's bytes; every `read_*` either advances past what it read and
/// returns it, or leaves the cursor where it was and returns `None` (std's `read_atomically`).
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Reads `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(next);
        next
    }

    /// `sep` (unless `first`), then a number: the longest run of digits of `radix` (10 or 16),
    /// refused whole when it has more than `max` digits, and for radix 10 when over 255 or
    /// with a leading zero (std's `read_separator` over `read_number`).
    fn read_number(&mut self, sep: u8, first: bool, radix: u32, max: usize) -> Option<u16> {
        let start = self.at;
        if first || self.eat(sep) {
            let digits = self.at;
            let mut n = 0u32;
            while let Some(d) = self
                .bytes
                .get(self.at)
                .and_then(|&b| char::from(b).to_digit(radix))
            {
                n = n * radix + d;
                self.at += 1;
                if self.at - digits > max {
                    break;
                }
            }
            let len = self.at - digits;
            let decimal_ok =
                radix == 16 || (n <= 255 && (len == 1 || self.bytes.get(digits) != Some(&b'0')));
            if (1..=max).contains(&len) && decimal_ok {
                return Some(n as u16);
            }
        }
        self.at = start;
        None
    }

    /// Four decimal octets joined by dots, after `:` unless `first` (std's `read_ipv4_addr`).
    fn read_v4(&mut self, first: bool) -> Option<[u8; 4]> {
        let start = self.at;
        if first || self.eat(b':') {
            let mut octets = [0u8; 4];
            let mut ok = true;
            for (i, o) in octets.iter_mut().enumerate() {
                match self.read_number(b'.', i == 0, 10, 3) {
                    Some(n) => *o = n as u8,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                return Some(octets);
            }
        }
        self.at = start;
        None
    }

    /// Up to `groups.len()` groups joined by `:`, the last two of which may be an IPv4
    /// address; how many were read and whether an IPv4 address ended them (std's
    /// `read_groups`).
    fn read_groups(&mut self, groups: &mut [[u8; 2]]) -> (usize, bool) {
        let limit = groups.len();
        for i in 0..limit {
            if i + 1 < limit {
                if let Some([a, b, c, d]) = self.read_v4(i == 0) {
                    groups[i] = [a, b];
                    groups[i + 1] = [c, d];
                    return (i + 2, true);
                }
            }
            match self.read_number(b':', i == 0, 16, 4) {
                Some(g) => groups[i] = g.to_be_bytes(),
                None => return (i, false),
            }
        }
        (limit, false)
    }

    /// Eight groups, or fewer around one `::` (std's `read_ipv6_addr`).
    fn read_v6(&mut self) -> Option<[[u8; 2]; 8]> {
        let mut head = [[0u8; 2]; 8];
        let (head_len, head_v4) = self.read_groups(&mut head);
        if head_len == 8 {
            return Some(head);
        }
        if head_v4 || !(self.eat(b':') && self.eat(b':')) {
            return None;
        }
        let mut tail = [[0u8; 2]; 7];
        let (tail_len, _) = self.read_groups(&mut tail[..7 - head_len]);
        head[8 - tail_len..].copy_from_slice(&tail[..tail_len]);
        Some(head)
    }
}

/// The address `s` spells, exactly when `s.parse::<IpAddr>()` accepts it: an IPv4 address
/// when one reads from the start (then nothing may follow), else an IPv6 address, then the end.
///
/// ```
/// use cloudinary_agent_account::ip::parse_ip;
/// assert_eq!(parse_ip("203.0.113.7"), "203.0.113.7".parse().ok());
/// assert_eq!(parse_ip("2001:db8::7"), "2001:db8::7".parse().ok());
/// assert_eq!(parse_ip("01.2.3.4"), None);
/// ```
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let mut c = Cursor {
        bytes: s.as_bytes(),
        at: 0,
    };
    let ip = match c.read_v4(true) {
        Some(v4) => IpAddr::from(v4),
        None => {
            let mut v6 = [0u8; 16];
            v6.copy_from_slice(c.read_v6()?.as_flattened());
            IpAddr::from(v6)
        }
    };
    (c.at == s.len()).then_some(ip)
}
