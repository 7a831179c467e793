//! Random scenarios from a seed, in the scenario format with the placeholder origins.
//!
//! The same seed always gives the same scenarios (the generator has its own PRNG, SplitMix64,
//! so that this does not depend on any crate's version). Each scenario carries `tags` naming
//! the categories it exercises.

use std::collections::BTreeSet;

use serde_json::{Value, json};

/// SplitMix64.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }

    /// One element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One element by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(u32, T)]) -> &'a T {
        let total: u32 = items.iter().map(|(w, _)| *w).sum();
        let mut r = self.below(total as usize) as u32;
        for (w, t) in items {
            if r < *w {
                return t;
            }
            r -= w;
        }
        &items[items.len() - 1].1
    }
}

const PAGE: &str = "http://page.test";

struct Gen {
    rng: Rng,
    tags: BTreeSet<String>,
}

type Headers = Vec<(String, String)>;

fn hjson(h: &Headers) -> Value {
    Value::Array(h.iter().map(|(n, v)| json!([n, v])).collect())
}

/// What the request looks like, for choosing server answers that sometimes fit.
struct Req {
    method: String,
    /// Lowercased names of the headers that are not obviously safelisted.
    unsafe_names: Vec<String>,
    credentials_include: bool,
}

impl Gen {
    fn tag(&mut self, t: impl Into<String>) {
        self.tags.insert(t.into());
    }

    fn name_case(&mut self, canonical: &str) -> String {
        match self.rng.below(10) {
            0 => canonical.to_ascii_lowercase(),
            1 => canonical.to_ascii_uppercase(),
            _ => canonical.to_owned(),
        }
    }

    fn target(&mut self) -> (&'static str, &'static str) {
        match self.rng.weighted(&[(60, 0), (25, 1), (15, 2)]) {
            0 => {
                self.tag("target-same-site");
                ("http://api.test", "api")
            }
            1 => {
                self.tag("target-cross-site");
                ("http://other.test", "other")
            }
            _ => {
                self.tag("target-same-origin");
                (PAGE, "page")
            }
        }
    }

    fn method(&mut self) -> String {
        let (cat, list): (&str, &[&str]) = *self.rng.weighted(&[
            (
                45,
                (
                    "method-safelisted",
                    &["GET", "GET", "GET", "HEAD", "POST", "POST"][..],
                ),
            ),
            (
                30,
                (
                    "method-unsafe",
                    &["PUT", "DELETE", "PATCH", "OPTIONS-LIKE", "QUERY", "PURGE"][..],
                ),
            ),
            (
                17,
                (
                    "method-odd-case",
                    &[
                        "patch", "Delete", "put", "post", "get", "Patch", "dElEtE", "head",
                    ][..],
                ),
            ),
            (
                8,
                (
                    "method-forbidden",
                    &["CONNECT", "TRACE", "TRACK", "connect", "trace"][..],
                ),
            ),
        ]);
        self.tag(cat);
        let m = *self.rng.pick(list);
        if m == "OPTIONS-LIKE" {
            "PROPFIND".to_owned()
        } else {
            m.to_owned()
        }
    }

    fn request_headers(&mut self, method: &str) -> (Headers, Vec<String>) {
        let mut h: Headers = Vec::new();
        let mut unsafe_names = Vec::new();
        let n = *self
            .rng
            .weighted(&[(35, 0usize), (35, 1), (20, 2), (10, 3)]);
        for _ in 0..n {
            let cat = *self.rng.weighted(&[
                (14, "safelisted"),
                (8, "mime-params"),
                (6, "edge-128"),
                (4, "total-1024"),
                (6, "range"),
                (6, "unsafe-bytes"),
                (16, "custom"),
                (8, "forbidden"),
                (8, "authorization"),
                (5, "duplicate"),
            ]);
            self.tag(format!("header-{cat}"));
            match cat {
                "safelisted" => {
                    let (name, value) = *self.rng.pick(&[
                        ("Accept", "application/json"),
                        ("Accept", "*/*"),
                        ("Accept-Language", "en-US,en;q=0.9"),
                        ("Content-Language", "de-DE"),
                        ("Content-Type", "text/plain"),
                        ("Content-Type", "application/x-www-form-urlencoded"),
                        ("Content-Type", "multipart/form-data; boundary=xyz"),
                        ("Accept", "caf\u{e9}/x"),
                    ]);
                    let name = self.name_case(name);
                    h.push((name, value.into()));
                }
                "mime-params" => {
                    let v = *self.rng.pick(&[
                        "text/plain; charset=utf-8",
                        "text/plain;charset=UTF-8;foo=bar",
                        "TEXT/PLAIN",
                        "text/plain ; x=y",
                        "application/json",
                        "application/json; charset=utf-8",
                        "text/html",
                        "text/plain, application/json",
                        "text/plain; x=\"(\"",
                        "application/x-www-form-urlencoded;charset=x",
                        "multipart/form-data",
                        "text/plain;",
                        "",
                    ]);
                    let name = self.name_case("Content-Type");
                    let plain = v.starts_with("text/plain") && !v.contains('"') && !v.contains(',');
                    let safelisted = plain
                        || v == "TEXT/PLAIN"
                        || v.starts_with("multipart/form-data")
                        || v.starts_with("application/x-www-form-urlencoded");
                    if !safelisted {
                        unsafe_names.push("content-type".into());
                    }
                    h.push((name, v.into()));
                }
                "edge-128" => {
                    let len = *self.rng.pick(&[127usize, 128, 129]);
                    let (name, v) = match self.rng.below(3) {
                        0 => ("Accept", format!("a/{}", "b".repeat(len - 2))),
                        1 => (
                            "Accept-Language",
                            format!("en{}", "-x".repeat((len - 2) / 2))
                                + &"y".repeat((len - 2) % 2),
                        ),
                        _ => ("Content-Language", "d".repeat(len)),
                    };
                    if len > 128 {
                        unsafe_names.push(name.to_ascii_lowercase());
                    }
                    h.push((name.into(), v));
                }
                "total-1024" => {
                    let (k, len) = *self.rng.pick(&[
                        (8usize, 128usize),
                        (9, 114),
                        (9, 113),
                        (11, 100),
                        (5, 100),
                    ]);
                    for i in 0..k {
                        let mut v = format!("e{}", i % 10);
                        while v.len() < len {
                            v.push('n');
                        }
                        h.push(("Accept-Language".into(), v));
                    }
                    unsafe_names.push("accept-language".into());
                }
                "range" => {
                    let v = *self.rng.pick(&[
                        "bytes=0-99",
                        "bytes=5-",
                        "bytes=-5",
                        "bytes=0-1,3-4",
                        "bytes = 0-1",
                        "items=0-9",
                        "bytes=10-5",
                    ]);
                    if !matches!(v, "bytes=0-99" | "bytes=5-") {
                        unsafe_names.push("range".into());
                    }
                    let name = self.name_case("Range");
                    h.push((name, v.into()));
                }
                "unsafe-bytes" => {
                    let (name, v) = *self.rng.pick(&[
                        ("Accept", "text/html\""),
                        ("Accept", "a{b}"),
                        ("Accept", "x\u{7f}"),
                        ("Accept-Language", "en@US"),
                        ("Accept-Language", "en_US"),
                        ("Content-Language", "de(DE)"),
                        ("Content-Type", "text/plain; a=<b>"),
                    ]);
                    unsafe_names.push(name.to_ascii_lowercase());
                    h.push((name.into(), v.into()));
                }
                "custom" => {
                    let (name, v) = *self.rng.pick(&[
                        ("X-Custom", "1"),
                        ("x-requested-with", "XMLHttpRequest"),
                        ("X-CuStOm", "mixed"),
                        ("X-Empty", ""),
                        ("X-A", "a"),
                        ("X-B", "b"),
                        ("X-Padded", "  spaced  "),
                        ("Zz-Last", "z"),
                        ("Aa-First", "a"),
                    ]);
                    unsafe_names.push(name.to_ascii_lowercase());
                    h.push((name.into(), v.into()));
                }
                "forbidden" => {
                    let (name, v) = *self.rng.pick(&[
                        ("Cookie", "a=b"),
                        ("Host", "evil.test"),
                        ("Origin", "http://evil.test"),
                        ("Referer", "http://evil.test/"),
                        ("Sec-Custom", "1"),
                        ("Proxy-Custom", "1"),
                        ("Connection", "close"),
                        ("Keep-Alive", "5"),
                        ("X-HTTP-Method-Override", "CONNECT"),
                        ("X-HTTP-Method-Override", "PATCH"),
                        ("X-Method-Override", "TRACE"),
                        ("Accept-Charset", "utf-8"),
                        ("Access-Control-Request-Headers", "x-foo"),
                        ("User-Agent", "corsica"),
                        ("Date", "Tue, 01 Jan 2030 00:00:00 GMT"),
                        ("DNT", "1"),
                    ]);
                    if matches!(
                        name,
                        "X-HTTP-Method-Override" | "X-Method-Override" | "User-Agent"
                    ) {
                        unsafe_names.push(name.to_ascii_lowercase());
                    }
                    h.push((name.into(), v.into()));
                }
                "authorization" => {
                    let name = self.name_case("Authorization");
                    h.push((
                        name,
                        (*self.rng.pick(&["Bearer t", "Basic dTpw", ""])).into(),
                    ));
                    unsafe_names.push("authorization".into());
                }
                _ => {
                    // duplicate
                    let (name, a, b) = *self.rng.pick(&[
                        ("X-Dup", "1", "2"),
                        ("Accept", "text/html", "application/json"),
                        ("Content-Language", "en", "de"),
                        ("X-Dup", "same", "same"),
                    ]);
                    h.push((name.into(), a.into()));
                    let second = if self.rng.chance(0.5) {
                        name.to_ascii_lowercase()
                    } else {
                        name.to_owned()
                    };
                    h.push((second, b.into()));
                    if name.starts_with("X-") {
                        unsafe_names.push(name.to_ascii_lowercase());
                    }
                }
            }
        }
        let _ = method;
        unsafe_names.sort();
        unsafe_names.dedup();
        (h, unsafe_names)
    }

    fn acao(&mut self, origin: &str) -> Headers {
        let name = self.name_case("Access-Control-Allow-Origin");
        let variant = *self.rng.weighted(&[
            (40, "exact"),
            (12, "star"),
            (8, "missing"),
            (4, "null"),
            (4, "trailing-slash"),
            (3, "uppercase"),
            (4, "whitespace"),
            (3, "dup-same"),
            (3, "dup-diff"),
            (3, "list"),
            (4, "mismatch"),
            (3, "empty"),
            (3, "invalid"),
            (2, "star-dup"),
        ]);
        self.tag(format!("acao-{variant}"));
        let o = origin.to_owned();
        let one = |v: String| vec![(name.clone(), v)];
        match variant {
            "exact" => one(o),
            "star" => one("*".into()),
            "missing" => vec![],
            "null" => one("null".into()),
            "trailing-slash" => one(format!("{o}/")),
            "uppercase" => one(o.to_ascii_uppercase()),
            "whitespace" => one(format!(" {o}\t")),
            "dup-same" => vec![(name.clone(), o.clone()), (name.clone(), o)],
            "dup-diff" => vec![(name.clone(), o), (name.clone(), "*".into())],
            "list" => one(format!("{o}, http://other.test")),
            "mismatch" => one("http://other.test".into()),
            "empty" => one(String::new()),
            "invalid" => one((*self
                .rng
                .pick(&["http://", "page.test", "http://page.test:99999"]))
            .into()),
            _ => vec![(name.clone(), "*".into()), (name, "*".into())],
        }
    }

    fn acac(&mut self, credentials: bool) -> Headers {
        if !self.rng.chance(if credentials { 0.8 } else { 0.2 }) {
            self.tag("acac-missing");
            return vec![];
        }
        let name = self.name_case("Access-Control-Allow-Credentials");
        let variant = *self.rng.weighted(&[
            (50, "true"),
            (6, "TRUE"),
            (5, "True"),
            (6, "spaced"),
            (5, "list"),
            (5, "dup"),
            (6, "false"),
            (5, "empty"),
            (4, "1"),
        ]);
        self.tag(format!("acac-{variant}"));
        match variant {
            "spaced" => vec![(name, " true ".into())],
            "list" => vec![(name, "true, true".into())],
            "dup" => vec![(name.clone(), "true".into()), (name, "true".into())],
            "empty" => vec![(name, String::new())],
            v => vec![(name, v.into())],
        }
    }

    fn acam(&mut self, method: &str) -> Headers {
        let name = self.name_case("Access-Control-Allow-Methods");
        let variant = *self.rng.weighted(&[
            (35, "exact"),
            (10, "missing"),
            (6, "lowercase"),
            (6, "uppercase"),
            (10, "star"),
            (8, "list"),
            (4, "no-space"),
            (4, "invalid"),
            (3, "empty-elements"),
            (4, "dup"),
            (3, "empty"),
            (3, "star-list"),
        ]);
        self.tag(format!("acam-{variant}"));
        let m = method.to_owned();
        let one = |v: String| vec![(name.clone(), v)];
        match variant {
            "exact" => one(m),
            "missing" => vec![],
            "lowercase" => one(m.to_ascii_lowercase()),
            "uppercase" => one(m.to_ascii_uppercase()),
            "star" => one("*".into()),
            "list" => one(format!("GET, POST, {m}")),
            "no-space" => one(format!("GET,{m}")),
            "invalid" => one(format!("{m} GET")),
            "empty-elements" => one(format!(", {m},,")),
            "dup" => vec![(name.clone(), "GET".into()), (name.clone(), m)],
            "empty" => one(String::new()),
            _ => one(format!("*, {m}")),
        }
    }

    fn acah(&mut self, names: &[String]) -> Headers {
        let name = self.name_case("Access-Control-Allow-Headers");
        let variant = *self.rng.weighted(&[
            (35, "exact"),
            (10, "missing"),
            (6, "capitalized"),
            (12, "star"),
            (5, "star-authorization"),
            (4, "authorization"),
            (3, "invalid"),
            (3, "empty"),
            (4, "dup-lines"),
            (4, "partial"),
            (3, "empty-elements"),
        ]);
        self.tag(format!("acah-{variant}"));
        let joined = names.join(", ");
        let one = |v: String| vec![(name.clone(), v)];
        match variant {
            "exact" => one(if joined.is_empty() {
                "x-custom".into()
            } else {
                joined
            }),
            "missing" => vec![],
            "capitalized" => one(names
                .iter()
                .map(|n| n.split('-').map(capitalize).collect::<Vec<_>>().join("-"))
                .collect::<Vec<_>>()
                .join(",")),
            "star" => one("*".into()),
            "star-authorization" => one("*, Authorization".into()),
            "authorization" => one("authorization".into()),
            "invalid" => one(format!("{joined} x custom")),
            "empty" => one(String::new()),
            "dup-lines" => {
                if names.is_empty() {
                    vec![(name.clone(), "x-a".into()), (name, "x-b".into())]
                } else {
                    names.iter().map(|n| (name.clone(), n.clone())).collect()
                }
            }
            "partial" => one(names.first().cloned().unwrap_or_default()),
            _ => one(format!(",{joined},,")),
        }
    }

    fn aceh(&mut self) -> Headers {
        if self.rng.chance(0.4) {
            self.tag("aceh-missing");
            return vec![];
        }
        let name = self.name_case("Access-Control-Expose-Headers");
        let variant = *self.rng.weighted(&[
            (30, "exact"),
            (8, "lowercase"),
            (12, "star"),
            (8, "list"),
            (5, "invalid"),
            (4, "empty"),
            (5, "dup"),
            (5, "set-cookie"),
            (4, "star-and-name"),
        ]);
        self.tag(format!("aceh-{variant}"));
        let one = |v: &str| vec![(name.clone(), v.to_owned())];
        match variant {
            "exact" => one("X-Exposed"),
            "lowercase" => one("x-exposed"),
            "star" => one("*"),
            "list" => one("X-Exposed, X-Hidden"),
            "invalid" => one("X Exposed"),
            "empty" => one(""),
            "dup" => vec![
                (name.clone(), "X-Exposed".into()),
                (name, "X-Hidden".into()),
            ],
            "set-cookie" => one("Set-Cookie, X-Exposed"),
            _ => one("*, X-Hidden"),
        }
    }

    fn max_age(&mut self) -> Headers {
        let v = *self.rng.weighted(&[
            (8, None),
            (6, Some("0")),
            (10, Some("1")),
            (8, Some("5")),
            (6, Some("600")),
            (3, Some("7201")),
            (3, Some("86401")),
            (4, Some("-1")),
            (4, Some("abc")),
            (4, Some("1.5")),
            (3, Some(" 2")),
            (3, Some("2, 3")),
            (2, Some("")),
        ]);
        match v {
            None => {
                self.tag("max-age-missing");
                vec![]
            }
            Some(v) => {
                self.tag(format!(
                    "max-age-{}",
                    if v.trim().parse::<u64>().is_ok() {
                        "valid"
                    } else {
                        "invalid"
                    }
                ));
                vec![(self.name_case("Access-Control-Max-Age"), v.into())]
            }
        }
    }

    fn preflight_status(&mut self) -> u16 {
        let s = *self.rng.weighted(&[
            (45, 204u16),
            (30, 200),
            (4, 299),
            (3, 202),
            (3, 301),
            (2, 307),
            (3, 400),
            (3, 403),
            (3, 404),
            (3, 500),
            (3, 503),
        ]);
        self.tag(format!("preflight-status-{}xx", s / 100));
        s
    }

    fn actual_status(&mut self) -> u16 {
        let s = *self.rng.weighted(&[
            (55, 200u16),
            (5, 201),
            (6, 204),
            (3, 206),
            (4, 299),
            (3, 304),
            (4, 400),
            (4, 404),
            (4, 500),
            (4, 503),
        ]);
        self.tag(format!("actual-status-{}xx", s / 100));
        s
    }

    fn response_extras(&mut self) -> Headers {
        let mut h = vec![
            ("X-Exposed".to_owned(), "yes".to_owned()),
            ("X-Hidden".to_owned(), "no".to_owned()),
        ];
        if self.rng.chance(0.5) {
            h.push(("Content-Type".into(), "text/plain".into()));
        }
        if self.rng.chance(0.2) {
            h.push(("Content-Language".into(), "en".into()));
        }
        if self.rng.chance(0.15) {
            h.push(("Set-Cookie".into(), "oracle=1; Path=/".into()));
        }
        if self.rng.chance(0.1) {
            h.push(("X-Dup-Resp".into(), "a".into()));
            h.push(("x-dup-resp".into(), "b".into()));
        }
        self.tag("exposure");
        h
    }

    fn preflight_rule(&mut self, url: &str, req: &Req, origin: &str) -> Value {
        let status = self.preflight_status();
        let mut h = self.acao(origin);
        h.extend(self.acac(req.credentials_include));
        h.extend(self.acam(&req.method));
        h.extend(self.acah(&req.unsafe_names));
        if self.rng.chance(0.2) {
            h.extend(self.max_age());
        }
        if status / 100 == 3 {
            h.push(("Location".into(), format!("{url}-moved")));
        }
        json!({"method": "OPTIONS", "url": url, "status": status, "headers": hjson(&h)})
    }

    fn actual_rule(&mut self, url: &str, req: &Req, origin: &str) -> Value {
        let status = self.actual_status();
        let mut h = self.acao(origin);
        h.extend(self.acac(req.credentials_include));
        h.extend(self.aceh());
        h.extend(self.response_extras());
        json!({"url": url, "status": status, "headers": hjson(&h), "body": "ok"})
    }

    /// Redirect rules from `url`; returns the rules (the last one answers the final URL).
    fn redirect_chain(&mut self, url: &str, host_base: &str, req: &Req) -> Vec<Value> {
        let kind = *self.rng.weighted(&[
            (30, "same-origin"),
            (25, "cross-origin"),
            (10, "to-page"),
            (8, "userinfo"),
            (7, "loop"),
            (12, "chain"),
            (8, "relative"),
        ]);
        self.tag(format!("redirect-{kind}"));
        let mut rules = Vec::new();
        let mut status = || *self.rng.pick(&[301u16, 302, 303, 307, 308]);
        let mut hops: Vec<(String, String, String)> = Vec::new(); // (from, location, to)
        let next = |base: &str, n: usize| format!("{base}/resource/next{n}");
        match kind {
            "same-origin" => hops.push((url.into(), next(host_base, 1), next(host_base, 1))),
            "cross-origin" => {
                let to = if host_base == "http://other.test" {
                    "http://api.test"
                } else {
                    "http://other.test"
                };
                hops.push((url.into(), next(to, 1), next(to, 1)));
            }
            "to-page" => hops.push((url.into(), next(PAGE, 1), next(PAGE, 1))),
            "userinfo" => {
                let to = next(host_base, 1);
                let with_user = to.replacen("http://", "http://user:pass@", 1);
                hops.push((url.into(), with_user, to));
            }
            "loop" => hops.push((url.into(), url.into(), url.into())),
            "relative" => hops.push((url.into(), "/resource/next1".into(), next(host_base, 1))),
            _ => {
                let a = next("http://other.test", 1);
                let b = next(host_base, 2);
                hops.push((url.into(), a.clone(), a.clone()));
                hops.push((a, b.clone(), b));
            }
        }
        let mut statuses = Vec::new();
        for _ in &hops {
            statuses.push(status());
        }
        for ((from, location, _), st) in hops.iter().zip(&statuses) {
            self.tag(format!("redirect-{st}"));
            let mut h = self.acao(PAGE);
            h.extend(self.acac(req.credentials_include));
            h.push(("Location".into(), location.clone()));
            rules.push(json!({"url": from, "status": st, "headers": hjson(&h)}));
        }
        if kind != "loop" {
            let final_url = hops.last().map(|(_, _, to)| to.clone()).unwrap_or_default();
            // After a cross-origin redirect the request's origin becomes "null".
            let origin = if self.rng.chance(0.35) {
                "null".to_owned()
            } else {
                PAGE.to_owned()
            };
            let pf = self.preflight_rule(&final_url, req, &origin);
            rules.push(pf);
            let actual = self.actual_rule(&final_url, req, &origin);
            rules.push(actual);
        }
        rules
    }

    fn single(&mut self) -> Value {
        let (base, _) = self.target();
        let url = format!("{base}/resource");
        let method = self.method();
        let (headers, unsafe_names) = self.request_headers(&method);
        let mut request = serde_json::Map::new();
        request.insert("origin".into(), json!(PAGE));
        request.insert("url".into(), json!(url));
        if method != "GET" || self.rng.chance(0.3) {
            request.insert("method".into(), json!(method));
        }
        if !headers.is_empty() {
            request.insert("headers".into(), hjson(&headers));
        }
        let mode = *self.rng.weighted(&[
            (70, None),
            (10, Some("cors")),
            (12, Some("no-cors")),
            (8, Some("same-origin")),
        ]);
        self.tag(format!("mode-{}", mode.unwrap_or("cors")));
        if let Some(m) = mode {
            request.insert("mode".into(), json!(m));
        }
        let cred = *self.rng.weighted(&[
            (40, None),
            (15, Some("omit")),
            (15, Some("same-origin")),
            (30, Some("include")),
        ]);
        self.tag(format!("credentials-{}", cred.unwrap_or("same-origin")));
        if let Some(c) = cred {
            request.insert("credentials".into(), json!(c));
        }
        let redirect_mode =
            *self
                .rng
                .weighted(&[(85, None), (8, Some("manual")), (7, Some("error"))]);
        if let Some(r) = redirect_mode {
            self.tag(format!("redirect-mode-{r}"));
            request.insert("redirect".into(), json!(r));
        }
        let upper = method.to_ascii_uppercase();
        if matches!(upper.as_str(), "POST" | "PUT" | "PATCH") && self.rng.chance(0.6) {
            request.insert("body".into(), json!("x=1"));
        }
        let on_wire =
            if ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str()) {
                upper
            } else {
                method.clone()
            };
        let req = Req {
            method: on_wire,
            unsafe_names,
            credentials_include: cred == Some("include"),
        };
        let mut server = Vec::new();
        if self.rng.chance(0.9) {
            server.push(self.preflight_rule(&url, &req, PAGE));
        }
        if self.rng.chance(0.18) {
            server.extend(self.redirect_chain(&url, base, &req));
        } else {
            server.push(self.actual_rule(&url, &req, PAGE));
        }
        json!({"request": Value::Object(request), "server": server})
    }

    /// Several requests to one URL: the preflight cache.
    fn multi(&mut self) -> Value {
        self.tag("preflight-cache");
        let base = if self.rng.chance(0.7) {
            "http://api.test"
        } else {
            "http://other.test"
        };
        let url = format!("{base}/cached");
        let method = (*self.rng.pick(&["PUT", "DELETE", "PATCH", "GET"])).to_owned();
        let custom = method == "GET" || self.rng.chance(0.4);
        let include = self.rng.chance(0.3);
        let mut first = serde_json::Map::new();
        first.insert("origin".into(), json!(PAGE));
        first.insert("url".into(), json!(url));
        first.insert("method".into(), json!(method));
        if custom {
            first.insert("headers".into(), json!([["X-Custom", "1"]]));
        }
        if include {
            self.tag("credentials-include");
            first.insert("credentials".into(), json!("include"));
        }
        // Every gap between two requests (0.2, 0.3, 0.5, 0.8, 1.4, 1.7, 2.5, 2.8 s) stays at
        // least 0.2 s away from the max-ages that matter (1, 2 and 5 s): a gap equal to a
        // max-age races with the expiry and makes the recording unstable.
        let wait1 = *self.rng.pick(&[0.2, 0.5, 1.4, 2.5]);
        self.tag(format!("cache-wait-{wait1}"));
        let mut second = first.clone();
        second.insert("at".into(), json!(wait1));
        let change = *self.rng.weighted(&[
            (50, "same"),
            (15, "new-header"),
            (15, "new-method"),
            (10, "credentials"),
            (10, "lowercase-method"),
        ]);
        self.tag(format!("cache-{change}"));
        match change {
            "new-header" => {
                second.insert(
                    "headers".into(),
                    json!([["X-Custom", "1"], ["X-Other", "2"]]),
                );
            }
            "new-method" => {
                second.insert(
                    "method".into(),
                    json!(if method == "PATCH" { "PUT" } else { "PATCH" }),
                );
            }
            "credentials" => {
                second.insert(
                    "credentials".into(),
                    json!(if include { "omit" } else { "include" }),
                );
            }
            "lowercase-method" => {
                second.insert("method".into(), json!(method.to_ascii_lowercase()));
            }
            _ => {}
        }
        let mut acah = vec![];
        if custom || change == "new-header" {
            acah.push((
                "Access-Control-Allow-Headers".to_owned(),
                "x-custom".to_owned(),
            ));
        }
        let mut pf: Headers = vec![
            ("Access-Control-Allow-Origin".into(), PAGE.into()),
            (
                "Access-Control-Allow-Methods".into(),
                if self.rng.chance(0.2) {
                    "*".into()
                } else {
                    method
                },
            ),
        ];
        if include || change == "credentials" {
            pf.push(("Access-Control-Allow-Credentials".into(), "true".into()));
        }
        pf.extend(acah);
        pf.extend(self.max_age());
        let actual: Headers = vec![
            ("Access-Control-Allow-Origin".into(), PAGE.into()),
            ("Access-Control-Allow-Credentials".into(), "true".into()),
        ];
        let server = json!([
            {"method": "OPTIONS", "url": url, "status": 204, "headers": hjson(&pf)},
            {"url": url, "status": 200, "headers": hjson(&actual), "body": "ok"}
        ]);
        let mut requests = vec![Value::Object(first), Value::Object(second.clone())];
        // A later preflight fails, so that a cache hit and a miss give different verdicts.
        if self.rng.chance(0.5) {
            self.tag("cache-probe-failing-preflight");
            let failing = json!([
                {"method": "OPTIONS", "url": url, "status": 500, "headers": []},
                {"url": url, "status": 200, "headers": hjson(&actual), "body": "ok"}
            ]);
            requests[1]["server"] = failing;
        }
        if self.rng.chance(0.35) {
            let mut third = second;
            let at = wait1 + 0.3;
            third.insert("at".into(), json!(at));
            requests.push(Value::Object(third));
            self.tag("cache-three-requests");
        }
        json!({"requests": requests, "server": server})
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Generates `count` scenarios for `seed`, ids `gen-<seed>-<n>` (n from 0).
pub fn generate(seed: u64, count: usize) -> Vec<Value> {
    (0..count).map(|n| generate_one(seed, n)).collect()
}

/// The `n`-th scenario of a seed (independent of how many are generated).
pub fn generate_one(seed: u64, n: usize) -> Value {
    let mut mix = Rng::new(seed);
    let sub = mix.next_u64() ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407);
    let mut g = Gen {
        rng: Rng::new(sub),
        tags: BTreeSet::new(),
    };
    let body = if g.rng.chance(0.15) {
        g.multi()
    } else {
        g.single()
    };
    let mut out = serde_json::Map::new();
    out.insert("id".into(), json!(format!("gen-{seed}-{n}")));
    for (k, v) in body.as_object().expect("object") {
        out.insert(k.clone(), v.clone());
    }
    out.insert("tags".into(), json!(g.tags.into_iter().collect::<Vec<_>>()));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use crate::rewrite::{Naming, Origins};

    #[test]
    fn deterministic_per_seed() {
        assert_eq!(generate(7, 40), generate(7, 40));
        assert_ne!(generate(7, 40), generate(8, 40));
        // The n-th scenario does not depend on the count.
        assert_eq!(generate(7, 40)[17], generate(7, 18)[17]);
        assert_eq!(generate(7, 3)[2]["id"], "gen-7-2");
    }

    #[test]
    fn covers_the_categories() {
        let all: Vec<Value> = generate(1, 1500);
        let tags: BTreeSet<String> = all
            .iter()
            .flat_map(|s| {
                s["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
            })
            .collect();
        for want in [
            "method-safelisted",
            "method-unsafe",
            "method-odd-case",
            "method-forbidden",
            "header-safelisted",
            "header-edge-128",
            "header-total-1024",
            "header-mime-params",
            "header-range",
            "header-unsafe-bytes",
            "header-custom",
            "header-forbidden",
            "header-duplicate",
            "header-authorization",
            "credentials-omit",
            "credentials-same-origin",
            "credentials-include",
            "mode-cors",
            "mode-no-cors",
            "mode-same-origin",
            "acao-exact",
            "acao-star",
            "acao-missing",
            "acao-null",
            "acao-dup-same",
            "acao-uppercase",
            "acao-whitespace",
            "acao-invalid",
            "acao-empty",
            "acac-true",
            "acac-TRUE",
            "acac-dup",
            "acam-star",
            "acam-invalid",
            "acam-lowercase",
            "acah-star",
            "acah-star-authorization",
            "acah-invalid",
            "aceh-star",
            "aceh-exact",
            "aceh-invalid",
            "preflight-status-2xx",
            "preflight-status-3xx",
            "preflight-status-4xx",
            "preflight-status-5xx",
            "actual-status-2xx",
            "actual-status-3xx",
            "actual-status-4xx",
            "actual-status-5xx",
            "redirect-301",
            "redirect-302",
            "redirect-303",
            "redirect-307",
            "redirect-308",
            "redirect-cross-origin",
            "redirect-userinfo",
            "redirect-loop",
            "redirect-chain",
            "exposure",
            "preflight-cache",
            "max-age-valid",
            "max-age-invalid",
            "target-same-origin",
            "target-same-site",
            "target-cross-site",
        ] {
            assert!(tags.contains(want), "no generated scenario has tag {want}");
        }
    }

    #[test]
    fn every_generated_scenario_is_playable() {
        let o = Origins {
            page_port: 1,
            api_port: 2,
            other_port: 3,
            alt_ports: [7, 8, 9],
            naming: Naming::Oracle,
        };
        for s in generate(3, 500) {
            plan::plan(&s, &o, "cx1z").unwrap_or_else(|e| panic!("{}: {e}", s["id"]));
            let waits: f64 = s["requests"].as_array().map_or(0.0, |r| {
                r.iter()
                    .filter_map(|x| x["at"].as_f64())
                    .fold(0.0, f64::max)
            });
            assert!(waits <= 3.0);
        }
    }
}
