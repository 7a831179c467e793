//! # corsica-probe: the corsica engine against live servers
//!
//! WIP.

pub mod audit;
pub mod browser;
pub mod client;
pub mod error;
pub mod fixture;
pub mod probe;
pub mod record;
pub mod session;

pub use browser::BrowserHeaders;
pub use client::{Client, ClientConfig, Received, WireRequest};
pub use error::{NetError, Phase};
pub use session::{LiveOutcome, Session, Transport};
