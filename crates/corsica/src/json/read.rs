//! Reading the scenario format's input objects, field by field as the format defines them
//! (unknown fields are refused, left-out fields take their defaults).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::IgnoredAny;

use super::reader::{Reader, Result};
use crate::scenario::{
    Credentials, HeaderPair, Mode, Permission, ProfileName, Redirect, RequestInput, Scenario,
    ServerRule, Space, default_request,
};
use crate::step::{BrowserOptions, CheckOptions, ResponseInput};

/// A type of the format, read from the reader's next value.
pub trait Read: Sized {
    /// Reads the next value as `Self`.
    fn read(r: &mut Reader<'_>) -> Result<Self>;
}

impl Read for String {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        match r.plain_string() {
            Some(text) => Ok(Self::from(text)),
            None => r.string().map(alloc::borrow::Cow::into_owned),
        }
    }
}

impl Read for bool {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        r.boolean()
    }
}

impl Read for u16 {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        r.u16()
    }
}

impl Read for f64 {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        r.f64()
    }
}

impl<T: Read> Read for Option<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        if r.null()? {
            Ok(None)
        } else {
            T::read(r).map(Some)
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut items = Self::new();
        r.array(&mut |r| {
            items.push(T::read(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl Read for HeaderPair {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        if let Some((name, value)) = r.plain_string_pair() {
            return Ok((String::from(name), String::from(value)));
        }
        let mut pair = (String::new(), String::new());
        r.tuple::<2>(&mut |r, i| {
            *(if i == 0 { &mut pair.0 } else { &mut pair.1 }) = String::read(r)?;
            Ok(())
        })?;
        Ok(pair)
    }
}

impl Read for IgnoredAny {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        r.skip().map(|()| Self)
    }
}

/// `one of "a", "b"` (`quote` around each keyword).
struct OneOf<T: 'static> {
    all: &'static [T],
    name: fn(T) -> &'static str,
    quote: char,
}

impl<T: Copy> fmt::Display for OneOf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of ")?;
        for (i, &keyword) in self.all.iter().enumerate() {
            let (q, name) = (self.quote, (self.name)(keyword));
            write!(f, "{}{q}{name}{q}", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }
}

/// How `serde` words a keyword it does not know.
#[derive(Clone, Copy)]
enum Keywords {
    /// A `dto_enum!`'s value (its own visitor): `invalid value: string "x", expected one of
    /// "a", "b"`.
    Values,
    /// A derived enum's variant: `unknown variant `x`, expected one of `a`, `b``.
    Variants,
}

/// Reads a keyword: one of `all`, spelled by `name`.
fn keyword<T: Copy>(
    r: &mut Reader<'_>,
    all: &'static [T],
    name: fn(T) -> &'static str,
    wording: Keywords,
) -> Result<T> {
    let one_of = OneOf {
        all,
        name,
        quote: match wording {
            Keywords::Values => '"',
            Keywords::Variants => '`',
        },
    };
    let (start, text) = r.string_for(&one_of)?;
    all.iter()
        .copied()
        .find(|&keyword| name(keyword) == text)
        .ok_or_else(|| match wording {
            Keywords::Values => r.fail(
                start,
                format_args!(
                    "invalid value: string {}, expected {one_of}",
                    super::reader::Quoted(&text)
                ),
            ),
            Keywords::Variants => r.fail(
                start,
                format_args!("unknown variant `{text}`, expected {one_of}"),
            ),
        })
}

macro_rules! read_keywords {
    ($wording:ident: $($dto:ty),*) => {$(
        impl Read for $dto {
            fn read(r: &mut Reader<'_>) -> Result<Self> {
                keyword(r, Self::ALL, Self::as_str, Keywords::$wording)
            }
        }
    )*};
}

read_keywords!(Values: Mode, Credentials, Redirect, Space, Permission);
read_keywords!(Variants: ProfileName);

impl Read for RequestInput {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        const FIELDS: &[&str] = &[
            "origin",
            "page",
            "url",
            "method",
            "headers",
            "mode",
            "credentials",
            "redirect",
            "use_cors_preflight",
            "address_space",
            "target_address_space",
            "local_network_permission",
            "at",
            "body",
            "server",
        ];
        let mut input = default_request();
        let (mut origin, mut url) = (None, None);
        r.object("struct RequestInput", FIELDS, &mut |r, field| {
            match field {
                0 => origin = Some(String::read(r)?),
                1 => input.page = Read::read(r)?,
                2 => url = Some(String::read(r)?),
                3 => input.method = Read::read(r)?,
                4 => input.headers = Read::read(r)?,
                5 => input.mode = Read::read(r)?,
                6 => input.credentials = Read::read(r)?,
                7 => input.redirect = Read::read(r)?,
                8 => input.use_cors_preflight = Read::read(r)?,
                9 => input.address_space = Read::read(r)?,
                10 => input.target_address_space = Read::read(r)?,
                11 => input.local_network_permission = Read::read(r)?,
                12 => input.at = Read::read(r)?,
                13 => input.body = Read::read(r)?,
                _ => input.server = Read::read(r)?,
            }
            Ok(())
        })?;
        input.origin = origin.ok_or_else(|| r.missing("origin"))?;
        input.url = url.ok_or_else(|| r.missing("url"))?;
        Ok(input)
    }
}

impl Read for ServerRule {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        const FIELDS: &[&str] = &[
            "method",
            "url",
            "preflight",
            "status",
            "headers",
            "address_space",
            "body",
            "delay",
            "reason",
        ];
        let mut rule = Self {
            method: None,
            url: None,
            preflight: None,
            status: 0,
            headers: Vec::new(),
            address_space: None,
            body: None,
            delay: None,
            reason: None,
        };
        let mut status = None;
        r.object("struct ServerRule", FIELDS, &mut |r, field| {
            match field {
                0 => rule.method = Read::read(r)?,
                1 => rule.url = Read::read(r)?,
                2 => rule.preflight = Read::read(r)?,
                3 => status = Some(u16::read(r)?),
                4 => rule.headers = Read::read(r)?,
                5 => rule.address_space = Read::read(r)?,
                6 => rule.body = Read::read(r)?,
                7 => rule.delay = Read::read(r)?,
                _ => rule.reason = Read::read(r)?,
            }
            Ok(())
        })?;
        rule.status = status.ok_or_else(|| r.missing("status"))?;
        Ok(rule)
    }
}

impl Read for Scenario {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        const FIELDS: &[&str] = &[
            "id", "profile", "request", "requests", "server", "tags", "trace", "source", "expected",
        ];
        let mut scenario = Self::default();
        r.object("struct Scenario", FIELDS, &mut |r, field| {
            match field {
                0 => scenario.id = Read::read(r)?,
                1 => scenario.profile = Read::read(r)?,
                2 => scenario.request = Read::read(r)?,
                3 => scenario.requests = Read::read(r)?,
                4 => scenario.server = Read::read(r)?,
                5 => scenario.tags = Read::read(r)?,
                6 => scenario.trace = Read::read(r)?,
                7 => scenario.source = Read::read(r)?,
                _ => scenario.expected = Read::read(r)?,
            }
            Ok(())
        })?;
        Ok(scenario)
    }
}

impl Read for ResponseInput {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut status, mut headers) = (None, Vec::new());
        r.object(
            "struct ResponseInput",
            &["status", "headers"],
            &mut |r, field| {
                match field {
                    0 => status = Some(u16::read(r)?),
                    _ => headers = Read::read(r)?,
                }
                Ok(())
            },
        )?;
        Ok(Self {
            status: status.ok_or_else(|| r.missing("status"))?,
            headers,
        })
    }
}

impl Read for CheckOptions {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut options = Self::default();
        r.object(
            "struct CheckOptions",
            &["preflight", "profile"],
            &mut |r, field| {
                match field {
                    0 => options.preflight = Read::read(r)?,
                    _ => options.profile = Read::read(r)?,
                }
                Ok(())
            },
        )?;
        Ok(options)
    }
}

impl Read for BrowserOptions {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut options = Self::default();
        r.object("struct BrowserOptions", &["trace"], &mut |r, _| {
            options.trace = Read::read(r)?;
            Ok(())
        })?;
        Ok(options)
    }
}
