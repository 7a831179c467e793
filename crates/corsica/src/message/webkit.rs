//! WebKit's console lines: the text after `CONSOLE SECURITY ERROR`.
//!
//! WebKit has no error codes for CORS; the reasons are strings built in WebCore's
//! [`CrossOriginAccessControl.cpp`](https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginAccessControl.cpp)
//! (`passesAccessControlCheck`, `validatePreflightResponse`),
//! [`CrossOriginPreflightResultCache.cpp`](https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp)
//! and WebKit's
//! [`NetworkLoadChecker.cpp`](https://github.com/WebKit/WebKit/blob/main/Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp)
//! and `NetworkCORSPreflightChecker.cpp`. The `TypeError`s thrown by `fetch()` come from
//! `FetchRequest.cpp` and `FetchHeaders.cpp`.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;

use super::{Context, is_cross_origin, plain_warning};
use crate::error::{ErrorKind, Failure, Stage};
use crate::preflight::{ACAH, ACAM};
use crate::profile::WEBKIT_KNOWN_HEADER_NAMES;
use crate::warning::Warning;

/// The console line WebKit prints for `failure`.
pub(super) fn console_message(failure: &Failure, ctx: &Context<'_>) -> String {
    let reason = reason(failure, ctx);
    // A redirect response that fails the CORS check (`NetworkLoadChecker::checkRedirection`).
    if failure.stage == Stage::Redirect && is_cors_check(failure.kind) {
        if let Some(location) = ctx.redirect_location(&failure.url) {
            return redirection_denied(location.as_str(), &reason);
        }
    }
    reason
}

/// WebKit is silent about what it tolerates: every warning is explained in plain words.
pub(super) fn warning_message(warning: &Warning, ctx: &Context<'_>) -> String {
    plain_warning(warning, ctx)
}

/// The reason WebKit gives for `failure`.
fn reason(failure: &Failure, ctx: &Context<'_>) -> String {
    let url = &failure.url;
    let parameter = failure.failed_parameter.as_deref().unwrap_or("");
    let status = failure.status.unwrap_or(0);
    match failure.kind {
        // `fetch()` throws (`FetchRequest::initializeWith`, `setMethod`, `canWriteHeader`).
        ErrorKind::ForbiddenMethod => String::from("Method is forbidden."),
        ErrorKind::InvalidMethod => String::from("Method is not a valid HTTP token."),
        ErrorKind::NoCorsMethodNotSafelisted => {
            String::from("Method must be GET, POST or HEAD in no-cors mode.")
        }
        ErrorKind::UrlContainsCredentials => {
            String::from("URL is not valid or contains user credentials.")
        }
        ErrorKind::InvalidHeaderName => format!("Invalid header name: '{parameter}'"),
        // Unverified.
        ErrorKind::BodyWithGetOrHead => {
            format!("Request has method '{parameter}' and cannot have a body")
        }
        // Unverified: WebKit goes on with `: '{value}'`, which the failure does not record.
        ErrorKind::InvalidHeaderValue => format!("Header '{parameter}' has invalid value"),

        // `CachedResourceLoader::canRequest`.
        ErrorKind::NoCorsRedirectModeNotFollow => {
            String::from("No-Cors mode requires follow redirect mode")
        }
        // `DocumentThreadableLoader` for the first URL; `NetworkLoadChecker` after a redirect.
        // Observed (WebKitGTK 2.50): only the JavaScript line, no security error.
        ErrorKind::DisallowedByMode if failure.stage == Stage::Request => {
            format!("Fetch API cannot load {url}.")
        }
        ErrorKind::DisallowedByMode => format!(
            "Unsafe attempt to load URL {url} from origin {}. Domains, protocols and ports must match.",
            ctx.origin
        ),
        ErrorKind::CorsDisabledScheme => {
            String::from("Cross origin requests are only supported for HTTP.")
        }
        // Unverified: `MixedContentChecker`'s wording, naming the page's URL.
        ErrorKind::MixedContent => format!(
            "[blocked] The page at {} requested insecure content from {url}. This content was \
             blocked and must be served over HTTPS.",
            ctx.page_url()
        ),
        // `FrameLoader::reportBlockedLoadFailed`.
        ErrorKind::BadPort => {
            format!(
                "Not allowed to use restricted network port {}: {url}",
                url.port_or_known_default().unwrap_or(0)
            )
        }
        ErrorKind::TooManyRedirects => String::from("Load cannot follow more than 20 redirections"),
        ErrorKind::RedirectDisallowedByMode => {
            format!("Not allowed to follow a redirection while loading {url}")
        }
        ErrorKind::RedirectDisallowedScheme => redirection_denied(
            parameter,
            "not allowed to follow a cross-origin CORS redirection with non CORS scheme",
        ),
        ErrorKind::RedirectContainsCredentials => redirection_denied(
            parameter,
            &format!("redirection URL {parameter} has credentials"),
        ),

        // Unverified: a network error keeps its own description (here Apple's text for a refused
        // connection; libsoup's may differ), and WebKit hides it for a cross-origin request behind
        // the generic line of `ThreadableLoader::logError`. WebKit has no Local or Private Network
        // Access checks of its own.
        ErrorKind::InvalidResponse => String::from("Could not connect to the server."),
        ErrorKind::RequestDidNotSucceed if !is_cross_origin(url, ctx.origin) => {
            String::from("Could not connect to the server.")
        }
        ErrorKind::RequestDidNotSucceed
        | ErrorKind::InvalidRedirectLocation
        | ErrorKind::InsecureLocalNetwork
        | ErrorKind::InvalidLocalNetworkAccess
        | ErrorKind::LocalNetworkAccessPermissionDenied
        | ErrorKind::PreflightMissingAllowPrivateNetwork
        | ErrorKind::PreflightInvalidAllowPrivateNetwork => {
            format!("Fetch API cannot load {url} due to access control checks.")
        }

        // `passesAccessControlCheck`: missing, invalid and mismatched values read alike.
        ErrorKind::WildcardOriginNotAllowed | ErrorKind::PreflightWildcardOriginNotAllowed => {
            String::from(
                "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
            )
        }
        ErrorKind::MultipleAllowOriginValues | ErrorKind::PreflightMultipleAllowOriginValues
            if parameter.contains(',') =>
        {
            String::from("Access-Control-Allow-Origin cannot contain more than one origin.")
        }
        ErrorKind::MissingAllowOriginHeader
        | ErrorKind::PreflightMissingAllowOriginHeader
        | ErrorKind::MultipleAllowOriginValues
        | ErrorKind::PreflightMultipleAllowOriginValues
        | ErrorKind::InvalidAllowOriginValue
        | ErrorKind::PreflightInvalidAllowOriginValue
        | ErrorKind::AllowOriginMismatch
        | ErrorKind::PreflightAllowOriginMismatch => {
            format!(
                "Origin {} is not allowed by Access-Control-Allow-Origin. Status code: {status}",
                failure.request_origin.as_deref().unwrap_or(ctx.origin)
            )
        }
        ErrorKind::InvalidAllowCredentials | ErrorKind::PreflightInvalidAllowCredentials => {
            String::from(
                "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
            )
        }

        // `validatePreflightResponse` and `NetworkCORSPreflightChecker::willPerformHTTPRedirection`.
        ErrorKind::PreflightInvalidStatus | ErrorKind::PreflightDisallowedRedirect => {
            format!("Preflight response is not successful. Status code: {status}")
        }
        // `CrossOriginPreflightResultCacheItem::create` prints the whole header value.
        ErrorKind::InvalidAllowMethodsPreflightResponse => format!(
            "Header Access-Control-Allow-Methods has an invalid value: {}",
            ctx.response_header(ACAM).as_deref().unwrap_or(parameter)
        ),
        ErrorKind::InvalidAllowHeadersPreflightResponse => format!(
            "Header Access-Control-Allow-Headers has an invalid value: {}",
            ctx.response_header(ACAH).as_deref().unwrap_or(parameter)
        ),
        // `validateMethodAndHeaders`: the header name as the page wrote it.
        ErrorKind::MethodDisallowedByPreflightResponse => {
            format!("Method {parameter} is not allowed by Access-Control-Allow-Methods.")
        }
        ErrorKind::HeaderDisallowedByPreflightResponse => format!(
            "Request header field {} is not allowed by Access-Control-Allow-Headers.",
            failure
                .header_as_written
                .as_deref()
                .map_or(Cow::Borrowed(parameter), canonical_header_name)
        ),
    }
}

/// A header name as WebKit's `HTTPHeaderMap` holds it: a name it knows in its canonical case
/// (observed: a page's `RANGE` prints as `Range`, `last-event-id` as `Last-Event-ID`), any other
/// as the page wrote it.
fn canonical_header_name(name: &str) -> Cow<'_, str> {
    WEBKIT_KNOWN_HEADER_NAMES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(name))
        .map_or(Cow::Borrowed(name), |known| Cow::Borrowed(known))
}

/// `NetworkLoadChecker::checkRedirection`'s wrapper around a redirect's reason.
fn redirection_denied(location: &str, reason: &str) -> String {
    // WebKit names the location without its userinfo (observed).
    let shown = match crate::url::Url::parse(location) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            Cow::Owned(String::from(url.as_str()))
        }
        _ => Cow::Borrowed(location),
    };
    format!(
        "Cross-origin redirection to {shown} denied by Cross-Origin Resource Sharing policy: {reason}"
    )
}

/// Whether `kind` is a failed CORS check of an actual (non-preflight) response.
fn is_cors_check(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::WildcardOriginNotAllowed
            | ErrorKind::MissingAllowOriginHeader
            | ErrorKind::MultipleAllowOriginValues
            | ErrorKind::InvalidAllowOriginValue
            | ErrorKind::AllowOriginMismatch
            | ErrorKind::InvalidAllowCredentials
    )
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;
    use crate::header::HeaderList;
    use crate::message::console_message;
    use crate::message::fixtures::{
        case_url, context, context_with, failure, failure_with, header_failure,
    };
    use crate::profile::Profile;
    use crate::request::CredentialsMode;

    fn render(failure: &Failure) -> String {
        let initial = failure.url.clone();
        console_message(failure, &context(&Profile::WEBKIT, &initial))
    }

    /// Every WebKit row of browsers.md §0.5 (WebKitGTK 2.50 and WPE 2.38 printed the same).
    #[test]
    fn observed_texts() {
        use ErrorKind::*;
        use Stage::{Preflight, Response};
        let not_allowed = |status| {
            format!(
                "Origin http://127.0.0.1:8801 is not allowed by Access-Control-Allow-Origin. Status code: {status}"
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
                not_allowed(200),
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
                not_allowed(200),
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
                String::from("Access-Control-Allow-Origin cannot contain more than one origin."),
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
                not_allowed(200),
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
                String::from("Method PUT is not allowed by Access-Control-Allow-Methods."),
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
                String::from("Method PUT is not allowed by Access-Control-Allow-Methods."),
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
                String::from("Method patch is not allowed by Access-Control-Allow-Methods."),
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
                not_allowed(204),
            ),
            (
                failure(PreflightInvalidStatus, Preflight, "preflight-status-500").with_status(500),
                String::from("Preflight response is not successful. Status code: 500"),
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
                not_allowed(200),
            ),
            (
                header_failure("custom-header-no-acah", "X-Custom"),
                String::from(
                    "Request header field X-Custom is not allowed by Access-Control-Allow-Headers.",
                ),
            ),
            (
                header_failure("custom-header-acah-star-credentials", "X-Custom"),
                String::from(
                    "Request header field X-Custom is not allowed by Access-Control-Allow-Headers.",
                ),
            ),
            (
                header_failure("two-custom-headers-one-allowed", "X-B"),
                String::from(
                    "Request header field X-B is not allowed by Access-Control-Allow-Headers.",
                ),
            ),
            (
                header_failure("post-json-no-acah", "Content-Type"),
                String::from(
                    "Request header field Content-Type is not allowed by Access-Control-Allow-Headers.",
                ),
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
                String::from(
                    "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
                ),
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
                    "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
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
                    "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
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
                not_allowed(200),
            ),
        ];
        for (failure, expected) in rows {
            assert_eq!(render(&failure), expected);
        }
    }

    #[test]
    fn header_name_falls_back_to_the_parameter() {
        let mut failure = header_failure("x", "X-Custom");
        failure.header_as_written = None;
        assert_eq!(
            render(&failure),
            "Request header field x-custom is not allowed by Access-Control-Allow-Headers."
        );
    }

    #[test]
    fn space_separated_list_is_not_allowed() {
        let failure = failure_with(
            ErrorKind::MultipleAllowOriginValues,
            Stage::Response,
            "x",
            "http://a http://b",
            200,
            1,
        );
        assert_eq!(
            render(&failure),
            "Origin http://127.0.0.1:8801 is not allowed by Access-Control-Allow-Origin. Status code: 200"
        );
    }

    #[test]
    fn redirect_and_list_texts() {
        let initial = case_url("start");
        let headers: HeaderList = [
            ("Location", "/cors?case=next"),
            ("Access-Control-Allow-Methods", "GET, P(UT"),
        ]
        .into_iter()
        .collect();
        let ctx = context_with(
            &Profile::WEBKIT,
            &initial,
            "PUT",
            CredentialsMode::SameOrigin,
            &headers,
        );
        let denied = failure_with(
            ErrorKind::MissingAllowOriginHeader,
            Stage::Redirect,
            "start",
            "",
            302,
            0,
        );
        assert_eq!(
            console_message(&denied, &ctx),
            "Cross-origin redirection to http://127.0.0.1:8802/cors?case=next denied by Cross-Origin \
             Resource Sharing policy: Origin http://127.0.0.1:8801 is not allowed by \
             Access-Control-Allow-Origin. Status code: 302"
        );
        let bad_list = failure(
            ErrorKind::InvalidAllowMethodsPreflightResponse,
            Stage::Preflight,
            "start",
        )
        .with_parameter("P(UT");
        assert_eq!(
            console_message(&bad_list, &ctx),
            "Header Access-Control-Allow-Methods has an invalid value: GET, P(UT"
        );
        let credentials = failure(
            ErrorKind::RedirectContainsCredentials,
            Stage::Redirect,
            "start",
        )
        .with_parameter("http://u:p@127.0.0.1:8802/");
        assert_eq!(
            console_message(&credentials, &ctx),
            "Cross-origin redirection to http://127.0.0.1:8802/ denied by Cross-Origin Resource \
             Sharing policy: redirection URL http://u:p@127.0.0.1:8802/ has credentials"
        );
    }

    #[test]
    fn errors_outside_cors() {
        assert_eq!(
            render(&failure(ErrorKind::ForbiddenMethod, Stage::Request, "m")),
            "Method is forbidden."
        );
        let bad_port = crate::url::Url::parse("http://127.0.0.1:6000/").expect("a valid test URL");
        let failure = Failure::new(ErrorKind::BadPort, Stage::Request, &bad_port);
        assert_eq!(
            render(&failure),
            "Not allowed to use restricted network port 6000: http://127.0.0.1:6000/"
        );
    }
}
