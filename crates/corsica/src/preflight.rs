//! [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0): the preflight
//! request, and the checks of its response.

use alloc::string::String;
use alloc::vec::Vec;

use smol_str::SmolStr;

use crate::check::{cors_check, preflight_kind};
use crate::error::ErrorKind;
use crate::header::list_values::{DeltaSeconds, ListValues, extract_delta_seconds, extract_tokens};
use crate::header::name::{eq_ignore_case, is_cors_non_wildcard_request_header_name};
use crate::header::tokens::Tokens;
use crate::header::{HeaderList, list_values::parse_saturating};
use crate::method::is_cors_safelisted_method;
use crate::profile::{MaxAgeParsing, PreflightCheckOrder, Profile, RequestHeaderOrder};
use crate::response::{Response, is_ok_status, is_redirect_status};
use crate::warning::{Warning, WarningKind};

/// `Access-Control-Request-Method`.
pub const ACRM: &str = "Access-Control-Request-Method";
/// `Access-Control-Request-Headers`.
pub const ACRH: &str = "Access-Control-Request-Headers";
/// `Access-Control-Allow-Methods`.
pub const ACAM: &str = "Access-Control-Allow-Methods";
/// `Access-Control-Allow-Headers`.
pub const ACAH: &str = "Access-Control-Allow-Headers";
/// `Access-Control-Max-Age`.
pub const ACMA: &str = "Access-Control-Max-Age";

/// The max-age used when the header is absent or invalid (CORS-preflight fetch step 7.8).
pub const DEFAULT_MAX_AGE: u64 = 5;

/// Step 1 of [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0): the
/// preflight's header list (`Accept`, `Origin`, `Access-Control-Request-Method`, and
/// `Access-Control-Request-Headers` when there are CORS-unsafe names).
pub fn preflight_headers(origin: &str, method: &str, unsafe_names: &[SmolStr]) -> HeaderList {
    // (The names are static strings: a `SmolStr` of a name over 23 bytes would otherwise be
    // allocated on every preflight.)
    let mut headers = HeaderList::with_capacity(4);
    // Step 2. Append (`Accept`, `*/*`) to preflight's header list.
    headers.append(SmolStr::new_static("Accept"), SmolStr::new_static("*/*"));
    // (HTTP-network-or-cache fetch appends `Origin`, because the response tainting is "cors".)
    headers.append(SmolStr::new_static("Origin"), origin);
    // Step 3. Append (`Access-Control-Request-Method`, request's method).
    headers.append(SmolStr::new_static(ACRM), method);
    // Step 4-5. Let headers be the CORS-unsafe request-header names with request's header list.
    // If headers is not empty: let value be the items in headers separated from each other by
    // `,`, and append (`Access-Control-Request-Headers`, value).
    if !unsafe_names.is_empty() {
        headers.append(SmolStr::new_static(ACRH), comma_separated(unsafe_names));
    }
    headers
}

/// `names` separated by `,`, written straight into the value (no intermediate `String` for the
/// common lists of up to 128 bytes).
fn comma_separated(names: &[SmolStr]) -> SmolStr {
    let mut buffer = [0u8; 128];
    let mut len = 0;
    for (i, name) in names.iter().enumerate() {
        let start = len + usize::from(i > 0);
        let end = start + name.len();
        if end > buffer.len() {
            return names.join(",").into();
        }
        if i > 0 {
            buffer[len] = b',';
        }
        buffer[start..end].copy_from_slice(name.as_bytes());
        len = end;
    }
    // Whole names and commas: always UTF-8.
    core::str::from_utf8(&buffer[..len]).map_or_else(|_| names.join(",").into(), SmolStr::new)
}

/// What the preflight's check needs to know of the request.
#[derive(Clone, Copy, Debug)]
pub struct PreflightInput<'a> {
    /// The byte-serialized request origin.
    pub origin: &'a str,
    /// The request's method.
    pub method: &'a str,
    /// The request's header list (for the `Authorization` rule).
    pub headers: &'a HeaderList,
    /// The CORS-unsafe request-header names.
    pub unsafe_names: &'a [SmolStr],
    /// Whether the credentials mode is "include".
    pub credentials: bool,
    /// The use-CORS-preflight flag.
    pub use_cors_preflight: bool,
}

/// A preflight response that passed: what to cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreflightGrant<'r> {
    /// The methods to cache (`Access-Control-Allow-Methods`, or the request's method when the
    /// use-CORS-preflight flag is set and the header is absent).
    pub methods: Tokens<'r>,
    /// The header names to cache.
    pub header_names: Tokens<'r>,
    /// Seconds to keep them; 0 caches nothing.
    pub max_age: u64,
    /// Warnings (`Authorization` under `*`, max-age).
    pub warnings: Vec<Warning>,
}

/// A failed preflight check: the kind and Chromium's hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreflightFailure {
    /// The kind.
    pub kind: ErrorKind,
    /// The hint (ACAO value, method, lowercased header name, bad token).
    pub parameter: Option<String>,
}

impl PreflightFailure {
    fn new(kind: ErrorKind, parameter: Option<&str>) -> Self {
        Self {
            kind,
            parameter: parameter.map(String::from),
        }
    }
}

/// Step 7 of [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0): the
/// gate (CORS check and ok status, in the profile's order), then the method and header checks,
/// then max-age.
pub fn check_preflight_response<'r>(
    response: &'r Response,
    input: &PreflightInput<'r>,
    profile: &Profile,
) -> Result<PreflightGrant<'r>, PreflightFailure> {
    let headers = &response.headers;

    // Step 7. If a CORS check for request and response returns success and response's status is
    // an ok status, then: … (otherwise a network error).
    let origin_check = || {
        cors_check(headers, input.origin, input.credentials, profile)
            .map_err(|f| PreflightFailure::new(preflight_kind(f.kind), Some(&f.parameter)))
    };
    let status_check = || {
        if is_ok_status(response.status) {
            Ok(())
        } else {
            Err(PreflightFailure::new(
                ErrorKind::PreflightInvalidStatus,
                None,
            ))
        }
    };
    // A redirect is never followed (HTTP-network-or-cache fetch): browsers report it as such;
    // Firefox treats it as any status that is not ok (observed).
    if is_redirect_status(response.status)
        && headers.contains("location")
        && !profile.preflight_redirect_is_a_status
    {
        return Err(PreflightFailure::new(
            ErrorKind::PreflightDisallowedRedirect,
            None,
        ));
    }
    match profile.preflight_check_order {
        PreflightCheckOrder::OriginFirst => origin_check().and_then(|()| status_check())?,
        PreflightCheckOrder::StatusFirst => status_check().and_then(|()| origin_check())?,
    }

    // Step 7.1. Let methods be the result of extracting header list values given
    // `Access-Control-Allow-Methods` and response's header list.
    // Step 7.2. Let headerNames be the result of extracting header list values given
    // `Access-Control-Allow-Headers` and response's header list.
    // Step 7.3. If either methods or headerNames is failure, return a network error.
    let methods = match extract_tokens(headers, ACAM) {
        ListValues::Invalid(bad) => {
            return Err(PreflightFailure::new(
                ErrorKind::InvalidAllowMethodsPreflightResponse,
                Some(bad),
            ));
        }
        ListValues::Absent => None,
        ListValues::Valid(elements) => Some(elements),
    };
    let parse_header_names = || match extract_tokens(headers, ACAH) {
        ListValues::Invalid(bad) => Err(PreflightFailure::new(
            ErrorKind::InvalidAllowHeadersPreflightResponse,
            Some(bad),
        )),
        ListValues::Absent => Ok(Tokens::new()),
        ListValues::Valid(elements) => Ok(elements),
    };
    // (Firefox checks the method before it parses `Access-Control-Allow-Headers`.)
    let early_header_names = if profile.method_checked_before_allow_headers {
        None
    } else {
        Some(parse_header_names()?)
    };

    // Step 7.4. If methods is null and request's use-CORS-preflight flag is set, then set methods
    // to a new list containing request's method.
    let methods = match methods {
        None if input.use_cors_preflight => [input.method].into_iter().collect(),
        other => other.unwrap_or_default(),
    };
    let has = |list: &[&str], item: &str| list.contains(&item);

    // Step 7.5. If request's method is not in methods, request's method is not a CORS-safelisted
    // method, and request's credentials mode is "include" or methods does not contain `*`, then
    // return a network error.
    if !has(&methods, input.method)
        && !is_cors_safelisted_method(input.method)
        && (input.credentials || !has(&methods, "*"))
    {
        return Err(PreflightFailure::new(
            ErrorKind::MethodDisallowedByPreflightResponse,
            Some(input.method),
        ));
    }
    let header_names = match early_header_names {
        Some(names) => names,
        None => parse_header_names()?,
    };

    let header_name_set = HeaderNameSet::new(&header_names);
    let listed = |name: &str| header_name_set.contains(name);
    let wildcard = !input.credentials && has(&header_names, "*");
    let mut warnings = Vec::new();

    // Step 7.6. If one of request's header list's names is a CORS non-wildcard request-header
    // name and is not a byte-case-insensitive match for an item in headerNames, then return a
    // network error.
    for header in input.headers {
        let name = header.name.as_str();
        if is_cors_non_wildcard_request_header_name(name) && !listed(name) {
            if wildcard && profile.authorization_covered_by_wildcard {
                warnings.push(Warning::new(
                    WarningKind::AuthorizationCoveredByWildcard,
                    "authorization",
                ));
                break;
            }
            return Err(header_disallowed(
                input,
                profile,
                "authorization",
                &listed,
                wildcard,
            ));
        }
    }

    // Step 7.7. For each unsafeName of the CORS-unsafe request-header names with request's header
    // list: if unsafeName is not a byte-case-insensitive match for an item in headerNames and
    // request's credentials mode is "include" or headerNames does not contain `*`, return a
    // network error.
    if let Some(name) = input
        .unsafe_names
        .iter()
        .find(|name| !listed(name) && !wildcard)
    {
        return Err(header_disallowed(input, profile, name, &listed, wildcard));
    }

    // Step 7.8. Let max-age be the result of extracting header list values given
    // `Access-Control-Max-Age`; if it is failure or null, set it to 5.
    // Step 7.9. If max-age is greater than an imposed limit on max-age, set it to that limit.
    let max_age = max_age(headers, profile, &mut warnings);

    Ok(PreflightGrant {
        methods,
        header_names,
        max_age,
        warnings,
    })
}

/// The failure of steps 7.6 and 7.7, naming the header the profile's check meets first among
/// those not allowed (`spec_name`: the standard's). Only this failure path does the extra work.
fn header_disallowed(
    input: &PreflightInput<'_>,
    profile: &Profile,
    spec_name: &str,
    listed: &dyn Fn(&str) -> bool,
    wildcard: bool,
) -> PreflightFailure {
    let named = match profile.request_header_order {
        RequestHeaderOrder::Spec => None,
        RequestHeaderOrder::KnownNamesFirst(known) => {
            let disallowed = |name: &str| {
                !listed(name)
                    && if is_cors_non_wildcard_request_header_name(name) {
                        !(wildcard && profile.authorization_covered_by_wildcard)
                    } else {
                        !wildcard
                            && input
                                .unsafe_names
                                .iter()
                                .any(|unsafe_name| eq_ignore_case(unsafe_name, name))
                    }
            };
            // The first of the minimum is the earliest set: known names first, in page order.
            input
                .headers
                .iter()
                .map(|header| header.name.as_str())
                .filter(|name| disallowed(name))
                .min_by_key(|name| !known.iter().any(|k| eq_ignore_case(k, name)))
                .map(str::to_ascii_lowercase)
        }
    };
    PreflightFailure {
        kind: ErrorKind::HeaderDisallowedByPreflightResponse,
        parameter: Some(named.unwrap_or_else(|| String::from(spec_name))),
    }
}

/// `Access-Control-Max-Age` as `profile` reads it, capped, with warnings.
pub fn max_age(headers: &HeaderList, profile: &Profile, warnings: &mut Vec<Warning>) -> u64 {
    let joined = headers.get(ACMA);
    let raw = joined.as_deref();
    let parsed =
        match profile.max_age_parsing {
            MaxAgeParsing::Spec => match extract_delta_seconds(headers, ACMA) {
                DeltaSeconds::Valid(seconds) => Some(seconds),
                DeltaSeconds::Absent => None,
                DeltaSeconds::Invalid => {
                    warnings.push(Warning::new(WarningKind::MaxAgeInvalid, raw.unwrap_or("")));
                    None
                }
            },
            MaxAgeParsing::Chromium | MaxAgeParsing::Webkit => raw.and_then(|value| {
                match parse_integer(value, profile.max_age_parsing == MaxAgeParsing::Webkit) {
                    Some(n) => Some(u64::try_from(n).unwrap_or(0)),
                    None => {
                        warnings.push(Warning::new(WarningKind::MaxAgeInvalid, value));
                        None
                    }
                }
            }),
            MaxAgeParsing::Firefox => raw.filter(|value| !value.is_empty()).map(|value| {
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    parse_saturating(value)
                } else {
                    // Firefox caches nothing for a max-age with any non-digit byte.
                    warnings.push(Warning::new(WarningKind::MaxAgeInvalid, value));
                    0
                }
            }),
        };
    let seconds = parsed.unwrap_or(DEFAULT_MAX_AGE);
    match profile.max_age_cap {
        Some(cap) if seconds > cap => {
            warnings.push(Warning::new(
                WarningKind::MaxAgeCapped,
                alloc::format!("{seconds}"),
            ));
            cap
        }
        _ => seconds,
    }
}

/// An optionally signed decimal integer (`+` accepted only when `plus`), saturating.
/// headerNames, searched byte-case-insensitively: a scan of a short list, a binary search of a
/// sorted lowercase copy of a long one, so that a server listing thousands of names costs
/// O(log n) per request header instead of O(n).
enum HeaderNameSet<'a> {
    Few(&'a [&'a str]),
    Many(Vec<String>),
}

impl<'a> HeaderNameSet<'a> {
    /// Above this many names a sorted copy pays for itself.
    const SCAN_LIMIT: usize = 32;

    fn new(names: &'a [&'a str]) -> Self {
        if names.len() <= Self::SCAN_LIMIT {
            return Self::Few(names);
        }
        let mut lowercase: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        lowercase.sort_unstable();
        Self::Many(lowercase)
    }

    fn contains(&self, name: &str) -> bool {
        match self {
            Self::Few(names) => names.iter().any(|h| eq_ignore_case(h, name)),
            Self::Many(lowercase) => lowercase
                .binary_search_by(|h| h.bytes().cmp(name.bytes().map(|b| b.to_ascii_lowercase())))
                .is_ok(),
        }
    }
}

fn parse_integer(value: &str, plus: bool) -> Option<i128> {
    let (negative, digits) = match value.as_bytes().first()? {
        b'-' => (true, &value[1..]),
        b'+' if plus => (false, &value[1..]),
        _ => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = i128::from(parse_saturating(digits));
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_age_of(value: &str, profile: &Profile) -> u64 {
        let headers: HeaderList = [(ACMA, value)].into_iter().collect();
        max_age(&headers, profile, &mut Vec::new())
    }

    #[test]
    fn request_headers_value_joins_with_commas_short_and_long() {
        for count in [1, 2, 3, 10, 11, 12, 40] {
            let names: Vec<SmolStr> = (0..count)
                .map(|i| SmolStr::from(alloc::format!("x-name-{i}")))
                .collect();
            assert_eq!(comma_separated(&names), names.join(","), "{count} names");
        }
    }

    #[test]
    fn header_name_sets_short_and_long_agree() {
        let long: Vec<String> = (0..100).map(|i| alloc::format!("X-Name-{i}")).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        for names in [&long[..3], &long[..]] {
            let set = HeaderNameSet::new(names);
            assert!(matches!(set, HeaderNameSet::Few(_)) == (names.len() <= 32));
            for name in names {
                assert!(set.contains(name), "{name}");
                assert!(set.contains(&name.to_ascii_lowercase()), "{name}");
                assert!(set.contains(&name.to_ascii_uppercase()), "{name}");
            }
            for absent in ["", "x-name-", "x-name-1000", "y", "X-Name-99 "] {
                assert!(!set.contains(absent), "{absent:?}");
            }
        }
    }

    #[test]
    fn max_age_per_profile() {
        assert_eq!(max_age_of("-1", &Profile::SPEC), 5);
        assert_eq!(max_age_of("-1", &Profile::CHROMIUM), 0);
        assert_eq!(max_age_of("-1", &Profile::FIREFOX), 0);
        assert_eq!(max_age_of("-1", &Profile::WEBKIT), 0);
        assert_eq!(max_age_of("abc", &Profile::CHROMIUM), 5);
        assert_eq!(max_age_of("+10", &Profile::WEBKIT), 10);
        assert_eq!(max_age_of("+10", &Profile::CHROMIUM), 5);
        assert_eq!(max_age_of("100000", &Profile::SPEC), 100_000);
        assert_eq!(max_age_of("100000", &Profile::CHROMIUM), 7200);
        assert_eq!(max_age_of("100000", &Profile::FIREFOX), 86400);
        assert_eq!(max_age_of("100000", &Profile::WEBKIT), 600);
        assert_eq!(
            max_age(&HeaderList::new(), &Profile::FIREFOX, &mut Vec::new()),
            5
        );
    }

    #[test]
    fn preflight_header_list() {
        let names = [SmolStr::new_static("x-a"), SmolStr::new_static("x-b")];
        let headers = preflight_headers("https://a.example", "PUT", &names);
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Accept", "*/*"),
                ("Origin", "https://a.example"),
                (ACRM, "PUT"),
                (ACRH, "x-a,x-b")
            ]
        );
    }
}
