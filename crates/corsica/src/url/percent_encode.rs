//! [Percent-encoded bytes](https://url.spec.whatwg.org/#percent-encoded-bytes): the
//! percent-encode sets the parser uses, [percent-encode](https://url.spec.whatwg.org/#string-percent-encode-after-encoding)
//! and [percent-decode](https://url.spec.whatwg.org/#percent-decode).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A percent-encode set: whether each byte is in it (every non-ASCII byte is).
pub(super) struct EncodeSet([bool; 256]);

impl EncodeSet {
    /// This set with `bytes` added.
    const fn add(&self, bytes: &[u8]) -> Self {
        let mut table = self.0;
        let mut i = 0;
        while i < bytes.len() {
            table[bytes[i] as usize] = true;
            i += 1;
        }
        Self(table)
    }

    /// Whether `byte` is in the set.
    pub(super) const fn contains(&self, byte: u8) -> bool {
        self.0[byte as usize]
    }
}

/// <https://url.spec.whatwg.org/#c0-control-percent-encode-set>
pub(super) const CONTROLS: &EncodeSet = &{
    let mut table = [true; 256];
    let mut byte = 0x20;
    while byte < 0x7F {
        table[byte] = false;
        byte += 1;
    }
    EncodeSet(table)
};

/// <https://url.spec.whatwg.org/#fragment-percent-encode-set>
pub(super) const FRAGMENT: &EncodeSet = &CONTROLS.add(b" \"<>`");

/// <https://url.spec.whatwg.org/#query-percent-encode-set>
pub(super) const QUERY: &EncodeSet = &CONTROLS.add(b" \"#<>");

/// <https://url.spec.whatwg.org/#special-query-percent-encode-set>
pub(super) const SPECIAL_QUERY: &EncodeSet = &QUERY.add(b"'");

/// <https://url.spec.whatwg.org/#path-percent-encode-set>
///
/// Note: deviates from the current standard as the `url` crate 2.5 does: `^` is not in it.
pub(super) const PATH: &EncodeSet = &FRAGMENT.add(b"#?{}");

/// <https://url.spec.whatwg.org/#userinfo-percent-encode-set>
pub(super) const USERINFO: &EncodeSet = &PATH.add(b"/:;=@[\\]^|");

/// Appends `input` to `out`, [percent-encoding](https://url.spec.whatwg.org/#percent-encode) the
/// bytes in `set` (a code point's UTF-8 bytes one by one).
pub(super) fn percent_encode(out: &mut String, input: &str, set: &EncodeSet) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = input.as_bytes();
    let mut i = 0;
    loop {
        // A run of bytes out of the set, copied at once: ASCII (every non-ASCII byte is in the
        // set), so its ends are character boundaries.
        let plain = i;
        while i < bytes.len() && !set.contains(bytes[i]) {
            i += 1;
        }
        if plain < i {
            out.push_str(&input[plain..i]);
        }
        let Some(&byte) = bytes.get(i) else {
            return;
        };
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xF)]));
        i += 1;
    }
}

/// [Percent-decodes](https://url.spec.whatwg.org/#percent-decode) `input`, borrowing it when it
/// has no `%XX`.
pub(super) fn percent_decode(input: &[u8]) -> Cow<'_, [u8]> {
    if !input.contains(&b'%') {
        return Cow::Borrowed(input);
    }
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    let mut out: Option<Vec<u8>> = None;
    while i < input.len() {
        let byte = input[i];
        let decoded = match (byte, input.get(i + 1), input.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match decoded {
            Some(decoded) => {
                out.get_or_insert_with(|| input[..i].to_vec()).push(decoded);
                i += 3;
            }
            None => {
                if let Some(out) = &mut out {
                    out.push(byte);
                }
                i += 1;
            }
        }
    }
    out.map_or(Cow::Borrowed(input), Cow::Owned)
}
