//! Chromium's console lines.
//!
//! CORS errors follow Blink's
//! [`cors_error_string.cc`](https://source.chromium.org/chromium/chromium/src/+/main:third_party/blink/renderer/platform/loader/cors/cors_error_string.cc)
//! (`GetErrorStringForConsoleMessage`):
//!
//! ```text
//! Access to fetch at '{last_url}' [(redirected from '{initial_url}') ]from origin '{origin}' has been blocked by CORS policy: [Response to preflight request doesn't pass access control check: ]{reason}
//! ```
//!
//! Failures found before the request reaches the network service come from Blink's
//! `fetch_manager.cc` (`Fetch API cannot load …`) and `request.cc` (the `TypeError`s thrown by
//! `fetch()`); network errors are the DevTools line `{METHOD} {url} net::ERR_…`.

use alloc::format;
use alloc::string::String;

use super::{Context, address_spaces, plain_warning};
use crate::error::{ErrorKind, Failure, Stage};
use crate::response::NetworkError;
use crate::warning::{Warning, WarningKind};

/// The schemes Chromium names for `kCorsDisabledScheme`
/// (`SchemeRegistry::ListOfCorsEnabledURLSchemes()`; the list varies by build, browsers.md §3.1).
// Unverified: the exact list printed by the Debian build of Chromium 156.
const CORS_ENABLED_SCHEMES: &str =
    "chrome, chrome-extension, chrome-untrusted, data, http, https, isolated-app";

/// Blink's `kNoCorsInformation`, appended to the multiple, invalid and mismatched
/// `Access-Control-Allow-Origin` reasons when the initiator is `fetch()`.
const FETCH_SUFFIX: &str = " Have the server send the header with a valid value.";

/// The console line Chromium prints for `failure`.
pub(super) fn console_message(failure: &Failure, ctx: &Context<'_>) -> String {
    let url = &failure.url;
    let parameter = failure.failed_parameter.as_deref().unwrap_or("");
    let hint = encode_hint(parameter);
    match failure.kind {
        // `fetch()` throws before anything is sent (`request.cc`, `headers.cc`).
        ErrorKind::ForbiddenMethod => {
            type_error(&format!("'{parameter}' HTTP method is unsupported."))
        }
        ErrorKind::InvalidMethod => {
            type_error(&format!("'{parameter}' is not a valid HTTP method."))
        }
        ErrorKind::InvalidHeaderName => type_error("Invalid name"),
        ErrorKind::InvalidHeaderValue => type_error("Invalid value"),
        ErrorKind::UrlContainsCredentials => type_error(&format!(
            "Request cannot be constructed from a URL that includes credentials: {parameter}"
        )),
        ErrorKind::BodyWithGetOrHead => {
            type_error("Request with GET/HEAD method cannot have body.")
        }
        ErrorKind::NoCorsMethodNotSafelisted => {
            type_error(&format!("'{parameter}' is unsupported in no-cors mode."))
        }

        // Main fetch, in the renderer (`FetchLoaderBase::FileIssueAndPerformNetworkError`).
        ErrorKind::DisallowedByMode if failure.stage == Stage::Request => fetch_api(
            failure,
            &format!(
                "Request mode is \"same-origin\" but the URL's origin is not same as the request origin {}.",
                ctx.origin
            ),
        ),
        ErrorKind::CorsDisabledScheme if failure.stage == Stage::Request => fetch_api(
            failure,
            &format!("URL scheme \"{}\" is not supported.", url.scheme()),
        ),
        ErrorKind::NoCorsRedirectModeNotFollow => fetch_api(
            failure,
            "Request mode is \"no-cors\" but the redirect mode is not \"follow\".",
        ),

        // Mixed content (`MixedContentChecker`), naming the page's URL.
        ErrorKind::MixedContent => format!(
            "Mixed Content: The page at '{}' was loaded over HTTPS, but requested an insecure \
             resource '{url}'. This request has been blocked; the content must be served over HTTPS.",
            ctx.page_url()
        ),

        // Network errors: no CORS message, the DevTools network line. Unverified: the net error
        // codes of a refused connection (also for a preflight, which Chromium reports on the
        // request itself), a redirect in mode "error", and an unparsable `Location`.
        ErrorKind::RequestDidNotSucceed | ErrorKind::InvalidResponse => net_error(
            ctx,
            failure,
            match failure.network_error {
                Some(NetworkError::InvalidResponse) => "ERR_INVALID_HTTP_RESPONSE",
                Some(NetworkError::ConnectionRefused) | None => "ERR_CONNECTION_REFUSED",
            },
        ),
        ErrorKind::RedirectDisallowedByMode => net_error(ctx, failure, "ERR_FAILED"),
        ErrorKind::InvalidRedirectLocation => net_error(ctx, failure, "ERR_INVALID_REDIRECT"),
        ErrorKind::TooManyRedirects => net_error(ctx, failure, "ERR_TOO_MANY_REDIRECTS"),
        ErrorKind::BadPort => net_error(ctx, failure, "ERR_UNSAFE_PORT"),

        // CORS errors (`cors_error_string.cc`).
        // Observed (oracle gen-1-44): a same-origin-mode request redirected across origins is
        // stopped in the renderer, which names the frame's URL (the scenario's `page`).
        ErrorKind::DisallowedByMode => format!(
            "Unsafe attempt to load URL {} from frame with URL {}. Domains, protocols and ports must match.\n",
            failure.url,
            ctx.page_url()
        ),
        // `CorsURLLoader`'s redirect check reports a redirect to a scheme without CORS as
        // `kCorsDisabledScheme` (inferred from the code, unverified).
        ErrorKind::CorsDisabledScheme | ErrorKind::RedirectDisallowedScheme => blocked(
            failure,
            ctx,
            &format!(
                "Cross origin requests are only supported for protocol schemes: {CORS_ENABLED_SCHEMES}."
            ),
        ),
        ErrorKind::WildcardOriginNotAllowed | ErrorKind::PreflightWildcardOriginNotAllowed => {
            blocked(
                failure,
                ctx,
                "The value of the 'Access-Control-Allow-Origin' header in the response must not be the \
             wildcard '*' when the request's credentials mode is 'include'.",
            )
        }
        ErrorKind::MissingAllowOriginHeader | ErrorKind::PreflightMissingAllowOriginHeader => {
            blocked(
                failure,
                ctx,
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            )
        }
        ErrorKind::MultipleAllowOriginValues | ErrorKind::PreflightMultipleAllowOriginValues => {
            blocked(
                failure,
                ctx,
                &format!(
                    "The 'Access-Control-Allow-Origin' header contains multiple values '{hint}', but only \
                 one is allowed.{FETCH_SUFFIX}"
                ),
            )
        }
        ErrorKind::InvalidAllowOriginValue | ErrorKind::PreflightInvalidAllowOriginValue => {
            blocked(
                failure,
                ctx,
                &format!(
                    "The 'Access-Control-Allow-Origin' header contains the invalid value '{hint}'.{FETCH_SUFFIX}"
                ),
            )
        }
        ErrorKind::AllowOriginMismatch | ErrorKind::PreflightAllowOriginMismatch => blocked(
            failure,
            ctx,
            &format!(
                "The 'Access-Control-Allow-Origin' header has a value '{hint}' that is not equal to \
                 the supplied origin.{FETCH_SUFFIX}"
            ),
        ),
        ErrorKind::InvalidAllowCredentials | ErrorKind::PreflightInvalidAllowCredentials => {
            blocked(
                failure,
                ctx,
                &format!(
                    "The value of the 'Access-Control-Allow-Credentials' header in the response is \
                 '{hint}' which must be 'true' when the request's credentials mode is 'include'."
                ),
            )
        }
        // `net`'s HTTP transaction takes a 407 from a server reached without a proxy for
        // `ERR_UNEXPECTED_PROXY_AUTH` before CORS sees it (observed: oracle
        // wpt-cors-preflight-failure/status-407).
        ErrorKind::PreflightInvalidStatus if failure.status == Some(407) => {
            net_error(ctx, failure, "ERR_UNEXPECTED_PROXY_AUTH")
        }
        ErrorKind::PreflightInvalidStatus => {
            blocked(failure, ctx, "It does not have HTTP ok status.")
        }
        ErrorKind::PreflightDisallowedRedirect => blocked(
            failure,
            ctx,
            "Redirect is not allowed for a preflight request.",
        ),
        ErrorKind::InvalidAllowMethodsPreflightResponse => blocked(
            failure,
            ctx,
            "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
        ),
        ErrorKind::InvalidAllowHeadersPreflightResponse => blocked(
            failure,
            ctx,
            "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
        ),
        ErrorKind::MethodDisallowedByPreflightResponse => blocked(
            failure,
            ctx,
            &format!(
                "Method {hint} is not allowed by Access-Control-Allow-Methods in preflight response."
            ),
        ),
        ErrorKind::HeaderDisallowedByPreflightResponse => blocked(
            failure,
            ctx,
            &format!(
                "Request header field {hint} is not allowed by Access-Control-Allow-Headers in \
                 preflight response."
            ),
        ),
        // `CorsURLLoader::CheckRedirectLocation` builds this status without a failed parameter,
        // so Chromium prints an empty location (inferred from the code, browsers.md §3.1).
        ErrorKind::RedirectContainsCredentials => blocked(
            failure,
            ctx,
            "Redirect location '' contains a username and password, which is disallowed for \
             cross-origin requests.",
        ),
        ErrorKind::InsecureLocalNetwork => blocked(
            failure,
            ctx,
            &format!(
                "The request client is not a secure context and the resource is in more-private \
                 address space `{}`.",
                address_spaces(failure, ctx).1
            ),
        ),
        ErrorKind::InvalidLocalNetworkAccess => {
            let (target, resource) = address_spaces(failure, ctx);
            blocked(
                failure,
                ctx,
                &format!(
                    "Request had a target IP address space of `{target}` yet the resource is in \
                     address space `{resource}`."
                ),
            )
        }
        ErrorKind::LocalNetworkAccessPermissionDenied => blocked(
            failure,
            ctx,
            &format!(
                "Permission was denied for this request to access the `{}` address space.",
                address_spaces(failure, ctx).1
            ),
        ),
        // Private Network Access, 2021–2025 (browsers.md §3.2); the PNA era's words for the
        // address spaces.
        ErrorKind::PreflightMissingAllowPrivateNetwork => blocked(
            failure,
            ctx,
            "No 'Access-Control-Allow-Private-Network' header was present in the preflight response \
             for this private network request targeting the `private` address space.",
        ),
        ErrorKind::PreflightInvalidAllowPrivateNetwork => blocked(
            failure,
            ctx,
            &format!(
                "The 'Access-Control-Allow-Private-Network' header in the preflight response for this \
                 private network request targeting the `private` address space had a value of \
                 '{hint}',  not 'true'."
            ),
        ),
    }
}

/// Chromium's voice for a warning: the DevTools deprecation issue for `Authorization` under
/// `*` (browsers.md §3.2); the others are explained in plain words.
pub(super) fn warning_message(warning: &Warning, ctx: &Context<'_>) -> String {
    match warning.kind {
        WarningKind::AuthorizationCoveredByWildcard => String::from(
            "Authorization will not be covered by the wildcard symbol (*) in CORS \
             `Access-Control-Allow-Headers` handling.",
        ),
        _ => plain_warning(warning, ctx),
    }
}

/// The CORS console line: the template of `GetErrorStringForConsoleMessage` around `reason`.
fn blocked(failure: &Failure, ctx: &Context<'_>, reason: &str) -> String {
    let redirected = if failure.url == *ctx.initial_url {
        String::new()
    } else {
        format!("(redirected from '{}') ", ctx.initial_url)
    };
    let preflight = if failure.kind.is_chromium_preflight_error() {
        "Response to preflight request doesn't pass access control check: "
    } else {
        ""
    };
    format!(
        "Access to fetch at '{}' {redirected}from origin '{}' has been blocked by CORS policy: {preflight}{reason}",
        failure.url, ctx.origin
    )
}

/// A `TypeError` thrown by `fetch()`, as the console shows it.
fn type_error(message: &str) -> String {
    format!("Failed to execute 'fetch' on 'Window': {message}")
}

/// A network error found by the renderer's main fetch (`FetchLoaderBase::PerformNetworkError`).
fn fetch_api(failure: &Failure, summary: &str) -> String {
    format!("Fetch API cannot load {}. {summary}", failure.url)
}

/// The DevTools line of a request that failed with a `net::` error.
/// A network error as the console records it (`Log.entryAdded`, observed): the failed load, not
/// a CORS message.
fn net_error(_ctx: &Context<'_>, _failure: &Failure, code: &str) -> String {
    format!("Failed to load resource: net::{code}")
}

/// Blink's `EncodeHint`: printable ASCII as is, anything else as `\uXXXX`.
///
/// Blink reads the hint as bytes (Latin-1), so a code point up to U+00FF (a byte, as header
/// values are isomorphic-decoded) is one escape, and a code point above it, which can only have
/// come from UTF-8 on the wire, is one escape per UTF-8 byte.
fn encode_hint(hint: &str) -> String {
    let mut encoded = String::with_capacity(hint.len());
    for c in hint.chars() {
        if (' '..='~').contains(&c) {
            encoded.push(c);
        } else if let Ok(byte) = u8::try_from(c) {
            encoded.push_str(&format!("\\u{byte:04X}"));
        } else {
            let mut utf8 = [0; 4];
            for byte in c.encode_utf8(&mut utf8).bytes() {
                encoded.push_str(&format!("\\u{byte:04X}"));
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;
    use crate::message::console_message;
    use crate::message::fixtures::{
        ME, case_of, case_url, context, failure, failure_with, header_failure,
    };
    use crate::profile::Profile;

    /// The full line of browsers.md §0.5 for a case whose last URL is its initial URL.
    fn line(case: &str, reason: &str) -> String {
        format!(
            "Access to fetch at '{}' from origin '{ME}' has been blocked by CORS policy: {reason}",
            case_url(case)
        )
    }

    fn render(failure: &Failure) -> String {
        let initial = failure.url.clone();
        let chromium = console_message(failure, &context(&Profile::CHROMIUM, &initial));
        assert_eq!(
            console_message(failure, &context(&Profile::SPEC, &initial)),
            chromium
        );
        chromium
    }

    /// Every Chromium 156 row of browsers.md §0.5, as a full line.
    #[test]
    fn observed_texts() {
        use ErrorKind::*;
        use Stage::{Preflight, Response};
        let rows = [
            (
                failure_with(
                    AllowOriginMismatch,
                    Response,
                    "get-acao-mismatch",
                    "http://example.com",
                    200,
                    1,
                ),
                "The 'Access-Control-Allow-Origin' header has a value 'http://example.com' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            ),
            (
                failure_with(
                    MissingAllowOriginHeader,
                    Response,
                    "get-acao-missing",
                    "",
                    200,
                    0,
                ),
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            (
                failure_with(
                    MultipleAllowOriginValues,
                    Response,
                    "get-acao-two-values",
                    "http://127.0.0.1:8801, http://example.com",
                    200,
                    1,
                ),
                "The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:8801, http://example.com', but only one is allowed. Have the server send the header with a valid value.",
            ),
            (
                failure_with(
                    AllowOriginMismatch,
                    Response,
                    "get-acao-trailing-slash",
                    "http://127.0.0.1:8801/",
                    200,
                    1,
                ),
                "The 'Access-Control-Allow-Origin' header has a value 'http://127.0.0.1:8801/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            ),
            (
                failure_with(
                    MethodDisallowedByPreflightResponse,
                    Preflight,
                    "put-no-acam",
                    "PUT",
                    204,
                    1,
                ),
                "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
            ),
            (
                failure_with(
                    MethodDisallowedByPreflightResponse,
                    Preflight,
                    "put-acam-star-credentials",
                    "PUT",
                    204,
                    1,
                ),
                "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
            ),
            (
                failure_with(
                    MethodDisallowedByPreflightResponse,
                    Preflight,
                    "patch-lowercase-acam-PATCH",
                    "patch",
                    204,
                    1,
                ),
                "Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
            ),
            (
                failure_with(
                    PreflightMissingAllowOriginHeader,
                    Preflight,
                    "preflight-no-acao",
                    "",
                    204,
                    0,
                ),
                "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            (
                failure(PreflightInvalidStatus, Preflight, "preflight-status-500").with_status(500),
                "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
            ),
            (
                failure_with(
                    MissingAllowOriginHeader,
                    Response,
                    "preflight-ok-actual-no-acao",
                    "",
                    200,
                    0,
                ),
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            (
                header_failure("custom-header-no-acah", "X-Custom"),
                "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
            (
                header_failure("custom-header-acah-star-credentials", "X-Custom"),
                "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
            (
                header_failure("two-custom-headers-one-allowed", "X-B"),
                "Request header field x-b is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
            (
                header_failure("post-json-no-acah", "Content-Type"),
                "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
            (
                failure_with(
                    WildcardOriginNotAllowed,
                    Response,
                    "credentials-acao-star",
                    "*",
                    200,
                    1,
                ),
                "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
            ),
            (
                failure_with(
                    InvalidAllowCredentials,
                    Response,
                    "credentials-acao-match-no-acac",
                    "",
                    200,
                    1,
                ),
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
            ),
            (
                failure_with(
                    InvalidAllowCredentials,
                    Response,
                    "credentials-acac-TRUE-uppercase",
                    "TRUE",
                    200,
                    1,
                ),
                "The value of the 'Access-Control-Allow-Credentials' header in the response is 'TRUE' which must be 'true' when the request's credentials mode is 'include'.",
            ),
            (
                failure_with(
                    AllowOriginMismatch,
                    Response,
                    "acao-null-origin-page",
                    "null",
                    200,
                    1,
                ),
                "The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            ),
            // The `Authorization` case with `CorsNonWildcardRequestHeadersSupport` (the spec rule).
            (
                header_failure("auth-header-acah-star", "Authorization"),
                "Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
        ];
        for (failure, reason) in rows {
            let case = String::from(case_of(&failure));
            assert_eq!(render(&failure), line(&case, reason));
        }
    }

    /// browsers.md §0.6: a non-secure page reaching loopback.
    #[test]
    fn insecure_local_network() {
        let failure = failure(ErrorKind::InsecureLocalNetwork, Stage::Request, "lna")
            .with_parameter("loopback");
        assert_eq!(
            render(&failure),
            line(
                "lna",
                "The request client is not a secure context and the resource is in more-private address space `loopback`."
            )
        );
    }

    /// `targetAddressSpace` mismatches name the page's target and the resource's space.
    #[test]
    fn target_address_space_mismatch() {
        let both = failure(ErrorKind::InvalidLocalNetworkAccess, Stage::Request, "lna")
            .with_parameter("public");
        let initial = both.url.clone();
        let ctx = Context {
            target_address_space: Some(crate::lna::AddressSpace::Local),
            ..context(&Profile::CHROMIUM, &initial)
        };
        assert_eq!(
            console_message(&both, &ctx),
            line(
                "lna",
                "Request had a target IP address space of `local` yet the resource is in address space `public`."
            )
        );
        let resource = failure(ErrorKind::InvalidLocalNetworkAccess, Stage::Request, "lna")
            .with_parameter("public");
        assert!(
            render(&resource)
                .ends_with("of `unknown` yet the resource is in address space `public`.")
        );
    }

    #[test]
    fn redirected_from() {
        let initial = case_url("start");
        let failure = failure_with(
            ErrorKind::MissingAllowOriginHeader,
            Stage::Response,
            "end",
            "",
            200,
            0,
        );
        assert_eq!(
            console_message(&failure, &context(&Profile::CHROMIUM, &initial)),
            "Access to fetch at 'http://127.0.0.1:8802/cors?case=end' (redirected from \
             'http://127.0.0.1:8802/cors?case=start') from origin 'http://127.0.0.1:8801' has been \
             blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the \
             requested resource."
        );
    }

    #[test]
    fn hints_are_encoded() {
        assert_eq!(encode_hint("a\tb"), "a\\u0009b");
        assert_eq!(encode_hint("caf\u{e9}"), "caf\\u00E9");
        assert_eq!(encode_hint("\u{4e2d}"), "\\u00E4\\u00B8\\u00AD");
        let failure = failure_with(
            ErrorKind::AllowOriginMismatch,
            Stage::Response,
            "x",
            "http://\u{e9}.example",
            200,
            1,
        );
        assert!(render(&failure).contains("'http://\\u00E9.example'"));
    }

    #[test]
    fn errors_outside_cors() {
        let method =
            |kind, method: &str| render(&failure(kind, Stage::Request, "m").with_parameter(method));
        assert_eq!(
            method(ErrorKind::ForbiddenMethod, "CONNECT"),
            "Failed to execute 'fetch' on 'Window': 'CONNECT' HTTP method is unsupported."
        );
        assert_eq!(
            method(ErrorKind::InvalidMethod, "G T"),
            "Failed to execute 'fetch' on 'Window': 'G T' is not a valid HTTP method."
        );
        assert_eq!(
            method(ErrorKind::NoCorsMethodNotSafelisted, "PUT"),
            "Failed to execute 'fetch' on 'Window': 'PUT' is unsupported in no-cors mode."
        );
        assert_eq!(
            render(&failure(
                ErrorKind::RequestDidNotSucceed,
                Stage::Response,
                "down"
            )),
            "Failed to load resource: net::ERR_CONNECTION_REFUSED"
        );
        assert_eq!(
            render(&failure(
                ErrorKind::TooManyRedirects,
                Stage::Redirect,
                "loop"
            )),
            "Failed to load resource: net::ERR_TOO_MANY_REDIRECTS"
        );
        assert_eq!(
            render(&failure(ErrorKind::DisallowedByMode, Stage::Request, "so")),
            "Fetch API cannot load http://127.0.0.1:8802/cors?case=so. Request mode is \"same-origin\" \
             but the URL's origin is not same as the request origin http://127.0.0.1:8801."
        );
        let insecure = crate::url::Url::parse("http://api.example/data").expect("a valid test URL");
        let mixed = Failure::new(ErrorKind::MixedContent, Stage::Request, &insecure);
        let mut ctx = context(&Profile::CHROMIUM, &insecure);
        ctx.origin = "https://app.example";
        assert_eq!(
            console_message(&mixed, &ctx),
            "Mixed Content: The page at 'https://app.example/' was loaded over HTTPS, but requested \
             an insecure resource 'http://api.example/data'. This request has been blocked; the \
             content must be served over HTTPS."
        );
    }
}
