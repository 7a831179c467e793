//! The `corsica` binary, end to end: exit codes, `--jsonl` streaming, field-naming errors.

mod support;

use support::{corsica, json_lines};

const ALLOWED: &str = r#"{"id": "ok", "request": {"origin": "https://app.example", "url": "https://api.example/"},
  "server": [{"status": 200, "headers": [["Access-Control-Allow-Origin", "https://app.example"]]}]}"#;
const BLOCKED: &str = r#"{"id": "no", "request": {"origin": "https://app.example", "url": "https://api.example/"},
  "server": [{"status": 200}]}"#;

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("JSON output")
}

#[test]
fn eval_prints_the_output_object_and_exits_0_even_when_blocked() {
    let out = corsica(&["eval"], BLOCKED);
    assert_eq!(out.status.code(), Some(0));
    let value = json(&out.stdout);
    assert_eq!(value["id"], "no");
    assert_eq!(value["verdict"], "blocked");
    assert_eq!(value["error"]["kind"], "MissingAllowOriginHeader");
}

#[test]
fn eval_names_the_bad_field_and_exits_2() {
    let out = corsica(
        &["eval"],
        r#"{"request": {"origin": "https://app.example", "url": "https://api.example/", "mode": "cros"}}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("request.mode"), "{stderr}");
    assert!(stderr.contains("cros"), "{stderr}");
}

#[test]
fn eval_rejects_trailing_garbage_and_unknown_fields() {
    let out = corsica(&["eval"], format!("{ALLOWED} x"));
    assert_eq!(out.status.code(), Some(2));
    let out = corsica(
        &["eval"],
        r#"{"request": {"origin": "https://app.example", "url": "https://api.example/", "methd": "PUT"}}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("methd"));
}

#[test]
fn jsonl_streams_one_line_per_line_and_survives_bad_lines() {
    let input = format!(
        "{}\nnot json\n{{\"id\": \"bad\", \"request\": {{\"origin\": \"x\", \"url\": \"https://a.example/\"}}}}\n\n{}\n",
        ALLOWED.replace('\n', " "),
        BLOCKED.replace('\n', " ")
    );
    let out = corsica(&["eval", "--jsonl"], &input);
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["verdict"], "allowed");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["input_error"]["message"].is_string());
    assert_eq!(lines[2]["id"], "bad");
    assert_eq!(lines[2]["input_error"]["path"], "request.origin");
    assert_eq!(lines[3]["verdict"], "blocked");
}

#[test]
fn explain_exit_codes_follow_the_verdict() {
    let out = corsica(&["explain"], ALLOWED);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verdict: ALLOWED"));
    let out = corsica(&["explain"], BLOCKED);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Verdict: BLOCKED"), "{text}");
    assert!(text.contains("Fix"), "{text}");
    let out = corsica(&["explain"], "{");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_from_flags_under_every_profile() {
    let args = [
        "explain",
        "--url",
        "https://api.example/data",
        "--header",
        "Authorization: Bearer t",
        "--preflight-header",
        "Access-Control-Allow-Origin: https://app.example",
        "--preflight-header",
        "Access-Control-Allow-Headers: *",
        "--response-header",
        "Access-Control-Allow-Origin: https://app.example",
        "--profile",
        "all",
        "--json",
    ];
    let out = corsica(&args, "");
    // The spec blocks `Authorization` under `*`; every browser profile allows it.
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let verdicts: Vec<&str> = text
        .match_indices("\"verdict\": ")
        .map(|(i, _)| &text[i + 12..i + 19])
        .collect();
    assert_eq!(
        verdicts,
        ["blocked", "allowed", "allowed", "allowed"],
        "{text}"
    );
    assert_eq!(
        text.matches("\"kind\": \"AuthorizationCoveredByWildcard\"")
            .count(),
        3
    );
}
