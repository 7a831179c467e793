//! The 43 CORS misconfiguration patterns the audit looks for (the project's reference notes,
//! `server-misconfigurations.md` §1), plus pattern 0: a request the legitimate origins need is
//! blocked.

use serde::Serialize;

/// What a finding puts at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Another site can read or act with the user's credentials, or the server can be attacked
    /// through its CORS handling.
    Security,
    /// A browser blocks a request the server meant to allow.
    Functional,
    /// Shared caches can serve the wrong CORS answer, or browsers send needless preflights.
    Cache,
    /// No browser consequence: tidy-up.
    Hygiene,
}

impl Severity {
    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Security => "security",
            Self::Functional => "functional",
            Self::Cache => "cache",
            Self::Hygiene => "hygiene",
        }
    }
}

/// One pattern of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Its number (0 to 43).
    pub number: u8,
    /// Its name.
    pub name: &'static str,
    /// Its usual severity (a finding may differ, e.g. `Vary` problems become security ones).
    pub severity: Severity,
    /// What is wrong, in a sentence.
    pub summary: &'static str,
    /// What to change, in general (findings add the specifics).
    pub fix: &'static str,
}

impl Pattern {
    /// The rule id used in SARIF and JSON: `CORS000` to `CORS043`.
    pub fn id(&self) -> String {
        format!("CORS{:03}", self.number)
    }
}

macro_rules! patterns {
    ($($number:literal $severity:ident $name:literal: $summary:literal; $fix:literal;)*) => {
        /// The catalogue, in order: index `n` is pattern `n`.
        pub const PATTERNS: &[Pattern] = &[$(Pattern {
            number: $number,
            name: $name,
            severity: Severity::$severity,
            summary: $summary,
            fix: $fix,
        },)*];
    };
}

patterns! {
    0 Functional "Legitimate request blocked":
        "A request the legitimate origin makes is blocked by the browser.";
        "Answer the legitimate origin as the console line and the engine's fix say.";
    1 Security "Arbitrary origin reflection":
        "The server copies any Origin into Access-Control-Allow-Origin, so every site is trusted.";
        "Compare the Origin with an explicit allowlist (exact, byte-for-byte strings) and send Access-Control-Allow-Origin only for a listed origin.";
    2 Security "`*` with credentials implemented as reflection":
        "An allow-all setting combined with credentials reflects the requesting origin, so any site reads credentialed responses.";
        "Never combine allow-all origins with credentials: list the origins that may send cookies, or drop Access-Control-Allow-Credentials.";
    3 Security "Wildcard pattern reflects nearly anything":
        "An origin pattern with a wildcard (such as `h*`) matches origins an attacker can own.";
        "Replace wildcard patterns with exact origins, or anchor them on a full host name that you control (`https://*.example.com` matched label by label).";
    4 Security "`null` origin trusted":
        "Access-Control-Allow-Origin: null lets sandboxed iframes, data: and file: pages (which any site can create) read the response.";
        "Remove `null` from the allowlist; never send Access-Control-Allow-Origin: null.";
    5 Security "Prefix / post-domain match":
        "The check accepts origins that start with a trusted origin (`https://trusted.example.evil.net`).";
        "Match the whole origin exactly, or anchor the regular expression at both ends (`^https://trusted\\.example$`).";
    6 Security "Suffix / pre-domain match":
        "The check accepts origins that end with a trusted name (`https://eviltrusted.example`).";
        "Match the whole origin exactly; if subdomains are meant, require a dot before the domain (`.trusted.example`) and anchor the scheme.";
    7 Security "Unescaped dot":
        "A regular expression's `.` matches any character, so `wwwxtrusted.example` passes for `www.trusted.example`.";
        "Escape dots in origin regular expressions (`\\.`), or compare exact strings.";
    8 Security "Substring match":
        "The check accepts origins that merely contain part of a trusted name.";
        "Compare whole origins for equality instead of searching for substrings.";
    9 Security "Any subdomain trusted":
        "Every subdomain is trusted, so one XSS or a dangling DNS record on any subdomain exposes the API.";
        "List the subdomains that need access instead of trusting all of them.";
    10 Security "Shared-hosting suffix trusted":
        "Origins on shared hosting (github.io, netlify.app, codepen.io …) are trusted; anyone can publish a page there.";
        "Remove shared-hosting domains from the allowlist; list your exact tenant origin if you need one.";
    11 Security "HTTP origin trusted by an HTTPS site":
        "An http:// origin is trusted, so a network attacker who injects a page on it reads the API.";
        "Trust only https:// origins for an https:// API.";
    12 Security "Port not checked":
        "The origin's port is ignored, so another service on the same host is trusted.";
        "Compare the full origin, port included.";
    13 Security "Parser-confusion characters":
        "Origins with characters such as `_`, `` ` `` or `}` in the host confuse the origin parser into a match.";
        "Parse origins with a WHATWG URL parser and compare the serialized origin exactly.";
    14 Security "Regex alternation not anchored as a whole":
        "A pattern like `^https://a\\.example|https://b\\.example$` anchors only one side of each alternative.";
        "Group the alternation and anchor it once: `^(https://a\\.example|https://b\\.example)$`.";
    15 Security "Case-insensitive origin matching":
        "Origins are matched ignoring case; browsers always send lowercase hosts, so this only shows a lax parser.";
        "Compare origins byte for byte.";
    16 Security "`*` on a restricted endpoint":
        "Access-Control-Allow-Origin: * lets every site read the response (without cookies); a leak for intranet or IP-authenticated data.";
        "Send the listed origin instead of `*` when the data is not public.";
    17 Functional "`*` with credentials":
        "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: browsers reject every credentialed request.";
        "Send the requesting origin (from an allowlist) instead of `*`, with `Vary: Origin`.";
    18 Functional "Several Access-Control-Allow-Origin values":
        "The response carries several origins (or two headers, often from a proxy plus the app); browsers accept exactly one.";
        "Send exactly one Access-Control-Allow-Origin: pick the matching origin; make sure only one layer (proxy or app) adds it.";
    19 Functional "Invalid Access-Control-Allow-Origin value":
        "The value is not the serialized origin (a trailing `/`, a path, no scheme, other case or spaces); browsers compare bytes.";
        "Send the origin exactly as the browser sent it in Origin: scheme, host and port, no trailing slash.";
    20 Functional "Access-Control-Allow-Credentials not exactly `true`":
        "Browsers accept only the exact lowercase value `true` (once).";
        "Send `Access-Control-Allow-Credentials: true`, once, or leave it out.";
    21 Cache "Missing `Vary: Origin`":
        "The CORS answer depends on Origin but the response does not say so, so a shared cache can serve one origin's answer to another.";
        "Add `Vary: Origin` to every response of the resource, including those without Access-Control-Allow-Origin.";
    22 Cache "`Vary` overwritten":
        "The CORS layer replaces the application's `Vary` instead of appending to it.";
        "Append `Origin` to the existing `Vary` value instead of replacing it.";
    23 Cache "Needless `Vary: Origin`":
        "Access-Control-Allow-Origin is the same for every origin, yet the response varies on Origin, splitting caches for nothing.";
        "Drop `Vary: Origin` when Access-Control-Allow-Origin is `*` or a fixed origin.";
    24 Functional "Every OPTIONS treated as a preflight":
        "An OPTIONS request without Access-Control-Request-Method gets a preflight answer, so the application's own OPTIONS handler is unreachable.";
        "Treat only OPTIONS with Access-Control-Request-Method as a preflight; pass other OPTIONS requests to the application.";
    25 Functional "Preflight blocked by authentication or routing":
        "The preflight gets 401/403/404/405/5xx before the CORS layer answers it; browsers never send credentials on a preflight.";
        "Answer OPTIONS preflights before authentication and routing (put the CORS layer first).";
    26 Functional "Preflight redirected":
        "Browsers never follow a redirect on a preflight.";
        "Answer the preflight at the requested URL (fix the trailing slash or scheme redirect, or have the page call the final URL).";
    27 Functional "Preflight denied with an error status":
        "A disallowed preflight gets an error status; the browser then reports only \"does not have HTTP ok status\", hiding which method or header was refused.";
        "Answer disallowed preflights with 204 and no grants (or log the refusal), so the browser's message names the method or header.";
    28 Functional "`Authorization` relies on `Access-Control-Allow-Headers: *`":
        "The Fetch Standard never lets `*` cover Authorization; browsers tolerate it today with a deprecation warning.";
        "List it explicitly: `Access-Control-Allow-Headers: Authorization, *` (or every header by name).";
    29 Functional "`*` under credentials":
        "With credentials, `*` in Access-Control-Allow-Methods, -Headers or -Expose-Headers is a literal name, not a wildcard.";
        "List the methods and headers by name when credentials are allowed.";
    30 Functional "Method case":
        "Access-Control-Allow-Methods lists a method in lowercase; non-safelisted methods are compared byte for byte (`put` is not `PUT`).";
        "Write methods in uppercase: `PUT, PATCH, DELETE`.";
    31 Security "Request method or headers mirrored":
        "Access-Control-Allow-Methods or -Headers echoes whatever the preflight asks for, so every header and method is allowed.";
        "List the allowed methods and headers explicitly.";
    32 Security "Preflight reveals the policy to a disallowed origin":
        "A preflight from an origin that is not allowed still gets the allowed methods and headers.";
        "Send preflight grants only with a matching Access-Control-Allow-Origin.";
    33 Hygiene "Credentials flag sent to disallowed origins":
        "Access-Control-Allow-Credentials: true goes out without Access-Control-Allow-Origin.";
        "Send Access-Control-Allow-Credentials only together with an allowed origin.";
    34 Functional "CORS headers missing on errors":
        "Error responses lack Access-Control-Allow-Origin, so the page cannot read the error and sees a CORS failure instead.";
        "Add the CORS headers to error responses too (nginx: `add_header … always`).";
    35 Functional "Preflight and actual response disagree":
        "One of the preflight and the actual response grants the origin and the other does not, so every preflighted request fails.";
        "Send the same Access-Control-Allow-Origin (and -Credentials) on the preflight and on the actual response (nginx: `add_header` inside an `if` block drops every outer one).";
    36 Functional "Needed response headers not exposed":
        "Response headers the page reads (Location, ETag, X-Request-Id …) are not in Access-Control-Expose-Headers.";
        "List them in Access-Control-Expose-Headers.";
    37 Cache "Access-Control-Max-Age problems":
        "The preflight's max-age is missing (5 s), invalid, or above what browsers keep.";
        "Send `Access-Control-Max-Age: 600` to `7200` (Chromium's cap).";
    38 Security "Private network access for every origin":
        "Access-Control-Allow-Private-Network: true is granted to any origin, letting public sites reach a private-network service.";
        "Grant private network access only to listed origins (or not at all: Chrome replaced it with the Local Network Access prompt).";
    39 Security "Side effects despite a rejected origin":
        "A request that needs no preflight runs the handler even for a disallowed origin; CORS only hides the answer.";
        "Protect state-changing endpoints with CSRF defences (SameSite cookies, tokens, Origin checks that reject), not CORS.";
    40 Security "Slow origin matching (ReDoS)":
        "A long, crafted Origin makes the origin check slow: a cheap denial of service.";
        "Use exact string comparison or linear-time patterns for origins; bound the Origin's length.";
    41 Security "Header injection through Origin":
        "A CR or LF in Origin reaches the response headers.";
        "Reject header values with CR or LF, and never copy Origin without validating it.";
    42 Functional "Same-origin `Origin` rejected":
        "A request from the server's own origin that carries Origin (every same-origin POST does) is rejected.";
        "Allow the server's own origin, or skip CORS checks when Origin matches the request's host.";
    43 Functional "Cross-origin redirect":
        "The request is redirected to another origin; after that the browser sends `Origin: null` and the target must allow it.";
        "Have the page call the final URL, or keep redirects within the origin.";
}

/// The pattern with `number`.
pub fn pattern(number: u8) -> &'static Pattern {
    &PATTERNS[usize::from(number)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_complete_and_ordered() {
        assert_eq!(PATTERNS.len(), 44);
        for (i, p) in PATTERNS.iter().enumerate() {
            assert_eq!(usize::from(p.number), i);
        }
        assert_eq!(pattern(41).id(), "CORS041");
    }
}
