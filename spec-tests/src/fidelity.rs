//! Fidelity: the engine, under each browser's profile, against what that browser did
//! (recordings of the browser oracle, `crates/corsica-oracle`).
//!
//! For every recorded request the engine's output is compared on: the verdict (a false allow, the
//! engine allowing what the browser blocked, is the worst difference and is listed first),
//! whether a preflight went out, `Access-Control-Request-Headers`, the `Origin` of every actual
//! request, the response type, the headers script could read, Chromium's `CorsError` kind, and
//! whether the browser printed the engine's console message word for word.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use corsica::scenario::{Scenario, ScenarioOutput};
use serde_json::{Value, json};

/// What is compared, in report order (worst first).
pub const CHECKS: [&str; 10] = [
    "false-allow",
    "false-block",
    "preflight-sent",
    "acrh",
    "origin",
    "response-type",
    "exposed-headers",
    "error-kind",
    "console-message",
    "engine-error",
];

/// One disagreement between the engine and a browser.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The scenario id (with `#n` for the n-th request of a `requests` scenario).
    pub id: String,
    /// The browser.
    pub browser: String,
    /// One of [`CHECKS`].
    pub check: &'static str,
    /// What the browser did, and what the engine says.
    pub detail: String,
}

/// Agreement counts for one browser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests compared.
    pub requests: usize,
    /// Requests skipped (timeouts, browser failures, unstable or unsupported scenarios).
    pub skipped: usize,
    /// Verdicts that agree.
    pub verdicts: usize,
    /// Blocked requests for which the browser printed a CORS line, and how many of those the
    /// engine's message matched exactly.
    pub messages: (usize, usize),
    /// Blocked requests with a Chromium `CorsError`, and how many kinds agree.
    pub kinds: (usize, usize),
}

/// The comparison of a set of recordings.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Per browser.
    pub tallies: BTreeMap<String, Tally>,
    /// Every difference, worst first.
    pub differences: Vec<Difference>,
}

fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers.as_array()?.iter().find_map(|pair| {
        let pair = pair.as_array()?;
        let n = pair.first()?.as_str()?;
        n.eq_ignore_ascii_case(name)
            .then(|| pair.get(1)?.as_str())
            .flatten()
    })
}

fn names(headers: &Value) -> Vec<String> {
    let mut names: Vec<String> = headers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| Some(pair.as_array()?.first()?.as_str()?.to_ascii_lowercase()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The actual (non-preflight) requests as `method url Origin`, retries of a reset connection
/// collapsed.
fn actual_requests(exchanges: &Value, recorded: bool) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for exchange in exchanges.as_array().into_iter().flatten() {
        let preflight = if recorded {
            exchange["preflight"].as_bool().unwrap_or(false)
        } else {
            exchange["kind"] == "preflight"
        };
        if preflight {
            continue;
        }
        let request = if recorded {
            exchange
        } else {
            &exchange["request"]
        };
        // The request-target never carries userinfo.
        let mut url = request["url"].as_str().unwrap_or("").to_owned();
        if let Some((scheme, rest)) = url.split_once("://") {
            if let Some((_, host)) = rest
                .split_once('@')
                .filter(|(userinfo, _)| !userinfo.contains('/'))
            {
                url = format!("{scheme}://{host}");
            }
        }
        let line = format!(
            "{} {url} Origin: {}",
            request["method"].as_str().unwrap_or(""),
            header(&request["headers"], "origin").unwrap_or("(none)")
        );
        if list.last() != Some(&line) {
            list.push(line);
        }
    }
    list
}

fn preflight_headers(exchanges: &Value, recorded: bool) -> Option<Value> {
    exchanges.as_array()?.iter().find_map(|exchange| {
        if recorded {
            exchange["preflight"]
                .as_bool()
                .unwrap_or(false)
                .then(|| exchange["headers"].clone())
        } else {
            (exchange["kind"] == "preflight" && exchange["from_cache"] == false)
                .then(|| exchange["request"]["headers"].clone())
        }
    })
}

/// The headers the oracle's server adds to every rule's answer (its README): `Cache-Control:
/// no-store` unless the rule has a caching header, and `Content-Length` unless the rule has one
/// (which the browser's HTTP stack then drops from a null-body status).
fn as_the_oracle_answers(scenario: &mut Value) {
    const CACHING: [&str; 5] = [
        "cache-control",
        "expires",
        "etag",
        "last-modified",
        "pragma",
    ];
    let Some(object) = scenario.as_object_mut() else {
        return;
    };
    let mut rules: Vec<&mut Value> = Vec::new();
    for (key, value) in object.iter_mut() {
        match (key.as_str(), value) {
            ("server", Value::Array(server)) => rules.extend(server.iter_mut()),
            ("requests", Value::Array(requests)) => {
                for request in requests {
                    if let Some(Value::Array(server)) = request.get_mut("server") {
                        rules.extend(server.iter_mut());
                    }
                }
            }
            _ => {}
        }
    }
    for rule in rules {
        let length = rule["body"].as_str().map_or(0, str::len);
        // A browser's HTTP stack drops `Content-Length` on a null-body status (204, 304, 1xx).
        let null_body = matches!(rule["status"].as_u64(), Some(100..=199 | 204 | 304));
        if rule.get("headers").is_none() {
            rule["headers"] = json!([]);
        }
        let Some(headers) = rule["headers"].as_array_mut() else {
            continue;
        };
        let has = |headers: &Vec<Value>, names: &[&str]| {
            headers.iter().any(|h| {
                h[0].as_str()
                    .is_some_and(|n| names.iter().any(|m| n.eq_ignore_ascii_case(m)))
            })
        };
        if !has(headers, &CACHING) {
            headers.push(json!(["Cache-Control", "no-store"]));
        }
        if !null_body && !has(headers, &["content-length"]) {
            headers.push(json!(["Content-Length", length.to_string()]));
        }
    }
}

/// Gives each request the `page` the oracle played it from (the URL of the document that called
/// `fetch()`, with the oracle's fragment), which browsers name in some console lines.
fn on_the_recorded_page(scenario: &mut Value, results: &[Value]) {
    let requests: Vec<&mut Value> = match scenario {
        Value::Object(object) if object.contains_key("requests") => object
            .get_mut("requests")
            .and_then(Value::as_array_mut)
            .map(|requests| requests.iter_mut().collect())
            .unwrap_or_default(),
        Value::Object(object) => object.get_mut("request").into_iter().collect(),
        _ => Vec::new(),
    };
    for (request, result) in requests.into_iter().zip(results) {
        if let (Some(page), Some(request)) = (result.get("page"), request.as_object_mut()) {
            request.insert(String::from("page"), page.clone());
        }
    }
}

/// Compares one recording line (one scenario in one browser) with the engine under that
/// browser's profile.
pub fn compare(record: &Value, report: &mut Report) {
    compare_as(record, None, report);
}

/// Compares one recording line with the engine under `profile` (the browser's own when `None`):
/// `Some("spec")` shows where the standard and the browser part.
pub fn compare_as(record: &Value, profile: Option<&str>, report: &mut Report) {
    let browser = record["browser"]["name"]
        .as_str()
        .unwrap_or("unknown")
        .to_owned();
    let id = record["id"].as_str().unwrap_or("?").to_owned();
    let tally = report.tallies.entry(browser.clone()).or_default();
    let results = record["results"].as_array().cloned().unwrap_or_default();
    if record["status"] != "recorded" || record["unstable"] == true {
        tally.skipped += results.len().max(1);
        return;
    }
    let mut scenario = record["scenario"].clone();
    scenario["profile"] = json!(profile.unwrap_or(&browser));
    as_the_oracle_answers(&mut scenario);
    on_the_recorded_page(&mut scenario, &results);
    let outputs = match Scenario::from_json(&scenario.to_string()).and_then(|s| s.evaluate()) {
        Ok(ScenarioOutput::Single(one)) => vec![serde_json::to_value(one).unwrap_or_default()],
        Ok(ScenarioOutput::Multi(many)) => many
            .results
            .iter()
            .map(|o| serde_json::to_value(o).unwrap_or_default())
            .collect(),
        Err(error) => {
            tally.skipped += results.len();
            report.differences.push(Difference {
                id,
                browser,
                check: "engine-error",
                detail: error.to_string(),
            });
            return;
        }
    };
    let multi = results.len() > 1;
    for (n, (recorded, engine)) in results.iter().zip(&outputs).enumerate() {
        let id = if multi {
            format!("{id}#{n}")
        } else {
            id.clone()
        };
        let tally = report.tallies.entry(browser.clone()).or_default();
        let Some(verdict) = recorded["verdict"].as_str() else {
            tally.skipped += 1;
            continue;
        };
        tally.requests += 1;
        let mut differ = |check: &'static str, browser_did: String, engine_says: String| {
            report.differences.push(Difference {
                id: id.clone(),
                browser: browser.clone(),
                check,
                detail: format!("browser: {browser_did}; engine: {engine_says}"),
            });
        };
        let engine_verdict = engine["verdict"].as_str().unwrap_or("");
        if verdict == engine_verdict {
            if let Some(tally) = report.tallies.get_mut(&browser) {
                tally.verdicts += 1;
            }
        } else {
            let check = if engine_verdict == "allowed" {
                "false-allow"
            } else {
                "false-block"
            };
            let why = engine["error"]["kind"]
                .as_str()
                .unwrap_or("no error")
                .to_owned();
            differ(
                check,
                verdict.to_owned(),
                format!("{engine_verdict} ({why})"),
            );
        }

        let (browser_preflight, engine_preflight) = (
            preflight_headers(&recorded["exchanges"], true),
            preflight_headers(&engine["exchanges"], false),
        );
        if browser_preflight.is_some() != engine_preflight.is_some() {
            differ(
                "preflight-sent",
                browser_preflight.is_some().to_string(),
                engine_preflight.is_some().to_string(),
            );
        } else if let (Some(b), Some(e)) = (&browser_preflight, &engine_preflight) {
            let (b, e) = (
                header(b, "access-control-request-headers"),
                header(e, "access-control-request-headers"),
            );
            if b != e {
                differ("acrh", format!("{b:?}"), format!("{e:?}"));
            }
        }

        let (b, e) = (
            actual_requests(&recorded["exchanges"], true),
            actual_requests(&engine["exchanges"], false),
        );
        if b != e {
            differ("origin", b.join(" | "), e.join(" | "));
        }

        if verdict == "allowed" && engine_verdict == "allowed" {
            let (b, e) = (&recorded["response"], &engine["response"]);
            if b["type"] != e["type"] || b["status"] != e["status"] {
                differ(
                    "response-type",
                    format!("{} {}", b["type"], b["status"]),
                    format!("{} {}", e["type"], e["status"]),
                );
            }
            let (bn, en) = (names(&b["headers"]), names(&e["headers"]));
            if bn != en {
                differ("exposed-headers", bn.join(","), en.join(","));
            }
        }

        if verdict == "blocked" && engine_verdict == "blocked" {
            let message = engine["error"]["message"].as_str().unwrap_or("");
            let console: Vec<&str> = recorded["console"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["text"].as_str())
                .collect();
            let tally = report.tallies.get_mut(&browser).expect("inserted above");
            if !console.is_empty() {
                tally.messages.0 += 1;
                if console.contains(&message) {
                    tally.messages.1 += 1;
                } else {
                    let shown = console.join(" ⏎ ");
                    differ("console-message", shown, message.to_owned());
                }
            }
            if let Some(kind) = recorded["cors_error"]["kind"].as_str() {
                let tally = report.tallies.get_mut(&browser).expect("inserted above");
                tally.kinds.0 += 1;
                let engine_kind = engine["error"]["kind"].as_str().unwrap_or("");
                if kind == engine_kind {
                    tally.kinds.1 += 1;
                } else {
                    differ("error-kind", kind.to_owned(), engine_kind.to_owned());
                }
            }
        }
    }
}

/// Compares every line of every recording (under `profile`, or each browser's own).
pub fn compare_all_as(records: &[Value], profile: Option<&str>) -> Report {
    let mut report = Report::default();
    for record in records {
        compare_as(record, profile, &mut report);
    }
    report.differences.sort_by_key(|d| {
        (
            CHECKS.iter().position(|c| *c == d.check),
            d.browser.clone(),
            d.id.clone(),
        )
    });
    report
}

/// Compares every line of every recording with the engine under each browser's profile.
pub fn compare_all(records: &[Value]) -> Report {
    compare_all_as(records, None)
}

impl Report {
    /// The report as text: a table per browser, then every difference, worst first.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "| browser | requests | verdicts agree | false allows | false blocks | console messages matched | Chromium CorsError matched | skipped |"
        );
        let _ = writeln!(text, "|---|---|---|---|---|---|---|---|");
        for (browser, tally) in &self.tallies {
            let count = |check: &str| {
                self.differences
                    .iter()
                    .filter(|d| d.browser == *browser && d.check == check)
                    .count()
            };
            let percent = |(of, hit): (usize, usize)| {
                if of == 0 {
                    String::from("–")
                } else {
                    format!("{hit}/{of}")
                }
            };
            let _ = writeln!(
                text,
                "| {browser} | {} | {}/{} | {} | {} | {} | {} | {} |",
                tally.requests,
                tally.verdicts,
                tally.requests,
                count("false-allow"),
                count("false-block"),
                percent(tally.messages),
                percent(tally.kinds),
                tally.skipped
            );
        }
        for check in CHECKS {
            let differences: Vec<&Difference> = self
                .differences
                .iter()
                .filter(|d| d.check == check)
                .collect();
            if differences.is_empty() {
                continue;
            }
            let _ = writeln!(text, "\n{check}: {}", differences.len());
            for d in differences {
                let _ = writeln!(text, "  {} [{}] {}", d.id, d.browser, d.detail);
            }
        }
        text
    }
}
