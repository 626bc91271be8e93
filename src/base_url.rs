//! The rules for a `baseUrl`, applied to the parts the runtime's own URL parser (WHATWG `URL`)
//! produced: `https:` anywhere, `http:` only for a loopback host; no credentials, query or
//! fragment; a path prefix kept. Parsing is left to the runtime (a URL crate would cost the
//! client's wasm far more than it saves); judging the parts is here, where it can be tested
//! natively. Messages never repeat the URL, so they never repeat a password in it.

/// The parts of a parsed URL, as `URL` names them (already lower-cased and normalised by the
/// parser: `HTTP://LocalHost` has protocol `http:` and hostname `localhost`, `127.1` becomes
/// `127.0.0.1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParts {
    /// `https:`
    pub protocol: String,
    /// The user name, if any.
    pub username: String,
    /// The password, if any.
    pub password: String,
    /// The host name, `[::1]` for an IPv6 address.
    pub hostname: String,
    /// The host name with its port.
    pub host: String,
    /// The path, `/` at least.
    pub pathname: String,
    /// `?...`, or empty.
    pub search: String,
    /// `#...`, or empty.
    pub hash: String,
}

/// Whether a (parsed) host name is a loopback address: `localhost`, `127.0.0.0/8` or `[::1]`.
pub fn is_loopback_host(hostname: &str) -> bool {
    if hostname == "localhost" || hostname == "[::1]" {
        return true;
    }
    // The parser has already normalised an IPv4 address to four decimal parts (and refused an
    // invalid one); a name of digits and dots is therefore such an address.
    hostname.starts_with("127.") && hostname.bytes().all(|c| c.is_ascii_digit() || c == b'.')
}

/// The base URL to prefix the endpoint path with (scheme, host, port and path prefix, no
/// trailing slash), or why the URL is refused (a sentence naming `options.baseUrl`).
///
/// ```
/// use cloudinary_agent_account::base_url::{base_from_parts, UrlParts};
/// let parts = UrlParts { protocol: "https:".into(), hostname: "api.example.com".into(),
///     host: "api.example.com".into(), pathname: "/prefix/".into(), ..Default::default() };
/// assert_eq!(base_from_parts(&parts).unwrap(), "https://api.example.com/prefix");
/// ```
pub fn base_from_parts(p: &UrlParts) -> Result<String, &'static str> {
    match p.protocol.as_str() {
        "https:" => {}
        "http:" if is_loopback_host(&p.hostname) => {}
        "http:" => return Err("options.baseUrl must use https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1])"),
        _ => return Err("options.baseUrl must be an https: URL (or http: for localhost, 127.0.0.0/8 and [::1])"),
    }
    if !p.username.is_empty() || !p.password.is_empty() {
        return Err("options.baseUrl must not contain credentials (user:password@); this endpoint needs none");
    }
    if !p.search.is_empty() {
        return Err("options.baseUrl must not have a query (?...)");
    }
    if !p.hash.is_empty() {
        return Err("options.baseUrl must not have a fragment (#...)");
    }
    if p.host.is_empty() {
        return Err("options.baseUrl has no host");
    }
    let path = p.pathname.trim_end_matches('/');
    Ok(crate::text::concat(&[&p.protocol, "//", &p.host, path]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(protocol: &str, hostname: &str, pathname: &str) -> UrlParts {
        UrlParts {
            protocol: protocol.into(),
            hostname: hostname.into(),
            host: hostname.into(),
            pathname: pathname.into(),
            ..Default::default()
        }
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert_eq!(
            base_from_parts(&parts("https:", "api.cloudinary.com", "/")),
            Ok("https://api.cloudinary.com".into())
        );
        for host in ["localhost", "127.0.0.1", "127.255.0.9", "[::1]"] {
            assert!(
                base_from_parts(&parts("http:", host, "/")).is_ok(),
                "{host}"
            );
        }
        for host in [
            "example.com",
            "128.0.0.1",
            "127.0.0.1.example.com",
            "localhost.example.com",
            "[::2]",
            "10.0.0.1",
        ] {
            assert!(
                base_from_parts(&parts("http:", host, "/")).is_err(),
                "{host}"
            );
        }
        for scheme in ["ftp:", "file:", "javascript:", "data:"] {
            assert!(base_from_parts(&parts(scheme, "x", "/")).is_err());
        }
    }

    #[test]
    fn a_path_prefix_is_kept_without_its_trailing_slash() {
        assert_eq!(
            base_from_parts(&parts("https:", "h", "/api/v2//")),
            Ok("https://h/api/v2".into())
        );
    }

    #[test]
    fn credentials_query_and_fragment_are_refused_without_being_repeated() {
        let mut p = parts("https:", "h", "/");
        p.username = "user".into();
        p.password = "FAKE-pass-0000".into();
        let why = base_from_parts(&p).unwrap_err();
        assert!(why.contains("credentials") && !why.contains("FAKE"));
        let mut p = parts("https:", "h", "/");
        p.search = "?x=1".into();
        assert!(base_from_parts(&p).unwrap_err().contains("query"));
        let mut p = parts("https:", "h", "/");
        p.hash = "#f".into();
        assert!(base_from_parts(&p).unwrap_err().contains("fragment"));
    }
}
