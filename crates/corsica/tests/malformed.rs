//! Bad input on the engine's faces: each malformed input gives a typed error that names the field
//! and the problem, never a panic.

use corsica::scenario::Scenario;
use corsica::{ErrorKind, Origin, Request, RequestInit, RequestMode};

/// (scenario JSON, the path named, the problem, word for word).
const SCENARIOS: &[(&str, &str, &str)] = &[
    ("{}", "request", "missing: give request (or requests)"),
    ("[]", "", NOT_AN_OBJECT),
    ("", "", NOT_AN_OBJECT),
    ("\"request\"", "", NOT_AN_OBJECT),
    (
        r#"{"request": {"origin": "x", "url": "https://a.example/"}}"#,
        "request.origin",
        "not a URL",
    ),
    (
        r#"{"request": {"origin": "https://a.example/", "url": "https://a.example/"}}"#,
        "request.origin",
        "not a serialized origin: write scheme://host[:port] with no path, no trailing slash and no default port",
    ),
    (
        r#"{"request": {"origin": "data:,x", "url": "https://a.example/"}}"#,
        "request.origin",
        "the scheme has no tuple origin (use \"null\" for an opaque origin)",
    ),
    (
        r#"{"request": {"origin": "null", "url": "not a url"}}"#,
        "request.url",
        "not a URL (relative URL without a base)",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example:99999/"}}"#,
        "request.url",
        "not a URL (invalid port number)",
    ),
    (
        r#"{"request": {"origin": "https://a.example", "page": "a.example/", "url": "https://a.example/"}}"#,
        "request.page",
        "not a URL (relative URL without a base)",
    ),
    (
        r#"{"request": {"origin": "https://a.example", "page": "https://b.example/#x", "url": "https://a.example/"}}"#,
        "request.page",
        "the page's origin must be request.origin (https://a.example)",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "mode": "cros"}}"#,
        "request.mode",
        r#"invalid value: string "cros", expected one of "cors", "no-cors", "same-origin", "navigate" at line 1 column 69"#,
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "credentials": true}}"#,
        "request.credentials",
        r#"invalid type: boolean `true`, expected one of "omit", "same-origin", "include" at line 1 column 76"#,
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "headers": [["a"]]}}"#,
        "request.headers[0]",
        "invalid length 1, expected a tuple of size 2 at line 1 column 73",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "headers": [["a", 1]]}}"#,
        "request.headers[0][1]",
        "invalid type: integer `1`, expected a string at line 1 column 79",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "methd": "PUT"}}"#,
        "request.methd",
        "unknown field `methd`, expected one of `origin`, `page`, `url`, `method`, `headers`, `mode`, `credentials`, `redirect`, `use_cors_preflight`, `address_space`, `target_address_space`, `local_network_permission`, `at`, `body`, `server` at line 1 column 61",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/", "at": 1}}"#,
        "request.at",
        "only items of requests have a time",
    ),
    (
        r#"{"profile": "chrome", "request": {"origin": "null", "url": "https://a.example/"}}"#,
        "profile",
        "unknown variant `chrome`, expected one of `spec`, `chromium`, `firefox`, `webkit` at line 1 column 13",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 42}]}"#,
        "server[0].status",
        "must be from 100 to 999",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 70000}]}"#,
        "server[0].status",
        "invalid value: integer `70000`, expected u16 at line 1 column 84",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 200, "headers": [["a b", "c"]]}]}"#,
        "server[0].headers[0][0]",
        "not a header name (an HTTP token)",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "server": [{"status": 200, "url": "::"}]}"#,
        "server[0].url",
        "not a URL (relative URL without a base)",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}, "requests": []}"#,
        "requests",
        "give either request or requests, not both",
    ),
    (
        r#"{"requests": []}"#,
        "requests",
        "needs 1 to 1024 requests",
    ),
    (
        r#"{"requests": [{"origin": "null", "url": "https://a.example/", "at": 5}, {"origin": "null", "url": "https://a.example/", "at": 1}]}"#,
        "requests[1].at",
        "must be a number of seconds, no earlier than the request before it",
    ),
    (
        r#"{"requests": [{"origin": "null", "url": "https://a.example/", "at": -1}]}"#,
        "requests[0].at",
        "must be a number of seconds, no earlier than the request before it",
    ),
    (
        r#"{"requests": [{"origin": "null", "url": "https://a.example/", "server": [{"status": 1}]}]}"#,
        "requests[0].server[0].status",
        "must be from 100 to 999",
    ),
    (
        r#"{"request": {"origin": "null", "url": "https://a.example/"}} trailing"#,
        "",
        "trailing characters at line 1 column 62",
    ),
    (
        "{\"request\": ",
        "request",
        "EOF while parsing a value at line 1 column 13",
    ),
    ("{", "", "EOF while parsing an object at line 1 column 2"),
    (
        "{\"request\": {",
        "request",
        "EOF while parsing an object at line 1 column 14",
    ),
    (
        "{\"request\": {\"origin\": \"null\", ",
        "request",
        "EOF while parsing a value at line 1 column 32",
    ),
    (
        "{\"request\": {\"origin\": \"\\ud800\"}}",
        "request.origin",
        "unexpected end of hex escape at line 1 column 31",
    ),
];

const NOT_AN_OBJECT: &str = "a scenario is a JSON object: {\"request\": …, \"server\": […]}";

#[test]
fn scenario_json_errors_name_the_field() {
    for (json, path, problem) in SCENARIOS {
        let error = Scenario::from_json(json)
            .and_then(|s| s.evaluate().map(|_| ()))
            .expect_err(json);
        assert_eq!(
            (error.path.as_str(), error.problem.as_str()),
            (*path, *problem),
            "{json}"
        );
    }
}

#[test]
fn origins_that_are_not_serialized_origins() {
    use corsica::origin::OriginParseError::{NotAUrl, NotSerialized, OpaqueScheme};
    for (bad, error) in [
        ("", NotAUrl),
        ("https://", NotAUrl),
        ("a.example", NotAUrl),
        ("https://a.example:65536", NotAUrl),
        ("https://a.example/", NotSerialized),
        ("https://a.example:443", NotSerialized),
        ("HTTPS://a.example", NotSerialized),
        ("https://A.example", NotSerialized),
        ("https://u@a.example", NotSerialized),
        ("https://a.example?q", NotSerialized),
        ("https://a.example#f", NotSerialized),
        (" https://a.example", NotSerialized),
        ("https://a.example\u{0}", NotSerialized),
        ("https://\u{2603}.example", NotSerialized),
        ("Null", NotAUrl),
        ("file:///x", OpaqueScheme),
        ("data:,x", OpaqueScheme),
        ("blob:https://a.example/uuid", NotSerialized),
    ] {
        assert_eq!(Origin::parse(bad), Err(error), "{bad:?}");
    }
}

/// One `Request::new` input: URL, method, headers, mode, body.
type Init<'a> = (
    &'a str,
    &'a str,
    &'a [(&'a str, &'a str)],
    RequestMode,
    Option<&'a str>,
);

/// What `fetch()` throws is a verdict (a rejection with its kind and the parameter at fault),
/// not an input error, and never a panic.
#[test]
fn fetch_rejections_are_typed() {
    use ErrorKind::{
        BodyWithGetOrHead, ForbiddenMethod, InvalidHeaderName, InvalidHeaderValue, InvalidMethod,
        NoCorsMethodNotSafelisted, UrlContainsCredentials,
    };
    use RequestMode::{Cors, NoCors};
    const API: &str = "https://api.example/";
    let long_value = "v".repeat(100_000);
    let cases: &[(Init<'_>, ErrorKind, &str)] = &[
        (
            (API, "CONNECT", &[], Cors, None),
            ForbiddenMethod,
            "CONNECT",
        ),
        ((API, "tRaCk", &[], Cors, None), ForbiddenMethod, "tRaCk"),
        ((API, "GE T", &[], Cors, None), InvalidMethod, "GE T"),
        ((API, "", &[], Cors, None), InvalidMethod, ""),
        (
            (API, "G\u{e9}T", &[], Cors, None),
            InvalidMethod,
            "G\u{e9}T",
        ),
        (
            (API, "GET", &[("", "v")], Cors, None),
            InvalidHeaderName,
            "",
        ),
        (
            (API, "GET", &[("X:Y", "v")], Cors, None),
            InvalidHeaderName,
            "X:Y",
        ),
        (
            (API, "GET", &[("X\u{e9}", "v")], Cors, None),
            InvalidHeaderName,
            "X\u{e9}",
        ),
        (
            (API, "GET", &[("X-A", "1"), ("X B", "v")], Cors, None),
            InvalidHeaderName,
            "X B",
        ),
        (
            (API, "GET", &[("X", "a\nb")], Cors, None),
            InvalidHeaderValue,
            "X",
        ),
        (
            (API, "GET", &[("X", "a\rb")], Cors, None),
            InvalidHeaderValue,
            "X",
        ),
        (
            (API, "GET", &[("X", "\u{0}")], Cors, None),
            InvalidHeaderValue,
            "X",
        ),
        (
            (API, "GET", &[("X", "\u{2603}")], Cors, None),
            InvalidHeaderValue,
            "X",
        ),
        (
            (
                API,
                "GET",
                &[("X", &long_value), ("Y", "\u{0}")],
                Cors,
                None,
            ),
            InvalidHeaderValue,
            "Y",
        ),
        (
            ("https://u:p@api.example/", "GET", &[], Cors, None),
            UrlContainsCredentials,
            "https://u:p@api.example/",
        ),
        (
            ("https://u@api.example/", "GET", &[], Cors, None),
            UrlContainsCredentials,
            "https://u@api.example/",
        ),
        (
            (API, "PUT", &[], NoCors, None),
            NoCorsMethodNotSafelisted,
            "PUT",
        ),
        ((API, "get", &[], Cors, Some("x")), BodyWithGetOrHead, "GET"),
        (
            (API, "HEAD", &[], Cors, Some("")),
            BodyWithGetOrHead,
            "HEAD",
        ),
    ];
    for ((url, method, headers, mode, body), kind, parameter) in cases {
        let rejection = Request::new(init((url, method, headers, *mode, *body))).expect_err(method);
        assert_eq!(
            (rejection.kind, rejection.parameter.as_str()),
            (*kind, *parameter),
            "{method} {headers:?}"
        );
    }
    // What a browser accepts: a control character other than NUL, CR and LF; a long value.
    for headers in [&[("X", "a\u{7}b")][..], &[("X", long_value.as_str())]] {
        assert!(
            Request::new(init((API, "GET", headers, Cors, None))).is_ok(),
            "{headers:?}"
        );
    }
}

fn init((url, method, headers, mode, body): Init<'_>) -> RequestInit {
    let mut init = RequestInit::new(
        Origin::parse("https://app.example").unwrap(),
        url.parse().unwrap(),
    );
    init.method = method.to_owned();
    init.headers = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    init.mode = mode;
    init.body = body.map(str::to_owned);
    init
}
