//! Firefox's console lines.
//!
//! CORS errors are the keys of Gecko's
//! [`security.properties`](https://searchfox.org/mozilla-central/source/dom/locales/en-US/chrome/security/security.properties),
//! logged by `LogBlockedRequest` in
//! [`nsCORSListenerProxy.cpp`](https://searchfox.org/mozilla-central/source/netwerk/protocol/http/nsCORSListenerProxy.cpp):
//!
//! ```text
//! Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: …).[ Status code: {status}.]
//! ```
//!
//! The `TypeError`s thrown by `fetch()` come from `dom/bindings/Errors.msg`, prefixed with the
//! context `Window.fetch: `.

use alloc::format;
use alloc::string::String;

use super::{Context, is_cross_origin, plain_warning};
use crate::check::cors_check;
use crate::error::{ErrorKind, Failure};
use crate::request::CredentialsMode;
use crate::response::is_redirect_status;
use crate::warning::{Warning, WarningKind};

/// The start of every `Cross-Origin Request Blocked` key.
const BLOCKED: &str =
    "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at";

/// What the page's script sees for a network error (`MSG_FETCH_FAILED`, observed), which is all
/// Firefox reports for failures outside the CORS listener.
const NETWORK_ERROR: &str = "TypeError: NetworkError when attempting to fetch resource.";

/// The console line Firefox prints for `failure`.
pub(super) fn console_message(failure: &Failure, ctx: &Context<'_>) -> String {
    let url = failure.url.as_str();
    let parameter = failure.failed_parameter.as_deref().unwrap_or("");
    match failure.kind {
        // `fetch()` throws (`Request::Constructor`, `InternalHeaders`): forbidden methods, invalid
        // ones and non-safelisted no-cors ones all get `MSG_INVALID_REQUEST_METHOD`.
        ErrorKind::ForbiddenMethod
        | ErrorKind::InvalidMethod
        | ErrorKind::NoCorsMethodNotSafelisted => {
            format!("Window.fetch: Invalid request method {parameter}.")
        }
        ErrorKind::InvalidHeaderName => {
            format!("Window.fetch: {parameter} is an invalid header name.")
        }
        // Unverified: `MSG_INVALID_HEADER_VALUE` prints the value, which the failure does not
        // record; it names the header instead.
        ErrorKind::InvalidHeaderValue => {
            format!("Window.fetch: the value of the {parameter} header is an invalid header value.")
        }
        ErrorKind::UrlContainsCredentials => {
            format!("Window.fetch: {parameter} is an url with embedded credentials.")
        }
        // Unverified.
        ErrorKind::BodyWithGetOrHead => {
            String::from("Window.fetch: HEAD or GET Request cannot have a body.")
        }

        // No CORS string: the same-origin check (`DoSOPChecks`) and the no-cors redirect mode
        // leave only the rejection (browsers.md §4; unverified).
        // Observed: `nsContentSecurityManager`'s same-origin check names the page's URL (the
        // scenario's `page`, fragment included).
        ErrorKind::DisallowedByMode => format!(
            "Security Error: Content at {} may not load data from {url}.",
            ctx.page_url()
        ),
        ErrorKind::NoCorsRedirectModeNotFollow => String::from(NETWORK_ERROR),
        // `UpdateChannel` refuses a redirect to a URL with credentials only once the request has
        // been cross-site, so `CheckRequestApproved` then logs `CORSDidNotSucceed2` for the
        // redirected request's URL, with no status (observed: oracle gen-2-405).
        ErrorKind::RedirectContainsCredentials => {
            with_status(blocked(url, "CORS request did not succeed"), None)
        }

        // `BlockMixedActiveContent` (`fetch()` is active content).
        ErrorKind::MixedContent => {
            format!("Blocked loading mixed active content \u{201c}{url}\u{201d}")
        }

        // A channel that fails before the CORS check (no response, a failed redirect, a port or
        // a Local Network Access block) is `CORSDidNotSucceed2` for a cross-origin request
        // (`CheckRequestApproved`). Unverified for every kind but a refused connection.
        ErrorKind::RequestDidNotSucceed
        | ErrorKind::InvalidResponse
        | ErrorKind::TooManyRedirects
        | ErrorKind::InvalidRedirectLocation
        | ErrorKind::RedirectDisallowedByMode
        | ErrorKind::BadPort
        | ErrorKind::InsecureLocalNetwork
        | ErrorKind::InvalidLocalNetworkAccess
        | ErrorKind::LocalNetworkAccessPermissionDenied
        | ErrorKind::PreflightMissingAllowPrivateNetwork
        | ErrorKind::PreflightInvalidAllowPrivateNetwork => {
            if is_cross_origin(&failure.url, ctx.origin) {
                with_status(blocked(url, "CORS request did not succeed"), failure.status)
            } else {
                String::from(NETWORK_ERROR)
            }
        }

        ErrorKind::CorsDisabledScheme => blocked(url, "CORS request not http"),
        // Probably `CORSRequestNotHttp`, from `CheckPreflightNeeded` on the new channel (inferred
        // from the code, browsers.md §4).
        ErrorKind::RedirectDisallowedScheme => blocked(parameter, "CORS request not http"),
        ErrorKind::WildcardOriginNotAllowed | ErrorKind::PreflightWildcardOriginNotAllowed => {
            format!(
                "{BLOCKED} \u{2018}{url}\u{2019}. (Reason: Credential is not supported if the CORS header \
             \u{2018}Access-Control-Allow-Origin\u{2019} is \u{2018}*\u{2019})."
            )
        }
        ErrorKind::MissingAllowOriginHeader | ErrorKind::PreflightMissingAllowOriginHeader => {
            with_status(
                blocked(
                    url,
                    "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing",
                ),
                failure.status,
            )
        }
        // Firefox counts header lines: one line `a, b` is a mismatch (browsers.md §5 row 8).
        ErrorKind::MultipleAllowOriginValues | ErrorKind::PreflightMultipleAllowOriginValues
            if failure.allow_origin_lines > 1 =>
        {
            blocked(
                url,
                "Multiple CORS header \u{2018}Access-Control-Allow-Origin\u{2019} not allowed",
            )
        }
        ErrorKind::MultipleAllowOriginValues
        | ErrorKind::PreflightMultipleAllowOriginValues
        | ErrorKind::InvalidAllowOriginValue
        | ErrorKind::PreflightInvalidAllowOriginValue
        | ErrorKind::AllowOriginMismatch
        | ErrorKind::PreflightAllowOriginMismatch => blocked(
            url,
            &format!(
                "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} does not match \u{2018}{parameter}\u{2019}"
            ),
        ),
        ErrorKind::InvalidAllowCredentials | ErrorKind::PreflightInvalidAllowCredentials => {
            blocked(
                url,
                "expected \u{2018}true\u{2019} in CORS header \u{2018}Access-Control-Allow-Credentials\u{2019}",
            )
        }
        ErrorKind::PreflightInvalidStatus => {
            redirected_preflight(failure, ctx).unwrap_or_else(|| {
                with_status(
                    blocked(url, "CORS preflight response did not succeed"),
                    failure.status,
                )
            })
        }
        ErrorKind::PreflightDisallowedRedirect => {
            blocked(url, "CORS request external redirect not allowed")
        }
        ErrorKind::InvalidAllowMethodsPreflightResponse => blocked(
            url,
            &format!(
                "invalid token \u{2018}{parameter}\u{2019} in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}"
            ),
        ),
        ErrorKind::InvalidAllowHeadersPreflightResponse => blocked(
            url,
            &format!(
                "invalid token \u{2018}{parameter}\u{2019} in CORS header \u{2018}Access-Control-Allow-Headers\u{2019}"
            ),
        ),
        ErrorKind::MethodDisallowedByPreflightResponse => blocked(
            url,
            "Did not find method in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}",
        ),
        ErrorKind::HeaderDisallowedByPreflightResponse => blocked(
            url,
            &format!(
                "header \u{2018}{parameter}\u{2019} is not allowed according to header \
                 \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response"
            ),
        ),
    }
}

/// Firefox's voice for a warning: `CORSAllowHeaderFromPreflightDeprecation` for
/// `Authorization` under `*`; the others are explained in plain words.
pub(super) fn warning_message(warning: &Warning, ctx: &Context<'_>) -> String {
    match warning.kind {
        WarningKind::AuthorizationCoveredByWildcard => format!(
            "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote \
             resource at {} soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the \
             `Authorization` header is not covered. To include the `Authorization` header, it must \
             be explicitly listed in CORS header `Access-Control-Allow-Headers`).",
            ctx.initial_url
        ),
        _ => plain_warning(warning, ctx),
    }
}

/// The line for a preflight answered with a redirect, where it is not the status line.
///
/// The preflight channel's `nsCORSListenerProxy::AsyncOnChannelRedirect` runs before the
/// preflight listener refuses the redirect (`CORSExternalRedirectNotAllowed`): a `Location` with
/// credentials fails in `UpdateChannel` (`CORSDidNotSucceed2`, no status), and a `Location` on
/// another origin makes the request's origin opaque first, so the CORS check of the redirect
/// response is logged once more, against `null` (observed: oracle gen-2-1706, gen-2-673,
/// gen-2-830; a `*` without credentials still passes, gen-2-1546).
fn redirected_preflight(failure: &Failure, ctx: &Context<'_>) -> Option<String> {
    if !failure.status.is_some_and(is_redirect_status) {
        return None;
    }
    let location = ctx.redirect_location(&failure.url)?;
    if !location.username().is_empty() || location.password().is_some() {
        return Some(with_status(
            blocked(failure.url.as_str(), "CORS request did not succeed"),
            None,
        ));
    }
    if location.origin() == failure.url.origin() {
        return None;
    }
    let include_credentials = ctx.credentials == CredentialsMode::Include;
    let check = cors_check(
        ctx.response_headers?,
        "null",
        include_credentials,
        ctx.profile,
    )
    .err()?;
    let mut opaque = failure.clone();
    opaque.kind = check.kind;
    opaque.failed_parameter = Some(check.parameter);
    Some(console_message(&opaque, ctx))
}

/// A `Cross-Origin Request Blocked` line for `url` with `reason`.
fn blocked(url: &str, reason: &str) -> String {
    format!("{BLOCKED} {url}. (Reason: {reason}).")
}

/// A line of a key that takes the status as `%2$S`; Firefox prints `(null)` when there is none.
fn with_status(line: String, status: Option<u16>) -> String {
    match status {
        Some(status) => format!("{line} Status code: {status}."),
        None => format!("{line} Status code: (null)."),
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;
    use crate::error::Stage;
    use crate::message::console_message;
    use crate::message::fixtures::{
        case_of, case_url, context, failure, failure_with, header_failure,
    };
    use crate::profile::Profile;

    fn render(failure: &Failure) -> String {
        let initial = failure.url.clone();
        console_message(failure, &context(&Profile::FIREFOX, &initial))
    }

    /// The full line of browsers.md §0.5 for `case`, whose `(Reason: …)` part is `reason`.
    fn line(case: &str, reason: &str) -> String {
        format!("{BLOCKED} {}. {reason}", case_url(case))
    }

    /// Every Firefox ESR 153 row of browsers.md §0.5, as a full line.
    #[test]
    fn observed_texts() {
        use ErrorKind::*;
        use Stage::{Preflight, Response};
        let not_allowed = |header: &str| {
            format!(
                "(Reason: header \u{2018}{header}\u{2019} is not allowed according to header \
                 \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response)."
            )
        };
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://example.com’).",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://127.0.0.1:8801, http://example.com’).",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://127.0.0.1:8801/’).",
                ),
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
                String::from(
                    "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
                ),
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
                String::from(
                    "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
                ),
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
                String::from(
                    "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 204.",
                ),
            ),
            (
                failure(PreflightInvalidStatus, Preflight, "preflight-status-500").with_status(500),
                String::from(
                    "(Reason: CORS preflight response did not succeed). Status code: 500.",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
                ),
            ),
            (
                header_failure("custom-header-no-acah", "X-Custom"),
                not_allowed("x-custom"),
            ),
            (
                header_failure("custom-header-acah-star-credentials", "X-Custom"),
                not_allowed("x-custom"),
            ),
            (
                header_failure("two-custom-headers-one-allowed", "X-B"),
                not_allowed("x-b"),
            ),
            (
                header_failure("post-json-no-acah", "Content-Type"),
                not_allowed("content-type"),
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
                String::from(
                    "(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
                ),
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
                String::from(
                    "(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
                ),
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
                String::from(
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘null’).",
                ),
            ),
        ];
        for (failure, reason) in rows {
            let case = String::from(case_of(&failure));
            assert_eq!(render(&failure), line(&case, &reason));
        }
    }

    /// `CORSNotSupportingCredentials` quotes the URL (browsers.md §0.5, credentials-acao-star).
    #[test]
    fn wildcard_with_credentials_quotes_the_url() {
        let failure = failure_with(
            ErrorKind::WildcardOriginNotAllowed,
            Stage::Response,
            "credentials-acao-star",
            "*",
            200,
            1,
        );
        assert_eq!(
            render(&failure),
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource \
             at ‘http://127.0.0.1:8802/cors?case=credentials-acao-star’. (Reason: Credential is not \
             supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
        );
    }

    #[test]
    fn header_lines_decide_multiple() {
        let failure = failure_with(
            ErrorKind::MultipleAllowOriginValues,
            Stage::Response,
            "two-lines",
            "a, b",
            200,
            2,
        );
        assert_eq!(
            render(&failure),
            line(
                "two-lines",
                "(Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed)."
            )
        );
    }

    #[test]
    fn did_not_succeed() {
        let failure = failure(ErrorKind::RequestDidNotSucceed, Stage::Response, "down");
        assert_eq!(
            render(&failure),
            line(
                "down",
                "(Reason: CORS request did not succeed). Status code: (null)."
            )
        );
        let initial = case_url("same");
        let mut ctx = context(&Profile::FIREFOX, &initial);
        ctx.origin = "http://127.0.0.1:8802";
        let same_origin = Failure::new(ErrorKind::RequestDidNotSucceed, Stage::Response, &initial);
        assert_eq!(console_message(&same_origin, &ctx), NETWORK_ERROR);
    }

    #[test]
    fn errors_outside_cors() {
        let thrown = |kind, parameter: &str| {
            render(&failure(kind, Stage::Request, "t").with_parameter(parameter))
        };
        assert_eq!(
            thrown(ErrorKind::ForbiddenMethod, "CONNECT"),
            "Window.fetch: Invalid request method CONNECT."
        );
        assert_eq!(
            thrown(ErrorKind::InvalidHeaderName, "a b"),
            "Window.fetch: a b is an invalid header name."
        );
        assert_eq!(
            thrown(
                ErrorKind::UrlContainsCredentials,
                "http://u:p@127.0.0.1:8802/"
            ),
            "Window.fetch: http://u:p@127.0.0.1:8802/ is an url with embedded credentials."
        );
        assert_eq!(
            render(&failure(ErrorKind::MixedContent, Stage::Request, "mixed")),
            "Blocked loading mixed active content “http://127.0.0.1:8802/cors?case=mixed”"
        );
    }
}
