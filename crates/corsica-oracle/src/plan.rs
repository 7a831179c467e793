//! Turning a scenario (placeholder origins) into a playable case (real loopback origins).

use serde_json::{Map, Value, json};

use crate::rewrite::{Naming, Origins};

/// One server rule, rewritten to real origins.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Exact method as sent on the wire; `None` matches any.
    pub method: Option<String>,
    /// The serialized real URL (without fragment); `None` matches any.
    pub url: Option<String>,
    /// Status code to send.
    pub status: u16,
    /// Reason phrase, when the scenario gives one.
    pub reason: Option<String>,
    /// Header lines to send, in order, real origins substituted.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether to append `Cache-Control: no-store`.
    pub add_no_store: bool,
    /// Seconds to wait before answering (an extension of the format, for timeouts).
    pub delay: f64,
}

/// One `fetch()` call of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPlan {
    /// Seconds after the first request at which this one starts (0 for the first).
    pub at: f64,
    /// The real URL passed to `fetch()`.
    pub url: String,
    /// The `init` object passed to `fetch()` (no `signal`).
    pub init: Value,
    /// Rules for this step only, when the request carries its own `server`.
    pub rules: Option<Vec<Rule>>,
    /// Played from an opaque origin (`"origin": "null"`): a sandboxed iframe of the page.
    pub opaque: bool,
    /// Played from another placeholder origin than the page's: the real origin of the iframe
    /// (its `/__oracle/frame` document) that calls `fetch()`.
    pub frame: Option<String>,
}

/// A scenario made playable.
#[derive(Debug, Clone, PartialEq)]
pub struct CasePlan {
    /// The path prefix that makes this case's URLs unique.
    pub token: String,
    /// The requests, in order.
    pub steps: Vec<StepPlan>,
    /// The scenario's `server` rules.
    pub rules: Vec<Rule>,
    /// How the scenario wrote placeholder origins in other cases than lowercase
    /// ([`Origins::case_variants`]), for mapping what was recorded back.
    pub variants: Vec<(String, String)>,
    /// The placeholders the scenario is written against.
    pub naming: Naming,
}

impl CasePlan {
    /// The rules in force during a step.
    pub fn rules_for(&self, step: usize) -> &[Rule] {
        self.steps
            .get(step)
            .and_then(|s| s.rules.as_deref())
            .unwrap_or(&self.rules)
    }

    /// Whether the case may run concurrently with others: it waits between requests (so that
    /// running it alone would cost its waits), and nothing it triggers is reported without a
    /// URL (Chromium's `AuthorizationCoveredByWildcard` issue names no request, so cases with
    /// an `Authorization` header always run alone).
    pub fn concurrent_ok(&self) -> bool {
        let waits = self.steps.iter().any(|s| s.at > 0.0);
        let authorization = self.steps.iter().any(|s| {
            s.init["headers"].as_array().is_some_and(|hs| {
                hs.iter().any(|p| {
                    p[0].as_str()
                        .is_some_and(|n| n.trim().eq_ignore_ascii_case("authorization"))
                })
            })
        });
        waits && !authorization
    }

    /// The steps as the page receives them.
    pub fn page_json(&self) -> Value {
        json!({
            "tok": self.token,
            "concurrent": self.concurrent_ok(),
            "steps": self.steps.iter().map(|s| json!({"at": s.at, "url": s.url, "init": s.init, "opaque": s.opaque, "frame": s.frame})).collect::<Vec<_>>(),
        })
    }
}

/// The longest wait a multi-request scenario may ask for, in seconds.
pub const MAX_AT: f64 = 30.0;

const INIT_KEYS: [&str; 9] = [
    "method",
    "mode",
    "credentials",
    "redirect",
    "cache",
    "referrer",
    "referrerPolicy",
    "integrity",
    "keepalive",
];

/// Makes a scenario playable, or says why it cannot be played.
pub fn plan(scenario: &Value, origins: &Origins, token: &str) -> Result<CasePlan, String> {
    let origins = &origins.named(Naming::of(scenario));
    let obj = scenario
        .as_object()
        .ok_or("the scenario is not a JSON object")?;
    let requests: Vec<&Value> = match (obj.get("request"), obj.get("requests")) {
        (Some(r), None) => vec![r],
        (None, Some(Value::Array(rs))) if !rs.is_empty() => rs.iter().collect(),
        (None, Some(_)) => return Err("`requests` must be a non-empty array".into()),
        (Some(_), Some(_)) => return Err("the scenario has both `request` and `requests`".into()),
        (None, None) => return Err("the scenario has neither `request` nor `requests`".into()),
    };
    let rules = match obj.get("server") {
        None => Vec::new(),
        Some(v) => plan_rules(v, origins, token).map_err(|e| format!("server: {e}"))?,
    };
    let mut steps = Vec::new();
    let mut last_at = 0.0;
    for (i, r) in requests.iter().enumerate() {
        let step = plan_request(r, origins, token).map_err(|e| {
            if requests.len() > 1 {
                format!("requests[{i}]: {e}")
            } else {
                format!("request: {e}")
            }
        })?;
        if step.at < last_at {
            return Err(format!("requests[{i}].at goes back in time"));
        }
        last_at = step.at;
        steps.push(step);
    }
    steps[0].at = 0.0;
    let variants = origins.case_variants(&scenario.to_string());
    Ok(CasePlan {
        token: token.to_owned(),
        steps,
        rules,
        variants,
        naming: origins.naming,
    })
}

fn plan_request(r: &Value, origins: &Origins, token: &str) -> Result<StepPlan, String> {
    let r = r.as_object().ok_or("not an object")?;
    let page = origins.page_placeholder();
    let (opaque, frame) = match r.get("origin") {
        None => (false, None),
        Some(Value::String(o)) if *o == page => (false, None),
        Some(Value::String(o)) if o == "null" => (true, None),
        Some(Value::String(o)) => match origins.role_of_placeholder_origin(o) {
            Some(role) => (false, Some(origins.real_origin(role))),
            None => {
                return Err(format!(
                    "origin `{o}` cannot be played: the oracle plays cases from {page}, from another of its placeholder origins (in an iframe), or from an opaque origin (\"null\") in a sandboxed iframe of the page"
                ));
            }
        },
        Some(_) => return Err("`origin` is not a string".into()),
    };
    let url = r
        .get("url")
        .and_then(Value::as_str)
        .ok_or("`url` is missing or not a string")?;
    let real = origins.rewrite_url(url, token);
    check_playable_url(&real, origins).map_err(|e| format!("url `{url}`: {e}"))?;
    let mut init = Map::new();
    for key in INIT_KEYS {
        if let Some(v) = r.get(key) {
            init.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(Value::String(mode)) = r.get("mode") {
        if mode == "navigate" {
            return Err("mode `navigate` cannot be played with fetch()".into());
        }
    }
    if let Some(h) = r.get("headers") {
        let list = h.as_array().ok_or("`headers` is not an array")?;
        let mut out = Vec::new();
        for pair in list {
            let p = pair
                .as_array()
                .filter(|p| p.len() == 2)
                .ok_or("`headers` entries must be [name, value]")?;
            let (Some(n), Some(v)) = (p[0].as_str(), p[1].as_str()) else {
                return Err("`headers` entries must be strings".into());
            };
            // Header values that name a placeholder origin are sent with the real one.
            out.push(json!([n, origins.rewrite(v, None)]));
        }
        init.insert("headers".into(), Value::Array(out));
    }
    if let Some(b) = r.get("body") {
        let b = b.as_str().ok_or("`body` is not a string")?;
        init.insert("body".into(), Value::String(b.to_owned()));
    }
    let at = match r.get("at") {
        None => 0.0,
        Some(v) => v
            .as_f64()
            .filter(|a| a.is_finite() && *a >= 0.0)
            .ok_or("`at` must be a non-negative number")?,
    };
    if at > MAX_AT {
        return Err(format!(
            "`at` {at} is longer than the oracle's limit of {MAX_AT} s"
        ));
    }
    let rules = match r.get("server") {
        None => None,
        Some(v) => Some(plan_rules(v, origins, token).map_err(|e| format!("server: {e}"))?),
    };
    Ok(StepPlan {
        at,
        url: real,
        init: Value::Object(init),
        rules,
        opaque,
        frame,
    })
}

/// The URL must be http on one of the three loopback origins.
fn check_playable_url(real: &str, origins: &Origins) -> Result<url::Url, String> {
    let parsed = url::Url::parse(real).map_err(|e| format!("does not parse ({e})"))?;
    if parsed.scheme() != "http" {
        return Err(format!(
            "scheme `{}` cannot be served (only http)",
            parsed.scheme()
        ));
    }
    let host = format!(
        "{}:{}",
        parsed.host_str().unwrap_or(""),
        parsed.port_or_known_default().unwrap_or(0)
    );
    if origins.role_of_host(&host).is_none() {
        return Err("its origin is none of the placeholder origins the oracle serves".into());
    }
    Ok(parsed)
}

/// Serializes a URL the way it is compared when matching rules (no fragment).
pub fn normalize_url(u: &str) -> Option<String> {
    let mut parsed = url::Url::parse(u).ok()?;
    parsed.set_fragment(None);
    Some(parsed.to_string())
}

const CACHE_HEADERS: [&str; 5] = [
    "cache-control",
    "expires",
    "etag",
    "last-modified",
    "pragma",
];

fn plan_rules(v: &Value, origins: &Origins, token: &str) -> Result<Vec<Rule>, String> {
    let list = v.as_array().ok_or("not an array")?;
    let mut rules = Vec::new();
    for (i, rule) in list.iter().enumerate() {
        let r = rule
            .as_object()
            .ok_or_else(|| format!("[{i}] is not an object"))?;
        let method = match r.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) => Some(m.clone()),
            Some(_) => return Err(format!("[{i}].method is not a string")),
        };
        let url = match r.get("url") {
            None | Some(Value::Null) => None,
            Some(Value::String(u)) => {
                let real = origins.rewrite_url(u, token);
                check_playable_url(&real, origins).map_err(|e| format!("[{i}].url `{u}`: {e}"))?;
                Some(normalize_url(&real).ok_or_else(|| format!("[{i}].url does not parse"))?)
            }
            Some(_) => return Err(format!("[{i}].url is not a string")),
        };
        let status = match r.get("status") {
            None => 200,
            Some(s) => s
                .as_u64()
                .filter(|s| (100..=999).contains(s))
                .ok_or_else(|| format!("[{i}].status must be a number from 100 to 999"))?
                as u16,
        };
        let mut headers = Vec::new();
        if let Some(h) = r.get("headers") {
            for pair in h
                .as_array()
                .ok_or_else(|| format!("[{i}].headers is not an array"))?
            {
                let p = pair
                    .as_array()
                    .filter(|p| p.len() == 2)
                    .ok_or_else(|| format!("[{i}].headers entries must be [name, value]"))?;
                let (Some(n), Some(val)) = (p[0].as_str(), p[1].as_str()) else {
                    return Err(format!("[{i}].headers entries must be strings"));
                };
                let location = n.eq_ignore_ascii_case("location")
                    || n.eq_ignore_ascii_case("content-location");
                if !location && origins.loses_case(val) {
                    return Err(format!(
                        "[{i}].headers: `{n}: {val}` writes a placeholder host in a case that its loopback host cannot keep"
                    ));
                }
                let val = if location {
                    origins.rewrite_location(val, token)
                } else if n.eq_ignore_ascii_case("set-cookie") {
                    scope_cookie(&origins.rewrite(val, None), token)
                } else {
                    origins.rewrite(val, None)
                };
                headers.push((n.to_owned(), val));
            }
        }
        let body = match r.get("body") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(b)) => b.as_bytes().to_vec(),
            Some(_) => return Err(format!("[{i}].body is not a string")),
        };
        let reason = r.get("reason").and_then(Value::as_str).map(str::to_owned);
        let delay = match r.get("delay") {
            None | Some(Value::Null) => 0.0,
            Some(d) => d
                .as_f64()
                .filter(|d| (0.0..=60.0).contains(d))
                .ok_or_else(|| format!("[{i}].delay must be a number of seconds from 0 to 60"))?,
        };
        let add_no_store = !headers
            .iter()
            .any(|(n, _)| CACHE_HEADERS.iter().any(|c| n.eq_ignore_ascii_case(c)));
        rules.push(Rule {
            method,
            url,
            status,
            reason,
            headers,
            body,
            add_no_store,
            delay,
        });
    }
    Ok(rules)
}

/// Keeps a cookie to its case: an explicit `Path=/x` becomes `Path=/<token>/x` (without one,
/// the default path is already under the case's prefix). Cookies ignore ports, so a cookie set
/// by one case would otherwise be sent by every later case to the same host.
pub fn scope_cookie(value: &str, token: &str) -> String {
    value
        .split(';')
        .map(|part| {
            let t = part.trim_start();
            match t.split_once('=') {
                Some((k, v))
                    if k.trim().eq_ignore_ascii_case("path") && v.trim().starts_with('/') =>
                {
                    let lead = &part[..part.len() - t.len()];
                    format!("{lead}{}=/{token}{}", k, v.trim())
                }
                _ => part.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Which rule a request matches: the first whose method and URL match.
pub fn match_rule(rules: &[Rule], method: &str, url: &str) -> Option<usize> {
    let url = normalize_url(url);
    rules.iter().position(|r| {
        r.method.as_deref().is_none_or(|m| m == method)
            && r.url.as_deref().is_none_or(|u| Some(u) == url.as_deref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o() -> Origins {
        Origins {
            page_port: 5001,
            api_port: 5002,
            other_port: 5003,
            alt_ports: [7, 8, 9],
            naming: Naming::Oracle,
        }
    }

    #[test]
    fn plans_a_scenario() {
        let s = json!({
            "id": "x",
            "request": {"origin": "http://page.test", "url": "http://api.test/data?x=1", "method": "PUT",
                        "headers": [["Content-Type", "application/json"]], "credentials": "include"},
            "server": [
                {"method": "OPTIONS", "url": "http://api.test/data?x=1", "status": 204,
                 "headers": [["Access-Control-Allow-Origin", "http://page.test"]]},
                {"url": "http://api.test/data?x=1", "status": 302, "headers": [["Location", "http://other.test/y"]]}
            ]
        });
        let p = plan(&s, &o(), "cors7").unwrap();
        assert_eq!(p.steps[0].url, "http://127.0.0.1:5002/cors7/data?x=1");
        assert_eq!(p.steps[0].init["method"], "PUT");
        assert_eq!(p.steps[0].init["credentials"], "include");
        assert_eq!(p.rules[0].headers[0].1, "http://127.0.0.1:5001");
        assert_eq!(p.rules[1].headers[0].1, "http://localhost:5003/cors7/y");
        assert_eq!(
            match_rule(&p.rules, "OPTIONS", "http://127.0.0.1:5002/cors7/data?x=1"),
            Some(0)
        );
        assert_eq!(
            match_rule(&p.rules, "PUT", "http://127.0.0.1:5002/cors7/data?x=1"),
            Some(1)
        );
        assert_eq!(
            match_rule(&p.rules, "PUT", "http://127.0.0.1:5002/cors7/data?x=2"),
            None
        );
        assert!(p.rules.iter().all(|r| r.add_no_store));
        assert!(!p.steps[0].opaque);
        assert_eq!(p.steps[0].frame, None);
        let from_api =
            json!({"request": {"origin": "http://api.test", "url": "http://other.test/"}});
        let p = plan(&from_api, &o(), "t").unwrap();
        assert_eq!(p.steps[0].frame.as_deref(), Some("http://127.0.0.1:5002"));
        let null = json!({"request": {"origin": "null", "url": "http://api.test/"}, "server": [{"delay": 1.5}]});
        let p = plan(&null, &o(), "t").unwrap();
        assert!(p.steps[0].opaque);
        assert_eq!(p.rules[0].delay, 1.5);
    }

    #[test]
    fn refuses_what_cannot_be_played() {
        let o = o();
        let bad = [
            json!({"request": {"origin": "https://app.example", "url": "http://api.test/"}}),
            json!({"request": {"url": "http://api.test/"}, "server": [{"delay": 100}]}),
            json!({"request": {"url": "https://api.example/"}}),
            json!({"request": {"url": "http://api.test/", "mode": "navigate"}}),
            json!({"request": {"url": "http://api.test/"}, "server": [{"url": "http://x.example/"}]}),
            json!({"requests": []}),
            json!({}),
        ];
        for s in bad {
            assert!(plan(&s, &o, "t").is_err(), "{s}");
        }
    }

    #[test]
    fn cookies_stay_in_their_case() {
        assert_eq!(scope_cookie("a=1; Path=/", "t1"), "a=1; Path=/t1/");
        assert_eq!(
            scope_cookie("a=1; path=/x; HttpOnly", "t1"),
            "a=1; path=/t1/x; HttpOnly"
        );
        assert_eq!(scope_cookie("a=1", "t1"), "a=1");
    }

    #[test]
    fn multi_request_steps() {
        let s = json!({"requests": [
            {"url": "http://api.test/a", "method": "PUT"},
            {"url": "http://api.test/a", "method": "PUT", "at": 1.5, "server": [{"status": 500}]}
        ], "server": [{"status": 204, "headers": [["Cache-Control", "max-age=5"]]}]});
        let p = plan(&s, &o(), "t").unwrap();
        assert_eq!(p.steps.len(), 2);
        assert_eq!(p.steps[1].at, 1.5);
        assert_eq!(p.rules_for(0)[0].status, 204);
        assert!(!p.rules_for(0)[0].add_no_store);
        assert_eq!(p.rules_for(1)[0].status, 500);
    }
}
