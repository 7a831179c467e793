//! The common URL without the state machine: `http://` or `https://`, a plain domain or IPv4
//! address, a port written as the serializer writes it, and a path, query and fragment that the
//! parser copies unchanged. Such an input is its own serialization (up to the `/` of an empty
//! path), so its offsets are found in one pass; anything else goes through the
//! [basic URL parser](https://url.spec.whatwg.org/#concept-basic-url-parser) (the tests hold
//! the two together).

use alloc::string::String;
use core::net::Ipv4Addr;

use super::super::percent_encode::{FRAGMENT, PATH, SPECIAL_QUERY};
use super::super::{HostInternal, Url};

/// `scheme://host[:port]` at the start of a text, of the plain shape.
pub(crate) struct PlainAuthority<'a> {
    /// `http` or `https`.
    pub(crate) scheme: &'static str,
    /// The host as written: a lowercase ASCII domain, or an IPv4 address.
    pub(crate) host: &'a str,
    /// The address, when the host is an IPv4 address in its serialized form.
    pub(crate) ipv4: Option<Ipv4Addr>,
    /// The port, never the scheme's default.
    pub(crate) port: Option<u16>,
    /// Where the authority ends in the text.
    pub(crate) end: usize,
}

/// The authority of `text` when it starts `http://` or `https://` and its host is a domain of
/// lowercase ASCII letters, digits, `-` and `.` (no empty label, no `xn--` label, and a last
/// label that does not start with a digit, so not a number), which the host parser leaves as
/// it is, or an IPv4 address in its serialized form. A port must be written as the serializer
/// writes it (digits, no leading zero, not the default); otherwise, or with userinfo, `None`.
pub(crate) fn plain_http_authority(text: &str) -> Option<PlainAuthority<'_>> {
    let (scheme, default_port) = if text.starts_with("https://") {
        ("https", 443)
    } else if text.starts_with("http://") {
        ("http", 80)
    } else {
        return None;
    };
    let bytes = text.as_bytes();
    let host_start = scheme.len() + 3;
    // One pass over the host: its bytes, its labels (none empty, none `xn--`), its end.
    let mut host_end = host_start;
    let mut label_start = host_start;
    loop {
        let at_label_start = host_end == label_start;
        match bytes.get(host_end) {
            Some(b'a'..=b'z' | b'0'..=b'9' | b'-') => {
                if at_label_start && bytes[host_end..].starts_with(b"xn--") {
                    return None;
                }
            }
            Some(b'.') if !at_label_start => label_start = host_end + 1,
            None | Some(b':' | b'/' | b'?' | b'#') if !at_label_start => break,
            _ => return None,
        }
        host_end += 1;
    }
    let host = &text[host_start..host_end];
    // A last label that starts with a digit makes the host an IPv4 address (or a failure):
    // only the serialized form, four decimal numbers, is its own serialization.
    let ipv4 = if bytes[label_start].is_ascii_digit() {
        Some(serialized_ipv4(host)?)
    } else {
        None
    };
    if bytes.get(host_end) != Some(&b':') {
        return Some(PlainAuthority {
            scheme,
            host,
            ipv4,
            port: None,
            end: host_end,
        });
    }
    let digits_end = bytes[host_end + 1..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .map_or(bytes.len(), |i| host_end + 1 + i);
    let digits = &text[host_end + 1..digits_end];
    let port = digits
        .parse::<u16>()
        .ok()
        .filter(|&port| !digits.starts_with('0') && port != default_port)?;
    Some(PlainAuthority {
        scheme,
        host,
        ipv4,
        port: Some(port),
        end: digits_end,
    })
}

/// `input` parsed without the state machine, when it has the plain shape (see the module).
pub(super) fn parse_plain_http(input: &str) -> Option<Url> {
    let authority = plain_http_authority(input)?;
    let rest = &input.as_bytes()[authority.end..];
    if !matches!(rest.first(), None | Some(b'/' | b'?' | b'#')) {
        return None;
    }
    // One pass: bytes the parser's own percent-encode sets leave alone; in the path also no `\`
    // (a separator), no `%` and no segment that starts with `.` (nothing to decode or
    // normalize); in the fragment no second `#`.
    let (mut query_at, mut fragment_at) = (None, None);
    let mut previous = b'/';
    for (i, &b) in rest.iter().enumerate() {
        let plain = match (query_at, fragment_at) {
            (_, Some(_)) => b != b'#' && !FRAGMENT.contains(b),
            (_, None) if b == b'#' => {
                fragment_at = Some(i);
                true
            }
            (Some(_), None) => !SPECIAL_QUERY.contains(b),
            (None, None) if b == b'?' => {
                query_at = Some(i);
                true
            }
            (None, None) => match b {
                b'.' => previous != b'/',
                b'\\' | b'%' => false,
                _ => !PATH.contains(b),
            },
        };
        if !plain {
            return None;
        }
        previous = b;
    }
    let path_end = query_at.or(fragment_at).unwrap_or(rest.len());
    let (path, after_path) = input[authority.end..].split_at(path_end);
    // An empty path is serialized as `/`.
    let serialization = if path.is_empty() {
        let mut with_slash = String::with_capacity(input.len() + 1);
        with_slash.push_str(&input[..authority.end]);
        with_slash.push('/');
        with_slash.push_str(after_path);
        with_slash
    } else {
        String::from(input)
    };
    // Offsets in the serialization, one further after an empty path's `/`.
    let shift = |at: usize| (authority.end + at + usize::from(path.is_empty())) as u32;
    let host_start = authority.scheme.len() as u32 + 3;
    Some(Url {
        serialization,
        scheme_end: authority.scheme.len() as u32,
        username_end: host_start,
        host_start,
        host_end: host_start + authority.host.len() as u32,
        host: authority
            .ipv4
            .map_or(HostInternal::Domain, HostInternal::Ipv4),
        port: authority.port,
        path_start: authority.end as u32,
        query_start: query_at.map(shift),
        fragment_start: fragment_at.map(shift),
    })
}

/// `host` when it is an IPv4 address as the [IPv4 serializer](https://url.spec.whatwg.org/#concept-ipv4-serializer)
/// writes it: four numbers up to 255 in decimal, without leading zeros.
fn serialized_ipv4(host: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = host.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::super::parse_with_state_machine;
    use super::*;
    use proptest::prelude::*;

    type Parts = (
        String,
        (u32, u32, u32, u32),
        (HostInternal, Option<u16>, u32),
        (Option<u32>, Option<u32>),
    );

    /// The serialization and every offset.
    fn parts(url: &Url) -> Parts {
        (
            String::from(url.as_str()),
            (
                url.scheme_end,
                url.username_end,
                url.host_start,
                url.host_end,
            ),
            (url.host, url.port, url.path_start),
            (url.query_start, url.fragment_start),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Wherever the one pass answers, it answers as the state machine does; and it answers
        /// for the common shapes.
        #[test]
        fn the_one_pass_is_the_state_machine(
            text in prop_oneof![
                // Near the plain shape, and over its edges.
                "https?://([a-z0-9-]{1,5}\\.){0,3}(xn--)?[a-z0-9-]{0,6}(:[0-9]{0,5})?(/[a-zA-Z0-9._%'~:@!$&*+,;=\\[\\]|^{}`\\\\-]{0,6}){0,3}(\\?[a-z0-9=&'%/?.\\[\\]{}|^`\\\\<>\"-]{0,8})?(#[a-z0-9'#/?\\[\\]{}|^`\\\\<>\"-]{0,5})?",
                // IPv4 addresses, serialized or not.
                "https?://[0-9]{1,4}(\\.[0-9x]{1,4}){0,4}(:[0-9]{1,5})?(/[a-z%.]{0,3})?",
                // Anything URL-like.
                "(https?|HTTP|ws)://[a-zA-Z0-9.:@\\[\\]/?#%\\\\ -]{0,24}",
            ],
            base in prop_oneof![Just(None), Just(Some("https://base.example/a/b?c#d"))],
        ) {
            let base = base.map(|b| Url::parse(b).unwrap());
            if let Some(fast) = parse_plain_http(&text) {
                let full = parse_with_state_machine(&text, base.as_ref());
                prop_assert_eq!(Ok(parts(&fast)), full.as_ref().map(parts), "{}", text);
            }
        }
    }

    #[test]
    fn common_urls_take_the_one_pass() {
        for common in [
            "https://api.example/v1/items/7",
            "http://app.example:8080/",
            "https://api.example",
            "https://api.example?x=1#top",
            "https://a-b.example/p/file.json?q=a/b&r=1",
            "http://127.0.0.1:8801",
            "http://web-platform.test:8000/x.py?location=http%3A%2F%2Fa.test%2F&code=307",
        ] {
            let fast = parse_plain_http(common).map(|url| parts(&url));
            let full = parse_with_state_machine(common, None).map(|url| parts(&url));
            assert_eq!(fast, full.ok(), "{common}");
        }
        for other in [
            "https://API.example/",
            "https://api.example:443/",
            "https://1.2.3.04/",
            "https://1.2.3/",
            "https://xn--53h.example/",
            "https://user@api.example/",
            "https://api.example/a/../b",
            "https://api.example/%7e",
            "https://api.example/?q='",
            " https://api.example/",
        ] {
            assert!(parse_plain_http(other).is_none(), "{other}");
        }
    }
}
