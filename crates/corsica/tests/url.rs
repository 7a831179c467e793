//! The engine's URL parser (`corsica::url`) against the `url` crate 2.5, its reference: over
//! generated URLs (built from the pieces that hit the parser's hard parts) and relative
//! references joined to generated bases, every getter the engine uses, the origin, the setters
//! it calls and the failures agree. `CORSICA_URL_CASES` raises the number of cases for a long
//! local run.

use corsica::url::{self as ours, Url};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// What a parser says about one input (`$url`, a `Result` of `$krate::Url`), in comparable
/// form: every getter the engine uses, and the origin.
macro_rules! describe {
    ($krate:ident, $url:expr) => {{
        match $url {
            Err(e) => format!("error: {e}"),
            Ok(url) => {
                let host = match url.host() {
                    None => "none".to_owned(),
                    Some($krate::Host::Domain(d)) => format!("domain {d}"),
                    Some($krate::Host::Ipv4(a)) => format!("ipv4 {a}"),
                    Some($krate::Host::Ipv6(a)) => format!("ipv6 {a}"),
                };
                let origin = match url.origin() {
                    $krate::Origin::Opaque(_) => "opaque".to_owned(),
                    $krate::Origin::Tuple(scheme, host, port) => format!("{scheme} {host} {port}"),
                };
                format!(
                    "{}\nscheme {}\nopaque path {}\nusername {}\npassword {:?}\nhost {:?} {host}\nport {:?} {:?}\npath {}\nquery {:?}\nfragment {:?}\norigin {origin} {}\ndisplay {url}",
                    url.as_str(),
                    url.scheme(),
                    url.cannot_be_a_base(),
                    url.username(),
                    url.password(),
                    url.host_str(),
                    url.port(),
                    url.port_or_known_default(),
                    url.path(),
                    url.query(),
                    url.fragment(),
                    url.origin().ascii_serialization(),
                )
            }
        }
    }};
}

fn describe_ours(url: &Result<Url, corsica::url::ParseError>) -> String {
    describe!(ours, url)
}

fn describe_theirs(url: &Result<url::Url, url::ParseError>) -> String {
    describe!(url, url)
}

/// Both parses, then the setters the engine calls (and a few more values), compared.
fn check(input: &str, base: Option<&str>, fragment: Option<&str>, userinfo: (&str, Option<&str>)) {
    let (ours, theirs) = match base {
        None => (Url::parse(input), url::Url::parse(input)),
        Some(base) => {
            let (Ok(our_base), Ok(their_base)) = (Url::parse(base), url::Url::parse(base)) else {
                assert_eq!(
                    Url::parse(base).is_ok(),
                    url::Url::parse(base).is_ok(),
                    "base {base:?}"
                );
                return;
            };
            (our_base.join(input), their_base.join(input))
        }
    };
    let context = format!("input {input:?} base {base:?}");
    assert_eq!(describe_ours(&ours), describe_theirs(&theirs), "{context}");
    let (Ok(mut ours), Ok(mut theirs)) = (ours, theirs) else {
        return;
    };
    ours.set_fragment(fragment);
    theirs.set_fragment(fragment);
    assert_eq!(
        describe_ours(&Ok(ours.clone())),
        describe_theirs(&Ok(theirs.clone())),
        "{context} set_fragment({fragment:?})"
    );
    // The credentials given, then none (as the engine strips them).
    for (username, password) in [userinfo, ("", None)] {
        assert_eq!(
            ours.set_username(username).is_ok(),
            theirs.set_username(username).is_ok(),
            "{context} set_username({username:?})"
        );
        assert_eq!(
            ours.set_password(password).is_ok(),
            theirs.set_password(password).is_ok(),
            "{context} set_password({password:?})"
        );
        assert_eq!(
            describe_ours(&Ok(ours.clone())),
            describe_theirs(&Ok(theirs.clone())),
            "{context} set_username({username:?}), set_password({password:?})"
        );
    }
}

/// One of `pieces`.
fn one_of(pieces: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(pieces)
        .prop_map(String::from)
        .boxed()
}

/// Text of bytes from every class: letters, digits, the delimiters, `%` escapes, spaces,
/// controls, tabs and newlines, non-ASCII.
fn text() -> BoxedStrategy<String> {
    proptest::collection::vec(
        one_of(&[
            "a",
            "Z",
            "0",
            "9",
            "-",
            ".",
            "..",
            "%2e",
            "%2E",
            "%",
            "%4",
            "%41",
            "%zz",
            "%00",
            "%ff",
            "/",
            "\\",
            "?",
            "#",
            "@",
            ":",
            ";",
            "=",
            "&",
            "+",
            "'",
            "\"",
            "<",
            ">",
            "`",
            "{",
            "}",
            "^",
            "|",
            "[",
            "]",
            "~",
            "!",
            "$",
            "*",
            ",",
            "(",
            ")",
            " ",
            "\t",
            "\n",
            "\r",
            "\0",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "\u{80}",
            "é",
            "ß",
            "中",
            "\u{fffd}",
            "\u{1F600}",
            "\u{200d}",
            "\u{ad}",
        ]),
        0..6,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

fn scheme() -> BoxedStrategy<String> {
    prop_oneof![
        4 => one_of(&[
            "http:", "https:", "HTTP:", "hTtPs:", "ws:", "wss:", "ftp:", "file:", "FILE:", "blob:",
            "data:", "mailto:", "javascript:", "about:", "foo:", "web+demo:", "a1.+-:", "sc:",
            "non-spec:",
        ]),
        1 => one_of(&["", "1a:", "a b:", "ht\ttp:", "http", "é:"]),
    ]
    .boxed()
}

fn slashes() -> BoxedStrategy<String> {
    one_of(&[
        "//", "", "/", "///", "\\\\", "/\\", "\\", "////", "/./", "/../",
    ])
}

fn userinfo() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => one_of(&["user@", "user:pass@", ":pass@", "user:@", ":@", "@", "u@v@", "a:b:c@", "us er:pa%20ss@", "é:ü@", "u\\@", "@@"]),
        1 => text().prop_map(|t| t + "@"),
    ]
    .boxed()
}

fn host() -> BoxedStrategy<String> {
    prop_oneof![
        6 => one_of(&[
            "example.com", "EXAMPLE.com", "a.b.c", "localhost", "LOCALHOST", "xn--nxasmq6b.com",
            "xn--a.com", "XN--A.com", "xn--", "xn--ls8h", "bücher.de", "BÜCHER.de", "faß.de",
            "中国.cn", "ﬁ.com", "a\u{200d}b", "a\u{ad}b", "؀.com", "a..b", "a.", ".", "..",
            "-a-.b", "a_b", "a!b", "a$b", "a%2eb", "%41.com", "%zz", "a%00b", "a%25b",
            "127.0.0.1", "127.1", "0x7f.1", "0x7F.0.0.1", "0177.0.0.1", "1.2.3.4.", "1.2.3.4..",
            "09", "08.1", "0x", "0X", "0x.0x.0", "4294967295", "4294967296", "999999999999",
            "1.2.3.256", "256.1.1.1", "1.2.3.4.5", "1.2.3", "0", "00", "0.0.0.0", "a.1",
            "1.a", "a.0x1", "foo.09", "%30%78%37%66.1", "１２７.０.０.１", "[::1]", "[1:2::3:4]",
            "[::ffff:1.2.3.4]", "[::FFFF:127.0.0.1]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8:9]",
            "[::]", "[0:0:1:0:0:0:0:1]", "[1:0:0:2::3]", "[1::2:0:0:3]", "[::1.2.3]",
            "[::1.2.3.04]", "[1:::2]", ":::", "[:1]", "[1:]", "[::1", "::1]", "[::1]]",
            "[g::1]", "[12345::1]", "[::1%25eth0]", "a b", "a<b", "a^b", "a|b", "a[b", "a]b",
            "a@b", "\u{0}", "a\u{7f}", "", "%", "中%41", "a.xn--b",
        ]),
        1 => ipv6(),
        1 => text(),
    ]
    .boxed()
}

/// Bracketed IPv6 addresses of pieces that are often 0 (runs of zeros of equal lengths for the
/// serializer's compression), written in full or with `::`, sometimes with an IPv4 tail.
fn ipv6() -> BoxedStrategy<String> {
    let piece = one_of(&["0", "0", "0", "1", "ffff", "00", "ABCD"]);
    (
        proptest::collection::vec(piece, 2..=8),
        0..10usize,
        one_of(&["", "", "1.2.3.4", "0.0.0.0"]),
    )
        .prop_map(|(pieces, compress, tail)| {
            let mut text = pieces.join(":");
            if compress < pieces.len() {
                let (a, b) = (pieces[..compress].join(":"), pieces[compress..].join(":"));
                text = format!("{a}::{b}");
            }
            if !tail.is_empty() {
                text = format!("{text}:{tail}");
            }
            format!("[{text}]")
        })
        .boxed()
}

fn port() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => one_of(&[
            ":", ":80", ":443", ":0080", ":21", ":8080", ":00", ":0", ":65535", ":65536",
            ":99999999", ":1a", ":-1", ": 1", ":+1", "::1", ":１",
        ]),
    ]
    .boxed()
}

fn path() -> BoxedStrategy<String> {
    proptest::collection::vec(
        prop_oneof![
            3 => one_of(&[
                "/", "/a", "/A", "/.", "/..", "/%2e", "/%2E", "/%2e%2e", "/.%2E", "/%2E.", "\\",
                "\\..", "/./", "/../", "//", "a", "..", ".", "/c:", "/C|", "C:", "c|", "/c:/",
                "/ a ", "/é", "/%", "/%41", "/{}", "/^`", "/\"<>", "/a b", "/\u{0}", "/;x=1",
            ]),
            1 => text(),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

fn suffix() -> BoxedStrategy<String> {
    prop_oneof![
        2 => Just(String::new()),
        1 => text().prop_map(|t| format!("?{t}")),
        1 => text().prop_map(|t| format!("#{t}")),
        1 => (text(), text()).prop_map(|(q, f)| format!("?{q}#{f}")),
        1 => one_of(&["?", "#", "?#", "?'", "#'", "?a=b&c", "? ", "# ", "?%", "#%23#"]),
    ]
    .boxed()
}

fn surround() -> BoxedStrategy<String> {
    one_of(&["", "", "", " ", "\t", "\n", "\u{0}", " \u{1f}", "\u{c}"])
}

/// A whole URL from its pieces.
fn absolute() -> BoxedStrategy<String> {
    (
        surround(),
        scheme(),
        slashes(),
        userinfo(),
        host(),
        port(),
        path(),
        suffix(),
        surround(),
    )
        .prop_map(
            |(lead, scheme, slashes, userinfo, host, port, path, suffix, trail)| {
                format!("{lead}{scheme}{slashes}{userinfo}{host}{port}{path}{suffix}{trail}")
            },
        )
        .boxed()
}

/// A reference to resolve against a base.
fn relative() -> BoxedStrategy<String> {
    prop_oneof![
        2 => absolute(),
        4 => (one_of(&["", "//", "/", "\\", "\\\\", "/\\", "///", "?", "#", "..", ".", "./", "../", "../..", "x:", "http:", "https:", "file:", "HTTP:", "C|", "C:", "/C:", "//C:", "sc:", "blob:"]), userinfo(), host(), port(), path(), suffix())
            .prop_map(|(start, userinfo, host, port, path, suffix)| {
                if start.starts_with("//") || start.starts_with("\\\\") {
                    format!("{start}{userinfo}{host}{port}{path}{suffix}")
                } else {
                    format!("{start}{path}{suffix}")
                }
            }),
        1 => text(),
    ]
    .boxed()
}

/// A base URL: mostly one that parses.
fn base() -> BoxedStrategy<String> {
    prop_oneof![
        2 => one_of(&[
            "http://example.com/a/b?q#f", "https://a.example/", "http://h", "file:///C:/a/b",
            "file://host/dir/file", "file:///", "file:///a/b/", "data:text/plain,x",
            "blob:https://a.example/uuid", "sc://h/a/b", "sc:/a/b", "sc:a", "sc:/.//p",
            "web+demo:/.//a/b", "foo://", "foo:///", "non-spec:/", "about:blank", "mailto:x@y",
            "http://[::1]:8080/x", "ftp://u:p@h:21/x", "file://localhost/x", "file:///C|/x",
        ]),
        3 => absolute(),
    ]
    .boxed()
}

fn fragment() -> BoxedStrategy<Option<String>> {
    prop_oneof![Just(None), text().prop_map(Some)].boxed()
}

fn credentials() -> BoxedStrategy<(String, Option<String>)> {
    (text(), prop_oneof![Just(None), text().prop_map(Some)]).boxed()
}

fn config() -> Config {
    let cases = std::env::var("CORSICA_URL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_matches_the_url_crate(input in absolute(), fragment in fragment(), (username, password) in credentials()) {
        check(&input, None, fragment.as_deref(), (&username, password.as_deref()));
    }

    #[test]
    fn join_matches_the_url_crate(base in base(), input in relative(), fragment in fragment(), (username, password) in credentials()) {
        check(&input, Some(&base), fragment.as_deref(), (&username, password.as_deref()));
        // The base's own `blob:` origin and a parse of the reference alone.
        check(&input, None, None, ("", None));
    }
}
