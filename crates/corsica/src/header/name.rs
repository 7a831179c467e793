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

/// Where the run of token characters in `bytes` that starts at `from` ends.
pub(crate) fn token_run_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while bytes.get(end).is_some_and(|&b| is_token_char(b)) {
        end += 1;
    }
    end
}

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
    if FORBIDDEN_NAMES.iter().any(|n| eq_ignore_case(name, n)) {
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
    .any(|n| eq_ignore_case(name, n))
    {
        return crate::header::list_values::split(value).any(is_forbidden_method);
    }
    // Step 4. Return false.
    false
}

/// [Forbidden response-header name](https://fetch.spec.whatwg.org/#forbidden-response-header-name):
/// `Set-Cookie` and `Set-Cookie2`.
pub fn is_forbidden_response_header_name(name: &str) -> bool {
    eq_ignore_case(name, "set-cookie") || eq_ignore_case(name, "set-cookie2")
}

/// [CORS non-wildcard request-header name](https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name):
/// `Authorization`.
pub fn is_cors_non_wildcard_request_header_name(name: &str) -> bool {
    eq_ignore_case(name, "authorization")
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
    .any(|n| eq_ignore_case(name, n))
}

/// Whether `a` and `b` are a [byte-case-insensitive](https://infra.spec.whatwg.org/#byte-case-insensitive)
/// match: `str::eq_ignore_ascii_case`, eight bytes at a time. Header names are short, and below
/// 16 bytes `core` compares them byte by byte (about 14 instructions a byte).
#[inline]
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.len() == b.len() && same_length_eq_ignore_case(a.as_bytes(), b.as_bytes())
}

/// [`eq_ignore_case`] of two slices of the same length.
#[inline]
fn same_length_eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len < 8 {
        return same_word(short_word(a), short_word(b));
    }
    // Whole words, then the last eight bytes (which may overlap the words before them).
    let mut at = 0;
    while at + 8 <= len {
        if !same_word(word(a, at), word(b, at)) {
            return false;
        }
        at += 8;
    }
    at == len || same_word(word(a, len - 8), word(b, len - 8))
}

/// Whether two words are the same once lowercased; names are mostly written in the same case,
/// so equal words skip the lowercasing.
fn same_word(a: u64, b: u64) -> bool {
    a == b || lowercase(a) == lowercase(b)
}

/// The eight bytes of `bytes` from `at`, as a word.
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The bytes of a slice shorter than eight, as a word padded with zeros.
fn short_word(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0, |word, &b| (word << 8) | u64::from(b))
}

/// Every byte of `word` [ASCII-lowercased](https://infra.spec.whatwg.org/#byte-lowercase): `A`
/// to `Z` gain 0x20, every other byte (those ≥ 0x80 too) stays.
const fn lowercase(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's low seven bits; adding to them never carries into the next byte.
    let low = word & !HIGH;
    // The high bit of each byte: set when the byte is at least `A`, and when it is above `Z`.
    let from_a = low + ONES * (0x80 - b'A' as u64);
    let past_z = low + ONES * (0x80 - b'Z' as u64 - 1);
    let upper = from_a & !past_z & !word & HIGH;
    word | (upper >> 2)
}

pub(crate) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && same_length_eq_ignore_case(&s.as_bytes()[..prefix.len()], prefix.as_bytes())
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
    fn case_insensitive_matches_agree_with_core() {
        let samples = [
            "",
            "a",
            "A",
            "@",
            "[",
            "`",
            "{",
            "Z",
            "z",
            "\u{e9}",
            "\u{c9}",
            "x-Request-ID",
            "X-REQUEST-ID",
            "x-request-ie",
            "authorization",
            "AUTHORIZATION",
            "Authorizatioo",
            "Access-Control-Allow-Origin",
            "access-control-allow-origin",
            "access-control-allow-origiN",
            "access-control-allow-origin!",
            "0123456",
            "0123457",
            "ab\u{80}cdefgh",
            "AB\u{80}CDEFGH",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    eq_ignore_case(a, b),
                    a.eq_ignore_ascii_case(b),
                    "{a:?} {b:?}"
                );
            }
        }
        // Every byte, in every place of a word, among bytes of each kind.
        for b in 0..=255u8 {
            for other in [0, b'@', b'A', b'Z', b'[', b'a', b'z', 0x80, 0xc1, 0xff] {
                for at in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[at] = b;
                    let lowered = bytes.map(|b| b.to_ascii_lowercase());
                    assert_eq!(
                        lowercase(u64::from_le_bytes(bytes)),
                        u64::from_le_bytes(lowered),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn tokens() {
        assert!(is_token("X-Custom"));
        assert!(!is_token("X Custom"));
        assert!(!is_token("é"));
        assert!(!is_token(""));
    }
}
