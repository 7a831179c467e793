//! The HTTP client against servers that misbehave (garbage, silence, endless bodies, huge
//! heads), TLS (untrusted, trusted through an extra root, --insecure), HTTP/2 through ALPN, and
//! redirects, which the engine follows hop by hop. Every server is on 127.0.0.1.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use corsica::Url;
use corsica::{Origin, Profile, Request, RequestInit};
use corsica_probe::client::{Body, ClientConfig, Received, Version, WireRequest};
use corsica_probe::fixture::{Config, LoopbackServer, Policy};
use corsica_probe::{BrowserHeaders, Client, NetError, Phase, Session};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod raw;

use raw::{PAGE, client, get, raw_server};

#[tokio::test]
async fn garbage_is_reported_as_not_http() {
    let url = raw_server(|mut s| async move {
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2p1\r\n").await;
    })
    .await;
    let error = client(2000).send(&get(&url)).await.unwrap_err();
    assert!(matches!(error, NetError::Malformed { .. }), "{error}");
    assert!(error.to_string().contains("not HTTP"), "{error}");
    assert!(error.to_string().contains("SSH-2.0"), "{error}");
}

#[tokio::test]
async fn silence_times_out() {
    let url = raw_server(|s| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(s);
    })
    .await;
    let started = Instant::now();
    let error = client(300).send(&get(&url)).await.unwrap_err();
    assert_eq!(
        error,
        NetError::Timeout {
            phase: Phase::Head,
            after: Duration::from_millis(300)
        }
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        error
            .to_string()
            .contains("timed out after 0.3 s waiting for the response headers")
    );
}

#[tokio::test]
async fn a_closed_connection_is_reported() {
    let url = raw_server(|s| async move { drop(s) }).await;
    let error = client(2000).send(&get(&url)).await.unwrap_err();
    assert!(
        matches!(
            error,
            NetError::Io {
                phase: Phase::Head,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = client(2000)
        .send(&get(&format!("http://{address}/")))
        .await
        .unwrap_err();
    match &error {
        NetError::Connect {
            address: tried,
            kind,
            ..
        } => {
            assert_eq!(*tried, address);
            assert_eq!(*kind, std::io::ErrorKind::ConnectionRefused);
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_and_the_head_kept() {
    let url = raw_server(|mut s| async move {
        let head = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://localhost:5173\r\nTransfer-Encoding: chunked\r\n\r\n";
        if s.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("1000\r\n{}\r\n", "x".repeat(0x1000));
        while s.write_all(chunk.as_bytes()).await.is_ok() {}
    })
    .await;
    let started = Instant::now();
    let received = client(5000).send(&get(&url)).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(received.status, 200);
    assert_eq!(
        received
            .headers
            .get("access-control-allow-origin")
            .as_deref(),
        Some(PAGE)
    );
    assert!(!received.body.complete);
    assert_eq!(received.body.bytes, 64 * 1024);
    assert_eq!(received.body.note, Some(Body::CUT));
    assert_eq!(received.body.snippet.len(), 512);
}

#[tokio::test]
async fn a_stalled_body_does_not_hold_the_answer() {
    let url = raw_server(|mut s| async move {
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let received = client(5000).send(&get(&url)).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(received.body.snippet, b"only this");
    assert_eq!(
        received.body.note,
        Some("still arriving when the time ran out")
    );
}

#[tokio::test]
async fn a_huge_head_is_refused() {
    let url = raw_server(|mut s| async move {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\n").await;
        let line = format!("X-Pad: {}\r\n", "a".repeat(1000));
        for _ in 0..200 {
            if s.write_all(line.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let error = client(5000).send(&get(&url)).await.unwrap_err();
    assert_eq!(error, NetError::HeadTooLarge { limit: 64 * 1024 });
}

#[tokio::test]
async fn informational_responses_are_skipped_and_the_request_is_sent_as_given() {
    let (seen, mut heads) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0_u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut byte).await.unwrap();
            head.push(byte[0]);
        }
        seen.send(head).unwrap();
        s.write_all(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\naccess-control-allow-origin: *\r\n\r\n")
            .await
            .unwrap();
    });
    let request = WireRequest {
        method: String::from("OPTIONS"),
        url: format!("http://{address}/p?q=1").parse().unwrap(),
        headers: [
            ("Accept", "*/*"),
            ("Origin", PAGE),
            ("Access-Control-Request-Method", "PUT"),
        ]
        .into_iter()
        .collect(),
    };
    let received = client(2000).send(&request).await.unwrap();
    assert_eq!(received.status, 204);
    assert_eq!(received.version, Version::Http11);
    assert_eq!(
        received.headers.iter().next().unwrap().name,
        "access-control-allow-origin"
    );
    let head = String::from_utf8(heads.recv().await.unwrap()).unwrap();
    assert_eq!(
        head,
        format!(
            "OPTIONS /p?q=1 HTTP/1.1\r\nHost: {address}\r\nAccept: */*\r\nOrigin: {PAGE}\r\nAccess-Control-Request-Method: PUT\r\n\r\n"
        )
    );
}

#[tokio::test]
async fn redirects_are_followed_by_the_engine_hop_by_hop() {
    // B: the correct API; A: a redirect to B that allows the page.
    let target = LoopbackServer::start(Config::Correct(Policy::json_api(PAGE)))
        .await
        .unwrap();
    let location = target.url("/api/data");
    let url = raw_server(move |mut s| {
        let location = location.clone();
        async move {
            let answer = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nAccess-Control-Allow-Origin: {PAGE}\r\nAccess-Control-Allow-Credentials: true\r\nContent-Length: 0\r\n\r\n"
            );
            let _ = s.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    let session = Session::new(client(2000), BrowserHeaders::default());
    let mut init = RequestInit::new(Origin::parse(PAGE).unwrap(), url.parse().unwrap());
    init.credentials = corsica::CredentialsMode::Include;
    let request = Request::new(init).unwrap();
    let live = session.fetch_fresh(&request, &Profile::CHROMIUM).await;
    assert_eq!(live.hops.len(), 2);
    // The client handed the 307 to the engine instead of following it.
    assert_eq!(live.hops[0].answer().unwrap().status, 307);
    // After a cross-origin redirect the browser sends `Origin: null`, which B does not allow.
    assert_eq!(live.hops[1].wire.url, target.url("/api/data"));
    assert_eq!(
        live.hops[1].wire.headers.get("origin").as_deref(),
        Some("null")
    );
    let failure = live.outcome.failure.expect("blocked");
    assert_eq!(failure.kind, corsica::ErrorKind::MissingAllowOriginHeader);
    target.stop().await;
}

// ---------------------------------------------------------------------------------------------
// TLS and HTTP/2.

struct Tls {
    url: Url,
    root: rustls_pki_types::CertificateDer<'static>,
}

/// What a test server answers to every request.
type Answer = Arc<dyn Fn() -> hyper::Response<Full<Bytes>> + Send + Sync>;

/// An HTTPS server on 127.0.0.1 with a self-signed certificate for `localhost`, answering `{}`
/// with `Access-Control-Allow-Origin: *` over whichever of `alpn` the client picks.
async fn tls_server(alpn: &[&[u8]]) -> Tls {
    tls_server_answering(
        alpn,
        Arc::new(|| {
            hyper::Response::builder()
                .status(200)
                .header("Access-Control-Allow-Origin", "*")
                .body(Full::new(Bytes::from_static(b"{}")))
                .unwrap()
        }),
    )
    .await
}

/// An HTTPS server on 127.0.0.1 with a self-signed certificate for `localhost`, answering
/// `answer` over whichever of `alpn` the client picks.
async fn tls_server_answering(alpn: &[&[u8]], answer: Answer) -> Tls {
    let key = rcgen::generate_simple_self_signed(vec![String::from("localhost")]).unwrap();
    let root = key.cert.der().clone();
    let private = rustls_pki_types::PrivateKeyDer::Pkcs8(
        rustls_pki_types::PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()),
    );
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![root.clone()], private)
    .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let service = service_fn(move |_request| {
                    let response = answer();
                    async move { Ok::<_, Infallible>(response) }
                });
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                }
            });
        }
    });
    Tls {
        url: format!("https://localhost:{port}/").parse().unwrap(),
        root,
    }
}

fn tls_client(
    insecure: bool,
    roots: Vec<rustls_pki_types::CertificateDer<'static>>,
    http2: bool,
) -> Client {
    Client::new(ClientConfig {
        timeout: Duration::from_secs(5),
        insecure,
        extra_roots: roots,
        http2,
        ..ClientConfig::default()
    })
    .unwrap()
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error() {
    let server = tls_server(&[b"http/1.1"]).await;
    let error = tls_client(false, Vec::new(), true)
        .send(&get(server.url.as_str()))
        .await
        .unwrap_err();
    assert!(matches!(error, NetError::Tls { .. }), "{error}");
    let text = error.to_string();
    assert!(text.contains("certificate"), "{text}");
    assert!(text.contains("--insecure"), "{text}");
}

#[tokio::test]
async fn an_extra_root_or_insecure_gets_through() {
    let server = tls_server(&[b"http/1.1"]).await;
    let trusted = tls_client(false, vec![server.root.clone()], true)
        .send(&get(server.url.as_str()))
        .await
        .unwrap();
    assert_eq!(trusted.status, 200);
    assert_eq!(trusted.version, Version::Http11);
    let insecure = tls_client(true, Vec::new(), true)
        .send(&get(server.url.as_str()))
        .await
        .unwrap();
    assert_eq!(insecure.status, 200);
}

#[tokio::test]
async fn http2_when_the_server_picks_it() {
    let server = tls_server(&[b"h2", b"http/1.1"]).await;
    let h2 = tls_client(false, vec![server.root.clone()], true)
        .send(&get(server.url.as_str()))
        .await
        .unwrap();
    assert_eq!(h2.version, Version::Http2);
    assert_eq!(
        h2.headers.iter().next().map(|h| h.name.as_str()),
        Some("access-control-allow-origin")
    );
    assert_eq!(h2.body.snippet, b"{}");
    assert!(h2.body.complete);
    let h1 = tls_client(false, vec![server.root.clone()], false)
        .send(&get(server.url.as_str()))
        .await
        .unwrap();
    assert_eq!(h1.version, Version::Http11);
}

#[tokio::test]
async fn http2_refuses_what_it_cannot_carry() {
    let server = tls_server(&[b"h2"]).await;
    let mut request = get(server.url.as_str());
    request.headers.append("X-Bad", "a\rb");
    let error = tls_client(false, vec![server.root.clone()], true)
        .send(&request)
        .await
        .unwrap_err();
    assert!(matches!(error, NetError::InvalidRequest { .. }), "{error}");
}

/// The size HTTP/2 gives a header list: each name and value and 32 bytes more, `:status`
/// included (RFC 9113, section 6.5.2, `SETTINGS_MAX_HEADER_LIST_SIZE`).
fn header_list_size(received: &Received) -> usize {
    ":status".len()
        + 3
        + 32
        + received
            .headers
            .iter()
            .map(|h| h.name.len() + h.value.len() + 32)
            .sum::<usize>()
}

#[tokio::test]
async fn the_http2_header_list_limit_at_its_boundary() {
    const LIMIT: usize = 64 * 1024;
    let padded = |pad: usize| -> Answer {
        Arc::new(move || {
            hyper::Response::builder()
                .header("x-pad", "p".repeat(pad))
                .body(Full::new(Bytes::new()))
                .unwrap()
        })
    };
    let send = |server: Tls| async move {
        tls_client(false, vec![server.root.clone()], true)
            .send(&get(server.url.as_str()))
            .await
    };
    // What the server adds besides the padding (`content-length`, `date`), measured once.
    let small = send(tls_server_answering(&[b"h2"], padded(1000)).await)
        .await
        .unwrap();
    assert_eq!(small.version, Version::Http2);
    let rest = header_list_size(&small) - 1000;
    let exactly = send(tls_server_answering(&[b"h2"], padded(LIMIT - rest)).await)
        .await
        .expect("a header list of exactly the limit");
    assert_eq!(header_list_size(&exactly), LIMIT);
    assert!(exactly.body.complete);
    let too_large = NetError::HeadTooLarge { limit: LIMIT };
    // Up to twice the limit, the client measures the list itself; past that h2 refuses it, and
    // far past it h2 ends the connection.
    let refused = NetError::Http2HeadRefused { limit: LIMIT };
    for (over, expected) in [
        (1, &too_large),
        (LIMIT / 2, &too_large),
        (LIMIT, &refused),
        (5 * LIMIT, &too_large),
    ] {
        let error = send(tls_server_answering(&[b"h2"], padded(LIMIT - rest + over)).await)
            .await
            .expect_err("past the limit");
        assert_eq!(&error, expected, "{over} over");
    }
}

#[tokio::test]
async fn the_http2_body_limit_at_its_boundary() {
    const LIMIT: usize = 64 * 1024;
    for (n, whole) in [(LIMIT, true), (LIMIT + 1, false)] {
        let server = tls_server_answering(
            &[b"h2"],
            Arc::new(move || hyper::Response::new(Full::new(Bytes::from(vec![b'x'; n])))),
        )
        .await;
        let received = tls_client(false, vec![server.root.clone()], true)
            .send(&get(server.url.as_str()))
            .await
            .unwrap();
        assert_eq!(received.version, Version::Http2);
        assert_eq!(received.body.bytes, LIMIT as u64, "{n} bytes");
        assert_eq!(received.body.complete, whole, "{n} bytes");
        assert_eq!(
            received.body.note,
            (!whole).then_some(Body::CUT),
            "{n} bytes"
        );
    }
}
