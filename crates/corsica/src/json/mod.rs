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
mod skim;
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
        T::read(&mut reader)
            .and_then(|value| reader.end().map(|()| value))
            .map_err(|error| reader.named(error))
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

/// The high bits of the bytes of `word` (eight bytes read little-endian) that need attention in
/// a string: a `"`, a `\` or a control character. A byte equal to `b` leaves the high bit of
/// its place set in `(w ^ b…) - 0x01… & !(w ^ b…) & 0x80…` (a byte below 0x20 likewise in `w -
/// 0x20… & !w & 0x80…`); a borrow can set higher places too, never a lower one, so the lowest bit
/// set marks the first byte that matched.
pub(crate) const fn attention(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    const fn zero_bytes(word: u64) -> u64 {
        word.wrapping_sub(ONES) & !word & HIGHS
    }
    zero_bytes(word ^ u64::from_le_bytes([b'"'; 8]))
        | zero_bytes(word ^ u64::from_le_bytes([b'\\'; 8]))
        | word.wrapping_sub(u64::from_le_bytes([0x20; 8])) & !word & HIGHS
}

/// Whether `b` needs attention in a string (byte by byte, as [`attention`] finds it).
pub(crate) const fn needs_attention(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The eight bytes of `chunk` as a word, read little-endian.
pub(crate) fn word(chunk: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

/// The end of the run of string bytes from `at` that need no attention: the index of the first
/// `"`, `\` or control character, or the text's end. Eight bytes at a time ([`attention`]).
pub(crate) fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let matched = attention(word(chunk));
        if matched != 0 {
            return at + (matched.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if needs_attention(b) {
            break;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::plain_run;

    /// Every position of every byte that ends a run, in texts of every length up to 24, against
    /// the byte-by-byte answer.
    #[test]
    fn plain_runs_end_at_the_first_byte_that_needs_attention() {
        let slow = |bytes: &[u8], at: usize| {
            bytes[at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .map_or(bytes.len(), |i| at + i)
        };
        for len in 0..24 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for place in 0..=len {
                    for filler in [b'a', 0x20, 0x21, 0x5b, 0x7f, 0x80, 0xff] {
                        let mut bytes = alloc::vec![filler; len];
                        if place < len {
                            bytes[place] = special;
                        }
                        // A second special byte later changes nothing.
                        if place + 3 < len {
                            bytes[place + 3] = b'"';
                        }
                        for at in 0..=len {
                            assert_eq!(plain_run(&bytes, at), slow(&bytes, at), "{bytes:?} {at}");
                        }
                    }
                }
            }
        }
    }
}
