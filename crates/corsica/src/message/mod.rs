//! Console messages: what each browser prints when it blocks a request.
//!
//! One module per engine renders a [`Failure`] the way that engine's console shows it:
//!
//! - `chromium`: Blink's `cors_error_string.cc` (`GetErrorStringForConsoleMessage`), plus the
//!   `fetch()` and network-error lines of `fetch_manager.cc` and `request.cc`; used by the `spec`
//!   and `chromium` profiles;
//! - `firefox`: Gecko's `security.properties` keys, logged by `nsCORSListenerProxy.cpp`
//!   (`LogBlockedRequest`), and the `TypeError`s of `dom/bindings/Errors.msg`;
//! - `webkit`: the reasons built in WebCore's `CrossOriginAccessControl.cpp` and WebKit's
//!   `NetworkLoadChecker.cpp`, which the console prints after `CONSOLE SECURITY ERROR`.
//!
//! Texts observed in real browsers are in `browsers.md` §0.5; texts read from the engines'
//! source are cited in each module; the few that are neither are marked "unverified" in a
//! comment, for the browser oracle to settle.

mod chromium;
mod firefox;
mod webkit;

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;

use crate::url::Url;

use crate::error::Failure;
use crate::header::HeaderList;
use crate::lna::AddressSpace;
use crate::profile::{Engine, LocalNetworkAccess, MaxAgeParsing, MessageStyle, Profile};
use crate::request::CredentialsMode;
use crate::warning::{Warning, WarningKind};

/// What a message or a fix needs beyond the [`Failure`] itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The profile whose browser prints the message.
    pub profile: &'a Profile,
    /// The page's serialized origin (`null` for an opaque origin).
    pub origin: &'a str,
    /// The URL of the document that called `fetch()`, when the caller knows it.
    pub page: Option<&'a Url>,
    /// The URL the page passed to `fetch()`.
    pub initial_url: &'a Url,
    /// The request's method, as sent.
    pub method: &'a str,
    /// The request's credentials mode.
    pub credentials: CredentialsMode,
    /// The headers of the response that failed, when there was one.
    pub response_headers: Option<&'a HeaderList>,
    /// The `targetAddressSpace` the page passed to `fetch()`.
    pub target_address_space: Option<AddressSpace>,
}

impl Context<'_> {
    /// The URL of the document that called `fetch()`: the page's, or else its origin followed by
    /// `/` (what a page at the root of its origin shows).
    pub(crate) fn page_url(&self) -> Cow<'_, str> {
        match self.page {
            Some(page) => Cow::Borrowed(page.as_str()),
            None => Cow::Owned(format!("{}/", self.origin)),
        }
    }

    /// The failing response's (joined) value of `name`, if it had one.
    pub(crate) fn response_header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.response_headers.and_then(|headers| headers.get(name))
    }

    /// Where the failing redirect response pointed: its `Location`, parsed against `base`.
    pub(crate) fn redirect_location(&self, base: &Url) -> Option<Url> {
        let location = self.response_header("location")?;
        base.join(&location).ok()
    }
}

/// The console line the profile's browser prints for `failure`.
///
/// Chromium's full line (`Access to fetch at '…' from origin '…' has been blocked by CORS
/// policy: …`) for the `spec` and `chromium` profiles, Firefox's full line (`Cross-Origin Request
/// Blocked: …`) for `firefox`, and WebKit's text after `CONSOLE SECURITY ERROR` for `webkit`.
/// Failures that are not CORS errors (a `TypeError` thrown by `fetch()`, a network error, mixed
/// content) get the line the browser prints for them instead.
pub fn console_message(failure: &Failure, ctx: &Context<'_>) -> String {
    match ctx.profile.messages {
        MessageStyle::Chromium => chromium::console_message(failure, ctx),
        MessageStyle::Firefox => firefox::console_message(failure, ctx),
        MessageStyle::Webkit => webkit::console_message(failure, ctx),
    }
}

/// The text of a warning, in the profile's voice.
///
/// Where the browser has a message of its own (Firefox's
/// `CORSAllowHeaderFromPreflightDeprecation`, Chromium's DevTools deprecation issue, Chromium's
/// Local Network Access prompt) it is used; otherwise the warning is explained in plain words.
pub fn warning_message(warning: &Warning, ctx: &Context<'_>) -> String {
    match ctx.profile.messages {
        MessageStyle::Chromium => chromium::warning_message(warning, ctx),
        MessageStyle::Firefox => firefox::warning_message(warning, ctx),
        MessageStyle::Webkit => webkit::warning_message(warning, ctx),
    }
}

/// The plain explanation of a warning, for the engines (and warnings) that print nothing.
fn plain_warning(warning: &Warning, ctx: &Context<'_>) -> String {
    let detail = warning.detail.as_str();
    match warning.kind {
        WarningKind::AuthorizationCoveredByWildcard => String::from(
            "The preflight response allowed the `Authorization` request header only through \
             `Access-Control-Allow-Headers: *`. The Fetch Standard says `*` never covers \
             `Authorization` (it is a CORS non-wildcard request-header name), so a browser that \
             follows it blocks this request; browsers tolerate it today but may stop. List \
             `Authorization` explicitly in `Access-Control-Allow-Headers`.",
        ),
        WarningKind::ForbiddenHeaderDropped => format!(
            "The `{detail}` request header was dropped silently: it is a forbidden request-header \
             (https://fetch.spec.whatwg.org/#forbidden-request-header), which only the browser \
             may set, so the server never receives the page's value."
        ),
        WarningKind::NoCorsHeaderDropped => format!(
            "The `{detail}` request header was dropped silently: in `mode: \"no-cors\"` only \
             no-CORS-safelisted request headers (`Accept`, `Accept-Language`, `Content-Language`, \
             and `Content-Type` with a safelisted value) are sent."
        ),
        WarningKind::MaxAgeCapped => match ctx.profile.max_age_cap {
            Some(cap) => format!(
                "The server sent `Access-Control-Max-Age: {detail}`, but {} keeps a preflight \
                 result for at most {cap} seconds ({}), so the preflight is repeated after that.",
                browser_name(ctx.profile.engine),
                duration(cap)
            ),
            None => format!(
                "The server sent `Access-Control-Max-Age: {detail}`; this profile imposes no limit."
            ),
        },
        WarningKind::MaxAgeInvalid => {
            let consequence = if ctx.profile.max_age_parsing == MaxAgeParsing::Firefox {
                "Firefox caches nothing for a value with any byte that is not a digit, so every \
                 request is preflighted again"
            } else {
                "the default of 5 seconds applies"
            };
            format!(
                "The server sent `Access-Control-Max-Age: {detail}`, which is not a number of \
                 seconds (ASCII digits only); {consequence}."
            )
        }
        WarningKind::OpaqueResponse => format!(
            "The `no-cors` fetch of {detail} resolved with an opaque response: the page sees \
             status 0, no headers and an empty body. To read the response, use `mode: \"cors\"` \
             and have the server send `Access-Control-Allow-Origin`."
        ),
        WarningKind::LocalNetworkAccess => local_network_warning(detail, ctx),
        WarningKind::HeaderDroppedByBrowser => format!(
            "{} drops the `{detail}` request header the page set, although the Fetch Standard \
             lets scripts set it (so other browsers send it, and preflight for it): the server \
             never receives it from this browser.",
            browser_name(ctx.profile.engine)
        ),
        WarningKind::SpecWouldBlock => format!(
            "{} allows this request, but the Fetch Standard blocks it ({detail}): a browser that \
             follows the standard more closely, or a later version of this one, will fail it. \
             Run it under the `spec` profile to see why and how to fix the server.",
            browser_name(ctx.profile.engine)
        ),
    }
}

/// The Local Network Access warning: the prompt (an enforcing profile) or what Chromium would do.
fn local_network_warning(space: &str, ctx: &Context<'_>) -> String {
    if ctx.profile.local_network_access == LocalNetworkAccess::Enforce {
        format!(
            "The request goes to the more private `{space}` address space, so Chromium asks the \
             user for the Local Network Access permission first (Chrome 142+); the request waits \
             for the answer and fails if the user denies it. Pass `targetAddressSpace: \
             \"{space}\"` to `fetch()` to declare the intent."
        )
    } else {
        format!(
            "The request goes to the more private `{space}` address space. {} lets it through, \
             but Chromium 142+ (Local Network Access) blocks it from a page that is not a secure \
             context and otherwise asks the user for permission first.",
            browser_name(ctx.profile.engine)
        )
    }
}

/// How a profile is named in a sentence.
fn browser_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Spec => "the `spec` profile",
        Engine::Chromium => "Chromium",
        Engine::Firefox => "Firefox",
        Engine::Webkit => "WebKit",
    }
}

/// A number of seconds in the largest whole unit (`7200` → `2 hours`).
fn duration(seconds: u64) -> String {
    let (value, unit) = if seconds % 86_400 == 0 {
        (seconds / 86_400, "day")
    } else if seconds % 3600 == 0 {
        (seconds / 3600, "hour")
    } else if seconds % 60 == 0 {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    let plural = if value == 1 { "" } else { "s" };
    format!("{value} {unit}{plural}")
}

/// Whether `url` is cross-origin to the page's serialized `origin` (an opaque page origin is
/// cross-origin to everything).
fn is_cross_origin(url: &Url, origin: &str) -> bool {
    url.origin().ascii_serialization() != origin
}

/// The address spaces of a Local Network Access failure, as `(target, resource)`: the target is
/// the page's `targetAddressSpace`, the resource's space is the failure's parameter. A space that
/// is not known is Chromium's `unknown`.
pub(crate) fn address_spaces<'f>(
    failure: &'f Failure,
    ctx: &Context<'_>,
) -> (&'static str, &'f str) {
    let resource = failure
        .failed_parameter
        .as_deref()
        .filter(|word| word.parse::<AddressSpace>().is_ok())
        .unwrap_or("unknown");
    (
        ctx.target_address_space
            .map_or("unknown", AddressSpace::as_str),
        resource,
    )
}

/// Shared fixtures for the message and fix tests: the set-up of `browsers.md` §0.2.
#[cfg(test)]
pub(crate) mod fixtures {
    use alloc::format;
    use alloc::string::String;

    use crate::url::Url;

    use super::Context;
    use crate::error::{ErrorKind, Failure, Stage};
    use crate::header::HeaderList;
    use crate::profile::Profile;
    use crate::request::CredentialsMode;

    /// The page's origin.
    pub(crate) const ME: &str = "http://127.0.0.1:8801";

    /// The URL of an observed case.
    pub(crate) fn case_url(case: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:8802/cors?case={case}")).expect("a valid test URL")
    }

    /// The case a failure of [`case_url`] is about.
    pub(crate) fn case_of(failure: &Failure) -> &str {
        failure
            .url
            .query()
            .unwrap_or("")
            .trim_start_matches("case=")
    }

    /// A failure of `kind` at `stage` for the case `case`.
    pub(crate) fn failure(kind: ErrorKind, stage: Stage, case: &str) -> Failure {
        Failure::new(kind, stage, &case_url(case))
    }

    /// A failure with Chromium's hint, the response's status and its ACAO line count.
    pub(crate) fn failure_with(
        kind: ErrorKind,
        stage: Stage,
        case: &str,
        parameter: &str,
        status: u16,
        lines: usize,
    ) -> Failure {
        let mut failure = failure(kind, stage, case)
            .with_parameter(parameter)
            .with_status(status);
        failure.allow_origin_lines = lines;
        failure
    }

    /// A request header the preflight did not allow, as the page wrote it.
    pub(crate) fn header_failure(case: &str, written: &str) -> Failure {
        let mut failure = failure_with(
            ErrorKind::HeaderDisallowedByPreflightResponse,
            Stage::Preflight,
            case,
            &written.to_ascii_lowercase(),
            204,
            1,
        );
        failure.header_as_written = Some(String::from(written));
        failure
    }

    /// A context for `profile`, a GET without credentials from [`ME`] to `initial`.
    pub(crate) fn context<'a>(profile: &'a Profile, initial: &'a Url) -> Context<'a> {
        Context {
            profile,
            origin: ME,
            page: None,
            initial_url: initial,
            method: "GET",
            credentials: CredentialsMode::SameOrigin,
            response_headers: None,
            target_address_space: None,
        }
    }

    /// A context whose failing response carried `headers`.
    pub(crate) fn context_with<'a>(
        profile: &'a Profile,
        initial: &'a Url,
        method: &'a str,
        credentials: CredentialsMode,
        headers: &'a HeaderList,
    ) -> Context<'a> {
        Context {
            method,
            credentials,
            response_headers: Some(headers),
            target_address_space: None,
            ..context(profile, initial)
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::fixtures::{ME, case_url, context, failure};
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn every_kind_renders_in_every_style() {
        for profile in Profile::ALL {
            for &kind in ErrorKind::ALL {
                let initial = case_url("all");
                let failure = failure(kind, kind.default_stage(), "all");
                let message = console_message(&failure, &context(&profile, &initial));
                assert!(!message.is_empty(), "{kind} under {}", profile.name());
                assert!(
                    !message.contains("{"),
                    "{kind} under {}: {message}",
                    profile.name()
                );
            }
        }
    }

    #[test]
    fn every_warning_renders_in_every_style() {
        let kinds = [
            WarningKind::AuthorizationCoveredByWildcard,
            WarningKind::ForbiddenHeaderDropped,
            WarningKind::NoCorsHeaderDropped,
            WarningKind::MaxAgeCapped,
            WarningKind::MaxAgeInvalid,
            WarningKind::OpaqueResponse,
            WarningKind::LocalNetworkAccess,
        ];
        for profile in Profile::ALL {
            let initial = case_url("warning");
            let texts: Vec<String> = kinds
                .iter()
                .map(|&kind| {
                    warning_message(&Warning::new(kind, "x"), &context(&profile, &initial))
                })
                .collect();
            assert!(
                texts.iter().all(|text| !text.is_empty()),
                "{}",
                profile.name()
            );
        }
    }

    #[test]
    fn authorization_warning_in_each_voice() {
        let initial = case_url("auth-header-acah-star");
        let warning = Warning::new(WarningKind::AuthorizationCoveredByWildcard, "authorization");
        assert_eq!(
            warning_message(&warning, &context(&Profile::CHROMIUM, &initial)),
            "Authorization will not be covered by the wildcard symbol (*) in CORS \
             `Access-Control-Allow-Headers` handling."
        );
        assert_eq!(
            warning_message(&warning, &context(&Profile::FIREFOX, &initial)),
            "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote \
             resource at http://127.0.0.1:8802/cors?case=auth-header-acah-star soon. (Reason: When \
             the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. \
             To include the `Authorization` header, it must be explicitly listed in CORS header \
             `Access-Control-Allow-Headers`)."
        );
        let webkit = warning_message(&warning, &context(&Profile::WEBKIT, &initial));
        assert!(webkit.contains("Fetch Standard"), "{webkit}");
        assert!(webkit.contains("may stop"), "{webkit}");
    }

    #[test]
    fn warnings_name_their_detail() {
        let initial = case_url("warning");
        let ctx = context(&Profile::CHROMIUM, &initial);
        let dropped = warning_message(
            &Warning::new(WarningKind::ForbiddenHeaderDropped, "Cookie"),
            &ctx,
        );
        assert!(dropped.contains("`Cookie`"), "{dropped}");
        let capped = warning_message(&Warning::new(WarningKind::MaxAgeCapped, "86400"), &ctx);
        assert!(capped.contains("7200 seconds (2 hours)"), "{capped}");
        let firefox = context(&Profile::FIREFOX, &initial);
        let capped = warning_message(&Warning::new(WarningKind::MaxAgeCapped, "100000"), &firefox);
        assert!(capped.contains("86400 seconds (1 day)"), "{capped}");
        let invalid = warning_message(&Warning::new(WarningKind::MaxAgeInvalid, "-1"), &firefox);
        assert!(invalid.contains("caches nothing"), "{invalid}");
        let lna = warning_message(
            &Warning::new(WarningKind::LocalNetworkAccess, "loopback"),
            &ctx,
        );
        assert!(
            lna.contains("permission") && lna.contains("`loopback`"),
            "{lna}"
        );
        let spec = context(&Profile::SPEC, &initial);
        let lna = warning_message(
            &Warning::new(WarningKind::LocalNetworkAccess, "local"),
            &spec,
        );
        assert!(
            lna.contains("Chromium 142+") && lna.contains("`local`"),
            "{lna}"
        );
    }

    #[test]
    fn cross_origin_test() {
        assert!(!is_cross_origin(&case_url("x"), "http://127.0.0.1:8802"));
        assert!(is_cross_origin(&case_url("x"), ME));
        assert!(is_cross_origin(&case_url("x"), "null"));
    }
}
