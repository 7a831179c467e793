//! Numbers: their grammar, their value as `serde_json` classes it, and the integer types of
//! the format.

use super::super::skim::integer_end;
use super::{Kind, Number, Reader, Result};

impl<'a> Reader<'a> {
    /// Reads a number; `expected` names the type wanted, for the problem when it is not one.
    pub(crate) fn number(&mut self, expected: &'static str) -> Result<(usize, Number<'a>)> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                Ok((start, self.number_value()?))
            }
            _ => Err(self.invalid_type(&expected)),
        }
    }

    /// Reads an unsigned 16-bit integer.
    pub(crate) fn u16(&mut self) -> Result<u16> {
        if let Some(n) = self.plain_u16() {
            return Ok(n);
        }
        let (start, number) = self.number("u16")?;
        match number {
            Number::Unsigned(n, _) if n <= u64::from(u16::MAX) => Ok(n as u16),
            Number::Unsigned(..) | Number::Negative(..) => Err(self.fail(
                start,
                format_args!("invalid value: {}, expected u16", Kind::Number(number)),
            )),
            Number::Float(..) => Err(self.fail(
                start,
                format_args!("invalid type: {}, expected u16", Kind::Number(number)),
            )),
        }
    }

    /// Reads a `u16` written as a plain integer (no sign, fraction or exponent) if one is next;
    /// otherwise reads nothing (but whitespace) and gives `None`, for the number to be read in
    /// full (and its problem, if any, worded).
    fn plain_u16(&mut self) -> Option<u16> {
        if self.peek()? == b'-' {
            return None;
        }
        let digits = &self.text.as_bytes()[self.at..integer_end(self.text.as_bytes(), self.at)?];
        let n = digits.iter().try_fold(0u16, |n, digit| {
            n.checked_mul(10)?.checked_add(u16::from(digit - b'0'))
        })?;
        self.at += digits.len();
        Some(n)
    }

    /// Reads a number as a 64-bit float.
    pub(crate) fn f64(&mut self) -> Result<f64> {
        Ok(match self.number("f64")?.1 {
            Number::Unsigned(n, _) => n as f64,
            Number::Negative(n, _) => n as f64,
            Number::Float(x, _) => x,
        })
    }

    /// Reads a number whose first byte (`-` or a digit) is next.
    pub(super) fn number_value(&mut self) -> Result<Number<'a>> {
        let start = self.at;
        let parts = self.number_grammar()?;
        let text = &self.text[start..self.at];
        if parts.fraction.is_empty() && parts.exponent.is_none() {
            // The digits' value, if it fits (`parse` without its sign and digit checks).
            let value = parts.integer.bytes().try_fold(0u64, |n, digit| {
                n.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
            });
            if let Some(n) = value {
                if !parts.negative {
                    return Ok(Number::Unsigned(n, text));
                }
                if let Some(n) = 0i64.checked_sub_unsigned(n) {
                    return Ok(Number::Negative(n, text));
                }
            }
        }
        let value = decimal(parts.integer, parts.fraction, parts.exponent.unwrap_or(0));
        if value.is_infinite() {
            return Err(self.fail(start, "number out of range"));
        }
        Ok(Number::Float(
            if parts.negative { -value } else { value },
            text,
        ))
    }

    /// Reads the text of a number whose first byte (`-` or a digit) is next, checking its
    /// grammar, and returns its parts.
    pub(super) fn number_grammar(&mut self) -> Result<NumberParts<'a>> {
        let (text, bytes, start) = (self.text, self.text.as_bytes(), self.at);
        let digits = |at: usize| {
            bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let negative = bytes[start] == b'-';
        let mut at = start + usize::from(negative);
        // The integer part: `0` or digits without a leading zero.
        let integer = digits(at);
        if integer == 0 || (bytes[at] == b'0' && integer > 1) {
            return Err(self.fail(start, "invalid number"));
        }
        let integer_at = at;
        at += integer;
        let mut fraction = &text[at..at];
        if bytes.get(at) == Some(&b'.') {
            let n = digits(at + 1);
            if n == 0 {
                return Err(self.fail(start, "invalid number"));
            }
            fraction = &text[at + 1..at + 1 + n];
            at += 1 + n;
        }
        let mut exponent = None;
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            let negative_exponent = bytes.get(at) == Some(&b'-');
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let n = digits(at);
            if n == 0 {
                return Err(self.fail(start, "invalid number"));
            }
            let value = text[at..at + n].parse::<i32>().unwrap_or(i32::MAX);
            exponent = Some(if negative_exponent { -value } else { value });
            at += n;
        }
        self.at = at;
        Ok(NumberParts {
            negative,
            integer: &text[integer_at..integer_at + integer],
            fraction,
            exponent,
        })
    }
}

/// A number's parts as written: `-`, the integer's digits, the fraction's, the exponent.
pub(super) struct NumberParts<'a> {
    negative: bool,
    integer: &'a str,
    fraction: &'a str,
    exponent: Option<i32>,
}

/// Exact powers of ten as `f64`.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of `integer.fraction × 10^exponent` (digits only). Exact (the nearest `f64`, as
/// any JSON reader gives) when the significant digits fit in 2^53 and the power of ten is at
/// most 22 (every time in seconds written by hand), and otherwise within a few units in the
/// last place: no table of large powers is carried for numbers the format never needs.
fn decimal(integer: &str, fraction: &str, exponent: i32) -> f64 {
    let mut significand = 0u64;
    // In 64 bits: the exponent and one step per digit never overflow it.
    let mut scale = i64::from(exponent);
    for (i, digit) in integer.bytes().chain(fraction.bytes()).enumerate() {
        if significand < 1_000_000_000_000_000_000 {
            significand = significand * 10 + u64::from(digit - b'0');
            if i >= integer.len() {
                scale -= 1;
            }
        } else if i < integer.len() {
            scale += 1;
        }
    }
    if significand == 0 {
        return 0.0;
    }
    let mut value = significand as f64;
    if significand >> 53 == 0 && scale.unsigned_abs() <= 22 {
        let power = POWERS_OF_TEN[scale.unsigned_abs() as usize];
        return if scale < 0 {
            value / power
        } else {
            value * power
        };
    }
    // Each step moves by up to 10^22: infinity or zero comes within a few dozen.
    while scale != 0 && value.is_finite() && value != 0.0 {
        let step = scale.unsigned_abs().min(22);
        if scale > 0 {
            value *= POWERS_OF_TEN[step as usize];
            scale -= step as i64;
        } else {
            value /= POWERS_OF_TEN[step as usize];
            scale += step as i64;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::decimal;

    /// The value of the text `number` as `decimal` reads it.
    fn read(number: &str) -> f64 {
        let (mantissa, exponent) = number.split_once('e').unwrap_or((number, "0"));
        let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        decimal(integer, fraction, exponent.parse().unwrap_or(i32::MAX))
    }

    #[test]
    fn times_written_by_hand_are_exact() {
        for text in [
            "0",
            "1",
            "0.1",
            "1.5",
            "2.25",
            "59.999",
            "3600",
            "86400.125",
            "1e12",
            "123.456",
            "0.000001",
            "9007199254740991",
            "4.5e3",
            "7e-3",
        ] {
            assert_eq!(read(text), text.parse::<f64>().unwrap(), "{text}");
        }
    }

    #[test]
    fn extreme_scales_end_at_zero_or_infinity() {
        assert_eq!(decimal("0", "", i32::MAX), 0.0);
        assert_eq!(decimal("0", "5", -i32::MAX), 0.0);
        assert_eq!(decimal("5", "", -i32::MAX), 0.0);
        assert_eq!(decimal("5", "", i32::MAX), f64::INFINITY);
        let long = "9".repeat(100_000);
        assert_eq!(decimal(&long, &long, -i32::MAX), 0.0);
        assert_eq!(decimal(&long, "", 0), f64::INFINITY);
        assert!((decimal("1", &"0".repeat(100_000), 0) - 1.0).abs() < 1e-15);
    }
}
