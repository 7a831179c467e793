//! The essence of a MIME type, as [parse a MIME type](https://mimesniff.spec.whatwg.org/#parse-a-mime-type)
//! finds it.
//!
//! Only the type and subtype can make the parse fail; parameters never do (invalid ones are
//! skipped). So the CORS-safelisted `Content-Type` decision needs only the essence, found here
//! without allocating. `data-url`'s full parser is the differential oracle in the tests.

use crate::header::name::token_run_end;
use crate::header::{is_http_whitespace, normalize_value};

/// The essence (`type/subtype`) of `input`, lowercased into `buf`, or `None` when
/// [parse a MIME type](https://mimesniff.spec.whatwg.org/#parse-a-mime-type) returns failure.
///
/// `buf` must hold at least `input.len()` bytes; the returned slice borrows it.
pub fn essence<'b>(input: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    // Step 1. Remove any leading and trailing HTTP whitespace from input. (The steps below
    // read bytes: what they look for is ASCII.)
    let input = normalize_value(input).as_bytes();
    // Step 2-4. Collect code points that are not U+002F (/): type. If type is the empty string
    // or does not solely contain HTTP token code points, return failure. If position is past the
    // end of input, return failure. (`/` is not a token code point: the type is the run of
    // token code points, and the code point after it must be `/`.)
    let slash = token_run_end(input, 0);
    if slash == 0 || input.get(slash) != Some(&b'/') {
        return None;
    }
    // Step 5-7. Advance past U+002F (/). Collect code points that are not U+003B (;): subtype.
    // Remove any trailing HTTP whitespace from subtype. If subtype is the empty string or does
    // not solely contain HTTP token code points, return failure. (So the subtype is a run of
    // token code points followed by nothing but HTTP whitespace up to `;` or the end.)
    let subtype_end = token_run_end(input, slash + 1);
    let after = &input[subtype_end..];
    let rest = after
        .iter()
        .position(|&b| !is_http_whitespace(char::from(b)));
    if subtype_end == slash + 1 || rest.is_some_and(|i| after[i] != b';') {
        return None;
    }
    // Step 8. Let mimeType be a new MIME type record whose type is type, in ASCII lowercase, and
    // whose subtype is subtype, in ASCII lowercase.
    let out = buf.get_mut(..subtype_end)?;
    out.copy_from_slice(&input[..subtype_end]);
    out.make_ascii_lowercase();
    // Steps 9-12 parse parameters, which cannot fail.
    core::str::from_utf8(out).ok()
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

    proptest::proptest! {
        /// Generated values against `data-url`'s full parser: shaped like a MIME type (optional
        /// whitespace, a type, `/`, a subtype, something after it, parameters), and free-form,
        /// from the characters that matter (token characters of both cases, `/`, `;`, `=`, `,`,
        /// quotes, every HTTP whitespace, non-ASCII ones).
        #[test]
        fn agrees_with_data_url_on_generated_values(
            input in proptest::prop_oneof![
                "[ \t\r\n]{0,2}[aZ0!.+é]{0,3}/?[aZ0!.+é]{0,3}[ \t,\"/é\u{a0}\u{b}]{0,2}(;[a=,\" ]{0,3})?[ \t\r\n]{0,2}",
                "[aZ0!.+/;=, \t\r\n\"\u{a0}\u{b}é]{0,12}",
            ]
        ) {
            let theirs = data_url::mime::Mime::from_str(&input)
                .ok()
                .map(|m| alloc::format!("{}/{}", m.type_, m.subtype));
            proptest::prop_assert_eq!(check(&input), theirs, "{:?}", input);
        }
    }
}
