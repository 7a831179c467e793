//! The untrusted origins the audit sends, derived from the legitimate ones (CORScanner's and
//! Corsy's mutations: prefix, suffix, unescaped dot, substring, subdomain, scheme, port, special
//! characters, case, shared hosting, `null`).

use corsica::Url;

/// Whether a browser page could have this origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// A page on this origin can exist (an attacker can register or create it), so a browser
    /// would send it and act on the answer.
    Browser,
    /// No browser sends this `Origin` (userinfo, uppercase, control characters, a 4 KB host): it
    /// only shows how robust the server's parsing is.
    ParserOnly,
}

impl Reach {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::ParserOnly => "parser-only",
        }
    }
}

/// One untrusted origin to try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The `Origin` value.
    pub(crate) origin: String,
    /// The pattern it tests.
    pub(crate) pattern: u8,
    /// Whether a browser could send it.
    pub(crate) reach: Reach,
    /// The legitimate origin it was derived from (its index), if any.
    pub(crate) from: Option<usize>,
    /// Which mutation (for #5 and #6, `prefix` or `suffix`).
    pub(crate) variant: &'static str,
}

/// The evil origin: a name under the reserved `.example` top-level domain.
pub(crate) const EVIL: &str = "https://evil.example";

/// A trusted origin, taken apart.
#[derive(Clone, Debug)]
pub(crate) struct Base {
    scheme: String,
    host: String,
    port: Option<u16>,
    is_domain: bool,
}

impl Base {
    /// `origin`'s parts, when it is a tuple origin.
    pub(crate) fn of(origin: &str) -> Option<Self> {
        let url = Url::parse(origin).ok()?;
        let host = url.host_str()?.to_owned();
        Some(Self {
            scheme: url.scheme().to_owned(),
            is_domain: matches!(url.host(), Some(corsica::url::Host::Domain(_))),
            host,
            port: url.port(),
        })
    }

    fn port_suffix(&self) -> String {
        self.port.map(|p| format!(":{p}")).unwrap_or_default()
    }

    fn with_host(&self, host: &str) -> String {
        format!("{}://{host}{}", self.scheme, self.port_suffix())
    }

    /// The host's last two labels (the registrable domain for most names).
    fn site(&self) -> &str {
        let mut dots = self.host.rmatch_indices('.');
        match (dots.next(), dots.next()) {
            (Some(_), Some((i, _))) => &self.host[i + 1..],
            _ => &self.host,
        }
    }
}

/// The candidates for `legitimate` origins (at most four are mutated), in a stable order, each
/// origin once, none equal to a legitimate origin.
pub(crate) fn candidates(legitimate: &[String], target: &Url) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |origin: String, pattern, reach, from, variant| {
        if legitimate.contains(&origin) || out.iter().any(|c| c.origin == origin) {
            return;
        }
        out.push(Candidate {
            origin,
            pattern,
            reach,
            from,
            variant,
        });
    };
    push(EVIL.to_owned(), 1, Reach::Browser, None, "");
    push(String::from("null"), 4, Reach::Browser, None, "");

    // Without legitimate origins, the target's own origin stands in as the trusted base.
    let bases: Vec<(Option<usize>, Base)> = if legitimate.is_empty() {
        Base::of(target.origin().ascii_serialization().as_str())
            .map(|b| (None, b))
            .into_iter()
            .collect()
    } else {
        legitimate
            .iter()
            .take(4)
            .enumerate()
            .filter_map(|(i, o)| Base::of(o).map(|b| (Some(i), b)))
            .collect()
    };
    for (from, base) in &bases {
        let from = *from;
        let host = base.host.as_str();
        // 3: a wildcard such as `h*` reflects anything that starts like the trusted host.
        if let Some(first) = host.chars().next().filter(char::is_ascii_alphanumeric) {
            push(
                base.with_host(&format!("{first}-corsica-evil.example")),
                3,
                Reach::Browser,
                from,
                "",
            );
        }
        // 5: post-domain (the trusted origin as a prefix).
        push(
            format!(
                "{}://{host}.evil.example{}",
                base.scheme,
                base.port_suffix()
            ),
            5,
            Reach::Browser,
            from,
            "prefix",
        );
        // 5: a port that starts like the trusted one (`:5173` → `:51730`).
        if let Some(port) = base
            .port
            .and_then(|p| u16::try_from(u32::from(p) * 10).ok())
        {
            push(
                format!("{}://{host}:{port}", base.scheme),
                5,
                Reach::Browser,
                from,
                "port-prefix",
            );
        }
        // 5 (parser only): the trusted host as userinfo.
        push(
            format!(
                "{}://{host}{}@evil.example",
                base.scheme,
                base.port_suffix()
            ),
            5,
            Reach::ParserOnly,
            from,
            "userinfo",
        );
        if base.is_domain {
            let site = base.site();
            // 6: pre-domain (the trusted name as a suffix).
            push(
                base.with_host(&format!("evil{site}")),
                6,
                Reach::Browser,
                from,
                "suffix",
            );
            push(
                base.with_host(&format!("evil-{site}")),
                6,
                Reach::Browser,
                from,
                "suffix",
            );
            // 7: the first dot unescaped.
            if host.matches('.').count() >= 2 {
                push(
                    base.with_host(&host.replacen('.', "x", 1)),
                    7,
                    Reach::Browser,
                    from,
                    "",
                );
            }
            // 8: substrings.
            if host.len() > 4 {
                let shorter = &host[..host.len() - 1];
                push(base.with_host(shorter), 8, Reach::Browser, from, "");
                push(
                    base.with_host(&format!("not{shorter}")),
                    8,
                    Reach::Browser,
                    from,
                    "",
                );
            }
            // 9: any subdomain, one and three levels down.
            push(
                base.with_host(&format!("corsica-probe.{site}")),
                9,
                Reach::Browser,
                from,
                "",
            );
            push(
                base.with_host(&format!("a.b.corsica-probe.{site}")),
                9,
                Reach::Browser,
                from,
                "",
            );
            // 13: characters that confuse origin parsers (`_` works in every browser; the
            // others only where the browser lets a page have such a host).
            push(
                base.with_host(&format!("{host}_.evil.example")),
                13,
                Reach::Browser,
                from,
                "",
            );
            push(
                base.with_host(&format!("{host}%60.evil.example")),
                13,
                Reach::ParserOnly,
                from,
                "",
            );
            push(
                base.with_host(&format!("{host}}}.evil.example")),
                13,
                Reach::ParserOnly,
                from,
                "",
            );
        }
        // 11: the scheme downgraded.
        if base.scheme == "https" {
            push(
                format!("http://{host}{}", base.port_suffix()),
                11,
                Reach::Browser,
                from,
                "",
            );
        }
        // 12: another port.
        let other = match base.port {
            Some(8443) => 8444,
            Some(p) if p < u16::MAX => p + 1,
            _ => 8443,
        };
        push(
            format!("{}://{host}:{other}", base.scheme),
            12,
            Reach::Browser,
            from,
            "",
        );
        // 15: another case (browsers always send lowercase).
        push(
            format!(
                "{}://{}{}",
                base.scheme.to_uppercase(),
                host.to_uppercase(),
                base.port_suffix()
            ),
            15,
            Reach::ParserOnly,
            from,
            "",
        );
    }
    // 10: shared hosting and code playgrounds.
    for host in [
        "corsica-probe.github.io",
        "corsica-probe.netlify.app",
        "corsica-probe.vercel.app",
        "codepen.io",
        "jsfiddle.net",
        "corsica-probe.s3.amazonaws.com",
    ] {
        push(format!("https://{host}"), 10, Reach::Browser, None, "");
    }
    out
}

/// The long `Origin` values for the ReDoS probe (#40): two that a page could have (63-letter
/// labels, and 120 one-letter labels; hosts a browser accepts) and one no browser sends (a 4 KB
/// host). Each ends in a name no allowlist holds, so a backtracking matcher tries every split.
pub(crate) fn long_origins() -> [(String, Reach); 3] {
    let label = "a".repeat(63);
    [
        (
            format!("https://{label}.{label}.{label}.corsica-evil.example"),
            Reach::Browser,
        ),
        (
            format!("https://{}corsica-evil.example", "a.".repeat(120)),
            Reach::Browser,
        ),
        (format!("https://{}!", "a".repeat(4096)), Reach::ParserOnly),
    ]
}

/// Another origin of the same shape, to confirm a slow answer.
pub(crate) fn confirmation(origin: &str) -> String {
    match origin.strip_suffix("corsica-evil.example") {
        Some(start) => format!("{start}corsica-evil2.example"),
        None => format!("{origin}!"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_of_a_subdomain_origin() {
        let legit = vec![String::from("https://app.example.com")];
        let target: Url = "https://api.example.com/v1".parse().unwrap();
        let all = candidates(&legit, &target);
        let origins: Vec<&str> = all.iter().map(|c| c.origin.as_str()).collect();
        for expected in [
            "https://evil.example",
            "null",
            "https://a-corsica-evil.example",
            "https://app.example.com.evil.example",
            "https://app.example.com@evil.example",
            "https://evilexample.com",
            "https://evil-example.com",
            "https://appxexample.com",
            "https://app.example.co",
            "https://notapp.example.co",
            "https://corsica-probe.example.com",
            "https://app.example.com_.evil.example",
            "http://app.example.com",
            "https://app.example.com:8443",
            "HTTPS://APP.EXAMPLE.COM",
            "https://codepen.io",
        ] {
            assert!(
                origins.contains(&expected),
                "{expected} missing from {origins:?}"
            );
        }
        assert!(!origins.contains(&"https://app.example.com"));
        let mut sorted = origins.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), origins.len());
    }

    #[test]
    fn loopback_origins_get_the_mutations_that_apply() {
        let legit = vec![String::from("http://localhost:5173")];
        let target: Url = "http://127.0.0.1:8080/".parse().unwrap();
        let all = candidates(&legit, &target);
        assert!(
            all.iter()
                .any(|c| c.origin == "http://localhost:5174" && c.pattern == 12)
        );
        assert!(
            all.iter()
                .any(|c| c.origin == "http://localhost.evil.example:5173")
        );
        assert!(!all.iter().any(|c| c.pattern == 11));
    }
}
