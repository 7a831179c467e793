//! Running the `corsica` binary from the end-to-end tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `corsica args…` with `stdin` on its standard input.
pub(crate) fn corsica(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corsica"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the corsica binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("corsica finishes")
}
