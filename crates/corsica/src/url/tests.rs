//! Rules of the URL Standard, one by one, with the answers written out (the differential tests
//! in `tests/url.rs` compare everything else with the `url` crate).

use alloc::string::String;

use super::{Host, Origin, Url};

fn parse(input: &str) -> String {
    Url::parse(input).map_or_else(|e| alloc::format!("error: {e}"), |url| url.as_str().into())
}

fn join(base: &str, input: &str) -> String {
    let base = Url::parse(base).expect("a valid base");
    base.join(input)
        .map_or_else(|e| alloc::format!("error: {e}"), |url| url.as_str().into())
}

/// <https://url.spec.whatwg.org/#concept-basic-url-parser> steps 1.1 and 2: C0 controls and
/// spaces trimmed, tabs and newlines removed anywhere.
#[test]
fn trims_c0_and_space_and_removes_tab_and_newline() {
    assert_eq!(
        parse(" \u{0}ht\ttp://a.\nexample/p\rq?x\ty#f\n \u{1f}"),
        "http://a.example/pq?xy#f"
    );
}

/// <https://url.spec.whatwg.org/#concept-ipv4-parser> and the
/// [ends in a number checker](https://url.spec.whatwg.org/#ends-in-a-number-checker).
#[test]
fn ipv4_in_every_form() {
    assert_eq!(parse("http://0x7f.1/"), "http://127.0.0.1/");
    assert_eq!(parse("http://127.1/"), "http://127.0.0.1/");
    assert_eq!(parse("http://0177.0.0.1/"), "http://127.0.0.1/");
    assert_eq!(parse("http://1.2.3.4./"), "http://1.2.3.4/");
    assert_eq!(parse("http://4294967295/"), "http://255.255.255.255/");
    assert_eq!(parse("http://0x/"), "http://0.0.0.0/");
    // A last part that is a number makes the host IPv4, or nothing.
    assert_eq!(parse("http://09/"), "error: invalid IPv4 address");
    assert_eq!(parse("http://foo.09/"), "error: invalid IPv4 address");
    assert_eq!(parse("http://4294967296/"), "error: invalid IPv4 address");
    assert_eq!(parse("http://1.2.3.256/"), "error: invalid IPv4 address");
    assert_eq!(parse("http://256.1.1/"), "error: invalid IPv4 address");
    // Not a number: a domain.
    assert_eq!(parse("http://1.a/"), "http://1.a/");
    assert_eq!(parse("http://0x7g/"), "http://0x7g/");
    // Non-special URLs have opaque hosts.
    assert_eq!(parse("sc://0x7f.1/"), "sc://0x7f.1/");
}

/// <https://url.spec.whatwg.org/#concept-ipv6-parser> and the
/// [IPv6 serializer](https://url.spec.whatwg.org/#concept-ipv6-serializer): the first longest
/// run of zeros compressed, lone zeros not, IPv4 tails.
#[test]
fn ipv6_compression() {
    assert_eq!(parse("http://[0:0:0:0:0:0:0:1]/"), "http://[::1]/");
    assert_eq!(parse("http://[1:0:0:2:0:0:0:3]/"), "http://[1:0:0:2::3]/");
    assert_eq!(parse("http://[1:0:0:2:0:0:3:4]/"), "http://[1::2:0:0:3:4]/");
    assert_eq!(
        parse("http://[1:2:3:4:5:6:0:8]/"),
        "http://[1:2:3:4:5:6:0:8]/"
    );
    assert_eq!(
        parse("http://[::FFFF:1.2.3.4]/"),
        "http://[::ffff:102:304]/"
    );
    assert_eq!(parse("http://[::]/"), "http://[::]/");
    for bad in [
        "[::1",
        "[1:::2]",
        "[:1]",
        "[1:]",
        "[::1.2.3]",
        "[::1.2.3.04]",
        "[1:2:3:4:5:6:7:8:9]",
    ] {
        assert_eq!(
            parse(&alloc::format!("http://{bad}/")),
            "error: invalid IPv6 address",
            "{bad}"
        );
    }
}

/// <https://url.spec.whatwg.org/#concept-host-parser>: percent-decoding, then domain to ASCII
/// (lowercase, punycode), then forbidden domain code points.
#[test]
fn domains() {
    assert_eq!(parse("http://%41.EXAMPLE/"), "http://a.example/");
    assert_eq!(parse("http://%31%32%37.1/"), "http://127.0.0.1/");
    assert_eq!(
        parse("http://bücher.example/"),
        "http://xn--bcher-kva.example/"
    );
    assert_eq!(
        parse("http://a%25b/"),
        "error: invalid international domain name"
    );
    assert_eq!(
        parse("http://a<b/"),
        "error: invalid international domain name"
    );
    assert_eq!(
        parse("http://a^b/"),
        "error: invalid international domain name"
    );
    assert_eq!(parse("http:///"), "error: empty host");
    // Opaque hosts forbid fewer code points and percent-encode C0 controls and non-ASCII.
    assert_eq!(parse("sc://a%b\u{7f}é/"), "sc://a%b%7F%C3%A9/");
    assert_eq!(parse("sc://a b/"), "error: invalid domain character");
    assert_eq!(parse("sc://a^b/"), "error: invalid domain character");
}

/// <https://url.spec.whatwg.org/#port-state>: digits only, at most 65535, the default dropped.
#[test]
fn ports() {
    assert_eq!(parse("http://h:0080/"), "http://h/");
    assert_eq!(parse("https://h:80/"), "https://h:80/");
    assert_eq!(parse("http://h:/"), "http://h/");
    assert_eq!(parse("http://h:65535/"), "http://h:65535/");
    assert_eq!(parse("http://h:65536/"), "error: invalid port number");
    assert_eq!(parse("http://h:1a/"), "error: invalid port number");
    let url = Url::parse("ws://h/").expect("a valid URL");
    assert_eq!((url.port(), url.port_or_known_default()), (None, Some(80)));
}

/// <https://url.spec.whatwg.org/#path-state>: single- and double-dot segments, `%2e` too,
/// backslashes in special URLs, and the path percent-encode set.
#[test]
fn dot_segments() {
    assert_eq!(parse("http://h/a/./b/../c"), "http://h/a/c");
    assert_eq!(parse("http://h/a/%2e%2E/b"), "http://h/b");
    assert_eq!(parse("http://h/a/.%2e"), "http://h/");
    assert_eq!(parse("http://h/a/%2e"), "http://h/a/");
    assert_eq!(parse("http://h/../../a"), "http://h/a");
    assert_eq!(parse("http://h\\a\\..\\b"), "http://h/b");
    assert_eq!(parse("sc://h/a\\..\\b"), "sc://h/a\\..\\b");
    assert_eq!(
        parse("http://h/a b/{}\"<>`é%"),
        "http://h/a%20b/%7B%7D%22%3C%3E%60%C3%A9%"
    );
}

/// <https://url.spec.whatwg.org/#query-state> and
/// <https://url.spec.whatwg.org/#fragment-state>: `'` is encoded in special queries only.
#[test]
fn query_and_fragment() {
    assert_eq!(
        parse("http://h/?a b'\"#c d`"),
        "http://h/?a%20b%27%22#c%20d%60"
    );
    assert_eq!(parse("sc://h/?a'#"), "sc://h/?a'#");
    let url = Url::parse("http://h/p?q#f").expect("a valid URL");
    assert_eq!(
        (url.path(), url.query(), url.fragment()),
        ("/p", Some("q"), Some("f"))
    );
}

/// <https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state>: opaque paths, and no
/// relative reference against them but a fragment.
#[test]
fn opaque_paths() {
    let url = Url::parse("mailto:Someone@Example.com?subject=hi").expect("a valid URL");
    assert!(url.cannot_be_a_base());
    assert_eq!((url.path(), url.host()), ("Someone@Example.com", None));
    assert_eq!(
        parse("data:text/plain,a b\u{1}c"),
        "data:text/plain,a b%01c"
    );
    assert_eq!(join("data:text/plain,x", "#f"), "data:text/plain,x#f");
    assert_eq!(
        join("data:text/plain,x", "y"),
        "error: relative URL with a cannot-be-a-base base"
    );
    assert_eq!(parse("no-scheme"), "error: relative URL without a base");
}

/// <https://url.spec.whatwg.org/#url-serializing> step 3: a path starting with an empty
/// segment and no host is written after `/.`.
#[test]
fn path_that_would_read_as_a_host() {
    assert_eq!(
        parse("web+demo:/.//not-a-host/"),
        "web+demo:/.//not-a-host/"
    );
    assert_eq!(
        parse("web+demo:/a/..//not-a-host/"),
        "web+demo:/.//not-a-host/"
    );
    assert_eq!(join("web+demo:/.//a/b", "../c"), "web+demo:/.//c");
}

/// <https://url.spec.whatwg.org/#file-state> and the following states.
#[test]
fn file_urls() {
    assert_eq!(parse("file://localhost/x"), "file:///x");
    assert_eq!(parse("file:/C|/x"), "file:///C:/x");
    assert_eq!(parse("file://host/C:/x"), "file:///C:/x");
    // Note: as the `url` crate (the standard says `file:///C:/x`): after `//` and no host, the
    // drive letter is not the path's first segment for the crate.
    assert_eq!(parse("file:///C|/x"), "file:///C|/x");
    assert_eq!(parse("file:c:\\x\\..\\y"), "file:///c:/y");
    assert_eq!(join("file:///C:/a/b", "/d"), "file:///C:/d");
    assert_eq!(join("file://h/a/b", "//other/c"), "file://other/c");
    let url = Url::parse("file://h/x").expect("a valid URL");
    assert_eq!(
        (url.host_str(), url.port_or_known_default()),
        (Some("h"), None)
    );
    // Note: as the `url` crate, a tab between a drive letter and more of its segment splits it
    // (the crate writes the drive letter when it skips the tab).
    assert_eq!(parse("file:/c:\ta"), "file:///c:/a");
    assert_eq!(parse("file:/c:a"), "file:///c:a");
}

/// <https://url.spec.whatwg.org/#authority-state>: the last `@` ends the userinfo, the first
/// `:` in it starts the password.
#[test]
fn credentials() {
    let url = Url::parse("http://u@v:p:q@h/").expect("a valid URL");
    assert_eq!((url.username(), url.password()), ("u%40v", Some("p%3Aq")));
    assert_eq!(parse("http://:@h/"), "http://h/");
    assert_eq!(parse("http://@/"), "error: empty host");
    assert_eq!(parse("sc://u@/"), "error: empty host");
    let mut url = url;
    assert_eq!(
        (url.set_username(""), url.set_password(None)),
        (Ok(()), Ok(()))
    );
    assert_eq!(url.as_str(), "http://h/");
    let mut file = Url::parse("file:///x").expect("a valid URL");
    assert_eq!(file.set_username("u"), Err(super::CannotHaveCredentials));
}

/// <https://url.spec.whatwg.org/#relative-state>: references against a base.
#[test]
fn relative_references() {
    let base = "https://a.example/b/c?q#f";
    assert_eq!(join(base, ""), "https://a.example/b/c?q");
    assert_eq!(join(base, "?r"), "https://a.example/b/c?r");
    assert_eq!(join(base, "#g"), "https://a.example/b/c?q#g");
    assert_eq!(join(base, "d"), "https://a.example/b/d");
    assert_eq!(join(base, "../d"), "https://a.example/d");
    assert_eq!(join(base, "/d"), "https://a.example/d");
    assert_eq!(join(base, "\\\\x.example\\y"), "https://x.example/y");
    assert_eq!(join(base, "//x.example:443"), "https://x.example/");
    assert_eq!(join(base, "https:d"), "https://a.example/b/d");
    assert_eq!(join(base, "http:d"), "http://d/");
    assert_eq!(join(base, "sc:d"), "sc:d");
}

/// <https://url.spec.whatwg.org/#concept-url-origin>: tuples for the special schemes but
/// `file`, the inner URL's for `blob:`, new opaque ones otherwise.
#[test]
fn origins() {
    let origin = |input: &str| Url::parse(input).expect("a valid URL").origin();
    assert_eq!(
        origin("https://A.example:443/x").ascii_serialization(),
        "https://a.example"
    );
    assert_eq!(
        origin("blob:https://a.example:8443/uuid").ascii_serialization(),
        "https://a.example:8443"
    );
    assert_eq!(
        origin("ws://[::1]:81/"),
        Origin::Tuple("ws".into(), Host::Ipv6(core::net::Ipv6Addr::LOCALHOST), 81)
    );
    for opaque in [
        "file:///x",
        "data:,x",
        "blob:data:,x",
        "blob:nothing",
        "sc://h/",
    ] {
        let origin = origin(opaque);
        assert_eq!(origin.ascii_serialization(), "null", "{opaque}");
        assert_ne!(origin, Url::parse(opaque).expect("a valid URL").origin());
        assert_eq!(origin, origin.clone());
    }
}

/// <https://url.spec.whatwg.org/#potentially-strip-trailing-spaces-from-an-opaque-path>, when
/// the fragment goes.
#[test]
fn removing_the_fragment_of_an_opaque_path() {
    let mut url = Url::parse("data:a  #f").expect("a valid URL");
    url.set_fragment(None);
    assert_eq!(url.as_str(), "data:a");
    url.set_fragment(Some("x y\t"));
    assert_eq!(
        (url.as_str(), url.fragment()),
        ("data:a#x%20y", Some("x%20y"))
    );
}

/// The serialization without the fragment: a `#` inside the query or the fragment stays where
/// it belongs, and an empty fragment goes with its `#`.
#[test]
fn without_fragment() {
    let cases = [
        ("https://a.example/p?q#f", "https://a.example/p?q"),
        ("https://a.example/p?q", "https://a.example/p?q"),
        ("https://a.example/#", "https://a.example/"),
        ("https://a.example/p#f#g", "https://a.example/p"),
        (
            "https://u:pw@a.example:8443/p%23?x=%23#f",
            "https://u:pw@a.example:8443/p%23?x=%23",
        ),
        ("data:text/plain,a#b", "data:text/plain,a"),
    ];
    for (input, expected) in cases {
        let url = Url::parse(input).expect("a URL");
        assert_eq!(url.without_fragment(), expected, "{input}");
    }
}
