//! Abuse rules read from `--deny-file`.
//!
//! One rule per line, `KIND VALUE` separated by white space; `#` starts a comment; blank lines
//! are ignored; kinds and values are case-insensitive:
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
//! ```

use std::net::IpAddr;
use std::path::Path;

use cloudinary_agent_account::wire::AgentAccountRequest;

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
            let value = value.to_ascii_lowercase();
            match kind {
                "domain" => rules.domains.push(
                    value
                        .trim_start_matches('@')
                        .trim_start_matches('.')
                        .to_owned(),
                ),
                "email" => rules.emails.push(value),
                "ip" => rules.networks.push(parse_cidr(&value).ok_or_else(|| {
                    syntax(format!("`{value}` is not an IP address or CIDR network"))
                })?),
                "agent" => rules.agents.push(value),
                other => {
                    return Err(syntax(format!(
                        "unknown kind `{other}`; the kinds are domain, email, ip and agent"
                    )))
                }
            }
        }
        Ok(rules)
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.domains.len() + self.emails.len() + self.networks.len() + self.agents.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the client IP alone is blocked.
    pub fn blocks_ip(&self, ip: IpAddr) -> bool {
        self.networks.iter().any(|n| n.contains(ip))
    }

    /// Whether a validated request is blocked (the IP is checked separately).
    pub fn blocks_request(&self, req: &AgentAccountRequest, user_agent: Option<&str>) -> bool {
        let email = req.email.to_ascii_lowercase();
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
            req.agent_framework.to_lowercase(),
            req.agent_llm_model.to_lowercase(),
            user_agent.unwrap_or("").to_lowercase(),
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
    fn rejects_bad_lines() {
        assert!(DenyRules::parse("colour blue").is_err());
        assert!(DenyRules::parse("ip 300.1.1.1").is_err());
        assert!(DenyRules::parse("ip 192.0.2.0/33").is_err());
        assert!(DenyRules::parse("domain").is_err());
        let zero = DenyRules::parse("ip 0.0.0.0/0").unwrap();
        assert!(zero.blocks_ip("203.0.113.9".parse().unwrap()));
    }
}
