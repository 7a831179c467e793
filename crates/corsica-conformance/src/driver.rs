//! The servers a check runs against: a live one over HTTP(S) ([`Server::live`]), or any
//! `tower::Service` called in-process, with no network ([`Server::in_process`]).
//!
//! Both are [`Transport`]s under a [`corsica_probe::Session`]: the engine decides every request
//! (the preflight, the actual request, each redirect), the session adds what a browser adds on
//! the wire ([`BrowserHeaders`]), and the transport delivers it.

use std::fmt;
use std::future::{Future, poll_fn};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use corsica::Url;
use corsica_probe::client::{Body, ConfigError, Version};
use corsica_probe::session::RateLimit;
use corsica_probe::{
    BrowserHeaders, Client, ClientConfig, NetError, Phase, Received, Transport, WireRequest,
};
use tower_service::Service;

/// A server under test: where it is, and how to reach it.
#[derive(Debug)]
pub struct Server<T> {
    pub(crate) url: Url,
    pub(crate) transport: T,
    pub(crate) browser: BrowserHeaders,
    pub(crate) rate: Option<RateLimit>,
}

impl<T: Transport> Server<T> {
    /// The endpoint `url` reached through `transport`, with the headers browsers add.
    pub fn new(url: Url, transport: T) -> Self {
        Self {
            url,
            transport,
            browser: BrowserHeaders::default(),
            rate: None,
        }
    }

    /// Adds `browser`'s headers to each request instead of the defaults.
    #[must_use]
    pub fn with_browser_headers(mut self, browser: BrowserHeaders) -> Self {
        self.browser = browser;
        self
    }

    /// Paces the requests (loopback hosts are never paced).
    #[must_use]
    pub fn with_rate_limit(mut self, rate: RateLimit) -> Self {
        self.rate = Some(rate);
        self
    }

    /// The endpoint every case requests.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

impl Server<Client> {
    /// A live server at `url`, reached over HTTP(S) with `config` (its timeout bounds every
    /// request, so a server that never answers is an error, not a wait).
    pub fn live(url: Url, config: ClientConfig) -> Result<Self, ConfigError> {
        Ok(Self::new(url, Client::new(config)?))
    }
}

impl<S> Server<InProcess<S>>
where
    InProcess<S>: Transport,
{
    /// `service` called in-process for requests to `url` (which only names the host and path
    /// the page requests; nothing listens there).
    pub fn in_process(url: Url, service: S) -> Self {
        Self::new(url, InProcess::new(service))
    }
}

/// A [`Transport`] that calls a `tower::Service` (an axum `Router`, a `tower-http` stack …) in
/// the same process: no socket, no port. The service takes `http::Request<String>` (wrap one
/// that wants another body type with `tower::util::MapRequest`); the response body is dropped
/// unread (CORS never reads it). Each request calls a clone of the service.
#[derive(Clone)]
pub struct InProcess<S> {
    service: S,
    timeout: Duration,
}

impl<S> fmt::Debug for InProcess<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcess")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<S> InProcess<S> {
    /// Calls `service`, allowing each call 10 seconds.
    pub fn new(service: S) -> Self {
        Self {
            service,
            timeout: Duration::from_secs(10),
        }
    }

    /// Allows each call `timeout`.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// The peer an in-process answer comes from.
const IN_PROCESS_PEER: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

impl<S, B> Transport for InProcess<S>
where
    S: Service<http::Request<String>, Response = http::Response<B>> + Clone + Send + Sync,
    S::Future: Send,
    S::Error: fmt::Display,
{
    fn send(
        &self,
        request: &WireRequest,
    ) -> impl Future<Output = Result<Received, NetError>> + Send {
        let mut service = self.service.clone();
        let timeout = self.timeout;
        let built = http_request(request);
        async move {
            let request = built?;
            let call = async {
                poll_fn(|cx| service.poll_ready(cx))
                    .await
                    .map_err(service_error)?;
                let response = service.call(request).await.map_err(service_error)?;
                Ok(Received {
                    status: response.status().as_u16(),
                    headers: corsica::http::header_list(response.headers()),
                    version: Version::Http11,
                    peer: IN_PROCESS_PEER,
                    elapsed: Duration::ZERO,
                    body: Body::default(),
                })
            };
            tokio::time::timeout(timeout, call)
                .await
                .unwrap_or(Err(NetError::Timeout {
                    phase: Phase::Head,
                    after: timeout,
                }))
        }
    }
}

fn service_error(error: impl fmt::Display) -> NetError {
    NetError::Io {
        phase: Phase::Head,
        kind: io::ErrorKind::Other,
        message: error.to_string(),
    }
}

/// The `http` request for a wire request (an empty body).
fn http_request(request: &WireRequest) -> Result<http::Request<String>, NetError> {
    let invalid = |message: String| NetError::InvalidRequest { message };
    let method = http::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| invalid(format!("the method {:?} is not a token", request.method)))?;
    let headers =
        corsica::http::header_map(&request.headers).map_err(|e| invalid(e.to_string()))?;
    let mut built = http::Request::builder()
        .method(method)
        .uri(request.url.as_str())
        .body(String::new())
        .map_err(|e| invalid(e.to_string()))?;
    *built.headers_mut() = headers;
    if let Some(host) = request.url.host_str() {
        let value = match request.url.port() {
            Some(port) => http::HeaderValue::from_str(&format!("{host}:{port}")),
            None => http::HeaderValue::from_str(host),
        };
        if let Ok(value) = value {
            built.headers_mut().insert(http::header::HOST, value);
        }
    }
    Ok(built)
}
