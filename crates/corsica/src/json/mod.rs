//! The [scenario format](crate::scenario)'s JSON, read and written by the engine itself.
//!
//! The format is small and fixed (objects of known fields, arrays, strings, integers, booleans,
//! `null`, and two fields of seconds), so a reader and a writer made for it are a fraction of a
//! general JSON library's code, and faster: this is what keeps the npm package's `.wasm` small
//! and `corsica eval --jsonl` fast. [`ToJson`] writes the output objects byte for byte as
//! `serde_json` writes their `Serialize` form (the tests hold the two together).

use alloc::string::String;

use crate::scenario::InputError;

pub(crate) use outcome::OutcomeJson;
pub(crate) use write::write_multi;

mod outcome;
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
/// a string: a `"`, a `\` or a control character. A byte below `n` (at most 0x80) leaves the
/// high bit of its place set in `w - n… & !w & 0x80…`; a borrow can set higher places too,
/// never a lower one, so the lowest bit set marks the first byte that matched. Flipping bit 1
/// of every byte turns `"` (0x22) into 0x20 and keeps the control characters below 0x20 (and
/// the space, 0x20, becomes 0x22): `"` and the control characters are the bytes below 0x21
/// once flipped, and a `\` is the zero byte of `w ^ 0x5C…`. Flipping a low bit keeps the high
/// bits, so `!w` serves both.
pub(crate) const fn attention(word: u64) -> u64 {
    const fn each(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }
    ((word ^ each(0x02)).wrapping_sub(each(0x21)) | (word ^ each(b'\\')).wrapping_sub(each(0x01)))
        & !word
        & each(0x80)
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
#[inline(always)]
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
    use super::{attention, needs_attention, plain_run};

    /// Every byte at every place of a word filled with every byte: the lowest bit `attention`
    /// sets is the first byte that needs it.
    #[test]
    fn attention_marks_the_first_byte_that_needs_it() {
        for byte in 0..=u8::MAX {
            for filler in 0..=u8::MAX {
                for place in 0..8 {
                    let mut word = [filler; 8];
                    word[place] = byte;
                    let first = word.iter().position(|&b| needs_attention(b));
                    let matched = attention(u64::from_le_bytes(word));
                    let found = (matched != 0).then(|| (matched.trailing_zeros() / 8) as usize);
                    assert_eq!(found, first, "{word:?}");
                }
            }
        }
    }

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
                    for filler in [
                        b'a', 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff,
                    ] {
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
