//! Loopback servers that speak raw TCP (to answer what no HTTP library would), and a client with
//! a short deadline to send them a `GET`.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use corsica_probe::Client;
use corsica_probe::client::{ClientConfig, WireRequest};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// The page origin the requests come from.
pub const PAGE: &str = "http://localhost:5173";

/// A client whose deadline for one request is `timeout_ms`, reading bodies for 300 ms at most.
pub fn client(timeout_ms: u64) -> Client {
    Client::new(ClientConfig {
        timeout: Duration::from_millis(timeout_ms),
        body_time: Duration::from_millis(300),
        ..ClientConfig::default()
    })
    .unwrap()
}

/// A `GET` of `url` with an `Origin`.
pub fn get(url: &str) -> WireRequest {
    WireRequest {
        method: String::from("GET"),
        url: url.parse().unwrap(),
        headers: [("Origin", PAGE)].into_iter().collect(),
    }
}

/// A server on 127.0.0.1 that reads each request head, then runs `behave` on the socket; it
/// lives as long as the test's runtime. Its URL is `http://127.0.0.1:PORT/x`.
pub async fn raw_server<F, Fut>(behave: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let behave = Arc::new(behave);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let behave = behave.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0_u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte).await {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                behave(stream).await;
            });
        }
    });
    format!("http://{address}/x")
}
