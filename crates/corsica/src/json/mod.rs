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
