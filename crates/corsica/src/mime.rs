//! The essence of a MIME type, as [parse a MIME type](https://mimesniff.spec.whatwg.org/#parse-a-mime-type)
//! finds it.
//!
//! Only the type and subtype can make the parse fail; parameters never do (invalid ones are
//! skipped). So the CORS-safelisted `Content-Type` decision needs only the essence, found here
//! without allocating. `data-url`'s full parser is the differential oracle in the tests.

use crate::header::is_http_whitespace;
use crate::header::name::is_token_char;

/// The essence (`type/subtype`) of `input`, lowercased into `buf`, or `None` when
/// [parse a MIME type](https://mimesniff.spec.whatwg.org/#parse-a-mime-type) returns failure.
///
/// `buf` must hold at least `input.len()` bytes; the returned slice borrows it.
pub fn essence<'b>(input: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    // Step 1. Remove any leading and trailing HTTP whitespace from input.
    let input = input.trim_matches(is_http_whitespace);
    // Step 2-4. Collect code points that are not U+002F (/): type. If type is the empty string
    // or does not solely contain HTTP token code points, return failure. If position is past the
    // end of input, return failure.
    let slash = input.find('/')?;
    let type_ = &input[..slash];
    if !is_token_str(type_) {
        return None;
    }
    // Step 5-7. Advance past U+002F (/). Collect code points that are not U+003B (;): subtype.
    // Remove any trailing HTTP whitespace from subtype. If subtype is the empty string or does
    // not solely contain HTTP token code points, return failure.
    let rest = &input[slash + 1..];
    let subtype = rest
        .split(';')
        .next()
        .unwrap_or("")
        .trim_end_matches(is_http_whitespace);
    if !is_token_str(subtype) {
        return None;
    }
    // Step 8. Let mimeType be a new MIME type record whose type is type, in ASCII lowercase, and
    // whose subtype is subtype, in ASCII lowercase.
    let len = type_.len() + 1 + subtype.len();
    let out = buf.get_mut(..len)?;
    out[..type_.len()].copy_from_slice(type_.as_bytes());
    out[type_.len()] = b'/';
    out[type_.len() + 1..].copy_from_slice(subtype.as_bytes());
    out.make_ascii_lowercase();
    // Steps 9-12 parse parameters, which cannot fail.
    core::str::from_utf8(out).ok()
}

fn is_token_str(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    fn check(input: &str) -> Option<alloc::string::String> {
        let mut buf = [0u8; 256];
        essence(input, &mut buf).map(alloc::string::String::from)
    }

    #[test]
    fn essences() {
        assert_eq!(check("text/plain").as_deref(), Some("text/plain"));
        assert_eq!(
            check(" Text/PLAIN ;charset=utf-8").as_deref(),
            Some("text/plain")
        );
        assert_eq!(check("text/plain;garbage").as_deref(), Some("text/plain"));
        assert_eq!(check("text/plain, application/json"), None);
        assert_eq!(check("text/"), None);
        assert_eq!(check("/plain"), None);
        assert_eq!(check("text"), None);
        assert_eq!(check("text/plain \t;x"), Some("text/plain".into()));
    }

    #[test]
    fn agrees_with_data_url() {
        let inputs = [
            "text/plain",
            "TEXT/html;charset=gbk",
            "text/plain, application/json",
            "a/b/c",
            "ü/x",
            "text /plain",
            "text/ plain",
            "multipart/form-data; boundary=x",
            "x/y;",
            ";",
            "",
            "application/x-www-form-urlencoded\u{b}",
            "text/plain\u{a0}",
        ];
        for input in inputs {
            let ours = check(input);
            let theirs = data_url::mime::Mime::from_str(input)
                .ok()
                .map(|m| alloc::format!("{}/{}", m.type_, m.subtype));
            assert_eq!(ours, theirs, "{input:?}");
        }
    }
}
