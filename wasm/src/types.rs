//! The TypeScript declarations that tsify cannot derive: the string unions the engine writes as `&'static str`, and `CorsicaInputError`.

use wasm_bindgen::prelude::*;

/// Every `ErrorKind` name, in the engine's declaration order (a test checks it against the
/// engine's list).
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "read by the custom section below, which rustc does not see"
    )
)]
const ERROR_KINDS: &str = r#"
/** Why a fetch failed: the name of Chromium's `CorsError` value without its leading `k`, or a name in the same style. */
export type ErrorKind =
  | "DisallowedByMode"
  | "InvalidResponse"
  | "WildcardOriginNotAllowed"
  | "MissingAllowOriginHeader"
  | "MultipleAllowOriginValues"
  | "InvalidAllowOriginValue"
  | "AllowOriginMismatch"
  | "InvalidAllowCredentials"
  | "CorsDisabledScheme"
  | "PreflightInvalidStatus"
  | "PreflightDisallowedRedirect"
  | "PreflightWildcardOriginNotAllowed"
  | "PreflightMissingAllowOriginHeader"
  | "PreflightMultipleAllowOriginValues"
  | "PreflightInvalidAllowOriginValue"
  | "PreflightAllowOriginMismatch"
  | "PreflightInvalidAllowCredentials"
  | "InvalidAllowMethodsPreflightResponse"
  | "InvalidAllowHeadersPreflightResponse"
  | "MethodDisallowedByPreflightResponse"
  | "HeaderDisallowedByPreflightResponse"
  | "RedirectContainsCredentials"
  | "InsecureLocalNetwork"
  | "InvalidLocalNetworkAccess"
  | "LocalNetworkAccessPermissionDenied"
  | "PreflightMissingAllowPrivateNetwork"
  | "PreflightInvalidAllowPrivateNetwork"
  | "RequestDidNotSucceed"
  | "RedirectDisallowedByMode"
  | "TooManyRedirects"
  | "InvalidRedirectLocation"
  | "RedirectDisallowedScheme"
  | "ForbiddenMethod"
  | "InvalidMethod"
  | "InvalidHeaderName"
  | "InvalidHeaderValue"
  | "UrlContainsCredentials"
  | "BodyWithGetOrHead"
  | "NoCorsMethodNotSafelisted"
  | "NoCorsRedirectModeNotFollow"
  | "MixedContent"
  | "BadPort";
"#;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_KINDS_SECTION: &str = ERROR_KINDS;

/// The other unions the engine writes as `&'static str`, and `CorsicaInputError`.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "read by the custom section below, which rustc does not see"
    )
)]
const UNIONS: &str = r#"
/** How a request is classed before anything is sent. */
export type Classification = "same-origin" | "simple" | "preflight" | "no-cors" | "navigate" | "disallowed";
/** Where a fetch failed. */
export type Stage = "request" | "preflight" | "response" | "redirect";
/** What a warning is about. */
export type WarningKind =
  | "AuthorizationCoveredByWildcard"
  | "ForbiddenHeaderDropped"
  | "NoCorsHeaderDropped"
  | "MaxAgeCapped"
  | "MaxAgeInvalid"
  | "OpaqueResponse"
  | "LocalNetworkAccess";
/** `response.type` as the page's script sees it. */
export type ResponseType = "basic" | "cors" | "opaque" | "opaqueredirect";

/**
 * What every corsica function throws for input that does not fit the scenario format: a real
 * `Error` subclass. `path` names the field (`request.headers[2][0]`; `[3].request.url` in a batch;
 * empty for the value as a whole), `problem` says what is wrong.
 */
export class CorsicaInputError extends Error {
  constructor(path: string, problem: string);
  readonly name: "CorsicaInputError";
  readonly path: string;
  readonly problem: string;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const UNIONS_SECTION: &str = UNIONS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kind_union_lists_every_kind() {
        let listed: Vec<&str> = ERROR_KINDS
            .lines()
            .filter_map(|line| line.trim().strip_prefix("| \""))
            .map(|rest| rest.trim_end_matches([';', '"']))
            .collect();
        let kinds: Vec<&str> = corsica::ErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(listed, kinds, "update ERROR_KINDS in wasm/src/types.rs");
    }

    #[test]
    fn warning_kind_union_lists_every_kind() {
        use corsica::WarningKind as W;
        for kind in [
            W::AuthorizationCoveredByWildcard,
            W::ForbiddenHeaderDropped,
            W::NoCorsHeaderDropped,
            W::MaxAgeCapped,
            W::MaxAgeInvalid,
            W::OpaqueResponse,
            W::LocalNetworkAccess,
        ] {
            assert!(UNIONS.contains(&format!("| \"{}\"", kind.name())));
        }
    }
}
