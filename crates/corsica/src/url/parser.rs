//! The [basic URL parser](https://url.spec.whatwg.org/#concept-basic-url-parser), without state
//! override, over the input's bytes, writing the URL's serialization in one `String`.
//!
//! Note: it gives the answers of the `url` crate 2.5 (the engine's reference), including its
//! departures from the standard around `file:` paths and hosts (the crate's
//! `expected_failures.txt`).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::host::{self, Host};
use super::percent_encode::{EncodeSet, FRAGMENT, QUERY, SPECIAL_QUERY, USERINFO, percent_encode};
use super::{HostInternal, ParseError, Url, default_port, replace};

mod path;
mod plain;

pub(crate) use plain::plain_http_authority;

use path::{
    is_normalized_windows_drive_letter, is_windows_drive_letter, starts_with_windows_drive_letter,
};

/// Whether a scheme is [special](https://url.spec.whatwg.org/#special-scheme), and `file`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SchemeType {
    /// `file`.
    File,
    /// `ftp`, `http`, `https`, `ws`, `wss`.
    SpecialNotFile,
    /// Any other scheme.
    NotSpecial,
}

impl SchemeType {
    pub(super) fn of(scheme: &str) -> Self {
        match scheme {
            "http" | "https" | "ws" | "wss" | "ftp" => Self::SpecialNotFile,
            "file" => Self::File,
            _ => Self::NotSpecial,
        }
    }

    fn is_special(self) -> bool {
        self != Self::NotSpecial
    }

    fn is_file(self) -> bool {
        self == Self::File
    }
}

/// Parses `input` against an optional `base`.
pub(super) fn parse(input: &str, base: Option<&Url>) -> Result<Url, ParseError> {
    // The common `http(s)` URL in one pass (whatever the base: its scheme and `//` decide).
    if input.len() < u32::MAX as usize {
        if let Some(url) = plain::parse_plain_http(input) {
            return Ok(url);
        }
    }
    parse_with_state_machine(input, base)
}

/// [`parse`] through the basic URL parser's states.
fn parse_with_state_machine(input: &str, base: Option<&Url>) -> Result<Url, ParseError> {
    // Step 1.1. Remove any leading and trailing C0 control or space from input.
    let input = input.trim_matches(|c: char| c <= ' ');
    // Step 2. Remove all ASCII tab or newline from input.
    let (input, removed) = remove_tab_and_newline(input);
    let mut parser = Parser {
        serialization: String::with_capacity(input.len() + base.map_or(0, |b| b.as_str().len())),
        base,
        source: input.as_ptr() as usize,
        removed,
    };
    let url = parser.parse_url(&input)?;
    // Note: offsets are u32, as in the `url` crate.
    if url.serialization.len() > u32::MAX as usize {
        return Err(ParseError::Overflow);
    }
    Ok(url)
}

/// `input` without [ASCII tab or newline](https://infra.spec.whatwg.org/#ascii-tab-or-newline)
/// (borrowed when it has none), and where runs of them were (their offset in the result).
pub(super) fn remove_tab_and_newline(input: &str) -> (Cow<'_, str>, Vec<usize>) {
    if !has_tab_or_newline(input.as_bytes()) {
        return (Cow::Borrowed(input), Vec::new());
    }
    let mut kept = String::with_capacity(input.len());
    let mut removed = Vec::new();
    for (i, part) in input.split(['\t', '\n', '\r']).enumerate() {
        if i > 0 && removed.last() != Some(&kept.len()) {
            removed.push(kept.len());
        }
        kept.push_str(part);
    }
    (Cow::Owned(kept), removed)
}

/// Whether `bytes` has a tab, LF or CR: eight bytes at a time, looked at one by one only when
/// one of them is below 14.
fn has_tab_or_newline(bytes: &[u8]) -> bool {
    let tab_or_newline = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r');
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let below_14 = word.wrapping_sub(0x0E0E_0E0E_0E0E_0E0E) & !word & 0x8080_8080_8080_8080;
        if below_14 != 0 && chunk.iter().any(tab_or_newline) {
            return true;
        }
    }
    chunks.remainder().iter().any(tab_or_newline)
}

/// The parser's state: the serialization written so far, and the base URL.
struct Parser<'b> {
    serialization: String,
    base: Option<&'b Url>,
    /// The address of the input without tabs and newlines, and where they were in it: the
    /// `url` crate reads them as it goes, which shows in one case (see `parse_path`).
    source: usize,
    removed: Vec<usize>,
}

impl Parser<'_> {
    fn len(&self) -> u32 {
        self.serialization.len() as u32
    }

    fn parse_url(&mut self, input: &str) -> Result<Url, ParseError> {
        // The scheme start state and the scheme state.
        if let Some(rest) = self.parse_scheme(input) {
            return self.parse_with_scheme(rest);
        }
        // The no scheme state.
        let Some(base) = self.base else {
            return Err(ParseError::RelativeUrlWithoutBase);
        };
        if input.starts_with('#') {
            // Step 3. Otherwise, if base has an opaque path and c is U+0023 (#), set url's
            // scheme to base's scheme, url's path to base's path, url's query to base's query,
            // url's fragment to the empty string, and set state to fragment state.
            Ok(self.fragment_only(base, input))
        } else if base.cannot_be_a_base() {
            // Step 1. If base is null, or base has an opaque path and c is not U+0023 (#),
            // missing-scheme-non-relative-URL validation error, return failure.
            Err(ParseError::RelativeUrlWithCannotBeABaseBase)
        } else {
            let scheme_type = SchemeType::of(base.scheme());
            if scheme_type.is_file() {
                self.parse_file(input, Some(base))
            } else {
                self.parse_relative(input, scheme_type, base)
            }
        }
    }

    /// The [scheme state](https://url.spec.whatwg.org/#scheme-state): the lowercased scheme
    /// written, and the input after its `:`.
    fn parse_scheme<'i>(&mut self, input: &'i str) -> Option<&'i str> {
        if !input.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let end = input
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
        if input.as_bytes()[end] != b':' {
            return None;
        }
        self.serialization.push_str(&input[..end]);
        self.serialization.make_ascii_lowercase();
        Some(&input[end + 1..])
    }

    fn parse_with_scheme(&mut self, input: &str) -> Result<Url, ParseError> {
        let scheme_end = self.len();
        let scheme_type = SchemeType::of(&self.serialization);
        self.serialization.push(':');
        match scheme_type {
            SchemeType::File => {
                // The file state, with base only if base's scheme is "file".
                let base = self.base.filter(|base| base.scheme() == "file");
                self.serialization.clear();
                self.parse_file(input, base)
            }
            SchemeType::SpecialNotFile => {
                // The special relative or authority state.
                let slashes = input
                    .bytes()
                    .take_while(|&b| b == b'/' || b == b'\\')
                    .count();
                if let Some(base) = self.base {
                    if slashes < 2 && base.scheme() == &self.serialization[..scheme_end as usize] {
                        self.serialization.clear();
                        return self.parse_relative(input, scheme_type, base);
                    }
                }
                // The special authority slashes state.
                self.after_double_slash(&input[slashes..], scheme_type, scheme_end)
            }
            SchemeType::NotSpecial => {
                // The path or authority state.
                if let Some(rest) = input.strip_prefix("//") {
                    return self.after_double_slash(rest, scheme_type, scheme_end);
                }
                let path_start = self.len();
                let rest = if let Some(rest) = input.strip_prefix('/') {
                    self.serialization.push('/');
                    self.parse_path(scheme_type, &mut false, path_start as usize, rest)
                } else {
                    // The opaque path state.
                    self.parse_opaque_path(input)
                };
                let url = Url::without_authority(String::new(), scheme_end, path_start);
                self.with_query_and_fragment(url, scheme_type, rest)
            }
        }
    }

    /// The [file state](https://url.spec.whatwg.org/#file-state) and the states after it.
    fn parse_file(&mut self, input: &str, base: Option<&Url>) -> Result<Url, ParseError> {
        const SCHEME_END: u32 = "file".len() as u32;
        const HOST_START: u32 = "file://".len() as u32;
        let bytes = input.as_bytes();
        let slash = |i: usize| matches!(bytes.get(i), Some(b'/' | b'\\'));
        if slash(0) {
            // The file slash state.
            self.serialization.push_str("file://");
            if slash(1) {
                // The file host state.
                let (has_host, mut host, rest) = self.parse_file_host(&input[2..])?;
                let mut host_end = self.len();
                let mut has_host = has_host;
                let rest = if has_host {
                    self.parse_path_start(SchemeType::File, &mut has_host, rest)
                } else {
                    let path_start = self.serialization.len();
                    self.serialization.push('/');
                    self.parse_path(SchemeType::File, &mut has_host, path_start, rest)
                };
                // A file URL whose path starts with a Windows drive letter loses its host.
                if !has_host {
                    replace(
                        &mut self.serialization,
                        HOST_START as usize..host_end as usize,
                        "",
                    );
                    host_end = HOST_START;
                    host = HostInternal::None;
                }
                let mut url = Url::without_authority(String::new(), SCHEME_END, host_end);
                (url.username_end, url.host_start, url.host) = (HOST_START, HOST_START, host);
                return self.with_query_and_fragment_only(url, SchemeType::File, rest);
            }
            let mut host_end = HOST_START as usize;
            let mut host = HostInternal::None;
            if !starts_with_windows_drive_letter(&input[1..]) {
                if let Some(base) = base {
                    let first_segment = base.path()[1..].split('/').next().unwrap_or_default();
                    if is_normalized_windows_drive_letter(first_segment) {
                        self.serialization.push('/');
                        self.serialization.push_str(first_segment);
                    } else if let Some(base_host) = base.host_str() {
                        self.serialization.push_str(base_host);
                        host_end = self.serialization.len();
                        host = base.host;
                    }
                }
            }
            // The input from its first slash on.
            let rest = self.parse_path(SchemeType::File, &mut false, host_end, input);
            let mut url = Url::without_authority(String::new(), SCHEME_END, host_end as u32);
            (url.username_end, url.host_start, url.host) = (HOST_START, HOST_START, host);
            return self.with_query_and_fragment_only(url, SchemeType::File, rest);
        }
        if let Some(base) = base {
            match bytes.first() {
                None => return Ok(self.copy_before_fragment(base)),
                Some(b'?') => return self.copy_before_query(base, SchemeType::File, input),
                Some(b'#') => return Ok(self.fragment_only(base, input)),
                _ if !starts_with_windows_drive_letter(input) => {
                    self.serialization.push_str(base.before_query());
                    self.shorten_path(SchemeType::File, base.path_start as usize);
                    let rest = self.parse_path(
                        SchemeType::File,
                        &mut true,
                        base.path_start as usize,
                        input,
                    );
                    let url = base.offsets_up_to_path(String::new());
                    return self.with_query_and_fragment(url, SchemeType::File, rest);
                }
                _ => {}
            }
        }
        self.serialization.push_str("file:///");
        let rest = self.parse_path(SchemeType::File, &mut false, HOST_START as usize, input);
        let url = Url::without_authority(String::new(), SCHEME_END, HOST_START);
        self.with_query_and_fragment_only(url, SchemeType::File, rest)
    }

    /// The [relative state](https://url.spec.whatwg.org/#relative-state) and the relative slash
    /// state.
    fn parse_relative(
        &mut self,
        input: &str,
        scheme_type: SchemeType,
        base: &Url,
    ) -> Result<Url, ParseError> {
        match input.as_bytes().first() {
            None => Ok(self.copy_before_fragment(base)),
            Some(b'?') => self.copy_before_query(base, scheme_type, input),
            Some(b'#') => Ok(self.fragment_only(base, input)),
            Some(b'/' | b'\\') => {
                let slashes = input
                    .bytes()
                    .take_while(|&b| b == b'/' || b == b'\\')
                    .count();
                if slashes >= 2 {
                    // The special authority ignore slashes state, or the authority state.
                    let scheme_end = base.scheme_end;
                    self.serialization
                        .push_str(&base.serialization[..scheme_end as usize + 1]);
                    let rest = input.strip_prefix("//").unwrap_or(&input[slashes..]);
                    return self.after_double_slash(rest, scheme_type, scheme_end);
                }
                let path_start = base.path_start as usize;
                self.serialization
                    .push_str(&base.serialization[..path_start]);
                self.serialization.push('/');
                let rest = self.parse_path(scheme_type, &mut true, path_start, &input[1..]);
                let url = base.offsets_up_to_path(String::new());
                self.with_query_and_fragment(url, scheme_type, rest)
            }
            Some(_) => {
                self.serialization.push_str(base.before_query());
                let path_start = base.path_start as usize;
                // Note: as the `url` crate, pops the last segment ("remove the last item").
                self.pop_path(scheme_type, path_start);
                // A special URL always has a path, and a path always starts with `/`.
                if self.serialization.len() == path_start {
                    self.serialization.push('/');
                }
                let rest = self.parse_path(scheme_type, &mut true, path_start, input);
                let url = base.offsets_up_to_path(String::new());
                self.with_query_and_fragment(url, scheme_type, rest)
            }
        }
    }

    /// The URL is base with the fragment removed.
    fn copy_before_fragment(&mut self, base: &Url) -> Url {
        let end = base
            .fragment_start
            .map_or(base.serialization.len(), |i| i as usize);
        self.serialization.push_str(&base.serialization[..end]);
        Url {
            serialization: core::mem::take(&mut self.serialization),
            fragment_start: None,
            ..*base
        }
    }

    /// The URL is base up to its query, then `input`'s query and fragment.
    fn copy_before_query(
        &mut self,
        base: &Url,
        scheme_type: SchemeType,
        input: &str,
    ) -> Result<Url, ParseError> {
        self.serialization.push_str(base.before_query());
        let (query_start, fragment_start) = self.parse_query_and_fragment(scheme_type, input);
        Ok(Url {
            serialization: core::mem::take(&mut self.serialization),
            query_start,
            fragment_start,
            ..*base
        })
    }

    /// After `//`: the [authority state](https://url.spec.whatwg.org/#authority-state), the host
    /// state and the path start state.
    fn after_double_slash(
        &mut self,
        input: &str,
        scheme_type: SchemeType,
        scheme_end: u32,
    ) -> Result<Url, ParseError> {
        self.serialization.push_str("//");
        let before_authority = self.serialization.len();
        let (username_end, rest) = self.parse_userinfo(input, scheme_type)?;
        let has_authority = before_authority != self.serialization.len();
        let host_start = self.len();
        let (host_end, host, port, rest) =
            self.parse_host_and_port(rest, scheme_end, scheme_type)?;
        // Step 2.2 of the host state: if state override is not given, url is special and
        // buffer is the empty string (or credentials came before it), host-missing validation
        // error, return failure.
        if host == HostInternal::None && has_authority {
            return Err(ParseError::EmptyHost);
        }
        let path_start = self.len();
        let rest = self.parse_path_start(scheme_type, &mut true, rest);
        let url = Url {
            serialization: String::new(),
            scheme_end,
            username_end,
            host_start,
            host_end,
            host,
            port,
            path_start,
            query_start: None,
            fragment_start: None,
        };
        self.with_query_and_fragment(url, scheme_type, rest)
    }

    /// The userinfo of the [authority state](https://url.spec.whatwg.org/#authority-state),
    /// up to the last `@`: the username's end, and the input after the `@`.
    fn parse_userinfo<'i>(
        &mut self,
        input: &'i str,
        scheme_type: SchemeType,
    ) -> Result<(u32, &'i str), ParseError> {
        let end = input
            .bytes()
            .position(|b| {
                matches!(b, b'/' | b'?' | b'#') || (b == b'\\' && scheme_type.is_special())
            })
            .unwrap_or(input.len());
        let last_at = input.as_bytes()[..end].iter().rposition(|&b| b == b'@');
        let Some(at) = last_at else {
            return Ok((self.len(), input));
        };
        let rest = &input[at + 1..];
        if at == 0 {
            // If atSignSeen is true and buffer is the empty string, host-missing validation
            // error, return failure.
            let next = rest.bytes().next();
            if matches!(next, Some(b'/' | b'?' | b'#'))
                || (scheme_type.is_special() && next == Some(b'\\'))
            {
                return Err(ParseError::EmptyHost);
            }
            return Ok((self.len(), rest));
        }
        let (username, password) = match input[..at].split_once(':') {
            Some((username, password)) => (username, password),
            None => (&input[..at], ""),
        };
        percent_encode(&mut self.serialization, username, USERINFO);
        let username_end = self.len();
        if !password.is_empty() {
            self.serialization.push(':');
            percent_encode(&mut self.serialization, password, USERINFO);
        }
        if !username.is_empty() || !password.is_empty() {
            self.serialization.push('@');
        }
        Ok((username_end, rest))
    }

    /// The [host state](https://url.spec.whatwg.org/#host-state) and the
    /// [port state](https://url.spec.whatwg.org/#port-state).
    fn parse_host_and_port<'i>(
        &mut self,
        input: &'i str,
        scheme_end: u32,
        scheme_type: SchemeType,
    ) -> Result<(u32, HostInternal, Option<u16>, &'i str), ParseError> {
        // The host ends at a `:` outside brackets, `/`, `?`, `#`, or `\` in a special URL.
        let mut inside_brackets = false;
        let end = input
            .bytes()
            .position(|b| match b {
                b':' => !inside_brackets,
                b'\\' => scheme_type.is_special(),
                b'/' | b'?' | b'#' => true,
                b'[' | b']' => {
                    inside_brackets = b == b'[';
                    false
                }
                _ => false,
            })
            .unwrap_or(input.len());
        let (host_input, rest) = input.split_at(end);
        if scheme_type == SchemeType::SpecialNotFile && host_input.is_empty() {
            return Err(ParseError::EmptyHost);
        }
        let host = if scheme_type.is_special() {
            host::parse_host(host_input)?
        } else {
            host::parse_opaque_host(host_input)?
        };
        host::serialize_host(&mut self.serialization, &host);
        let host_end = self.len();
        let host = HostInternal::of(&host);
        if host == HostInternal::None && (rest.starts_with(':') || scheme_type.is_special()) {
            return Err(ParseError::EmptyHost);
        }
        let Some(rest) = rest.strip_prefix(':') else {
            return Ok((host_end, host, None, rest));
        };
        // The port state.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (port, rest) = rest.split_at(digits);
        if !rest.is_empty() && !matches!(rest.as_bytes()[0], b'/' | b'\\' | b'?' | b'#') {
            return Err(ParseError::InvalidPort);
        }
        let mut value: u32 = 0;
        for digit in port.bytes() {
            value = value * 10 + u32::from(digit - b'0');
            if value > u32::from(u16::MAX) {
                return Err(ParseError::InvalidPort);
            }
        }
        // Step 2.1.2–3: set url's port to null if port is url's scheme's default port.
        let port = Some(value as u16).filter(|&p| {
            !port.is_empty() && Some(p) != default_port(&self.serialization[..scheme_end as usize])
        });
        if let Some(port) = port {
            self.serialization.push(':');
            push_u16(&mut self.serialization, port);
        }
        Ok((host_end, host, port, rest))
    }

    /// The [file host state](https://url.spec.whatwg.org/#file-host-state): whether there is a
    /// host (not empty, not `localhost`, not a Windows drive letter), the host, and the rest.
    /// Note: as the `url` crate, the path start state only follows a host; otherwise the path
    /// state starts with a `/` written, so a drive letter after `localhost/` stays as it is.
    fn parse_file_host<'i>(
        &mut self,
        input: &'i str,
    ) -> Result<(bool, HostInternal, &'i str), ParseError> {
        let end = input
            .bytes()
            .position(|b| matches!(b, b'/' | b'\\' | b'?' | b'#'))
            .unwrap_or(input.len());
        let (host_input, rest) = input.split_at(end);
        if is_windows_drive_letter(host_input) {
            return Ok((false, HostInternal::None, input));
        }
        if host_input.is_empty() {
            return Ok((false, HostInternal::None, rest));
        }
        let host = host::parse_host(host_input)?;
        // If host is "localhost", then set host to the empty string.
        if host == Host::Domain(Cow::Borrowed("localhost")) {
            return Ok((false, HostInternal::None, rest));
        }
        host::serialize_host(&mut self.serialization, &host);
        Ok((true, HostInternal::of(&host), rest))
    }

    /// The query and fragment after the path of a URL without host that may start its path
    /// with `//` (which would read as a host): written `/.//` as the URL serializer does.
    fn with_query_and_fragment(
        &mut self,
        mut url: Url,
        scheme_type: SchemeType,
        rest: &str,
    ) -> Result<Url, ParseError> {
        let scheme_end = url.scheme_end as usize;
        let path_start = url.path_start as usize;
        let s = &mut self.serialization;
        if path_start == scheme_end + 1 {
            // The URL serializer, step 3: if url's host is null, url does not have an opaque
            // path, url's path's size is greater than 1, and url's path[0] is the empty string,
            // then append U+002F (/) followed by U+002E (.) to output.
            if s[path_start..].starts_with("//") {
                replace(s, path_start..path_start, "/.");
                url.path_start += 2;
            }
        } else if path_start == scheme_end + 3
            && &s[scheme_end..path_start] == ":/."
            && s.as_bytes().get(path_start + 1) != Some(&b'/')
        {
            // Copied from a base that had `/.`, and no longer needed.
            replace(s, scheme_end..path_start, ":");
            url.path_start -= 2;
        }
        self.with_query_and_fragment_only(url, scheme_type, rest)
    }

    fn with_query_and_fragment_only(
        &mut self,
        mut url: Url,
        scheme_type: SchemeType,
        rest: &str,
    ) -> Result<Url, ParseError> {
        (url.query_start, url.fragment_start) = self.parse_query_and_fragment(scheme_type, rest);
        url.serialization = core::mem::take(&mut self.serialization);
        Ok(url)
    }

    /// The [query state](https://url.spec.whatwg.org/#query-state) and the
    /// [fragment state](https://url.spec.whatwg.org/#fragment-state): where each starts.
    fn parse_query_and_fragment(
        &mut self,
        scheme_type: SchemeType,
        input: &str,
    ) -> (Option<u32>, Option<u32>) {
        let (query, fragment) = match input.as_bytes().first() {
            None => return (None, None),
            Some(b'?') => match input[1..].split_once('#') {
                Some((query, fragment)) => (Some(query), Some(fragment)),
                None => (Some(&input[1..]), None),
            },
            _ => (None, Some(&input[1..])),
        };
        let query_start = query.map(|query| {
            let start = self.len();
            self.serialization.push('?');
            let set: &EncodeSet = if scheme_type.is_special() {
                SPECIAL_QUERY
            } else {
                QUERY
            };
            percent_encode(&mut self.serialization, query, set);
            start
        });
        let fragment_start = fragment.map(|fragment| {
            let start = self.len();
            self.serialization.push('#');
            percent_encode(&mut self.serialization, fragment, FRAGMENT);
            start
        });
        (query_start, fragment_start)
    }

    /// The URL is base with `input`'s fragment.
    fn fragment_only(&mut self, base: &Url, input: &str) -> Url {
        let before_fragment = &base.serialization[..base
            .fragment_start
            .map_or(base.serialization.len(), |i| i as usize)];
        self.serialization.push_str(before_fragment);
        self.serialization.push('#');
        percent_encode(&mut self.serialization, &input[1..], FRAGMENT);
        Url {
            serialization: core::mem::take(&mut self.serialization),
            fragment_start: Some(before_fragment.len() as u32),
            ..*base
        }
    }
}

/// Appends `value` in decimal.
pub(super) fn push_u16(out: &mut String, value: u16) {
    let mut digits = [0u8; 5];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}
