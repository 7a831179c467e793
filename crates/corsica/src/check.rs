//! The [CORS check](https://fetch.spec.whatwg.org/#concept-cors-check), with each profile's way
//! of telling its failures apart.

use crate::error::ErrorKind;
use crate::header::HeaderList;
use crate::profile::{AllowOriginDuplicates, Profile};

/// `Access-Control-Allow-Origin`.
pub const ACAO: &str = "Access-Control-Allow-Origin";
/// `Access-Control-Allow-Credentials`.
pub const ACAC: &str = "Access-Control-Allow-Credentials";

/// Why a CORS check failed, with Chromium's hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckFailure {
    /// The kind, as for an actual response (the preflight variants are derived from it).
    pub kind: ErrorKind,
    /// The `Access-Control-Allow-Origin` or `…-Credentials` value at fault (`""` when absent).
    pub parameter: alloc::string::String,
}

/// The [CORS check](https://fetch.spec.whatwg.org/#concept-cors-check) of `headers` for a
/// request whose serialized origin is `origin`.
///
/// Every profile reaches the same pass or fail; they differ in which kind they report when
/// several things are wrong (browsers.md §4.1 and §5 row 8).
pub fn cors_check(
    headers: &HeaderList,
    origin: &str,
    include_credentials: bool,
    profile: &Profile,
) -> Result<(), CheckFailure> {
    let fail = |kind, parameter: &str| {
        Err(CheckFailure {
            kind,
            parameter: parameter.into(),
        })
    };

    firefox_allow_origin_lines(headers, profile)?;

    // Step 1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's
    // header list.
    // Step 2. If origin is null, then return failure.
    let Some(allow_origin) = headers.get(ACAO) else {
        return fail(ErrorKind::MissingAllowOriginHeader, "");
    };

    // Step 3. If request's credentials mode is not "include" and origin is `*`, return success.
    if allow_origin == "*" {
        if !include_credentials {
            return Ok(());
        }
        return fail(ErrorKind::WildcardOriginNotAllowed, "*");
    }

    // Step 4. If the result of byte-serializing a request origin with request is not origin,
    // then return failure.
    if allow_origin != origin {
        return fail(mismatch_kind(&allow_origin, profile), &allow_origin);
    }

    // Step 5. If request's credentials mode is not "include", then return success.
    if !include_credentials {
        return Ok(());
    }

    // Step 6. Let credentials be the result of getting `Access-Control-Allow-Credentials`.
    // Step 7. If credentials is `true`, then return success. Step 8. Return failure.
    match headers.get(ACAC) {
        Some(credentials) if credentials == "true" => Ok(()),
        credentials => fail(
            ErrorKind::InvalidAllowCredentials,
            credentials.as_deref().unwrap_or(""),
        ),
    }
}

/// Firefox counts `Access-Control-Allow-Origin` lines (other profiles pass through), on a
/// preflight and on an actual response alike: `CheckOriginHeader` in
/// [`nsCORSListenerProxy.cpp`](https://searchfox.org/mozilla-central/source/netwerk/protocol/http/nsCORSListenerProxy.cpp)
/// visits the header lines with their names as received and counts those that equal
/// `Access-Control-Allow-Origin` **case-sensitively**; a second one is "multiple". Lines whose
/// name is written in any other case are not counted: they are joined with the rest (`a, b`)
/// and fail, when they do, as a mismatch of the joined value (observed in the oracle's
/// recordings, e.g. gen-2-1421 and gen-2-1757).
fn firefox_allow_origin_lines(headers: &HeaderList, profile: &Profile) -> Result<(), CheckFailure> {
    if profile.allow_origin_duplicates != AllowOriginDuplicates::HeaderLines {
        return Ok(());
    }
    let counted = headers.iter().filter(|h| h.name == ACAO).count();
    if counted < 2 {
        return Ok(());
    }
    Err(CheckFailure {
        kind: ErrorKind::MultipleAllowOriginValues,
        parameter: headers.get(ACAO).unwrap_or_default().into(),
    })
}

/// The kind for an `Access-Control-Allow-Origin` that is present but not the origin.
fn mismatch_kind(value: &str, profile: &Profile) -> ErrorKind {
    match profile.allow_origin_duplicates {
        // Chromium (`CheckAccess`): a space or comma → multiple; `null` → mismatch; not a valid
        // URL → invalid; otherwise → mismatch.
        AllowOriginDuplicates::JoinedValue => {
            if value.contains([' ', ',']) {
                ErrorKind::MultipleAllowOriginValues
            } else if value == "null" || crate::url::Url::parse(value).is_ok() {
                ErrorKind::AllowOriginMismatch
            } else {
                ErrorKind::InvalidAllowOriginValue
            }
        }
        // WebKit: a comma → "cannot contain more than one origin"; otherwise not allowed.
        AllowOriginDuplicates::JoinedComma if value.contains(',') => {
            ErrorKind::MultipleAllowOriginValues
        }
        // Firefox (and WebKit without a comma): a mismatch.
        AllowOriginDuplicates::JoinedComma | AllowOriginDuplicates::HeaderLines => {
            ErrorKind::AllowOriginMismatch
        }
    }
}

/// The preflight variant of a CORS-check kind (`MissingAllowOriginHeader` →
/// `PreflightMissingAllowOriginHeader`).
pub const fn preflight_kind(kind: ErrorKind) -> ErrorKind {
    match kind {
        ErrorKind::WildcardOriginNotAllowed => ErrorKind::PreflightWildcardOriginNotAllowed,
        ErrorKind::MissingAllowOriginHeader => ErrorKind::PreflightMissingAllowOriginHeader,
        ErrorKind::MultipleAllowOriginValues => ErrorKind::PreflightMultipleAllowOriginValues,
        ErrorKind::InvalidAllowOriginValue => ErrorKind::PreflightInvalidAllowOriginValue,
        ErrorKind::AllowOriginMismatch => ErrorKind::PreflightAllowOriginMismatch,
        ErrorKind::InvalidAllowCredentials => ErrorKind::PreflightInvalidAllowCredentials,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "https://app.example";

    fn check(
        headers: &[(&str, &str)],
        credentials: bool,
        profile: &Profile,
    ) -> Result<(), ErrorKind> {
        let list: HeaderList = headers.iter().copied().collect();
        cors_check(&list, ME, credentials, profile).map_err(|f| f.kind)
    }

    #[test]
    fn spec_steps() {
        let p = &Profile::SPEC;
        assert_eq!(check(&[(ACAO, ME)], false, p), Ok(()));
        assert_eq!(check(&[(ACAO, "*")], false, p), Ok(()));
        assert_eq!(
            check(&[], false, p),
            Err(ErrorKind::MissingAllowOriginHeader)
        );
        assert_eq!(
            check(&[(ACAO, "*")], true, p),
            Err(ErrorKind::WildcardOriginNotAllowed)
        );
        assert_eq!(
            check(&[(ACAO, ME)], true, p),
            Err(ErrorKind::InvalidAllowCredentials)
        );
        assert_eq!(check(&[(ACAO, ME), (ACAC, "true")], true, p), Ok(()));
        assert_eq!(
            check(&[(ACAO, ME), (ACAC, "TRUE")], true, p),
            Err(ErrorKind::InvalidAllowCredentials)
        );
        assert_eq!(
            check(&[(ACAO, ME), (ACAC, "true"), (ACAC, "true")], true, p),
            Err(ErrorKind::InvalidAllowCredentials)
        );
        assert_eq!(
            check(&[(ACAO, "https://app.example/")], false, p),
            Err(ErrorKind::AllowOriginMismatch)
        );
        assert_eq!(
            check(&[(ACAO, "app.example")], false, p),
            Err(ErrorKind::InvalidAllowOriginValue)
        );
        assert_eq!(
            check(&[(ACAO, ME), (ACAO, ME)], false, p),
            Err(ErrorKind::MultipleAllowOriginValues)
        );
        assert_eq!(
            check(&[(ACAO, "null")], false, p),
            Err(ErrorKind::AllowOriginMismatch)
        );
    }

    #[test]
    fn duplicate_allow_origin_per_engine() {
        let one_line = [(ACAO, "https://app.example, https://b.example")];
        let two_lines = [(ACAO, ME), (ACAO, "https://b.example")];
        assert_eq!(
            check(&one_line, false, &Profile::FIREFOX),
            Err(ErrorKind::AllowOriginMismatch)
        );
        // Firefox: two lines named exactly `Access-Control-Allow-Origin` are "multiple", equal
        // or not; lines named in another case are joined and fail as a mismatch.
        assert_eq!(
            check(&two_lines, false, &Profile::FIREFOX),
            Err(ErrorKind::MultipleAllowOriginValues)
        );
        assert_eq!(
            check(&[(ACAO, ME), (ACAO, ME)], false, &Profile::FIREFOX),
            Err(ErrorKind::MultipleAllowOriginValues)
        );
        let lowercase = "access-control-allow-origin";
        assert_eq!(
            check(
                &[(lowercase, ME), (lowercase, ME)],
                false,
                &Profile::FIREFOX
            ),
            Err(ErrorKind::AllowOriginMismatch)
        );
        assert_eq!(
            check(&[(ACAO, ME), (lowercase, "*")], false, &Profile::FIREFOX),
            Err(ErrorKind::AllowOriginMismatch)
        );
        assert_eq!(
            check(&one_line, false, &Profile::WEBKIT),
            Err(ErrorKind::MultipleAllowOriginValues)
        );
        assert_eq!(
            check(&one_line, false, &Profile::CHROMIUM),
            Err(ErrorKind::MultipleAllowOriginValues)
        );
    }
}
