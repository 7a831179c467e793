//! The field a serde_json error is about, found from where in the JSON text serde_json stopped:
//! the path the native engine names through `serde_path_to_error` (`request.headers[2][0]`),
//! without that crate's code in the `.wasm` (a second, path-tracking copy of every type's
//! deserializer, about 20 KB gzipped). The node tests check the two against each other on every
//! malformed input they make.

use std::fmt::Write as _;

/// One level of nesting around a position of the text.
enum Level {
    /// In an object, at `key` once its name is read (until the next `,` or `}`), and in its
    /// value once the `:` is read.
    Object {
        key: Option<String>,
        expecting_key: bool,
        in_value: bool,
    },
    /// In an array, at item `index` (from the `[` or the `,` before it: an item is asked for
    /// before its first character is read).
    Array { index: usize },
}

/// The byte offset just past serde_json's `line` and `column` (1-based; the column counts bytes).
pub(crate) fn offset(text: &str, line: usize, column: usize) -> usize {
    let start = match line.checked_sub(2) {
        None => 0,
        Some(newlines) => text
            .match_indices('\n')
            .nth(newlines)
            .map_or(text.len(), |(at, _)| at + 1),
    };
    (start + column).min(text.len())
}

/// The path of the field that serde_json's `problem` is about, when it stopped at byte `end` of
/// `text` (everything before `end` read). Empty for the value as a whole.
pub(crate) fn field_path(text: &str, end: usize, problem: &str) -> String {
    // Two problems are reported at the character serde_json looked at without reading it: a
    // value where none can be (an enum written as an array), and an item after a tuple's last
    // one, when no item of the tuple was asked for (the path is the tuple's).
    let trailing = problem.starts_with("trailing characters");
    let peeked = trailing || problem.starts_with("expected value");
    let end = if peeked { end.saturating_sub(1) } else { end };
    let mut levels = levels_at(text.as_bytes().get(..end).unwrap_or_default());
    if trailing && matches!(levels.last(), Some(Level::Array { .. })) {
        levels.pop();
    }
    // A repeated key is refused once its name is read, before its value, and an unknown variant
    // written as an object's key is the enum's: the object's path.
    if problem.starts_with("duplicate field") || problem.starts_with("unknown variant") {
        if let Some(Level::Object {
            key,
            in_value: false,
            ..
        }) = levels.last_mut()
        {
            *key = None;
        }
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Array { index } => {
                let _ = write!(path, "[{index}]");
            }
            Level::Object { key: None, .. } => {}
        }
    }
    path
}

/// The levels of nesting open after reading `json` (a prefix of valid JSON text).
fn levels_at(json: &[u8]) -> Vec<Level> {
    let mut levels = Vec::new();
    let mut at = 0;
    while let Some(&byte) = json.get(at) {
        at += 1;
        match byte {
            b'{' => levels.push(Level::Object {
                key: None,
                expecting_key: true,
                in_value: false,
            }),
            b'[' => levels.push(Level::Array { index: 0 }),
            b'}' | b']' => {
                levels.pop();
            }
            b',' => match levels.last_mut() {
                Some(Level::Object {
                    key,
                    expecting_key,
                    in_value,
                }) => {
                    *key = None;
                    *expecting_key = true;
                    *in_value = false;
                }
                Some(Level::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let (text, next) = string_at(json, at);
                at = next;
                if let Some(Level::Object {
                    key,
                    expecting_key: expecting_key @ true,
                    ..
                }) = levels.last_mut()
                {
                    *key = Some(text);
                    *expecting_key = false;
                }
            }
            b':' => {
                if let Some(Level::Object { in_value, .. }) = levels.last_mut() {
                    *in_value = true;
                }
            }
            // Blanks, and the characters of numbers, `true`, `false` and `null`.
            _ => {}
        }
    }
    levels
}

/// The string whose opening quote ends just before `start`, unescaped, and the offset past its
/// closing quote (or the end of `json`).
fn string_at(json: &[u8], start: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let mut at = start;
    while let Some(&byte) = json.get(at) {
        at += 1;
        match byte {
            b'"' => break,
            b'\\' => {
                let Some(&escaped) = json.get(at) else { break };
                at += 1;
                match escaped {
                    b'b' => bytes.push(0x08),
                    b'f' => bytes.push(0x0c),
                    b'n' => bytes.push(b'\n'),
                    b'r' => bytes.push(b'\r'),
                    b't' => bytes.push(b'\t'),
                    b'u' => {
                        let (unit, next) = code_unit(json, at);
                        at = next;
                        let high = (0xD800..0xDC00).contains(&unit);
                        let low = (high && json.get(at..at + 2) == Some(b"\\u".as_slice()))
                            .then(|| code_unit(json, at + 2));
                        let pair = low.and_then(|(low, next)| {
                            let c = char::decode_utf16([unit, low]).next()?.ok()?;
                            Some((c, next))
                        });
                        let c = match pair {
                            Some((c, next)) => {
                                at = next;
                                c
                            }
                            None => char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'),
                        };
                        bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                    other => bytes.push(other),
                }
            }
            other => bytes.push(other),
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), at)
}

/// The UTF-16 code unit of the four hex digits at `at`, and the offset past them.
fn code_unit(json: &[u8], at: usize) -> (u16, usize) {
    let digits = json.get(at..at + 4).unwrap_or_default();
    let unit = std::str::from_utf8(digits)
        .ok()
        .and_then(|hex| u16::from_str_radix(hex, 16).ok())
        .unwrap_or(0xFFFD);
    (unit, at + digits.len())
}

#[cfg(test)]
mod tests {
    use super::{field_path, offset};

    /// The path for a problem reported after the text up to (and including) `marker`'s last
    /// occurrence.
    fn path(json: &str, through: &str, problem: &str) -> String {
        let end = json.rfind(through).expect("marker") + through.len();
        field_path(json, end, problem)
    }

    #[test]
    fn values_keys_and_items() {
        let json = r#"{"request": {"origin": 1, "headers": [["X-A", "1"], [2, "x"]]}}"#;
        assert_eq!(
            path(json, r#""origin": 1"#, "invalid type"),
            "request.origin"
        );
        assert_eq!(path(json, "[2", "invalid type"), "request.headers[1][0]");
        assert_eq!(
            path(json, r#""headers": "#, "invalid type"),
            "request.headers"
        );
    }

    #[test]
    fn closed_containers_name_their_parent() {
        let json = r#"{"request": {"url": "u"}, "server": [{"headers": []}]}"#;
        assert_eq!(path(json, r#""u"}"#, "missing field `origin`"), "request");
        assert_eq!(path(json, "[]}", "missing field `status`"), "server[0]");
        let json = r#"{"request": {"headers": [["X-A", "1"], ["X-B"]]}}"#;
        assert_eq!(
            path(json, r#"["X-B"]"#, "invalid length 1"),
            "request.headers[1]"
        );
    }

    #[test]
    fn unknown_duplicate_and_trailing() {
        let json = r#"{"request": {}, "reqest": 1}"#;
        assert_eq!(
            path(json, r#""reqest""#, "unknown field `reqest`"),
            "reqest"
        );
        let json = r#"{"server": [{"status": 200, "status": 201}]}"#;
        assert_eq!(
            path(json, r#", "status""#, "duplicate field `status`"),
            "server[0]"
        );
        let json = r#"{"request": {"headers": [["X-A", "1", "2"]]}}"#;
        assert_eq!(
            path(json, r#""1", ""#, "trailing characters"),
            "request.headers[0]"
        );
        assert_eq!(path(r#"{"a": 1} x"#, "} x", "trailing characters"), "");
        let json = r#"{"profile": {"a": 1}}"#;
        assert_eq!(path(json, r#""a""#, "unknown variant `a`"), "profile");
        let json = r#"{"profile": "chrome"}"#;
        assert_eq!(
            path(json, r#""chrome""#, "unknown variant `chrome`"),
            "profile"
        );
        let json = r#"{"profile": []}"#;
        assert_eq!(path(json, "[", "expected value"), "profile");
    }

    #[test]
    fn items_are_asked_for_before_they_are_read() {
        let json = r#"{"request": [["a"]], "server": [[["a"]]]}"#;
        assert_eq!(path(json, r#""request": ["#, "invalid type"), "request[0]");
        assert_eq!(
            path(json, r#""server": [["#, "invalid type"),
            "server[0][0]"
        );
    }

    #[test]
    fn escaped_keys_and_strings() {
        let json = r#"{"a\"b": {"\u00e9\ud83d\ude00": ["x\"]", 1]}}"#;
        assert_eq!(path(json, ", 1", "invalid type"), "a\"b.é😀[1]");
    }

    #[test]
    fn lines_and_columns() {
        let json = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        assert_eq!(offset(json, 1, 1), 1);
        assert_eq!(offset(json, 3, 8), json.find("2").unwrap() + 1);
        assert_eq!(offset(json, 9, 9), json.len());
    }
}
