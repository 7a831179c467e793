//! [Parse a single range header value](https://fetch.spec.whatwg.org/#simple-range-header-value).

/// A parsed `Range` value: `(start, end)`, either of which may be absent (not both).
pub type ByteRange = (Option<u64>, Option<u64>);

/// [Parse a single range header value](https://fetch.spec.whatwg.org/#simple-range-header-value)
/// from `value`, with `allow_whitespace` (the CORS safelist uses `false`).
pub fn parse_single_range(value: &str, allow_whitespace: bool) -> Option<ByteRange> {
    // Step 1-2. Let data be the isomorphic decoding of value. Let position be a position
    // variable for data, initially pointing at the 0th code point of data.
    let mut rest = value.as_bytes();
    // Step 3. If data does not start with "bytes", then return failure. (Case-sensitive.)
    rest = rest.strip_prefix(b"bytes")?;
    let skip_ws = |r: &mut &[u8]| {
        if allow_whitespace {
            while let [b'\t' | b' ', tail @ ..] = *r {
                *r = tail;
            }
        }
    };
    // Step 5-6. If allowWhitespace is true, collect HTTP tab or space. If the code point at
    // position is not U+003D (=), return failure; advance.
    skip_ws(&mut rest);
    let [b'=', tail @ ..] = rest else { return None };
    rest = tail;
    skip_ws(&mut rest);
    // Step 7-8. Collect ASCII digits: rangeStart; rangeStartValue is null if it is empty.
    let start = take_digits(&mut rest);
    skip_ws(&mut rest);
    // Step 9-10. If the code point at position is not U+002D (-), return failure; advance.
    let [b'-', tail @ ..] = rest else { return None };
    rest = tail;
    skip_ws(&mut rest);
    // Step 11-12. Collect ASCII digits: rangeEnd; rangeEndValue is null if it is empty.
    let end = take_digits(&mut rest);
    // Step 13. If position is not past the end of data, return failure.
    if !rest.is_empty() {
        return None;
    }
    // Step 14-16. If both are null, or start > end, return failure.
    match (start, end) {
        (None, None) => None,
        (Some(s), Some(e)) if s > e => None,
        range => Some(range),
    }
}

fn take_digits(rest: &mut &[u8]) -> Option<u64> {
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let digits = core::str::from_utf8(&rest[..n]).ok()?;
    *rest = &rest[n..];
    Some(crate::header::list_values::parse_saturating(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_single_range("bytes=0-", false), Some((Some(0), None)));
        assert_eq!(
            parse_single_range("bytes=10-20", false),
            Some((Some(10), Some(20)))
        );
        assert_eq!(
            parse_single_range("bytes=-500", false),
            Some((None, Some(500)))
        );
        assert_eq!(parse_single_range("bytes=20-10", false), None);
        assert_eq!(parse_single_range("bytes = 0-", false), None);
        assert_eq!(
            parse_single_range("bytes = 0-", true),
            Some((Some(0), None))
        );
        assert_eq!(parse_single_range("bytes=-", false), None);
        assert_eq!(parse_single_range("bytes=0-1,2-3", false), None);
        assert_eq!(parse_single_range("Bytes=0-1", false), None);
        assert_eq!(parse_single_range("items=0-1", false), None);
    }
}
