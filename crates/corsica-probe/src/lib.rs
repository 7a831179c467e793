//! # corsica-probe: the corsica engine against live servers
//!
//! [`corsica::Fetch`] is sans-IO: it says which request to send and is handed the answer. This
//! crate gives it a network. A [`Session`] drives a fetch over a [`Transport`] hop by hop, so
//! the engine decides every request (the preflight, the actual request, each redirect) and the
//! HTTP client never follows a redirect by itself:
//!
//! - [`client`]: the live transport. HTTPS through rustls with the webpki roots (plus extra
//!   roots, or no verification when asked), HTTP/2 when the server picks it through ALPN,
//!   HTTP/1.1 written and parsed here so that header case, order and duplicates reach the
//!   engine as sent; one deadline per request, bounded heads and bodies, and typed errors
//!   ([`NetError`]) for DNS, connection, TLS, timeouts and answers that are not HTTP.
//! - [`browser`]: what a browser adds on the wire besides the engine's headers (`User-Agent`,
//!   fetch metadata, `Referer`, cookies on credentialed requests).
//! - [`session`]: the driver, with a memo (a request identical to one already sent gets the same
//!   answer, so four profiles cost one set of requests), a per-host rate limit and a bound on
//!   requests in flight.
//! - [`record`]: recordings as scenarios: the server's real answers become `server` rules that
//!   `corsica eval` replays offline.
//! - [`probe`]: one page request under each browser profile (`corsica probe`).
//! - [`audit`]: the 43 CORS misconfiguration patterns (`corsica audit`), with JSON and SARIF.
//! - [`fixture`]: loopback servers with known CORS configurations (`corsica demo`, tests).
//!
//! Everything is async (tokio). A [`Transport`] other than the live [`Client`] (an in-process
//! service, a test double) plugs into the same [`Session`], probe and audit.
//!
//! ```
//! use corsica::scenario::{ProfileName, RequestInput};
//! use corsica_probe::fixture::{Config, LoopbackServer};
//! use corsica_probe::probe::probe;
//! use corsica_probe::{BrowserHeaders, Client, ClientConfig, Session};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! // A server whose preflight loses its Access-Control-Allow-Origin (the nginx `if` recipe).
//! let page = "http://localhost:5173";
//! let server = LoopbackServer::start(Config::NginxIfPreflight { origin: page.into() }).await?;
//!
//! let session = Session::new(Client::new(ClientConfig::default())?, BrowserHeaders::default());
//! let request: RequestInput = serde_json::from_value(serde_json::json!({
//!     "origin": page,
//!     "url": server.url("/api/data").as_str(),
//!     "method": "PUT",
//!     "headers": [["Content-Type", "application/json"]],
//! }))?;
//! let report = probe(&session, &request, &[ProfileName::Chromium], false).await?;
//! let error = report.results[0].output.error.as_ref().unwrap();
//! assert_eq!(error.kind, "PreflightMissingAllowOriginHeader");
//! server.stop().await;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

pub mod audit;
pub mod browser;
pub mod client;
pub mod error;
pub mod fixture;
pub mod probe;
pub mod record;
pub mod session;

pub use browser::BrowserHeaders;
pub use client::{Client, ClientConfig, Received, WireRequest};
pub use error::{NetError, Phase};
pub use session::{LiveOutcome, Session, Transport};
