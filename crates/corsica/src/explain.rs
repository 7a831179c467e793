//! `explain`: an output object told in plain words, as `corsica explain` and the npm
//! `explain()` print it.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use crate::quoted::Quoted;
use crate::scenario::{ExchangeOutput, Output, RequestInput};

/// The verdict in plain words, the exchanges as a network panel shows them, the console line,
/// the warnings, the steps that decided (when traced) and the fix.
pub fn explain_text(output: &Output, request: &RequestInput) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "fetch({}, {{method: {}, mode: {}, credentials: {}}}) from {}   [{}]",
        Quoted(&request.url),
        Quoted(&request.method),
        Quoted(request.mode.as_str()),
        Quoted(request.credentials.as_str()),
        request.origin,
        output.profile.as_str(),
    );
    let verdict = if output.verdict == "allowed" {
        "ALLOWED"
    } else {
        "BLOCKED"
    };
    let what = match output.classification {
        "preflight" => "a preflighted cross-origin request",
        "simple" => "a cross-origin request without a preflight",
        "same-origin" => "a same-origin request (no CORS)",
        "no-cors" => "a no-cors request (opaque response)",
        "navigate" => "a navigation (no CORS)",
        _ => "refused before anything was sent",
    };
    let _ = writeln!(text, "\nVerdict: {verdict}: {what}.");
    if let Some(response) = &output.response {
        let names: Vec<&str> = response.headers.iter().map(|(n, _)| n.as_str()).collect();
        let readable = if names.is_empty() {
            String::from("no headers")
        } else {
            names.join(", ")
        };
        let _ = writeln!(
            text,
            "The page gets a {} response, status {}; it can read: {readable}.",
            Quoted(response.type_),
            response.status
        );
    }
    let _ = writeln!(text, "\nNetwork");
    if output.exchanges.is_empty() {
        let _ = writeln!(text, "  (nothing was sent)");
    }
    for (i, exchange) in output.exchanges.iter().enumerate() {
        network_entry(&mut text, i + 1, exchange);
    }
    if let Some(error) = &output.error {
        let _ = writeln!(text, "\nConsole\n  {}", error.message);
        let _ = writeln!(
            text,
            "\nError: {} (at the {} stage)",
            error.kind, error.stage
        );
    }
    for warning in &output.warnings {
        let _ = writeln!(text, "\nWarning ({}): {}", warning.kind, warning.message);
    }
    if !output.trace.is_empty() {
        let _ = writeln!(text, "\nWhy (the steps that decided)");
        for step in &output.trace {
            let _ = writeln!(
                text,
                "  - {}: {}\n    {}",
                step.algorithm, step.note, step.anchor
            );
        }
    }
    if let Some(error) = &output.error {
        let _ = writeln!(text, "\nFix\n  {}", error.fix);
    }
    text
}

/// One line of the network panel, with the request's headers (`>`) and the response's (`<`).
fn network_entry(text: &mut String, n: usize, exchange: &ExchangeOutput) {
    let request = &exchange.request;
    let status = match &exchange.response {
        None => String::from("(answered from the preflight cache: not sent)"),
        Some(None) => String::from("→ network error (no response)"),
        Some(Some(response)) => alloc::format!("→ {}", response.status),
    };
    let kind = if exchange.kind == "preflight" {
        " (preflight)"
    } else {
        ""
    };
    let cookies = if request.credentials {
        " [with cookies]"
    } else {
        ""
    };
    let _ = writeln!(
        text,
        "  {n}. {} {}{kind}{cookies} {status}",
        request.method, request.url
    );
    for (name, value) in &request.headers {
        let _ = writeln!(text, "       > {name}: {value}");
    }
    if let Some(Some(response)) = &exchange.response {
        for (name, value) in &response.headers {
            let _ = writeln!(text, "       < {name}: {value}");
        }
    }
}
