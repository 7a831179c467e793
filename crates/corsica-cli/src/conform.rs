//! `corsica conform URL --policy FILE`: does a live server's CORS behaviour match its declared
//! policy, under every browser profile and the Fetch Standard?

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use corsica::Url;
use corsica_conformance::{
    Case, CheckError, Config, Policy, Progress, Report, Server, check_with_progress,
};
use corsica_probe::session::RateLimit;

use crate::EXIT_INPUT;
use crate::probe::{NetArgs, check_rate, profiles};

/// Exit code: the server breaks its policy.
const EXIT_VIOLATION: u8 = 1;

/// How long a run goes before it prints progress lines on standard error.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// `corsica conform URL --policy FILE`
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The policy file (TOML, or JSON when its name ends in .json) has the keys origins, methods,
headers, credentials, and optionally expose, max_age and private_network. Origins are exact
(https://app.example) or patterns whose `*` stands for one or more whole labels
(https://*.example.com matches https://a.example.com and https://a.b.example.com, not
https://example.com, another scheme or another port).

Each case is a request a page could make near the policy's boundaries (origins next to the
allowlist, methods in odd case, safelisted and unsafe headers, each credentials mode), sent to
URL as each profile would send it; the engine judges the real answers. The requests really go:
PUT, DELETE and other methods included. Point it at a test deployment.

Exit codes: 0 the server conforms, 1 a violation (the minimal counterexample is printed, with a
scenario that `corsica eval` replays), 2 bad input or a network error (a server that answers
garbage, or nothing within --timeout).")]
pub(crate) struct Args {
    /// The endpoint the pages request (http: or https:).
    url: String,
    /// The declared policy: TOML, or JSON for a name ending in .json.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// How many cases to generate.
    #[arg(long, default_value_t = 256, value_name = "N")]
    cases: u32,
    /// The generator's seed (default: from the clock; printed, so a run can be repeated).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// The browser profile: spec, chromium, firefox, webkit, or all.
    #[arg(long, default_value = "all")]
    profile: String,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Requests per second to the host (0: no limit; loopback hosts are never paced).
    #[arg(long, default_value_t = 20.0, value_name = "PER_SECOND")]
    rate: f64,
    #[command(flatten)]
    net: NetArgs,
}

/// What the flags describe, validated.
struct Prepared {
    url: Url,
    policy: Policy,
    config: Config,
}

fn prepare(args: &Args) -> Result<Prepared, String> {
    let url = Url::parse(&args.url).map_err(|e| format!("{}: not a URL ({e})", args.url))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{url}: give an http: or https: URL"));
    }
    let policy = Policy::from_file(&args.policy).map_err(|e| e.to_string())?;
    if args.cases == 0 {
        return Err(String::from("--cases: give at least 1"));
    }
    check_rate(args.rate)?;
    let seed = args.seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
    });
    let config = Config {
        cases: args.cases,
        seed,
        profiles: profiles(&args.profile)?,
        ..Config::default()
    };
    Ok(Prepared {
        url,
        policy,
        config,
    })
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let prepared = prepare(args).and_then(|p| Ok((args.net.client()?, p)));
    let (
        client,
        Prepared {
            url,
            policy,
            config,
        },
    ) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("corsica conform: {message}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let server = Server::new(url, client)
        .with_browser_headers(args.net.browser())
        .with_rate_limit(RateLimit::per_second(args.rate));
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("corsica conform: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let started = Instant::now();
    let mut last_line = started;
    let progress = |p: Progress| {
        let now = Instant::now();
        if now.duration_since(last_line) >= PROGRESS_EVERY {
            last_line = now;
            let what = if p.shrinking {
                ", shrinking a failure"
            } else {
                ""
            };
            eprintln!("corsica conform: {}/{} cases{what}…", p.done, p.total);
        }
    };
    let report = match runtime.block_on(check_with_progress(&server, &policy, &config, progress)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("corsica conform: {}", describe(&error));
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let output = if args.json {
        format!("{}\n", json(&report))
    } else {
        text(&report, &server, &config)
    };
    if let Err(code) = crate::print_out("conform", &output) {
        return code;
    }
    if report.conforms() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_VIOLATION)
    }
}

fn describe(error: &CheckError) -> String {
    match error {
        CheckError::Network { request, error } => {
            format!("{request}: {error} (the server must answer every request with HTTP)")
        }
        other => other.to_string(),
    }
}

/// The report as one JSON object.
fn json(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "conforms": report.conforms(),
        "cases": report.cases,
        "requests": report.requests,
        "seed": report.seed,
        "counterexample": report.counterexample.as_ref().map(|c| serde_json::json!({
            "case": c.case,
            "violations": c.violations,
            "shrinks": c.shrinks,
            "scenario": c.scenario,
        })),
    })
}

/// The report in words.
fn text<T>(report: &Report, server: &Server<T>, config: &Config) -> String
where
    T: corsica_probe::Transport,
{
    let mut out = String::new();
    let profiles: Vec<&str> = config.profiles.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(
        out,
        "{} case{} against {} under {} (seed {}, {} request{})",
        report.cases,
        if report.cases == 1 { "" } else { "s" },
        server.url(),
        profiles.join(", "),
        report.seed,
        report.requests,
        if report.requests == 1 { "" } else { "s" },
    );
    let Some(counterexample) = &report.counterexample else {
        out.push_str("Conforms: every case did what the policy says.\n");
        return out;
    };
    let _ = writeln!(
        out,
        "\nViolation (minimal counterexample, after {} shrinking step{})",
        counterexample.shrinks,
        if counterexample.shrinks == 1 { "" } else { "s" },
    );
    let _ = writeln!(out, "  {}", case_line(&counterexample.case, server.url()));
    for violation in &counterexample.violations {
        let _ = writeln!(out, "  {violation}");
    }
    if let Some(first) = counterexample.violations.first() {
        for (name, value) in &first.evidence.headers {
            let _ = writeln!(out, "    {name}: {value}");
        }
    }
    let scenario =
        serde_json::to_string_pretty(&counterexample.scenario).expect("scenarios serialize");
    let _ = writeln!(
        out,
        "\nReplay offline with `corsica eval` (the server's answers recorded):\n{scenario}"
    );
    out
}

/// `PUT https://api.example/x from https://attacker.example, credentials include, headers …`.
fn case_line(case: &Case, url: &Url) -> String {
    let headers = if case.headers.is_empty() {
        String::from("no headers")
    } else {
        let pairs: Vec<String> = case
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!("headers {}", pairs.join("; "))
    };
    let private = if case.private_network {
        ", private-network preflight"
    } else {
        ""
    };
    format!(
        "fetch {} {url} from {}, credentials {}, {headers}{private}",
        case.method,
        case.origin,
        case.credentials.as_str(),
    )
}
