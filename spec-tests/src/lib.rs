//! The vector runner.
