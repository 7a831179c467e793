//! A blocking JSON WebSocket client for CDP and WebDriver BiDi (both send `{"id": n, …}`
//! commands and get back either a response with that id or events).

use std::collections::VecDeque;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// A connection.
pub struct Ws {
    sock: WebSocket<TcpStream>,
    next_id: u64,
    backlog: VecDeque<Value>,
    closed: bool,
}

impl Ws {
    /// Connects to a `ws://127.0.0.1:port/path` URL.
    pub fn connect(url: &str, timeout: Duration) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("bad WebSocket URL {url}: {e}"))?;
        let host = parsed.host_str().ok_or("WebSocket URL without host")?;
        let port = parsed
            .port_or_known_default()
            .ok_or("WebSocket URL without port")?;
        let addr = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
            .map_err(|e| format!("resolve {host}: {e}"))?
            .next()
            .ok_or("no address")?;
        let stream = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| format!("connect {url}: {e}"))?;
        stream
            .set_read_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sock, _resp) = tungstenite::client(url, stream)
            .map_err(|e| format!("WebSocket handshake with {url}: {e}"))?;
        Ok(Self {
            sock,
            next_id: 0,
            backlog: VecDeque::new(),
            closed: false,
        })
    }

    /// Whether the peer closed the connection.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    fn read_one(&mut self, wait: Duration) -> Result<Option<Value>, String> {
        if self.closed {
            return Err("connection closed".into());
        }
        let wait = wait.max(Duration::from_millis(1));
        let _ = self.sock.get_ref().set_read_timeout(Some(wait));
        match self.sock.read() {
            Ok(Message::Text(t)) => serde_json::from_str(t.as_str())
                .map(Some)
                .map_err(|e| format!("bad JSON from browser: {e}")),
            Ok(Message::Binary(b)) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| format!("bad JSON from browser: {e}")),
            Ok(Message::Close(_)) => {
                self.closed = true;
                Err("connection closed by the browser".into())
            }
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                Ok(None)
            }
            Err(e) => {
                self.closed = true;
                Err(format!("WebSocket: {e}"))
            }
        }
    }

    /// The next message that is not a command response, waiting at most `wait`.
    pub fn next_event(&mut self, wait: Duration) -> Result<Option<Value>, String> {
        if let Some(v) = self.backlog.pop_front() {
            return Ok(Some(v));
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.read_one(left)? {
                Some(v) if v.get("id").is_some() && v.get("method").is_none() => continue,
                Some(v) => return Ok(Some(v)),
                None if Instant::now() >= deadline => return Ok(None),
                None => continue,
            }
        }
    }

    /// Sends a command without waiting for its response (which is then skipped).
    pub fn send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<(), String> {
        self.next_id += 1;
        let mut msg = json!({"id": self.next_id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_owned());
        }
        self.sock
            .send(Message::Text(msg.to_string()))
            .map_err(|e| format!("send {method}: {e}"))
    }

    /// Sends a command and waits for its response: the `result`, or an error.
    /// `session` adds CDP's `sessionId`.
    pub fn call(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
        timeout: Duration,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_owned());
        }
        self.sock
            .send(Message::Text(msg.to_string()))
            .map_err(|e| format!("send {method}: {e}"))?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("{method}: no answer within {timeout:?}"));
            }
            let Some(v) = self.read_one(left)? else {
                continue;
            };
            if v.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = v.get("error") {
                    if v.get("type").and_then(Value::as_str) == Some("error") || !err.is_null() {
                        let message = v.get("message").map(Value::to_string).unwrap_or_default();
                        return Err(format!("{method}: {err} {message}"));
                    }
                }
                return Ok(v.get("result").cloned().unwrap_or(Value::Null));
            }
            if v.get("method").is_some() {
                self.backlog.push_back(v);
            }
        }
    }
}
