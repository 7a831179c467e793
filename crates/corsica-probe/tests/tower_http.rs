//! tower-http's `CorsLayer` in an axum app, served in-process on 127.0.0.1: correct
//! configurations pass the audit; `mirror_request` with credentials and `Any` headers relied on
//! for `Authorization` are found.

mod support;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use corsica::Url;
use http::{Method, header};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use support::{PAGE, audit_url, patterns};

/// Serves an app with `layer` on 127.0.0.1; the server stops when the task is aborted.
async fn serve(layer: CorsLayer) -> (Url, tokio::task::JoinHandle<()>) {
    async fn data() -> &'static str {
        r#"{"items":[1,2,3]}"#
    }
    let app = Router::new()
        .route("/api/data", get(data).put(data).post(data).delete(data))
        .layer(layer);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (
        Url::parse(&format!("http://{address}/api/data")).expect("a URL"),
        task,
    )
}

fn methods() -> [Method; 4] {
    [Method::GET, Method::POST, Method::PUT, Method::DELETE]
}

#[tokio::test]
async fn a_correct_layer_passes() {
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::list([PAGE.parse().unwrap()]))
        .allow_methods(methods())
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let (url, server) = serve(layer).await;
    let report = audit_url(url).await;
    server.abort();
    assert_eq!(patterns(&report), Vec::<u8>::new(), "{}", report.to_text());
}

#[tokio::test]
async fn a_correct_layer_without_credentials_passes() {
    let layer = CorsLayer::new()
        .allow_origin([PAGE.parse().unwrap()])
        .allow_methods(methods())
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .max_age(Duration::from_secs(600));
    let (url, server) = serve(layer).await;
    let report = audit_url(url).await;
    server.abort();
    assert_eq!(patterns(&report), Vec::<u8>::new(), "{}", report.to_text());
}

#[tokio::test]
async fn mirror_request_with_credentials_is_found() {
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(methods())
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let (url, server) = serve(layer).await;
    let report = audit_url(url).await;
    server.abort();
    let reflection = report
        .findings()
        .find(|f| f.pattern == 1)
        .unwrap_or_else(|| panic!("no reflection finding:\n{}", report.to_text()));
    assert!(reflection.is_exploitable());
    assert_eq!(reflection.allowed_under.len(), 4, "{}", report.to_text());
    assert!(report.has_security_finding());
}

#[tokio::test]
async fn any_headers_with_authorization_is_found() {
    let layer = CorsLayer::new()
        .allow_origin([PAGE.parse().unwrap()])
        .allow_methods(methods())
        .allow_headers(Any)
        .max_age(Duration::from_secs(600));
    let (url, server) = serve(layer).await;
    let report = audit_url(url).await;
    server.abort();
    assert_eq!(patterns(&report), vec![28], "{}", report.to_text());
    let finding = report.findings().next().unwrap();
    // Browsers tolerate it; the standard does not.
    assert!(
        !finding
            .allowed_under
            .contains(&corsica::scenario::ProfileName::Spec)
    );
    assert!(
        finding
            .allowed_under
            .contains(&corsica::scenario::ProfileName::Chromium)
    );
}
