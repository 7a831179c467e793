//! The [scenario format](crate::scenario)'s JSON, read and written by the engine itself.
//!
//! The format is small and fixed (objects of known fields, arrays, strings, integers, booleans,
//! `null`, and two fields of seconds), so a reader and a writer made for it are a fraction of a
//! general JSON library's code, and faster: this is what keeps the npm package's `.wasm` small
//! and `corsica eval --jsonl` fast. [`ToJson`] writes the output objects byte for byte as
//! `serde_json` writes their `Serialize` form (the tests hold the two together).

use alloc::string::String;

use crate::scenario::InputError;

mod read;
mod reader;
mod write;

/// A value of the scenario format read from JSON text: the input objects ([`Scenario`],
/// [`RequestInput`], [`ResponseInput`], …) and their parts.
///
/// [`Scenario`]: crate::scenario::Scenario
/// [`RequestInput`]: crate::scenario::RequestInput
/// [`ResponseInput`]: crate::step::ResponseInput
pub trait FromJson: Sized {
    /// Reads `text` (one JSON value), naming the field of any problem: the error's path is the
    /// field (`request.headers[2][0]`), its problem ends with where the value starts (`at line
    /// 1 column 57`).
    fn from_json(text: &str) -> Result<Self, InputError>;
}

impl<T: read::Read> FromJson for T {
    fn from_json(text: &str) -> Result<Self, InputError> {
        let mut reader = reader::Reader::new(text);
        let value = T::read(&mut reader)?;
        reader.end()?;
        Ok(value)
    }
}

/// A value of the scenario format written as compact JSON.
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);

    /// The value's JSON.
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// The end of the run of string bytes from `at` that need no attention: the index of the first
/// `"`, `\` or control character, or the text's end. Eight bytes at a time while no such byte
/// is among them (a word's byte is zero where it matched, found by the usual borrow trick).
pub(crate) fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        let quote = word ^ u64::from_ne_bytes([b'"'; 8]);
        let backslash = word ^ u64::from_ne_bytes([b'\\'; 8]);
        // A byte below 0x20 borrows when 0x20 is taken from it.
        let control = word.wrapping_sub(u64::from_ne_bytes([0x20; 8])) & !word & HIGHS != 0;
        if has_zero(quote) || has_zero(backslash) || control {
            break;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}
