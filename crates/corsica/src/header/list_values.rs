//! [Extract header list values](https://fetch.spec.whatwg.org/#extract-header-list-values) for
//! the comma-separated CORS response headers, and
//! [get, decode, and split](https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split).

use alloc::vec::Vec;

use super::{HeaderList, trim_tab_or_space};
use crate::header::name::is_token;

/// The result of extracting a `#token` list header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListValues<'a> {
    /// The header is absent (null).
    Absent,
    /// An element is not a token (failure); the first such element.
    Invalid(&'a str),
    /// Every element, in order (each a token).
    Valid(Vec<&'a str>),
}

/// [Extract header list values](https://fetch.spec.whatwg.org/#extract-header-list-values) for a
/// header whose ABNF is `#token` (`Access-Control-Allow-Methods` is `#method`,
/// `Access-Control-Allow-Headers` and `Access-Control-Expose-Headers` are `#field-name`), in one
/// pass over the header list.
pub fn extract_tokens<'a>(list: &'a HeaderList, name: &str) -> ListValues<'a> {
    let mut found = false;
    let mut tokens = Vec::new();
    // Step 1. If list does not contain name, then return null.
    // Step 2-3. For each value of the name (the ABNF allows several headers): parse it; on
    // failure, return failure. Return the values, concatenated.
    for header in list.iter().filter(|h| h.name.eq_ignore_ascii_case(name)) {
        found = true;
        for element in comma_separated(&header.value) {
            if element.is_empty() {
                continue;
            }
            if !is_token(element) {
                return ListValues::Invalid(element);
            }
            tokens.push(element);
        }
    }
    if found {
        ListValues::Valid(tokens)
    } else {
        ListValues::Absent
    }
}

/// The elements of a `#rule` list value: split on every comma (tokens hold no quotes), each
/// trimmed of tab and space; empty elements are kept for the caller to skip.
fn comma_separated(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(value);
    core::iter::from_fn(move || {
        let input = rest?;
        let (element, after) = match input.bytes().position(|b| b == b',') {
            Some(comma) => (&input[..comma], Some(&input[comma + 1..])),
            None => (input, None),
        };
        rest = after;
        Some(trim_tab_or_space(element))
    })
}

/// The result of extracting `Access-Control-Max-Age` (`delta-seconds`, a single header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeltaSeconds {
    /// Absent.
    Absent,
    /// Not `1*DIGIT`, or more than one header.
    Invalid,
    /// The value; saturates at `u64::MAX`.
    Valid(u64),
}

/// Extract `delta-seconds` from the single `name` header.
pub fn extract_delta_seconds(list: &HeaderList, name: &str) -> DeltaSeconds {
    let mut values = list.values(name);
    let Some(value) = values.next() else {
        return DeltaSeconds::Absent;
    };
    if values.next().is_some() || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return DeltaSeconds::Invalid;
    }
    DeltaSeconds::Valid(parse_saturating(value))
}

/// Parses ASCII digits, saturating at `u64::MAX`.
pub(crate) fn parse_saturating(digits: &str) -> u64 {
    digits.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// [Get, decode, and split](https://fetch.spec.whatwg.org/#header-value-get-decode-and-split) a
/// single value: split on commas outside HTTP quoted strings, trim tab and space; empty pieces
/// are kept.
pub fn split(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(value);
    core::iter::from_fn(move || {
        let input = rest?;
        let bytes = input.as_bytes();
        let mut i = 0;
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => quoted = !quoted,
                b'\\' if quoted => i += 1,
                b',' if !quoted => break,
                _ => {}
            }
            i += 1;
        }
        let end = i.min(bytes.len());
        let piece = &input[..end];
        rest = if end < bytes.len() {
            Some(&input[end + 1..])
        } else {
            None
        };
        Some(trim_tab_or_space(piece))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(values: &[&str]) -> HeaderList {
        values
            .iter()
            .map(|v| ("Access-Control-Allow-Methods", *v))
            .collect()
    }

    #[test]
    fn tokens_across_duplicates() {
        let l = list(&["PUT, ,patch", "  DELETE  "]);
        assert_eq!(
            extract_tokens(&l, "access-control-allow-methods"),
            ListValues::Valid(alloc::vec!["PUT", "patch", "DELETE"])
        );
    }

    #[test]
    fn non_tokens_fail() {
        let l = list(&["GET POST"]);
        assert!(matches!(
            extract_tokens(&l, "Access-Control-Allow-Methods"),
            ListValues::Invalid("GET POST")
        ));
        assert!(matches!(
            extract_tokens(&l, "Access-Control-Allow-Headers"),
            ListValues::Absent
        ));
    }

    #[test]
    fn delta_seconds() {
        let one = |v: &str| -> HeaderList { [("Access-Control-Max-Age", v)].into_iter().collect() };
        assert_eq!(
            extract_delta_seconds(&one("600"), "access-control-max-age"),
            DeltaSeconds::Valid(600)
        );
        assert_eq!(
            extract_delta_seconds(&one("-1"), "access-control-max-age"),
            DeltaSeconds::Invalid
        );
        assert_eq!(
            extract_delta_seconds(&one(""), "access-control-max-age"),
            DeltaSeconds::Invalid
        );
        assert_eq!(
            extract_delta_seconds(&one("99999999999999999999999"), "access-control-max-age"),
            DeltaSeconds::Valid(u64::MAX)
        );
        let two: HeaderList = [
            ("Access-Control-Max-Age", "1"),
            ("Access-Control-Max-Age", "2"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            extract_delta_seconds(&two, "access-control-max-age"),
            DeltaSeconds::Invalid
        );
    }

    #[test]
    fn split_respects_quotes() {
        assert_eq!(split("GET, trace").collect::<Vec<_>>(), ["GET", "trace"]);
        assert_eq!(split("\"a,b\", c").collect::<Vec<_>>(), ["\"a,b\"", "c"]);
        assert_eq!(split("a,,").collect::<Vec<_>>(), ["a", "", ""]);
        assert_eq!(split("").collect::<Vec<_>>(), [""]);
    }
}
