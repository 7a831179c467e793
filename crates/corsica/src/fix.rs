//! What to change on the server.
//!
//! (Placeholder: the fixes are being written.)

use alloc::string::String;

use crate::error::Failure;
use crate::message::Context;

/// A concrete fix for the server, for `failure`.
pub fn fix(failure: &Failure, _ctx: &Context<'_>) -> String {
    alloc::format!("{}", failure.kind)
}
