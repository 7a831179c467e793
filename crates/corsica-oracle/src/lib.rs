//! corsica-oracle: records what real browsers do with CORS scenarios.
//!
//! A scenario (in the project's scenario format, written against the placeholder origins
//! `http://page.test`, `http://api.test` and `http://other.test`) is played by a page served
//! from `http://127.0.0.1:A` in Chromium, Firefox ESR or WebKitGTK, against a scripted raw
//! HTTP/1.1 server on `http://127.0.0.1:B` (same-site) and `http://localhost:C` (cross-site).
//! The record says what the page saw, what the server received, what the console said, and
//! (Chromium) which `CorsError` the browser reported.

pub mod browser;
pub mod generate;
pub mod harness;
pub mod http;
pub mod install;
pub mod plan;
pub mod proc;
pub mod record;
pub mod rewrite;
pub mod ws;
