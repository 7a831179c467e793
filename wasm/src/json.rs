//! Values cross the boundary as JSON text: one `JSON.stringify` in, one `JSON.parse` out, however
//! large the value (a batch of scenarios crosses once).
//!
//! A deserializing error names its field. Rather than wrap every visitor to track the path (as
//! `serde_path_to_error` does for the CLI, which doubles the deserializing code in the `.wasm`),
//! the path is read off the JSON text at the byte where `serde_json` stopped: the keys and indexes
//! of the containers still open there. The paths are the same (`request.headers[2][0]`), which
//! the tests check against the CLI.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::error::{input_error, join};

/// What `value` is, for a message ("undefined", "a function", …).
fn describe(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_function() {
        "a function"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_bigint() {
        "a bigint"
    } else {
        "a value JSON cannot hold"
    }
}

/// The JSON text of `value` (at `path`), through `JSON.stringify`.
pub(crate) fn stringify(value: &JsValue, path: &str) -> Result<String, JsValue> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| {
            input_error(
                path,
                &format!("expected JSON data, got {}", describe(value)),
            )
        })
}

/// Reads `value` (at `path`) as a `T`, through its JSON text.
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue, path: &str) -> Result<T, JsValue> {
    from_text(&stringify(value, path)?, path)
}

/// Parses `text` as a `T`, naming the field of any problem (prefixed with `path`).
pub(crate) fn from_text<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, JsValue> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    value.map_err(|error| {
        let at = path_at(text, offset_of(text, error.line(), error.column()));
        // The position is in JSON text the caller never saw: leave it out.
        let message = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let problem = message.strip_suffix(&position).unwrap_or(&message);
        input_error(&join(path, &at), problem)
    })
}

/// The byte offset of (`line`, `column`) as `serde_json` counts them (both from 1; the column
/// counts the bytes read on that line).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (start + column).min(text.len())
}

/// One open container while scanning JSON text.
enum Frame {
    /// An object, with the key last read (`None` before the first one).
    Object(Option<String>),
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The field path of the value being read when `offset` bytes of the JSON `text` have been read:
/// `request.headers[2][0]`; empty at the top.
fn path_at(text: &str, offset: usize) -> String {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => frames.push(Frame::Object(None)),
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => {
                if let Some(Frame::Array(index)) = frames.last_mut() {
                    *index += 1;
                }
            }
            b'"' => {
                // A string: a key when an object waits for one (after `{` or `,`).
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let is_key = matches!(frames.last(), Some(Frame::Object(_)))
                    && text.as_bytes()[..i]
                        .iter()
                        .rev()
                        .find(|b| !b.is_ascii_whitespace())
                        .is_some_and(|b| matches!(b, b'{' | b','));
                if let (true, Some(Frame::Object(last))) = (is_key, frames.last_mut()) {
                    let key = text.get(start..end.min(bytes.len())).unwrap_or_default();
                    *last = Some(unescape(key));
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// A JSON string's content without its escapes (keys are field names: plain in practice).
fn unescape(raw: &str) -> String {
    if raw.contains('\\') {
        serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned())
    } else {
        raw.to_owned()
    }
}

/// `value` as a JS value, through its JSON text.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::path_at;

    fn at(text: &str, marker: &str) -> String {
        path_at(text, text.find(marker).unwrap() + marker.len())
    }

    #[test]
    fn paths() {
        let text =
            r#"{"request":{"origin":1,"headers":[["a","b"],["c"]]},"server":[{"status":9}]}"#;
        assert_eq!(at(text, r#""origin":1"#), "request.origin");
        assert_eq!(at(text, r#"["c"]"#), "request.headers[1]");
        assert_eq!(at(text, r#"["c""#), "request.headers[1][0]");
        assert_eq!(at(text, r#"]]}"#), "request");
        assert_eq!(at(text, r#""status":9"#), "server[0].status");
        assert_eq!(at(text, r#""status":9}"#), "server[0]");
        assert_eq!(at(text, r#"{"request""#), "request");
        assert_eq!(path_at(text, text.len()), "");
        assert_eq!(at(r#"[{},{"x":"a,b"}]"#, r#""a,b""#), "[1].x");
        assert_eq!(at(r#"{"a\"b":1}"#, "1"), "a\"b");
    }
}
