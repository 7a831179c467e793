//! What a server can do wrong, measured against its policy: one typed [`Violation`] per rule
//! broken, naming the profile, the rule, what is at fault and the evidence.

use std::fmt;

use corsica::scenario::{HeaderPair, ProfileName};
use corsica::{ErrorKind, Verdict};
use serde::Serialize;

/// The three families of rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A request the policy refuses reaches the page's script.
    Security,
    /// A request the policy allows fails, or works less than the policy promises.
    Function,
    /// The answers are fragile: cacheable without `Vary: Origin`, or granting more than the
    /// policy.
    Hygiene,
}

/// A rule of the check.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Rule {
    /// Security: the origin is not in the policy, yet `fetch()` resolves (reflection, `null`,
    /// suffix or prefix matching, scheme or port ignored …).
    OriginNotAllowed,
    /// Security: the method is not in the policy, yet `fetch()` resolves.
    MethodNotAllowed,
    /// Security: a request header is not in the policy, yet `fetch()` resolves.
    HeaderNotAllowed,
    /// Security: the policy refuses credentials, yet a credentialed `fetch()` resolves.
    CredentialsNotAllowed,
    /// Function: the policy allows the request, yet `fetch()` rejects.
    AllowedRequestBlocked,
    /// Function: the preflight stays in the browser's cache longer than `max_age`.
    PreflightCachedTooLong,
    /// Function: a header of `expose` is not readable by the script.
    ExposedHeaderHidden,
    /// Function: the policy allows private-network requests, but the preflight answer lacks
    /// `Access-Control-Allow-Private-Network: true`.
    PrivateNetworkRefused,
    /// Hygiene: the answer to an actual request depends on `Origin` (another origin gets
    /// another `Access-Control-Allow-Origin`, or none) but does not say `Vary: Origin`, so a
    /// cache can serve one origin's answer to another: an allowed origin's grant to a foreign
    /// page, or a foreign origin's refusal to the allowed page, which then fails.
    VaryOriginMissing,
    /// Hygiene: a CORS response header grants more than the policy (an origin, `*`, a method, a
    /// header, credentials, an exposed header, private-network access).
    GrantsMoreThanPolicy,
}

impl Rule {
    /// The rule's family.
    pub const fn category(self) -> Category {
        match self {
            Self::OriginNotAllowed
            | Self::MethodNotAllowed
            | Self::HeaderNotAllowed
            | Self::CredentialsNotAllowed => Category::Security,
            Self::AllowedRequestBlocked
            | Self::PreflightCachedTooLong
            | Self::ExposedHeaderHidden
            | Self::PrivateNetworkRefused => Category::Function,
            Self::VaryOriginMissing | Self::GrantsMoreThanPolicy => Category::Hygiene,
        }
    }

    /// What the rule says, for reports.
    pub const fn description(self) -> &'static str {
        match self {
            Self::OriginNotAllowed => "an origin the policy does not list is allowed",
            Self::MethodNotAllowed => "a method the policy does not list is allowed",
            Self::HeaderNotAllowed => "a request header the policy does not list is allowed",
            Self::CredentialsNotAllowed => {
                "credentials are allowed although the policy refuses them"
            }
            Self::AllowedRequestBlocked => "a request the policy allows is blocked",
            Self::PreflightCachedTooLong => "the preflight is cached longer than max_age",
            Self::ExposedHeaderHidden => "a header of expose is hidden from the script",
            Self::PrivateNetworkRefused => {
                "private-network access is refused although the policy allows it"
            }
            Self::VaryOriginMissing => "the answer depends on Origin without Vary: Origin",
            Self::GrantsMoreThanPolicy => "a CORS header grants more than the policy",
        }
    }
}

/// What shows the violation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What `fetch()` did under the profile.
    #[serde(serialize_with = "verdict_name")]
    pub verdict: Verdict,
    /// Why it was blocked, when it was.
    #[serde(serialize_with = "error_name")]
    pub error: Option<ErrorKind>,
    /// The CORS headers (and `Vary`) of the response concerned, as received.
    pub headers: Vec<HeaderPair>,
    /// For [`Rule::VaryOriginMissing`]: the other origin asked …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_origin: Option<String>,
    /// … and the `Access-Control-Allow-Origin` it got (`(none)` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_origin_answer: Option<String>,
}

fn verdict_name<S: serde::Serializer>(verdict: &Verdict, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(verdict.as_str())
}

fn error_name<S: serde::Serializer>(error: &Option<ErrorKind>, s: S) -> Result<S::Ok, S::Error> {
    match error {
        Some(kind) => s.serialize_str(kind.name()),
        None => s.serialize_none(),
    }
}

/// A rule the server breaks, under a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The profile (a browser, or `spec`) under which it shows.
    pub profile: ProfileName,
    /// The rule.
    pub rule: Rule,
    /// What is at fault: the origin, method or header name, or the header and value granting
    /// too much (`Access-Control-Allow-Methods: DELETE`).
    pub subject: String,
    /// The evidence.
    pub evidence: Evidence,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let category = match self.rule.category() {
            Category::Security => "security",
            Category::Function => "function",
            Category::Hygiene => "hygiene",
        };
        write!(
            f,
            "[{}] {category}: {} ({}); fetch() {}",
            self.profile.as_str(),
            self.rule.description(),
            self.subject,
            if self.evidence.verdict == Verdict::Allowed {
                "resolves"
            } else {
                "rejects"
            },
        )?;
        if let Some(error) = self.evidence.error {
            write!(f, " with {}", error.name())?;
        }
        if let (Some(origin), Some(answer)) = (
            &self.evidence.other_origin,
            &self.evidence.other_origin_answer,
        ) {
            write!(f, "; {origin} gets Access-Control-Allow-Origin: {answer}")?;
        }
        Ok(())
    }
}
