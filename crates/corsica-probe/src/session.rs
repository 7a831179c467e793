//! Driving [`corsica::Fetch`] over a [`Transport`], hop by hop.
//!
//! The engine decides every request: the preflight, the actual request, each redirect. A
//! [`Session`] turns each [`SentRequest`] into a [`WireRequest`] (adding what a browser adds,
//! [`BrowserHeaders`]), sends it through its transport, and hands the engine the answer
//! ([`Received::to_response`]), or `None` for a network error, as a browser would.
//!
//! Within one session an identical wire request (method, URL and every header) is sent once:
//! later fetches share its answer (the session's memo). So running one request under four
//! browser profiles costs one set of requests, and a redirect loop does not hammer the server.
//! Every distinct request is kept in the session's log, for evidence and for replay.

mod memo;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use corsica::fetch::Poll;
use corsica::{
    ExchangeKind, Fetch, NetworkError, Outcome, PreflightCache, Profile, Request, SentRequest,
};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::browser::BrowserHeaders;
use crate::client::{Client, Received, WireRequest};
use crate::error::NetError;

/// Something that answers wire requests: the live [`Client`], or (for tests and in-process
/// checks) anything else that can produce a [`Received`].
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response head, or why there is none. Must not follow
    /// redirects.
    fn send(
        &self,
        request: &WireRequest,
    ) -> impl Future<Output = Result<Received, NetError>> + Send;
}

impl Transport for Client {
    fn send(
        &self,
        request: &WireRequest,
    ) -> impl Future<Output = Result<Received, NetError>> + Send {
        Self::send(self, request)
    }
}

/// Requests per second to each host, shared by every session that holds a clone. Loopback
/// hosts (`localhost`, `127.0.0.0/8`, `[::1]`: your own machine) are not paced.
#[derive(Clone, Debug)]
pub struct RateLimit {
    interval: Duration,
    loopback: bool,
    next: Arc<Mutex<HashMap<String, Instant>>>,
}

impl RateLimit {
    /// At most `per_second` request starts per second to each host (`host:port`).
    pub fn per_second(per_second: f64) -> Self {
        let interval = if per_second.is_finite() && per_second > 0.0 {
            Duration::from_secs_f64(1.0 / per_second)
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            loopback: false,
            next: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Paces loopback hosts too.
    #[must_use]
    pub fn including_loopback(mut self) -> Self {
        self.loopback = true;
        self
    }

    /// Waits for the next slot for `url`'s host (`host:port`).
    pub async fn acquire(&self, url: &corsica::Url) {
        if self.interval.is_zero() || (!self.loopback && is_loopback(url)) {
            return;
        }
        let host = crate::client::authority(url);
        let host = host.as_str();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let entry = next.entry(host.to_owned()).or_insert(now);
            let slot = (*entry).max(now);
            *entry = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// One distinct request the session sent, and what came back (shared with every fetch that
/// sent the same request).
#[derive(Clone, Debug)]
pub struct Record {
    /// Sent as a preflight (the first time it was sent).
    pub preflight: bool,
    /// The request as written.
    pub request: Arc<WireRequest>,
    /// The answer.
    pub result: Arc<Result<Received, NetError>>,
}

/// One request of a fetch, as it went on the wire (the engine's own request is the outcome's
/// exchange).
#[derive(Clone, Debug)]
pub struct Hop {
    /// What the engine sent it as.
    pub kind: ExchangeKind,
    /// The request on the wire.
    pub wire: Arc<WireRequest>,
    /// The answer.
    pub result: Arc<Result<Received, NetError>>,
}

/// A fetch run against the network: the engine's outcome, and each hop it took.
#[derive(Clone, Debug)]
pub struct LiveOutcome {
    /// The engine's outcome.
    pub outcome: Outcome,
    /// The requests sent (preflights answered from the cache are not here).
    pub hops: Vec<Hop>,
}

impl Hop {
    /// The answer, or why there is none.
    pub fn answer(&self) -> Result<&Received, &NetError> {
        (*self.result).as_ref()
    }

    /// The request on the wire, whether it went as a preflight, and the answer: what
    /// [`server_rules`](crate::record::server_rules) records.
    pub fn recorded(&self) -> (&WireRequest, bool, &Result<Received, NetError>) {
        (
            &self.wire,
            self.kind == ExchangeKind::Preflight,
            &self.result,
        )
    }
}

impl LiveOutcome {
    /// The network errors met on the way.
    pub fn network_errors(&self) -> impl Iterator<Item = (&Hop, &NetError)> {
        self.hops
            .iter()
            .filter_map(|hop| hop.answer().err().map(|e| (hop, e)))
    }
}

/// Whether `url`'s host is this machine.
fn is_loopback(url: &corsica::Url) -> bool {
    match url.host() {
        Some(corsica::url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(corsica::url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(corsica::url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A browser talking to the network through a transport (see the [module docs](self)).
pub struct Session<T = Client> {
    transport: T,
    browser: BrowserHeaders,
    rate: Option<RateLimit>,
    in_flight: Option<Arc<Semaphore>>,
    memo: Mutex<memo::Memo>,
    log: Mutex<Vec<Record>>,
}

impl<T> std::fmt::Debug for Session<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("browser", &self.browser)
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Session<T> {
    /// A session over `transport`, adding `browser`'s headers.
    pub fn new(transport: T, browser: BrowserHeaders) -> Self {
        Self {
            transport,
            browser,
            rate: None,
            in_flight: None,
            memo: Mutex::default(),
            log: Mutex::new(Vec::new()),
        }
    }

    /// Paces requests with `rate` (shared with the other holders of the same limit).
    #[must_use]
    pub fn with_rate_limit(mut self, rate: RateLimit) -> Self {
        self.rate = Some(rate);
        self
    }

    /// Bounds the requests in flight at once with `permits` (shared with its other holders).
    #[must_use]
    pub fn with_in_flight_limit(mut self, permits: Arc<Semaphore>) -> Self {
        self.in_flight = Some(permits);
        self
    }

    /// The headers the session adds.
    pub fn browser(&self) -> &BrowserHeaders {
        &self.browser
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Every distinct request sent so far, in the order they were first sent.
    pub fn log(&self) -> Vec<Record> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many distinct requests were sent.
    pub fn requests_sent(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Sends `request` (once per session: an identical request gets the first record again).
    /// `preflight` is only recorded.
    pub async fn exchange(&self, request: WireRequest, preflight: bool) -> Record {
        let slot = self.memo().slot(request);
        self.send_once(slot, preflight).await
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, memo::Memo> {
        self.memo.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The record of `slot`, sending its request if no fetch has.
    async fn send_once(&self, slot: memo::Slot, preflight: bool) -> Record {
        slot.record
            .get_or_init(|| async {
                let _permit = match &self.in_flight {
                    Some(permits) => permits.clone().acquire_owned().await.ok(),
                    None => None,
                };
                if let Some(rate) = &self.rate {
                    rate.acquire(&slot.wire.url).await;
                }
                let record = Record {
                    preflight,
                    result: Arc::new(self.transport.send(&slot.wire).await),
                    request: slot.wire.clone(),
                };
                self.log
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(record.clone());
                record
            })
            .await
            .clone()
    }

    /// Runs `request` under `profile` against the network, with `cache` as the browser's
    /// preflight cache at time `now`.
    pub async fn fetch(
        &self,
        request: &Request,
        profile: &Profile,
        cache: &mut PreflightCache,
        now: Duration,
    ) -> LiveOutcome {
        self.fetch_gated(request, profile, cache, now, |_| None)
            .await
    }

    /// [`fetch`](Self::fetch), except that each request for which `withhold` gives a reason is
    /// not sent: the engine gets a network error for it, and the hop says
    /// [`NetError::Withheld`].
    pub async fn fetch_gated(
        &self,
        request: &Request,
        profile: &Profile,
        cache: &mut PreflightCache,
        now: Duration,
        withhold: impl Fn(&SentRequest) -> Option<&'static str>,
    ) -> LiveOutcome {
        let mut fetch = Fetch::new(request, profile, cache, now);
        let mut hops = Vec::new();
        while let Poll::Send(sent) = fetch.poll() {
            let kind = sent.kind;
            let (wire, result) = match withhold(sent) {
                Some(reason) => (
                    Arc::new(self.wire_request(sent, request)),
                    Arc::new(Err(NetError::Withheld { reason })),
                ),
                None => {
                    let slot = self
                        .memo()
                        .decided(sent, &request.origin, request.mode, || {
                            self.wire_request(sent, request)
                        });
                    let record = self.send_once(slot, kind == ExchangeKind::Preflight).await;
                    (record.request, record.result)
                }
            };
            fetch.respond((*result).as_ref().map(Received::to_response).map_err(
                |error| match error {
                    NetError::Malformed { .. }
                    | NetError::HeadTooLarge { .. }
                    | NetError::Http2HeadRefused { .. } => NetworkError::InvalidResponse,
                    _ => NetworkError::ConnectionRefused,
                },
            ));
            hops.push(Hop { kind, wire, result });
        }
        LiveOutcome {
            outcome: fetch.into_outcome(),
            hops,
        }
    }

    /// Runs `request` under `profile` with an empty preflight cache.
    pub async fn fetch_fresh(&self, request: &Request, profile: &Profile) -> LiveOutcome {
        let mut cache = PreflightCache::new(profile);
        self.fetch(request, profile, &mut cache, Duration::ZERO)
            .await
    }

    /// The wire request a page of `request`'s origin and mode would send for `sent`.
    pub fn wire_request(&self, sent: &SentRequest, request: &Request) -> WireRequest {
        self.browser
            .wire_request(sent, &request.origin, request.mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_rate_limit_paces_each_host_and_spares_loopback() {
        let url = |s: &str| corsica::Url::parse(s).unwrap();
        let rate = RateLimit::per_second(20.0);
        let started = Instant::now();
        for _ in 0..3 {
            rate.acquire(&url("http://127.0.0.1:1/")).await;
        }
        assert!(started.elapsed() < Duration::from_millis(40));

        let rate = rate.including_loopback();
        let started = Instant::now();
        for _ in 0..5 {
            rate.acquire(&url("http://127.0.0.1:1/")).await;
        }
        // Five starts at 20 per second: the fifth waits 200 ms; another host does not.
        assert!(started.elapsed() >= Duration::from_millis(195));
        let other = Instant::now();
        rate.acquire(&url("http://127.0.0.1:2/")).await;
        assert!(other.elapsed() < Duration::from_millis(40));
        assert!(is_loopback(&url("http://[::1]:8080/")));
        assert!(is_loopback(&url("http://api.localhost/")));
        assert!(!is_loopback(&url("https://example.com/")));
    }
}
