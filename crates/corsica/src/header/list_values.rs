//! [Extract header list values](https://fetch.spec.whatwg.org/#extract-header-list-values) for
//! the comma-separated CORS response headers, and
//! [get, decode, and split](https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split).

use super::{HeaderList, trim_tab_or_space};
use crate::header::name::{eq_ignore_case, token_run_end};
use crate::header::tokens::Tokens;

/// The result of extracting a `#token` list header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListValues<'a> {
    /// The header is absent (null).
    Absent,
    /// An element is not a token (failure); the first such element.
    Invalid(&'a str),
    /// Every element, in order (each a token).
    Valid(Tokens<'a>),
}

/// [Extract header list values](https://fetch.spec.whatwg.org/#extract-header-list-values) for a
/// header whose ABNF is `#token` (`Access-Control-Allow-Methods` is `#method`,
/// `Access-Control-Allow-Headers` and `Access-Control-Expose-Headers` are `#field-name`), in one
/// pass over the header list.
pub fn extract_tokens<'a>(list: &'a HeaderList, name: &str) -> ListValues<'a> {
    let mut found = false;
    let mut tokens = Tokens::new();
    // Step 1. If list does not contain name, then return null.
    // Step 2-3. For each value of the name (the ABNF allows several headers): parse it; on
    // failure, return failure. Return the values, concatenated.
    for header in list.iter().filter(|h| eq_ignore_case(&h.name, name)) {
        found = true;
        if let Err(bad) = push_tokens(&header.value, &mut tokens) {
            return ListValues::Invalid(bad);
        }
    }
    if found {
        ListValues::Valid(tokens)
    } else {
        ListValues::Absent
    }
}

/// Parses a `#token` list value in one pass: its elements are split on every comma (tokens
/// hold no quotes) and trimmed of tab and space; empty ones are skipped, the others pushed.
/// Fails with the first element, trimmed, that is not a token.
fn push_tokens<'a>(value: &'a str, tokens: &mut Tokens<'a>) -> Result<(), &'a str> {
    let bytes = value.as_bytes();
    let skip_tab_or_space = |mut at: usize| {
        while bytes.get(at).is_some_and(|&b| matches!(b, b'\t' | b' ')) {
            at += 1;
        }
        at
    };
    let mut element_start = 0;
    loop {
        let start = skip_tab_or_space(element_start);
        let end = token_run_end(bytes, start);
        let after = skip_tab_or_space(end);
        match bytes.get(after) {
            // The element ends here: a token, or empty.
            None | Some(b',') => {
                if end > start {
                    tokens.push(&value[start..end]);
                }
                if after == bytes.len() {
                    return Ok(());
                }
                element_start = after + 1;
            }
            // Anything else (another byte, or tab or space inside) makes the element no token.
            Some(_) => {
                let element_end = bytes[after..]
                    .iter()
                    .position(|&b| b == b',')
                    .map_or(bytes.len(), |comma| after + comma);
                return Err(trim_tab_or_space(&value[element_start..element_end]));
            }
        }
    }
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
    use alloc::vec::Vec;

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
            ListValues::Valid(["PUT", "patch", "DELETE"].into_iter().collect())
        );
    }

    #[test]
    fn tokens_past_the_inline_ones_move_to_the_heap() {
        let l = list(&["a, b, c", "d, e, f, g, h, i"]);
        let ListValues::Valid(tokens) = extract_tokens(&l, "access-control-allow-methods") else {
            panic!("a valid list");
        };
        let expected = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        assert_eq!(tokens.as_slice(), expected);
        assert_eq!(tokens.clone().into_iter().collect::<Vec<_>>(), expected);
        assert_eq!(tokens, expected.into_iter().collect());
        assert_eq!(alloc::format!("{tokens:?}"), alloc::format!("{expected:?}"));
        assert_eq!(Tokens::default().len(), 0);
    }

    #[test]
    fn one_pass_parse_agrees_with_split_trim_and_check() {
        // The definition: split on commas, trim tab and space, skip empty elements, and fail
        // on the first that is not a token.
        fn reference(value: &str) -> Result<Vec<&str>, &str> {
            let mut tokens = Vec::new();
            for element in value.split(',').map(trim_tab_or_space) {
                if element.is_empty() {
                    continue;
                }
                if !crate::header::name::is_token(element) {
                    return Err(element);
                }
                tokens.push(element);
            }
            Ok(tokens)
        }
        let alphabet = ["a", "B", ",", " ", "\t", "\"", "\u{e9}", "\r"];
        // Every value of up to five of these characters.
        let mut values = alloc::vec![alloc::string::String::new()];
        let mut last = values.clone();
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|v| alphabet.iter().map(move |c| alloc::format!("{v}{c}")))
                .collect();
            values.extend(last.iter().cloned());
        }
        for value in &values {
            let mut tokens = Tokens::new();
            let parsed = push_tokens(value, &mut tokens).map(|()| tokens.to_vec());
            assert_eq!(parsed, reference(value), "{value:?}");
        }
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
