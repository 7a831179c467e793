//! [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#concept-http-redirect-fetch): the
//! location URL and what a redirect does to the request.

use crate::url::Url;

use crate::header::HeaderList;
use crate::header::name::is_request_body_header_name;

/// The most redirects followed; the 21st is a network error.
pub const MAX_REDIRECTS: u8 = 20;

/// The response's [location URL](https://fetch.spec.whatwg.org/#concept-response-location-url).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// No `Location` header: the 3xx response is the final response.
    None,
    /// `Location` does not parse, or there is more than one.
    Failure,
    /// The URL to go to.
    Url(Url),
}

/// The [location URL](https://fetch.spec.whatwg.org/#concept-response-location-url) of a
/// response to `current`.
pub fn location_url(headers: &HeaderList, current: &Url) -> Location {
    // 2. Let location be the result of extracting header list values given `Location` (its ABNF
    //    allows one header only).
    let mut values = headers.values("location");
    let Some(location) = values.next() else {
        return Location::None;
    };
    if values.next().is_some() {
        return Location::Failure;
    }
    // 3. If location is a header value, then set location to the result of parsing location with
    //    response's URL.
    let Ok(mut url) = current.join(location) else {
        return Location::Failure;
    };
    // 4. If location is a URL whose fragment is null, then set location's fragment to
    //    requestFragment.
    if url.fragment().is_none() {
        url.set_fragment(current.fragment());
    }
    Location::Url(url)
}

/// Whether `url` [includes credentials](https://url.spec.whatwg.org/#include-credentials).
pub fn includes_credentials(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// Step 12: whether a redirect with `status` turns `method` into `GET` (deleting the
/// request-body headers).
pub fn rewrites_to_get(status: u16, method: &str) -> bool {
    // If one of the following is true: internalResponse's status is 301 or 302 and request's
    // method is `POST`; internalResponse's status is 303 and request's method is not `GET` or
    // `HEAD`.
    (matches!(status, 301 | 302) && method == "POST")
        || (status == 303 && !matches!(method, "GET" | "HEAD"))
}

/// Step 12's header part: for each headerName of request-body-header name, delete headerName
/// from request's header list.
pub fn delete_request_body_headers(headers: &mut HeaderList) {
    headers.retain(|h| !is_request_body_header_name(&h.name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_rewrite() {
        assert!(rewrites_to_get(301, "POST"));
        assert!(!rewrites_to_get(301, "PUT"));
        assert!(rewrites_to_get(303, "PUT"));
        assert!(!rewrites_to_get(303, "HEAD"));
        assert!(!rewrites_to_get(307, "POST"));
    }

    #[test]
    fn locations() {
        let base = Url::parse("https://a.example/x#frag").unwrap();
        let one: HeaderList = [("Location", "/y")].into_iter().collect();
        assert_eq!(
            location_url(&one, &base),
            Location::Url(Url::parse("https://a.example/y#frag").unwrap())
        );
        let two: HeaderList = [("Location", "/y"), ("location", "/z")]
            .into_iter()
            .collect();
        assert_eq!(location_url(&two, &base), Location::Failure);
        assert_eq!(location_url(&HeaderList::new(), &base), Location::None);
        let bad: HeaderList = [("Location", "http://[::1")].into_iter().collect();
        assert_eq!(location_url(&bad, &base), Location::Failure);
    }
}
