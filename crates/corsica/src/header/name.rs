//! Header names: tokens and the forbidden request-header rule.

use crate::method::is_forbidden_method;

/// Whether `c` is an HTTP [token code point](https://mimesniff.spec.whatwg.org/#http-token-code-point).
pub(crate) const fn is_token_char(c: u8) -> bool {
    TOKEN_CHARS[c as usize]
}

/// [`is_token_char`] as a table: one load per byte.
const TOKEN_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = matches!(c as u8,
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
            | b'|' | b'~' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z');
        c += 1;
    }
    table
};

/// Whether `s` is an RFC 9110 `token`: one or more token characters.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_char)
}

/// Whether `name` is a [header name](https://fetch.spec.whatwg.org/#header-name).
pub fn is_header_name(name: &str) -> bool {
    is_token(name)
}

/// The names that make a header a forbidden request-header on their own.
const FORBIDDEN_NAMES: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// [Forbidden request-header](https://fetch.spec.whatwg.org/#forbidden-request-header): a header
/// that scripts cannot set; the Headers guard drops it silently.
pub fn is_forbidden_request_header(name: &str, value: &str) -> bool {
    // Step 1. If name is a byte-case-insensitive match for one of the listed names, return true.
    if FORBIDDEN_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n)) {
        return true;
    }
    // Step 2. If name when byte-lowercased starts with `proxy-` or `sec-`, then return true.
    if starts_with_ignore_case(name, "proxy-") || starts_with_ignore_case(name, "sec-") {
        return true;
    }
    // Step 3. If name is `X-HTTP-Method`, `X-HTTP-Method-Override` or `X-Method-Override`: for
    // each method of getting, decoding and splitting value, if the isomorphic encoding of method
    // is a forbidden method, return true.
    if [
        "x-http-method",
        "x-http-method-override",
        "x-method-override",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
    {
        return crate::header::list_values::split(value).any(is_forbidden_method);
    }
    // Step 4. Return false.
    false
}

/// [Forbidden response-header name](https://fetch.spec.whatwg.org/#forbidden-response-header-name):
/// `Set-Cookie` and `Set-Cookie2`.
pub fn is_forbidden_response_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

/// [CORS non-wildcard request-header name](https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name):
/// `Authorization`.
pub fn is_cors_non_wildcard_request_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// [Request-body-header name](https://fetch.spec.whatwg.org/#request-body-header-name).
pub fn is_request_body_header_name(name: &str) -> bool {
    [
        "content-encoding",
        "content-language",
        "content-location",
        "content-type",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
}

pub(crate) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_request_headers() {
        assert!(is_forbidden_request_header("Cookie", "a=b"));
        assert!(is_forbidden_request_header("SEC-foo", ""));
        assert!(is_forbidden_request_header("Proxy-Authorization", "x"));
        assert!(is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "GET, trace"
        ));
        assert!(!is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "PATCH"
        ));
        assert!(!is_forbidden_request_header("Authorization", "Bearer t"));
        assert!(!is_forbidden_request_header("User-Agent", "x"));
        assert!(!is_forbidden_request_header("secret", "x"));
    }

    #[test]
    fn tokens() {
        assert!(is_token("X-Custom"));
        assert!(!is_token("X Custom"));
        assert!(!is_token("é"));
        assert!(!is_token(""));
    }
}
