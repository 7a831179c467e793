//! Writing the output objects: [`ToJson`] for the scenario format's outputs ([`ScenarioOutput`]
//! and everything in it, [`CheckOutput`]) and the values they hold, as compact JSON.
//!
//! The output is byte for byte what `serde_json::to_string` writes for the same value's
//! `Serialize` form: fields in declaration order, under their `serde` names, skipped where the
//! `skip_serializing_if` attribute skips them; strings escaped as `serde_json` escapes them.

use alloc::string::String;
use alloc::vec::Vec;

use super::{ToJson, attention, needs_attention, plain_run, word};
use crate::scenario::{
    Credentials, ErrorOutput, ExchangeOutput, Mode, MultiOutput, Output, Permission, ProfileName,
    ReceivedOutput, Redirect, ResponseOutput, ScenarioOutput, SentOutput, Space, TraceOutput,
    WarningOutput,
};
use crate::step::CheckOutput;
use crate::trace::TraceStep;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` as a JSON string: the runs of bytes that need no escape are copied whole.
fn write_string(text: &str, out: &mut String) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    // The common case: nothing to escape.
    if is_plain(bytes) {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut at = 0;
    loop {
        let end = plain_run(bytes, at);
        // `end` is at an ASCII byte or the end, so on a character boundary.
        out.push_str(&text[at..end]);
        let Some(&byte) = bytes.get(end) else { break };
        write_escape(byte, out);
        at = end + 1;
    }
    out.push('"');
}

/// Whether no byte of `bytes` needs an escape: eight at a time, the last eight (overlapping
/// bytes already seen) for the rest when there are that many.
fn is_plain(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    if chunks.by_ref().any(|chunk| attention(word(chunk)) != 0) {
        return false;
    }
    match bytes.len().checked_sub(8) {
        Some(last) if !chunks.remainder().is_empty() => attention(word(&bytes[last..])) == 0,
        _ => !chunks.remainder().iter().any(|&b| needs_attention(b)),
    }
}

/// Appends the escape of `byte` (a `"`, a `\` or a control character) as `serde_json` writes
/// it: a backslash and a letter where JSON has one, `\u00XX` otherwise.
fn write_escape(byte: u8, out: &mut String) {
    out.push('\\');
    match byte {
        b'"' | b'\\' => out.push(char::from(byte)),
        0x08 => out.push('b'),
        b'\t' => out.push('t'),
        b'\n' => out.push('n'),
        0x0C => out.push('f'),
        b'\r' => out.push('r'),
        _ => {
            out.push_str("u00");
            out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(HEX_DIGITS[usize::from(byte & 0x0F)]));
        }
    }
}

/// What goes before the value of the field `name` (plain ASCII, no escape needed): `,"name":`.
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

/// A JSON object being written, one field after another: `{"a":…,"b":…}`.
struct ObjectWriter<'a> {
    out: &'a mut String,
    has_fields: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens the object.
    fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self {
            out,
            has_fields: false,
        }
    }

    /// Writes the field whose [`key!`] is `key`.
    #[inline(always)]
    fn field<T: ToJson + ?Sized>(self, key: &str, value: &T) -> Self {
        self.field_if(true, key, value)
    }

    /// Writes the field whose [`key!`] is `key` when `present` (a `skip_serializing_if` that
    /// does not skip). Inlined, so that the key is a constant written in a few stores.
    #[inline(always)]
    fn field_if<T: ToJson + ?Sized>(mut self, present: bool, key: &str, value: &T) -> Self {
        if present {
            self.key(key);
            value.write_json(self.out);
        }
        self
    }

    /// Writes the [`key!`] `key` of the field whose value comes next.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        // The first field goes without the comma.
        self.out
            .push_str(if self.has_fields { key } else { &key[1..] });
        self.has_fields = true;
    }

    /// Closes the object.
    fn end(self) {
        self.out.push('}');
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u16 {
    fn write_json(&self, out: &mut String) {
        // Five digits at most, filled from the last.
        let mut digits = [0; 5];
        let mut first = digits.len();
        let mut rest = *self;
        loop {
            first -= 1;
            digits[first] = b"0123456789"[usize::from(rest % 10)];
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for &digit in &digits[first..] {
            out.push(char::from(digit));
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// Appends `items` as a JSON array, each written by `write`.
pub(super) fn write_list<T>(items: &[T], out: &mut String, write: impl Fn(&T, &mut String)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(item, out);
    }
    out.push(']');
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        write_list(self, out, T::write_json);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// A pair, such as a [`HeaderPair`](crate::scenario::HeaderPair): a 2-element array.
impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// The keyword enums, written as their `as_str()` (which their `serde` names follow).
macro_rules! keyword_to_json {
    ($($keyword:ty),*) => {
        $(
            impl ToJson for $keyword {
                fn write_json(&self, out: &mut String) {
                    write_string(self.as_str(), out);
                }
            }
        )*
    };
}

keyword_to_json!(ProfileName, Mode, Credentials, Redirect, Space, Permission);

/// `#[serde(untagged)]`: the variant's object alone.
impl ToJson for ScenarioOutput {
    fn write_json(&self, out: &mut String) {
        match self {
            Self::Single(output) => output.write_json(out),
            Self::Multi(output) => output.write_json(out),
        }
    }
}

/// The output object, its parts borrowed: from an [`Output`], or straight from the engine's
/// outcome (`json/outcome.rs`), so that one code writes both.
pub(super) struct OutputParts<'a> {
    pub id: Option<&'a str>,
    pub profile: ProfileName,
    pub verdict: &'a str,
    pub classification: &'a str,
    pub exchanges: &'a dyn ToJson,
    pub error: &'a dyn ToJson,
    pub warnings: &'a dyn ToJson,
    pub response: &'a dyn ToJson,
    /// `None` when there is no trace (the field is left out).
    pub trace: Option<&'a dyn ToJson>,
}

impl ToJson for OutputParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field_if(self.id.is_some(), key!("id"), &self.id)
            .field(key!("profile"), &self.profile)
            .field(key!("verdict"), self.verdict)
            .field(key!("classification"), self.classification)
            .field(key!("exchanges"), self.exchanges)
            .field(key!("error"), self.error)
            .field(key!("warnings"), self.warnings)
            .field(key!("response"), self.response)
            .field_if(self.trace.is_some(), key!("trace"), &self.trace)
            .end();
    }
}

impl ToJson for Output {
    fn write_json(&self, out: &mut String) {
        OutputParts {
            id: self.id.as_deref(),
            profile: self.profile,
            verdict: self.verdict,
            classification: self.classification,
            exchanges: &self.exchanges,
            error: &self.error,
            warnings: &self.warnings,
            response: &self.response,
            trace: (!self.trace.is_empty()).then_some(&self.trace),
        }
        .write_json(out);
    }
}

/// Writes a `requests` scenario's output object, its `results` written by `results`.
pub(crate) fn write_multi<R>(
    id: Option<&str>,
    profile: ProfileName,
    out: &mut String,
    results: impl FnOnce(&mut String) -> R,
) -> R {
    let mut object = ObjectWriter::new(out)
        .field_if(id.is_some(), key!("id"), &id)
        .field(key!("profile"), &profile);
    object.key(key!("results"));
    let written = results(object.out);
    object.end();
    written
}

impl ToJson for MultiOutput {
    fn write_json(&self, out: &mut String) {
        write_multi(self.id.as_deref(), self.profile, out, |out| {
            self.results.write_json(out);
        });
    }
}

/// `exchanges[]`, its parts borrowed. `response` is absent for a preflight answered from the
/// cache, `null` for a network error.
pub(super) struct ExchangeParts<'a> {
    pub kind: &'a str,
    pub request: &'a dyn ToJson,
    pub response: Option<&'a dyn ToJson>,
    pub from_cache: bool,
}

impl ToJson for ExchangeParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("kind"), self.kind)
            .field(key!("request"), self.request)
            .field_if(self.response.is_some(), key!("response"), &self.response)
            .field(key!("from_cache"), &self.from_cache)
            .end();
    }
}

impl ToJson for ExchangeOutput {
    fn write_json(&self, out: &mut String) {
        ExchangeParts {
            kind: self.kind,
            request: &self.request,
            response: self.response.as_ref().map(|r| r as &dyn ToJson),
            from_cache: self.from_cache,
        }
        .write_json(out);
    }
}

/// `exchanges[].request`, its parts borrowed.
pub(super) struct SentParts<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a dyn ToJson,
    pub credentials: bool,
}

impl ToJson for SentParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("method"), self.method)
            .field(key!("url"), self.url)
            .field(key!("headers"), self.headers)
            .field(key!("credentials"), &self.credentials)
            .end();
    }
}

impl ToJson for SentOutput {
    fn write_json(&self, out: &mut String) {
        SentParts {
            method: &self.method,
            url: &self.url,
            headers: &self.headers,
            credentials: self.credentials,
        }
        .write_json(out);
    }
}

/// `exchanges[].response`, its parts borrowed.
pub(super) struct ReceivedParts<'a> {
    pub status: u16,
    pub headers: &'a dyn ToJson,
}

impl ToJson for ReceivedParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("status"), &self.status)
            .field(key!("headers"), self.headers)
            .end();
    }
}

impl ToJson for ReceivedOutput {
    fn write_json(&self, out: &mut String) {
        ReceivedParts {
            status: self.status,
            headers: &self.headers,
        }
        .write_json(out);
    }
}

/// `error`, its parts borrowed.
pub(super) struct ErrorParts<'a> {
    pub kind: &'a str,
    pub stage: &'a str,
    pub message: &'a str,
    pub fix: &'a str,
    pub failed_parameter: Option<&'a str>,
}

impl ToJson for ErrorParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("kind"), self.kind)
            .field(key!("stage"), self.stage)
            .field(key!("message"), self.message)
            .field(key!("fix"), self.fix)
            .field_if(
                self.failed_parameter.is_some(),
                key!("failed_parameter"),
                &self.failed_parameter,
            )
            .end();
    }
}

impl ToJson for ErrorOutput {
    fn write_json(&self, out: &mut String) {
        ErrorParts {
            kind: self.kind,
            stage: self.stage,
            message: &self.message,
            fix: &self.fix,
            failed_parameter: self.failed_parameter.as_deref(),
        }
        .write_json(out);
    }
}

/// `warnings[]`, its parts borrowed.
pub(super) struct WarningParts<'a> {
    pub kind: &'a str,
    pub message: &'a str,
}

impl ToJson for WarningParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("kind"), self.kind)
            .field(key!("message"), self.message)
            .end();
    }
}

impl ToJson for WarningOutput {
    fn write_json(&self, out: &mut String) {
        WarningParts {
            kind: self.kind,
            message: &self.message,
        }
        .write_json(out);
    }
}

/// `response`, its parts borrowed.
pub(super) struct ResponseParts<'a> {
    pub type_: &'a str,
    pub status: u16,
    pub headers: &'a dyn ToJson,
    pub url: &'a str,
    pub redirected: bool,
}

impl ToJson for ResponseParts<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("type"), self.type_)
            .field(key!("status"), &self.status)
            .field(key!("headers"), self.headers)
            .field(key!("url"), self.url)
            .field(key!("redirected"), &self.redirected)
            .end();
    }
}

impl ToJson for ResponseOutput {
    fn write_json(&self, out: &mut String) {
        ResponseParts {
            type_: self.type_,
            status: self.status,
            headers: &self.headers,
            url: &self.url,
            redirected: self.redirected,
        }
        .write_json(out);
    }
}

/// `trace[]`: a step of the engine's trace and of an [`Output`]'s, the same three fields.
macro_rules! trace_to_json {
    ($($step:ty),*) => {
        $(
            impl ToJson for $step {
                fn write_json(&self, out: &mut String) {
                    ObjectWriter::new(out)
                        .field(key!("algorithm"), self.algorithm)
                        .field(key!("anchor"), self.anchor)
                        .field(key!("note"), &self.note)
                        .end();
                }
            }
        )*
    };
}

trace_to_json!(TraceOutput, TraceStep);

impl ToJson for CheckOutput {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field(key!("verdict"), self.verdict)
            .field(key!("error"), &self.error)
            .field(key!("warnings"), &self.warnings)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn every_u16_is_written_as_serde_json_writes_it() {
        for number in 0..=u16::MAX {
            assert_eq!(number.to_json(), serde_json::to_string(&number).unwrap());
        }
    }

    #[test]
    fn every_ascii_character_is_escaped_as_serde_json_escapes_it() {
        for character in (0..=0x7F).map(char::from) {
            let text = alloc::format!("a{character}b{character}");
            assert_eq!(
                text.to_json(),
                serde_json::to_string(&text).unwrap(),
                "{character:?}"
            );
        }
    }

    /// A byte to escape at every place of texts of every length up to 24 (the whole-text check
    /// reads eight bytes at a time, and the last eight again for the rest).
    #[test]
    fn escapes_are_found_at_every_place() {
        for len in 0..24 {
            for place in 0..=len {
                for special in ['"', '\\', '\n', '\u{1f}'] {
                    let text: String = (0..len)
                        .map(|i| if i == place { special } else { 'é' })
                        .collect();
                    assert_eq!(text.to_json(), serde_json::to_string(&text).unwrap());
                    let text: String = (0..len)
                        .map(|i| if i == place { special } else { 'a' })
                        .collect();
                    assert_eq!(text.to_json(), serde_json::to_string(&text).unwrap());
                }
            }
        }
    }

    #[test]
    fn non_ascii_is_written_as_is() {
        let text = "é\u{7f}\u{2028}\u{2029}😀\u{FEFF}";
        assert_eq!(text.to_json(), alloc::format!("\"{text}\""));
    }

    #[test]
    fn keywords_are_written_as_their_serde_names() {
        assert_eq!(
            Mode::NoCors.to_json(),
            serde_json::to_string(&Mode::NoCors).unwrap()
        );
        assert_eq!(
            ProfileName::Webkit.to_json(),
            serde_json::to_string(&ProfileName::Webkit).unwrap()
        );
        assert_eq!(
            Credentials::SameOrigin.to_json(),
            serde_json::to_string(&Credentials::SameOrigin).unwrap()
        );
        assert_eq!(Redirect::Manual.to_json(), "\"manual\"");
        assert_eq!(Space::Loopback.to_json(), "\"loopback\"");
        assert_eq!(Permission::Granted.to_json(), "\"granted\"");
    }

    #[test]
    fn an_exchange_answered_from_the_cache_has_no_response_and_a_network_error_null() {
        let exchange = |response| ExchangeOutput {
            kind: "preflight",
            request: SentOutput {
                method: "OPTIONS".to_string(),
                url: "https://api.example/".to_string(),
                headers: alloc::vec![("Origin".to_string(), "https://app.example".to_string())],
                credentials: false,
            },
            response,
            from_cache: false,
        };
        for response in [
            None,
            Some(None),
            Some(Some(ReceivedOutput {
                status: 204,
                headers: Vec::new(),
            })),
        ] {
            let exchange = exchange(response);
            assert_eq!(
                exchange.to_json(),
                serde_json::to_string(&exchange).unwrap()
            );
        }
    }
}
