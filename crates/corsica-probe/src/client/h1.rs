//! HTTP/1.1, written and parsed here: the request goes out byte for byte as given, and the
//! response's header names keep their case, order and duplicates (an HTTP library would
//! lowercase and regroup them).

use std::time::Duration;

use corsica::HeaderList;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::{Instant, timeout_at};

use super::{Body, Head, Limits, WireRequest, isomorphic_encode};
use crate::error::{NetError, Phase, escape_prefix};

/// The most headers a response may have.
const MAX_HEADERS: usize = 1024;

/// The request's bytes: request line, `Host`, the headers as given, and `Content-Length: 0`
/// for the methods that carry a (here empty) body.
pub(super) fn encode_request(request: &WireRequest) -> Result<Vec<u8>, NetError> {
    let url = &request.url;
    let target = super::request_target(url);
    let target = if target.is_empty() { "/" } else { &target };
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(request.method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nHost: ");
    out.extend_from_slice(super::authority(url).as_bytes());
    out.extend_from_slice(b"\r\n");
    for header in &request.headers {
        let value = isomorphic_encode(&header.value).ok_or_else(|| NetError::InvalidRequest {
            message: format!("the value of {} is not a byte string", header.name),
        })?;
        out.extend_from_slice(header.name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(&value);
        out.extend_from_slice(b"\r\n");
    }
    if matches!(request.method.as_str(), "POST" | "PUT" | "PATCH")
        && !request.headers.contains("content-length")
    {
        out.extend_from_slice(b"Content-Length: 0\r\n");
    }
    out.extend_from_slice(b"\r\n");
    Ok(out)
}

/// Sends `request` over `stream` and reads the answer (informational responses skipped).
pub(super) async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    request: &WireRequest,
    limits: &Limits,
    deadline: Instant,
) -> Result<(Head, Body), NetError> {
    let bytes = encode_request(request)?;
    let timeout = |phase| NetError::Timeout {
        phase,
        after: limits.timeout,
    };
    timeout_at(deadline, async {
        stream.write_all(&bytes).await?;
        stream.flush().await
    })
    .await
    .map_err(|_| timeout(Phase::Send))?
    .map_err(|e| NetError::io(Phase::Send, &e))?;

    let too_large = || NetError::HeadTooLarge {
        limit: limits.max_head_bytes,
    };
    let mut buffer = Vec::with_capacity(4096);
    let (head, consumed) = loop {
        if let Some((head, consumed)) = parse_head(&buffer)? {
            // A head of max_head_bytes is read; one byte more is refused.
            if consumed > limits.max_head_bytes {
                return Err(too_large());
            }
            if (100..200).contains(&head.status) && head.status != 101 {
                buffer.drain(..consumed);
                continue;
            }
            break (head, consumed);
        }
        if buffer.len() > limits.max_head_bytes {
            return Err(too_large());
        }
        // Never more than one byte past the limit in memory.
        let mut chunk = [0_u8; 8192];
        let room = (limits.max_head_bytes.saturating_add(1) - buffer.len()).min(chunk.len());
        let read = timeout_at(deadline, stream.read(&mut chunk[..room]))
            .await
            .map_err(|_| timeout(Phase::Head))?
            .map_err(|e| NetError::io(Phase::Head, &e))?;
        if read == 0 {
            return Err(if buffer.is_empty() {
                NetError::Io {
                    phase: Phase::Head,
                    kind: std::io::ErrorKind::UnexpectedEof,
                    message: String::from("the server closed the connection without answering"),
                }
            } else {
                NetError::Malformed {
                    message: String::from("the connection closed in the middle of the headers"),
                    received: escape_prefix(&buffer),
                }
            });
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    buffer.drain(..consumed);
    let framing = framing(&request.method, &head);
    let body_deadline = deadline.min(Instant::now() + limits.body_time);
    let body = read_body(
        stream,
        buffer,
        framing,
        limits.max_body_bytes,
        body_deadline,
    )
    .await;
    Ok((head, body))
}

/// The response head in `buffer`, and its length, once it is complete.
fn parse_head(buffer: &[u8]) -> Result<Option<(Head, usize)>, NetError> {
    if buffer.is_empty() {
        return Ok(None);
    }
    let mut headers = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let mut config = httparse::ParserConfig::default();
    // What browsers accept: obsolete line folding, and spaces before the colon.
    config.allow_obsolete_multiline_headers_in_responses(true);
    config.allow_spaces_after_header_name_in_responses(true);
    let consumed = match config.parse_response(&mut response, buffer) {
        Ok(httparse::Status::Complete(consumed)) => consumed,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(NetError::Malformed {
                message: match e {
                    httparse::Error::TooManyHeaders => format!("more than {MAX_HEADERS} headers"),
                    e => e.to_string(),
                },
                received: escape_prefix(buffer),
            });
        }
    };
    let status = response.code.unwrap_or(0);
    let list: HeaderList = response
        .headers
        .iter()
        .map(|h| (h.name, unfold(h.value)))
        .collect();
    let head = Head {
        status,
        headers: list,
        version: if response.version == Some(0) {
            super::Version::Http10
        } else {
            super::Version::Http11
        },
    };
    Ok(Some((head, consumed)))
}

/// A header value's bytes as a string of code points 0 to 255, with obsolete line folds (CRLF
/// followed by spaces or tabs) replaced by one space, as browsers do.
fn unfold(value: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if b == b'\r' || b == b'\n' {
            while i < value.len() && matches!(value[i], b'\r' | b'\n' | b' ' | b'\t') {
                i += 1;
            }
            out.push(' ');
            continue;
        }
        out.push(char::from(b));
        i += 1;
    }
    out
}

/// How the body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

fn framing(method: &str, head: &Head) -> Framing {
    if method == "HEAD" || matches!(head.status, 100..=199 | 204 | 304) {
        return Framing::None;
    }
    if let Some(te) = head.headers.get("transfer-encoding") {
        return if te
            .rsplit(',')
            .next()
            .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        {
            Framing::Chunked
        } else {
            Framing::UntilClose
        };
    }
    match head
        .headers
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        Some(length) => Framing::Length(length),
        None => Framing::UntilClose,
    }
}

/// Reads the body until it ends, passes `limit` bytes, or `deadline`: it only feeds the report
/// (size and a snippet), never the verdict, so it never fails the exchange. A body of exactly
/// `limit` bytes is read whole; one byte more and it is cut at `limit`.
async fn read_body<S: AsyncRead + Unpin>(
    stream: &mut S,
    mut pending: Vec<u8>,
    framing: Framing,
    limit: usize,
    deadline: Instant,
) -> Body {
    let mut body = Body::default();
    if framing == Framing::None {
        body.complete = true;
        return body;
    }
    let mut chunked = ChunkedState::Size;
    loop {
        // Take what the buffer holds.
        let done = match framing {
            Framing::None => true,
            Framing::Length(length) => {
                let want = usize::try_from(length.saturating_sub(body.bytes)).unwrap_or(usize::MAX);
                let take = want.min(pending.len());
                body.take(&pending[..take], limit);
                pending.drain(..take);
                // Longer than the limit, as `Content-Length` says: no need to wait for more.
                if length > limit as u64 && body.bytes == limit as u64 {
                    body.note = Some(Body::CUT);
                }
                body.bytes == length
            }
            Framing::UntilClose => {
                body.take(&pending, limit);
                pending.clear();
                false
            }
            Framing::Chunked => {
                let finished = chunked.feed(&mut pending, &mut body, limit);
                if chunked == ChunkedState::Broken {
                    body.note = Some("the chunked encoding is broken");
                }
                finished
            }
        };
        // Cut at the limit, or broken.
        if body.note.is_some() {
            return body;
        }
        if done {
            body.complete = true;
            return body;
        }
        // What is pending is framing the decoder could not use yet (a chunk-size line): a
        // server that never ends one must not fill memory.
        if pending.len() > limit {
            body.note = Some(Body::CUT);
            return body;
        }
        let mut chunk = [0_u8; 8192];
        match timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => {
                body.note = Some("still arriving when the time ran out");
                return body;
            }
            Ok(Err(_)) => {
                body.note = Some("the connection broke during the body");
                return body;
            }
            Ok(Ok(0)) => {
                body.complete = framing == Framing::UntilClose;
                if !body.complete {
                    body.note = Some("the connection closed before the body's end");
                }
                return body;
            }
            Ok(Ok(read)) => pending.extend_from_slice(&chunk[..read]),
        }
    }
}

/// Where a chunked body's decoder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChunkedState {
    /// Expecting a chunk-size line.
    Size,
    /// Inside a chunk, with this many bytes left.
    Data(u64),
    /// Expecting the CRLF after a chunk's data.
    DataEnd,
    /// The encoding does not parse.
    Broken,
}

impl ChunkedState {
    /// Consumes what it can of `pending` into `body`, up to `limit` bytes of body; true once the
    /// last chunk has been seen, false when it needs more or the body was cut.
    fn feed(&mut self, pending: &mut Vec<u8>, body: &mut Body, limit: usize) -> bool {
        loop {
            match *self {
                Self::Size => match httparse::parse_chunk_size(pending) {
                    Ok(httparse::Status::Complete((used, 0))) => {
                        pending.drain(..used);
                        return true;
                    }
                    Ok(httparse::Status::Complete((used, size))) => {
                        pending.drain(..used);
                        *self = Self::Data(size);
                    }
                    Ok(httparse::Status::Partial) => return false,
                    Err(_) => {
                        *self = Self::Broken;
                        return false;
                    }
                },
                Self::Data(left) => {
                    let take = usize::try_from(left)
                        .unwrap_or(usize::MAX)
                        .min(pending.len());
                    if !body.take(&pending[..take], limit) {
                        return false;
                    }
                    pending.drain(..take);
                    let left = left - take as u64;
                    if left > 0 {
                        *self = Self::Data(left);
                        return false;
                    }
                    *self = Self::DataEnd;
                }
                Self::DataEnd => {
                    if pending.len() < 2 {
                        return false;
                    }
                    if &pending[..2] != b"\r\n" {
                        *self = Self::Broken;
                        return false;
                    }
                    pending.drain(..2);
                    *self = Self::Size;
                }
                Self::Broken => return false,
            }
        }
    }
}

/// How long the body may take after the head, at most.
pub(super) const DEFAULT_BODY_TIME: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> WireRequest {
        WireRequest {
            method: method.to_owned(),
            url: url.parse().unwrap(),
            headers: headers.iter().copied().collect(),
        }
    }

    #[test]
    fn requests_are_written_as_given() {
        let bytes = encode_request(&request(
            "OPTIONS",
            "http://127.0.0.1:8080/a/b?c=d#frag",
            &[("Origin", "https://app.example"), ("X-Latin", "caf\u{e9}")],
        ))
        .unwrap();
        assert_eq!(
            bytes,
            b"OPTIONS /a/b?c=d HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: https://app.example\r\nX-Latin: caf\xe9\r\n\r\n"
        );
        let bytes = encode_request(&request("POST", "https://[::1]/", &[])).unwrap();
        assert_eq!(
            bytes,
            b"POST / HTTP/1.1\r\nHost: [::1]\r\nContent-Length: 0\r\n\r\n"
        );
        assert!(encode_request(&request("GET", "http://a.example/", &[("X", "\u{100}")])).is_err());
    }

    #[test]
    fn heads_keep_case_order_duplicates_and_unfold() {
        let raw = b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://a.example\r\nvary: Origin\r\nAccess-Control-Allow-Origin: https://b.example\r\nX-Folded: a,\r\n  b\r\n\r\nrest";
        let (head, consumed) = parse_head(raw).unwrap().unwrap();
        assert_eq!(&raw[consumed..], b"rest");
        assert_eq!(head.status, 204);
        let names: Vec<&str> = head.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Access-Control-Allow-Origin",
                "vary",
                "Access-Control-Allow-Origin",
                "X-Folded"
            ]
        );
        assert_eq!(head.headers.get("x-folded").as_deref(), Some("a, b"));
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\nX: y\r\n")
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            parse_head(b"SSH-2.0-OpenSSH_9.2\r\n"),
            Err(NetError::Malformed { .. })
        ));
    }

    #[test]
    fn chunked_bodies_decode() {
        let mut state = ChunkedState::Size;
        let mut body = Body::default();
        let mut pending = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n".to_vec();
        assert!(state.feed(&mut pending, &mut body, usize::MAX));
        assert_eq!(body.snippet, b"hello world");
        let mut state = ChunkedState::Size;
        let mut pending = b"zz\r\n".to_vec();
        assert!(!state.feed(&mut pending, &mut Body::default(), usize::MAX));
        assert_eq!(state, ChunkedState::Broken);
    }
}
