//! Shared fixtures for the benchmarks: the requests and answers each group measures.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use corsica::{Origin, Request, RequestInit, Response};
use corsica_conformance::{InProcess, Policy, Server};
use http::{Method, header};
use tower_http::cors::CorsLayer;

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

/// The conformance fixture: a policy, and an axum app whose tower-http `CorsLayer` follows it,
/// called in-process for `https://api.example/api/data`.
pub fn tower_conformance_target() -> (Policy, Server<InProcess<Router>>) {
    let policy = Policy::from_toml(
        r#"
        origins = ["https://app.example"]
        methods = ["GET", "PUT", "DELETE"]
        headers = ["content-type", "authorization"]
        credentials = true
        max_age = 600
        "#,
    )
    .expect("a valid policy");
    let layer = CorsLayer::new()
        .allow_origin(["https://app.example".parse().expect("an origin")])
        .allow_methods([Method::GET, Method::PUT, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let app = Router::new()
        .route("/api/data", get(|| async { "{}" }).put(|| async { "{}" }))
        .layer(layer);
    let server = Server::in_process("https://api.example/api/data".parse().expect("a URL"), app);
    (policy, server)
}
