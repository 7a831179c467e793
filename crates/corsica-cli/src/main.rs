//! The `corsica` command.

fn main() {}
