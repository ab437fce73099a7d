//! Who may talk to the studio: a request must carry the token printed at
//! start (in the URL once, then in a cookie), name this server in `Host` (a
//! DNS-rebinding page names its own), and not come from another site
//! (`Origin`, `Sec-Fetch-Site`). Pure functions over header values, so the
//! rules are tested without a server.

/// The cookie the token is kept in after the first request.
pub const COOKIE: &str = "vitaes_studio";

/// A token for one start: 256 random bits (two v4 UUIDs' 122 each, and
/// their fixed bits) as 64 hex digits.
pub fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Equal strings, compared in time that depends on their lengths only.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The server's own names: `host:port`, and for a loopback server
/// `localhost`, `127.0.0.1` and `[::1]` with the port.
#[derive(Debug, Clone)]
pub struct Guard {
    token: String,
    hosts: Vec<String>,
}

/// Why a request is refused (each a 403).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or a wrong one.
    Token,
    /// `Host` is not this server (DNS rebinding).
    Host,
    /// `Origin` or `Sec-Fetch-Site` says another site sent it.
    CrossSite,
}

impl Refusal {
    /// The text of the 403.
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::Token => {
                "403: no studio token (open the URL the studio printed, with its ?token=...)"
            }
            Refusal::Host => "403: the Host header does not name this studio",
            Refusal::CrossSite => "403: a request from another site",
        }
    }
}

/// The parts of a request the guard reads.
#[derive(Debug, Default)]
pub struct Request<'a> {
    /// `Host`.
    pub host: Option<&'a str>,
    /// `Origin`.
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`.
    pub fetch_site: Option<&'a str>,
    /// `Cookie`.
    pub cookie: Option<&'a str>,
    /// The URL's query string.
    pub query: Option<&'a str>,
}

impl Guard {
    /// The guard of a server bound to `host:port` with `token`.
    pub fn new(token: String, host: &str, port: u16) -> Guard {
        let mut hosts = vec![format!("{}:{port}", bracketed(host))];
        if is_loopback(host) {
            for name in ["localhost", "127.0.0.1", "[::1]"] {
                let h = format!("{name}:{port}");
                if !hosts.contains(&h) {
                    hosts.push(h);
                }
            }
        }
        Guard { token, hosts }
    }

    /// The token (for the URL printed at start).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `Ok(true)` when the request is let in by the token in its URL (the
    /// response then sets the cookie), `Ok(false)` by its cookie.
    pub fn check(&self, r: &Request<'_>) -> Result<bool, Refusal> {
        let host = r.host.map(|h| h.to_ascii_lowercase());
        if !host.as_ref().is_some_and(|h| self.hosts.contains(h)) {
            return Err(Refusal::Host);
        }
        if r.fetch_site == Some("cross-site") || r.fetch_site == Some("same-site") {
            return Err(Refusal::CrossSite);
        }
        if let Some(origin) = r.origin {
            let ours = self
                .hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
            if !ours {
                return Err(Refusal::CrossSite);
            }
        }
        let from_query = r
            .query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter_map(|kv| kv.strip_prefix("token="))
            .any(|t| same(t, &self.token));
        if from_query {
            return Ok(true);
        }
        let from_cookie = r
            .cookie
            .into_iter()
            .flat_map(|c| c.split(';'))
            .filter_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
            .any(|t| same(t, &self.token));
        if from_cookie {
            Ok(false)
        } else {
            Err(Refusal::Token)
        }
    }

    /// The `Set-Cookie` value that keeps the token for later requests.
    pub fn cookie(&self) -> String {
        format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", self.token)
    }
}

/// Whether `host` (as given to `--host`) is a loopback address or name.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An IPv6 address in brackets, as a URL and `Host` write it.
pub fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::new("t0k3n".into(), "127.0.0.1", 4983)
    }

    fn request<'a>(host: &'a str) -> Request<'a> {
        Request {
            host: Some(host),
            ..Request::default()
        }
    }

    #[test]
    fn the_token_comes_in_the_url_then_in_the_cookie() {
        let g = guard();
        let r = Request {
            query: Some("a=1&token=t0k3n"),
            ..request("127.0.0.1:4983")
        };
        assert_eq!(g.check(&r), Ok(true));
        let r = Request {
            cookie: Some("other=1; vitaes_studio=t0k3n"),
            ..request("localhost:4983")
        };
        assert_eq!(g.check(&r), Ok(false));
        for (query, cookie) in [
            (None, None),
            (Some("token=t0k3"), None),
            (None, Some("vitaes_studio=t0k3nX")),
        ] {
            let r = Request {
                query,
                cookie,
                ..request("127.0.0.1:4983")
            };
            assert_eq!(g.check(&r), Err(Refusal::Token));
        }
    }

    #[test]
    fn another_host_or_site_is_refused_even_with_the_token() {
        let g = guard();
        let with_token = |r: Request<'static>| Request {
            query: Some("token=t0k3n"),
            ..r
        };
        for host in ["evil.example:4983", "127.0.0.1:80", "127.0.0.1"] {
            assert_eq!(
                g.check(&with_token(request(host))),
                Err(Refusal::Host),
                "{host}"
            );
        }
        assert_eq!(
            g.check(&Request {
                host: None,
                ..with_token(Request::default())
            }),
            Err(Refusal::Host)
        );
        let r = Request {
            origin: Some("http://evil.example"),
            ..with_token(request("127.0.0.1:4983"))
        };
        assert_eq!(g.check(&r), Err(Refusal::CrossSite));
        let r = Request {
            fetch_site: Some("cross-site"),
            ..with_token(request("127.0.0.1:4983"))
        };
        assert_eq!(g.check(&r), Err(Refusal::CrossSite));
        let r = Request {
            origin: Some("http://localhost:4983"),
            fetch_site: Some("same-origin"),
            ..with_token(request("127.0.0.1:4983"))
        };
        assert_eq!(g.check(&r), Ok(true));
    }

    #[test]
    fn loopback_names_and_tokens() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("192.168.1.2"));
        assert_eq!(bracketed("::1"), "[::1]");
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
