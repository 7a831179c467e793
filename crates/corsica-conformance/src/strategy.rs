//! [proptest](https://docs.rs/proptest) strategies for browser requests and scenarios, biased
//! toward the boundaries of a [`Policy`]: origins next to the allowlist, methods in odd case,
//! header sets mixing safelisted and unsafe values, each credentials mode, simple and preflighted
//! requests.
//!
//! Every strategy draws from a list ordered from the plainest value to the most exotic, and
//! shrinks toward the front of it: a minimal counterexample uses the plainest origin, method and
//! headers that still fail. They are public so that you can write your own properties:
//!
//! ```
//! use corsica_conformance::{Policy, strategy};
//! use proptest::prelude::*;
//!
//! let policy = Policy::from_toml(r#"
//!     origins = ["https://app.example"]
//!     methods = ["PUT"]
//!     headers = ["content-type"]
//!     credentials = false
//! "#).unwrap();
//! proptest!(|(case in strategy::cases(&policy))| {
//!     // Every generated request is one `fetch()` accepts.
//!     let url = "https://api.example/data".parse().unwrap();
//!     let input = case.request_input(&url);
//!     prop_assert!(matches!(input.to_request("request"), Ok(Ok(_))));
//! });
//! ```

use corsica::Origin;
use corsica::Url;
use corsica::scenario::{Credentials, Scenario};
use proptest::prelude::*;
use proptest::sample::select;

use crate::case::Case;
use crate::policy::{OriginPattern, Policy, with_port};

/// An origin no policy of a test names: the plainest disallowed origin.
pub const ATTACKER: &str = "https://attacker.example";

/// Origins around the policy's allowlist, the allowed ones first, then (for each allowed origin)
/// its neighbours: another scheme (`https` → `http`), another port, a suffix trick
/// (`https://app.example.attacker.example`), a prefix trick (`https://evilapp.example`), a
/// subdomain, the parent domain, the FQDN with a trailing dot; and `null` and an unrelated
/// origin.
pub fn origin_candidates(policy: &Policy) -> Vec<String> {
    let mut allowed: Vec<String> = policy.origins.iter().map(OriginPattern::instance).collect();
    allowed.retain(|o| o != "null");
    let mut all = allowed.clone();
    all.push(String::from(ATTACKER));
    all.push(String::from("null"));
    for origin in &allowed {
        let Ok(url) = Url::parse(origin) else {
            continue;
        };
        let Some(host) = url.host_str() else { continue };
        let scheme = url.scheme();
        let port = url.port_or_known_default();
        let downgrade = if scheme == "https" { "http" } else { "https" };
        let other_port = port.map(|p| p.wrapping_add(1).max(1));
        let parent = host.split_once('.').map(|(_, parent)| parent);
        let mut near = vec![
            with_port(downgrade, host, None),
            with_port(scheme, host, other_port),
            with_port(scheme, &format!("{host}.attacker.example"), port),
            with_port(scheme, &format!("evil{host}"), port),
            with_port(scheme, &format!("sub.{host}"), port),
            with_port(scheme, &format!("{host}."), port),
        ];
        if let Some(parent) = parent.filter(|p| p.contains('.')) {
            near.push(with_port(scheme, parent, port));
        }
        all.extend(near);
    }
    all.retain(|o| Origin::parse(o).is_ok());
    dedup(all)
}

/// Methods: the safelisted ones, the policy's, the policy's in odd case (`put`, `Patch`:
/// `fetch()` uppercases only six methods), and common methods outside the policy.
pub fn method_candidates(policy: &Policy) -> Vec<String> {
    let mut all: Vec<String> = ["GET", "POST", "HEAD"].map(String::from).to_vec();
    let listed = policy.methods.iter().filter(|m| *m != "*");
    all.extend(listed.clone().cloned());
    for method in listed {
        all.push(method.to_ascii_lowercase());
        let mut odd = method.to_ascii_lowercase();
        if let Some(first) = odd.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        all.push(odd);
    }
    all.extend(["PUT", "DELETE", "PATCH", "patch", "OPTIONS", "PROPFIND"].map(String::from));
    dedup(all)
}

/// Request headers: safelisted names with safelisted values, the policy's names (and in odd
/// case), safelisted names with values that make them unsafe, `Authorization`, and a name
/// outside the policy.
pub fn header_candidates(policy: &Policy) -> Vec<(String, String)> {
    let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
    let mut all = vec![
        pair("Accept", "*/*"),
        pair("Content-Type", "text/plain"),
        pair("Accept-Language", "en-US"),
    ];
    for name in policy.headers.iter().filter(|h| *h != "*") {
        all.push(pair(name, "corsica"));
        all.push(pair(&name.to_ascii_uppercase(), "corsica"));
    }
    all.extend([
        pair("Content-Type", "application/json"),
        pair("Authorization", "Bearer corsica"),
        pair("X-Corsica-Unlisted", "1"),
        pair("Accept-Language", "en;q=\"1\""),
    ]);
    dedup(all)
}

fn dedup<T: PartialEq>(list: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A page's origin ([`origin_candidates`]).
pub fn origins(policy: &Policy) -> BoxedStrategy<String> {
    select(origin_candidates(policy)).boxed()
}

/// A method ([`method_candidates`]).
pub fn methods(policy: &Policy) -> BoxedStrategy<String> {
    select(method_candidates(policy)).boxed()
}

/// Zero to three request headers ([`header_candidates`]); shrinks toward none.
pub fn header_sets(policy: &Policy) -> BoxedStrategy<Vec<(String, String)>> {
    proptest::collection::vec(select(header_candidates(policy)), 0..=3).boxed()
}

/// A credentials mode: `same-origin` (the default), `omit`, `include`.
pub fn credentials() -> BoxedStrategy<Credentials> {
    select(vec![
        Credentials::SameOrigin,
        Credentials::Omit,
        Credentials::Include,
    ])
    .boxed()
}

/// A request a page could make, near `policy`'s boundaries.
pub fn cases(policy: &Policy) -> BoxedStrategy<Case> {
    (
        origins(policy),
        methods(policy),
        header_sets(policy),
        credentials(),
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(origin, method, headers, credentials, private_network)| Case {
                origin,
                method,
                headers,
                credentials,
                private_network,
            },
        )
        .boxed()
}

/// A value of `Access-Control-Allow-Origin` a server might send to `origin` (reflecting it,
/// `*`, `null`, an allowed origin, with a trailing slash …).
fn allow_origin_answers(policy: &Policy) -> BoxedStrategy<Option<AllowOrigin>> {
    let mut fixed: Vec<String> = policy.origins.iter().map(OriginPattern::instance).collect();
    fixed.extend(fixed.clone().into_iter().map(|o| format!("{o}/")));
    prop_oneof![
        Just(Some(AllowOrigin::Reflect)),
        Just(None),
        Just(Some(AllowOrigin::Fixed(String::from("*")))),
        Just(Some(AllowOrigin::Fixed(String::from("null")))),
        select(fixed).prop_map(|o| Some(AllowOrigin::Fixed(o))),
    ]
    .boxed()
}

#[derive(Clone, Debug)]
enum AllowOrigin {
    Reflect,
    Fixed(String),
}

/// A scenario: a [case](cases) sent to `url`, and a server whose preflight and actual answers
/// carry CORS headers drawn near the policy (reflected or fixed origins, `*`, credentials, the
/// policy's methods and headers or `*`, a max-age). For properties of the engine or of your own
/// policy logic, without a server.
pub fn scenarios(policy: &Policy, url: &Url) -> BoxedStrategy<Scenario> {
    let url = url.clone();
    let methods = dedup(
        ["*".to_owned()]
            .into_iter()
            .chain(method_candidates(policy))
            .collect(),
    );
    let headers = dedup(
        ["*".to_owned(), "authorization".to_owned()]
            .into_iter()
            .chain(policy.headers.iter().cloned())
            .collect(),
    );
    (
        cases(policy),
        allow_origin_answers(policy),
        any::<bool>(),
        proptest::sample::subsequence(methods.clone(), 0..=methods.len()),
        proptest::sample::subsequence(headers.clone(), 0..=headers.len()),
        prop_oneof![Just(None), (0u64..=90_000).prop_map(Some)],
        prop_oneof![Just(200u16), Just(204), Just(404), Just(500)],
    )
        .prop_map(move |(case, acao, acac, acam, acah, max_age, status)| {
            let mut cors: Vec<(String, String)> = Vec::new();
            if let Some(acao) = acao {
                let value = match acao {
                    AllowOrigin::Reflect => case.origin.clone(),
                    AllowOrigin::Fixed(value) => value,
                };
                cors.push(("Access-Control-Allow-Origin".into(), value));
            }
            if acac {
                cors.push(("Access-Control-Allow-Credentials".into(), "true".into()));
            }
            let mut preflight = cors.clone();
            preflight.push(("Access-Control-Allow-Methods".into(), acam.join(", ")));
            preflight.push(("Access-Control-Allow-Headers".into(), acah.join(", ")));
            if let Some(max_age) = max_age {
                preflight.push(("Access-Control-Max-Age".into(), max_age.to_string()));
            }
            serde_json::from_value(serde_json::json!({
                "id": "generated",
                "request": case.request_input(&url),
                "server": [
                    {"preflight": true, "status": status, "headers": preflight},
                    {"preflight": false, "status": 200, "headers": cors},
                ],
            }))
            .expect("a generated scenario is valid")
        })
        .boxed()
}
