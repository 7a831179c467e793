//! Conversions with the [`http`] crate (feature `http`): drive a [`Fetch`](crate::Fetch) against
//! anything that speaks `http::Request` and `http::Response`, such as a `tower::Service`.
//!
//! Header values are bytes in `http` and isomorphic-decoded strings in corsica: each byte
//! becomes the code point of the same number, so nothing is lost either way.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use smol_str::SmolStr;

use crate::fetch::SentRequest;
use crate::header::HeaderList;
use crate::response::Response;

/// A header value the `http` crate refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidHeader {
    /// The header's name.
    pub name: String,
}

impl core::fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "the header {} cannot be carried by the http crate",
            self.name
        )
    }
}

impl core::error::Error for InvalidHeader {}

/// [Isomorphic decode](https://infra.spec.whatwg.org/#isomorphic-decode) bytes.
fn isomorphic_decode(bytes: &[u8]) -> SmolStr {
    match core::str::from_utf8(bytes) {
        // ASCII is its own isomorphic decoding.
        Ok(ascii) if bytes.is_ascii() => SmolStr::new(ascii),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// [Isomorphic encode](https://infra.spec.whatwg.org/#isomorphic-encode) a string whose code
/// points are all at most U+00FF; `None` otherwise.
fn isomorphic_encode(s: &str) -> Option<Cow<'_, [u8]>> {
    if s.is_ascii() {
        return Some(Cow::Borrowed(s.as_bytes()));
    }
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<Vec<u8>>>()
        .map(Cow::Owned)
}

/// The header list of an `http` header map, in its iteration order (duplicates kept).
pub fn header_list(map: &http::HeaderMap) -> HeaderList {
    map.iter()
        .map(|(name, value)| (name.as_str(), isomorphic_decode(value.as_bytes())))
        .collect()
}

/// An `http` header map holding `list`.
pub fn header_map(list: &HeaderList) -> Result<http::HeaderMap, InvalidHeader> {
    let mut map = http::HeaderMap::with_capacity(list.len());
    for header in list {
        let invalid = || InvalidHeader {
            name: String::from(header.name.as_str()),
        };
        let name = http::HeaderName::from_bytes(header.name.as_bytes()).map_err(|_| invalid())?;
        let bytes = isomorphic_encode(&header.value).ok_or_else(invalid)?;
        let value = http::HeaderValue::from_bytes(&bytes).map_err(|_| invalid())?;
        map.append(name, value);
    }
    Ok(map)
}

/// The response an `http` response carries (its body is not needed).
pub fn response<B>(response: &http::Response<B>) -> Response {
    Response::with_header_list(response.status().as_u16(), header_list(response.headers()))
}

/// The `http` request for what the browser sends (its body, or an empty one).
pub fn request(sent: &SentRequest) -> Result<http::Request<String>, InvalidHeader> {
    let method = http::Method::from_bytes(sent.method.as_bytes()).map_err(|_| InvalidHeader {
        name: String::from(":method"),
    })?;
    let mut builder = http::Request::builder()
        .method(method)
        .uri(sent.url.as_str());
    if let Some(headers) = builder.headers_mut() {
        *headers = header_map(&sent.headers)?;
    }
    builder
        .body(sent.body.clone().unwrap_or_default())
        .map_err(|_| InvalidHeader {
            name: String::from(":uri"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::ExchangeKind;

    #[test]
    fn round_trip_keeps_bytes_and_duplicates() {
        let mut map = http::HeaderMap::new();
        map.append(
            "access-control-allow-origin",
            http::HeaderValue::from_static("https://a.example"),
        );
        map.append(
            "access-control-allow-origin",
            http::HeaderValue::from_static("https://b.example"),
        );
        map.append(
            "x-latin",
            http::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        let list = header_list(&map);
        assert_eq!(
            list.get("Access-Control-Allow-Origin").as_deref(),
            Some("https://a.example, https://b.example")
        );
        assert_eq!(list.get("x-latin").as_deref(), Some("caf\u{e9}"));
        let back = header_map(&list).unwrap();
        assert_eq!(back, map);
    }

    #[test]
    fn requests_and_responses() {
        let sent = SentRequest {
            kind: ExchangeKind::Preflight,
            method: "OPTIONS".into(),
            url: crate::url::Url::parse("https://api.example/x?y=1").unwrap(),
            headers: [
                ("Origin", "https://app.example"),
                ("Access-Control-Request-Method", "PUT"),
            ]
            .into_iter()
            .collect(),
            credentials: false,
            body: None,
        };
        let request = request(&sent).unwrap();
        assert_eq!(request.method(), http::Method::OPTIONS);
        assert_eq!(request.uri(), "https://api.example/x?y=1");
        assert_eq!(request.headers()["access-control-request-method"], "PUT");

        let answer = http::Response::builder()
            .status(204)
            .header("Access-Control-Allow-Origin", " * ")
            .body(())
            .unwrap();
        let response = response(&answer);
        assert_eq!(response.status, 204);
        assert_eq!(
            response
                .headers
                .get("access-control-allow-origin")
                .as_deref(),
            Some("*")
        );

        let bad = HeaderList::from_iter([("X", "\u{100}")]);
        assert_eq!(
            header_map(&bad),
            Err(InvalidHeader {
                name: String::from("X")
            })
        );
    }
}
