//! Abuse rules read from `--deny-file`.
//!
//! One rule per line, `KIND VALUE` separated by white space; `#` starts a comment; blank lines
//! are ignored. Rules and request values are compared after the same normalisation
//! ([`normalize`]: NFKC, default-ignorable code points removed, full Unicode lower case), so a
//! rule `agent ÉVIL` matches `évil`, `ＥＶＩＬ` or `e\u{301}vil`:
//!
//! ```text
//! # e-mail domains: the domain itself and every subdomain of it
//! domain  spam.example.com
//! # one e-mail address
//! email   mallory@example.com
//! # client IP addresses, single or CIDR (IPv4 or IPv6)
//! ip      192.0.2.7
//! ip      198.51.100.0/24
//! # agent strings: a substring of agent_framework, agent_llm_model or the User-Agent header
//! agent   evil-bot
//! # address ranges standing in for a region the service does not serve (403
//! # geo_location_not_permitted instead of the generic 403)
//! region  203.0.113.0/24
//! ```

use std::net::IpAddr;
use std::path::Path;

use cloudinary_agent_account::wire::AgentAccountRequest;
use unicode_normalization::UnicodeNormalization;

/// Which rule refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A `region` rule: the client's address is in a region that is not served.
    Region,
    /// Any other rule: the generic refusal.
    Blocked,
}

/// The form rules and request values are compared in: NFKC, then the default-ignorable code
/// points removed (so a zero-width joiner cannot split a word), then full Unicode lower case.
pub fn normalize(s: &str) -> String {
    s.nfkc()
        .filter(|c| !is_default_ignorable(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt, Unicode 16). Written
/// out here because no small, maintained crate exports the property; the list changes rarely.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// A problem reading the deny file.
#[derive(Debug, thiserror::Error)]
pub enum DenyFileError {
    /// The file could not be read.
    #[error("cannot read the deny file {path}: {source}")]
    Read {
        /// The path given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a rule.
    #[error("deny file line {line}: {why}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// An IP network: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The abuse rules in force.
#[derive(Clone, Debug, Default)]
pub struct DenyRules {
    domains: Vec<String>,
    emails: Vec<String>,
    networks: Vec<Cidr>,
    regions: Vec<Cidr>,
    agents: Vec<String>,
}

impl DenyRules {
    /// Reads and parses a deny file.
    pub fn load(path: &Path) -> Result<Self, DenyFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| DenyFileError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    /// Parses the text of a deny file.
    pub fn parse(text: &str) -> Result<Self, DenyFileError> {
        let mut rules = DenyRules::default();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let syntax = |why: String| DenyFileError::Syntax { line: line_no, why };
            let mut parts = line.split_whitespace();
            let kind = parts.next().unwrap_or("").to_ascii_lowercase();
            let kind = kind.trim_end_matches(':');
            let values: Vec<&str> = parts.collect();
            let [value] = values.as_slice() else {
                return Err(syntax(format!(
                    "expected `KIND VALUE` (one value), got `{line}`"
                )));
            };
            let value = normalize(value);
            let cidr = |value: &str| {
                parse_cidr(value).ok_or_else(|| {
                    syntax(format!("`{value}` is not an IP address or CIDR network"))
                })
            };
            match kind {
                "domain" => rules.domains.push(
                    value
                        .trim_start_matches('@')
                        .trim_start_matches('.')
                        .to_owned(),
                ),
                "email" => rules.emails.push(value),
                "ip" => rules.networks.push(cidr(&value)?),
                "region" => rules.regions.push(cidr(&value)?),
                "agent" => rules.agents.push(value),
                other => {
                    return Err(syntax(format!(
                        "unknown kind `{other}`; the kinds are domain, email, ip, region and agent"
                    )))
                }
            }
        }
        Ok(rules)
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.domains.len()
            + self.emails.len()
            + self.networks.len()
            + self.regions.len()
            + self.agents.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the client IP is in a region that is not served (checked before the body is
    /// read, as a service does at its edge).
    pub fn blocks_region(&self, ip: IpAddr) -> bool {
        self.regions.iter().any(|n| n.contains(ip))
    }

    /// Whether the client IP alone is blocked.
    pub fn blocks_ip(&self, ip: IpAddr) -> bool {
        self.networks.iter().any(|n| n.contains(ip))
    }

    /// Which rule, if any, refuses this validated request from `ip`.
    pub fn check(
        &self,
        ip: IpAddr,
        req: &AgentAccountRequest,
        user_agent: Option<&str>,
    ) -> Option<Verdict> {
        if self.blocks_region(ip) {
            Some(Verdict::Region)
        } else if self.blocks_ip(ip) || self.blocks_request(req, user_agent) {
            Some(Verdict::Blocked)
        } else {
            None
        }
    }

    /// Whether a validated request is blocked (the IP is checked separately).
    pub fn blocks_request(&self, req: &AgentAccountRequest, user_agent: Option<&str>) -> bool {
        let email = normalize(&req.email);
        if self.emails.contains(&email) {
            return true;
        }
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        if self
            .domains
            .iter()
            .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
        {
            return true;
        }
        if self.agents.is_empty() {
            return false;
        }
        let haystacks = [
            normalize(&req.agent_framework),
            normalize(&req.agent_llm_model),
            normalize(user_agent.unwrap_or("")),
        ];
        self.agents
            .iter()
            .any(|a| haystacks.iter().any(|h| h.contains(a.as_str())))
    }
}

fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
        None => (s.parse::<IpAddr>().ok()?, None),
    };
    let addr = addr.to_canonical();
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    (prefix <= max).then_some(Cidr { addr, prefix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(email: &str, framework: &str) -> AgentAccountRequest {
        AgentAccountRequest {
            email: email.into(),
            agent_framework: framework.into(),
            agent_llm_model: "model-1".into(),
            agent_goal: "testing".into(),
            sdk_framework: None,
        }
    }

    #[test]
    fn parses_and_matches() {
        let rules = DenyRules::parse(
            "# comment\n\ndomain blocked.example.com\nemail Mallory@Example.com # trailing\nip 192.0.2.0/24\nip 2001:db8::1\nagent: Evil-Bot\n",
        )
        .unwrap();
        assert_eq!(rules.len(), 5);
        assert!(rules.blocks_request(&req("a@blocked.example.com", "x1"), None));
        assert!(rules.blocks_request(&req("a@sub.blocked.example.com", "x1"), None));
        assert!(!rules.blocks_request(&req("a@notblocked.example.com", "x1"), None));
        assert!(rules.blocks_request(&req("MALLORY@example.com", "x1"), None));
        assert!(rules.blocks_request(&req("a@example.com", "my-evil-bot-2"), None));
        assert!(rules.blocks_request(&req("a@example.com", "ok"), Some("Evil-Bot/1.0")));
        assert!(!rules.blocks_request(&req("a@example.com", "ok"), Some("curl/8")));
        assert!(rules.blocks_ip("192.0.2.200".parse().unwrap()));
        assert!(!rules.blocks_ip("192.0.3.1".parse().unwrap()));
        assert!(rules.blocks_ip("2001:db8::1".parse().unwrap()));
        assert!(rules.blocks_ip("::ffff:192.0.2.9".parse::<IpAddr>().unwrap().to_canonical()));
    }

    #[test]
    fn rules_and_input_are_normalised_alike() {
        let rules = DenyRules::parse("agent ÉVIL\ndomain ＢＡＤ.example\n").unwrap();
        // Precomposed, decomposed, full-width, and split by invisible characters.
        for framework in [
            "évil-bot",
            "e\u{301}vil-bot",
            "ÉVIL",
            "ÉＶＩＬ",
            "e\u{301}v\u{200b}i\u{2060}l",
            "\u{c9}v\u{ad}il",
        ] {
            assert!(
                rules.blocks_request(&req("a@example.com", framework), None),
                "{framework:?}"
            );
        }
        assert!(!rules.blocks_request(&req("a@example.com", "evil"), None));
        assert!(rules.blocks_request(&req("a@bad.example", "ok"), None));
        assert!(rules.blocks_request(&req("a@example.com", "ok"), Some("ÉVIL/1.0")));
        assert_eq!(normalize("Straße"), "straße");
    }

    #[test]
    fn region_rules_have_their_own_verdict() {
        let rules = DenyRules::parse("region 203.0.113.0/24\nip 198.51.100.7\n").unwrap();
        let r = req("a@example.com", "ok");
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            rules.check(ip("203.0.113.9"), &r, None),
            Some(Verdict::Region)
        );
        assert_eq!(
            rules.check(ip("198.51.100.7"), &r, None),
            Some(Verdict::Blocked)
        );
        assert_eq!(rules.check(ip("192.0.2.1"), &r, None), None);
        assert!(DenyRules::parse("region nowhere").is_err());
    }

    #[test]
    fn rejects_bad_lines() {
        assert!(DenyRules::parse("colour blue").is_err());
        assert!(DenyRules::parse("ip 300.1.1.1").is_err());
        assert!(DenyRules::parse("ip 192.0.2.0/33").is_err());
        assert!(DenyRules::parse("domain").is_err());
        let zero = DenyRules::parse("ip 0.0.0.0/0").unwrap();
        assert!(zero.blocks_ip("203.0.113.9".parse().unwrap()));
    }
}
