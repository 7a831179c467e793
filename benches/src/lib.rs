//! Shared fixtures for the benchmarks: the requests and answers each group measures.

use corsica::{Origin, Request, RequestInit, Response};

/// The page's origin in every fixture.
pub const ORIGIN: &str = "https://app.example";

/// A preflighted, credentialed `PUT` with three headers: the headline case.
pub fn put_with_three_headers() -> Request {
    let origin = Origin::parse(ORIGIN).expect("a serialized origin");
    let mut init = RequestInit::new(
        origin,
        "https://api.example/v1/items/7".parse().expect("a URL"),
    );
    init.method = "PUT".into();
    init.credentials = corsica::CredentialsMode::Include;
    init.headers = vec![
        ("Content-Type".into(), "application/json".into()),
        ("Authorization".into(), "Bearer abc.def.ghi".into()),
        ("X-Request-Id".into(), "7f3a".into()),
    ];
    Request::new(init).expect("fetch() accepts it")
}

/// The server's answer to the preflight of [`put_with_three_headers`].
pub fn preflight_answer() -> Response {
    Response::with_headers(
        204,
        [
            ("Access-Control-Allow-Origin", ORIGIN),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "GET, PUT, DELETE"),
            (
                "Access-Control-Allow-Headers",
                "authorization, content-type, x-request-id",
            ),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"),
        ],
    )
}

/// The server's answer to the `PUT` itself.
pub fn actual_answer() -> Response {
    Response::with_headers(
        200,
        [
            ("Access-Control-Allow-Origin", ORIGIN),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "x-request-id"),
            ("Content-Type", "application/json"),
            ("X-Request-Id", "7f3a"),
            ("Set-Cookie", "a=b"),
        ],
    )
}
