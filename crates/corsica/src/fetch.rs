//! [Main fetch](https://fetch.spec.whatwg.org/#concept-main-fetch) and
//! [HTTP fetch](https://fetch.spec.whatwg.org/#concept-http-fetch), sans-IO.
//!
//! A [`Fetch`] runs the algorithm until it needs the network, hands out the request to send
//! ([`Fetch::poll`]), and goes on when it is given the response ([`Fetch::respond`]). The same
//! machine serves scenarios, live probes and in-process servers.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::url::Url;

use smol_str::SmolStr;

use crate::cache::{CacheRequest, PreflightCache};
use crate::check::{ACAO, cors_check};
use crate::error::{ErrorKind, Failure, Stage};
use crate::expose::{basic_filtered_headers, cors_filtered_headers};
use crate::header::HeaderList;
use crate::header::list_values::{ListValues, extract_tokens};
use crate::header::name::is_cors_non_wildcard_request_header_name;
use crate::header::safelist::cors_unsafe_request_header_names;
use crate::lna::{AddressSpace, address_space_of_host};
use crate::message::Context;
use crate::method::is_cors_safelisted_method;
use crate::origin::{is_url_potentially_trustworthy, serialize_request_origin};
use crate::preflight::{ACAH, ACAM, PreflightInput, check_preflight_response, preflight_headers};
use crate::profile::{LocalNetworkAccess, Profile};
use crate::redirect::{
    Location, MAX_REDIRECTS, delete_request_body_headers, includes_credentials, location_url,
    rewrites_to_get,
};
use crate::request::{
    CredentialsMode, LocalNetworkPermission, RedirectMode, Rejection, Request, RequestMode,
    ResponseTainting,
};
use crate::response::{NetworkError, Response, ResponseType, VisibleResponse, is_redirect_status};
use crate::trace::{TraceStep, anchors};
use crate::warning::{Warning, WarningKind};

/// How a request was classed before anything was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Classification {
    /// Same origin as the page: no CORS at all.
    SameOrigin,
    /// Cross-origin, no preflight needed.
    Simple,
    /// Cross-origin, preflighted.
    Preflight,
    /// `no-cors` mode: an opaque response.
    NoCors,
    /// A navigation.
    Navigate,
    /// Refused before sending.
    Disallowed,
}

impl Classification {
    /// The scenario format's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SameOrigin => "same-origin",
            Self::Simple => "simple",
            Self::Preflight => "preflight",
            Self::NoCors => "no-cors",
            Self::Navigate => "navigate",
            Self::Disallowed => "disallowed",
        }
    }
}

/// Whether the page's `fetch()` resolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `fetch()` resolves.
    Allowed,
    /// `fetch()` rejects.
    Blocked,
}

impl Verdict {
    /// The scenario format's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Blocked => "blocked",
        }
    }
}

/// Whether an exchange is a preflight or the request itself (or one of its redirects).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExchangeKind {
    /// A CORS-preflight request.
    Preflight,
    /// The actual request.
    Request,
}

impl ExchangeKind {
    /// The scenario format's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Preflight => "preflight",
            Self::Request => "request",
        }
    }
}

/// A request as the browser puts it on the wire (the headers that matter to CORS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentRequest {
    /// Preflight or actual request.
    pub kind: ExchangeKind,
    /// The method (held inline: a method is short).
    pub method: SmolStr,
    /// The URL.
    pub url: Url,
    /// `Origin`, the preflight's headers, and the page's own headers.
    pub headers: HeaderList,
    /// Whether cookies and HTTP authentication are attached.
    pub credentials: bool,
    /// The body (never on a preflight, dropped when a redirect turns the request into `GET`).
    pub body: Option<String>,
}

/// One request the browser sent (or answered from its preflight cache) and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The request.
    pub request: SentRequest,
    /// The response; `None` for a network error, or for a preflight answered from the cache.
    pub response: Option<Response>,
    /// The preflight was answered from the preflight cache: nothing was sent.
    pub from_cache: bool,
}

/// Everything the browser did for one `fetch()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Resolved or rejected.
    pub verdict: Verdict,
    /// How the request was classed.
    pub classification: Classification,
    /// What was sent, in order.
    pub exchanges: Vec<Exchange>,
    /// Why it was blocked.
    pub failure: Option<Failure>,
    /// Fragile or silent things.
    pub warnings: Vec<Warning>,
    /// What the script sees, when allowed.
    pub response: Option<VisibleResponse>,
    /// The steps that decided (empty unless asked for).
    pub trace: Vec<TraceStep>,
}

impl Outcome {
    /// The outcome of a `fetch()` call that throws before anything is sent.
    pub fn rejected(rejection: &Rejection, url: &Url) -> Self {
        let failure = Failure::new(rejection.kind, Stage::Request, url)
            .with_parameter(rejection.parameter.clone());
        Self {
            verdict: Verdict::Blocked,
            classification: Classification::Disallowed,
            exchanges: Vec::new(),
            failure: Some(failure),
            warnings: Vec::new(),
            response: None,
            trace: Vec::new(),
        }
    }

    /// What the message and fix renderers need, for this outcome of `request` under `profile`.
    pub fn context<'a>(&'a self, request: &'a Request, profile: &'a Profile) -> Context<'a> {
        let response_headers = self
            .exchanges
            .iter()
            .rev()
            .find(|e| !e.from_cache)
            .and_then(|e| e.response.as_ref())
            .map(|r| &r.headers);
        Context {
            profile,
            origin: request.origin.serialization(),
            page: None,
            initial_url: &request.url,
            method: &request.method,
            credentials: request.credentials,
            response_headers,
            target_address_space: request.target_address_space,
        }
    }
}

/// What a [`Fetch`] wants next.
#[derive(Debug)]
pub enum Poll<'a> {
    /// Send this request and [`respond`](Fetch::respond) with what comes back.
    Send(&'a SentRequest),
    /// Finished: take the [`Outcome`] with [`Fetch::into_outcome`].
    Done,
}

#[derive(Clone, Debug)]
enum Pending {
    Preflight { unsafe_names: Vec<SmolStr> },
    Request,
}

/// One `fetch()` in progress.
#[derive(Debug)]
pub struct Fetch<'a> {
    request: &'a Request,
    profile: &'a Profile,
    cache: &'a mut PreflightCache,
    now: Duration,
    tracing: bool,
    started: bool,
    // The request as redirects change it.
    method: Cow<'a, str>,
    headers: Cow<'a, HeaderList>,
    // The header list before a redirect deleted its request-body headers, for profiles whose
    // preflight still counts them.
    headers_before_body_deletion: Option<HeaderList>,
    body: Option<&'a str>,
    // The request's URL list: borrowed until a redirect adds to it.
    url_list: Cow<'a, [Url]>,
    tainting: ResponseTainting,
    redirect_count: u8,
    preflight_branch: bool,
    forced_preflight: bool,
    sent_origin: bool,
    // What happened so far.
    classification: Classification,
    exchanges: Vec<Exchange>,
    warnings: Vec<Warning>,
    trace: Vec<TraceStep>,
    pending: Option<Pending>,
    network_error: Option<NetworkError>,
    result: Option<Result<VisibleResponse, Failure>>,
}

macro_rules! trace {
    ($fetch:expr, $algorithm:literal, $anchor:expr, $($arg:tt)*) => {
        if $fetch.tracing {
            $fetch.trace.push(TraceStep { algorithm: $algorithm, anchor: $anchor, note: alloc::format!($($arg)*) });
        }
    };
}

impl<'a> Fetch<'a> {
    /// A fetch of `request` by a browser of `profile` whose preflight cache is `cache`, at `now`.
    pub fn new(
        request: &'a Request,
        profile: &'a Profile,
        cache: &'a mut PreflightCache,
        now: Duration,
    ) -> Self {
        Self {
            request,
            profile,
            cache,
            now,
            tracing: false,
            started: false,
            method: Cow::Borrowed(&request.method),
            headers: browser_header_list(request, profile),
            headers_before_body_deletion: None,
            body: request.body.as_deref(),
            url_list: Cow::Borrowed(core::slice::from_ref(&request.url)),
            tainting: ResponseTainting::Basic,
            redirect_count: 0,
            preflight_branch: false,
            forced_preflight: false,
            sent_origin: false,
            classification: Classification::Disallowed,
            // A preflight and the request: most fetches never grow it.
            exchanges: Vec::with_capacity(2),
            warnings: request
                .warnings
                .iter()
                .cloned()
                .chain(
                    request
                        .headers
                        .iter()
                        .filter(|h| is_dropped_by(profile, &h.name))
                        .map(|h| {
                            Warning::new(WarningKind::HeaderDroppedByBrowser, h.name.as_str())
                        }),
                )
                .collect(),
            trace: Vec::new(),
            pending: None,
            network_error: None,
            result: None,
        }
    }

    /// Records the step trace.
    #[must_use]
    pub fn with_trace(mut self) -> Self {
        self.tracing = true;
        self
    }

    /// What the fetch wants next.
    pub fn poll(&mut self) -> Poll<'_> {
        if !self.started {
            self.started = true;
            self.main_fetch();
        }
        match (&self.pending, self.exchanges.last()) {
            (Some(_), Some(exchange)) => Poll::Send(&exchange.request),
            _ => Poll::Done,
        }
    }

    /// The response to the request [`poll`](Self::poll) handed out, or the network error.
    pub fn respond(&mut self, response: Result<Response, NetworkError>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let response = response.map_err(|error| self.network_error = Some(error));
        if let Some(exchange) = self.exchanges.last_mut() {
            exchange.response = response.ok();
        }
        // Local Network Access also runs once the connection's address is known: for a host
        // that is a name, the server's address space (public unless the rule says otherwise).
        if address_space_of_url(self.current_url()).is_none() {
            let space = self
                .exchanges
                .last()
                .and_then(|e| e.response.as_ref())
                .and_then(|r| r.address_space)
                .unwrap_or(AddressSpace::Public);
            if let Some(kind) = self.local_network_access_check(space) {
                self.exchanges.pop();
                return self.fail_local_network_access(kind, space);
            }
        }
        match pending {
            Pending::Preflight { unsafe_names } => self.process_preflight_response(unsafe_names),
            Pending::Request => self.process_response(),
        }
    }

    /// The outcome; call it once [`poll`](Self::poll) says [`Poll::Done`].
    pub fn into_outcome(self) -> Outcome {
        let (verdict, failure, response) = match self.result {
            Some(Ok(response)) => (Verdict::Allowed, None, Some(response)),
            Some(Err(failure)) => (Verdict::Blocked, Some(failure), None),
            None => {
                let url = self.url_list.last().unwrap_or(&self.request.url);
                (
                    Verdict::Blocked,
                    Some(Failure::new(
                        ErrorKind::RequestDidNotSucceed,
                        Stage::Response,
                        url,
                    )),
                    None,
                )
            }
        };
        Outcome {
            verdict,
            classification: self.classification,
            exchanges: self.exchanges,
            failure,
            warnings: self.warnings,
            response,
            trace: self.trace,
        }
    }

    fn current_url(&self) -> &Url {
        last(&self.url_list)
    }

    fn is_first_hop(&self) -> bool {
        self.url_list.len() == 1
    }

    fn stage(&self) -> Stage {
        if self.is_first_hop() {
            Stage::Request
        } else {
            Stage::Redirect
        }
    }

    fn include_credentials_mode(&self) -> bool {
        self.request.credentials == CredentialsMode::Include
    }

    /// The includeCredentials decision of HTTP-network-or-cache fetch (rules 10.6).
    fn includes_credentials(&self) -> bool {
        match self.request.credentials {
            CredentialsMode::Include => true,
            CredentialsMode::SameOrigin => self.tainting == ResponseTainting::Basic,
            CredentialsMode::Omit => false,
        }
    }

    /// The origin a preflight carries (and is checked against): the serialized request origin,
    /// or for Firefox the page's origin even after a tainting redirect (observed).
    fn preflight_origin(&self) -> &'a str {
        if self.profile.preflight_origin_untainted {
            self.request.origin.serialization()
        } else {
            self.serialized_origin()
        }
    }

    /// The serialized request origin, when a redirect tainted it to `null` (else `None`).
    fn tainted_origin(&self) -> Option<String> {
        let origin = self.serialized_origin();
        (origin != self.request.origin.serialization()).then(|| String::from(origin))
    }

    fn serialized_origin(&self) -> &'a str {
        serialize_request_origin(&self.request.origin, &self.url_list)
    }

    fn fail(&mut self, failure: Failure) {
        trace!(
            self,
            "Main fetch",
            anchors::MAIN_FETCH,
            "a network error: fetch() rejects ({} at the {} stage)",
            failure.kind,
            failure.stage
        );
        // Main fetch: if the CORS-with-preflight branch returned a network error, clear cache
        // entries using request.
        if self.preflight_branch && self.profile.clear_cache_on_failure {
            let credentials = self.include_credentials_mode();
            let origin = self.serialized_origin();
            let url = last(&self.url_list).as_str();
            self.cache.clear(&CacheRequest {
                origin,
                url,
                credentials,
            });
        }
        self.pending = None;
        self.result = Some(Err(failure));
    }

    fn fail_now(&mut self, kind: ErrorKind, stage: Stage) {
        let failure = Failure::new(kind, stage, self.current_url());
        self.fail(failure);
    }

    /// [Main fetch](https://fetch.spec.whatwg.org/#concept-main-fetch), for the current URL.
    fn main_fetch(&mut self) {
        let url = last(&self.url_list);
        let first = self.is_first_hop();
        let stage = self.stage();

        // Step 7. If should request be blocked due to a bad port … return a network error.
        if is_bad_port(url) {
            if first {
                self.classification = Classification::Disallowed;
            }
            return self.fail_now(ErrorKind::BadPort, stage);
        }
        // Mixed content: a secure page may not fetch an insecure URL.
        if self.request.origin.scheme() == Some("https") && !is_url_potentially_trustworthy(url) {
            if first {
                self.classification = Classification::Disallowed;
            }
            return self.fail_now(ErrorKind::MixedContent, stage);
        }

        // Step 12. Switch on the request (the first matching branch).
        let same_origin = self.request.origin.is_same_origin_with(url);
        let (classification, preflight) = if (same_origin
            && self.tainting == ResponseTainting::Basic)
            || url.scheme() == "data"
            || self.request.mode == RequestMode::Navigate
        {
            // request's current URL's origin is same origin with request's origin, and request's
            // response tainting is "basic"; request's current URL's scheme is "data"; request's
            // mode is "navigate": set request's response tainting to "basic".
            trace!(
                self,
                "Main fetch",
                anchors::MAIN_FETCH,
                "{url} is same origin with the page (or a navigation): no CORS"
            );
            let class = if self.request.mode == RequestMode::Navigate {
                Classification::Navigate
            } else {
                Classification::SameOrigin
            };
            (class, None)
        } else if self.request.mode == RequestMode::SameOrigin {
            // request's mode is "same-origin": return a network error.
            if first {
                self.classification = Classification::Disallowed;
            }
            trace!(
                self,
                "Main fetch",
                anchors::MAIN_FETCH,
                "mode \"same-origin\" and {url} is cross-origin: network error"
            );
            return self.fail_now(ErrorKind::DisallowedByMode, stage);
        } else if self.request.mode == RequestMode::NoCors {
            // request's mode is "no-cors": if request's redirect mode is not "follow", return a
            // network error. Set request's response tainting to "opaque".
            if self.request.redirect != RedirectMode::Follow {
                if first {
                    self.classification = Classification::Disallowed;
                }
                return self.fail_now(ErrorKind::NoCorsRedirectModeNotFollow, stage);
            }
            self.tainting = ResponseTainting::Opaque;
            trace!(
                self,
                "Main fetch",
                anchors::MAIN_FETCH,
                "mode \"no-cors\": response tainting \"opaque\""
            );
            (Classification::NoCors, None)
        } else if !matches!(url.scheme(), "http" | "https") {
            // request's current URL's scheme is not an HTTP(S) scheme: return a network error.
            if first {
                self.classification = Classification::Disallowed;
            }
            return self.fail_now(ErrorKind::CorsDisabledScheme, stage);
        } else {
            // request's use-CORS-preflight flag is set, or request's unsafe-request flag is set
            // and either request's method is not a CORS-safelisted method or the CORS-unsafe
            // request-header names with request's header list is not empty: set response
            // tainting to "cors" and run HTTP fetch with the CORS-preflight flag.
            self.tainting = ResponseTainting::Cors;
            let counted = self
                .headers_before_body_deletion
                .as_ref()
                .unwrap_or(&self.headers);
            let unsafe_names = cors_unsafe_request_header_names(counted, self.profile);
            // Note: Firefox and WebKit keep preflighting every later hop once one needed it, as
            // if the use-CORS-preflight flag were set.
            self.forced_preflight = self.request.use_cors_preflight
                || (self.profile.preflight_persists_across_redirects && self.preflight_branch);
            let needs = self.forced_preflight
                || !is_cors_safelisted_method(&self.method)
                || !unsafe_names.is_empty();
            trace!(
                self,
                "Main fetch",
                anchors::MAIN_FETCH,
                "cross-origin {} with CORS-unsafe header names [{}]: {}",
                self.method,
                unsafe_names.join(","),
                if needs {
                    "CORS-with-preflight"
                } else {
                    "CORS without a preflight"
                }
            );
            if needs {
                (Classification::Preflight, Some(unsafe_names))
            } else {
                (Classification::Simple, None)
            }
        };
        if first {
            self.classification = classification;
        }
        self.preflight_branch = preflight.is_some();

        // Local Network Access, where the URL's host names the address space by itself.
        if let Some(space) = address_space_of_url(url) {
            if let Some(kind) = self.local_network_access_check(space) {
                if first {
                    self.classification = Classification::Disallowed;
                }
                return self.fail_local_network_access(kind, space);
            }
        }

        match preflight {
            Some(unsafe_names) => self.http_fetch_with_preflight(unsafe_names),
            None => self.send_request(),
        }
    }

    /// [HTTP fetch](https://fetch.spec.whatwg.org/#concept-http-fetch) step 4.1: consult the
    /// preflight cache, and send a preflight if it cannot answer.
    fn http_fetch_with_preflight(&mut self, unsafe_names: Vec<SmolStr>) {
        let origin = self.preflight_origin();
        let credentials = self.include_credentials_mode();
        let url = last(&self.url_list).as_str();
        let cache_request = CacheRequest {
            origin,
            url,
            credentials,
        };
        let now = self.now;
        // If there is no method cache entry match for request's method using request, and either
        // request's method is not a CORS-safelisted method or request's use-CORS-preflight flag
        // is set …
        let exempt =
            self.profile.cache_exempt_methods.contains(&&*self.method) && !self.forced_preflight;
        let method_cached = exempt || self.cache.matches_method(&cache_request, &self.method, now);
        // … or if there is at least one item in the CORS-unsafe request-header names with
        // request's header list for which there is no header-name cache entry match …
        let tolerate = self.profile.authorization_covered_by_wildcard;
        let headers_cached = unsafe_names.iter().all(|name| {
            self.cache
                .matches_header(&cache_request, name, tolerate, now)
        });
        let preflight = SentRequest {
            kind: ExchangeKind::Preflight,
            method: SmolStr::new_static("OPTIONS"),
            url: last(&self.url_list).clone(),
            headers: preflight_headers(origin, &self.method, &unsafe_names),
            credentials: false,
            body: None,
        };
        if method_cached && headers_cached {
            trace!(
                self,
                "CORS-preflight cache",
                anchors::CACHE,
                "the cache answers for {} and [{}]: no preflight is sent",
                self.method,
                unsafe_names.join(",")
            );
            let by_wildcard = unsafe_names.iter().any(|name| {
                is_cors_non_wildcard_request_header_name(name)
                    && !self.cache.matches_header(&cache_request, name, false, now)
            });
            if by_wildcard {
                self.warnings.push(Warning::new(
                    WarningKind::AuthorizationCoveredByWildcard,
                    "authorization",
                ));
            }
            self.exchanges.push(Exchange {
                request: preflight,
                response: None,
                from_cache: true,
            });
            return self.send_request();
        }
        // … then let preflightResponse be the result of running CORS-preflight fetch.
        trace!(
            self,
            "CORS-preflight fetch",
            anchors::CORS_PREFLIGHT_FETCH,
            "OPTIONS {} with Access-Control-Request-Method: {}",
            preflight.url,
            self.method
        );
        self.exchanges.push(Exchange {
            request: preflight,
            response: None,
            from_cache: false,
        });
        self.pending = Some(Pending::Preflight { unsafe_names });
    }

    /// [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0) step 7
    /// onwards, on the response just received.
    fn process_preflight_response(&mut self, unsafe_names: Vec<SmolStr>) {
        let origin = self.preflight_origin();
        let url = last(&self.url_list);
        let include = self.include_credentials_mode();
        let Some(response) = self.exchanges.last().and_then(|e| e.response.as_ref()) else {
            // Step 6: the preflight itself got a network error.
            let mut failure = Failure::new(ErrorKind::InvalidResponse, Stage::Preflight, url);
            failure.network_error = self.network_error;
            return self.fail(failure);
        };
        let input = PreflightInput {
            origin,
            method: &self.method,
            headers: &self.headers,
            unsafe_names: &unsafe_names,
            credentials: include,
            use_cors_preflight: self.request.use_cors_preflight,
        };
        let cache_request = CacheRequest {
            origin,
            url: url.as_str(),
            credentials: include,
        };
        match check_preflight_response(response, &input, self.profile) {
            Ok(grant) => {
                // Step 7.10-7.11: if the user agent has a cache, store the grants.
                if grant.max_age > 0 {
                    self.cache.store(
                        &cache_request,
                        grant.methods.iter().copied(),
                        grant.header_names.iter().copied(),
                        grant.max_age,
                        self.now,
                    );
                }
                self.warnings.extend(grant.warnings);
                trace!(
                    self,
                    "CORS-preflight fetch",
                    anchors::CORS_PREFLIGHT_FETCH,
                    "the preflight passed; cached for {} s",
                    grant.max_age
                );
                self.send_request();
            }
            Err(failed) => {
                let status = response.status;
                let lines = response.headers.count(ACAO);
                // WebKit stores what the preflight granted before it validates the request.
                if self.profile.cache_before_validation
                    && matches!(
                        failed.kind,
                        ErrorKind::MethodDisallowedByPreflightResponse
                            | ErrorKind::HeaderDisallowedByPreflightResponse
                    )
                {
                    let tokens = |name| match extract_tokens(&response.headers, name) {
                        ListValues::Valid(elements) => elements,
                        _ => Default::default(),
                    };
                    let (methods, names) = (tokens(ACAM), tokens(ACAH));
                    let max_age =
                        crate::preflight::max_age(&response.headers, self.profile, &mut Vec::new());
                    if max_age > 0 {
                        self.cache
                            .store(&cache_request, methods, names, max_age, self.now);
                    }
                }
                let mut failure =
                    Failure::new(failed.kind, Stage::Preflight, url).with_status(status);
                failure.allow_origin_lines = lines;
                failure.request_origin = self.tainted_origin();
                if let Some(parameter) = failed.parameter {
                    if failed.kind == ErrorKind::HeaderDisallowedByPreflightResponse {
                        failure.header_as_written = self
                            .headers_before_body_deletion
                            .as_ref()
                            .unwrap_or(&self.headers)
                            .iter()
                            .find(|h| h.name.eq_ignore_ascii_case(&parameter))
                            .map(|h| String::from(h.name.as_str()));
                    }
                    failure.failed_parameter = Some(parameter);
                }
                trace!(
                    self,
                    "CORS-preflight fetch",
                    anchors::CORS_PREFLIGHT_FETCH,
                    "{}",
                    preflight_step(&failure, &self.method)
                );
                self.fail(failure);
            }
        }
    }

    /// Queue the request itself (HTTP-network-or-cache fetch appends `Origin` and decides on
    /// credentials).
    fn send_request(&mut self) {
        let mut headers = HeaderList::with_capacity(self.headers.len() + 1);
        if let Some(origin) = self.origin_header() {
            headers.append("Origin", origin);
            self.sent_origin = true;
        }
        for header in self.headers.iter() {
            headers.append(header.name.clone(), header.value.clone());
        }
        let request = SentRequest {
            kind: ExchangeKind::Request,
            method: SmolStr::new(&self.method),
            url: self.current_url().clone(),
            headers,
            credentials: self.request.mode == RequestMode::Navigate || self.includes_credentials(),
            body: self.body.map(String::from),
        };
        self.exchanges.push(Exchange {
            request,
            response: None,
            from_cache: false,
        });
        self.pending = Some(Pending::Request);
    }

    /// [Append a request `Origin` header](https://fetch.spec.whatwg.org/#append-a-request-origin-header).
    fn origin_header(&self) -> Option<&'a str> {
        // Step 1. Let serializedOrigin be the result of byte-serializing a request origin.
        let serialized = self.serialized_origin();
        // Step 2. If request's response tainting is "cors" …, append (`Origin`, serializedOrigin).
        if self.tainting == ResponseTainting::Cors {
            return Some(serialized);
        }
        // Step 3. Otherwise, if request's method is neither `GET` nor `HEAD`: if request's mode is
        // not "cors", switch on request's referrer policy (the default,
        // "strict-origin-when-cross-origin": `null` when a secure origin goes to a URL that is
        // not https); append (`Origin`, serializedOrigin).
        if !matches!(&*self.method, "GET" | "HEAD") {
            let downgrade = self.request.origin.scheme() == Some("https")
                && self.current_url().scheme() != "https";
            // Note: Chromium also sends `null` once a non-CORS request was redirected across
            // origins (observed).
            let crossed = self.profile.origin_nulled_after_cross_origin_redirect
                && self
                    .url_list
                    .windows(2)
                    .any(|pair| pair[0].origin() != pair[1].origin());
            return Some(
                if self.request.mode != RequestMode::Cors && (downgrade || crossed) {
                    "null"
                } else {
                    serialized
                },
            );
        }
        // Note: WebKit keeps an `Origin` it sent before a same-origin redirect, even on a `GET`
        // (observed; after a cross-origin one it sends none, as the spec does).
        let keep = self.profile.origin_kept_across_redirects
            && self.sent_origin
            && self.url_list.len() > 1
            && self.url_list[self.url_list.len() - 2].origin() == self.current_url().origin();
        keep.then_some(serialized)
    }

    /// HTTP fetch after HTTP-network-or-cache fetch returned: the CORS check, then redirects.
    fn process_response(&mut self) {
        let url = last(&self.url_list);
        let Some(response) = self.exchanges.last().and_then(|e| e.response.as_ref()) else {
            // A network error.
            let stage = if self.is_first_hop() {
                Stage::Response
            } else {
                Stage::Redirect
            };
            let mut failure = Failure::new(ErrorKind::RequestDidNotSucceed, stage, url);
            failure.network_error = self.network_error;
            return self.fail(failure);
        };
        let status = response.status;
        let redirect = is_redirect_status(status);

        // Step 5. If request's response tainting is "cors" and a CORS check for request and
        // response returns failure, then return a network error.
        if self.tainting == ResponseTainting::Cors {
            let include = self.include_credentials_mode();
            if let Err(failed) = cors_check(
                &response.headers,
                self.serialized_origin(),
                include,
                self.profile,
            ) {
                let lines = response.headers.count(ACAO);
                let stage = if redirect && response.headers.contains("location") {
                    Stage::Redirect
                } else {
                    Stage::Response
                };
                let mut failure = Failure::new(failed.kind, stage, url)
                    .with_status(status)
                    .with_parameter(failed.parameter);
                failure.allow_origin_lines = lines;
                failure.request_origin = self.tainted_origin();
                trace!(
                    self,
                    "CORS check",
                    anchors::CORS_CHECK,
                    "the response from {url} fails the CORS check: {}",
                    failure.kind
                );
                return self.fail(failure);
            }
            trace!(
                self,
                "CORS check",
                anchors::CORS_CHECK,
                "the response from {url} passes the CORS check"
            );
        }

        // Step 8. If internalResponse's status is a redirect status: switch on request's
        // redirect mode.
        if redirect {
            match self.request.redirect {
                // "error": set response to a network error.
                RedirectMode::Error => {
                    return self.fail_now(ErrorKind::RedirectDisallowedByMode, Stage::Redirect);
                }
                // "manual": set response to an opaque-redirect filtered response.
                RedirectMode::Manual => {
                    let visible = VisibleResponse {
                        type_: ResponseType::OpaqueRedirect,
                        status: 0,
                        headers: HeaderList::new(),
                        url: String::from(url.without_fragment()),
                        redirected: self.url_list.len() > 1,
                    };
                    return self.succeed(visible);
                }
                // "follow": set response to the result of running HTTP-redirect fetch.
                RedirectMode::Follow => return self.http_redirect_fetch(),
            }
        }
        self.finish_with_response();
    }

    /// [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#concept-http-redirect-fetch).
    fn http_redirect_fetch(&mut self) {
        let current = last(&self.url_list);
        let Some(response) = self.exchanges.last().and_then(|e| e.response.as_ref()) else {
            return;
        };
        let status = response.status;
        // Step 3. Let locationURL be internalResponse's location URL given request's current
        // URL's fragment.
        let location = match location_url(&response.headers, current) {
            // Step 4. If locationURL is null, then return response.
            Location::None => return self.finish_with_response(),
            // Step 5. If locationURL is failure, then return a network error.
            Location::Failure => {
                return self.fail_now(ErrorKind::InvalidRedirectLocation, Stage::Redirect);
            }
            Location::Url(url) => url,
        };
        trace!(
            self,
            "HTTP-redirect fetch",
            anchors::REDIRECT,
            "{status} to {location}"
        );
        // Step 6. If locationURL's scheme is not an HTTP(S) scheme, then return a network error.
        if !matches!(location.scheme(), "http" | "https") {
            return self.fail(
                Failure::new(
                    ErrorKind::RedirectDisallowedScheme,
                    Stage::Redirect,
                    current,
                )
                .with_parameter(location.as_str()),
            );
        }
        // Step 7. If request's redirect count is 20, then return a network error.
        if self.redirect_count == MAX_REDIRECTS {
            return self.fail_now(ErrorKind::TooManyRedirects, Stage::Redirect);
        }
        // Step 8. Increase request's redirect count by 1.
        self.redirect_count += 1;
        // Step 9. If request's mode is "cors", locationURL includes credentials, and request's
        // origin is not same origin with locationURL's origin, then return a network error.
        // Step 10. If request's response tainting is "cors" and locationURL includes
        // credentials, then return a network error.
        // Note: Chromium refuses every redirect to a URL with credentials (observed).
        if includes_credentials(&location)
            && ((self.request.mode == RequestMode::Cors
                && !self.request.origin.is_same_origin_with(&location))
                || self.tainting == ResponseTainting::Cors
                || self.profile.redirect_with_credentials_refused)
        {
            return self.fail(
                Failure::new(
                    ErrorKind::RedirectContainsCredentials,
                    Stage::Redirect,
                    current,
                )
                .with_parameter(location.as_str()),
            );
        }
        // Step 12. If one of the following is true (301/302 and POST; 303 and not GET or HEAD),
        // set request's method to `GET` and request's body to null, and delete every
        // request-body-header name from request's header list.
        // Note: Firefox and WebKit also preflight every later cross-origin hop of a request that
        // carried CORS-unsafe headers to its own origin (not for an unsafe method alone).
        if self.profile.preflight_persists_across_redirects && !self.preflight_branch {
            self.preflight_branch =
                !cors_unsafe_request_header_names(&self.headers, self.profile).is_empty();
        }
        if rewrites_to_get(status, &self.method) {
            self.method = Cow::Borrowed("GET");
            if self.profile.preflight_counts_deleted_body_headers
                && self.headers_before_body_deletion.is_none()
            {
                self.headers_before_body_deletion = Some(self.headers.as_ref().clone());
            }
            delete_request_body_headers(self.headers.to_mut());
            self.body = None;
        }
        // Step 13. If request's current URL's origin is not same origin with locationURL's
        // origin, then for each headerName of CORS non-wildcard request-header name, delete
        // headerName from request's header list.
        if current.origin() != location.origin()
            && self.profile.authorization_removed_on_cross_origin_redirect
        {
            self.headers.to_mut().delete("authorization");
        }
        // Step 16. Append locationURL to request's URL list.
        self.url_list.to_mut().push(location);
        // Step 19. Return the result of running main fetch given fetchParams and true.
        self.main_fetch();
    }

    /// Main fetch steps 14-15: the filtered response script sees.
    fn finish_with_response(&mut self) {
        let Some(response) = self.exchanges.last().and_then(|e| e.response.as_ref()) else {
            return;
        };
        let url = String::from(self.current_url().without_fragment());
        let redirected = self.url_list.len() > 1;
        let visible = match self.tainting {
            ResponseTainting::Basic => VisibleResponse {
                type_: ResponseType::Basic,
                status: response.status,
                headers: basic_filtered_headers(&response.headers),
                url,
                redirected,
            },
            ResponseTainting::Cors => VisibleResponse {
                type_: ResponseType::Cors,
                status: response.status,
                headers: cors_filtered_headers(&response.headers, self.include_credentials_mode()),
                url,
                redirected,
            },
            ResponseTainting::Opaque => VisibleResponse {
                type_: ResponseType::Opaque,
                status: 0,
                headers: HeaderList::new(),
                url: String::new(),
                redirected: false,
            },
        };
        if visible.type_ == ResponseType::Opaque {
            self.warnings.push(Warning::new(
                WarningKind::OpaqueResponse,
                self.request.url.as_str(),
            ));
        }
        trace!(
            self,
            "Main fetch",
            anchors::EXPOSE,
            "the page sees a \"{}\" response with status {}",
            visible.type_.as_str(),
            visible.status
        );
        self.succeed(visible);
    }

    fn succeed(&mut self, visible: VisibleResponse) {
        self.pending = None;
        self.result = Some(Ok(visible));
    }

    fn fail_local_network_access(&mut self, kind: ErrorKind, space: AddressSpace) {
        let failure =
            Failure::new(kind, Stage::Request, self.current_url()).with_parameter(space.as_str());
        self.fail(failure);
    }

    /// The [Local Network Access check](https://wicg.github.io/local-network-access/#fetching)
    /// for a connection to `space`: `None` when the request may go on, else why not.
    fn local_network_access_check(&mut self, space: AddressSpace) -> Option<ErrorKind> {
        let request = self.request;
        let url = last(&self.url_list);
        let client = request.client_address_space;
        let enforce = self.profile.local_network_access == LocalNetworkAccess::Enforce;
        // Step 3. If request's target IP address space is not null: it must be the space.
        if let Some(target) = request.target_address_space {
            if enforce && target != space {
                return Some(ErrorKind::InvalidLocalNetworkAccess);
            }
            if target == space {
                return None;
            }
        }
        // Step 4. If the space is not less public than the client's, allow.
        if !space.is_less_public_than(client) {
            return None;
        }
        // Step 2. A potentially trustworthy origin fetching its own origin is allowed.
        if request.origin.is_potentially_trustworthy() && request.origin.is_same_origin_with(url) {
            return None;
        }
        if !enforce {
            self.warnings.push(Warning::new(
                WarningKind::LocalNetworkAccess,
                space.as_str(),
            ));
            return None;
        }
        trace!(
            self,
            "Local Network Access",
            anchors::LNA,
            "a {client} page reaches the {space} address space"
        );
        // The client must be a secure context; then the permission decides.
        if !request.origin.is_potentially_trustworthy() {
            return Some(ErrorKind::InsecureLocalNetwork);
        }
        match request.local_network_permission {
            LocalNetworkPermission::Granted => None,
            LocalNetworkPermission::Denied => Some(ErrorKind::LocalNetworkAccessPermissionDenied),
            LocalNetworkPermission::Prompt => {
                self.warnings.push(Warning::new(
                    WarningKind::LocalNetworkAccess,
                    space.as_str(),
                ));
                None
            }
        }
    }
}

/// The step of CORS-preflight fetch that `failure` failed, in a sentence (for the trace).
fn preflight_step(failure: &Failure, method: &str) -> String {
    let parameter = failure.failed_parameter.as_deref().unwrap_or("");
    match failure.kind {
        ErrorKind::PreflightInvalidStatus => alloc::format!(
            "step 7: status {} is not an ok status (200 to 299)",
            failure.status.unwrap_or(0)
        ),
        ErrorKind::PreflightDisallowedRedirect => {
            String::from("the preflight was answered with a redirect, which is never followed")
        }
        ErrorKind::InvalidAllowMethodsPreflightResponse => alloc::format!(
            "step 7.3: Access-Control-Allow-Methods does not parse (`{parameter}` is not a token)"
        ),
        ErrorKind::InvalidAllowHeadersPreflightResponse => alloc::format!(
            "step 7.3: Access-Control-Allow-Headers does not parse (`{parameter}` is not a token)"
        ),
        ErrorKind::MethodDisallowedByPreflightResponse => alloc::format!(
            "step 7.5: {method} is not CORS-safelisted and Access-Control-Allow-Methods does not list it (byte for byte; `*` counts only without credentials)"
        ),
        ErrorKind::HeaderDisallowedByPreflightResponse if parameter == "authorization" => {
            String::from(
                "step 7.6: authorization is a CORS non-wildcard request-header name: Access-Control-Allow-Headers must list it by name",
            )
        }
        ErrorKind::HeaderDisallowedByPreflightResponse => alloc::format!(
            "step 7.7: {parameter} is a CORS-unsafe request-header name that Access-Control-Allow-Headers does not list (`*` counts only without credentials)"
        ),
        kind => alloc::format!("step 7: the CORS check of the preflight's response fails ({kind})"),
    }
}

/// Whether `profile`'s browser drops the request header `name` set by the page.
fn is_dropped_by(profile: &Profile, name: &str) -> bool {
    profile
        .dropped_request_headers
        .iter()
        .any(|dropped| name.eq_ignore_ascii_case(dropped))
}

/// The page's headers as `profile`'s browser holds them: without the ones it drops, and with
/// duplicates combined where it combines them (borrowed when that changes nothing).
fn browser_header_list<'a>(request: &'a Request, profile: &Profile) -> Cow<'a, HeaderList> {
    let mut headers = Cow::Borrowed(&request.headers);
    if request
        .headers
        .iter()
        .any(|h| is_dropped_by(profile, &h.name))
    {
        headers
            .to_mut()
            .retain(|h| !is_dropped_by(profile, &h.name));
    }
    if profile.combine_duplicate_request_headers && headers.has_duplicates() {
        headers = Cow::Owned(headers.combined());
    }
    headers
}

/// The request's current URL: the last of its URL list, which is never empty.
fn last(url_list: &[Url]) -> &Url {
    url_list.last().expect("the URL list is never empty")
}

/// The address space `url`'s host names by itself (an IP literal, `localhost`).
fn address_space_of_url(url: &Url) -> Option<AddressSpace> {
    url.host().as_ref().and_then(address_space_of_host)
}

/// Whether `url`'s port is a [bad port](https://fetch.spec.whatwg.org/#bad-port).
pub fn is_bad_port(url: &Url) -> bool {
    const BAD_PORTS: [u16; 81] = [
        0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
        101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
        389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
        636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
        6665, 6666, 6667, 6668, 6669, 6679,
    ];
    const MORE: [u16; 2] = [6697, 10080];
    matches!(url.scheme(), "http" | "https" | "ws" | "wss")
        && url
            .port()
            .is_some_and(|port| BAD_PORTS.contains(&port) || MORE.contains(&port))
}

/// How `request` is classed before anything is sent (same-origin, simple, preflight, …).
pub fn classify(request: &Request, profile: &Profile) -> Classification {
    let mut cache = PreflightCache::new(profile);
    let mut fetch = Fetch::new(request, profile, &mut cache, Duration::ZERO);
    let _ = fetch.poll();
    fetch.classification
}

/// The preflight the browser sends first for `request` (with an empty preflight cache), if any.
pub fn preflight_request(request: &Request, profile: &Profile) -> Option<SentRequest> {
    let mut cache = PreflightCache::new(profile);
    let mut fetch = Fetch::new(request, profile, &mut cache, Duration::ZERO);
    match fetch.poll() {
        Poll::Send(sent) if sent.kind == ExchangeKind::Preflight => Some(sent.clone()),
        _ => None,
    }
}

/// Runs `request` to the end, sending each request through `network` (which answers a response
/// or a network error).
pub fn evaluate(
    request: &Request,
    profile: &Profile,
    cache: &mut PreflightCache,
    now: Duration,
    network: impl FnMut(&SentRequest) -> Result<Response, NetworkError>,
) -> Outcome {
    run(Fetch::new(request, profile, cache, now), network)
}

/// Drives `fetch` to the end through `network`.
pub fn run(
    mut fetch: Fetch<'_>,
    mut network: impl FnMut(&SentRequest) -> Result<Response, NetworkError>,
) -> Outcome {
    loop {
        let response = match fetch.poll() {
            Poll::Send(request) => network(request),
            Poll::Done => return fetch.into_outcome(),
        };
        fetch.respond(response);
    }
}
