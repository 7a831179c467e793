//! # corsica: the browser's CORS verdict, without a browser
//!
//! A model of the CORS protocol of the [WHATWG Fetch Standard](https://fetch.spec.whatwg.org/)
//! (revision `586cd2a`, 2026-07-02; step numbers follow it), with profiles for where Chromium,
//! Firefox and WebKit part from it. Given what a page asks `fetch()` for and how the server
//! answers, corsica says what the browser sends, whether the call resolves, what the script sees,
//! what the console prints and what to change on the server.
//!
//! The engine is sans-IO: it never reads a clock or opens a socket. A [`Fetch`] asks for the
//! requests it wants sent and is handed the responses; [`evaluate`] drives it against a closure.
//!
//! ```
//! use corsica::{Origin, Profile, PreflightCache, RequestInit, Request, Response, Verdict, evaluate};
//! use core::time::Duration;
//!
//! let page = Origin::parse("https://app.example").unwrap();
//! let mut init = RequestInit::new(page, "https://api.example/data".parse().unwrap());
//! init.method = "PUT".into();
//! let request = Request::new(init).unwrap();
//!
//! let mut cache = PreflightCache::new(&Profile::SPEC);
//! let outcome = evaluate(&request, &Profile::SPEC, &mut cache, Duration::ZERO, |sent| {
//!     let mut response = Response::new(204);
//!     response.headers.append("Access-Control-Allow-Origin", "https://app.example");
//!     if sent.method == "OPTIONS" {
//!         response.headers.append("Access-Control-Allow-Methods", "PUT");
//!     }
//!     Ok(response)
//! });
//! assert_eq!(outcome.verdict, Verdict::Allowed);
//! assert_eq!(outcome.exchanges.len(), 2); // the preflight, then the PUT
//! ```
//!
//! ## Features
//!
//! The crate is always `no_std` + `alloc`; it builds for targets without `std`
//! (`cargo build -p corsica --no-default-features --target thumbv7em-none-eabihf`).
//!
//! - `std` (default): adds nothing (the engine is the same without it).
//! - `serde`: the [scenario format](scenario) (input and output types).
//! - `json`: `serde` plus the engine's own JSON reader and writer of the format ([`json`]): a
//!   problem names its field; no JSON library is pulled in.
//! - `http`: conversions from and to the `http` crate's `Request`, `Response` and `HeaderMap`.

#![no_std]
// The core prelude, and these lints, keep std out of the engine.
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod cache;
pub mod check;
pub mod error;
pub mod expose;
pub mod fetch;
pub mod fix;
pub mod header;
pub mod lna;
pub mod message;
pub mod method;
pub mod mime;
pub mod origin;
pub mod preflight;
pub mod profile;
pub mod range;
pub mod redirect;
pub mod request;
pub mod response;
pub mod step;
pub mod trace;
pub mod url;
pub mod warning;

#[cfg(feature = "serde")]
pub mod explain;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "serde")]
mod quoted;
#[cfg(feature = "serde")]
pub mod scenario;

#[cfg(feature = "http")]
pub mod http;

pub use crate::url::Url;
pub use cache::PreflightCache;
pub use error::{ErrorKind, Failure, Stage};
pub use fetch::{
    Classification, Exchange, ExchangeKind, Fetch, Outcome, Poll, SentRequest, Verdict, classify,
    evaluate, preflight_request,
};
pub use header::{Header, HeaderList};
pub use origin::Origin;
pub use profile::{Engine, Profile};
pub use request::{CredentialsMode, RedirectMode, Request, RequestInit, RequestMode};
pub use response::{NetworkError, Response, ResponseType, VisibleResponse};
pub use warning::{Warning, WarningKind};
