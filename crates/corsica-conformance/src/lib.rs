//! # corsica-conformance: does a server's CORS behaviour match what its owners meant?
//!
//! Declare the policy ([`Policy`]: allowed origins, methods, headers, credentials, and
//! optionally exposed headers, max-age and private-network access); the check generates the
//! requests browsers can send near its boundaries ([`strategy`]), sends each to the server as
//! every browser profile and the Fetch Standard would ([`driver`]), lets the corsica engine
//! decide what the browser does with the real answers, and compares with the policy
//! ([`violation::Rule`]):
//!
//! - **security**: a request the policy refuses (origin, method, header, credentials) must be
//!   blocked by every browser;
//! - **function**: a request the policy allows must be allowed, with the preflight cached no
//!   longer than `max_age` and the `expose` headers readable;
//! - **hygiene**: `Vary: Origin` whenever the answer depends on `Origin`; no CORS header
//!   granting more than the policy.
//!
//! The first failure is shrunk to a minimal counterexample, with a [scenario](corsica::scenario)
//! that `corsica eval` replays offline.
//!
//! Any `tower::Service` (an axum `Router`, a `tower-http` stack) is checked in-process, with no
//! network, in a unit test:
//!
//! ```
//! use axum::{Router, routing::get};
//! use corsica_conformance::{Config, Policy, Server, check_blocking};
//! use http::{Method, header};
//! use tower_http::cors::{AllowOrigin, CorsLayer};
//!
//! let policy = Policy::from_toml(r#"
//!     origins = ["https://app.example"]
//!     methods = ["GET", "PUT"]
//!     headers = ["content-type"]
//!     credentials = true
//! "#).unwrap();
//!
//! // Reflects any origin, with credentials: every site can read the user's data.
//! let app = Router::new().route("/api", get(|| async { "{}" })).layer(
//!     CorsLayer::new()
//!         .allow_origin(AllowOrigin::mirror_request())
//!         .allow_methods([Method::GET, Method::PUT])
//!         .allow_headers([header::CONTENT_TYPE])
//!         .allow_credentials(true),
//! );
//! let server = Server::in_process("https://api.example/api".parse().unwrap(), app);
//! let report = check_blocking(&server, &policy, &Config::default()).unwrap();
//!
//! let counterexample = report.counterexample.unwrap();
//! assert_eq!(counterexample.case.origin, "https://attacker.example");
//! assert_eq!(counterexample.violations[0].rule, corsica_conformance::Rule::OriginNotAllowed);
//! // The scenario replays offline with the same verdict.
//! let replay = counterexample.scenario.evaluate().unwrap();
//! assert!(serde_json::to_string(&replay).unwrap().contains(r#""verdict":"allowed""#));
//! ```
//!
//! A live server is a [`Server::live`]; `corsica conform URL --policy FILE` runs the same
//! check from the command line.

pub mod case;
pub mod check;
pub mod driver;
pub mod policy;
mod replay;
pub mod strategy;
pub mod violation;

pub use case::Case;
pub use check::{
    CheckError, Config, Counterexample, Progress, Report, check, check_blocking,
    check_with_progress,
};
pub use driver::{InProcess, Server};
pub use policy::{OriginPattern, Policy, PolicyError, PolicyProblem};
pub use violation::{Category, Evidence, Rule, Violation};
