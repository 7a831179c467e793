//! The CORS header classes: [CORS-safelisted request-header](https://fetch.spec.whatwg.org/#cors-safelisted-request-header),
//! [CORS-unsafe request-header names](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names),
//! [no-CORS-safelisted request-header](https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header)
//! and [CORS-safelisted response-header name](https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name).

use alloc::vec::Vec;

use smol_str::{SmolStr, StrExt};

use super::name::eq_ignore_case;
use super::{HeaderList, byte_length};
use crate::mime;
use crate::profile::Profile;
use crate::range::parse_single_range;

/// The most bytes a CORS-safelisted request-header value may have.
pub const MAX_SAFELISTED_VALUE_LENGTH: usize = 128;

/// The most bytes all CORS-safelisted request-header values together may have.
pub const MAX_SAFELISTED_TOTAL_LENGTH: usize = 1024;

/// [CORS-unsafe request-header byte](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte).
pub const fn is_cors_unsafe_request_header_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7f
        )
}

/// The `Content-Type` essences that are CORS-safelisted, the longest first.
const SAFELISTED_CONTENT_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// Chromium's extra safelisted names: client hints and `intervention` (browsers.md §5 row 15).
/// Their values are bounded by the 128-byte rule only.
const CHROMIUM_CLIENT_HINTS: [&str; 9] = [
    "device-memory",
    "dpr",
    "width",
    "viewport-width",
    "rtt",
    "downlink",
    "ect",
    "save-data",
    "intervention",
];

/// [`is_cors_unsafe_request_header_byte`] as a table: one load per byte.
const UNSAFE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_cors_unsafe_request_header_byte(b as u8);
        b += 1;
    }
    table
};

/// Whether `value` holds a CORS-unsafe request-header byte. Code points above U+007F are bytes
/// ≥ 0x80 after isomorphic encoding: never unsafe in the spec, always under `non_ascii_unsafe`.
fn has_unsafe_byte(value: &str, non_ascii_unsafe: bool) -> bool {
    if non_ascii_unsafe && !value.is_ascii() {
        return true;
    }
    // (A UTF-8 byte ≥ 0x80 is never unsafe in the table.)
    value.bytes().any(|b| UNSAFE_BYTES[usize::from(b)])
}

/// [CORS-safelisted request-header](https://fetch.spec.whatwg.org/#cors-safelisted-request-header)
/// `(name, value)`, as `profile` judges it (Chromium also safelists client hints; Firefox counts
/// bytes ≥ 0x80 as unsafe).
pub fn is_cors_safelisted_request_header(name: &str, value: &str, profile: &Profile) -> bool {
    // Step 1. If value's length is greater than 128, then return false.
    if byte_length(value) > MAX_SAFELISTED_VALUE_LENGTH {
        return false;
    }
    // Step 2. Byte-lowercase name and switch on the result.
    if eq_ignore_case(name, "accept") {
        // If value contains a CORS-unsafe request-header byte, then return false.
        !has_unsafe_byte(value, profile.non_ascii_bytes_unsafe)
    } else if eq_ignore_case(name, "accept-language") || eq_ignore_case(name, "content-language") {
        // If value contains a byte that is not in the range 0x30 (0) to 0x39 (9), inclusive, is
        // not in the range 0x41 (A) to 0x5A (Z), inclusive, is not in the range 0x61 (a) to 0x7A
        // (z), inclusive, and is not 0x20 (SP), 0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;),
        // or 0x3D (=), then return false.
        value.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
        })
    } else if eq_ignore_case(name, "content-type") {
        is_safelisted_content_type(value, profile.non_ascii_bytes_unsafe)
    } else if eq_ignore_case(name, "range") {
        // 1. Let rangeValue be the result of parsing a single range header value given value
        //    and false. 2. If rangeValue is failure, then return false. 3. If rangeValue[0] is
        //    null, then return false.
        matches!(parse_single_range(value, false), Some((Some(_), _)))
    } else {
        // Otherwise, return false.
        profile.client_hints_safelisted
            && CHROMIUM_CLIENT_HINTS
                .iter()
                .any(|n| eq_ignore_case(name, n))
    }
}

/// The `content-type` case of the safelist.
fn is_safelisted_content_type(value: &str, non_ascii_unsafe: bool) -> bool {
    // 1. If value contains a CORS-unsafe request-header byte, then return false.
    if has_unsafe_byte(value, non_ascii_unsafe) {
        return false;
    }
    // 2. Let mimeType be the result of parsing the result of isomorphic decoding value.
    // 3. If mimeType is failure, then return false.
    // 4. If mimeType's essence is not one of the three, then return false.
    // (An essence longer than the longest of the three does not fit, and is not one of them.)
    let mut buf = [0u8; SAFELISTED_CONTENT_TYPES[0].len()];
    mime::essence(value, &mut buf)
        .is_some_and(|essence| SAFELISTED_CONTENT_TYPES.contains(&essence))
}

/// [CORS-unsafe request-header names](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names)
/// of `headers`, byte-lowercased and sorted, as `profile` computes them (the spec, and Firefox
/// which has no 1024-byte total and does not deduplicate).
pub fn cors_unsafe_request_header_names(headers: &HeaderList, profile: &Profile) -> Vec<SmolStr> {
    // Step 1-2. Let unsafeNames and potentiallyUnsafeNames be new lists; safelistValueSize = 0.
    let mut unsafe_names: Vec<SmolStr> = Vec::new();
    let mut safelist_value_size = 0;
    // Step 3. For each header of headers: if header is not a CORS-safelisted request-header,
    // append its name to unsafeNames; otherwise append it to potentiallyUnsafeNames and add the
    // value's length to safelistValueSize.
    for header in headers {
        if is_cors_safelisted_request_header(&header.name, &header.value, profile) {
            safelist_value_size += byte_length(&header.value);
        } else {
            unsafe_names.push(header.name.to_ascii_lowercase_smolstr());
        }
    }
    // Step 4. If safelistValueSize is greater than 1024, then for each name of
    // potentiallyUnsafeNames, append name to unsafeNames.
    if profile
        .safelisted_total_limit
        .is_some_and(|limit| safelist_value_size > limit)
    {
        unsafe_names.extend(headers.iter().map(|h| h.name.to_ascii_lowercase_smolstr()));
    }
    // Step 5. Return the result of convert header names to a sorted-lowercase set.
    unsafe_names.sort_unstable();
    if profile.deduplicate_request_header_names {
        unsafe_names.dedup();
    }
    unsafe_names
}

/// [No-CORS-safelisted request-header](https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header).
pub fn is_no_cors_safelisted_request_header(name: &str, value: &str) -> bool {
    // Step 1. If name is not a no-CORS-safelisted request-header name, then return false.
    let named = [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
    ]
    .iter()
    .any(|n| eq_ignore_case(name, n));
    // Step 2. Return whether (name, value) is a CORS-safelisted request-header.
    named && is_cors_safelisted_request_header(name, value, &Profile::SPEC)
}

/// The CORS-safelisted response-header names that are always visible.
pub const SAFELISTED_RESPONSE_HEADER_NAMES: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Whether `name` is one of the seven always-visible
/// [CORS-safelisted response-header names](https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name).
pub fn is_always_safelisted_response_header_name(name: &str) -> bool {
    SAFELISTED_RESPONSE_HEADER_NAMES
        .iter()
        .any(|n| eq_ignore_case(name, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn safe(name: &str, value: &str) -> bool {
        is_cors_safelisted_request_header(name, value, &Profile::SPEC)
    }

    #[test]
    fn unsafe_byte_table() {
        for b in 0..=255u8 {
            assert_eq!(
                UNSAFE_BYTES[usize::from(b)],
                b < 0x80 && is_cors_unsafe_request_header_byte(b),
                "{b}"
            );
        }
        assert!(
            SAFELISTED_CONTENT_TYPES
                .iter()
                .all(|t| t.len() <= SAFELISTED_CONTENT_TYPES[0].len())
        );
    }

    #[test]
    fn value_length_limit() {
        let v128 = "a".repeat(128);
        let v129 = "a".repeat(129);
        assert!(safe("Accept", &v128));
        assert!(!safe("Accept", &v129));
    }

    #[test]
    fn per_name_rules() {
        assert!(safe("accept", "application/json, text/*"));
        assert!(!safe("accept", "a(b)"));
        assert!(safe("Accept-Language", "en-US,en;q=0.9"));
        assert!(!safe("Accept-Language", "en_US"));
        assert!(safe("Content-Type", "text/plain;charset=utf-8"));
        assert!(safe("Content-Type", "text/plain;garbage"));
        assert!(!safe("Content-Type", "application/json"));
        assert!(!safe("Content-Type", "text/plain, application/json"));
        assert!(!safe("Content-Type", "text/plain\u{1}"));
        assert!(safe("Range", "bytes=0-"));
        assert!(!safe("Range", "bytes=-500"));
        assert!(!safe("X-Custom", "1"));
        assert!(!safe("dpr", "2"));
        assert!(is_cors_safelisted_request_header(
            "dpr",
            "2",
            &Profile::CHROMIUM
        ));
        assert!(safe("Accept", "caf\u{e9}/x"));
        assert!(!is_cors_safelisted_request_header(
            "Accept",
            "caf\u{e9}/x",
            &Profile::FIREFOX
        ));
    }

    #[test]
    fn unsafe_names_sorted_lowercase_deduplicated() {
        let headers: HeaderList = [("X-B", "1"), ("x-a", "2"), ("X-B", "3"), ("Accept", "*/*")]
            .into_iter()
            .collect();
        assert_eq!(
            cors_unsafe_request_header_names(&headers, &Profile::SPEC),
            ["x-a", "x-b"]
        );
    }

    #[test]
    fn total_size_limit() {
        let v = "a".repeat(128);
        let exactly: HeaderList = (0..8).map(|_| ("Accept", v.clone())).collect();
        assert!(cors_unsafe_request_header_names(&exactly, &Profile::SPEC).is_empty());
        let mut over = exactly;
        over.append("Content-Language", "a");
        assert_eq!(
            cors_unsafe_request_header_names(&over, &Profile::SPEC),
            ["accept".to_string(), "content-language".to_string()]
        );
    }
}
