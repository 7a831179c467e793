//! Loopback servers with known CORS configurations, for `corsica demo` and for tests: a correct
//! API, and the common mistakes (a server that reflects any origin, `*` with credentials, the
//! nginx `if ($request_method = 'OPTIONS')` recipe that loses its headers on the preflight,
//! `Authorization` allowed only under `*`, a trailing slash in the allowed origin).
//!
//! Each [`LoopbackServer`] listens on `127.0.0.1` on a port the system picks, answers HTTP/1.1,
//! and stops when [`stop`](LoopbackServer::stop)ped or dropped. [`Config::respond`] is the same
//! logic without a socket.
//!
//! Routes: `/`, `/api/data` and `/api/me` answer 200 with a small JSON body; any other path
//! answers 404. An `OPTIONS` without `Access-Control-Request-Method` reaches the application,
//! which answers 204 with `Allow`, unless the configuration treats every `OPTIONS` as a preflight
//! (as the reflecting and nginx configurations do).

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use corsica::HeaderList;
use corsica::Url;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A CORS policy done right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The allowed origins, exactly.
    pub origins: Vec<String>,
    /// The allowed methods (`Access-Control-Allow-Methods`).
    pub methods: Vec<String>,
    /// The allowed request headers (`Access-Control-Allow-Headers`).
    pub headers: Vec<String>,
    /// Allow credentials.
    pub credentials: bool,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<u64>,
    /// `Access-Control-Expose-Headers`.
    pub expose: Vec<String>,
}

impl Policy {
    /// A JSON API for `origin`: `GET`, `POST`, `PUT`, `DELETE`; `Content-Type` and
    /// `Authorization`; credentials; max-age 600.
    pub fn json_api(origin: &str) -> Self {
        Self {
            origins: vec![origin.to_owned()],
            methods: ["GET", "POST", "PUT", "DELETE"].map(String::from).to_vec(),
            headers: ["Content-Type", "Authorization"].map(String::from).to_vec(),
            credentials: true,
            max_age: Some(600),
            expose: Vec::new(),
        }
    }
}

/// How a built-in server answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Config {
    /// An allowlist, `Vary: Origin` on every response, preflights only for `OPTIONS` with
    /// `Access-Control-Request-Method`.
    Correct(Policy),
    /// Any origin echoed, with credentials, and the requested headers echoed too (Express
    /// `cors({origin: true, credentials: true})`).
    Reflecting,
    /// `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`.
    WildcardWithCredentials,
    /// The nginx recipe whose `if ($request_method = 'OPTIONS') { add_header …; return 204; }`
    /// block drops every outer `add_header`: the actual responses allow `origin`, the preflight
    /// has no `Access-Control-Allow-Origin`.
    NginxIfPreflight {
        /// The origin the outer `add_header` allows.
        origin: String,
    },
    /// `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Headers: *`, relied on to cover
    /// `Authorization`.
    AuthorizationUnderWildcard,
    /// `Access-Control-Allow-Origin` configured with a trailing slash (`origin` + `/`).
    TrailingSlash {
        /// The origin meant.
        origin: String,
    },
}

/// A response of a built-in server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

const ROUTES: [&str; 3] = ["/", "/api/data", "/api/me"];

impl Config {
    /// The answer to a request with `method`, `path` and `headers`.
    pub fn respond(&self, method: &str, path: &str, headers: &HeaderList) -> Reply {
        let origin = headers.get("origin").map(|o| o.into_owned());
        let request_method = headers.get("access-control-request-method");
        let preflight = method == "OPTIONS" && request_method.is_some();
        let found = ROUTES.contains(&path);
        let mut reply = if method == "OPTIONS" {
            Reply {
                status: 204,
                headers: vec![(
                    String::from("Allow"),
                    String::from("GET, HEAD, POST, PUT, DELETE, OPTIONS"),
                )],
                body: String::new(),
            }
        } else if found {
            Reply {
                status: 200,
                headers: vec![(
                    String::from("Content-Type"),
                    String::from("application/json"),
                )],
                body: String::from(r#"{"items":[1,2,3]}"#),
            }
        } else {
            Reply {
                status: 404,
                headers: vec![(
                    String::from("Content-Type"),
                    String::from("application/json"),
                )],
                body: String::from(r#"{"error":"not found"}"#),
            }
        };
        macro_rules! add {
            ($name:expr, $value:expr $(,)?) => {
                reply
                    .headers
                    .push((String::from($name), String::from($value)))
            };
        }
        match self {
            Self::Correct(policy) => {
                let allowed = origin.as_ref().filter(|o| policy.origins.contains(o));
                if let Some(origin) = allowed {
                    add!("Access-Control-Allow-Origin", origin.as_str());
                    if policy.credentials {
                        add!("Access-Control-Allow-Credentials", "true");
                    }
                    if preflight {
                        add!("Access-Control-Allow-Methods", policy.methods.join(", "));
                        if !policy.headers.is_empty() {
                            add!("Access-Control-Allow-Headers", policy.headers.join(", "));
                        }
                        if let Some(max_age) = policy.max_age {
                            add!("Access-Control-Max-Age", max_age.to_string());
                        }
                    } else if !policy.expose.is_empty() {
                        add!("Access-Control-Expose-Headers", policy.expose.join(", "));
                    }
                }
                add!(
                    "Vary",
                    if preflight {
                        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
                    } else {
                        "Origin"
                    },
                );
                if preflight {
                    // A preflight never reaches the application.
                    reply.headers.retain(|(n, _)| n != "Allow");
                }
            }
            Self::Reflecting => {
                if method == "OPTIONS" {
                    reply.headers.clear();
                }
                if let Some(origin) = &origin {
                    reply
                        .headers
                        .push((String::from("Access-Control-Allow-Origin"), origin.clone()));
                    reply.headers.push((
                        String::from("Access-Control-Allow-Credentials"),
                        String::from("true"),
                    ));
                }
                if method == "OPTIONS" {
                    reply.headers.push((
                        String::from("Access-Control-Allow-Methods"),
                        String::from("GET,HEAD,PUT,PATCH,POST,DELETE"),
                    ));
                    if let Some(requested) = headers.get("access-control-request-headers") {
                        reply.headers.push((
                            String::from("Access-Control-Allow-Headers"),
                            requested.into_owned(),
                        ));
                    }
                    reply.headers.push((
                        String::from("Vary"),
                        String::from("Origin, Access-Control-Request-Headers"),
                    ));
                } else {
                    reply
                        .headers
                        .push((String::from("Vary"), String::from("Origin")));
                }
            }
            Self::WildcardWithCredentials => {
                add!("Access-Control-Allow-Origin", "*");
                add!("Access-Control-Allow-Credentials", "true");
                if preflight {
                    add!("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
                    add!(
                        "Access-Control-Allow-Headers",
                        "Content-Type, Authorization"
                    );
                    add!("Access-Control-Max-Age", "600");
                }
            }
            Self::NginxIfPreflight { origin } => {
                if method == "OPTIONS" {
                    reply.headers.clear();
                    add!(
                        "Access-Control-Allow-Methods",
                        "GET, POST, PUT, DELETE, OPTIONS"
                    );
                    add!(
                        "Access-Control-Allow-Headers",
                        "Authorization, Content-Type"
                    );
                    add!("Access-Control-Max-Age", "1728000");
                    add!("Content-Type", "text/plain; charset=utf-8");
                } else {
                    add!("Access-Control-Allow-Origin", origin.as_str());
                    add!("Access-Control-Allow-Credentials", "true");
                }
            }
            Self::AuthorizationUnderWildcard => {
                add!("Access-Control-Allow-Origin", "*");
                if preflight {
                    reply.headers.retain(|(n, _)| n != "Allow");
                    reply.headers.push((
                        String::from("Access-Control-Allow-Methods"),
                        String::from("GET, POST, PUT, DELETE"),
                    ));
                    reply.headers.push((
                        String::from("Access-Control-Allow-Headers"),
                        String::from("*"),
                    ));
                    reply
                        .headers
                        .push((String::from("Access-Control-Max-Age"), String::from("600")));
                }
            }
            Self::TrailingSlash { origin } => {
                add!("Access-Control-Allow-Origin", format!("{origin}/"));
                add!("Access-Control-Allow-Credentials", "true");
                if preflight {
                    add!("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
                    add!(
                        "Access-Control-Allow-Headers",
                        "Content-Type, Authorization"
                    );
                    add!("Access-Control-Max-Age", "600");
                }
            }
        }
        reply
    }
}

/// A built-in server on `127.0.0.1`.
#[derive(Debug)]
pub struct LoopbackServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl LoopbackServer {
    /// Starts a server answering as `config` says, on a port the system picks.
    pub async fn start(config: Config) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let config = Arc::new(config);
        let (shutdown, mut stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let config = config.clone();
                        connections.spawn(async move {
                            let service = service_fn(move |request| {
                                let config = config.clone();
                                async move { Ok::<_, Infallible>(handle(&config, &request)) }
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .title_case_headers(true)
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                }
            }
            connections.abort_all();
        });
        Ok(Self {
            address,
            shutdown: Some(shutdown),
            task,
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.address)).expect("a valid URL")
    }

    /// Stops accepting, closes the connections, and waits until the server is gone.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn handle<B>(config: &Config, request: &hyper::Request<B>) -> hyper::Response<Full<Bytes>> {
    let headers = corsica::http::header_list(request.headers());
    let reply = config.respond(request.method().as_str(), request.uri().path(), &headers);
    let mut response = hyper::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name.as_str(), value.as_str());
    }
    response
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderList {
        pairs.iter().copied().collect()
    }

    #[test]
    fn the_nginx_recipe_loses_its_origin_on_the_preflight() {
        let config = Config::NginxIfPreflight {
            origin: String::from("http://localhost:5173"),
        };
        let preflight = config.respond(
            "OPTIONS",
            "/api/data",
            &headers(&[
                ("Origin", "http://localhost:5173"),
                ("Access-Control-Request-Method", "PUT"),
            ]),
        );
        assert_eq!(preflight.status, 204);
        assert!(
            !preflight
                .headers
                .iter()
                .any(|(n, _)| n == "Access-Control-Allow-Origin")
        );
        let get = config.respond(
            "GET",
            "/api/data",
            &headers(&[("Origin", "http://localhost:5173")]),
        );
        assert!(
            get.headers
                .iter()
                .any(|(n, v)| n == "Access-Control-Allow-Origin" && v == "http://localhost:5173")
        );
    }

    #[test]
    fn the_correct_api_answers_only_its_origin() {
        let config = Config::Correct(Policy::json_api("http://localhost:5173"));
        let evil = config.respond(
            "GET",
            "/api/data",
            &headers(&[("Origin", "https://evil.example")]),
        );
        assert!(
            !evil
                .headers
                .iter()
                .any(|(n, _)| n.starts_with("Access-Control"))
        );
        assert!(
            evil.headers
                .iter()
                .any(|(n, v)| n == "Vary" && v == "Origin")
        );
        let missing = config.respond("GET", "/nope", &headers(&[]));
        assert_eq!(missing.status, 404);
    }
}
