//! A raw HTTP/1.1 server over [`std::net::TcpListener`].
//!
//! It writes responses byte for byte as it is told (duplicate header lines, odd case, empty
//! values, any status code) and parses requests without normalizing anything, so that the log
//! it keeps is the truth of what a browser sent: every header line, in order, with its name as
//! written on the wire. One thread per connection; persistent connections are kept.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

/// The largest request head accepted (request line and header lines).
const MAX_HEAD: usize = 256 * 1024;
/// The largest request body kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// One request as it came over the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// The method token, exactly as sent.
    pub method: String,
    /// The request-target, exactly as sent (origin-form: path and query).
    pub target: String,
    /// `HTTP/1.1` or `HTTP/1.0`.
    pub version: String,
    /// Every header line, in order, name as sent, value without surrounding whitespace
    /// (bytes decoded one to one, as ISO-8859-1, like the Fetch Standard's isomorphic decode).
    pub headers: Vec<(String, String)>,
    /// The body (after removing chunked framing).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client asked to close the connection after this exchange.
    pub fn wants_close(&self) -> bool {
        match self.header("connection") {
            Some(v) => v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")),
            None => self.version == "HTTP/1.0",
        }
    }
}

/// A response to write exactly as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// Any three-digit status code.
    pub status: u16,
    /// The reason phrase; a standard one (or `Status`) when absent.
    pub reason: Option<String>,
    /// Header lines in order, names and values written exactly (no folding, no case change).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// A response with a status and no headers or body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            reason: None,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Appends a header line.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The exact bytes of this response. A `Content-Length` line is added (last) unless one is
    /// already there or the status has no body (1xx, 204, 304); nothing else is added.
    /// `head_only` leaves the body out (answer to `HEAD`) but keeps its length.
    pub fn to_bytes(&self, head_only: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.body.len());
        let reason = self
            .reason
            .clone()
            .unwrap_or_else(|| reason_phrase(self.status).to_owned());
        out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", self.status, reason).as_bytes());
        for (name, value) in &self.headers {
            out.extend_from_slice(&isomorphic_encode(name));
            out.push(b':');
            if !value.is_empty() {
                out.push(b' ');
                out.extend_from_slice(&isomorphic_encode(value));
            }
            out.extend_from_slice(b"\r\n");
        }
        let bodyless = self.status < 200 || self.status == 204 || self.status == 304;
        let has_length = self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
        if !bodyless && !has_length {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if !head_only && !bodyless {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// The standard reason phrase of a status, or `Status` for one without.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Bytes to string, one byte to one code point (the Fetch Standard's isomorphic decode).
pub fn isomorphic_decode(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// String to bytes: code points up to U+00FF become one byte; others are written as UTF-8.
pub fn isomorphic_encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) <= 0xFF {
            out.push(c as u32 as u8);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_owned())
}

/// Reads one line ending in LF (CRLF or bare LF), without the line ending.
/// `Ok(None)` at a clean end of stream before any byte.
fn read_line(r: &mut impl BufRead, budget: &mut usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(bad("request head too large"));
    }
    *budget -= n;
    if line.last() != Some(&b'\n') {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "truncated line",
        ));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

fn trim_ows(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// Reads one request. `Ok(None)` when the peer closed the connection between requests.
pub fn read_request(r: &mut impl BufRead) -> io::Result<Option<RawRequest>> {
    let mut budget = MAX_HEAD;
    // Skip empty lines before a request line (RFC 9112 §2.2).
    let request_line = loop {
        match read_line(r, &mut budget)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let line = isomorphic_decode(&request_line);
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/") {
        return Err(bad("malformed request line"));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let Some(l) = read_line(r, &mut budget)? else {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "truncated head",
            ));
        };
        if l.is_empty() {
            break;
        }
        if (l[0] == b' ' || l[0] == b'\t') && !headers.is_empty() {
            // Obsolete line folding: append to the previous value.
            let last = headers.last_mut().expect("checked");
            last.1.push(' ');
            last.1.push_str(&isomorphic_decode(trim_ows(&l)));
            continue;
        }
        let colon = l
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| bad("header line without colon"))?;
        let name = isomorphic_decode(&l[..colon]);
        let value = isomorphic_decode(trim_ows(&l[colon + 1..]));
        headers.push((name, value));
    }
    let mut req = RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body: Vec::new(),
    };
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        req.body = read_chunked(r)?;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.trim().parse().map_err(|_| bad("bad content-length"))?;
        if len > MAX_BODY {
            return Err(bad("body too large"));
        }
        let mut body = vec![0u8; len];
        r.read_exact(&mut body)?;
        req.body = body;
    }
    Ok(Some(req))
}

fn read_chunked(r: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut budget = 1024;
        let line = read_line(r, &mut budget)?.ok_or_else(|| bad("truncated chunk"))?;
        let size_str = isomorphic_decode(&line);
        let size_str = size_str.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_str, 16).map_err(|_| bad("bad chunk size"))?;
        if size == 0 {
            // Trailers up to an empty line.
            let mut budget = MAX_HEAD;
            while let Some(l) = read_line(r, &mut budget)? {
                if l.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(bad("body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        let mut budget = 4;
        read_line(r, &mut budget)?;
    }
}

/// What to do with a request.
#[derive(Debug)]
pub enum Reply {
    /// Write this response.
    Respond(RawResponse),
    /// Close the connection without answering (a network error to the browser).
    Close,
}

/// Answers requests. `listener` is the index of the listener the connection came in on.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, listener: usize, peer: SocketAddr, req: RawRequest) -> Reply;
    /// A request that could not be parsed (the connection is then closed).
    fn malformed(&self, _listener: usize, _peer: SocketAddr, _err: &io::Error) {}
}

/// Running listeners; dropping it stops accepting.
pub struct Server {
    /// The local address of each listener, in the order they were given.
    pub addrs: Vec<SocketAddr>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts accepting on each listener group; every socket in group `i` reports listener `i`.
    pub fn start(groups: Vec<Vec<TcpListener>>, handler: Arc<dyn Handler>) -> io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut addrs = Vec::new();
        for (index, group) in groups.into_iter().enumerate() {
            let mut first = None;
            for listener in group {
                first.get_or_insert(listener.local_addr()?);
                let handler = Arc::clone(&handler);
                let stop = Arc::clone(&stop);
                thread::Builder::new()
                    .name(format!("oracle-listen-{index}"))
                    .spawn(move || {
                        for conn in listener.incoming() {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            let Ok(stream) = conn else { continue };
                            let handler = Arc::clone(&handler);
                            let _ = thread::Builder::new()
                                .name("oracle-conn".into())
                                .spawn(move || serve_connection(stream, index, handler.as_ref()));
                        }
                    })?;
            }
            addrs.push(first.ok_or_else(|| bad("empty listener group"))?);
        }
        Ok(Self { addrs, stop })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loops so that they see the flag.
        for addr in &self.addrs {
            let _ = TcpStream::connect_timeout(addr, Duration::from_millis(200));
        }
    }
}

fn serve_connection(stream: TcpStream, listener: usize, handler: &dyn Handler) {
    let Ok(peer) = stream.peer_addr() else { return };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let req = match read_request(&mut reader) {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(e) => {
                if e.kind() != io::ErrorKind::WouldBlock
                    && e.kind() != io::ErrorKind::TimedOut
                    && e.kind() != io::ErrorKind::ConnectionReset
                {
                    handler.malformed(listener, peer, &e);
                }
                return;
            }
        };
        let head_only = req.method == "HEAD";
        let close = req.wants_close();
        match handler.handle(listener, peer, req) {
            Reply::Respond(resp) => {
                let bytes = resp.to_bytes(head_only);
                if writer
                    .write_all(&bytes)
                    .and_then(|()| writer.flush())
                    .is_err()
                {
                    return;
                }
                let declared_close = resp.headers.iter().any(|(n, v)| {
                    n.eq_ignore_ascii_case("connection") && v.to_ascii_lowercase().contains("close")
                });
                if close || declared_close {
                    let _ = writer.shutdown(std::net::Shutdown::Write);
                    return;
                }
            }
            Reply::Close => {
                // Reset the connection (SO_LINGER 0), the nearest thing to a refused
                // connection once the request has been read.
                let linger = nix::libc::linger {
                    l_onoff: 1,
                    l_linger: 0,
                };
                let _ = nix::sys::socket::setsockopt(
                    &writer,
                    nix::sys::socket::sockopt::Linger,
                    &linger,
                );
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use std::sync::Mutex;

    #[test]
    fn response_bytes_are_exact() {
        let resp = RawResponse::new(299)
            .header("access-control-allow-origin", "http://a")
            .header("Access-Control-Allow-Origin", "http://b")
            .header("X-Empty", "")
            .header("X-Space", " padded ")
            .body("ok");
        let bytes = resp.to_bytes(false);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "HTTP/1.1 299 Status\r\n\
             access-control-allow-origin: http://a\r\n\
             Access-Control-Allow-Origin: http://b\r\n\
             X-Empty:\r\n\
             X-Space:  padded \r\n\
             Content-Length: 2\r\n\r\nok"
        );
    }

    #[test]
    fn response_without_body_status_has_no_length() {
        let bytes = RawResponse::new(204).header("A", "b").to_bytes(false);
        assert_eq!(bytes, b"HTTP/1.1 204 No Content\r\nA: b\r\n\r\n");
        let bytes = RawResponse::new(200)
            .header("Content-Length", "5")
            .body("hello")
            .to_bytes(true);
        assert_eq!(bytes, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        let mut r = RawResponse::new(308).header("Location", "/x");
        r.reason = Some("Moved".into());
        assert_eq!(
            r.to_bytes(false),
            b"HTTP/1.1 308 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"
        );
    }

    #[test]
    fn latin1_values_round_trip() {
        let resp = RawResponse::new(200).header("X-Latin", "caf\u{e9}");
        let bytes = resp.to_bytes(false);
        assert!(bytes.windows(6).any(|w| w == b"caf\xe9\r\n"));
        assert_eq!(isomorphic_decode(b"caf\xe9"), "caf\u{e9}");
    }

    #[test]
    fn parses_request_with_duplicates_in_order() {
        let raw = b"OPTIONS /c1/data?x=1 HTTP/1.1\r\n\
            Host: 127.0.0.1:9\r\n\
            Accept: */*\r\n\
            Access-Control-Request-Method: PUT\r\n\
            x-dup: a\r\n\
            X-Dup:   b  \r\n\
            X-Empty:\r\n\
            \r\n";
        let mut cur = Cursor::new(&raw[..]);
        let req = read_request(&mut cur).unwrap().unwrap();
        assert_eq!(req.method, "OPTIONS");
        assert_eq!(req.target, "/c1/data?x=1");
        assert_eq!(
            req.headers,
            vec![
                ("Host".to_owned(), "127.0.0.1:9".to_owned()),
                ("Accept".to_owned(), "*/*".to_owned()),
                ("Access-Control-Request-Method".to_owned(), "PUT".to_owned()),
                ("x-dup".to_owned(), "a".to_owned()),
                ("X-Dup".to_owned(), "b".to_owned()),
                ("X-Empty".to_owned(), String::new()),
            ]
        );
        assert_eq!(req.header("X-DUP"), Some("a"));
        assert!(read_request(&mut cur).unwrap().is_none());
    }

    #[test]
    fn parses_bodies_and_pipelined_requests() {
        let raw = b"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcPUT /b HTTP/1.1\r\n\
            Transfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n1;ext=1\r\nz\r\n0\r\n\r\n\
            GET /c HTTP/1.0\r\n\r\n";
        let mut cur = Cursor::new(&raw[..]);
        let a = read_request(&mut cur).unwrap().unwrap();
        assert_eq!(
            (a.method.as_str(), a.body.as_slice()),
            ("POST", &b"abc"[..])
        );
        assert!(!a.wants_close());
        let b = read_request(&mut cur).unwrap().unwrap();
        assert_eq!((b.target.as_str(), b.body.as_slice()), ("/b", &b"xyz"[..]));
        let c = read_request(&mut cur).unwrap().unwrap();
        assert!(c.wants_close());
    }

    #[test]
    fn rejects_malformed_heads() {
        for raw in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\n",
        ] {
            assert!(read_request(&mut Cursor::new(raw)).is_err(), "{raw:?}");
        }
    }

    struct Echo(Mutex<Vec<RawRequest>>);
    impl Handler for Echo {
        fn handle(&self, listener: usize, _peer: SocketAddr, req: RawRequest) -> Reply {
            self.0.lock().unwrap().push(req.clone());
            if req.target == "/close" {
                return Reply::Close;
            }
            Reply::Respond(
                RawResponse::new(503)
                    .header("X-Listener", &listener.to_string())
                    .header("x-listener", "dup")
                    .body(req.target),
            )
        }
    }

    #[test]
    fn serves_over_tcp_with_keep_alive_and_logs() {
        let handler = Arc::new(Echo(Mutex::new(Vec::new())));
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = Server::start(vec![vec![l]], handler.clone()).unwrap();
        let mut s = TcpStream::connect(server.addrs[0]).unwrap();
        s.write_all(b"GET /one HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\n\r\n")
            .unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        let expect = b"HTTP/1.1 503 Service Unavailable\r\nX-Listener: 0\r\nx-listener: dup\r\nContent-Length: 4\r\n\r\n/one";
        let mut got = vec![0u8; expect.len()];
        r.read_exact(&mut got).unwrap();
        assert_eq!(got, expect);
        // Same connection, second request.
        s.write_all(b"GET /close HTTP/1.1\r\n\r\n").unwrap();
        // Reply::Close resets the connection: no byte comes back.
        let mut rest = Vec::new();
        match r.read_to_end(&mut rest) {
            Ok(_) => assert!(rest.is_empty()),
            Err(e) => assert_eq!(e.kind(), io::ErrorKind::ConnectionReset),
        }
        let log = handler.0.lock().unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(
            log[0].headers[1..],
            [("X-A".into(), "1".into()), ("x-a".into(), "2".into())]
        );
    }
}
