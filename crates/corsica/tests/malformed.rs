//! Bad input on the engine's faces: each malformed input gives a typed error that names the field
//! and the problem, never a panic.

use corsica::scenario::Scenario;
use corsica::{ErrorKind, Origin, Request, RequestInit, RequestMode};

const OK_REQUEST: &str =
    r#""request": {"origin": "https://app.example", "url": "https://api.example/"}"#;

/// (scenario JSON, the path named, a word of the problem).
const SCENARIOS: &[(&str, &str, &str)] = &[
    ("{}", "request", "missing"),
    ("[]", "", "a scenario is a JSON object"),
    ("", "", "a scenario is a JSON object"),
    (
        r#"{"request": {"origin": "x", "url": "https://a.example/"}}"#,
        "request.origin",
        "not a URL",
    ),
    (
        r#"{"request": {"origin": "https://a.example/", "url": "https://a.example/"}}"#,
        "request.origin",
        "not a serialized origin",
    ),
    (
        r#"{"request": {"origin": "data:,x", "url": "https://a.example/"}}"#,
        "request.origin",
        "opaque origin",
    ),
    (
        r#"{"request": {"origin": "null", "url": "not a url"}}"#,
        "request.url",
        "not a URL",
    ),
    (
        r#"{"request": {"origin": "https://a.example", "page": "a.example/", "url": "https://a.example/"}}"#,
        "request.page",
        "not a URL",
    ),
    (
        r#"{"request": {"origin": "https://a.example", "page": "https://b.example/#x", "url": "https://a.example/"}}"#,
        "request.page",
        "the page's origin must be request.origin",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "mode": "cros"}}"#,
        "request.mode",
        r#"invalid value: string "cros", expected one of "cors", "no-cors", "same-origin", "navigate""#,
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "credentials": true}}"#,
        "request.credentials",
        "invalid type: boolean `true`, expected one of",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "headers": [["a"]]}}"#,
        "request.headers[0]",
        "invalid length 1",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "headers": [["a", 1]]}}"#,
        "request.headers[0][1]",
        "invalid type: integer `1`, expected a string",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "methd": "PUT"}}"#,
        "request.methd",
        "unknown field `methd`",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "at": 1}}"#,
        "request.at",
        "only items of requests",
    ),
    (
        r#"{"profile": "chrome", "request": {"origin": "null", "url": "https://a.example/"}}"#,
        "profile",
        "unknown variant `chrome`",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 42}]}"#,
        "server[0].status",
        "100 to 999",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 70000}]}"#,
        "server[0].status",
        "invalid value",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 200, "headers": [["a b", "c"]]}]}"#,
        "server[0].headers[0][0]",
        "not a header name",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 200, "url": "::"}]}"#,
        "server[0].url",
        "not a URL",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "requests": []}"#,
        "requests",
        "either request or requests",
    ),
    (r#"{"requests": []}"#, "requests", "needs 1 to"),
    (
        r#"{"requests": [{"origin": "null", "url": "https://a.example/", "at": 5}, {"origin": "null", "url": "https://a.example/", "at": 1}]}"#,
        "requests[1].at",
        "no earlier than",
    ),
    (
        r#"{"requests": [{"origin": "null", "url": "https://a.example/", "at": -1}]}"#,
        "requests[0].at",
        "seconds",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}} trailing"#,
        "",
        "trailing characters",
    ),
    ("{\"request\": ", "request", "EOF"),
];

#[test]
fn scenario_json_errors_name_the_field() {
    for (json, path, problem) in SCENARIOS {
        let error = Scenario::from_json(json)
            .and_then(|s| s.evaluate().map(|_| ()))
            .expect_err(json);
        assert_eq!(error.path, *path, "{json}: {error}");
        assert!(
            error.problem.contains(problem),
            "{json}: `{}` does not mention `{problem}`",
            error.problem
        );
    }
}

#[test]
fn input_sizes_are_bounded() {
    let many: Vec<String> = (0..1025).map(|i| format!(r#"["x-{i}", "v"]"#)).collect();
    let json = format!(
        r#"{{"request": {{"origin": "null", "url": "https://a.example/", "headers": [{}]}}}}"#,
        many.join(",")
    );
    let error = Scenario::from_json(&json)
        .unwrap()
        .evaluate()
        .expect_err("too many headers");
    assert_eq!(error.path, "request.headers");
    let long = format!(
        r#"{{"request": {{"origin": "null", "url": "https://a.example/{}"}}}}"#,
        "a".repeat(9000)
    );
    let error = Scenario::from_json(&long)
        .unwrap()
        .evaluate()
        .expect_err("too long a URL");
    assert_eq!(error.path, "request.url");
    let rules: Vec<&str> = (0..1025).map(|_| r#"{"status": 200}"#).collect();
    let json = format!(r#"{{{OK_REQUEST}, "server": [{}]}}"#, rules.join(","));
    let error = Scenario::from_json(&json)
        .unwrap()
        .evaluate()
        .expect_err("too many rules");
    assert_eq!(error.path, "server");
}

#[test]
fn origins_that_are_not_serialized_origins() {
    for bad in [
        "",
        "https://",
        "https://a.example/",
        "https://a.example:443",
        "HTTPS://a.example",
        "https://u@a.example",
        "a.example",
        "file:///x",
    ] {
        assert!(Origin::parse(bad).is_err(), "{bad:?}");
    }
}

/// What `fetch()` throws is a verdict (a rejection with its kind), not an input error.
#[test]
fn fetch_rejections_are_typed() {
    /// (URL, method, headers, mode, the kind fetch() throws).
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        RequestMode,
        ErrorKind,
    );
    let cases: &[Case<'_>] = &[
        (
            "https://api.example/",
            "CONNECT",
            &[],
            RequestMode::Cors,
            ErrorKind::ForbiddenMethod,
        ),
        (
            "https://api.example/",
            "tRaCk",
            &[],
            RequestMode::Cors,
            ErrorKind::ForbiddenMethod,
        ),
        (
            "https://api.example/",
            "GE T",
            &[],
            RequestMode::Cors,
            ErrorKind::InvalidMethod,
        ),
        (
            "https://api.example/",
            "",
            &[],
            RequestMode::Cors,
            ErrorKind::InvalidMethod,
        ),
        (
            "https://api.example/",
            "GET",
            &[("", "v")],
            RequestMode::Cors,
            ErrorKind::InvalidHeaderName,
        ),
        (
            "https://api.example/",
            "GET",
            &[("X:Y", "v")],
            RequestMode::Cors,
            ErrorKind::InvalidHeaderName,
        ),
        (
            "https://api.example/",
            "GET",
            &[("X", "a\nb")],
            RequestMode::Cors,
            ErrorKind::InvalidHeaderValue,
        ),
        (
            "https://api.example/",
            "GET",
            &[("X", "\u{0}")],
            RequestMode::Cors,
            ErrorKind::InvalidHeaderValue,
        ),
        (
            "https://api.example/",
            "GET",
            &[("X", "\u{2603}")],
            RequestMode::Cors,
            ErrorKind::InvalidHeaderValue,
        ),
        (
            "https://u:p@api.example/",
            "GET",
            &[],
            RequestMode::Cors,
            ErrorKind::UrlContainsCredentials,
        ),
        (
            "https://api.example/",
            "PUT",
            &[],
            RequestMode::NoCors,
            ErrorKind::NoCorsMethodNotSafelisted,
        ),
    ];
    for (url, method, headers, mode, kind) in cases {
        let mut init = RequestInit::new(
            Origin::parse("https://app.example").unwrap(),
            url.parse().unwrap(),
        );
        init.method = (*method).to_owned();
        init.headers = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        init.mode = *mode;
        let rejection = Request::new(init).expect_err(method);
        assert_eq!(rejection.kind, *kind, "{method} {headers:?}");
    }
}
