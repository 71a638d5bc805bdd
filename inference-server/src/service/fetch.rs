//! Downloading the image a client names, within bounds.
//!
//! A server that fetches URLs for strangers is a classic server-side request forgery hole:
//! `http://127.0.0.1:6379/` or `http://169.254.169.254/` would reach services that trust
//! the local network. So only `http`/`https` are accepted, and every address a host name
//! resolves to, on the first request and on each redirect, is checked before connecting:
//! loopback, private, link-local, unspecified and similar addresses are refused unless the
//! operator allows them (`--allow-private-urls`, for demos and tests on one machine).

use std::fmt;
use std::io;
use std::net::IpAddr;
use std::time::Duration;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// Bounds and policy for image downloads.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Largest body accepted, in bytes (the lab's 20 MiB by default).
    pub max_bytes: u64,
    /// Bound on establishing the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Bound on the whole request, redirects and body included.
    pub total_timeout: Duration,
    /// Allow loopback, private, link-local and unspecified addresses.
    pub allow_private: bool,
}

impl Default for FetchLimits {
    /// 20 MiB, 5 s to connect, 30 s in all, public addresses only.
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(30),
            allow_private: false,
        }
    }
}

/// Why an image could not be fetched; the text goes to the client after `error: `.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an absolute `http://` or `https://` URL.
    #[error("unsupported URL {0:?}: only http:// and https:// URLs are accepted")]
    BadUrl(String),
    /// The server answered with a non-success status.
    #[error("the image server answered HTTP {0}")]
    Status(u16),
    /// The body is over [`FetchLimits::max_bytes`].
    #[error("the image is larger than the limit of {0} bytes")]
    TooLarge(u64),
    /// The body is not in an image format we can decode.
    #[error("the URL does not point to an image (content type {0:?})")]
    NotAnImage(String),
    /// Connection, DNS, TLS or timeout errors, or a refused private address.
    #[error("cannot download the image: {0}")]
    Transport(String),
}

/// A downloaded image.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The body.
    pub bytes: Vec<u8>,
    /// Extension to save it with, without the dot: the URL's own when it names an image
    /// format (`jpg`, `jpeg`, `png`, ...), else the detected format's usual one.
    pub extension: String,
}

/// An HTTP client that enforces [`FetchLimits`]; cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    limits: FetchLimits,
}

impl Fetcher {
    /// A client with these limits.
    pub fn new(limits: FetchLimits) -> Self {
        let config = Config::builder()
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_global(Some(limits.total_timeout))
            // A proxy from the environment would resolve hosts for us, past our check.
            .proxy(None)
            .user_agent("netlabs-inference-server")
            .build();
        let resolver = GuardedResolver {
            allow_private: limits.allow_private,
        };
        Self {
            agent: ureq::Agent::with_parts(config, DefaultConnector::default(), resolver),
            limits,
        }
    }

    /// Downloads `url` and checks that it is an image.
    pub fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| FetchError::BadUrl(url.to_owned()))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
            return Err(FetchError::BadUrl(url.to_owned()));
        }
        let mut response = self.agent.get(&uri).call().map_err(transport)?;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_owned();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.limits.max_bytes),
                e => transport(e),
            })?;
        let format =
            image::guess_format(&bytes).map_err(|_| FetchError::NotAnImage(content_type))?;
        Ok(Fetched {
            extension: url_extension(&uri).unwrap_or_else(|| format.extensions_str()[0].to_owned()),
            bytes,
        })
    }
}

fn transport(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::StatusCode(code) => FetchError::Status(code),
        e => FetchError::Transport(e.to_string()),
    }
}

/// The URL path's extension, lower-cased, if it names an image format we decode.
fn url_extension(uri: &Uri) -> Option<String> {
    let name = uri.path().rsplit('/').next()?;
    let (_, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    image::ImageFormat::from_extension(&extension).map(|_| extension)
}

/// Whether `ip` is an address a public URL must not reach: loopback, private (RFC 1918,
/// IPv6 unique local), link-local (including cloud metadata at 169.254.169.254), shared
/// CGNAT space, unspecified, broadcast or multicast, or IPv4 such an address mapped into IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b)) // 100.64.0.0/10, carrier-grade NAT
                || a == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // fc00::/7, unique local
                || (first & 0xffc0) == 0xfe80 // fe80::/10, link-local
        }
    }
}

/// ureq's resolver, minus the addresses [`is_private`] refuses.
struct GuardedResolver {
    allow_private: bool,
}

impl fmt::Debug for GuardedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedResolver")
            .field("allow_private", &self.allow_private)
            .finish()
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = DefaultResolver::default().resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(resolved);
        }
        let mut public = self.empty();
        let mut refused = None;
        for addr in &resolved {
            match is_private(addr.ip()) {
                true => refused = Some(addr.ip()),
                false => public.push(*addr),
            }
        }
        match refused {
            Some(ip) if public.is_empty() => Err(ureq::Error::Io(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} resolves to the non-public address {ip}, which this server refuses",
                    uri.host().unwrap_or("the host")
                ),
            ))),
            _ => Ok(public),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn only_http_and_https() {
        let fetcher = Fetcher::new(FetchLimits::default());
        for url in [
            "ftp://example.com/a.jpg",
            "file:///etc/passwd",
            "not a url",
            "/a.jpg",
        ] {
            let err = fetcher.fetch(url).unwrap_err();
            assert!(matches!(err, FetchError::BadUrl(_)), "{url}: {err}");
        }
    }

    #[test]
    fn loopback_is_refused_without_the_flag() {
        let fetcher = Fetcher::new(FetchLimits::default());
        let err = fetcher.fetch("http://127.0.0.1:9/photo.jpg").unwrap_err();
        assert!(
            err.to_string().contains("non-public address 127.0.0.1"),
            "{err}"
        );
    }

    #[test]
    fn extensions_come_from_the_url_when_it_names_an_image() {
        let uri: Uri = "http://h/a/b/Photo.JPG?x=1".parse().unwrap();
        assert_eq!(url_extension(&uri).as_deref(), Some("jpg"));
        let uri: Uri = "http://h/download.php".parse().unwrap();
        assert_eq!(url_extension(&uri), None);
    }
}
