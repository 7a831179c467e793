//! Why a request got no HTTP response: one typed kind per way the network can fail.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// The part of an exchange that was running when it failed or ran out of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Resolving the host name.
    Dns,
    /// Opening the TCP connection.
    Connect,
    /// The TLS handshake.
    Tls,
    /// Writing the request.
    Send,
    /// Waiting for, or reading, the response's status line and headers.
    Head,
}

impl Phase {
    /// The phase in words.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Dns => "resolving the host name",
            Self::Connect => "connecting",
            Self::Tls => "the TLS handshake",
            Self::Send => "sending the request",
            Self::Head => "waiting for the response headers",
        }
    }
}

/// A request that got no HTTP response. The browser sees a network error for each of these
/// (`fetch()` rejects with a `TypeError`), so the engine is handed `None`; the report says which.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// The URL cannot be fetched over HTTP(S) (another scheme, no host).
    UnsupportedUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// The host name did not resolve.
    Dns {
        /// The host.
        host: String,
        /// The resolver's message.
        message: String,
    },
    /// No TCP connection could be opened (refused, unreachable, reset).
    Connect {
        /// The address tried last.
        address: SocketAddr,
        /// The I/O error kind.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// The TLS handshake failed (an untrusted or expired certificate, a name mismatch, no common
    /// protocol version).
    Tls {
        /// The server name the certificate was checked against.
        host: String,
        /// rustls's message.
        message: String,
    },
    /// The server took too long.
    Timeout {
        /// What was running.
        phase: Phase,
        /// The time allowed.
        after: Duration,
    },
    /// The connection broke, or closed before a complete response head arrived.
    Io {
        /// What was running.
        phase: Phase,
        /// The I/O error kind.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// The server answered something that is not an HTTP response.
    Malformed {
        /// What is wrong.
        message: String,
        /// The first bytes received, escaped.
        received: String,
    },
    /// The status line and headers are longer than the limit.
    HeadTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The HTTP/2 layer (h2) refused the response head: it is malformed (an uppercase or
    /// connection-specific header name, a misplaced pseudo-header), or its header list is past
    /// twice the limit. h2 reports both alike.
    Http2HeadRefused {
        /// The limit on the header list, in bytes.
        limit: usize,
    },
    /// The caller chose not to send the request (the audit never sends an actual `PUT`,
    /// `DELETE`, … to a live server unless asked to).
    Withheld {
        /// Why.
        reason: &'static str,
    },
    /// The request cannot be written in this protocol (a header value HTTP/2 refuses, a method
    /// that is not a token).
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
}

impl NetError {
    /// A short name of the kind, for reports (`dns`, `connect`, `tls`, `timeout`, …).
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::UnsupportedUrl { .. } => "unsupported-url",
            Self::Dns { .. } => "dns",
            Self::Connect { .. } => "connect",
            Self::Tls { .. } => "tls",
            Self::Timeout { .. } => "timeout",
            Self::Io { .. } => "io",
            Self::Malformed { .. } => "malformed-response",
            Self::HeadTooLarge { .. } => "head-too-large",
            Self::Http2HeadRefused { .. } => "http2-head-refused",
            Self::Withheld { .. } => "withheld",
            Self::InvalidRequest { .. } => "invalid-request",
        }
    }

    pub(crate) fn io(phase: Phase, error: &io::Error) -> Self {
        Self::Io {
            phase,
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedUrl { url, reason } => write!(f, "cannot fetch {url}: {reason}"),
            Self::Dns { host, message } => {
                write!(f, "DNS: the host name {host} does not resolve ({message})")
            }
            Self::Connect {
                address, message, ..
            } => write!(f, "connection to {address} failed: {message}"),
            Self::Tls { host, message } => {
                write!(f, "TLS handshake with {host} failed: {message}")?;
                if message.contains("certificate") {
                    f.write_str(" (--insecure skips certificate verification)")?;
                }
                Ok(())
            }
            Self::Timeout { phase, after } => write!(
                f,
                "timed out after {:.1} s {}",
                after.as_secs_f64(),
                phase.as_str()
            ),
            Self::Io { phase, message, .. } => {
                write!(
                    f,
                    "the connection broke while {}: {message}",
                    phase.as_str()
                )
            }
            Self::Malformed { message, received } => {
                write!(f, "the server's answer is not HTTP ({message}): {received}")
            }
            Self::HeadTooLarge { limit } => write!(
                f,
                "the response's status line and headers are longer than {limit} bytes"
            ),
            Self::Http2HeadRefused { limit } => write!(
                f,
                "the HTTP/2 response head was refused: it is malformed, or its header list is longer than {limit} bytes"
            ),
            Self::Withheld { reason } => write!(f, "not sent: {reason}"),
            Self::InvalidRequest { message } => write!(f, "the request cannot be sent: {message}"),
        }
    }
}

impl std::error::Error for NetError {}

/// Escapes up to 120 bytes for an error message.
pub(crate) fn escape_prefix(bytes: &[u8]) -> String {
    let mut text: String = bytes
        .iter()
        .take(120)
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect();
    if bytes.len() > 120 {
        text.push('…');
    }
    text
}
