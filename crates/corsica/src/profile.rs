//! Browser profiles: where real engines part from the Fetch Standard.
//!
//! A [`Profile`] is data, one struct of behaviours; the algorithms read its fields instead of
//! asking which browser they model. The four built-in profiles are [`Profile::SPEC`],
//! [`Profile::CHROMIUM`], [`Profile::FIREFOX`] and [`Profile::WEBKIT`]. Every deviation is
//! documented on its field, with the evidence in `browsers.md` §5 (row numbers below).

use core::fmt;
use core::str::FromStr;

/// Which browser a profile models: also whose console text it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    /// The Fetch Standard to the letter (console text in Chromium's words).
    Spec,
    /// Chromium 156 (Chrome, Edge, …).
    Chromium,
    /// Firefox ESR 153.
    Firefox,
    /// WebKitGTK 2.50 (Safari's engine).
    Webkit,
}

impl Engine {
    /// The scenario format's spelling of the profile name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Spec => "spec",
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
            Self::Webkit => "webkit",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose console messages a profile prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageStyle {
    /// Blink's `cors_error_string.cc`: "Access to fetch at '…' from origin '…' has been blocked by
    /// CORS policy: …".
    Chromium,
    /// Gecko's `security.properties`: "Cross-Origin Request Blocked: … (Reason: …)."
    Firefox,
    /// WebKit's `CrossOriginAccessControl.cpp` reasons.
    Webkit,
}

/// How `Access-Control-Max-Age` is parsed (browsers.md §5 rows 1 and 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaxAgeParsing {
    /// `delta-seconds` (one header of ASCII digits); anything else means 5 seconds.
    Spec,
    /// An integer (a leading `-` allowed); not an integer → 5 s; negative → 0 (not reusable).
    Chromium,
    /// Missing or empty → 5 s (an empty value was observed to cache); any byte that is not a
    /// digit → nothing is cached.
    Firefox,
    /// An integer (leading `+` or `-` allowed); not an integer → 5 s; negative → expires at once.
    Webkit,
}

/// The order of the preflight's gate: ok status and CORS check (browsers.md §5 row 12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PreflightCheckOrder {
    /// The CORS check (ACAO, ACAC) first, then the status: Chromium and Firefox.
    OriginFirst,
    /// The status first, then the CORS check: WebKit.
    StatusFirst,
}

/// How several `Access-Control-Allow-Origin` values are recognised (browsers.md §5 row 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowOriginDuplicates {
    /// The joined value contains `,` or a space: Chromium (and the spec's "get").
    JoinedValue,
    /// More than one header line; a single line `a, b` is a mismatch: Firefox.
    HeaderLines,
    /// The joined value contains `,`: WebKit.
    JoinedComma,
}

/// Whether a credentialed preflight-cache entry serves requests without credentials
/// (browsers.md §5 row 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CacheCredentials {
    /// The spec: a credentialed entry also serves requests without credentials.
    Spec,
    /// Firefox: the credentials flag is part of the key; entries serve only their own kind.
    PartOfKey,
}

/// How the profile treats a request to a more private address space
/// ([Local Network Access](https://wicg.github.io/local-network-access/)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalNetworkAccess {
    /// Not enforced; a warning says what Chromium would do.
    WarnOnly,
    /// Chromium 142+: non-secure contexts are blocked; secure ones need the permission.
    Enforce,
}

/// The header names WebKit's `HTTPHeaderMap` knows (and keeps apart from the others) that a page
/// may set: from WebCore's `HTTPHeaderNames.in` (WebKit/WebKit@b51a7a42, plus `Priority`,
/// observed), in their canonical case.
pub const WEBKIT_KNOWN_HEADER_NAMES: &[&str] = &[
    "Accept",
    "Accept-Language",
    "Authorization",
    "Cache-Control",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-Range",
    "Content-Security-Policy",
    "Content-Type",
    "Cross-Origin-Resource-Policy",
    "DNT",
    "Default-Style",
    "ETag",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Last-Event-ID",
    "Last-Modified",
    "Link",
    "Ping-From",
    "Ping-To",
    "Pragma",
    "Priority",
    "Purpose",
    "Range",
    "Referer",
    "Referrer-Policy",
    "Refresh",
    "Server-Timing",
    "Service-Worker",
    "SourceMap",
    "Timing-Allow-Origin",
    "Upgrade-Insecure-Requests",
    "User-Agent",
    "X-Content-Type-Options",
    "X-DNS-Prefetch-Control",
    "X-Frame-Options",
    "X-SourceMap",
    "X-Temp-Tablet",
    "X-XSS-Protection",
];

/// The order in which the preflight check meets the request's headers: it decides which header a
/// failure names when several are not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestHeaderOrder {
    /// The standard's: `Authorization` (CORS-preflight fetch step 7.6), then the CORS-unsafe
    /// request-header names, sorted (step 7.7).
    Spec,
    /// A header map that holds the names it knows apart from the others (WebKit's
    /// `HTTPHeaderMap`): the known names first, then the rest, each group in the order the page
    /// first set them (WebKit's `validateCrossOriginHeaders` walks that map; observed: a page's
    /// `Content-Type` is named before its later `Accept-Language` or `Authorization`, `X-Dup`
    /// before a later `X-CuStOm`).
    KnownNamesFirst(&'static [&'static str]),
}

/// One browser's behaviour, where it differs from the Fetch Standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Profile {
    /// Which engine this is.
    pub engine: Engine,
    /// Whose console text to print.
    pub messages: MessageStyle,
    /// `Access-Control-Allow-Headers: *` covers `Authorization` (row 5; rules E1). The standard
    /// says it never does; every engine observed on 2026-11-25 lets it.
    pub authorization_covered_by_wildcard: bool,
    /// The "imposed limit" on max-age, in seconds (row 1). `None`: no limit.
    pub max_age_cap: Option<u64>,
    /// How `Access-Control-Max-Age` is parsed (row 2).
    pub max_age_parsing: MaxAgeParsing,
    /// The preflight gate's order (row 12).
    pub preflight_check_order: PreflightCheckOrder,
    /// How duplicate `Access-Control-Allow-Origin` values are told apart (row 8).
    pub allow_origin_duplicates: AllowOriginDuplicates,
    /// The credentials semantics of the preflight cache (row 3).
    pub cache_credentials: CacheCredentials,
    /// The most preflight-cache entries (origin and URL pairs) kept (row 3).
    pub cache_capacity: usize,
    /// Clear the cache entries of a request whose CORS-with-preflight fetch failed
    /// ([clear cache entries](https://fetch.spec.whatwg.org/#concept-cache-clear); Chromium has
    /// no path to do it, rules E11).
    pub clear_cache_on_failure: bool,
    /// WebKit writes the cache entry before it validates the method and headers (row 3).
    pub cache_before_validation: bool,
    /// Methods that never need a method cache entry (the spec: the CORS-safelisted methods;
    /// Firefox: GET and POST only, row 17).
    pub cache_exempt_methods: &'static [&'static str],
    /// Chromium's extra CORS-safelisted request headers (client hints, row 15).
    pub client_hints_safelisted: bool,
    /// Local Network Access (row 16).
    pub local_network_access: LocalNetworkAccess,
    /// Duplicate request headers are combined into one (`a, b`) before the safelist check, as
    /// Blink's and WebKit's header maps do; the spec and Firefox judge each header on its own
    /// (observed by the oracle: five 102-byte `Accept-Language` headers preflight in Chromium
    /// and WebKit only).
    pub combine_duplicate_request_headers: bool,
    /// `Access-Control-Request-Headers` lists each name once (the spec); Firefox repeats a name
    /// the page set twice (`x-dup,x-dup`, observed).
    pub deduplicate_request_header_names: bool,
    /// The 1024-byte total of CORS-safelisted request-header values (the spec); Firefox has no
    /// total (observed).
    pub safelisted_total_limit: Option<usize>,
    /// Request headers the browser drops although the spec allows scripts to set them: Chromium
    /// drops `User-Agent` (observed; server-misconfigurations.md §6 M).
    pub dropped_request_headers: &'static [&'static str],
    /// Bytes ≥ 0x80 count as CORS-unsafe request-header bytes (Firefox: `Accept: café/x` is
    /// preflighted, observed; the spec's list has no byte ≥ 0x80).
    pub non_ascii_bytes_unsafe: bool,
    /// Preflight-cache entries for `*` (methods or header names) match any method or name
    /// without credentials (the spec, 7.7); Firefox compares them literally, so a method allowed
    /// only through `Access-Control-Allow-Methods: *` is preflighted every time (observed).
    pub cache_wildcards_match: bool,
    /// Once a request needed a preflight, every later cross-origin hop of its redirects is
    /// preflighted too, and so is a request that carried CORS-unsafe headers to its own origin
    /// (Firefox and WebKit, observed: a preflight without `Access-Control-Request-Headers` after
    /// a 303 turned a `PURGE` into a `GET`; a same-origin `POST` with `Content-Type:
    /// application/x-pony` redirected across origins with 301 is preflighted as a `GET`, but a
    /// same-origin `PURGE` without such headers is not); the spec and Chromium decide afresh at
    /// each hop.
    pub preflight_persists_across_redirects: bool,
    /// The request-body headers a redirect deletes when it turns the request into `GET`
    /// (HTTP-redirect fetch step 12) still count in a later preflight, though the request goes
    /// without them (WebKit, observed: a `POST` with `Content-Type: application/x-pony`
    /// redirected with 301 preflights `GET` with `Access-Control-Request-Headers: content-type`,
    /// then sends the `GET` without it).
    pub preflight_counts_deleted_body_headers: bool,
    /// A cross-origin redirect removes `Authorization` (HTTP-redirect fetch step 13); WebKit keeps
    /// it and preflights for it at the new origin (observed).
    pub authorization_removed_on_cross_origin_redirect: bool,
    /// A preflight answered with a redirect fails like any status that is not ok (CORS check
    /// first, then `PreflightInvalidStatus`: Firefox, observed); otherwise it fails as a redirect.
    pub preflight_redirect_is_a_status: bool,
    /// The method is checked before `Access-Control-Allow-Headers` is parsed (Firefox's
    /// `CheckPreflightRequestApproved`, observed); the spec parses both lists first.
    pub method_checked_before_allow_headers: bool,
    /// Every redirect to a URL with a username or password fails, even a same-origin one that
    /// the spec follows (Chromium, observed).
    pub redirect_with_credentials_refused: bool,
    /// A preflight after a tainting redirect carries the page's origin, not `null` (Firefox,
    /// observed; the actual request still says `null`).
    pub preflight_origin_untainted: bool,
    /// A non-CORS request redirected across origins sends `Origin: null` (Chromium, observed).
    pub origin_nulled_after_cross_origin_redirect: bool,
    /// An `Origin` sent before a redirect is sent again after it, even on a `GET` (WebKit,
    /// observed; the spec sends none for a non-CORS `GET`).
    pub origin_kept_across_redirects: bool,
    /// Which disallowed request header a failed preflight names (observed by the oracle in
    /// WebKit; Chromium's order, a hash map's, is not modelled).
    pub request_header_order: RequestHeaderOrder,
}

impl Profile {
    /// The Fetch Standard to the letter.
    pub const SPEC: Self = Self {
        engine: Engine::Spec,
        messages: MessageStyle::Chromium,
        authorization_covered_by_wildcard: false,
        max_age_cap: None,
        max_age_parsing: MaxAgeParsing::Spec,
        preflight_check_order: PreflightCheckOrder::OriginFirst,
        allow_origin_duplicates: AllowOriginDuplicates::JoinedValue,
        cache_credentials: CacheCredentials::Spec,
        cache_capacity: 1024,
        clear_cache_on_failure: true,
        cache_before_validation: false,
        cache_exempt_methods: &["GET", "HEAD", "POST"],
        client_hints_safelisted: false,
        local_network_access: LocalNetworkAccess::WarnOnly,
        combine_duplicate_request_headers: false,
        deduplicate_request_header_names: true,
        safelisted_total_limit: Some(1024),
        dropped_request_headers: &[],
        non_ascii_bytes_unsafe: false,
        cache_wildcards_match: true,
        preflight_persists_across_redirects: false,
        preflight_counts_deleted_body_headers: false,
        authorization_removed_on_cross_origin_redirect: true,
        preflight_redirect_is_a_status: false,
        method_checked_before_allow_headers: false,
        redirect_with_credentials_refused: false,
        preflight_origin_untainted: false,
        origin_nulled_after_cross_origin_redirect: false,
        origin_kept_across_redirects: false,
        request_header_order: RequestHeaderOrder::Spec,
    };

    /// Chromium 156.
    pub const CHROMIUM: Self = Self {
        engine: Engine::Chromium,
        messages: MessageStyle::Chromium,
        authorization_covered_by_wildcard: true,
        max_age_cap: Some(7200),
        max_age_parsing: MaxAgeParsing::Chromium,
        preflight_check_order: PreflightCheckOrder::OriginFirst,
        allow_origin_duplicates: AllowOriginDuplicates::JoinedValue,
        cache_credentials: CacheCredentials::Spec,
        cache_capacity: 1024,
        clear_cache_on_failure: false,
        cache_before_validation: false,
        cache_exempt_methods: &["GET", "HEAD", "POST"],
        client_hints_safelisted: true,
        local_network_access: LocalNetworkAccess::Enforce,
        combine_duplicate_request_headers: true,
        deduplicate_request_header_names: true,
        safelisted_total_limit: Some(1024),
        dropped_request_headers: &["user-agent"],
        non_ascii_bytes_unsafe: false,
        cache_wildcards_match: true,
        preflight_persists_across_redirects: false,
        preflight_counts_deleted_body_headers: false,
        authorization_removed_on_cross_origin_redirect: true,
        preflight_redirect_is_a_status: false,
        method_checked_before_allow_headers: false,
        redirect_with_credentials_refused: true,
        preflight_origin_untainted: false,
        origin_nulled_after_cross_origin_redirect: true,
        origin_kept_across_redirects: false,
        request_header_order: RequestHeaderOrder::Spec,
    };

    /// Firefox ESR 153.
    pub const FIREFOX: Self = Self {
        engine: Engine::Firefox,
        messages: MessageStyle::Firefox,
        authorization_covered_by_wildcard: true,
        max_age_cap: Some(86400),
        max_age_parsing: MaxAgeParsing::Firefox,
        preflight_check_order: PreflightCheckOrder::OriginFirst,
        allow_origin_duplicates: AllowOriginDuplicates::HeaderLines,
        cache_credentials: CacheCredentials::PartOfKey,
        cache_capacity: 100,
        clear_cache_on_failure: true,
        cache_before_validation: false,
        cache_exempt_methods: &["GET", "POST"],
        client_hints_safelisted: false,
        local_network_access: LocalNetworkAccess::WarnOnly,
        combine_duplicate_request_headers: false,
        deduplicate_request_header_names: false,
        safelisted_total_limit: None,
        dropped_request_headers: &[],
        non_ascii_bytes_unsafe: true,
        cache_wildcards_match: false,
        preflight_persists_across_redirects: true,
        preflight_counts_deleted_body_headers: false,
        authorization_removed_on_cross_origin_redirect: true,
        preflight_redirect_is_a_status: true,
        method_checked_before_allow_headers: true,
        redirect_with_credentials_refused: false,
        preflight_origin_untainted: true,
        origin_nulled_after_cross_origin_redirect: false,
        origin_kept_across_redirects: false,
        request_header_order: RequestHeaderOrder::Spec,
    };

    /// WebKitGTK 2.50.
    pub const WEBKIT: Self = Self {
        engine: Engine::Webkit,
        messages: MessageStyle::Webkit,
        authorization_covered_by_wildcard: true,
        max_age_cap: Some(600),
        max_age_parsing: MaxAgeParsing::Webkit,
        preflight_check_order: PreflightCheckOrder::StatusFirst,
        allow_origin_duplicates: AllowOriginDuplicates::JoinedComma,
        cache_credentials: CacheCredentials::Spec,
        cache_capacity: 4096,
        clear_cache_on_failure: true,
        cache_before_validation: true,
        cache_exempt_methods: &["GET", "HEAD", "POST"],
        client_hints_safelisted: false,
        local_network_access: LocalNetworkAccess::WarnOnly,
        combine_duplicate_request_headers: true,
        deduplicate_request_header_names: true,
        safelisted_total_limit: Some(1024),
        dropped_request_headers: &[],
        non_ascii_bytes_unsafe: false,
        cache_wildcards_match: true,
        preflight_persists_across_redirects: true,
        preflight_counts_deleted_body_headers: true,
        authorization_removed_on_cross_origin_redirect: false,
        preflight_redirect_is_a_status: false,
        method_checked_before_allow_headers: false,
        redirect_with_credentials_refused: false,
        preflight_origin_untainted: false,
        origin_nulled_after_cross_origin_redirect: false,
        origin_kept_across_redirects: true,
        request_header_order: RequestHeaderOrder::KnownNamesFirst(WEBKIT_KNOWN_HEADER_NAMES),
    };

    /// The four built-in profiles.
    pub const ALL: [Self; 4] = [Self::SPEC, Self::CHROMIUM, Self::FIREFOX, Self::WEBKIT];

    /// The built-in profile for `engine`.
    pub const fn of(engine: Engine) -> Self {
        match engine {
            Engine::Spec => Self::SPEC,
            Engine::Chromium => Self::CHROMIUM,
            Engine::Firefox => Self::FIREFOX,
            Engine::Webkit => Self::WEBKIT,
        }
    }

    /// The profile's name, as the scenario format spells it.
    pub const fn name(&self) -> &'static str {
        self.engine.as_str()
    }
}

impl Default for Profile {
    fn default() -> Self {
        Self::SPEC
    }
}

/// An unknown profile name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownProfile {
    _priv: (),
}

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown profile: expected one of spec, chromium, firefox, webkit")
    }
}

impl core::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "spec" => Ok(Self::SPEC),
            "chromium" => Ok(Self::CHROMIUM),
            "firefox" => Ok(Self::FIREFOX),
            "webkit" => Ok(Self::WEBKIT),
            _ => Err(UnknownProfile { _priv: () }),
        }
    }
}
