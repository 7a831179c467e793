//! [Hosts](https://url.spec.whatwg.org/#hosts-(domains-and-ip-addresses)): the host parser, the
//! IPv4 and IPv6 parsers and the host serializer.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};
use core::net::{Ipv4Addr, Ipv6Addr};

use super::ParseError;
use super::percent_encode::{CONTROLS, percent_decode, percent_encode};

/// A [host](https://url.spec.whatwg.org/#concept-host): a domain (or an opaque host), an IPv4
/// address or an IPv6 address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host<S = String> {
    /// A [domain](https://url.spec.whatwg.org/#concept-domain), ASCII after
    /// [domain to ASCII](https://url.spec.whatwg.org/#concept-domain-to-ascii) for special URLs,
    /// or an [opaque host](https://url.spec.whatwg.org/#opaque-host) (percent-encoded) for the
    /// others.
    Domain(S),
    /// An [IPv4 address](https://url.spec.whatwg.org/#concept-ipv4).
    Ipv4(Ipv4Addr),
    /// An [IPv6 address](https://url.spec.whatwg.org/#concept-ipv6).
    Ipv6(Ipv6Addr),
}

impl Host<&str> {
    /// This host, owning its domain.
    pub fn to_owned(&self) -> Host {
        match *self {
            Self::Domain(domain) => Host::Domain(domain.into()),
            Self::Ipv4(address) => Host::Ipv4(address),
            Self::Ipv6(address) => Host::Ipv6(address),
        }
    }
}

/// The [host serializer](https://url.spec.whatwg.org/#concept-host-serializer).
impl<S: AsRef<str>> fmt::Display for Host<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain(domain) => f.write_str(domain.as_ref()),
            Self::Ipv4(address) => write_ipv4(address, f),
            Self::Ipv6(address) => {
                f.write_char('[')?;
                write_ipv6(address, f)?;
                f.write_char(']')
            }
        }
    }
}

/// The [host parser](https://url.spec.whatwg.org/#concept-host-parser) with `isOpaque` false
/// (special URLs).
pub(super) fn parse_host(input: &str) -> Result<Host<Cow<'_, str>>, ParseError> {
    // Step 1. If input starts with U+005B ([), then: … return the result of IPv6 parsing input
    // (as the opaque-host parser does).
    if let Some(host) = bracketed_ipv6(input) {
        return host;
    }
    // Step 3. Let domain be the result of running UTF-8 decode without BOM on the
    // percent-decoding of input.
    let domain = percent_decode(input.as_bytes());
    // Step 5. Let asciiDomain be the result of running domain to ASCII with domain and false.
    let ascii = domain_to_ascii(domain)?;
    if ascii.is_empty() {
        return Err(ParseError::EmptyHost);
    }
    // Step 7. If asciiDomain ends in a number, then return the result of IPv4 parsing
    // asciiDomain.
    if ends_in_a_number(&ascii) {
        return parse_ipv4(&ascii).map(Host::Ipv4);
    }
    // Step 8. Return asciiDomain.
    Ok(Host::Domain(ascii))
}

/// Step 1 of both host parsers: an input that starts with U+005B ([) must end with U+005D (])
/// (else IPv6-unclosed validation error, failure), and is the IPv6 address between them. `None`
/// for any other input.
fn bracketed_ipv6<'i>(input: &str) -> Option<Result<Host<Cow<'i, str>>, ParseError>> {
    let inside = input.strip_prefix('[')?;
    Some(
        inside
            .strip_suffix(']')
            .ok_or(ParseError::InvalidIpv6Address)
            .and_then(parse_ipv6)
            .map(Host::Ipv6),
    )
}

/// What a domain's byte asks of [domain to ASCII](https://url.spec.whatwg.org/#concept-domain-to-ascii):
/// nothing, lowercasing, a look at its label (`-`, for `xn--`), or UTS 46 (non-ASCII, or a
/// [forbidden domain code point](https://url.spec.whatwg.org/#forbidden-domain-code-point) as
/// `idna`'s `AsciiDenyList::URL` has them, for its error).
const PLAIN: u8 = 0;
const UPPER: u8 = 1;
const HYPHEN: u8 = 2;
const UTS46: u8 = 4;
const DOMAIN_BYTES: [u8; 256] = {
    let mut table = [UTS46; 256];
    let mut byte = 0x21;
    while byte < 0x7F {
        table[byte] = match byte as u8 {
            b'A'..=b'Z' => UPPER,
            b'-' => HYPHEN,
            b'%' | b'#' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^'
            | b'|' => UTS46,
            _ => PLAIN,
        };
        byte += 1;
    }
    table
};

/// [Domain to ASCII](https://url.spec.whatwg.org/#concept-domain-to-ascii) with `beStrict`
/// false, through `idna`'s UTS 46 as the `url` crate calls it, after a fast path for ASCII
/// without `xn--` labels (which UTS 46 only lowercases, once no forbidden code point is in it).
fn domain_to_ascii(domain: Cow<'_, [u8]>) -> Result<Cow<'_, str>, ParseError> {
    let kinds = domain
        .iter()
        .fold(PLAIN, |kinds, &b| kinds | DOMAIN_BYTES[usize::from(b)]);
    let punycode = || {
        (domain.split(|&b| b == b'.'))
            .any(|label| label.len() >= 4 && label[..4].eq_ignore_ascii_case(b"xn--"))
    };
    if kinds & UTS46 != 0 || (kinds & HYPHEN != 0 && punycode()) {
        return idna::domain_to_ascii_from_cow(domain, idna::AsciiDenyList::URL)
            .map_err(|_| ParseError::IdnaError);
    }
    // ASCII only: valid UTF-8.
    let ascii = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap_or_default();
    Ok(match domain {
        Cow::Borrowed(bytes) if kinds & UPPER == 0 => {
            Cow::Borrowed(core::str::from_utf8(bytes).unwrap_or_default())
        }
        domain => Cow::Owned(ascii(domain.to_ascii_lowercase())),
    })
}

/// The [opaque-host parser](https://url.spec.whatwg.org/#concept-opaque-host-parser) (non-special
/// URLs).
pub(super) fn parse_opaque_host(input: &str) -> Result<Host<Cow<'_, str>>, ParseError> {
    // Step 1. If input starts with U+005B ([), then: … return the result of IPv6 parsing input.
    if let Some(host) = bracketed_ipv6(input) {
        return host;
    }
    // Step 2. If input contains a forbidden host code point, host-invalid-code-point validation
    // error, return failure.
    if input
        .bytes()
        .any(|b| b"\0\t\n\r #/:<>?@[\\]^|".contains(&b))
    {
        return Err(ParseError::InvalidDomainCharacter);
    }
    // Step 5. Return the result of running UTF-8 percent-encode on input using the C0 control
    // percent-encode set.
    if input.bytes().any(|b| CONTROLS.contains(b)) {
        let mut encoded = String::with_capacity(input.len() + 8);
        percent_encode(&mut encoded, input, CONTROLS);
        return Ok(Host::Domain(Cow::Owned(encoded)));
    }
    Ok(Host::Domain(Cow::Borrowed(input)))
}

/// The [ends in a number checker](https://url.spec.whatwg.org/#ends-in-a-number-checker).
fn ends_in_a_number(input: &str) -> bool {
    // Step 1. Let parts be the result of strictly splitting input on U+002E (.).
    // Step 2. If the last item in parts is the empty string, then: if parts's size is 1,
    // return false; remove the last item from parts.
    let input = input.strip_suffix('.').unwrap_or(input);
    if input.is_empty() {
        return false;
    }
    // Step 3. Let last be the last item in parts.
    let last = input.rsplit('.').next().unwrap_or(input);
    // Step 4. If last is non-empty and contains only ASCII digits, then return true.
    // Step 5. If parsing last as an IPv4 number does not return failure, then return true.
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || parse_ipv4_number(last).is_ok()
}

/// The [IPv4 number parser](https://url.spec.whatwg.org/#ipv4-number-parser): `Ok(None)` for a
/// number past `u32`.
fn parse_ipv4_number(input: &str) -> Result<Option<u32>, ()> {
    // Step 1. If input is the empty string, then return failure.
    if input.is_empty() {
        return Err(());
    }
    // Steps 2–4. The radix: 16 after `0x` or `0X`, 8 after a leading `0`, 10 otherwise.
    let (digits, radix) = if let Some(hex) = input.strip_prefix("0x").or(input.strip_prefix("0X")) {
        (hex, 16)
    } else if input.len() >= 2 && input.starts_with('0') {
        (&input[1..], 8)
    } else {
        (input, 10)
    };
    // Step 5. If input is the empty string, then return (0, true).
    if digits.is_empty() {
        return Ok(Some(0));
    }
    // Step 6. If input contains a code point that is not a radix-R digit, then return failure.
    if !digits.bytes().all(|b| char::from(b).is_digit(radix)) {
        return Err(());
    }
    // Step 7. Let output be the mathematical integer value that is represented by input in
    // radix-R notation.
    Ok(u32::from_str_radix(digits, radix).ok())
}

/// The [IPv4 parser](https://url.spec.whatwg.org/#concept-ipv4-parser).
fn parse_ipv4(input: &str) -> Result<Ipv4Addr, ParseError> {
    let invalid = ParseError::InvalidIpv4Address;
    // Steps 1–2. Split on U+002E (.), dropping a last empty part.
    let input = input.strip_suffix('.').unwrap_or(input);
    // Step 3. If parts's size is greater than 4, IPv4-too-many-parts validation error, return
    // failure.
    let mut numbers = [0u32; 4];
    let mut count = 0;
    for part in input.split('.') {
        // Step 5. For each part of parts: let result be the result of parsing part; if result
        // is failure, IPv4-non-numeric-part validation error, return failure.
        let number = parse_ipv4_number(part).map_err(|()| invalid)?;
        *numbers.get_mut(count).ok_or(invalid)? = number.ok_or(invalid)?;
        count += 1;
    }
    let (last, rest) = numbers[..count].split_last().ok_or(invalid)?;
    // Step 7. If any but the last item in numbers is greater than 255, then return failure.
    // Step 8. If the last item in numbers is greater than or equal to 256^(5 − numbers's size),
    // then return failure.
    if rest.iter().any(|&n| n > 255) || u64::from(*last) >> (8 * (4 - rest.len())) != 0 {
        return Err(invalid);
    }
    // Steps 9–12. ipv4 is the last item, plus each other item n at counter times 256^(3 − counter).
    let ipv4 = rest.iter().enumerate().fold(*last, |ipv4, (counter, &n)| {
        ipv4 + (n << (8 * (3 - counter)))
    });
    Ok(Ipv4Addr::from(ipv4))
}

/// The [IPv6 parser](https://url.spec.whatwg.org/#concept-ipv6-parser).
fn parse_ipv6(input: &str) -> Result<Ipv6Addr, ParseError> {
    let invalid = Err(ParseError::InvalidIpv6Address);
    let input = input.as_bytes();
    let len = input.len();
    // Step 1. Let address be a new IPv6 address whose IPv6 pieces are all 0.
    let mut pieces = [0u16; 8];
    // Step 2. Let pieceIndex be 0. Step 3. Let compress be null. Step 4. Let pointer be 0.
    let mut piece_index = 0;
    let mut compress = None;
    let mut i = 0;
    if len < 2 {
        return invalid;
    }
    // Step 5. If c is U+003A (:), then: if remaining does not start with U+003A (:),
    // IPv6-invalid-compression validation error, return failure; increase pointer by 2;
    // increase pieceIndex by 1 and then set compress to pieceIndex.
    if input[0] == b':' {
        if input[1] != b':' {
            return invalid;
        }
        i = 2;
        piece_index = 1;
        compress = Some(1);
    }
    // Step 6. While c is not the EOF code point:
    let mut ipv4 = false;
    while i < len {
        // Step 6.1. If pieceIndex is 8, IPv6-too-many-pieces validation error, return failure.
        if piece_index == 8 {
            return invalid;
        }
        // Step 6.2. If c is U+003A (:), then: if compress is non-null, return failure;
        // increase pointer and pieceIndex by 1, set compress to pieceIndex, and continue.
        if input[i] == b':' {
            if compress.is_some() {
                return invalid;
            }
            i += 1;
            piece_index += 1;
            compress = Some(piece_index);
            continue;
        }
        // Step 6.3. Let value and length be 0.
        // Step 6.4. While length is less than 4 and c is an ASCII hex digit, set value to
        // value × 0x10 + c interpreted as hexadecimal number, and increase pointer and length
        // by 1.
        let start = i;
        let mut value = 0u16;
        while i < len.min(start + 4) {
            let Some(digit) = char::from(input[i]).to_digit(16) else {
                break;
            };
            value = value * 0x10 + digit as u16;
            i += 1;
        }
        if i < len {
            match input[i] {
                // Step 6.5. If c is U+002E (.), then: if length is 0, return failure; decrease
                // pointer by length; if pieceIndex is greater than 6, return failure; set
                // numbersSeen to 0 (and parse the IPv4 part below).
                b'.' => {
                    if i == start || piece_index > 6 {
                        return invalid;
                    }
                    i = start;
                    ipv4 = true;
                    break;
                }
                // Step 6.6. Otherwise, if c is U+003A (:): increase pointer by 1; if c is the
                // EOF code point, IPv6-invalid-code-point validation error, return failure.
                b':' => {
                    i += 1;
                    if i == len {
                        return invalid;
                    }
                }
                // Step 6.7. Otherwise, if c is not the EOF code point, return failure.
                _ => return invalid,
            }
        }
        // Step 6.8. Set address[pieceIndex] to value. Step 6.9. Increase pieceIndex by 1.
        pieces[piece_index] = value;
        piece_index += 1;
    }
    if ipv4 {
        // Step 6.5.5. While c is not the EOF code point: the four decimal numbers of an IPv4
        // address, without leading zeros, none greater than 255.
        let mut numbers_seen = 0;
        while i < len {
            if numbers_seen > 0 {
                if numbers_seen < 4 && input[i] == b'.' {
                    i += 1;
                } else {
                    return invalid;
                }
            }
            let mut ipv4_piece: Option<u16> = None;
            while let Some(digit) = input.get(i).filter(|b| b.is_ascii_digit()) {
                let digit = u16::from(digit - b'0');
                ipv4_piece = match ipv4_piece {
                    None => Some(digit),
                    Some(0) => return invalid,
                    Some(v) if v * 10 + digit > 255 => return invalid,
                    Some(v) => Some(v * 10 + digit),
                };
                i += 1;
            }
            let Some(v) = ipv4_piece else {
                return invalid;
            };
            pieces[piece_index] = pieces[piece_index] * 0x100 + v;
            numbers_seen += 1;
            if numbers_seen == 2 || numbers_seen == 4 {
                piece_index += 1;
            }
        }
        if numbers_seen != 4 {
            return invalid;
        }
    }
    // Step 7. If compress is non-null, then: swap the pieces after compress to the end.
    // Step 8. Otherwise, if compress is null and pieceIndex is not 8, return failure.
    match compress {
        Some(compress) => {
            let moved = piece_index - compress;
            pieces.copy_within(compress..piece_index, 8 - moved);
            pieces[compress..8 - moved].fill(0);
        }
        None if piece_index != 8 => return invalid,
        None => {}
    }
    Ok(Ipv6Addr::from(pieces))
}

/// The [IPv6 serializer](https://url.spec.whatwg.org/#concept-ipv6-serializer): lowercase hex
/// pieces, the first longest run of two or more 0 pieces compressed to `::`.
fn write_ipv6(address: &Ipv6Addr, out: &mut dyn Write) -> fmt::Result {
    let pieces = address.segments();
    // Step 2. Let compress be the index of the first IPv6 piece in the first longest sequences
    // of address's IPv6 pieces that are 0 (null if there is no sequence longer than 1).
    let (mut compress, mut longest, mut run) = (8, 1, 0);
    for (i, &piece) in pieces.iter().enumerate() {
        run = if piece == 0 { run + 1 } else { 0 };
        if run > longest {
            (compress, longest) = (i + 1 - run, run);
        }
    }
    // Step 4. For each pieceIndex in the range 0 to 7, inclusive: …
    let mut i = 0;
    while i < 8 {
        if i == compress {
            out.write_str(if i == 0 { "::" } else { ":" })?;
            i += longest;
            continue;
        }
        write_number(out, pieces[i], 16)?;
        if i < 7 {
            out.write_char(':')?;
        }
        i += 1;
    }
    Ok(())
}

/// The [IPv4 serializer](https://url.spec.whatwg.org/#concept-ipv4-serializer): the four numbers
/// in decimal, joined by dots.
fn write_ipv4(address: &Ipv4Addr, out: &mut dyn Write) -> fmt::Result {
    for (i, number) in address.octets().into_iter().enumerate() {
        if i > 0 {
            out.write_char('.')?;
        }
        write_number(out, u16::from(number), 10)?;
    }
    Ok(())
}

/// `number` in `radix` (10, or 16 in lowercase), without leading zeros: by hand rather than
/// through `core::fmt`'s integer formatting, whose padding and radix code is larger.
fn write_number(out: &mut dyn Write, number: u16, radix: u16) -> fmt::Result {
    let mut digits = [0; 5];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b"0123456789abcdef"[usize::from(rest % radix)];
        rest /= radix;
        if rest == 0 {
            break;
        }
    }
    digits[at..]
        .iter()
        .try_for_each(|&digit| out.write_char(char::from(digit)))
}

/// Appends the [host serialization](https://url.spec.whatwg.org/#concept-host-serializer) of
/// `host` to `out`.
pub(super) fn serialize_host(out: &mut String, host: &Host<Cow<'_, str>>) {
    match host {
        Host::Domain(domain) => out.push_str(domain),
        // Writing to a String does not fail.
        _ => {
            let _ = write!(out, "{host}");
        }
    }
}
