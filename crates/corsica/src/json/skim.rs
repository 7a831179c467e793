//! Skipping a plain value in one pass: the fast path of [`Reader::skip`], for the scenarios'
//! `expected` field (compact JSON the engine reads only to forget).
//!
//! [`Reader::skip`]: super::reader::Reader::skip

use super::plain_run;

/// The deepest nesting followed here (one bit of a `u64` per container open).
const MAX_DEPTH: u32 = 64;

/// The end of the value that starts at `at` (after any whitespace), if it is plain: strings
/// without `\u` escapes, integers without a fraction or an exponent, `true`, `false`, `null`,
/// and arrays and objects of them at most [`MAX_DEPTH`] deep. `None` for anything else (a
/// value that is not plain, or not JSON): then the reader's own skip reads it, and names the
/// problem if there is one. Whatever this accepts, the reader's skip accepts too and ends at
/// the same place; that is the whole contract (the tests hold the two together).
pub(super) fn plain_value_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    // The containers open, innermost in the lowest bit: 1 for an object.
    let mut open = 0u64;
    let mut depth = 0;
    loop {
        // A value.
        at = after_whitespace(bytes, at);
        match *bytes.get(at)? {
            open_bracket @ (b'[' | b'{') => {
                let in_object = open_bracket == b'{';
                at = after_whitespace(bytes, at + 1);
                if bytes.get(at) == Some(if in_object { &b'}' } else { &b']' }) {
                    at += 1;
                } else {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                    open = open << 1 | u64::from(in_object);
                    if in_object {
                        at = key_end(bytes, at)?;
                    }
                    continue;
                }
            }
            b'"' => at = string_end(bytes, at)?,
            b'-' | b'0'..=b'9' => at = integer_end(bytes, at)?,
            b't' if bytes[at..].starts_with(b"true") => at += 4,
            b'f' if bytes[at..].starts_with(b"false") => at += 5,
            b'n' if bytes[at..].starts_with(b"null") => at += 4,
            _ => return None,
        }
        // What follows it, closing containers.
        loop {
            if depth == 0 {
                return Some(at);
            }
            at = after_whitespace(bytes, at);
            let in_object = open & 1 == 1;
            match *bytes.get(at)? {
                b',' => {
                    at += 1;
                    if in_object {
                        at = key_end(bytes, after_whitespace(bytes, at))?;
                    }
                    break;
                }
                b'}' if in_object => {}
                b']' if !in_object => {}
                _ => return None,
            }
            at += 1;
            depth -= 1;
            open >>= 1;
        }
    }
}

/// The first byte from `at` that is not whitespace (or the end).
#[inline(always)]
fn after_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(at) {
        at += 1;
    }
    at
}

/// The end of an object's key that starts at `at` and of the `:` after it.
#[inline(always)]
fn key_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let at = after_whitespace(bytes, string_end(bytes, at)?);
    (bytes.get(at) == Some(&b':')).then_some(at + 1)
}

/// The end of the string whose `"` is at `at`, if its escapes are all one character long.
#[inline(always)]
fn string_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        at = plain_run(bytes, at);
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\'
                if matches!(
                    bytes.get(at + 1),
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't')
                ) =>
            {
                at += 2;
            }
            _ => return None,
        }
    }
}

/// The end of the integer that starts at `at` (`-` or a digit), if nothing of a number
/// follows it (a fraction or an exponent); `None` too when no integer starts there.
pub(super) fn integer_end(bytes: &[u8], at: usize) -> Option<usize> {
    let digits_at = at + usize::from(bytes[at] == b'-');
    let digits = bytes[digits_at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || (digits > 1 && bytes[digits_at] == b'0') {
        return None;
    }
    let end = digits_at + digits;
    match bytes.get(end) {
        Some(b'.' | b'e' | b'E') => None,
        _ => Some(end),
    }
}
