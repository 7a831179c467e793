//! `corsica probe URL`: what a browser does with a request to a live server.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use corsica::explain::explain_text;
use corsica::scenario::{Credentials, Mode, ProfileName, Redirect, RequestInput};
use corsica_probe::browser::DEFAULT_COOKIE;
use corsica_probe::client::load_pem_certificates;
use corsica_probe::probe::{ProbeReport, probe};
use corsica_probe::{BrowserHeaders, Client, ClientConfig, Session};

use crate::EXIT_INPUT;

/// Connection settings shared by `probe` and `audit`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct NetArgs {
    /// Seconds allowed for each request, from DNS to the response headers.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    timeout: f64,
    /// Accept any TLS certificate (self-signed, expired, another name). Off unless given.
    #[arg(long)]
    insecure: bool,
    /// Trust the certificates of this PEM file too (besides the webpki roots).
    #[arg(long, value_name = "FILE")]
    cacert: Option<PathBuf>,
    /// Do not offer HTTP/2 (by default HTTPS servers may pick it; http: URLs always use HTTP/1.1).
    #[arg(long)]
    http1: bool,
    /// The cookie a credentialed request carries, as a browser that has one for the site would
    /// send it; `--cookie ''` sends none.
    #[arg(long, default_value = DEFAULT_COOKIE, value_name = "NAME=VALUE")]
    cookie: String,
}

impl NetArgs {
    /// The HTTP client these settings describe.
    pub(crate) fn client(&self) -> Result<Client, String> {
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 3600.0) {
            return Err(format!(
                "--timeout {}: give a number of seconds from 0 to 3600",
                self.timeout
            ));
        }
        let extra_roots = match &self.cacert {
            Some(path) => load_pem_certificates(path).map_err(|e| format!("--cacert: {e}"))?,
            None => Vec::new(),
        };
        let timeout = Duration::from_secs_f64(self.timeout);
        Client::new(ClientConfig {
            timeout,
            body_time: timeout.min(Duration::from_secs(2)),
            insecure: self.insecure,
            extra_roots,
            http2: !self.http1,
            ..ClientConfig::default()
        })
        .map_err(|e| e.to_string())
    }

    /// What the browser adds to each request.
    pub(crate) fn browser(&self) -> BrowserHeaders {
        BrowserHeaders {
            cookie: (!self.cookie.is_empty()).then(|| self.cookie.as_str().into()),
            ..BrowserHeaders::default()
        }
    }
}

/// Checks a `--rate` flag: requests per second, 0 for no limit.
pub(crate) fn check_rate(rate: f64) -> Result<(), String> {
    if rate.is_finite() && rate >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "--rate {rate}: give a number of requests per second"
        ))
    }
}

/// `corsica probe URL`
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The engine decides every request (the preflight, the actual request, each redirect); each goes
over real HTTP(S) with the headers the engine says, plus what browsers add (Host, User-Agent,
Accept, Accept-Language, Sec-Fetch-*, Referer, and --cookie on credentialed requests).

Exit codes: 0 allowed under every profile asked for, 1 blocked under one, 2 a network error
(DNS, connection, TLS, timeout, an answer that is not HTTP) or bad input.")]
pub(crate) struct Args {
    /// The URL the page passes to fetch().
    url: String,
    /// The page's origin (`null` for a sandboxed or file: page).
    #[arg(long, default_value = "https://app.example")]
    origin: String,
    /// The method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// A request header the page sets, `Name: value` (repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// omit, same-origin or include (fetch's `credentials`).
    #[arg(long, default_value = "same-origin")]
    credentials: String,
    /// cors, no-cors, same-origin or navigate.
    #[arg(long, default_value = "cors")]
    mode: String,
    /// follow, error or manual.
    #[arg(long, default_value = "follow")]
    redirect: String,
    /// The browser profile: spec, chromium, firefox, webkit, or all.
    #[arg(long, default_value = "all")]
    profile: String,
    /// Print one conformance vector per profile (JSON Lines): the request, the server's recorded
    /// answers as `server` rules, and the output as `expected`; `corsica eval --jsonl` replays it.
    #[arg(long)]
    json: bool,
    /// Include the steps that decided.
    #[arg(long)]
    trace: bool,
    #[command(flatten)]
    net: NetArgs,
}

/// A header flag as a pair.
pub(crate) fn header_pair(flag: &str, text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| format!("{flag} {text:?}: write `Name: value`"))?;
    Ok((name.trim().to_owned(), value.trim().to_owned()))
}

/// The profiles `--profile` names.
pub(crate) fn profiles(choice: &str) -> Result<Vec<ProfileName>, String> {
    match choice {
        "all" => Ok(vec![
            ProfileName::Spec,
            ProfileName::Chromium,
            ProfileName::Firefox,
            ProfileName::Webkit,
        ]),
        name => serde_json::from_value(serde_json::Value::String(name.to_owned()))
            .map(|p| vec![p])
            .map_err(|_| {
                format!("--profile {name}: expected spec, chromium, firefox, webkit or all")
            }),
    }
}

/// A keyword flag (`--mode no-cors`), checked against the scenario format's enum.
pub(crate) fn keyword<T: serde::de::DeserializeOwned>(
    flag: &str,
    value: &str,
) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|e| format!("{flag}: {e}"))
}

/// The request the flags describe (built through JSON, so that fields the scenario format adds
/// later keep their defaults).
fn request(args: &Args) -> Result<RequestInput, String> {
    let headers = args
        .headers
        .iter()
        .map(|h| header_pair("--header", h))
        .collect::<Result<Vec<_>, _>>()?;
    let mode: Mode = keyword("--mode", &args.mode)?;
    let credentials: Credentials = keyword("--credentials", &args.credentials)?;
    let redirect: Redirect = keyword("--redirect", &args.redirect)?;
    serde_json::from_value(serde_json::json!({
        "origin": args.origin,
        "url": args.url,
        "method": args.method,
        "headers": headers,
        "mode": mode,
        "credentials": credentials,
        "redirect": redirect,
    }))
    .map_err(|e| e.to_string())
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let prepared = (|| -> Result<_, String> {
        Ok((request(args)?, profiles(&args.profile)?, args.net.client()?))
    })();
    let (input, profiles, client) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("corsica probe: {message}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let session = Session::new(client, args.net.browser());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("corsica probe: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let report = match runtime.block_on(probe(&session, &input, &profiles, args.trace)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("corsica probe: {}", crate::input::describe(&e));
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let output = if args.json {
        report
            .results
            .iter()
            .map(|result| format!("{}\n", result.replay_json()))
            .collect()
    } else {
        text(&report, &session)
    };
    if let Err(code) = crate::print_out("probe", &output) {
        return code;
    }
    let errors = report.network_errors();
    for (request, error) in &errors {
        eprintln!("corsica probe: {} {}: {error}", request.method, request.url);
    }
    if !errors.is_empty() {
        ExitCode::from(EXIT_INPUT)
    } else if report.allowed_everywhere() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The explanation per profile, then the verdicts side by side and what went on the wire. After
/// the first profile, a network panel or a fix identical to the first one's is not repeated.
fn text(report: &ProbeReport, session: &Session) -> String {
    let mut text = String::new();
    let first = report.results.first();
    for (i, result) in report.results.iter().enumerate() {
        let full = explain_text(&result.output, &report.request);
        let note = if result.replays {
            ""
        } else {
            "Note: the server answered the same method and URL differently within this run; the recording (--json) does not replay it exactly.\n\n"
        };
        let Some(first) = first.filter(|_| i > 0) else {
            text.push_str(&full);
            text.push('\n');
            text.push_str(note);
            continue;
        };
        let same_network = first.output.exchanges == result.output.exchanges;
        let same_fix = first.output.error.as_ref().map(|e| &e.fix)
            == result.output.error.as_ref().map(|e| &e.fix);
        let first_name = first.profile.as_str();
        let paragraphs: Vec<String> = full
            .trim_end()
            .split("\n\n")
            .map(|p| {
                if same_network && p.starts_with("Network\n") {
                    format!("Network: as for {first_name}")
                } else if same_fix && p.starts_with("Fix\n") {
                    format!("Fix: as for {first_name}")
                } else {
                    p.to_owned()
                }
            })
            .collect();
        text.push_str(&paragraphs.join("\n\n"));
        text.push_str("\n\n");
        text.push_str(note);
    }
    if report.results.len() > 1 {
        let _ = writeln!(text, "Verdicts");
        for result in &report.results {
            let _ = writeln!(
                text,
                "  {:<9} {}{}",
                result.profile.as_str(),
                if result.allowed() {
                    "ALLOWED"
                } else {
                    "BLOCKED"
                },
                result
                    .output
                    .error
                    .as_ref()
                    .map(|e| format!("  {}", e.kind))
                    .or_else(|| result
                        .output
                        .warnings
                        .first()
                        .map(|w| format!("  (warning: {})", w.kind)))
                    .unwrap_or_default()
            );
        }
        text.push('\n');
    }
    let log = session.log();
    let _ = writeln!(
        text,
        "On the wire: {} request{} (each profile's identical requests were sent once)",
        log.len(),
        if log.len() == 1 { "" } else { "s" }
    );
    for record in &log {
        let what = match &*record.result {
            Ok(r) => format!(
                "{} {} from {} in {} ms",
                r.status,
                r.version.as_str(),
                r.peer,
                r.elapsed.as_millis()
            ),
            Err(e) => format!("network error: {e}"),
        };
        let _ = writeln!(
            text,
            "  {} {} → {what}",
            record.request.method, record.request.url
        );
    }
    text
}
