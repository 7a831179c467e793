//! What to change on the server.
//!
//! [`fix`] turns a [`Failure`] into concrete advice: the header to send, on which response, with
//! which value. It recognises the situations developers hit most (`server-misconfigurations.md`
//! §6): a missing `Access-Control-Allow-Origin`, another origin allowed, a trailing slash, a
//! scheme or port mismatch, `OPTIONS` not handled (or stopped by authentication), `*` with
//! credentials, a header or method missing from the preflight's lists (`patch` versus `PATCH`),
//! `Access-Control-Allow-Credentials` not exactly `true`, the header sent twice, redirects, Local
//! Network Access, and `Authorization` under `Access-Control-Allow-Headers: *`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::url::Url;

use crate::error::{ErrorKind, Failure, Stage};
use crate::message::{Context, address_spaces};
use crate::preflight::{ACAH, ACAM};
use crate::request::CredentialsMode;
use crate::response::NetworkError;

/// A concrete fix for the server, for `failure`.
///
/// The text names the exact header and value to send and the response to send it on (the
/// preflight, the actual response or a redirect, per [`Failure::stage`]); when the request was
/// redirected it also says how the redirect changes things.
pub fn fix(failure: &Failure, ctx: &Context<'_>) -> String {
    let mut text = advice(failure, ctx);
    if let Some(note) = redirect_note(failure, ctx) {
        text.push(' ');
        text.push_str(&note);
    }
    text
}

/// The advice for the failing step itself.
fn advice(failure: &Failure, ctx: &Context<'_>) -> String {
    let url = &failure.url;
    let origin = ctx.origin;
    let method = ctx.method;
    let parameter = failure.failed_parameter.as_deref().unwrap_or("");
    match failure.kind {
        ErrorKind::MissingAllowOriginHeader | ErrorKind::PreflightMissingAllowOriginHeader => {
            missing_allow_origin(failure, ctx)
        }
        ErrorKind::WildcardOriginNotAllowed | ErrorKind::PreflightWildcardOriginNotAllowed => {
            format!(
                "The request is sent with credentials (`credentials: \"include\"`), and then \
             `Access-Control-Allow-Origin: *` is refused. On {}, echo the origin instead: \
             `Access-Control-Allow-Origin: {origin}`, with `Access-Control-Allow-Credentials: true` \
             and `Vary: Origin`, and only for origins on your allowlist (never reflect any origin). \
             Or, if the request needs no cookies or HTTP authentication, stop sending credentials \
             (`credentials: \"same-origin\"` or `\"omit\"`) and keep `*`.",
                target(failure, ctx)
            )
        }
        ErrorKind::MultipleAllowOriginValues | ErrorKind::PreflightMultipleAllowOriginValues => {
            several_allow_origins(failure, ctx)
        }
        ErrorKind::InvalidAllowOriginValue
        | ErrorKind::PreflightInvalidAllowOriginValue
        | ErrorKind::AllowOriginMismatch
        | ErrorKind::PreflightAllowOriginMismatch => other_allow_origin(failure, ctx),
        ErrorKind::InvalidAllowCredentials | ErrorKind::PreflightInvalidAllowCredentials => {
            allow_credentials(failure, ctx)
        }
        ErrorKind::PreflightInvalidStatus => preflight_status(failure, ctx),
        ErrorKind::PreflightDisallowedRedirect => {
            let location = match ctx.redirect_location(url) {
                Some(location) => format!(" to `{location}`"),
                None => String::new(),
            };
            format!(
                "The preflight (`OPTIONS {url}`) was answered with a redirect{}{location}, and \
                 browsers never follow a redirect for a preflight. Answer the `OPTIONS` request at \
                 this URL itself with `204 No Content` and {}, instead of redirecting it. The usual \
                 causes are a trailing-slash redirect (`/api` → `/api/`), an HTTP → HTTPS redirect or \
                 a login redirect: point the page at the final URL so that no redirect is needed.",
                status_in_parentheses(failure.status),
                preflight_headers(ctx)
            )
        }
        ErrorKind::InvalidAllowMethodsPreflightResponse => {
            let example = if matches!(method, "GET" | "POST") {
                String::from("GET, POST")
            } else {
                format!("GET, POST, {method}")
            };
            format!(
                "`Access-Control-Allow-Methods`{} does not parse: `{parameter}` is not a method \
                 name (an HTTP token). Send a comma-separated list of method names on the preflight \
                 response, such as `Access-Control-Allow-Methods: {example}`: no quotes, no JSON \
                 array, no semicolons.",
                received(ctx, ACAM)
            )
        }
        ErrorKind::InvalidAllowHeadersPreflightResponse => format!(
            "`Access-Control-Allow-Headers`{} does not parse: `{parameter}` is not a header name \
             (an HTTP token). Send a comma-separated list of header names on the preflight \
             response, such as `Access-Control-Allow-Headers: Content-Type, Authorization`: no \
             quotes, no JSON array, no semicolons.",
            received(ctx, ACAH)
        ),
        ErrorKind::MethodDisallowedByPreflightResponse => method_not_allowed(failure, ctx),
        ErrorKind::HeaderDisallowedByPreflightResponse => header_not_allowed(failure, ctx),
        ErrorKind::CorsDisabledScheme => format!(
            "`{url}` uses the `{}:` scheme, and CORS requests work only over `http:` and `https:`. \
             Serve the resource from an HTTP(S) server (not `file://`), and load the page over \
             HTTP(S) too.",
            url.scheme()
        ),
        ErrorKind::DisallowedByMode => format!(
            "The page asked for `mode: \"same-origin\"`, and `{url}` is on another origin. Either \
             serve the resource from the page's own origin `{origin}` (for example behind a reverse \
             proxy, without redirecting to another origin), or fetch it with `mode: \"cors\"` (the \
             default) and have the server send `Access-Control-Allow-Origin: {origin}`."
        ),
        ErrorKind::RedirectContainsCredentials => format!(
            "The redirect from `{url}` points to `{parameter}`, which contains a username or \
             password, and browsers refuse to follow such a redirect in a CORS request. Redirect to \
             a URL without `user:password@`, and carry the credentials in an `Authorization` header \
             or a cookie instead."
        ),
        ErrorKind::RedirectDisallowedScheme => format!(
            "The redirect from `{url}` points to `{parameter}`, which is not an `http:` or `https:` \
             URL; a fetch never follows such a redirect. Redirect only to `http:` or `https:` URLs \
             (or answer at `{url}` directly)."
        ),
        ErrorKind::RedirectDisallowedByMode => format!(
            "The page asked for `redirect: \"error\"`, and `{url}` answered with a redirect{}. \
             Serve the resource at this URL without redirecting, or have the page fetch the final \
             URL directly (or allow redirects with `redirect: \"follow\"`).",
            status_in_parentheses(failure.status)
        ),
        ErrorKind::TooManyRedirects => format!(
            "More than 20 redirects starting at `{}`: this is a redirect loop. Fix the redirect rules \
             (compare the HTTP → HTTPS, trailing-slash, `www` and login redirects) so that `{url}` \
             leads to a final response, and point the page at that final URL.",
            ctx.initial_url
        ),
        ErrorKind::InvalidRedirectLocation => format!(
            "The redirect from `{url}` has a `Location` header that is not a valid URL (or more than \
             one `Location`). Send exactly one `Location` header with a valid absolute or relative \
             URL, with spaces and other special characters percent-encoded."
        ),
        ErrorKind::RequestDidNotSucceed | ErrorKind::InvalidResponse
            if failure.network_error == Some(NetworkError::InvalidResponse) =>
        {
            format!(
                "The answer from `{url}` is not a valid HTTP response (for one, a header value \
                 holds a NUL byte), so the browser drops it. This is not a CORS problem and no CORS \
                 header can fix it: make the server send well-formed header lines (no NUL, CR or LF \
                 bytes in values)."
            )
        }
        ErrorKind::RequestDidNotSucceed => format!(
            "No HTTP response came back from `{url}`: the connection failed (the server is down, \
             the host or port is wrong, TLS failed, or the server closed the connection). This is \
             not a CORS problem, although the browser reports it like one (`TypeError: Failed to \
             fetch`), so no CORS header can fix it: make sure the server is running and reachable \
             at this URL."
        ),
        ErrorKind::InvalidResponse => format!(
            "The preflight (`OPTIONS {url}`) got no HTTP response: the connection failed. Make sure \
             the server is reachable at this URL and accepts `OPTIONS` requests (some proxies and \
             firewalls drop them), answering with `204 No Content` and {}.",
            preflight_headers(ctx)
        ),
        ErrorKind::ForbiddenMethod => format!(
            "`{parameter}` is a forbidden method: `fetch()` throws for `CONNECT`, `TRACE` and \
             `TRACK` before sending anything, and no server header changes that. Use another method \
             (such as `POST`) and route it on the server."
        ),
        ErrorKind::InvalidMethod => format!(
            "`{parameter}` is not a valid HTTP method (a token: letters, digits and \
             ``!#$%&'*+-.^_`|~``), so `fetch()` throws before sending anything. Fix the method in the \
             page."
        ),
        ErrorKind::InvalidHeaderName => format!(
            "`{parameter}` is not a valid header name (a token: letters, digits and \
             ``!#$%&'*+-.^_`|~``; no spaces or colons), so `fetch()` throws before sending anything. \
             Fix the header name in the page."
        ),
        ErrorKind::InvalidHeaderValue => format!(
            "The value of the `{parameter}` header contains NUL, CR or LF, or a character above \
             U+00FF, so `fetch()` throws before sending anything. Encode the value in the page (for \
             example percent-encoding or base64)."
        ),
        ErrorKind::UrlContainsCredentials => format!(
            "`{parameter}` contains `user:password@`, and `fetch()` refuses such URLs. Remove the \
             credentials from the URL and send them in a header, such as `Authorization: Basic …`; \
             the server must then list `Authorization` in the preflight's \
             `Access-Control-Allow-Headers`."
        ),
        ErrorKind::BodyWithGetOrHead => format!(
            "`fetch()` refuses a body on a `{parameter}` request: nothing reaches the server. Send \
             the data in the URL's query, or use `POST` (and have the server allow it)."
        ),
        ErrorKind::NoCorsMethodNotSafelisted => format!(
            "`mode: \"no-cors\"` allows only `GET`, `HEAD` and `POST`, and the page used `{parameter}`. \
             Use `mode: \"cors\"` and have the server answer the preflight with \
             `Access-Control-Allow-Origin: {origin}` and `Access-Control-Allow-Methods: {parameter}`."
        ),
        ErrorKind::NoCorsRedirectModeNotFollow => String::from(
            "`mode: \"no-cors\"` requires `redirect: \"follow\"`. Drop the `redirect` option, or use \
             `mode: \"cors\"` with a server that sends `Access-Control-Allow-Origin`.",
        ),
        ErrorKind::MixedContent => format!(
            "The page is served over HTTPS (`{origin}`) and `{url}` is plain HTTP, so the browser \
             blocks it as mixed content. Serve the API over HTTPS and request \
             `https://{}` (and make sure no redirect leads back to `http:`).",
            url.as_str().strip_prefix("http://").unwrap_or(url.as_str())
        ),
        ErrorKind::BadPort => format!(
            "Port {} is on the Fetch Standard's list of bad ports (https://fetch.spec.whatwg.org/#bad-port), \
             which browsers never connect to. Move the server to another port, such as 8080 or 8443.",
            url.port_or_known_default().unwrap_or(0)
        ),
        ErrorKind::InsecureLocalNetwork => format!(
            "The page `{origin}` is not a secure context, and the request goes to the more private \
             `{}` address space, which Chromium 142+ (Local Network Access) blocks without asking. \
             Serve the page over HTTPS (a secure context; `http://localhost` also counts), so that \
             Chromium can ask the user for the local-network permission, and pass \
             `targetAddressSpace: \"{0}\"` to `fetch()`; or serve the API from a public address.",
            space(failure)
        ),
        ErrorKind::InvalidLocalNetworkAccess => {
            let (target, resource) = address_spaces(failure, ctx);
            let passed = if target == "unknown" {
                String::from("The `targetAddressSpace` passed to `fetch()`")
            } else {
                format!("`targetAddressSpace: \"{target}\"`")
            };
            format!(
                "{passed} does not match the address space the server is in (`{resource}`). Pass \
                 `targetAddressSpace: \"{resource}\"`, or leave the option out."
            )
        }
        ErrorKind::LocalNetworkAccessPermissionDenied => format!(
            "The user (or a policy) denied the Local Network Access permission for the `{}` address \
             space; no server header changes that. Ask the user to allow local network access for \
             `{origin}` in the site settings, or serve the API from a public address instead of the \
             local network.",
            space(failure)
        ),
        ErrorKind::PreflightMissingAllowPrivateNetwork => format!(
            "Private Network Access (Chrome 2021–2025): answer the preflight with \
             `Access-Control-Allow-Private-Network: true` next to `Access-Control-Allow-Origin: \
             {origin}`. Current Chrome replaced these preflights with the Local Network Access \
             permission prompt, which needs the page in a secure context (HTTPS)."
        ),
        ErrorKind::PreflightInvalidAllowPrivateNetwork => format!(
            "Private Network Access (Chrome 2021–2025): `Access-Control-Allow-Private-Network` must \
             be exactly `true` (it is `{parameter}`). Send `Access-Control-Allow-Private-Network: \
             true` on the preflight response."
        ),
    }
}

/// No `Access-Control-Allow-Origin`: send it, on the response that lacked it.
fn missing_allow_origin(failure: &Failure, ctx: &Context<'_>) -> String {
    let origin = ctx.origin;
    let mut text = format!(
        "Send `Access-Control-Allow-Origin: {origin}` on {}.",
        target(failure, ctx)
    );
    if credentialed(ctx) {
        text.push_str(
            " The request is sent with credentials, so echo the origin (never `*`) and also send \
             `Access-Control-Allow-Credentials: true`.",
        );
    } else {
        text.push_str(" For a public resource without credentials, `Access-Control-Allow-Origin: *` also works.");
    }
    if failure.stage == Stage::Preflight {
        text.push_str(&format!(
            " The preflight is an `OPTIONS` request sent without cookies or `Authorization`: the \
             CORS layer must answer it before authentication and routing (authentication middleware \
             must let `OPTIONS` through), with `204 No Content` and {}.",
            preflight_headers(ctx)
        ));
        if let Some(status) = failure
            .status
            .filter(|status| !crate::response::is_ok_status(*status))
        {
            text.push_str(&format!(
                " It answered {status}, which suggests that nothing answers `OPTIONS` there yet."
            ));
        }
    } else if let Some(status) = failure.status.filter(|status| *status >= 400) {
        text.push_str(&format!(
            " The response has status {status}: many frameworks leave the CORS headers off error \
             responses; add them there too, or the page cannot even read the error."
        ));
    }
    text.push_str(ECHO);
    text
}

/// How to allow several origins.
const ECHO: &str = " To allow several origins, check the request's `Origin` against an allowlist and \
                    echo the matching one, with `Vary: Origin`.";

/// `Access-Control-Allow-Origin` holds several values.
fn several_allow_origins(failure: &Failure, ctx: &Context<'_>) -> String {
    let value = failure.failed_parameter.as_deref().unwrap_or("");
    let origin = ctx.origin;
    let what = if failure.allow_origin_lines > 1 {
        format!(
            "{} carries `Access-Control-Allow-Origin` {} times (`{value}` once joined): usually a \
             proxy or CDN (nginx `add_header`, an API gateway) and the application both add it. Send \
             it once, from one layer only",
            capitalized(&target(failure, ctx)),
            failure.allow_origin_lines
        )
    } else {
        format!(
            "`Access-Control-Allow-Origin: {value}` on {} is a list, but the header holds exactly one \
             origin (a list cannot be expressed in it)",
            target(failure, ctx)
        )
    };
    format!(
        "{what}: send `Access-Control-Allow-Origin: {origin}`. To allow several origins, check the \
         request's `Origin` against the allowlist and echo only the match, with `Vary: Origin`."
    )
}

/// What is wrong with an `Access-Control-Allow-Origin` value that is not the page's origin.
#[derive(Clone, Debug, PartialEq, Eq)]
enum AllowOrigin {
    /// `null`.
    Null,
    /// Several origins (a comma or a space).
    List,
    /// Not `scheme://host[:port]` at all (no scheme, for example).
    NotAnOrigin,
    /// The origin followed by `/`.
    TrailingSlash,
    /// A URL with a path, a query or a fragment.
    Path,
    /// The origin with its default port written out (`:443`).
    DefaultPort(u16),
    /// The same origin written differently (letter case).
    Spelling,
    /// The same host and another scheme.
    Scheme(String),
    /// The same scheme and host and another port.
    Port,
    /// Another origin.
    Other,
}

/// Whether `needle` (not empty) occurs in `text`, looked for byte by byte: no substring searcher
/// in the `.wasm` for a few bytes.
fn has_substring(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// Compares the `Access-Control-Allow-Origin` `value` with the page's serialized `origin`.
fn diagnose_allow_origin(value: &str, origin: &str) -> AllowOrigin {
    if value == "null" {
        return AllowOrigin::Null;
    }
    if value.contains([',', ' ']) {
        return AllowOrigin::List;
    }
    if value.eq_ignore_ascii_case(origin) {
        return AllowOrigin::Spelling;
    }
    let (Ok(sent), Ok(page)) = (Url::parse(value), Url::parse(origin)) else {
        return AllowOrigin::NotAnOrigin;
    };
    if !has_substring(value, "://") || sent.host_str().is_none() {
        return AllowOrigin::NotAnOrigin;
    }
    if sent.origin() == page.origin() {
        if value.strip_suffix('/') == Some(origin) {
            return AllowOrigin::TrailingSlash;
        }
        if let Some(port) = sent.port_or_known_default() {
            if page.port().is_none() && has_substring(value, &format!(":{port}")) {
                return AllowOrigin::DefaultPort(port);
            }
        }
        if sent.path() != "/" || sent.query().is_some() || sent.fragment().is_some() {
            return AllowOrigin::Path;
        }
        return AllowOrigin::Spelling;
    }
    if sent.host_str() == page.host_str() {
        if sent.scheme() != page.scheme() {
            return AllowOrigin::Scheme(String::from(sent.scheme()));
        }
        return AllowOrigin::Port;
    }
    AllowOrigin::Other
}

/// `Access-Control-Allow-Origin` names something other than the page's origin.
fn other_allow_origin(failure: &Failure, ctx: &Context<'_>) -> String {
    let value = failure.failed_parameter.as_deref().unwrap_or("");
    let origin = ctx.origin;
    let send = format!(
        "send `Access-Control-Allow-Origin: {origin}` on {}",
        target(failure, ctx)
    );
    if origin == "null" {
        return format!(
            "The page has an opaque origin (a sandboxed iframe, a `data:` or `file:` page), so the \
             browser sends `Origin: null` and accepts only `Access-Control-Allow-Origin: null` (or \
             `*` without credentials), while the server sent `{value}`. Allowing `null` lets every \
             sandboxed page in: serve the page from a real origin (over HTTP(S), not sandboxed) and \
             allow that origin instead."
        );
    }
    if value == origin {
        return format!(
            "`{value}` is the page's origin, but the request was redirected to another origin, so \
             the browser sent `Origin: null` and compared the header with `null`."
        );
    }
    match diagnose_allow_origin(value, origin) {
        AllowOrigin::Null => format!(
            "The server sent `Access-Control-Allow-Origin: null`, which matches only pages with an \
             opaque origin (sandboxed iframes, `data:` and `file:` pages), never `{origin}`; and \
             never allowlist `null`, since any sandboxed page can claim it. Instead, {send}."
        ),
        AllowOrigin::List => format!(
            "`{value}` is a list, but `Access-Control-Allow-Origin` holds exactly one origin. \
             Instead, {send}: check the request's `Origin` against the allowlist and echo only the \
             match, with `Vary: Origin`."
        ),
        AllowOrigin::NotAnOrigin => format!(
            "`{value}` is not an origin: an origin is `scheme://host[:port]`, such as `{origin}`. \
             Include the scheme: {send}."
        ),
        AllowOrigin::TrailingSlash => format!(
            "`{value}` has a trailing slash, but an origin never ends with `/` and the browser \
             compares byte for byte. Remove the slash: {send} (the allowlist entry was probably \
             written as a URL)."
        ),
        AllowOrigin::Path => format!(
            "`{value}` is a URL, but the header takes an origin (scheme, host and port only): remove \
             the path and {send}."
        ),
        AllowOrigin::DefaultPort(port) => format!(
            "`{value}` writes out the default port `:{port}`, but the browser serializes the origin \
             without it and compares byte for byte. Drop `:{port}`: {send}."
        ),
        AllowOrigin::Spelling => format!(
            "`{value}` is the page's origin written differently, and the browser compares byte for \
             byte (case-sensitive): {send}, best by echoing the request's `Origin` header."
        ),
        AllowOrigin::Scheme(scheme) => format!(
            "`{value}` names the `{scheme}` scheme, but the page `{origin}` is served over `{}`, and \
             the scheme is part of the origin. Allow the `{0}` origin: {send} (if the site is \
             served over both `http` and `https`, allow both and echo the request's `Origin`).",
            origin.split_once(':').map_or(origin, |(scheme, _)| scheme)
        ),
        AllowOrigin::Port => format!(
            "`{value}` differs from the page's origin `{origin}` only by the port, and the port is \
             part of the origin (a development server on another port is another origin). Add this \
             port to the allowlist: {send}."
        ),
        AllowOrigin::Other => format!(
            "The server allows `{value}`, but the page's origin is `{origin}`. Add `{origin}` to the \
             server's allowlist of origins and echo the request's `Origin` exactly when it is on the \
             list: {send}, with `Vary: Origin`."
        ),
    }
}

/// `Access-Control-Allow-Credentials` is not exactly `true`.
fn allow_credentials(failure: &Failure, ctx: &Context<'_>) -> String {
    let value = failure.failed_parameter.as_deref().unwrap_or("");
    let on = target(failure, ctx);
    let problem = if value.is_empty() {
        format!(
            "The request is sent with credentials (`credentials: \"include\"`), so {on} must also \
             carry `Access-Control-Allow-Credentials: true`, and it has none. Add it"
        )
    } else if value.eq_ignore_ascii_case("true") {
        format!(
            "`Access-Control-Allow-Credentials: {value}` is refused: the value must be exactly \
             `true`, lowercase. Send `Access-Control-Allow-Credentials: true` on {on}"
        )
    } else if value.contains(',') {
        format!(
            "`Access-Control-Allow-Credentials` arrived as `{value}`: it is sent more than once (by \
             a proxy and the application, say), and the joined value is not `true`. Send \
             `Access-Control-Allow-Credentials: true` once, on {on}"
        )
    } else {
        format!(
            "`Access-Control-Allow-Credentials: {value}` is refused: only `true` (lowercase) allows \
             credentials. Send `Access-Control-Allow-Credentials: true` on {on}"
        )
    };
    format!(
        "{problem}, next to `Access-Control-Allow-Origin: {}`. If the page needs no cookies or HTTP \
         authentication, stop sending credentials instead.",
        ctx.origin
    )
}

/// The preflight's status is not an ok status: `OPTIONS` is not handled, or authentication
/// stops it.
fn preflight_status(failure: &Failure, ctx: &Context<'_>) -> String {
    let url = &failure.url;
    let answer = format!(
        "answer it with `204 No Content` and {}",
        preflight_headers(ctx)
    );
    match failure.status {
        Some(status @ (404 | 405 | 501)) => format!(
            "The server does not handle `OPTIONS {url}`: it answered {status}. Handle `OPTIONS` \
             for this path before routing (register the CORS middleware globally, not only on the \
             routes of the other methods) and {answer}."
        ),
        Some(status @ (401 | 403 | 407)) => format!(
            "Authentication stopped the preflight: `OPTIONS {url}` answered {status}. A preflight \
             never carries cookies or `Authorization`, so it cannot pass an authentication check: \
             let `OPTIONS` requests through before authentication (run the CORS middleware first) \
             and {answer}."
        ),
        Some(status @ 300..=399) => format!(
            "The preflight (`OPTIONS {url}`) was answered with a redirect ({status}), which browsers \
             never follow for a preflight: answer at this URL itself and {answer}."
        ),
        Some(status) => format!(
            "The preflight (`OPTIONS {url}`) answered {status}, but it needs an ok status (200–299, \
             usually 204). The application seems to handle `OPTIONS` itself: let the CORS layer \
             answer it first and {answer}."
        ),
        None => format!("The preflight (`OPTIONS {url}`) needs an ok status (200–299): {answer}."),
    }
}

/// A method missing from `Access-Control-Allow-Methods`.
fn method_not_allowed(failure: &Failure, ctx: &Context<'_>) -> String {
    let method = failure.failed_parameter.as_deref().unwrap_or(ctx.method);
    let existing = ctx.response_header(ACAM);
    let list = list_with(existing.as_deref(), method, credentialed(ctx), |a, b| {
        a == b
    });
    let mut text = format!(
        "Add `{method}` to `Access-Control-Allow-Methods` on the preflight response (the answer to \
         `OPTIONS {}`): `Access-Control-Allow-Methods: {list}`. Methods match case-sensitively, \
         byte for byte.",
        failure.url
    );
    let upper = method.to_ascii_uppercase();
    if upper != method {
        text.push_str(&format!(
            " The page wrote the method as `{method}`: `fetch()` uppercases only `DELETE`, `GET`, \
             `HEAD`, `OPTIONS`, `POST` and `PUT`, so browsers send `{method}` as written, and a \
             server that lists `{upper}` does not allow it. Either list `{method}` too, or (better) \
             have the page send `{upper}`."
        ));
    }
    if credentialed(ctx) && has_wildcard(existing.as_deref()) {
        text.push_str(&format!(
            " With credentials, `*` in `Access-Control-Allow-Methods` is a literal name, not a \
             wildcard: list `{method}` by name."
        ));
    }
    text
}

/// A request header missing from `Access-Control-Allow-Headers`.
fn header_not_allowed(failure: &Failure, ctx: &Context<'_>) -> String {
    let lowercase = failure.failed_parameter.as_deref().unwrap_or("");
    let name = failure.header_as_written.as_deref().unwrap_or(lowercase);
    let existing = ctx.response_header(ACAH);
    let wildcard = has_wildcard(existing.as_deref());
    let url = &failure.url;
    if lowercase == "authorization" && wildcard && !credentialed(ctx) {
        return format!(
            "The preflight answered `Access-Control-Allow-Headers: {}`, but `*` never covers \
             `Authorization`: the Fetch Standard makes it a CORS non-wildcard request-header name, \
             which must be listed explicitly, and {} enforces that. Browsers tolerate `*` today, with \
             a deprecation warning, but may stop. List it: `Access-Control-Allow-Headers: \
             Authorization, *` (or name every header the page sends) on the answer to `OPTIONS {url}`.",
            existing.as_deref().unwrap_or("*"),
            profile_name(ctx)
        );
    }
    let list = list_with(
        existing.as_deref(),
        name,
        credentialed(ctx),
        str::eq_ignore_ascii_case,
    );
    let mut text = format!(
        "Add `{name}` to `Access-Control-Allow-Headers` on the preflight response (the answer to \
         `OPTIONS {url}`): `Access-Control-Allow-Headers: {list}`. Header names match \
         case-insensitively."
    );
    if credentialed(ctx) && wildcard {
        text.push_str(&format!(
            " With credentials, `*` in `Access-Control-Allow-Headers` is a literal name, not a \
             wildcard: list `{name}` by name."
        ));
    }
    if lowercase == "content-type" {
        text.push_str(
            " (A `Content-Type` other than `application/x-www-form-urlencoded`, \
             `multipart/form-data` or `text/plain`, such as `application/json`, is what makes the \
             request need a preflight.)",
        );
    }
    text
}

/// What the redirects change, when the failing response is not the one the page asked for.
fn redirect_note(failure: &Failure, ctx: &Context<'_>) -> Option<String> {
    if !is_cors_step(failure.kind) {
        return None;
    }
    let at_redirect = failure.stage == Stage::Redirect;
    let redirected = failure.url != *ctx.initial_url;
    if !at_redirect && !redirected {
        return None;
    }
    let next = if at_redirect {
        ctx.redirect_location(&failure.url)
    } else {
        None
    };
    let final_url = next.as_ref().unwrap_or(&failure.url);
    let mut note = if redirected {
        format!(
            "The request was redirected from `{}` to `{}`.",
            ctx.initial_url, failure.url
        )
    } else {
        format!(
            "`{}` answered with a redirect, and a CORS request checks every hop.",
            failure.url
        )
    };
    note.push_str(&format!(
        " Point the page at the final URL (`{final_url}`) so that no redirect is needed, or make \
         every hop answer with the CORS headers."
    ));
    let crossed = ctx.initial_url.origin() != failure.url.origin()
        || next
            .as_ref()
            .is_some_and(|next| next.origin() != failure.url.origin());
    if crossed {
        note.push_str(&format!(
            " After a redirect to another origin the browser sends `Origin: null`, not `{}`, so \
             the next server sees `null`; allowing `null` would let any sandboxed page in, so \
             avoiding the cross-origin redirect is the safer fix.",
            ctx.origin
        ));
    }
    Some(note)
}

/// The steps a redirect can make fail on another URL than the page's: the CORS check and the
/// preflight.
fn is_cors_step(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::DisallowedByMode
            | ErrorKind::WildcardOriginNotAllowed
            | ErrorKind::MissingAllowOriginHeader
            | ErrorKind::MultipleAllowOriginValues
            | ErrorKind::InvalidAllowOriginValue
            | ErrorKind::AllowOriginMismatch
            | ErrorKind::InvalidAllowCredentials
            | ErrorKind::PreflightInvalidStatus
            | ErrorKind::PreflightDisallowedRedirect
            | ErrorKind::PreflightWildcardOriginNotAllowed
            | ErrorKind::PreflightMissingAllowOriginHeader
            | ErrorKind::PreflightMultipleAllowOriginValues
            | ErrorKind::PreflightInvalidAllowOriginValue
            | ErrorKind::PreflightAllowOriginMismatch
            | ErrorKind::PreflightInvalidAllowCredentials
            | ErrorKind::InvalidAllowMethodsPreflightResponse
            | ErrorKind::InvalidAllowHeadersPreflightResponse
            | ErrorKind::MethodDisallowedByPreflightResponse
            | ErrorKind::HeaderDisallowedByPreflightResponse
    )
}

/// The response the header belongs on, per the failure's stage.
fn target(failure: &Failure, ctx: &Context<'_>) -> String {
    match failure.stage {
        Stage::Preflight => format!(
            "the preflight response (the answer to `OPTIONS {}`)",
            failure.url
        ),
        Stage::Redirect => format!("the redirect response from `{}`", failure.url),
        Stage::Request | Stage::Response => {
            format!("the response to `{} {}`", ctx.method, failure.url)
        }
    }
}

/// The headers a preflight response needs for this request.
fn preflight_headers(ctx: &Context<'_>) -> String {
    let credentials = if credentialed(ctx) {
        ", `Access-Control-Allow-Credentials: true`"
    } else {
        ""
    };
    format!(
        "`Access-Control-Allow-Origin: {}`{credentials}, `Access-Control-Allow-Methods: {}` and \
         `Access-Control-Allow-Headers` listing the page's own request headers",
        ctx.origin, ctx.method
    )
}

/// ` ({status})`, or nothing.
fn status_in_parentheses(status: Option<u16>) -> String {
    status
        .map(|status| format!(" ({status})"))
        .unwrap_or_default()
}

/// ` (\`value\`)`: the failing response's value of `name`, or nothing.
fn received(ctx: &Context<'_>, name: &str) -> String {
    ctx.response_header(name)
        .map(|value| format!(" (`{value}`)"))
        .unwrap_or_default()
}

/// `existing`'s comma-separated items plus `item` (unless `same` finds it there), without `*`
/// when credentials make it literal.
fn list_with(
    existing: Option<&str>,
    item: &str,
    credentials: bool,
    same: impl Fn(&str, &str) -> bool,
) -> String {
    let mut items: Vec<&str> = existing
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|token| !token.is_empty() && (!credentials || *token != "*"))
        .collect();
    if !items.iter().any(|token| same(token, item)) {
        items.push(item);
    }
    items.join(", ")
}

/// Whether a list header holds `*`.
fn has_wildcard(list: Option<&str>) -> bool {
    list.is_some_and(|list| list.split(',').any(|token| token.trim() == "*"))
}

/// Whether the request's credentials mode is "include".
fn credentialed(ctx: &Context<'_>) -> bool {
    ctx.credentials == CredentialsMode::Include
}

/// The address space of the resource a Local Network Access failure is about.
fn space(failure: &Failure) -> &str {
    failure.failed_parameter.as_deref().unwrap_or("unknown")
}

/// How the context's profile is named in a sentence.
fn profile_name(ctx: &Context<'_>) -> String {
    format!("the `{}` profile", ctx.profile.name())
}

/// `text` with its first letter uppercase.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderList;
    use crate::message::fixtures::{
        ME, case_url, context, context_with, failure, failure_with, header_failure,
    };
    use crate::profile::Profile;

    fn fix_of(failure: &Failure) -> String {
        let initial = failure.url.clone();
        fix(failure, &context(&Profile::SPEC, &initial))
    }

    fn assert_mentions(text: &str, words: &[&str]) {
        for word in words {
            assert!(text.contains(word), "{word:?} missing from {text:?}");
        }
    }

    #[test]
    fn every_kind_has_a_fix() {
        for profile in Profile::ALL {
            for &kind in ErrorKind::ALL {
                let initial = case_url("all");
                let failure = failure(kind, kind.default_stage(), "all");
                let text = fix(&failure, &context(&profile, &initial));
                assert!(!text.is_empty(), "{kind}");
                assert!(!text.contains("{"), "{kind}: {text}");
            }
        }
    }

    /// 1. Missing `Access-Control-Allow-Origin`, on the actual response and on the preflight.
    #[test]
    fn missing_allow_origin() {
        let actual = failure_with(
            ErrorKind::MissingAllowOriginHeader,
            Stage::Response,
            "get-acao-missing",
            "",
            200,
            0,
        );
        assert_mentions(
            &fix_of(&actual),
            &[
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
                "the response to `GET",
            ],
        );
        let preflight = failure_with(
            ErrorKind::PreflightMissingAllowOriginHeader,
            Stage::Preflight,
            "preflight-no-acao",
            "",
            204,
            0,
        );
        assert_mentions(
            &fix_of(&preflight),
            &[
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
                "preflight response",
                "`OPTIONS`",
                "authentication",
            ],
        );
    }

    /// 2. Another origin is allowed.
    #[test]
    fn origin_not_allowed() {
        let failure = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "get-acao-mismatch",
            "http://example.com",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&failure),
            &[
                "allowlist",
                "`http://example.com`",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
                "Vary: Origin",
            ],
        );
    }

    /// 3. `OPTIONS` not handled, or stopped by authentication.
    #[test]
    fn options_not_handled() {
        for status in [404, 405, 501, 401, 403] {
            let failure = failure(
                ErrorKind::PreflightInvalidStatus,
                Stage::Preflight,
                "options",
            )
            .with_status(status);
            assert_mentions(
                &fix_of(&failure),
                &[
                    "`OPTIONS",
                    "204",
                    "Access-Control-Allow-Origin: http://127.0.0.1:8801",
                    &format!("{status}"),
                ],
            );
        }
        let auth = failure(
            ErrorKind::PreflightInvalidStatus,
            Stage::Preflight,
            "options",
        )
        .with_status(401);
        assert_mentions(&fix_of(&auth), &["before authentication"]);
        let missing = failure_with(
            ErrorKind::PreflightMissingAllowOriginHeader,
            Stage::Preflight,
            "options",
            "",
            404,
            0,
        );
        assert_mentions(&fix_of(&missing), &["answered 404", "`OPTIONS`"]);
    }

    /// 4. `*` with credentials.
    #[test]
    fn wildcard_with_credentials() {
        let failure = failure_with(
            ErrorKind::WildcardOriginNotAllowed,
            Stage::Response,
            "credentials-acao-star",
            "*",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&failure),
            &[
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
                "`Access-Control-Allow-Credentials: true`",
                "`Vary: Origin`",
                "stop sending credentials",
            ],
        );
    }

    /// 5. A header missing from `Access-Control-Allow-Headers`.
    #[test]
    fn header_not_allowed() {
        let initial = case_url("custom-header-no-acah");
        let headers: HeaderList = [("Access-Control-Allow-Headers", "Content-Type")]
            .into_iter()
            .collect();
        let ctx = context_with(
            &Profile::CHROMIUM,
            &initial,
            "GET",
            CredentialsMode::SameOrigin,
            &headers,
        );
        let text = fix(&header_failure("custom-header-no-acah", "X-Custom"), &ctx);
        assert_mentions(
            &text,
            &[
                "`X-Custom`",
                "`Access-Control-Allow-Headers: Content-Type, X-Custom`",
                "`OPTIONS",
            ],
        );
        let credentialed: HeaderList = [("Access-Control-Allow-Headers", "*")]
            .into_iter()
            .collect();
        let ctx = context_with(
            &Profile::CHROMIUM,
            &initial,
            "GET",
            CredentialsMode::Include,
            &credentialed,
        );
        let text = fix(
            &header_failure("custom-header-acah-star-credentials", "X-Custom"),
            &ctx,
        );
        assert_mentions(
            &text,
            &["`Access-Control-Allow-Headers: X-Custom`", "literal"],
        );
    }

    /// 6. A method missing from `Access-Control-Allow-Methods`, and the lowercase `patch`.
    #[test]
    fn method_not_allowed() {
        let put = failure_with(
            ErrorKind::MethodDisallowedByPreflightResponse,
            Stage::Preflight,
            "put-no-acam",
            "PUT",
            204,
            1,
        );
        assert_mentions(
            &fix_of(&put),
            &[
                "`PUT`",
                "`Access-Control-Allow-Methods: PUT`",
                "case-sensitively",
            ],
        );
        let initial = case_url("patch-lowercase-acam-PATCH");
        let headers: HeaderList = [("Access-Control-Allow-Methods", "PATCH")]
            .into_iter()
            .collect();
        let ctx = context_with(
            &Profile::CHROMIUM,
            &initial,
            "patch",
            CredentialsMode::SameOrigin,
            &headers,
        );
        let patch = failure_with(
            ErrorKind::MethodDisallowedByPreflightResponse,
            Stage::Preflight,
            "patch-lowercase-acam-PATCH",
            "patch",
            204,
            1,
        );
        let text = fix(&patch, &ctx);
        assert_mentions(
            &text,
            &[
                "`Access-Control-Allow-Methods: PATCH, patch`",
                "list `patch`",
                "send `PATCH`",
                "as written",
            ],
        );
    }

    /// 7. `Access-Control-Allow-Credentials` not exactly `true`.
    #[test]
    fn allow_credentials() {
        for value in ["", "TRUE", "true, true", "1"] {
            let failure = failure_with(
                ErrorKind::InvalidAllowCredentials,
                Stage::Response,
                "credentials",
                value,
                200,
                1,
            );
            assert_mentions(
                &fix_of(&failure),
                &["`Access-Control-Allow-Credentials: true`"],
            );
        }
        let upper = failure_with(
            ErrorKind::InvalidAllowCredentials,
            Stage::Response,
            "credentials",
            "TRUE",
            200,
            1,
        );
        assert_mentions(&fix_of(&upper), &["lowercase"]);
    }

    /// 8. A trailing slash.
    #[test]
    fn trailing_slash() {
        let failure = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "get-acao-trailing-slash",
            "http://127.0.0.1:8801/",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&failure),
            &[
                "trailing slash",
                "Remove the slash",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
            ],
        );
    }

    /// 9. The scheme differs, both ways.
    #[test]
    fn scheme_mismatch() {
        let failure = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "scheme",
            "https://127.0.0.1:8801",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&failure),
            &[
                "`https` scheme",
                "served over `http`",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
            ],
        );
        let initial = case_url("scheme");
        let mut ctx = context(&Profile::SPEC, &initial);
        ctx.origin = "https://app.example";
        let reverse = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "scheme",
            "http://app.example",
            200,
            1,
        );
        assert_mentions(
            &fix(&reverse, &ctx),
            &[
                "`http` scheme",
                "served over `https`",
                "`Access-Control-Allow-Origin: https://app.example`",
            ],
        );
    }

    /// 10. The port differs, including a default port written out.
    #[test]
    fn port_mismatch() {
        let failure = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "port",
            "http://127.0.0.1:3000",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&failure),
            &[
                "only by the port",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
            ],
        );
        let initial = case_url("port");
        let mut ctx = context(&Profile::SPEC, &initial);
        ctx.origin = "https://app.example";
        let default = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "port",
            "https://app.example:443",
            200,
            1,
        );
        assert_mentions(
            &fix(&default, &ctx),
            &[
                "default port `:443`",
                "`Access-Control-Allow-Origin: https://app.example`",
            ],
        );
    }

    /// 11. Redirects: a failure on the redirect response, and one after a cross-origin redirect.
    #[test]
    fn redirects() {
        let initial = case_url("start");
        let headers: HeaderList = [("Location", "http://localhost:8803/final")]
            .into_iter()
            .collect();
        let ctx = context_with(
            &Profile::CHROMIUM,
            &initial,
            "GET",
            CredentialsMode::SameOrigin,
            &headers,
        );
        let at_redirect = failure_with(
            ErrorKind::MissingAllowOriginHeader,
            Stage::Redirect,
            "start",
            "",
            302,
            0,
        );
        assert_mentions(
            &fix(&at_redirect, &ctx),
            &[
                "redirect response",
                "final URL (`http://localhost:8803/final`)",
                "every hop",
                "`Origin: null`",
            ],
        );
        let after = Failure::new(
            ErrorKind::MissingAllowOriginHeader,
            Stage::Response,
            &Url::parse("http://localhost:8803/final").expect("a valid test URL"),
        );
        assert_mentions(
            &fix(&after, &context(&Profile::CHROMIUM, &initial)),
            &["redirected from", "final URL", "`Origin: null`"],
        );
    }

    /// The page's own origin refused after a cross-origin redirect: the request's origin was `null`.
    #[test]
    fn tainted_origin() {
        let initial = case_url("start");
        let url = Url::parse("http://localhost:8803/final").expect("a valid test URL");
        let failure =
            Failure::new(ErrorKind::AllowOriginMismatch, Stage::Response, &url).with_parameter(ME);
        let text = fix(&failure, &context(&Profile::CHROMIUM, &initial));
        assert_mentions(
            &text,
            &[
                "is the page's origin",
                "`Origin: null`",
                "final URL (`http://localhost:8803/final`)",
            ],
        );
    }

    /// 12. Local Network Access.
    #[test]
    fn private_network() {
        let insecure = failure(ErrorKind::InsecureLocalNetwork, Stage::Request, "lna")
            .with_parameter("loopback");
        assert_mentions(
            &fix_of(&insecure),
            &[
                "HTTPS",
                "secure context",
                "`targetAddressSpace: \"loopback\"`",
            ],
        );
        let denied = failure(
            ErrorKind::LocalNetworkAccessPermissionDenied,
            Stage::Request,
            "lna",
        )
        .with_parameter("local");
        assert_mentions(&fix_of(&denied), &["permission", "`local`"]);
        let target = failure(ErrorKind::InvalidLocalNetworkAccess, Stage::Request, "lna")
            .with_parameter("local");
        assert_mentions(&fix_of(&target), &["`targetAddressSpace: \"local\"`"]);
    }

    /// 13. `Authorization` under `Access-Control-Allow-Headers: *` (the `spec` profile).
    #[test]
    fn authorization_under_wildcard() {
        let initial = case_url("auth-header-acah-star");
        let headers: HeaderList = [("Access-Control-Allow-Headers", "*")]
            .into_iter()
            .collect();
        let ctx = context_with(
            &Profile::SPEC,
            &initial,
            "GET",
            CredentialsMode::SameOrigin,
            &headers,
        );
        let text = fix(
            &header_failure("auth-header-acah-star", "Authorization"),
            &ctx,
        );
        assert_mentions(
            &text,
            &[
                "`*` never covers `Authorization`",
                "`Access-Control-Allow-Headers: Authorization, *`",
                "`spec` profile",
            ],
        );
    }

    #[test]
    fn several_values() {
        let lines = failure_with(
            ErrorKind::MultipleAllowOriginValues,
            Stage::Response,
            "two",
            "http://127.0.0.1:8801, http://127.0.0.1:8801",
            200,
            2,
        );
        assert_mentions(
            &fix_of(&lines),
            &[
                "2 times",
                "once",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
            ],
        );
        let list = failure_with(
            ErrorKind::MultipleAllowOriginValues,
            Stage::Response,
            "list",
            "http://127.0.0.1:8801, http://example.com",
            200,
            1,
        );
        assert_mentions(&fix_of(&list), &["is a list", "echo only the match"]);
    }

    #[test]
    fn invalid_values() {
        let no_scheme = failure_with(
            ErrorKind::InvalidAllowOriginValue,
            Stage::Response,
            "invalid",
            "127.0.0.1:8801",
            200,
            1,
        );
        assert_mentions(
            &fix_of(&no_scheme),
            &[
                "not an origin",
                "scheme",
                "`Access-Control-Allow-Origin: http://127.0.0.1:8801`",
            ],
        );
        let methods = failure(
            ErrorKind::InvalidAllowMethodsPreflightResponse,
            Stage::Preflight,
            "acam",
        )
        .with_parameter("\"PUT\"");
        assert_mentions(
            &fix_of(&methods),
            &[
                "`\"PUT\"`",
                "Access-Control-Allow-Methods",
                "comma-separated",
            ],
        );
        let headers = failure(
            ErrorKind::InvalidAllowHeadersPreflightResponse,
            Stage::Preflight,
            "acah",
        )
        .with_parameter("x y");
        assert_mentions(
            &fix_of(&headers),
            &["`x y`", "Access-Control-Allow-Headers"],
        );
    }

    #[test]
    fn preflight_redirect_and_mixed_content() {
        let redirect = failure(
            ErrorKind::PreflightDisallowedRedirect,
            Stage::Preflight,
            "r",
        )
        .with_status(301);
        assert_mentions(
            &fix_of(&redirect),
            &[
                "redirect (301)",
                "`OPTIONS` request at this URL itself",
                "204",
            ],
        );
        let insecure = Url::parse("http://api.example/data").expect("a valid test URL");
        let mixed = Failure::new(ErrorKind::MixedContent, Stage::Request, &insecure);
        let mut ctx = context(&Profile::CHROMIUM, &insecure);
        ctx.origin = "https://app.example";
        assert_mentions(&fix(&mixed, &ctx), &["HTTPS", "`https://api.example/data`"]);
    }

    #[test]
    fn diagnosis() {
        assert_eq!(diagnose_allow_origin("null", ME), AllowOrigin::Null);
        assert_eq!(
            diagnose_allow_origin("http://a, http://b", ME),
            AllowOrigin::List
        );
        assert_eq!(
            diagnose_allow_origin("app.example", ME),
            AllowOrigin::NotAnOrigin
        );
        assert_eq!(
            diagnose_allow_origin("localhost:8801", ME),
            AllowOrigin::NotAnOrigin
        );
        assert_eq!(
            diagnose_allow_origin("http://127.0.0.1:8801/", ME),
            AllowOrigin::TrailingSlash
        );
        assert_eq!(
            diagnose_allow_origin("http://127.0.0.1:8801/api", ME),
            AllowOrigin::Path
        );
        assert_eq!(
            diagnose_allow_origin("HTTP://127.0.0.1:8801", ME),
            AllowOrigin::Spelling
        );
        assert_eq!(
            diagnose_allow_origin("http://app.example:80", "http://app.example"),
            AllowOrigin::DefaultPort(80)
        );
        assert_eq!(
            diagnose_allow_origin("https://127.0.0.1:8801", ME),
            AllowOrigin::Scheme(String::from("https"))
        );
        assert_eq!(
            diagnose_allow_origin("http://127.0.0.1:8802", ME),
            AllowOrigin::Port
        );
        assert_eq!(
            diagnose_allow_origin("http://example.com", ME),
            AllowOrigin::Other
        );
    }
}
