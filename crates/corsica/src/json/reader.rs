//! The JSON reader: RFC 8259 text, read straight into the scenario format's types; a problem
//! names its field (`request.headers[2][0]`), the path gathered as the problem returns through
//! the containers around it (nothing is kept for the values that read well).
//!
//! Problems are worded as `serde_json` and `serde` word them (`invalid type: integer `1`,
//! expected a string`, `unknown field `methd`, expected one of …`, `EOF while parsing a list`),
//! and name the same field as `serde_path_to_error` (`tests/json_read.rs` holds them together),
//! followed by where in the text (` at line 1 column 57`, counting characters): the start of a
//! value of the wrong type, or the character where the text stops being JSON.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use super::plain_run;
use super::skim::plain_value_end;
use crate::scenario::InputError;

mod number;

/// The result of reading.
pub(crate) type Result<T> = core::result::Result<T, Problem>;

/// A problem found while reading: an [`InputError`] whose path [`Reader::named`] fills in,
/// boxed so that a result is returned in registers.
pub struct Problem(Box<InputError>);

/// One step of a field's path.
enum Segment<'a> {
    /// An object's field.
    Key(Cow<'a, str>),
    /// An array's item.
    Index(usize),
}

/// A number as written: its value as `serde_json` classes it, and its text (for messages).
pub(crate) enum Number<'a> {
    /// A non-negative integer that fits in 64 bits.
    Unsigned(u64, &'a str),
    /// A negative integer that fits in 64 bits.
    Negative(i64, &'a str),
    /// Anything else: a fraction, an exponent, or an integer too large.
    Float(f64, &'a str),
}

/// What a value is, for `invalid type` problems.
enum Kind<'a> {
    Null,
    Boolean(bool),
    Number(Number<'a>),
    Text(Cow<'a, str>),
    Sequence,
    Map,
}

impl fmt::Display for Kind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Boolean(b) => write!(f, "boolean `{b}`"),
            Self::Number(Number::Unsigned(_, text) | Number::Negative(_, text)) => {
                write!(f, "integer `{text}`")
            }
            Self::Number(Number::Float(_, text)) => write!(f, "floating point `{text}`"),
            Self::Text(text) => write!(f, "string {}", Quoted(text)),
            Self::Sequence => f.write_str("sequence"),
            Self::Map => f.write_str("map"),
        }
    }
}

pub(crate) use crate::quoted::Quoted;

/// A JSON text being read.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    /// The path of the problem being returned, innermost segment first: each container adds
    /// its own as the problem leaves it.
    unwound: Vec<Segment<'a>>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub(crate) const fn new(text: &'a str) -> Self {
        Self {
            text,
            at: 0,
            unwound: Vec::new(),
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.fail(self.at, "trailing characters")),
        }
    }

    /// The input error of `problem` (returned by the reading), named with the path the
    /// containers gave it on its way out.
    pub(crate) fn named(&mut self, problem: Problem) -> InputError {
        let mut path = String::new();
        for segment in self.unwound.drain(..).rev() {
            match segment {
                Segment::Key(key) if path.is_empty() => path.push_str(&key),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(&key);
                }
                Segment::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
        }
        let mut error = *problem.0;
        error.path = path;
        error
    }

    /// `result`, whose problem (if any) gets `segment` in front of its path: the value read
    /// was the container's item or field `segment`.
    fn within<T>(&mut self, segment: impl FnOnce() -> Segment<'a>, result: Result<T>) -> Result<T> {
        if result.is_err() {
            self.unwound.push(segment());
        }
        result
    }

    /// The problem `problem` with the value that starts at byte `at` (its path is added by
    /// [`Reader::named`]).
    pub(crate) fn fail(&self, at: usize, problem: impl fmt::Display) -> Problem {
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Problem(Box::new(InputError {
            path: String::new(),
            problem: alloc::format!("{problem} at line {line} column {column}"),
        }))
    }

    /// The next byte that is not whitespace, left unread.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        loop {
            let b = *bytes.get(self.at)?;
            // Every byte above the space is not whitespace: one comparison in the common case.
            if b > b' ' || !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.at += 1;
        }
    }

    /// Reads the byte `peek` gave.
    const fn bump(&mut self) {
        self.at += 1;
    }

    /// Whether the next value is `null`; reads it if so.
    pub(crate) fn null(&mut self) -> Result<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    /// Reads the literal `word` (`true`, `false`, `null`), whose first byte is next.
    fn literal(&mut self, word: &str) -> Result<()> {
        let start = self.at;
        let rest = &self.text.as_bytes()[start..];
        let matched = rest
            .iter()
            .zip(word.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        self.at += matched;
        if matched == word.len() {
            Ok(())
        } else if self.at == self.text.len() {
            Err(self.fail(self.at, "EOF while parsing a value"))
        } else {
            Err(self.fail(start, "expected ident"))
        }
    }

    /// The problem for a value that is not what `expected` names.
    fn invalid_type(&mut self, expected: &dyn fmt::Display) -> Problem {
        let start = self.at;
        match self.kind() {
            Ok(kind) => self.fail(
                start,
                format_args!("invalid type: {kind}, expected {expected}"),
            ),
            Err(error) => error,
        }
    }

    /// What the next value is (reading a scalar, not a container).
    fn kind(&mut self) -> Result<Kind<'a>> {
        let start = self.at;
        Ok(match self.peek() {
            None => return Err(self.fail(self.at, "EOF while parsing a value")),
            Some(b'n') => {
                self.literal("null")?;
                Kind::Null
            }
            Some(b't') => {
                self.literal("true")?;
                Kind::Boolean(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                Kind::Boolean(false)
            }
            Some(b'"') => Kind::Text(self.string_value()?),
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number_value()?),
            Some(b'[') => Kind::Sequence,
            Some(b'{') => Kind::Map,
            Some(_) => return Err(self.fail(start, "expected value")),
        })
    }

    /// Reads a boolean.
    pub(crate) fn boolean(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.invalid_type(&"a boolean")),
        }
    }

    /// Reads a string.
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>> {
        self.string_for(&"a string").map(|(_, text)| text)
    }

    /// Reads a string, and where it starts; `expected` names what is wanted, for the problem
    /// when the value is not a string.
    pub(crate) fn string_for(
        &mut self,
        expected: &dyn fmt::Display,
    ) -> Result<(usize, Cow<'a, str>)> {
        match self.peek() {
            Some(b'"') => {
                let start = self.at;
                Ok((start, self.string_value()?))
            }
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// Reads an array, calling `item` for each item (with its index on the path).
    ///
    /// The callbacks of `array`, `tuple` and `object` are `dyn`: one copy of each loop serves
    /// every type of the format, which keeps the `.wasm` small.
    pub(crate) fn array(&mut self, item: &mut dyn FnMut(&mut Self) -> Result<()>) -> Result<()> {
        if self.peek() != Some(b'[') {
            return Err(self.invalid_type(&"a sequence"));
        }
        self.bump();
        let mut index = 0;
        loop {
            match self.peek() {
                Some(b']') if index == 0 => break,
                Some(b']') => return Err(self.fail(self.at, "trailing comma")),
                None => return Err(self.fail(self.at, eof_after_open(index == 0, "list"))),
                Some(_) => {}
            }
            let read = item(self);
            self.within(|| Segment::Index(index), read)?;
            index += 1;
            if !self.next_item(false)? {
                break;
            }
        }
        self.bump();
        Ok(())
    }

    /// Reads an array of exactly `N` items, calling `item` for each (a tuple, in `serde`'s
    /// words).
    pub(crate) fn tuple<const N: usize>(
        &mut self,
        item: &mut dyn FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<()> {
        if self.peek() != Some(b'[') {
            return Err(self.invalid_type(&format_args!("a tuple of size {N}")));
        }
        let start = self.at;
        self.bump();
        for index in 0..N {
            if index > 0 {
                match self.peek() {
                    Some(b',') => {
                        self.bump();
                        if self.peek() == Some(b']') {
                            return Err(self.fail(self.at, "trailing comma"));
                        }
                    }
                    Some(b']') => {}
                    None => return Err(self.fail(self.at, "EOF while parsing a list")),
                    Some(_) => return Err(self.fail(self.at, "expected `,` or `]`")),
                }
            }
            match self.peek() {
                Some(b']') => {
                    return Err(self.fail(
                        start,
                        format_args!("invalid length {index}, expected a tuple of size {N}"),
                    ));
                }
                None => return Err(self.fail(self.at, eof_after_open(index == 0, "list"))),
                Some(_) => {}
            }
            let read = item(self, index);
            self.within(|| Segment::Index(index), read)?;
        }
        match self.peek() {
            Some(b']') => self.bump(),
            None => return Err(self.fail(self.at, "EOF while parsing a list")),
            Some(b',') => {
                self.bump();
                let problem = match self.peek() {
                    Some(b']') => "trailing comma",
                    _ => "trailing characters",
                };
                return Err(self.fail(self.at, problem));
            }
            Some(_) => return Err(self.fail(self.at, "trailing characters")),
        }
        Ok(())
    }

    /// Reads an array of two strings when it is plain (`["name","value"]`: no escape in the
    /// strings); otherwise reads nothing and gives `None`, for [`Reader::tuple`] to read the
    /// value (and name its problem, if it has one).
    pub(crate) fn plain_string_pair(&mut self) -> Option<(&'a str, &'a str)> {
        let start = self.at;
        let pair = self.plain_string_pair_from_here();
        if pair.is_none() {
            self.at = start;
        }
        pair
    }

    fn plain_string_pair_from_here(&mut self) -> Option<(&'a str, &'a str)> {
        self.plain_byte(b'[')?;
        let first = self.plain_string()?;
        self.plain_byte(b',')?;
        let second = self.plain_string()?;
        self.plain_byte(b']')?;
        Some((first, second))
    }

    /// Reads `byte` if it is next.
    fn plain_byte(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.bump())
    }

    /// Reads a string without escapes if one is next; otherwise reads nothing (but
    /// whitespace) and gives `None`.
    pub(crate) fn plain_string(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let end = plain_run(self.text.as_bytes(), start);
        self.text.as_bytes().get(end).filter(|&&b| b == b'"')?;
        self.at = end + 1;
        Some(&self.text[start..end])
    }

    /// Reads an object of the named fields, calling `field` with the index in `fields` of each
    /// field present (its name on the path). `expected` names the object (`struct
    /// RequestInput`). An unknown or repeated field is a problem.
    pub(crate) fn object(
        &mut self,
        expected: &'static str,
        fields: &'static [&'static str],
        field: &mut dyn FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<()> {
        if self.peek() != Some(b'{') {
            return Err(self.invalid_type(&expected));
        }
        self.bump();
        let mut seen = 0u64;
        let mut first = true;
        loop {
            match self.peek() {
                Some(b'}') if first => break,
                Some(b'}') => return Err(self.fail(self.at, "trailing comma")),
                Some(b'"') => {}
                None => return Err(self.fail(self.at, eof_after_open(first, "object"))),
                Some(_) => return Err(self.fail(self.at, "key must be a string")),
            }
            first = false;
            let key_at = self.at;
            let key = match self.plain_string() {
                Some(key) => Cow::Borrowed(key),
                None => self.string_value()?,
            };
            let Some(index) = fields.iter().position(|name| **name == *key) else {
                self.unwound.push(Segment::Key(key.clone()));
                return Err(self.fail(key_at, UnknownField { key: &key, fields }));
            };
            if seen & (1 << index) != 0 {
                return Err(self.fail(key_at, format_args!("duplicate field `{key}`")));
            }
            seen |= 1 << index;
            self.colon()?;
            let read = field(self, index);
            self.within(|| Segment::Key(Cow::Borrowed(fields[index])), read)?;
            if !self.next_item(true)? {
                break;
            }
        }
        self.bump();
        Ok(())
    }

    /// The problem of a required field left out of the object just read.
    pub(crate) fn missing(&self, name: &str) -> Problem {
        self.fail(self.at, format_args!("missing field `{name}`"))
    }

    /// Reads any value and forgets it (`serde`'s `IgnoredAny`), without recursion: however deep
    /// the value nests, the stack does not grow (the containers open are a list on the heap, no
    /// longer than the text).
    ///
    /// Strings and numbers are checked for their grammar only (lone surrogates and numbers out
    /// of range pass), as `serde_json` skips them.
    pub(crate) fn skip(&mut self) -> Result<()> {
        // The common case, a plain value, in one pass.
        if let Some(end) = plain_value_end(self.text.as_bytes(), self.at) {
            self.at = end;
            return Ok(());
        }
        self.skip_any()
    }

    /// [`Reader::skip`] for any value, token by token.
    fn skip_any(&mut self) -> Result<()> {
        // The containers open, innermost last: `true` for an object.
        let mut open: Vec<bool> = Vec::new();
        loop {
            // A value.
            match self.peek() {
                Some(b'[') => {
                    self.bump();
                    match self.peek() {
                        Some(b']') => self.bump(),
                        None => return Err(self.fail(self.at, "EOF while parsing a list")),
                        Some(_) => {
                            open.push(false);
                            continue;
                        }
                    }
                }
                Some(b'{') => {
                    self.bump();
                    if self.peek() == Some(b'}') {
                        self.bump();
                    } else {
                        self.key()?;
                        open.push(true);
                        continue;
                    }
                }
                _ => self.skip_scalar()?,
            }
            // What follows it, closing containers.
            loop {
                let Some(&in_object) = open.last() else {
                    return Ok(());
                };
                if self.next_item(in_object)? {
                    if in_object {
                        self.key()?;
                    }
                    break;
                }
                self.bump();
                open.pop();
            }
        }
    }

    /// Skips a string, number or literal.
    fn skip_scalar(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'-' | b'0'..=b'9') => self.number_grammar().map(drop),
            Some(b'n') => self.literal("null"),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            None => Err(self.fail(self.at, "EOF while parsing a value")),
            Some(_) => Err(self.fail(self.at, "expected value")),
        }
    }

    /// Skips a string whose `"` is next, checking its escapes' grammar only (as `serde_json`
    /// skips one).
    fn skip_string(&mut self) -> Result<()> {
        self.bump();
        let bytes = self.text.as_bytes();
        loop {
            self.at = plain_run(bytes, self.at);
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    // A `\u` escape's four digits alone: a surrogate half passes unpaired.
                    if bytes.get(self.at) == Some(&b'u') {
                        self.at += 1;
                        self.hex4()?;
                    } else {
                        self.escape()?;
                    }
                }
                Some(_) => return Err(self.control_character()),
                None => return Err(self.fail(self.at, "EOF while parsing a string")),
            }
        }
    }

    /// Reads an object's key and the `:` after it (when skipping).
    fn key(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => self.skip_string()?,
            None => return Err(self.fail(self.at, "EOF while parsing an object")),
            Some(_) => return Err(self.fail(self.at, "key must be a string")),
        }
        self.colon()
    }

    /// What follows an array's item or an object's field (`in_object`): `true` past a `,`,
    /// `false` at the closing bracket (left unread).
    fn next_item(&mut self, in_object: bool) -> Result<bool> {
        let close = if in_object { b'}' } else { b']' };
        match self.peek() {
            Some(b',') => {
                self.bump();
                Ok(true)
            }
            Some(b) if b == close => Ok(false),
            None if in_object => Err(self.fail(self.at, "EOF while parsing an object")),
            None => Err(self.fail(self.at, "EOF while parsing a list")),
            Some(_) if in_object => Err(self.fail(self.at, "expected `,` or `}`")),
            Some(_) => Err(self.fail(self.at, "expected `,` or `]`")),
        }
    }

    /// Reads the `:` between an object's key and its value.
    fn colon(&mut self) -> Result<()> {
        match self.peek() {
            Some(b':') => {
                self.bump();
                Ok(())
            }
            None => Err(self.fail(self.at, "EOF while parsing an object")),
            Some(_) => Err(self.fail(self.at, "expected `:`")),
        }
    }

    /// Reads a string whose `"` is next: borrowed from the text unless it holds escapes.
    fn string_value(&mut self) -> Result<Cow<'a, str>> {
        // The common case: no escape.
        if let Some(text) = self.plain_string() {
            return Ok(Cow::Borrowed(text));
        }
        self.bump();
        let bytes = self.text.as_bytes();
        let mut owned = String::new();
        loop {
            let run = self.at;
            self.at = plain_run(bytes, self.at);
            owned.push_str(&self.text[run..self.at]);
            match bytes.get(self.at) {
                None => return Err(self.fail(self.at, "EOF while parsing a string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.escape()?;
                    owned.push(c);
                }
                Some(_) => return Err(self.control_character()),
            }
        }
    }

    fn control_character(&self) -> Problem {
        self.fail(
            self.at,
            "control character (\\u0000-\\u001F) found while parsing a string",
        )
    }

    /// Reads an escape after its `\`.
    fn escape(&mut self) -> Result<char> {
        let Some(&b) = self.text.as_bytes().get(self.at) else {
            return Err(self.fail(self.at, "EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.fail(self.at - 1, "invalid escape")),
        })
    }

    /// Reads the four hex digits of a `\u` escape, and a second escape for a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => {
                return Err(self.fail(self.at, "lone leading surrogate in hex escape"));
            }
            0xD800..=0xDBFF => {
                if self.text.as_bytes().get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.fail(self.at, "unexpected end of hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.fail(self.at, "lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or_else(|| self.fail(self.at, "invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u16> {
        let mut value = 0u16;
        for _ in 0..4 {
            let Some(&b) = self.text.as_bytes().get(self.at) else {
                return Err(self.fail(self.at, "EOF while parsing a string"));
            };
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.fail(self.at, "invalid escape")),
            };
            value = value * 16 + u16::from(digit);
            self.at += 1;
        }
        Ok(value)
    }
}

/// The problem of a text that ends in an array or object (`container`): after its opening
/// bracket, or after a comma, where a value is due.
const fn eof_after_open(opened: bool, container: &str) -> &str {
    if opened {
        match container.as_bytes() {
            b"list" => "EOF while parsing a list",
            _ => "EOF while parsing an object",
        }
    } else {
        "EOF while parsing a value"
    }
}

/// `unknown field `x`, expected …`, as `serde` words it.
struct UnknownField<'k> {
    key: &'k str,
    fields: &'static [&'static str],
}

impl fmt::Display for UnknownField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown field `{}`, ", self.key)?;
        match self.fields {
            [] => f.write_str("there are no fields"),
            [only] => write!(f, "expected `{only}`"),
            [first, second] => write!(f, "expected `{first}` or `{second}`"),
            fields => {
                f.write_str("expected one of ")?;
                for (i, name) in fields.iter().enumerate() {
                    write!(f, "{}`{name}`", if i == 0 { "" } else { ", " })?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, plain_value_end};

    /// A plain pair of strings reads as the general tuple reads it; anything else is left for
    /// the tuple, nothing read.
    #[test]
    fn plain_string_pairs_read_as_tuples_do() {
        for text in [
            r#"["Origin","https://a.example"]"#,
            r#" [ "a" , "" ] "#,
            r#"["é","\u0041"]"#,
            r#"["a\"b","c"]"#,
            r#"["a"]"#,
            r#"["a","b","c"]"#,
            r#"["a",1]"#,
            r#"["a","b""#,
            r#"{"a":"b"}"#,
            r#""ab""#,
            "[\"a\",\"b\tc\"]",
        ] {
            let mut reader = Reader::new(text);
            let Some((name, value)) = reader.plain_string_pair() else {
                assert_eq!(reader.at, 0, "{text}");
                continue;
            };
            let mut pair = alloc::vec::Vec::new();
            let mut tuple = Reader::new(text);
            assert!(
                tuple
                    .tuple::<2>(&mut |r, _| r.string().map(|s| pair.push(s)))
                    .is_ok(),
                "{text}"
            );
            assert_eq!((name, value), (&*pair[0], &*pair[1]), "{text}");
            assert_eq!(reader.at, tuple.at, "{text}");
        }
    }

    /// Whatever the one-pass skip accepts, the token-by-token skip accepts too, ending at the
    /// same byte: for values of every kind, every text they are cut to, and every text with one
    /// byte of them replaced.
    #[test]
    fn plain_values_are_skipped_as_any_value_is() {
        let values = [
            r#"{"verdict":"allowed","exchanges":[{"kind":"preflight","request":{"headers":[["Origin","https://a.example"]]},"from_cache":false}],"error":null,"status":204}"#,
            r#" [ 1 , -20 , 0 , true , false , null , "a\"b\\c\/\n\t" , { } , [ ] , { "k" : [ [ ] ] } ] "#,
            r#"{"a":1.5,"b":-0,"c":2e3,"d":"\u00e9","e":01,"f":"\x"}"#,
            "[\"tab\there\",\"line\nbreak\",\"é\"]",
            &"[".repeat(70),
            &alloc::format!("{}{}", "[".repeat(64), "]".repeat(64)),
            &alloc::format!("{}{}", "[".repeat(65), "]".repeat(65)),
            "1.5",
            "-12e+3",
            "0 ",
            "\"a\\u0041\"",
            "true",
            "false",
            "null",
        ];
        let specials = [
            "", " ", "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "t", "n", "x",
            "\n", "\u{1}",
        ];
        let mut texts = alloc::vec::Vec::new();
        for value in values {
            for (at, _) in value.char_indices() {
                texts.push(alloc::string::String::from(&value[..at]));
                let next = value[at..].chars().next().map_or(0, char::len_utf8);
                for special in specials {
                    texts.push(alloc::format!(
                        "{}{special}{}",
                        &value[..at],
                        &value[at + next..]
                    ));
                }
            }
            texts.push(alloc::string::String::from(value));
        }
        let mut accepted = 0;
        for text in &texts {
            if let Some(end) = plain_value_end(text.as_bytes(), 0) {
                let mut reader = Reader::new(text);
                assert!(reader.skip_any().is_ok(), "{text}");
                assert_eq!(reader.at, end, "{text}");
                accepted += 1;
            }
        }
        assert!(accepted > texts.len() / 10, "{accepted} of {}", texts.len());
    }
}
