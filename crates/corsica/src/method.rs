//! [Methods](https://fetch.spec.whatwg.org/#methods).

use crate::header::name::eq_ignore_case;
use crate::header::name::is_token;

/// Whether `method` is a [method](https://fetch.spec.whatwg.org/#concept-method): an HTTP token.
pub fn is_method(method: &str) -> bool {
    is_token(method)
}

/// [CORS-safelisted method](https://fetch.spec.whatwg.org/#cors-safelisted-method): `GET`,
/// `HEAD` or `POST`, byte for byte (`get` is not one).
pub fn is_cors_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// [Forbidden method](https://fetch.spec.whatwg.org/#forbidden-method): `CONNECT`, `TRACE` or
/// `TRACK`, byte-case-insensitively.
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| eq_ignore_case(method, m))
}

/// [Normalize](https://fetch.spec.whatwg.org/#concept-method-normalize) a method: `DELETE`,
/// `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT` are uppercased; every other method keeps its case
/// (`patch` stays `patch`).
pub fn normalize_method(method: &str) -> &str {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|m| eq_ignore_case(method, m))
        .copied()
        .unwrap_or(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_keeps_patch() {
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("Patch"), "Patch");
        assert_eq!(normalize_method("delete"), "DELETE");
        assert_eq!(normalize_method("gEt"), "GET");
        assert_eq!(normalize_method("CHICKEN"), "CHICKEN");
    }

    #[test]
    fn safelisted_is_byte_exact() {
        assert!(is_cors_safelisted_method("GET"));
        assert!(!is_cors_safelisted_method("get"));
        assert!(!is_cors_safelisted_method("PUT"));
    }

    #[test]
    fn forbidden_ignores_case() {
        assert!(is_forbidden_method("connect"));
        assert!(is_forbidden_method("TrAcK"));
        assert!(!is_forbidden_method("TRACES"));
        assert!(is_method("CHICKEN"));
        assert!(!is_method("GE T"));
        assert!(!is_method(""));
    }
}
