//! `corsica demo`: built-in servers on loopback, probed and audited, in a short report.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use corsica::scenario::{ProfileName, RequestInput};
use corsica_probe::audit::{AuditOptions, audit};
use corsica_probe::fixture::{Config, LoopbackServer, Policy};
use corsica_probe::probe::probe;
use corsica_probe::{BrowserHeaders, Client, ClientConfig, Session};

use crate::EXIT_INPUT;

/// The page every demo request comes from: a development server on localhost.
const PAGE: &str = "http://localhost:5173";
/// A site the user happens to visit.
const EVIL: &str = "https://evil.example";

/// `corsica demo`
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

/// One server of the demo.
struct Case {
    title: &'static str,
    config: Config,
    path: &'static str,
    /// Who calls, with what, and how it reads.
    origin: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    credentials: &'static str,
    why: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            title: "A correct API: an allowlist, credentials, `Vary: Origin`",
            config: Config::Correct(Policy::json_api(PAGE)),
            path: "/api/data",
            origin: PAGE,
            method: "PUT",
            headers: &[("Content-Type", "application/json")],
            credentials: "include",
            why: "",
        },
        Case {
            title: "A server that reflects any origin, with credentials",
            config: Config::Reflecting,
            path: "/api/me",
            origin: EVIL,
            method: "GET",
            headers: &[],
            credentials: "include",
            why: " (a site the user happens to visit)",
        },
        Case {
            title: "`Access-Control-Allow-Origin: *` with credentials",
            config: Config::WildcardWithCredentials,
            path: "/api/me",
            origin: PAGE,
            method: "GET",
            headers: &[],
            credentials: "include",
            why: "",
        },
        Case {
            title: "nginx with `if ($request_method = 'OPTIONS') { add_header …; return 204; }`",
            config: Config::NginxIfPreflight {
                origin: PAGE.to_owned(),
            },
            path: "/api/data",
            origin: PAGE,
            method: "PUT",
            headers: &[("Content-Type", "application/json")],
            credentials: "include",
            why: "",
        },
        Case {
            title: "`Authorization` allowed only by `Access-Control-Allow-Headers: *`",
            config: Config::AuthorizationUnderWildcard,
            path: "/api/me",
            origin: PAGE,
            method: "GET",
            headers: &[("Authorization", "Bearer t0k3n")],
            credentials: "omit",
            why: "",
        },
        Case {
            title: "An allowed origin written with a trailing slash",
            config: Config::TrailingSlash {
                origin: PAGE.to_owned(),
            },
            path: "/api/data",
            origin: PAGE,
            method: "GET",
            headers: &[],
            credentials: "include",
            why: "",
        },
    ]
}

pub(crate) fn run(_args: &Args) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("corsica demo: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    match runtime.block_on(demo()) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("corsica demo: {message}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

async fn demo() -> Result<String, String> {
    let cases = cases();
    let mut servers = Vec::with_capacity(cases.len());
    for case in &cases {
        let server = LoopbackServer::start(case.config.clone())
            .await
            .map_err(|e| format!("cannot start a server on 127.0.0.1: {e}"))?;
        servers.push(server);
    }
    let client = Client::new(ClientConfig::default()).map_err(|e| e.to_string())?;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "corsica demo: {} servers on 127.0.0.1, each configured as real APIs often are. Each is called\n\
         as a page would call it with fetch(), under the spec, chromium, firefox and webkit profiles,\n\
         then audited for the 43 misconfiguration patterns with {PAGE} as the legitimate origin.",
        cases.len()
    );
    for (n, (case, server)) in cases.iter().zip(&servers).enumerate() {
        let url = server.url(case.path);
        let _ = writeln!(text, "\n{}. {}\n   {url}", n + 1, case.title);
        // The probe.
        let input: RequestInput = serde_json::from_value(serde_json::json!({
            "origin": case.origin,
            "url": url.as_str(),
            "method": case.method,
            "headers": case.headers,
            "credentials": case.credentials,
        }))
        .map_err(|e| e.to_string())?;
        let session = Session::new(client.clone(), BrowserHeaders::default());
        let profiles = [
            ProfileName::Spec,
            ProfileName::Chromium,
            ProfileName::Firefox,
            ProfileName::Webkit,
        ];
        let report = probe(&session, &input, &profiles, false)
            .await
            .map_err(|e| e.to_string())?;
        let sent: Vec<String> = case
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        let _ = writeln!(
            text,
            "   fetch: {}{}{}, from {}{}",
            case.method,
            if sent.is_empty() {
                String::new()
            } else {
                format!(" with {}", sent.join(", "))
            },
            match case.credentials {
                "include" => ", with cookies",
                "omit" => ", without cookies",
                _ => "",
            },
            case.origin,
            case.why
        );
        let verdicts: Vec<String> = report
            .results
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.profile.as_str(),
                    if r.allowed() { "ALLOWED" } else { "BLOCKED" }
                )
            })
            .collect();
        let _ = writeln!(text, "     {}", verdicts.join(" · "));
        // The first blocked profile's console line and fix; for the allowed ones, their first
        // warning (Local Network Access warnings left out: every page calling 127.0.0.1 gets one).
        let first_error = report.results.iter().find_map(|r| r.output.error.as_ref());
        let warning = report
            .results
            .iter()
            .filter(|r| r.allowed())
            .flat_map(|r| &r.output.warnings)
            .find(|w| w.kind != "LocalNetworkAccess");
        if let Some(error) = first_error {
            write_wrapped(&mut text, "     console: ", &error.message);
            write_wrapped(&mut text, "     fix: ", &error.fix);
        }
        if let Some(warning) = warning {
            write_wrapped(&mut text, "     warning: ", &warning.message);
        }
        if let Some((request, error)) = report.network_errors().first() {
            return Err(format!("{} {}: {error}", request.method, request.url));
        }
        // The audit.
        let options = AuditOptions {
            origins: vec![PAGE.to_owned()],
            ..AuditOptions::default()
        };
        let session = Arc::new(Session::new(client.clone(), BrowserHeaders::default()));
        let audit = audit(session, url, &options).await;
        if let Some(error) = &audit.error {
            return Err(format!("audit of {}: {error}", audit.target));
        }
        let findings: Vec<_> = audit.findings().collect();
        let notes = audit.notes().count();
        let _ = writeln!(
            text,
            "   audit: {} ({} requests{})",
            match findings.len() {
                0 => String::from("no finding"),
                1 => String::from("1 finding"),
                k => format!("{k} findings"),
            },
            audit.requests,
            match notes {
                0 => String::new(),
                1 => String::from(", 1 note"),
                k => format!(", {k} notes"),
            }
        );
        for finding in findings {
            let _ = writeln!(
                text,
                "     [{} · {}] #{} {}",
                finding.severity.as_str(),
                finding.impact.as_str(),
                finding.pattern,
                finding.title
            );
        }
    }
    for server in servers {
        server.stop().await;
    }
    let _ = writeln!(
        text,
        "\nThe servers are stopped. On your own server:\n  corsica probe URL --origin ORIGIN [--method M] [--header 'Name: value'] [--credentials include]\n  corsica audit URL --origin ORIGIN [--json | --sarif]"
    );
    Ok(text)
}

/// `prefix` then `body` wrapped at 100 columns, continuation lines indented under the body.
fn write_wrapped(text: &mut String, prefix: &str, body: &str) {
    let indent = " ".repeat(prefix.chars().count());
    let mut line = String::from(prefix);
    let mut empty = true;
    for word in body.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > 100 {
            let _ = writeln!(text, "{line}");
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    let _ = writeln!(text, "{line}");
}
