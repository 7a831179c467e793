//! Records the hand-written scenarios of `smoke.jsonl` in Chromium, Firefox ESR and WebKitGTK
//! and checks what every browser is known to do with them (browsers.md §0).
//!
//! Not skipped when a browser is missing: the recorder installs Debian's packages (as root),
//! or the test fails saying what is missing. Takes about 20 s.

use std::collections::HashMap;
use std::path::Path;

use corsica_oracle::install::BrowserKind;
use corsica_oracle::record;
use serde_json::Value;

mod support;

fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers
        .as_array()?
        .iter()
        .find(|p| p[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .and_then(|p| p[1].as_str())
}

#[test]
fn smoke_in_every_browser() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smoke.jsonl");
    let inputs = record::read_scenarios(&file, None).expect("read smoke.jsonl");
    let records = support::record_in(&inputs, &BrowserKind::ALL);
    let mut by: HashMap<(String, String), Value> = HashMap::new();
    for rec in records {
        let browser = rec["browser"]["name"].as_str().unwrap().to_owned();
        let id = rec["id"].as_str().unwrap().to_owned();
        assert!(
            rec["browser"]["version"]
                .as_str()
                .is_some_and(|v| !v.is_empty()),
            "{browser} has no version"
        );
        assert!(rec["date"].as_str().is_some_and(|d| d.len() == 10));
        by.insert((browser, id), rec);
    }
    assert_eq!(
        by.len(),
        inputs.len() * BrowserKind::ALL.len(),
        "one line per scenario and browser"
    );

    for kind in BrowserKind::ALL {
        let b = kind.name();
        let get = |id: &str| -> &Value { by.get(&(b.to_owned(), format!("smoke/{id}"))).unwrap() };
        let first = |id: &str| -> &Value {
            let r = get(id);
            assert_eq!(r["status"], "recorded", "{b} {id}: {r}");
            &r["results"][0]
        };
        let ctx = |id: &str| format!("{b} {id}: {}", first(id));

        // A simple GET with a matching ACAO.
        let r = first("get-acao-match");
        assert_eq!(r["outcome"], "resolved", "{}", ctx("get-acao-match"));
        assert_eq!(r["response"]["status"], 200);
        assert_eq!(r["response"]["type"], "cors");
        assert_eq!(
            header(&r["exchanges"][0]["headers"], "origin"),
            Some("http://page.test")
        );

        // The document that called fetch(): the oracle's page, with its batch fragment.
        assert!(
            r["page"]
                .as_str()
                .is_some_and(|p| p.starts_with("http://page.test/#b=")),
            "{}",
            ctx("get-acao-match")
        );

        // WPT's origins: the page of another origin is an iframe of it; a URL in the query is
        // mapped back without the case's prefix.
        let r = first("wpt-origins-in-a-frame");
        assert_eq!(
            r["outcome"],
            "resolved",
            "{}",
            ctx("wpt-origins-in-a-frame")
        );
        assert_eq!(
            r["page"],
            "http://www1.web-platform.test:8000/__oracle/frame"
        );
        assert_eq!(
            header(&r["exchanges"][0]["headers"], "origin"),
            Some("http://www1.web-platform.test:8000")
        );
        assert_eq!(
            r["exchanges"][0]["url"],
            "http://web-platform.test:8001/r?origin=http://www1.web-platform.test:8000"
        );

        // No ACAO: blocked after the request was sent.
        let r = first("get-acao-missing");
        assert_eq!(r["outcome"], "rejected", "{}", ctx("get-acao-missing"));
        assert_eq!(r["error"]["name"], "TypeError");
        assert_eq!(r["exchanges"].as_array().unwrap().len(), 1);

        // A preflighted PUT.
        let r = first("put-preflight");
        assert_eq!(r["outcome"], "resolved", "{}", ctx("put-preflight"));
        let ex = r["exchanges"].as_array().unwrap();
        assert_eq!(ex.len(), 2, "{}", ctx("put-preflight"));
        assert_eq!(ex[0]["method"], "OPTIONS");
        assert_eq!(ex[0]["preflight"], true);
        assert_eq!(
            header(&ex[0]["headers"], "access-control-request-method"),
            Some("PUT")
        );
        assert_eq!(
            header(&ex[0]["headers"], "access-control-request-headers"),
            Some("content-type")
        );
        assert_eq!(ex[1]["method"], "PUT");

        // Authorization covered by ACAH `*`: allowed in every engine, against the standard.
        let r = first("auth-acah-star");
        assert_eq!(r["outcome"], "resolved", "{}", ctx("auth-acah-star"));
        assert_eq!(
            header(
                &r["exchanges"][0]["headers"],
                "access-control-request-headers"
            ),
            Some("authorization")
        );

        // No ACAM for PUT: the actual request is never sent.
        let r = first("put-no-acam");
        assert_eq!(r["outcome"], "rejected", "{}", ctx("put-no-acam"));
        assert_eq!(r["exchanges"].as_array().unwrap().len(), 1);

        let r = first("credentials-acao-star");
        assert_eq!(r["outcome"], "rejected", "{}", ctx("credentials-acao-star"));

        // no-cors: opaque, and no Origin on a GET.
        let r = first("no-cors-opaque");
        assert_eq!(r["outcome"], "resolved", "{}", ctx("no-cors-opaque"));
        assert_eq!(r["response"]["type"], "opaque");
        assert_eq!(r["response"]["status"], 0);
        assert_eq!(header(&r["exchanges"][0]["headers"], "origin"), None);

        // Exposure.
        let r = first("expose-header");
        assert_eq!(
            header(&r["response"]["headers"], "x-custom-resp"),
            Some("yes"),
            "{}",
            ctx("expose-header")
        );
        assert_eq!(header(&r["response"]["headers"], "x-hidden"), None);
        assert_eq!(
            header(&r["response"]["headers"], "content-type"),
            Some("text/plain")
        );

        // A cross-origin redirect taints the origin: `Origin: null` on the second request.
        let r = first("redirect-cross-origin");
        assert_eq!(r["outcome"], "resolved", "{}", ctx("redirect-cross-origin"));
        assert_eq!(r["response"]["redirected"], true);
        assert_eq!(r["response"]["url"], "http://other.test/final");
        assert_eq!(
            header(&r["exchanges"][1]["headers"], "origin"),
            Some("null")
        );

        // The preflight cache: the second PUT sends no preflight.
        let rec = get("preflight-cache");
        let steps = rec["results"].as_array().unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0]["sent"]["preflights"], 1, "{b}: {rec}");
        assert_eq!(steps[1]["sent"]["preflights"], 0, "{b}: {rec}");
        assert_eq!(steps[1]["outcome"], "resolved");

        // same-origin mode, cross-origin URL: refused before anything is sent.
        let r = first("same-origin-mode-cross-origin");
        assert_eq!(r["outcome"], "rejected");
        assert!(r["exchanges"].as_array().unwrap().is_empty());

        // A scenario the oracle cannot play is recorded as such.
        assert_eq!(get("unplayable-origin")["status"], "unsupported");

        // Console lines, per engine.
        let console: Vec<String> = first("get-acao-missing")["console"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect();
        let want = match kind {
            BrowserKind::Chromium => {
                "Access to fetch at 'http://api.test/data' from origin 'http://page.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            }
            BrowserKind::Firefox => {
                "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200."
            }
            BrowserKind::Webkit => {
                "Origin http://page.test is not allowed by Access-Control-Allow-Origin. Status code: 200"
            }
        };
        assert!(console.iter().any(|c| c.contains(want)), "{b}: {console:?}");
    }

    // Chromium's CorsError kinds and hints.
    let chromium = |id: &str| &by[&("chromium".to_owned(), format!("smoke/{id}"))]["results"][0];
    assert_eq!(
        chromium("get-acao-missing")["cors_error"]["kind"],
        "MissingAllowOriginHeader"
    );
    assert_eq!(
        chromium("put-no-acam")["cors_error"]["kind"],
        "MethodDisallowedByPreflightResponse"
    );
    assert_eq!(
        chromium("put-no-acam")["cors_error"]["failed_parameter"],
        "PUT"
    );
    assert_eq!(
        chromium("credentials-acao-star")["cors_error"]["kind"],
        "WildcardOriginNotAllowed"
    );
    assert_eq!(
        chromium("same-origin-mode-cross-origin")["cors_error"]["kind"],
        "DisallowedByMode"
    );
    assert!(chromium("get-acao-match")["cors_error"].is_null());
    let issues = chromium("auth-acah-star")["issues"].as_array().unwrap();
    assert!(
        issues
            .iter()
            .any(|i| i["type"] == "AuthorizationCoveredByWildcard"),
        "no AuthorizationCoveredByWildcard issue: {issues:?}"
    );
}
