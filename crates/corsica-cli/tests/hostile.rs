//! Bad input on the `corsica` binary, one row each with the exact error it gives: `eval` exits 2
//! naming the field; `eval --jsonl` answers a bad line with an error object and goes on; the
//! input limits at their boundary; `probe` and `audit` report a loopback server that is silent or
//! not HTTP, exit 2, within their `--timeout`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::time::Duration;

use serde_json::{Value, json};

mod support;

use support::{corsica, json_lines};

/// The scenario size limit and the `--jsonl` line limit (README.md, "Limits").
const MAX_BYTES: usize = 16 * 1024 * 1024;

const OK: &str = r#"{"request": {"origin": "https://app.example", "url": "https://api.example/"}, "server": [{"status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}]}"#;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `OK` padded with spaces to exactly `bytes` bytes.
fn padded(bytes: usize) -> Vec<u8> {
    let mut text = OK.as_bytes().to_vec();
    text.resize(bytes, b' ');
    text
}

#[test]
fn eval_exits_2_naming_the_field_and_the_problem() {
    let not_an_object = "corsica eval: invalid scenario: a scenario is a JSON object: {\"request\": …, \"server\": […]}\n";
    let rows: &[(&str, &[u8], &str)] = &[
        ("empty", b"", not_an_object),
        ("an array", b"[]", not_an_object),
        (
            "not UTF-8",
            b"{\"request\": \"\xff\"}",
            "corsica eval: standard input: stream did not contain valid UTF-8\n",
        ),
        (
            "cut short",
            b"{\"request\": {",
            "corsica eval: invalid scenario: request: EOF while parsing an object at line 1 column 14\n",
        ),
        (
            "an origin that is not one",
            br#"{"request": {"origin": "app.example", "url": "https://api.example/"}}"#,
            "corsica eval: invalid scenario: request.origin: not a URL\n",
        ),
        (
            "a header value that is not a string",
            br#"{"request": {"origin": "null", "url": "https://a.example/", "headers": [["X", null]]}}"#,
            "corsica eval: invalid scenario: request.headers[0][1]: invalid type: null, expected a string at line 1 column 79\n",
        ),
        (
            "a status out of range",
            br#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 1000}]}"#,
            "corsica eval: invalid scenario: server[0].status: must be from 100 to 999\n",
        ),
        (
            "a rule header name that is not a token",
            br#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 200, "headers": [["X\u0000", "1"]]}]}"#,
            "corsica eval: invalid scenario: server[0].headers[0][0]: not a header name (an HTTP token)\n",
        ),
    ];
    for (what, input, message) in rows {
        let output = corsica(&["eval"], input);
        assert_eq!(output.status.code(), Some(2), "{what}");
        assert_eq!(stderr(&output), *message, "{what}");
        assert!(output.stdout.is_empty(), "{what}");
    }
    let output = corsica(&["eval", "/nonexistent/scenario.json"], Vec::new());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "corsica eval: /nonexistent/scenario.json: No such file or directory (os error 2)\n"
    );
}

#[test]
fn jsonl_answers_each_bad_line_with_an_error_object_and_goes_on() {
    let error = |line: usize, id: Value, path: &str, message: &str| json!({"id": id, "line": line, "input_error": {"path": path, "message": message}});
    let mut input = Vec::new();
    let mut expected = Vec::new();
    let rows: Vec<(&[u8], Option<Value>)> = vec![
        (OK.as_bytes(), None),
        (
            b"not json",
            Some(error(2, Value::Null, "", "a scenario is a JSON object: {\"request\": …, \"server\": […]}")),
        ),
        (
            br#"{"id": "a", "request": {"origin": "x", "url": "https://a.example/"}}"#,
            Some(error(3, json!("a"), "request.origin", "not a URL")),
        ),
        (
            b"{\"id\": \"\xff\"}",
            Some(error(4, Value::Null, "", "the line is not UTF-8")),
        ),
        (b"   ", None),
        (
            br#"{"id": "b", "requests": []}"#,
            Some(error(6, json!("b"), "requests", "needs 1 to 1024 requests")),
        ),
        (
            br#"{"id": "c", "request": {"origin": "null", "url": "https://a.example/"}, "trace": "yes"}"#,
            Some(error(7, json!("c"), "trace", "invalid type: string \"yes\", expected a boolean at line 1 column 82")),
        ),
        (OK.as_bytes(), None),
    ];
    for (line, answer) in &rows {
        input.extend_from_slice(line);
        input.push(b'\n');
        expected.push(answer.clone());
    }
    let output = corsica(&["eval", "--jsonl"], input);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&output);
    // The blank line gets no answer; every other line gets one, in order.
    let answered: Vec<&Option<Value>> = expected
        .iter()
        .zip(&rows)
        .filter(|(_, (line, _))| !line.trim_ascii().is_empty())
        .map(|(answer, _)| answer)
        .collect();
    assert_eq!(lines.len(), answered.len());
    for (line, answer) in lines.iter().zip(answered) {
        match answer {
            Some(error) => assert_eq!(line, error),
            None => assert_eq!(line["verdict"], "allowed", "{line}"),
        }
    }
}

#[test]
fn the_scenario_size_limit_at_its_boundary() {
    let output = corsica(&["eval"], padded(MAX_BYTES));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = corsica(&["eval"], padded(MAX_BYTES + 1));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!("corsica eval: the scenario is larger than {MAX_BYTES} bytes\n")
    );
}

#[test]
fn the_jsonl_line_limit_at_its_boundary() {
    let mut input = padded(MAX_BYTES);
    input.push(b'\n');
    input.extend_from_slice(&padded(MAX_BYTES + 1));
    input.push(b'\n');
    input.extend_from_slice(OK.as_bytes());
    let output = corsica(&["eval", "--jsonl"], input);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["verdict"], "allowed");
    assert_eq!(
        lines[1],
        json!({"id": null, "line": 2, "input_error": {"path": "", "message": format!("the line is longer than {MAX_BYTES} bytes")}})
    );
    assert_eq!(lines[2]["verdict"], "allowed");
}

#[test]
fn a_reader_that_went_away_is_reported() {
    let plain = server(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let audit = ["audit", plain.as_str(), "--origin", "http://localhost:5173"];
    let runs: [(&str, &[&str], &str); 3] = [
        ("eval", &["eval"], OK),
        ("explain", &["explain"], OK),
        ("audit", &audit, ""),
    ];
    for (command, args, input) in runs {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_corsica"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the corsica binary runs");
        // The reader closes before corsica writes (eval and explain write once their input has
        // ended, audit once the server has answered).
        drop(child.stdout.take());
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("corsica finishes");
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&output),
            format!("corsica {command}: writing output: Broken pipe (os error 32)\n")
        );
    }
}

/// A loopback server that reads each request head and then answers `answer` (nothing at all
/// when it is empty: the connection stays open until the process ends).
fn server(answer: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0_u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                if answer.is_empty() {
                    std::thread::sleep(Duration::from_secs(600));
                } else {
                    let _ = stream.write_all(answer);
                }
            });
        }
    });
    format!("http://{address}/x")
}

#[test]
fn probe_and_audit_report_a_hostile_server_and_exit_2() {
    const PAGE: &str = "http://localhost:5173";
    let silent = server(b"");
    let garbage = server(b"SSH-2.0-OpenSSH_9.2p1\r\n");
    let timed_out = "timed out after 0.3 s waiting for the response headers";
    let not_http =
        "the server's answer is not HTTP (invalid HTTP version): SSH-2.0-OpenSSH_9.2p1\\r\\n";
    let probe = |url: &str| {
        let args = [
            "probe",
            url,
            "--origin",
            PAGE,
            "--profile",
            "chromium",
            "--timeout",
            "0.3",
        ];
        corsica(&args, Vec::new())
    };
    let audit = |url: &str| {
        corsica(
            &["audit", url, "--origin", PAGE, "--timeout", "0.3"],
            Vec::new(),
        )
    };
    let rows: Vec<(&str, Output, String)> = vec![
        (
            "probe, silent",
            probe(&silent),
            format!("corsica probe: GET {silent}: {timed_out}"),
        ),
        (
            "probe, not HTTP",
            probe(&garbage),
            format!("corsica probe: GET {garbage}: {not_http}"),
        ),
        (
            "audit, silent",
            audit(&silent),
            format!("corsica audit: {silent}: {timed_out}"),
        ),
        (
            "audit, not HTTP",
            audit(&garbage),
            format!("corsica audit: {garbage}: {not_http}"),
        ),
    ];
    for (what, output, line) in rows {
        assert_eq!(output.status.code(), Some(2), "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).lines().any(|l| l == line),
            "{what}: {}",
            stderr(&output)
        );
    }
}
