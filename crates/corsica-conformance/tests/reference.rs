//! No false alarms: a server that implements a policy exactly (written here from the policy
//! itself, as an axum fallback handler) conforms to it, for policies that use every key:
//! patterns, `null`, `*` origins, methods and headers, credentials, `expose`, `max_age`,
//! `private_network`.

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use corsica_conformance::{Config, Policy, Server, check_blocking};

/// The answer of a server that grants exactly what `policy` allows.
fn reference(policy: &Policy, request: &Request) -> Response {
    let headers = request.headers();
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = get("origin").filter(|o| policy.allows_origin(o));
    let preflight = request.method() == "OPTIONS" && get("access-control-request-method").is_some();
    let mut response = Response::builder()
        .status(if preflight { 204 } else { 200 })
        .header("Vary", "Origin");
    if let Some(origin) = origin {
        response = response.header("Access-Control-Allow-Origin", origin);
        if policy.credentials {
            response = response.header("Access-Control-Allow-Credentials", "true");
        }
        if preflight {
            // `Access-Control-Allow-Headers: *` would also grant `Authorization` in every browser
            // (not in the standard): an exact server lists what was asked for and is allowed.
            let allowed_headers = if policy.headers.iter().any(|h| h == "*") {
                get("access-control-request-headers")
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty() && policy.allows_header(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                policy.headers.join(", ")
            };
            response = response
                .header("Access-Control-Allow-Methods", policy.methods.join(", "))
                .header("Access-Control-Allow-Headers", allowed_headers);
            if let Some(max_age) = policy.max_age {
                response = response.header("Access-Control-Max-Age", max_age.to_string());
            }
            if policy.private_network && get("access-control-request-private-network").is_some() {
                response = response.header("Access-Control-Allow-Private-Network", "true");
            }
        } else if !policy.expose.is_empty() {
            response = response.header("Access-Control-Expose-Headers", policy.expose.join(", "));
        }
    }
    response
        .body(axum::body::Body::empty())
        .expect("a response")
}

fn conforms(policy_toml: &str, url: &str) {
    let policy = Policy::from_toml(policy_toml).expect("a valid policy");
    let shared = policy.clone();
    let app = Router::new().fallback(move |request: Request| {
        let response = reference(&shared, &request);
        async move { response }
    });
    let server = Server::in_process(url.parse().expect("a URL"), app);
    let config = Config {
        cases: 600,
        seed: 11,
        ..Config::default()
    };
    let report = check_blocking(&server, &policy, &config).expect("no network error in-process");
    assert!(
        report.conforms(),
        "{policy_toml}\n{:#?}",
        report.counterexample
    );
}

#[test]
fn exact_origins_with_credentials_expose_max_age_and_private_network() {
    conforms(
        r#"
        origins = ["https://app.example", "http://localhost:5173"]
        methods = ["PUT", "DELETE", "PATCH"]
        headers = ["content-type", "authorization", "x-requested-with"]
        credentials = true
        expose = ["x-request-id", "etag"]
        max_age = 600
        private_network = true
        "#,
        "https://api.example/v1/items",
    );
}

#[test]
fn patterns_and_null_without_credentials() {
    conforms(
        r#"
        origins = ["https://*.example.com", "null"]
        methods = ["GET", "PUT"]
        headers = ["*"]
        credentials = false
        max_age = 30
        "#,
        "http://127.0.0.1:8080/data",
    );
}

#[test]
fn any_origin_any_method() {
    conforms(
        r#"
        origins = ["*"]
        methods = ["*"]
        headers = ["content-type"]
        credentials = false
        "#,
        "https://public.example/feed",
    );
}
