//! Hostile servers on loopback, one row each: what the client, `probe` and `audit` report. Every
//! answer that is not HTTP, too slow, endless or silent is a typed [`NetError`] once the request's
//! deadline has passed at the latest; what is too large is cut at its documented limit
//! ([`ClientConfig::max_head_bytes`], 1024 headers, [`ClientConfig::max_body_bytes`]).

use std::future::Future;
use std::io::ErrorKind;
use std::sync::Arc;
use std::time::Duration;

use corsica::scenario::{ProfileName, RequestInput};
use corsica_probe::audit::{AuditOptions, audit};
use corsica_probe::client::Body;
use corsica_probe::probe::probe;
use corsica_probe::{BrowserHeaders, NetError, Phase, Session};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod raw;

use raw::{PAGE, client, get, raw_server};

/// The client's deadline for one request in these tests, in milliseconds.
const TIMEOUT_MS: u64 = 400;
/// Far longer than any deadline here: a face still waiting after this waits forever.
const HANG: Duration = Duration::from_secs(60);
/// The default limit on a response's status line and headers.
const HEAD_LIMIT: usize = 64 * 1024;

/// How a server misbehaves once it has read the request head.
#[derive(Clone, Debug)]
enum Server {
    /// Writes these bytes, then closes.
    Says(Vec<u8>),
    /// Writes these bytes, then keeps the connection open without a word.
    SaysAndWaits(Vec<u8>),
    /// Writes these bytes, then repeats the second forever.
    SaysThenRepeats(Vec<u8>, Vec<u8>),
    /// Writes a status line and a header that never ends, one byte every 50 ms.
    Trickles,
}

impl Server {
    async fn behave(self, mut stream: TcpStream) {
        match self {
            Self::Says(bytes) => {
                let _ = stream.write_all(&bytes).await;
            }
            Self::SaysAndWaits(bytes) => {
                let _ = stream.write_all(&bytes).await;
                tokio::time::sleep(HANG).await;
            }
            Self::SaysThenRepeats(first, again) => {
                if stream.write_all(&first).await.is_ok() {
                    while stream.write_all(&again).await.is_ok() {}
                }
            }
            Self::Trickles => {
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: "
                    .iter()
                    .chain([b'x'].iter().cycle())
                {
                    if stream.write_all(&[*byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

/// `face` against a loopback `server`, failing the test if it is still waiting after [`HANG`].
async fn against<T, F: Future<Output = T>>(server: Server, face: impl FnOnce(String) -> F) -> T {
    let url = raw_server(move |stream| server.clone().behave(stream)).await;
    tokio::time::timeout(HANG, face(url))
        .await
        .expect("the face waited on the server without a bound")
}

/// A head of exactly `bytes` bytes: a status line, `X-Pad` headers and the empty line.
fn head_of(bytes: usize) -> Vec<u8> {
    let mut head = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n".to_vec();
    while bytes - head.len() - 2 > 1000 {
        head.extend_from_slice(format!("X-Pad: {}\r\n", "a".repeat(990)).as_bytes());
    }
    let rest = bytes - head.len() - 2 - "X-Pad: \r\n".len();
    head.extend_from_slice(format!("X-Pad: {}\r\n\r\n", "b".repeat(rest)).as_bytes());
    assert_eq!(head.len(), bytes);
    head
}

/// A head with `n` headers.
fn headers(n: usize) -> Vec<u8> {
    let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
    for _ in 0..n {
        head.extend_from_slice(b"X: 1\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn timeout() -> NetError {
    NetError::Timeout {
        phase: Phase::Head,
        after: Duration::from_millis(TIMEOUT_MS),
    }
}

fn malformed(message: &str, received: &str) -> NetError {
    NetError::Malformed {
        message: message.into(),
        received: received.into(),
    }
}

#[tokio::test]
async fn each_hostile_answer_is_a_typed_error() {
    use Server::{Says, SaysAndWaits, SaysThenRepeats, Trickles};
    let too_large = NetError::HeadTooLarge { limit: HEAD_LIMIT };
    let rows: Vec<(&str, Server, NetError)> = vec![
        (
            "another protocol",
            Says(b"SSH-2.0-OpenSSH_9.2p1\r\n".to_vec()),
            malformed("invalid HTTP version", "SSH-2.0-OpenSSH_9.2p1\\r\\n"),
        ),
        (
            "binary, no line end, then silence",
            SaysAndWaits(vec![0x16, 0x03, 0x01, 0x00, 0xff]),
            malformed("invalid HTTP version", "\\x16\\x03\\x01\\x00\\xff"),
        ),
        (
            "a status that is not three digits",
            Says(b"HTTP/1.1 2000 OK\r\n\r\n".to_vec()),
            malformed("invalid response status", "HTTP/1.1 2000 OK\\r\\n\\r\\n"),
        ),
        (
            "a NUL in a header value",
            Says(b"HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n".to_vec()),
            malformed(
                "invalid header value",
                "HTTP/1.1 200 OK\\r\\nX: a\\x00b\\r\\n\\r\\n",
            ),
        ),
        (
            "accepts and never answers",
            SaysAndWaits(Vec::new()),
            timeout(),
        ),
        ("answers one byte at a time", Trickles, timeout()),
        (
            "half a head, then silence",
            SaysAndWaits(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n".to_vec()),
            timeout(),
        ),
        (
            "interim responses forever",
            SaysThenRepeats(Vec::new(), b"HTTP/1.1 100 Continue\r\n\r\n".to_vec()),
            timeout(),
        ),
        (
            "headers forever",
            SaysThenRepeats(
                b"HTTP/1.1 200 OK\r\n".to_vec(),
                format!("X-More: {}\r\n", "m".repeat(200)).into_bytes(),
            ),
            too_large.clone(),
        ),
        (
            "closes without a word",
            Says(Vec::new()),
            NetError::Io {
                phase: Phase::Head,
                kind: ErrorKind::UnexpectedEof,
                message: "the server closed the connection without answering".into(),
            },
        ),
        (
            "closes in the middle of the head",
            Says(b"HTTP/1.1 200 OK\r\nX-A:".to_vec()),
            malformed(
                "the connection closed in the middle of the headers",
                "HTTP/1.1 200 OK\\r\\nX-A:",
            ),
        ),
        (
            "1025 headers",
            Says(headers(1025)),
            malformed("more than 1024 headers", &{
                let mut prefix = "HTTP/1.1 200 OK\\r\\n".to_owned();
                prefix.push_str(&"X: 1\\r\\n".repeat(17));
                prefix.push_str("X…");
                prefix
            }),
        ),
        (
            "a head one byte over the limit",
            Says(head_of(HEAD_LIMIT + 1)),
            too_large,
        ),
    ];
    for (what, server, expected) in rows {
        let error = against(server, |url| async move {
            client(TIMEOUT_MS).send(&get(&url)).await
        })
        .await
        .expect_err(what);
        assert_eq!(error, expected, "{what}");
    }
}

#[tokio::test]
async fn what_is_within_the_limits_is_read() {
    let received = against(Server::Says(head_of(HEAD_LIMIT)), |url| async move {
        client(TIMEOUT_MS).send(&get(&url)).await
    })
    .await
    .expect("a head of exactly the limit");
    assert_eq!(received.status, 200);
    let received = against(Server::Says(headers(1024)), |url| async move {
        client(TIMEOUT_MS).send(&get(&url)).await
    })
    .await
    .expect("1024 headers");
    assert_eq!(received.headers.len(), 1024);
}

#[tokio::test]
async fn an_endless_chunk_size_line_is_cut_and_the_head_kept() {
    let head = b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=";
    let received = against(
        Server::SaysThenRepeats(head.to_vec(), vec![b'x'; 4096]),
        |url| async move { client(TIMEOUT_MS).send(&get(&url)).await },
    )
    .await
    .expect("the head arrived");
    assert_eq!(received.status, 200);
    assert_eq!(received.body.bytes, 0);
    assert!(!received.body.complete);
    assert_eq!(received.body.note, Some(Body::CUT));
}

/// The default limit on a response body.
const BODY_LIMIT: usize = 64 * 1024;

/// An answer with a body of `n` bytes, delimited by `Content-Length`, by the end of the
/// connection, or in chunks of 4 KiB.
fn body_of(n: usize, framing: &str) -> Vec<u8> {
    let mut answer = b"HTTP/1.1 200 OK\r\n".to_vec();
    match framing {
        "length" => {
            answer.extend_from_slice(format!("Content-Length: {n}\r\n\r\n").as_bytes());
            answer.resize(answer.len() + n, b'x');
        }
        "close" => {
            answer.extend_from_slice(b"\r\n");
            answer.resize(answer.len() + n, b'x');
        }
        _ => {
            answer.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for start in (0..n).step_by(4096) {
                let size = (n - start).min(4096);
                answer.extend_from_slice(format!("{size:x}\r\n").as_bytes());
                answer.resize(answer.len() + size, b'x');
                answer.extend_from_slice(b"\r\n");
            }
            answer.extend_from_slice(b"0\r\n\r\n");
        }
    }
    answer
}

#[tokio::test]
async fn the_body_limit_at_its_boundary() {
    for framing in ["length", "close", "chunked"] {
        for (n, whole) in [(BODY_LIMIT, true), (BODY_LIMIT + 1, false)] {
            let what = format!("{n} bytes, {framing}");
            let received = against(Server::Says(body_of(n, framing)), |url| async move {
                client(TIMEOUT_MS).send(&get(&url)).await
            })
            .await
            .expect(&what);
            assert_eq!(received.body.bytes, BODY_LIMIT as u64, "{what}");
            assert_eq!(received.body.complete, whole, "{what}");
            assert_eq!(received.body.note, (!whole).then_some(Body::CUT), "{what}");
        }
    }
    // A `Content-Length` past the limit: cut once the limit has come, without waiting for the
    // rest (which never comes here).
    let mut answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".to_vec();
    answer.resize(answer.len() + BODY_LIMIT, b'x');
    let received = against(Server::SaysAndWaits(answer), |url| async move {
        client(TIMEOUT_MS).send(&get(&url)).await
    })
    .await
    .expect("the head arrived");
    assert_eq!(received.body.bytes, BODY_LIMIT as u64);
    assert_eq!(received.body.note, Some(Body::CUT));
}

fn session() -> Session {
    Session::new(client(TIMEOUT_MS), BrowserHeaders::default())
}

#[tokio::test]
async fn probe_reports_the_network_error_of_each_hop() {
    let silent = Server::SaysAndWaits(Vec::new());
    let report = against(silent, |url| async move {
        let request: RequestInput = serde_json::from_value(serde_json::json!({
            "origin": PAGE,
            "url": url,
            "method": "PUT",
        }))
        .unwrap();
        probe(&session(), &request, &[ProfileName::Chromium], false).await
    })
    .await
    .expect("valid input");
    let result = &report.results[0];
    assert!(!result.allowed());
    let errors = report.network_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0.method, "OPTIONS");
    assert_eq!(*errors[0].1, timeout());
}

#[tokio::test]
async fn audit_reports_a_target_that_is_not_http() {
    let garbage = Server::Says(b"<html>hello</html>".to_vec());
    let report = against(garbage, |url| async move {
        let options = AuditOptions {
            origins: vec![PAGE.into()],
            ..AuditOptions::default()
        };
        audit(Arc::new(session()), url.parse().unwrap(), &options).await
    })
    .await;
    assert_eq!(
        report.error,
        Some(malformed("invalid HTTP version", "<html>hello</html>"))
    );
    assert!(report.findings.is_empty());
}
