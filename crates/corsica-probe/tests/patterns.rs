//! One server per misconfiguration pattern, each a small variation of a correct API, served on
//! 127.0.0.1: the audit finds the pattern it shows and nothing else, and the correct API gets
//! no finding at all.

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use corsica::HeaderList;
use corsica::Url;
use corsica_probe::audit::{AuditOptions, AuditReport, audit};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use support::{PAGE, patterns, session};

/// What the test server sees of a request.
struct Seen {
    method: String,
    path: String,
    headers: HeaderList,
}

impl Seen {
    fn origin(&self) -> Option<String> {
        self.headers.get("origin").map(|o| o.into_owned())
    }

    fn preflight(&self) -> bool {
        self.method == "OPTIONS" && self.headers.contains("access-control-request-method")
    }
}

type Reply = (u16, Vec<(String, String)>);
type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// A correct API for `PAGE` at `/api/data` (404 elsewhere): allowlist, credentials, `Vary:
/// Origin` everywhere, preflights only with Access-Control-Request-Method, max-age 600.
fn correct(seen: &Seen) -> Reply {
    let status = if seen.preflight() || seen.method == "OPTIONS" {
        204
    } else if seen.path == "/api/data" {
        200
    } else {
        404
    };
    let mut headers = h(&[("Vary", "Origin"), ("Content-Type", "application/json")]);
    if seen.origin().as_deref() == Some(PAGE) {
        headers.extend(h(&[
            ("Access-Control-Allow-Origin", PAGE),
            ("Access-Control-Allow-Credentials", "true"),
        ]));
        if seen.preflight() {
            headers.extend(h(&[
                ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE"),
                (
                    "Access-Control-Allow-Headers",
                    "Content-Type, Authorization",
                ),
                ("Access-Control-Max-Age", "600"),
            ]));
        }
    }
    if seen.method == "OPTIONS" && !seen.preflight() {
        headers.push((String::from("Allow"), String::from("GET, OPTIONS")));
    }
    (status, headers)
}

/// `correct`, with the origin check replaced by `allowed`.
fn allowing(allowed: impl Fn(&str) -> bool + Send + Sync + 'static) -> Handler {
    Arc::new(move |seen: &Seen| {
        let origin = seen.origin();
        let mut reply = correct(&Seen {
            method: seen.method.clone(),
            path: seen.path.clone(),
            headers: HeaderList::new(),
        });
        if let Some(origin) = origin.filter(|o| allowed(o)) {
            reply.1.extend(h(&[
                ("Access-Control-Allow-Origin", &origin),
                ("Access-Control-Allow-Credentials", "true"),
            ]));
            if seen.preflight() {
                reply.1.extend(h(&[
                    ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE"),
                    (
                        "Access-Control-Allow-Headers",
                        "Content-Type, Authorization",
                    ),
                    ("Access-Control-Max-Age", "600"),
                ]));
            }
        }
        reply
    })
}

/// `correct`, then `change` applied to its reply.
fn changed(change: impl Fn(&Seen, &mut Reply) + Send + Sync + 'static) -> Handler {
    Arc::new(move |seen: &Seen| {
        let mut reply = correct(seen);
        change(seen, &mut reply);
        reply
    })
}

fn set(reply: &mut Reply, name: &str, value: Option<&str>) {
    reply.1.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(value) = value {
        reply.1.push((name.to_owned(), value.to_owned()));
    }
}

/// Serves `handler`; with `slow`, a long Origin takes 2.5 s (a backtracking origin matcher).
async fn serve(handler: Handler, slow: bool) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let handler = handler.clone();
                    async move {
                        let seen = Seen {
                            method: request.method().to_string(),
                            path: request.uri().path().to_owned(),
                            headers: corsica::http::header_list(request.headers()),
                        };
                        if slow && seen.origin().is_some_and(|o| o.len() > 150) {
                            tokio::time::sleep(Duration::from_millis(2500)).await;
                        }
                        let (status, headers) = handler(&seen);
                        let mut response = hyper::Response::builder().status(status);
                        for (name, value) in headers {
                            response = response.header(name, value);
                        }
                        Ok::<_, Infallible>(
                            response.body(Full::new(Bytes::from_static(b"{}"))).unwrap(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Url::parse(&format!("http://{address}/api/data")).unwrap()
}

async fn audit_with(handler: Handler, options: AuditOptions, slow: bool) -> AuditReport {
    let url = serve(handler, slow).await;
    let report = audit(Arc::new(session()), url, &options).await;
    assert!(report.error.is_none(), "{}", report.to_text());
    report
}

fn origins(list: &[&str]) -> AuditOptions {
    AuditOptions {
        origins: list.iter().map(|o| (*o).to_owned()).collect(),
        ..AuditOptions::default()
    }
}

async fn expect(
    name: &str,
    handler: Handler,
    options: AuditOptions,
    expected: &[u8],
) -> AuditReport {
    let report = audit_with(handler, options, name.contains("slow")).await;
    assert_eq!(patterns(&report), expected, "{name}:\n{}", report.to_text());
    report
}

#[tokio::test]
async fn origin_matching_mistakes() {
    let page = || origins(&[PAGE]);
    expect("correct", Arc::new(correct), page(), &[]).await;

    let app = "https://app.example.com";
    expect(
        "suffix",
        allowing(|o| o.ends_with("example.com")),
        origins(&[app]),
        &[6, 9, 11],
    )
    .await;
    expect(
        "prefix",
        allowing(move |o| o.starts_with("https://app.example.com")),
        origins(&[app]),
        &[5],
    )
    .await;
    expect(
        "alternation",
        allowing(|o| {
            o.starts_with("https://a.example.com") || o.ends_with("https://b.example.com")
        }),
        origins(&["https://a.example.com", "https://b.example.com"]),
        &[14],
    )
    .await;
    expect(
        "unescaped dot",
        allowing(|o| {
            o.len() == "https://app.example.com".len()
                && o.starts_with("https://app")
                && o.ends_with("example.com")
        }),
        origins(&[app]),
        &[7],
    )
    .await;
    expect(
        "substring",
        allowing(|o| "https://app.example.com".contains(o) && o.len() > 12),
        origins(&[app]),
        &[8],
    )
    .await;
    expect(
        "any port",
        allowing(|o| o.starts_with("http://localhost:")),
        page(),
        &[12],
    )
    .await;
    expect(
        "wildcard h*",
        allowing(|o| o.starts_with("http://l")),
        page(),
        &[3],
    )
    .await;
    expect(
        "shared hosting",
        allowing(|o| o == PAGE || o.ends_with(".github.io")),
        page(),
        &[10],
    )
    .await;
    expect("null", allowing(|o| o == PAGE || o == "null"), page(), &[4]).await;
    let report = expect(
        "underscore",
        allowing(|o| o == PAGE || o.contains("_.")),
        page(),
        &[13],
    )
    .await;
    assert!(report.findings().all(|f| f.is_exploitable()));
    // Case-insensitive matching: only an Origin no browser sends shows it, so a note.
    let report = expect(
        "case",
        allowing(|o| o.eq_ignore_ascii_case(PAGE)),
        page(),
        &[],
    )
    .await;
    assert!(
        report.notes().any(|n| n.pattern == 15),
        "{}",
        report.to_text()
    );
}

#[tokio::test]
async fn answer_mistakes() {
    let page = || origins(&[PAGE]);
    expect(
        "several values",
        changed(|seen, r| {
            if seen.origin().as_deref() == Some(PAGE) {
                set(
                    r,
                    "Access-Control-Allow-Origin",
                    Some("http://localhost:5173, https://other.example"),
                );
            }
        }),
        page(),
        &[18],
    )
    .await;
    expect(
        "True",
        changed(|seen, r| {
            if seen.origin().as_deref() == Some(PAGE) {
                set(r, "Access-Control-Allow-Credentials", Some("True"));
            }
        }),
        page(),
        &[20],
    )
    .await;
    expect(
        "lowercase method",
        changed(|seen, r| {
            if seen.preflight() && seen.origin().as_deref() == Some(PAGE) {
                set(
                    r,
                    "Access-Control-Allow-Methods",
                    Some("GET, POST, put, delete"),
                );
            }
        }),
        page(),
        &[30],
    )
    .await;
    expect(
        "`*` methods with credentials",
        changed(|seen, r| {
            if seen.preflight() && seen.origin().as_deref() == Some(PAGE) {
                set(r, "Access-Control-Allow-Methods", Some("*"));
            }
        }),
        page(),
        &[29],
    )
    .await;
    expect(
        "preflight behind authentication",
        changed(|seen, r| {
            if seen.method == "OPTIONS" {
                *r = (401, h(&[("WWW-Authenticate", "Bearer")]));
            }
        }),
        page(),
        &[25],
    )
    .await;
    expect(
        "redirected preflight",
        changed(|seen, r| {
            if seen.preflight() {
                *r = (308, h(&[("Location", "/api/data/")]));
            }
        }),
        page(),
        &[26],
    )
    .await;
    expect(
        "invalid max-age",
        changed(|seen, r| {
            if seen.preflight() && seen.origin().as_deref() == Some(PAGE) {
                set(r, "Access-Control-Max-Age", Some("ten minutes"));
            }
        }),
        page(),
        &[37],
    )
    .await;
    expect(
        "private network for anyone",
        changed(|seen, r| {
            if seen
                .headers
                .contains("access-control-request-private-network")
            {
                set(r, "Access-Control-Allow-Private-Network", Some("true"));
            }
        }),
        page(),
        &[38],
    )
    .await;
    expect(
        "own origin refused",
        changed(|seen, r| {
            let origin = seen.origin().unwrap_or_default();
            if origin.starts_with("http://127.0.0.1:") {
                r.0 = 403;
            }
        }),
        page(),
        &[42],
    )
    .await;
    expect("slow matching", Arc::new(correct), page(), &[40]).await;
    // Not exposed: a note, a finding once the pages say they read it.
    let exposing = || {
        changed(|_, r| {
            r.1.push((String::from("X-Request-Id"), String::from("42")));
        })
    };
    let report = expect("unexposed (note)", exposing(), page(), &[]).await;
    assert!(report.notes().any(|n| n.pattern == 36));
    let mut options = page();
    options.expose = vec![String::from("X-Request-Id")];
    expect("unexposed", exposing(), options, &[36]).await;
    // With --allow-writes the preflighted PUT itself is sent: its answer lacks the origin.
    let mut options = page();
    options.allow_writes = true;
    let report = expect(
        "actual without the origin",
        changed(|seen, r| {
            if seen.method == "PUT" {
                set(r, "Access-Control-Allow-Origin", None);
            }
        }),
        options,
        &[35],
    )
    .await;
    // The POST from an untrusted origin reached the handler: a note.
    assert!(
        report.notes().any(|n| n.pattern == 39),
        "{}",
        report.to_text()
    );
    // A refused method is a note, or a finding once the pages say they send it.
    let mut options = page();
    options.methods = vec![String::from("PATCH")];
    expect("refused method", Arc::new(correct), options, &[0]).await;
}

#[tokio::test]
async fn cache_mistakes() {
    let page = || origins(&[PAGE]);
    // Cacheable (Last-Modified), varies on Origin, says nothing.
    expect(
        "no Vary",
        changed(|_, r| {
            set(r, "Vary", None);
            r.1.push((
                String::from("Last-Modified"),
                String::from("Wed, 21 Oct 2026 07:28:00 GMT"),
            ));
        }),
        page(),
        &[21],
    )
    .await;
    // Not cacheable: only a note.
    let report = expect(
        "no Vary, no cache",
        changed(|_, r| set(r, "Vary", None)),
        page(),
        &[],
    )
    .await;
    assert!(report.notes().any(|n| n.pattern == 21));
    expect(
        "Vary overwritten",
        changed(|seen, r| {
            let value = if seen.origin().is_some() {
                "Origin"
            } else {
                "Accept-Encoding"
            };
            set(r, "Vary", Some(value));
        }),
        page(),
        &[22],
    )
    .await;
}

#[tokio::test]
async fn a_reflected_cr_reaches_the_response() {
    // A raw server that copies Origin into the response byte for byte.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0_u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if s.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let origin = text
                    .split("\r\n")
                    .find_map(|l| l.strip_prefix("Origin: "))
                    .map(str::to_owned);
                let mut answer =
                    String::from("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nVary: Origin\r\n");
                if let Some(origin) = origin {
                    // The CR the client sent is written back as a line break.
                    answer.push_str(&format!(
                        "Access-Control-Allow-Origin: {}\r\n",
                        origin.replace('\r', "\r\n")
                    ));
                }
                answer.push_str("\r\n{}");
                let _ = s.write_all(answer.as_bytes()).await;
            });
        }
    });
    let url = Url::parse(&format!("http://{address}/api/data")).unwrap();
    let report = audit(Arc::new(session()), url, &origins(&[PAGE])).await;
    let injected = report
        .findings()
        .find(|f| f.pattern == 41)
        .unwrap_or_else(|| panic!("{}", report.to_text()));
    assert_eq!(injected.reach, corsica_probe::audit::Reach::ParserOnly);
    assert!(!injected.is_exploitable());
    // It reflects everything, too.
    assert!(report.findings().any(|f| f.pattern == 1));
}
