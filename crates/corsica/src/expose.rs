//! The [CORS-exposed header-name list](https://fetch.spec.whatwg.org/#concept-response-cors-exposed-header-name-list)
//! and the [filtered responses](https://fetch.spec.whatwg.org/#concept-filtered-response) script
//! sees.

use alloc::string::String;
use alloc::vec::Vec;

use crate::header::HeaderList;
use crate::header::list_values::{ListValues, extract_tokens};
use crate::header::name::eq_ignore_case;
use crate::header::name::is_forbidden_response_header_name;
use crate::header::safelist::is_always_safelisted_response_header_name;
use crate::header::tokens::Tokens;

/// `Access-Control-Expose-Headers`.
pub const ACEH: &str = "Access-Control-Expose-Headers";

/// Which header names a CORS response exposes beyond the seven safelisted ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exposed<'a> {
    /// Every name (`*` without credentials).
    All,
    /// The listed names (may be empty).
    Names(Tokens<'a>),
}

/// Main fetch step 14.2: the CORS-exposed header-name list of `headers`.
pub fn cors_exposed_header_names(headers: &HeaderList, include_credentials: bool) -> Exposed<'_> {
    // 1. Let headerNames be the result of extracting header list values given
    //    `Access-Control-Expose-Headers` and response's header list.
    match extract_tokens(headers, ACEH) {
        // 2. If request's credentials mode is not "include" and headerNames contains `*`, then
        //    set response's CORS-exposed header-name list to all unique header names.
        ListValues::Valid(names) => {
            if !include_credentials && names.contains(&"*") {
                Exposed::All
            } else {
                Exposed::Names(names)
            }
        }
        // 3. Otherwise, if headerNames is non-null and non-failure, set the list to headerNames.
        // (Null or failure: the list stays empty.)
        ListValues::Absent | ListValues::Invalid(_) => Exposed::Names(Tokens::new()),
    }
}

/// The headers of a [CORS filtered response](https://fetch.spec.whatwg.org/#concept-filtered-response-cors):
/// those whose name is a [CORS-safelisted response-header name](https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name)
/// given the exposed list. `Set-Cookie` never is.
pub fn cors_filtered_headers(headers: &HeaderList, include_credentials: bool) -> HeaderList {
    let exposed = cors_exposed_header_names(headers, include_credentials);
    let visible = |name: &str| {
        !is_forbidden_response_header_name(name)
            && (is_always_safelisted_response_header_name(name)
                || match &exposed {
                    Exposed::All => true,
                    Exposed::Names(names) => names.iter().any(|n| eq_ignore_case(n, name)),
                })
    };
    // (Room for every header up front: a list collected from a filter grows from empty.)
    let mut filtered = Vec::with_capacity(headers.len());
    filtered.extend(headers.iter().filter(|h| visible(&h.name)).cloned());
    HeaderList::from(filtered)
}

/// The headers of a [basic filtered response](https://fetch.spec.whatwg.org/#concept-filtered-response-basic):
/// all but the forbidden response-header names.
pub fn basic_filtered_headers(headers: &HeaderList) -> HeaderList {
    headers
        .iter()
        .filter(|h| !is_forbidden_response_header_name(&h.name))
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect::<HeaderList>()
}

/// The names as script sees them (`response.headers` lowercases and combines them): used by
/// tests and summaries.
pub fn visible_names(headers: &HeaderList) -> Vec<String> {
    let mut names: Vec<String> = headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(extra: &[(&str, &str)]) -> HeaderList {
        let mut list: HeaderList = [
            ("Content-Type", "text/plain"),
            ("X-Custom", "1"),
            ("Set-Cookie", "a=b"),
            ("X-Other", "2"),
        ]
        .into_iter()
        .collect();
        for (n, v) in extra {
            list.append(*n, *v);
        }
        list
    }

    #[test]
    fn exposure() {
        assert_eq!(
            visible_names(&cors_filtered_headers(&response(&[]), false)),
            ["content-type"]
        );
        assert_eq!(
            visible_names(&cors_filtered_headers(
                &response(&[(ACEH, "x-custom")]),
                false
            )),
            ["content-type", "x-custom"]
        );
        assert_eq!(
            visible_names(&cors_filtered_headers(&response(&[(ACEH, "*")]), false)),
            [
                "access-control-expose-headers",
                "content-type",
                "x-custom",
                "x-other"
            ]
        );
        assert_eq!(
            visible_names(&cors_filtered_headers(&response(&[(ACEH, "*")]), true)),
            ["content-type"]
        );
        assert_eq!(
            visible_names(&cors_filtered_headers(
                &response(&[(ACEH, "Set-Cookie")]),
                false
            )),
            ["content-type"]
        );
        assert_eq!(
            visible_names(&cors_filtered_headers(&response(&[(ACEH, "a b")]), false)),
            ["content-type"]
        );
        assert_eq!(
            visible_names(&basic_filtered_headers(&response(&[]))),
            ["content-type", "x-custom", "x-other"]
        );
    }
}
