//! `corsica explain`: the verdict in plain words.

use std::path::PathBuf;
use std::process::ExitCode;

use corsica::explain::explain_text;
use corsica::scenario::{Output, ProfileName, RequestInput, Scenario, ScenarioOutput, ServerRule};

use crate::EXIT_INPUT;
use crate::input::{describe, load};

/// `corsica explain [FILE]`, or a request built from flags.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario file (JSON); standard input when absent and no --url is given.
    file: Option<PathBuf>,
    /// The browser profile: spec, chromium, firefox, webkit, or all (overrides the file's).
    #[arg(long)]
    profile: Option<String>,
    /// Print the scenario-format output (with the trace) instead of text.
    #[arg(long)]
    json: bool,
    /// The page's origin (with --url).
    #[arg(long, default_value = "https://app.example")]
    origin: String,
    /// Build the request from flags: the URL passed to fetch().
    #[arg(long)]
    url: Option<String>,
    /// The method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// A request header, `Name: value` (repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// cors, no-cors, same-origin or navigate.
    #[arg(long, default_value = "cors")]
    mode: String,
    /// omit, same-origin or include.
    #[arg(long, default_value = "same-origin")]
    credentials: String,
    /// follow, error or manual.
    #[arg(long, default_value = "follow")]
    redirect: String,
    /// The preflight's status.
    #[arg(long, default_value_t = 204)]
    preflight_status: u16,
    /// A header of the preflight response, `Name: value` (repeatable).
    #[arg(long = "preflight-header", value_name = "NAME: VALUE")]
    preflight_headers: Vec<String>,
    /// The actual response's status.
    #[arg(long, default_value_t = 200)]
    status: u16,
    /// A header of the actual response, `Name: value` (repeatable).
    #[arg(long = "response-header", value_name = "NAME: VALUE")]
    response_headers: Vec<String>,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    match explain(args) {
        Ok((text, allowed)) => {
            if let Err(code) = crate::print_out("explain", &text) {
                return code;
            }
            if allowed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("corsica explain: {message}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn header_pair(flag: &str, text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| format!("{flag} {text:?}: write `Name: value`"))?;
    Ok((name.trim().to_owned(), value.trim().to_owned()))
}

fn headers(flag: &str, list: &[String]) -> Result<Vec<(String, String)>, String> {
    list.iter().map(|h| header_pair(flag, h)).collect()
}

/// A keyword flag (`--mode no-cors`) as the scenario format's enum.
fn keyword<T: serde::de::DeserializeOwned>(flag: &str, value: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|e| format!("{flag}: {e}"))
}

/// The scenario the flags describe.
fn from_flags(args: &Args, url: &str) -> Result<Scenario, String> {
    let request = RequestInput {
        origin: args.origin.clone(),
        page: None,
        url: url.to_owned(),
        method: args.method.clone(),
        headers: headers("--header", &args.headers)?,
        mode: keyword("--mode", &args.mode)?,
        credentials: keyword("--credentials", &args.credentials)?,
        redirect: keyword("--redirect", &args.redirect)?,
        use_cors_preflight: false,
        address_space: None,
        target_address_space: None,
        local_network_permission: corsica::scenario::Permission::Prompt,
        at: None,
        body: None,
        server: None,
    };
    let rule = |preflight, status, list: &[String], flag| -> Result<ServerRule, String> {
        Ok(ServerRule {
            preflight: Some(preflight),
            method: None,
            url: None,
            status,
            headers: headers(flag, list)?,
            address_space: None,
            body: None,
            delay: None,
            reason: None,
        })
    };
    Ok(Scenario {
        id: None,
        tags: None,
        profile: ProfileName::Spec,
        request: Some(request),
        requests: None,
        server: vec![
            rule(
                true,
                args.preflight_status,
                &args.preflight_headers,
                "--preflight-header",
            )?,
            rule(
                false,
                args.status,
                &args.response_headers,
                "--response-header",
            )?,
        ],
        trace: true,
        source: None,
        expected: None,
    })
}

fn profiles(choice: Option<&str>, default: ProfileName) -> Result<Vec<ProfileName>, String> {
    match choice {
        None => Ok(vec![default]),
        Some("all") => Ok(vec![
            ProfileName::Spec,
            ProfileName::Chromium,
            ProfileName::Firefox,
            ProfileName::Webkit,
        ]),
        Some(name) => serde_json::from_value(serde_json::Value::String(name.to_owned()))
            .map(|p| vec![p])
            .map_err(|_| {
                format!("--profile {name}: expected spec, chromium, firefox, webkit or all")
            }),
    }
}

/// The text (or JSON) and whether every profile allowed the request.
fn explain(args: &Args) -> Result<(String, bool), String> {
    let mut scenario = match &args.url {
        Some(url) => from_flags(args, url)?,
        None => load(args.file.as_deref())?,
    };
    scenario.trace = true;
    let mut text = String::new();
    let mut allowed = true;
    for profile in profiles(args.profile.as_deref(), scenario.profile)? {
        scenario.profile = profile;
        let output = scenario.evaluate().map_err(|e| describe(&e))?;
        let outputs: Vec<&Output> = match &output {
            ScenarioOutput::Single(one) => vec![one],
            ScenarioOutput::Multi(many) => many.results.iter().collect(),
        };
        allowed &= outputs.iter().all(|o| o.verdict == "allowed");
        if args.json {
            text.push_str(&serde_json::to_string_pretty(&output).expect("outputs serialize"));
            text.push('\n');
            continue;
        }
        let requests: Vec<&RequestInput> = scenario
            .request
            .iter()
            .chain(scenario.requests.iter().flatten())
            .collect();
        for (output, request) in outputs.iter().zip(requests) {
            text.push_str(&explain_text(output, request));
            text.push('\n');
        }
    }
    Ok((text, allowed))
}
