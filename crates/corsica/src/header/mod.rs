//! [Headers](https://fetch.spec.whatwg.org/#terminology-headers): header lists and the header
//! classes of the CORS protocol.
//!
//! Header values are kept as strings whose code points are the value's bytes
//! ([isomorphic decoding](https://infra.spec.whatwg.org/#isomorphic-decode)): a value a page
//! passes to `fetch()` is a `ByteString`, so every code point is at most U+00FF. Values a server
//! sends may hold other code points; they never parse as tokens, so they never pass a check that
//! needs one.

pub mod list_values;
pub mod name;
pub mod safelist;
pub mod tokens;

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use smol_str::SmolStr;

use name::eq_ignore_case;

/// A [header](https://fetch.spec.whatwg.org/#concept-header): a name and a value.
///
/// Both are [`SmolStr`]s: short ones live inline and long ones are shared, so copying a header
/// list into the exchange log never allocates per header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The name, in the case it was written.
    pub name: SmolStr,
    /// The value.
    pub value: SmolStr,
}

impl Header {
    /// A header.
    pub fn new(name: impl Into<SmolStr>, value: impl Into<SmolStr>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A [header list](https://fetch.spec.whatwg.org/#concept-header-list): ordered, duplicates kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct HeaderList {
    headers: Vec<Header>,
}

impl HeaderList {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            headers: Vec::new(),
        }
    }

    /// An empty list with room for `capacity` headers.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            headers: Vec::with_capacity(capacity),
        }
    }

    /// [Append](https://fetch.spec.whatwg.org/#concept-header-list-append) a header.
    pub fn append(&mut self, name: impl Into<SmolStr>, value: impl Into<SmolStr>) {
        self.headers.push(Header::new(name, value));
    }

    /// Every header, in order.
    pub fn iter(&self) -> core::slice::Iter<'_, Header> {
        self.headers.iter()
    }

    /// Every header, in order, to change in place.
    pub(crate) fn iter_mut(&mut self) -> core::slice::IterMut<'_, Header> {
        self.headers.iter_mut()
    }

    /// The number of headers.
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }

    /// [Contains](https://fetch.spec.whatwg.org/#header-list-contains): byte-case-insensitive.
    pub fn contains(&self, name: &str) -> bool {
        self.headers.iter().any(|h| eq_ignore_case(&h.name, name))
    }

    /// The values of every header named `name` (byte-case-insensitive), in order.
    pub fn values<'s, 'n>(&'s self, name: &'n str) -> impl Iterator<Item = &'s str> + use<'s, 'n> {
        self.headers
            .iter()
            .filter(move |h| eq_ignore_case(&h.name, name))
            .map(|h| h.value.as_str())
    }

    /// How many headers are named `name`: Firefox counts `Access-Control-Allow-Origin` lines.
    pub fn count(&self, name: &str) -> usize {
        self.values(name).count()
    }

    /// [Get](https://fetch.spec.whatwg.org/#concept-header-list-get): null if absent, otherwise
    /// every value joined with `, `. Borrows when there is exactly one value.
    pub fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let mut values = self.values(name);
        let first = values.next()?;
        match values.next() {
            None => Some(Cow::Borrowed(first)),
            Some(second) => {
                let mut joined = String::with_capacity(first.len() + second.len() + 2);
                joined.push_str(first);
                joined.push_str(", ");
                joined.push_str(second);
                for value in values {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                Some(Cow::Owned(joined))
            }
        }
    }

    /// [Delete](https://fetch.spec.whatwg.org/#concept-header-list-delete) every header named
    /// `name`.
    pub fn delete(&mut self, name: &str) {
        self.headers.retain(|h| !eq_ignore_case(&h.name, name));
    }

    /// Keeps only the headers for which `keep` returns true.
    pub fn retain(&mut self, keep: impl FnMut(&Header) -> bool) {
        self.headers.retain(keep);
    }

    /// Whether some name occurs more than once (byte-case-insensitively).
    pub fn has_duplicates(&self) -> bool {
        self.headers.iter().enumerate().any(|(i, header)| {
            self.headers[i + 1..]
                .iter()
                .any(|later| eq_ignore_case(&later.name, &header.name))
        })
    }

    /// The list with every name once: later headers of a name are
    /// [combined](https://fetch.spec.whatwg.org/#concept-header-list-combine) into the first
    /// (`a, b`), which keeps its casing and place.
    pub fn combined(&self) -> Self {
        let mut combined = Self::with_capacity(self.len());
        for header in &self.headers {
            match combined
                .headers
                .iter_mut()
                .find(|h| eq_ignore_case(&h.name, &header.name))
            {
                Some(first) => {
                    let mut value =
                        String::with_capacity(first.value.len() + 2 + header.value.len());
                    value.push_str(&first.value);
                    value.push_str(", ");
                    value.push_str(&header.value);
                    first.value = value.into();
                }
                None => combined.headers.push(header.clone()),
            }
        }
        combined
    }

    /// Every header as an owned `(name, value)` pair, as the scenario format writes them.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|h| {
                (
                    String::from(h.name.as_str()),
                    String::from(h.value.as_str()),
                )
            })
            .collect()
    }

    /// The headers as a slice.
    pub fn as_slice(&self) -> &[Header] {
        &self.headers
    }
}

impl<'a> IntoIterator for &'a HeaderList {
    type Item = &'a Header;
    type IntoIter = core::slice::Iter<'a, Header>;

    fn into_iter(self) -> Self::IntoIter {
        self.headers.iter()
    }
}

impl<N: Into<SmolStr>, V: Into<SmolStr>> FromIterator<(N, V)> for HeaderList {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self {
            headers: iter.into_iter().map(|(n, v)| Header::new(n, v)).collect(),
        }
    }
}

impl From<Vec<Header>> for HeaderList {
    fn from(headers: Vec<Header>) -> Self {
        Self { headers }
    }
}

/// [HTTP tab or space](https://fetch.spec.whatwg.org/#http-tab-or-space).
pub(crate) const fn is_http_tab_or_space(c: char) -> bool {
    matches!(c, '\t' | ' ')
}

/// [HTTP whitespace](https://fetch.spec.whatwg.org/#http-whitespace).
pub(crate) const fn is_http_whitespace(c: char) -> bool {
    matches!(c, '\t' | ' ' | '\n' | '\r')
}

/// `value` without leading and trailing [HTTP tab or space](https://fetch.spec.whatwg.org/#http-tab-or-space).
pub(crate) fn trim_tab_or_space(value: &str) -> &str {
    trim_ascii_matching(value, |b| matches!(b, b'\t' | b' '))
}

/// [Normalize](https://fetch.spec.whatwg.org/#concept-header-value-normalize) a value: strip
/// leading and trailing HTTP whitespace.
pub fn normalize_value(value: &str) -> &str {
    trim_ascii_matching(value, |b| matches!(b, b'\t' | b' ' | b'\n' | b'\r'))
}

/// `value` without the leading and trailing bytes that `strip` matches, which must be ASCII
/// bytes (so both ends are character boundaries).
fn trim_ascii_matching(value: &str, strip: fn(u8) -> bool) -> &str {
    let bytes = value.as_bytes();
    let start = bytes.iter().position(|&b| !strip(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !strip(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

/// Whether `value` is a [header value](https://fetch.spec.whatwg.org/#header-value): no leading
/// or trailing tab or space, no NUL, LF or CR, and (being a `ByteString`) no code point above
/// U+00FF.
pub fn is_header_value(value: &str) -> bool {
    !value.starts_with(is_http_tab_or_space)
        && !value.ends_with(is_http_tab_or_space)
        && !value
            .chars()
            .any(|c| matches!(c, '\0' | '\n' | '\r') || c > '\u{ff}')
}

/// The value's length in bytes, after [isomorphic encoding](https://infra.spec.whatwg.org/#isomorphic-encode).
pub(crate) fn byte_length(value: &str) -> usize {
    if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_joins_duplicates_with_comma_space() {
        let list: HeaderList = [("ACAO", "a"), ("x", "y"), ("acao", "b")]
            .into_iter()
            .collect();
        assert_eq!(list.get("Acao").as_deref(), Some("a, b"));
        assert_eq!(list.get("x").as_deref(), Some("y"));
        assert_eq!(list.get("missing"), None);
        assert_eq!(list.count("ACAO"), 2);
    }

    #[test]
    fn combining_keeps_the_first_name_and_place() {
        let list: HeaderList = [("X-A", "1"), ("B", "2"), ("x-a", "3")]
            .into_iter()
            .collect();
        assert!(list.has_duplicates());
        assert!(!list.combined().has_duplicates());
        let combined = list.combined();
        let pairs: Vec<(&str, &str)> = combined
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(pairs, [("X-A", "1, 3"), ("B", "2")]);
    }

    #[test]
    fn header_values() {
        assert!(is_header_value("text/plain"));
        assert!(is_header_value(""));
        assert!(!is_header_value(" a"));
        assert!(!is_header_value("a\t"));
        assert!(!is_header_value("a\nb"));
        assert!(!is_header_value("\u{100}"));
        assert!(is_header_value("\u{ff}"));
        assert_eq!(normalize_value(" \t a b \r\n"), "a b");
        assert_eq!(trim_tab_or_space(" \t a b \t"), "a b");
        assert_eq!(trim_tab_or_space("\u{e9} "), "\u{e9}");
        assert_eq!(trim_tab_or_space(" \t "), "");
        assert_eq!(byte_length("\u{e9}t\u{e9}"), 3);
    }
}
