//! Every input limit at its boundary: the largest input allowed is evaluated, one more is the
//! typed error naming the field (the limits are listed in README.md, "Limits").

use core::time::Duration;

use corsica::redirect::MAX_REDIRECTS;
use corsica::scenario::Scenario;
use corsica::scenario::limits::{
    MAX_HEADER_BYTES, MAX_HEADER_LIST_BYTES, MAX_HEADERS, MAX_REQUESTS, MAX_RULES, MAX_URL_BYTES,
};
use corsica::{
    ErrorKind, Origin, PreflightCache, Profile, Request, RequestInit, Response, Verdict, evaluate,
};

const ORIGIN: &str = r#""origin": "https://app.example""#;
const URL: &str = r#""url": "https://api.example/""#;

/// A scenario with these request fields (besides origin and url, unless given) and rules.
fn scenario(request: &str, server: &str) -> String {
    let mut fields = Vec::new();
    if !request.contains(r#""origin""#) {
        fields.push(ORIGIN.to_owned());
    }
    if !request.contains(r#""url""#) {
        fields.push(URL.to_owned());
    }
    if !request.is_empty() {
        fields.push(request.to_owned());
    }
    format!(
        r#"{{"request": {{{}}}, "server": [{server}]}}"#,
        fields.join(", ")
    )
}

/// `n` header pairs, `X-0: v` …
fn header_pairs(n: usize) -> String {
    (0..n)
        .map(|i| format!(r#"["X-{i}", "v"]"#))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Header pairs, `Access-Control-Allow-Origin: *` first, whose names and values add up to
/// exactly `bytes` bytes (each value within [`MAX_HEADER_BYTES`]).
fn header_list_of(bytes: usize) -> String {
    let mut pairs = vec![r#"["Access-Control-Allow-Origin", "*"]"#.to_owned()];
    let mut left = bytes - "Access-Control-Allow-Origin".len() - 1;
    for i in 0.. {
        let name = format!("X-{i}");
        let value = (left - name.len()).min(MAX_HEADER_BYTES);
        pairs.push(format!(r#"["{name}", "{}"]"#, "v".repeat(value)));
        left -= name.len() + value;
        if left == 0 {
            break;
        }
    }
    pairs.join(", ")
}

/// An `https://api.example/aaa…` URL of exactly `bytes` bytes.
fn url_of(bytes: usize) -> String {
    let base = "https://api.example/";
    format!("{base}{}", "a".repeat(bytes - base.len()))
}

/// An `https://aaa…a.example` origin of exactly `bytes` bytes (labels of 63 bytes).
fn origin_of(bytes: usize) -> String {
    let mut host = String::new();
    let room = bytes - "https://".len() - ".example".len();
    while host.len() < room {
        if !host.is_empty() {
            host.push('.');
        }
        let label = (room - host.len()).min(63);
        host.push_str(&"a".repeat(label));
    }
    let origin = format!("https://{host}.example");
    assert_eq!(origin.len(), bytes);
    origin
}

/// (limit, the scenario at the limit, the scenario one past it, the path named, the problem).
fn rows() -> Vec<(&'static str, String, String, String, String)> {
    let rule = r#"{"status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}"#;
    let rules = |n: usize| vec![rule; n].join(", ");
    let at = |n: usize| {
        let request = format!(r#"{{{ORIGIN}, {URL}}}"#);
        format!(
            r#"{{"requests": [{}], "server": [{rule}]}}"#,
            vec![request.as_str(); n].join(", ")
        )
    };
    let value = |bytes: usize| format!(r#""headers": [["X-A", "{}"]]"#, "v".repeat(bytes));
    let name = |bytes: usize| format!(r#""headers": [["{}", "v"]]"#, "n".repeat(bytes));
    let rule_value = |bytes: usize| {
        format!(
            r#"{{"status": 200, "headers": [["Access-Control-Allow-Origin", "*"], ["X-A", "{}"]]}}"#,
            "v".repeat(bytes)
        )
    };
    let rule_headers = |n: usize| format!(r#"{{"status": 200, "headers": [{}]}}"#, header_pairs(n));
    let rule_url =
        |bytes: usize| format!(r#"{rule}, {{"status": 200, "url": "{}"}}"#, url_of(bytes));
    let headers = format!("at most {MAX_HEADERS} headers");
    let bytes = format!("longer than {MAX_HEADER_BYTES} bytes");
    let url_bytes = format!("longer than {MAX_URL_BYTES} bytes");
    let list_bytes = format!("names and values longer than {MAX_HEADER_LIST_BYTES} bytes in all");
    vec![
        (
            "headers in a request",
            scenario(
                &format!(r#""headers": [{}]"#, header_pairs(MAX_HEADERS)),
                rule,
            ),
            scenario(
                &format!(r#""headers": [{}]"#, header_pairs(MAX_HEADERS + 1)),
                rule,
            ),
            "request.headers".into(),
            headers.clone(),
        ),
        (
            "headers in a server rule",
            scenario("", &rule_headers(MAX_HEADERS)),
            scenario("", &rule_headers(MAX_HEADERS + 1)),
            "server[0].headers".into(),
            headers,
        ),
        (
            "bytes of a request header value",
            scenario(&value(MAX_HEADER_BYTES), rule),
            scenario(&value(MAX_HEADER_BYTES + 1), rule),
            "request.headers[0]".into(),
            bytes.clone(),
        ),
        (
            "bytes of a request header name",
            scenario(&name(MAX_HEADER_BYTES), rule),
            scenario(&name(MAX_HEADER_BYTES + 1), rule),
            "request.headers[0]".into(),
            bytes.clone(),
        ),
        (
            "bytes of a response header value",
            scenario("", &rule_value(MAX_HEADER_BYTES)),
            scenario("", &rule_value(MAX_HEADER_BYTES + 1)),
            "server[0].headers[1]".into(),
            bytes,
        ),
        (
            "bytes of a request's header list",
            scenario(
                &format!(r#""headers": [{}]"#, header_list_of(MAX_HEADER_LIST_BYTES)),
                rule,
            ),
            scenario(
                &format!(
                    r#""headers": [{}]"#,
                    header_list_of(MAX_HEADER_LIST_BYTES + 1)
                ),
                rule,
            ),
            "request.headers".into(),
            list_bytes.clone(),
        ),
        (
            "bytes of a server rule's header list",
            scenario(
                "",
                &format!(
                    r#"{{"status": 200, "headers": [{}]}}"#,
                    header_list_of(MAX_HEADER_LIST_BYTES)
                ),
            ),
            scenario(
                "",
                &format!(
                    r#"{{"status": 200, "headers": [{}]}}"#,
                    header_list_of(MAX_HEADER_LIST_BYTES + 1)
                ),
            ),
            "server[0].headers".into(),
            list_bytes,
        ),
        (
            "server rules",
            scenario("", &rules(MAX_RULES)),
            scenario("", &rules(MAX_RULES + 1)),
            "server".into(),
            format!("at most {MAX_RULES} rules"),
        ),
        (
            "requests",
            at(MAX_REQUESTS),
            at(MAX_REQUESTS + 1),
            "requests".into(),
            format!("needs 1 to {MAX_REQUESTS} requests"),
        ),
        (
            "bytes of the request URL",
            scenario(&format!(r#""url": "{}""#, url_of(MAX_URL_BYTES)), rule),
            scenario(&format!(r#""url": "{}""#, url_of(MAX_URL_BYTES + 1)), rule),
            "request.url".into(),
            url_bytes.clone(),
        ),
        (
            "bytes of a rule URL",
            scenario("", &rule_url(MAX_URL_BYTES)),
            scenario("", &rule_url(MAX_URL_BYTES + 1)),
            "server[1].url".into(),
            url_bytes.clone(),
        ),
        (
            "bytes of the origin",
            scenario(
                &format!(r#""origin": "{}""#, origin_of(MAX_URL_BYTES)),
                rule,
            ),
            scenario(
                &format!(r#""origin": "{}""#, origin_of(MAX_URL_BYTES + 1)),
                rule,
            ),
            "request.origin".into(),
            url_bytes,
        ),
        (
            "seconds of a request's time",
            format!(r#"{{"requests": [{{{ORIGIN}, {URL}, "at": 1e12}}], "server": [{rule}]}}"#),
            format!(
                r#"{{"requests": [{{{ORIGIN}, {URL}, "at": 1.000001e12}}], "server": [{rule}]}}"#
            ),
            "requests[0].at".into(),
            "must be a number of seconds, no earlier than the request before it".into(),
        ),
    ]
}

#[test]
fn each_scenario_limit_at_its_boundary() {
    for (limit, at, past, path, problem) in rows() {
        if let Err(e) = Scenario::from_json(&at).and_then(|s| s.evaluate()) {
            panic!("{limit}: the limit itself is refused: {e}");
        }
        let error = Scenario::from_json(&past)
            .and_then(|s| s.evaluate().map(drop))
            .expect_err(limit);
        assert_eq!(
            (error.path.as_str(), error.problem.as_str()),
            (path.as_str(), problem.as_str()),
            "{limit}"
        );
    }
}

/// No nesting limit is needed: typed fields refuse anything deeper than their shape at once, and
/// `expected` (kept for the vectors, otherwise ignored) is skipped without recursion, so no depth
/// overflows the stack.
#[test]
fn deep_json_nesting_never_overflows_the_stack() {
    let depth = 1_000_000;
    let nested = |request: &str| {
        format!(
            r#"{{"expected": {}{}, "request": {request}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    assert!(Scenario::from_json(&nested(&format!("{{{ORIGIN}, {URL}}}"))).is_ok());
    let error = Scenario::from_json(&nested(r#"{"origin": 1}"#)).expect_err("origin");
    assert_eq!(error.path, "request.origin");
    let headers = format!(
        r#"{{"request": {{{ORIGIN}, {URL}, "headers": [{}{}]}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let error = Scenario::from_json(&headers).expect_err("headers");
    assert_eq!(
        (error.path.as_str(), error.problem.as_str()),
        (
            "request.headers[0][0]",
            "invalid type: sequence, expected a string at line 1 column 91"
        )
    );
}

/// The standard's limit: the 20th redirect is followed, the 21st is a network error.
#[test]
fn redirects_at_the_boundary() {
    let follow = |redirects: u8| {
        let page = Origin::parse("https://app.example").unwrap();
        let request = Request::new(RequestInit::new(
            page,
            "https://api.example/0".parse().unwrap(),
        ))
        .unwrap();
        let mut cache = PreflightCache::new(&Profile::SPEC);
        evaluate(
            &request,
            &Profile::SPEC,
            &mut cache,
            Duration::ZERO,
            |sent| {
                let hop: u8 = sent.url.path()[1..].parse().unwrap();
                let mut response = if hop < redirects {
                    let mut redirect = Response::new(302);
                    redirect.headers.append("Location", format!("/{}", hop + 1));
                    redirect
                } else {
                    Response::new(200)
                };
                response.headers.append("Access-Control-Allow-Origin", "*");
                Ok(response)
            },
        )
    };
    let at = follow(MAX_REDIRECTS);
    assert_eq!(at.verdict, Verdict::Allowed, "{:?}", at.failure);
    assert_eq!(at.exchanges.len(), usize::from(MAX_REDIRECTS) + 1);
    let past = follow(MAX_REDIRECTS + 1);
    assert_eq!(
        past.failure.map(|f| f.kind),
        Some(ErrorKind::TooManyRedirects)
    );
    assert_eq!(past.exchanges.len(), usize::from(MAX_REDIRECTS) + 1);
}

/// Numbers of any length and exponent are read without a panic and without a long loop: a time
/// that comes out as 0 or a finite value is read, one that overflows is `number out of range`.
#[test]
fn numbers_at_the_edges_of_the_exponent() {
    let at = |number: &str| {
        Scenario::from_json(&format!(
            r#"{{"requests": [{{{ORIGIN}, {URL}, "at": {number}}}]}}"#
        ))
        .map(|scenario| scenario.requests.unwrap()[0].at)
        .map_err(|error| (error.path, error.problem))
    };
    assert_eq!(at("0.5e-2147483647"), Ok(Some(0.0)));
    assert_eq!(at("5e-99999999999"), Ok(Some(0.0)));
    assert_eq!(at("0e99999999999"), Ok(Some(0.0)));
    assert_eq!(
        at(&format!("1.{}e-2147483647", "0".repeat(10_000))),
        Ok(Some(0.0))
    );
    let (path, problem) = at("1e2147483647").unwrap_err();
    assert_eq!(path, "requests[0].at");
    assert!(problem.starts_with("number out of range"), "{problem}");
}
