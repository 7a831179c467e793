//! A one-request-per-connection HTTP(S) client that sends exactly what it is given and never
//! follows a redirect: the engine decides every hop.
//!
//! - HTTPS through rustls with the webpki roots (plus `extra_roots`), or no verification when
//!   [`ClientConfig::insecure`] is set; HTTP/2 when the server picks it through ALPN, HTTP/1.1
//!   otherwise (and always for `http:` URLs, as browsers do).
//! - One deadline per request covers DNS, connect, TLS, sending and the response head; the body
//!   is read only for the report, bounded in size and time, and never fails the exchange.
//! - Failures are typed ([`NetError`]): DNS, connect, TLS, timeout, a broken connection, an
//!   answer that is not HTTP, a head over the size limit.

mod h1;
mod h2;
mod tls;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use corsica::HeaderList;
use corsica::lna::{AddressSpace, address_space_of_ip};
use corsica::url::{Host, Url};
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

pub use tls::load_pem_certificates;

use crate::error::{NetError, Phase};

/// A request exactly as it goes on the wire (the client adds only `Host` and, for `POST`,
/// `PUT` and `PATCH` without one, `Content-Length: 0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WireRequest {
    /// The method.
    pub method: String,
    /// The URL (its fragment is never sent).
    pub url: Url,
    /// The headers, in order. Values are written byte for byte (each code point 0 to 255 is one
    /// byte): the client does not refuse CR or LF, so a probe can test a server's parser.
    pub headers: HeaderList,
}

/// The HTTP version of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// HTTP/1.0.
    Http10,
    /// HTTP/1.1.
    Http11,
    /// HTTP/2.
    Http2,
}

impl Version {
    /// `HTTP/1.1` and so on.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Http10 => "HTTP/1.0",
            Self::Http11 => "HTTP/1.1",
            Self::Http2 => "HTTP/2",
        }
    }
}

/// The status line and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Head {
    status: u16,
    headers: HeaderList,
    version: Version,
}

/// What the client read of a response body (only for the report: CORS never looks at bodies).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// How many bytes were read.
    pub bytes: u64,
    /// The first bytes.
    pub snippet: Vec<u8>,
    /// The body ended as its framing says.
    pub complete: bool,
    /// Why it was not read to the end.
    pub note: Option<&'static str>,
}

impl Body {
    /// How many bytes of the body are kept.
    pub const SNIPPET_BYTES: usize = 512;

    /// The note of a body longer than the limit.
    pub const CUT: &'static str = "longer than the limit: the rest was not read";

    /// Counts `bytes` as read and keeps the first of them, up to `limit` bytes of body in all.
    /// What does not fit is neither counted nor kept: the note says the body was cut, and the
    /// answer is false.
    pub(super) fn take(&mut self, bytes: &[u8], limit: usize) -> bool {
        let room = usize::try_from((limit as u64).saturating_sub(self.bytes)).unwrap_or(usize::MAX);
        let fits = bytes.len() <= room;
        let bytes = &bytes[..bytes.len().min(room)];
        self.bytes += bytes.len() as u64;
        let keep = Self::SNIPPET_BYTES.saturating_sub(self.snippet.len());
        self.snippet
            .extend_from_slice(&bytes[..keep.min(bytes.len())]);
        if !fits {
            self.note = Some(Self::CUT);
        }
        fits
    }

    /// The snippet as text (lossy), trimmed, on one line.
    pub fn snippet_text(&self) -> String {
        String::from_utf8_lossy(&self.snippet)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A response as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The status.
    pub status: u16,
    /// The headers: names as the server wrote them (lowercase over HTTP/2), in order, duplicates
    /// kept; values with obsolete line folding undone.
    pub headers: HeaderList,
    /// The protocol.
    pub version: Version,
    /// The address the connection went to.
    pub peer: SocketAddr,
    /// From the start of the request to the end of the response head.
    pub elapsed: Duration,
    /// What was read of the body.
    pub body: Body,
}

impl Received {
    /// The response the engine is handed: the status and headers (values trimmed as an HTTP
    /// parser leaves them), and the IP address space the connection reached, for Local Network
    /// Access.
    pub fn to_response(&self) -> corsica::Response {
        let mut response = corsica::Response::with_header_list(self.status, self.headers.clone());
        response.address_space = Some(self.address_space());
        response
    }

    /// The IP address space of the peer.
    pub fn address_space(&self) -> AddressSpace {
        address_space_of_ip(self.peer.ip())
    }
}

/// The client's settings.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The time allowed for one request, from DNS to the end of the response head.
    pub timeout: Duration,
    /// The time allowed for reading the body after the head.
    pub body_time: Duration,
    /// The most bytes the status line and headers may have.
    pub max_head_bytes: usize,
    /// The most body bytes read.
    pub max_body_bytes: usize,
    /// Accept any certificate (never the default).
    pub insecure: bool,
    /// More root certificates to trust, besides the webpki roots.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Offer HTTP/2 in the TLS handshake.
    pub http2: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            body_time: h1::DEFAULT_BODY_TIME,
            max_head_bytes: 64 * 1024,
            max_body_bytes: 64 * 1024,
            insecure: false,
            extra_roots: Vec::new(),
            http2: true,
        }
    }
}

/// A bad client setting (an unreadable certificate file, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: String) -> Self {
        Self { message }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The limits an exchange runs under.
#[derive(Clone, Copy, Debug)]
struct Limits {
    timeout: Duration,
    body_time: Duration,
    max_head_bytes: usize,
    max_body_bytes: usize,
}

/// The HTTP(S) client. Cheap to clone; each request opens its own connection.
#[derive(Clone)]
pub struct Client {
    config: Arc<ClientConfig>,
    tls: tokio_rustls::TlsConnector,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with `config`.
    pub fn new(config: ClientConfig) -> Result<Self, ConfigError> {
        let tls = tls::client_config(config.insecure, &config.extra_roots, config.http2)?;
        Ok(Self {
            config: Arc::new(config),
            tls: tokio_rustls::TlsConnector::from(tls),
        })
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends `request` on a new connection and reads the response head (and, for the report,
    /// some of the body). Never follows redirects.
    pub async fn send(&self, request: &WireRequest) -> Result<Received, NetError> {
        let started = Instant::now();
        let deadline = started + self.config.timeout;
        let limits = Limits {
            timeout: self.config.timeout,
            body_time: self.config.body_time,
            max_head_bytes: self.config.max_head_bytes,
            max_body_bytes: self.config.max_body_bytes,
        };
        let url = &request.url;
        let https = match url.scheme() {
            "http" => false,
            "https" => true,
            _ => {
                return Err(NetError::UnsupportedUrl {
                    url: url.to_string(),
                    reason: "only http and https URLs can be fetched",
                });
            }
        };
        let Some(host) = url.host() else {
            return Err(NetError::UnsupportedUrl {
                url: url.to_string(),
                reason: "the URL has no host",
            });
        };
        let port = url
            .port_or_known_default()
            .unwrap_or(if https { 443 } else { 80 });
        let addresses = resolve(&host, port, deadline, limits.timeout).await?;
        let (tcp, peer) = connect(&addresses, deadline, limits.timeout).await?;
        let _ = tcp.set_nodelay(true);
        let (head, body) = if https {
            let name = match &host {
                Host::Domain(domain) => ServerName::try_from(domain.to_string()),
                Host::Ipv4(ip) => Ok(ServerName::from(IpAddr::V4(*ip))),
                Host::Ipv6(ip) => Ok(ServerName::from(IpAddr::V6(*ip))),
            }
            .map_err(|e| NetError::Tls {
                host: host.to_string(),
                message: e.to_string(),
            })?;
            let tls = timeout_at(deadline, self.tls.connect(name, tcp))
                .await
                .map_err(|_| NetError::Timeout {
                    phase: Phase::Tls,
                    after: limits.timeout,
                })?
                .map_err(|e| NetError::Tls {
                    host: host.to_string(),
                    message: e.to_string(),
                })?;
            if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                h2::exchange(tls, request, &limits, deadline).await?
            } else {
                let mut tls = tls;
                h1::exchange(&mut tls, request, &limits, deadline).await?
            }
        } else {
            let mut tcp = tcp;
            h1::exchange(&mut tcp, request, &limits, deadline).await?
        };
        Ok(Received {
            status: head.status,
            headers: head.headers,
            version: head.version,
            peer,
            elapsed: started.elapsed(),
            body,
        })
    }
}

/// The addresses of `host`.
async fn resolve(
    host: &Host<&str>,
    port: u16,
    deadline: Instant,
    after: Duration,
) -> Result<Vec<SocketAddr>, NetError> {
    let name = match host {
        Host::Ipv4(ip) => return Ok(vec![SocketAddr::new(IpAddr::V4(*ip), port)]),
        Host::Ipv6(ip) => return Ok(vec![SocketAddr::new(IpAddr::V6(*ip), port)]),
        Host::Domain(name) => *name,
    };
    let found = timeout_at(deadline, tokio::net::lookup_host((name, port)))
        .await
        .map_err(|_| NetError::Timeout {
            phase: Phase::Dns,
            after,
        })?
        .map_err(|e| NetError::Dns {
            host: name.to_owned(),
            message: e.to_string(),
        })?;
    let addresses: Vec<SocketAddr> = found.collect();
    if addresses.is_empty() {
        return Err(NetError::Dns {
            host: name.to_owned(),
            message: String::from("no address"),
        });
    }
    Ok(addresses)
}

/// A connection to the first of `addresses` that accepts one.
async fn connect(
    addresses: &[SocketAddr],
    deadline: Instant,
    after: Duration,
) -> Result<(TcpStream, SocketAddr), NetError> {
    let mut last = None;
    for &address in addresses {
        match timeout_at(deadline, TcpStream::connect(address)).await {
            Err(_) => {
                return Err(NetError::Timeout {
                    phase: Phase::Connect,
                    after,
                });
            }
            Ok(Ok(stream)) => return Ok((stream, address)),
            Ok(Err(e)) => last = Some((address, e)),
        }
    }
    let (address, e) = last.expect("resolve returns at least one address");
    Err(NetError::Connect {
        address,
        kind: e.kind(),
        message: e.to_string(),
    })
}

/// `host[:port]` as the `Host` header and `:authority` write it (the port only when it is not
/// the scheme's default).
pub(crate) fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The path and the query (`/p?q`), as the request line and `:path` write them.
pub(crate) fn request_target(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// [Isomorphic encode](https://infra.spec.whatwg.org/#isomorphic-encode): `None` when a code
/// point is above U+00FF.
pub(crate) fn isomorphic_encode(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}
