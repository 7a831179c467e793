//! HTTP/2 through hyper, when the server picks `h2` in the TLS handshake (browsers never speak
//! HTTP/2 without TLS). Header names arrive lowercase, as HTTP/2 requires.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::{Instant, timeout_at};

use super::{Body, Head, Limits, Version, WireRequest};
use crate::error::{NetError, Phase};

/// Sends `request` on a new HTTP/2 connection over `stream`.
pub(super) async fn exchange<S>(
    stream: S,
    request: &WireRequest,
    limits: &Limits,
    deadline: Instant,
) -> Result<(Head, Body), NetError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let timeout = |phase| NetError::Timeout {
        phase,
        after: limits.timeout,
    };
    let broken = |phase, e: hyper::Error| NetError::Io {
        phase,
        kind: std::io::ErrorKind::Other,
        message: match std::error::Error::source(&e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    };
    let too_large = || NetError::HeadTooLarge {
        limit: limits.max_head_bytes,
    };
    let http_request = http_request(request)?;
    let (mut sender, connection) = timeout_at(
        deadline,
        hyper::client::conn::http2::Builder::new(TokioExecutor::new())
            // A bound on memory only: h2 refuses a header list of this size or more with an
            // error that does not say why, so the limit itself is checked below, exactly.
            .max_header_list_size(
                u32::try_from(limits.max_head_bytes.saturating_mul(2)).unwrap_or(u32::MAX),
            )
            .handshake::<_, Empty<Bytes>>(TokioIo::new(stream)),
    )
    .await
    .map_err(|_| timeout(Phase::Send))?
    .map_err(|e| broken(Phase::Send, e))?;
    // The connection task dies with this exchange.
    let driver = tokio::spawn(connection);
    let _abort = AbortOnDrop(driver);

    let response = timeout_at(deadline, sender.send_request(http_request))
        .await
        .map_err(|_| timeout(Phase::Head))?
        .map_err(|e| match h2_refusal(&e) {
            Some(h2::Reason::ENHANCE_YOUR_CALM) => too_large(),
            Some(h2::Reason::PROTOCOL_ERROR) => NetError::Http2HeadRefused {
                limit: limits.max_head_bytes,
            },
            _ => broken(Phase::Head, e),
        })?;
    if header_list_size(&response) > limits.max_head_bytes {
        return Err(too_large());
    }
    let head = Head {
        status: response.status().as_u16(),
        headers: corsica::http::header_list(response.headers()),
        version: Version::Http2,
    };
    let mut incoming = response.into_body();
    let mut body = Body::default();
    let body_deadline = deadline.min(Instant::now() + limits.body_time);
    loop {
        match timeout_at(body_deadline, incoming.frame()).await {
            Err(_) => {
                body.note = Some("still arriving when the time ran out");
                break;
            }
            Ok(None) => {
                body.complete = true;
                break;
            }
            Ok(Some(Err(_))) => {
                body.note = Some("the stream broke during the body");
                break;
            }
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref()
                    && !body.take(data, limits.max_body_bytes)
                {
                    break;
                }
            }
        }
    }
    Ok((head, body))
}

/// The size HTTP/2 gives the response's header list: each name and value and 32 bytes more,
/// `:status` included ([RFC 9113, section 6.5.2](https://www.rfc-editor.org/rfc/rfc9113#section-6.5.2),
/// `SETTINGS_MAX_HEADER_LIST_SIZE`).
fn header_list_size<B>(response: &http::Response<B>) -> usize {
    let field = |name: usize, value: usize| name + value + 32;
    response
        .headers()
        .iter()
        .map(|(name, value)| field(name.as_str().len(), value.len()))
        .fold(field(":status".len(), 3), usize::saturating_add)
}

/// Why h2 itself (not the server) refused the response: `PROTOCOL_ERROR` for a malformed head
/// or a header list past its bound (it does not tell them apart), `ENHANCE_YOUR_CALM` for one far
/// past it (too many `CONTINUATION` frames, or past four times the bound).
fn h2_refusal(error: &hyper::Error) -> Option<h2::Reason> {
    std::error::Error::source(error)
        .and_then(|cause| cause.downcast_ref::<h2::Error>())
        .filter(|h2| h2.is_library())
        .and_then(h2::Error::reason)
}

/// The `http` request for `request` (pseudo-headers from the URL; no `Host`).
fn http_request(request: &WireRequest) -> Result<http::Request<Empty<Bytes>>, NetError> {
    let invalid = |message: String| NetError::InvalidRequest { message };
    let method = http::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| invalid(format!("{:?} is not a method", request.method)))?;
    let url = &request.url;
    let uri = format!(
        "{}://{}{}",
        url.scheme(),
        super::authority(url),
        super::request_target(url)
    );
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .version(http::Version::HTTP_2);
    if let Some(headers) = builder.headers_mut() {
        *headers = corsica::http::header_map(&request.headers)
            .map_err(|e| invalid(format!("{e} over HTTP/2")))?;
    }
    builder
        .body(Empty::new())
        .map_err(|e| invalid(e.to_string()))
}

struct AbortOnDrop(tokio::task::JoinHandle<Result<(), hyper::Error>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
