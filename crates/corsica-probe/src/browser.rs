//! What a browser puts on the wire besides the headers the engine decides.
//!
//! The engine's [`SentRequest`] holds the headers that matter to CORS: `Origin`, the
//! preflight's `Accept` and `Access-Control-Request-*`, and the page's own headers. A browser
//! also sends headers that servers and the proxies in front of them rely on: a `User-Agent`
//! (some firewalls refuse requests without one), `Accept: */*` (the `fetch()` default),
//! `Accept-Language`, the fetch metadata headers (`Sec-Fetch-Site`, `Sec-Fetch-Mode`,
//! `Sec-Fetch-Dest`, which resource-isolation policies read), a `Referer` (the page's origin
//! under the default `strict-origin-when-cross-origin` policy, since the page's path is not
//! known), and the site's cookies on credentialed requests. [`BrowserHeaders`] says which of
//! them to add; each can be turned off. They are appended after the engine's headers.

use corsica::origin::is_url_potentially_trustworthy;
use corsica::url::{Host, Url};
use corsica::{ExchangeKind, HeaderList, Origin, RequestMode, SentRequest};
use smol_str::SmolStr;

use crate::client::WireRequest;

/// The `User-Agent` sent by default: a browser-like product token that says what it is.
pub const DEFAULT_USER_AGENT: &str =
    "Mozilla/5.0 (compatible; corsica-probe/0.1; +https://github.com/corsica-rs/corsica)";

/// The `Cookie` sent with credentialed requests by default: a harmless cookie, so that servers
/// that answer differently when a cookie is present (Starlette's `*` with credentials) show it.
pub const DEFAULT_COOKIE: &str = "corsica_probe=1";

/// The headers a browser adds (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserHeaders {
    /// `User-Agent`; `None` sends none. (`SmolStr`s: each request shares the value.)
    pub user_agent: Option<SmolStr>,
    /// `Accept-Language`; `None` sends none.
    pub accept_language: Option<SmolStr>,
    /// `Accept: */*` on actual requests whose page set no `Accept`.
    pub accept: bool,
    /// `Sec-Fetch-Site`, `Sec-Fetch-Mode` and `Sec-Fetch-Dest`, to potentially trustworthy URLs
    /// (https, loopback) as browsers send them. `Sec-Fetch-Site` compares hosts by their last
    /// two labels (no public suffix list), so it may say `cross-site` for a same-site request on
    /// a multi-label public suffix such as `co.uk`.
    pub fetch_metadata: bool,
    /// `Referer`: the page's origin followed by `/`, except from `https` to `http` and from an
    /// opaque origin.
    pub referer: bool,
    /// The `Cookie` value sent when the engine says credentials go with the request; `None`
    /// models a browser that has no cookie for the site.
    pub cookie: Option<SmolStr>,
}

impl Default for BrowserHeaders {
    fn default() -> Self {
        Self {
            user_agent: Some(SmolStr::new_static(DEFAULT_USER_AGENT)),
            accept_language: Some(SmolStr::new_static("en-US,en;q=0.9")),
            accept: true,
            fetch_metadata: true,
            referer: true,
            cookie: Some(SmolStr::new_static(DEFAULT_COOKIE)),
        }
    }
}

impl BrowserHeaders {
    /// None of the extras: the wire request is the engine's request plus `Host`.
    pub fn none() -> Self {
        Self {
            user_agent: None,
            accept_language: None,
            accept: false,
            fetch_metadata: false,
            referer: false,
            cookie: None,
        }
    }

    /// The wire request for `sent`, sent by a page of `origin` whose request has `mode`.
    pub fn wire_request(
        &self,
        sent: &SentRequest,
        origin: &Origin,
        mode: RequestMode,
    ) -> WireRequest {
        self.wire(
            sent.kind,
            &sent.method,
            &sent.url,
            &sent.headers,
            sent.credentials,
            origin,
            mode,
        )
    }

    /// The wire request for a request of `kind` with these parts (the engine's headers first,
    /// then the extras), sent by a page of `origin` whose request has `mode`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of a SentRequest, plus the page"
    )]
    pub fn wire(
        &self,
        kind: ExchangeKind,
        method: &str,
        url: &Url,
        engine_headers: &HeaderList,
        credentials: bool,
        origin: &Origin,
        mode: RequestMode,
    ) -> WireRequest {
        let mut headers = HeaderList::with_capacity(engine_headers.len() + 8);
        for header in engine_headers {
            headers.append(header.name.clone(), header.value.clone());
        }
        let preflight = kind == ExchangeKind::Preflight;
        // The names and fixed values are static text, which a `SmolStr` points at.
        let mut add = |name: &'static str, value: SmolStr| {
            headers.append(SmolStr::new_static(name), value);
        };
        if self.accept && !preflight && !engine_headers.contains("accept") {
            add("Accept", SmolStr::new_static("*/*"));
        }
        if let Some(language) = &self.accept_language {
            if !engine_headers.contains("accept-language") {
                add("Accept-Language", language.clone());
            }
        }
        if let Some(agent) = &self.user_agent {
            add("User-Agent", agent.clone());
        }
        if self.fetch_metadata && is_url_potentially_trustworthy(url) {
            add(
                "Sec-Fetch-Site",
                SmolStr::new_static(fetch_site(origin, url)),
            );
            let fetch_mode = if preflight { RequestMode::Cors } else { mode };
            add("Sec-Fetch-Mode", SmolStr::new_static(fetch_mode.as_str()));
            let dest = if mode == RequestMode::Navigate {
                "document"
            } else {
                "empty"
            };
            add("Sec-Fetch-Dest", SmolStr::new_static(dest));
        }
        if self.referer {
            if let Some(referer) = referer(origin, url) {
                add("Referer", referer);
            }
        }
        if credentials {
            if let Some(cookie) = &self.cookie {
                add("Cookie", cookie.clone());
            }
        }
        WireRequest {
            method: method.to_owned(),
            url: url.clone(),
            headers,
        }
    }
}

/// `Sec-Fetch-Site` for a request from `origin` to `url`.
fn fetch_site(origin: &Origin, url: &Url) -> &'static str {
    if origin.is_same_origin_with(url) {
        return "same-origin";
    }
    let same_scheme = origin.scheme() == Some(url.scheme());
    let same_site = match (origin.host(), url.host()) {
        (Some(Host::Domain(a)), Some(Host::Domain(b))) => site(a) == site(b),
        (Some(a), Some(b)) => a.to_string() == b.to_string(),
        _ => false,
    };
    if same_scheme && same_site {
        "same-site"
    } else {
        "cross-site"
    }
}

/// A host's last two labels: the registrable domain for most names.
fn site(host: &str) -> &str {
    let mut dots = host.rmatch_indices('.');
    match (dots.next(), dots.next()) {
        (Some(_), Some((i, _))) => &host[i + 1..],
        _ => host,
    }
}

/// `Referer` under `strict-origin-when-cross-origin`, for a page at `origin`'s root (built in
/// place: most origins fit a `SmolStr` without the heap).
fn referer(origin: &Origin, url: &Url) -> Option<SmolStr> {
    let scheme = origin.scheme()?;
    if scheme == "https" && url.scheme() != "https" {
        return None;
    }
    Some([origin.serialization(), "/"].into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(
        extras: &BrowserHeaders,
        kind: ExchangeKind,
        url: &str,
        credentials: bool,
    ) -> WireRequest {
        let origin = Origin::parse("https://app.example").unwrap();
        let headers: HeaderList = [("Origin", "https://app.example")].into_iter().collect();
        let method = if kind == ExchangeKind::Preflight {
            "OPTIONS"
        } else {
            "GET"
        };
        extras.wire(
            kind,
            method,
            &url.parse().unwrap(),
            &headers,
            credentials,
            &origin,
            RequestMode::Cors,
        )
    }

    #[test]
    fn extras_follow_the_engine_headers() {
        let all = BrowserHeaders::default();
        let request = wire(&all, ExchangeKind::Request, "https://api.example/x", true);
        let names: Vec<&str> = request.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Origin",
                "Accept",
                "Accept-Language",
                "User-Agent",
                "Sec-Fetch-Site",
                "Sec-Fetch-Mode",
                "Sec-Fetch-Dest",
                "Referer",
                "Cookie"
            ]
        );
        assert_eq!(
            request.headers.get("sec-fetch-site").as_deref(),
            Some("cross-site")
        );
        assert_eq!(
            request.headers.get("referer").as_deref(),
            Some("https://app.example/")
        );

        // No fetch metadata to plain http; no Referer on a downgrade; no cookie without
        // credentials; a preflight gets no second Accept.
        let preflight = wire(&all, ExchangeKind::Preflight, "http://api.other/x", false);
        assert!(!preflight.headers.contains("sec-fetch-mode"));
        assert!(!preflight.headers.contains("referer"));
        assert!(!preflight.headers.contains("cookie"));
        assert_eq!(preflight.headers.count("accept"), 0);

        let bare = wire(
            &BrowserHeaders::none(),
            ExchangeKind::Request,
            "https://api.example/x",
            true,
        );
        assert_eq!(bare.headers.len(), 1);
    }

    #[test]
    fn sites() {
        let origin = Origin::parse("http://localhost:5173").unwrap();
        let url: Url = "http://127.0.0.1:8080/".parse().unwrap();
        assert_eq!(fetch_site(&origin, &url), "cross-site");
        let url: Url = "http://localhost:8080/".parse().unwrap();
        assert_eq!(fetch_site(&origin, &url), "same-site");
        assert_eq!(site("a.b.example.com"), "example.com");
        let origin = Origin::parse("https://app.example.com").unwrap();
        let url: Url = "https://api.example.com/".parse().unwrap();
        assert_eq!(fetch_site(&origin, &url), "same-site");
        assert_eq!(site("localhost"), "localhost");
    }
}
