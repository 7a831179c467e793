//! Running the `corsica` binary from the end-to-end tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `corsica args…` with `stdin` on its standard input, to the end.
pub(crate) fn corsica(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corsica"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the corsica binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.as_ref().to_vec();
    // Written from a thread: a large input must not wait on output nobody reads yet.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("corsica finishes");
    writer.join().expect("the writer thread");
    output
}

/// The lines of standard output, each parsed as JSON (empty lines skipped).
#[allow(dead_code)] // Not every test file reads JSON lines.
pub(crate) fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("a JSON line"))
        .collect()
}
