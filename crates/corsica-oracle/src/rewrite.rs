//! Placeholder origins and the real loopback origins they stand for.
//!
//! Scenarios are written against placeholder origins, in one of two namings:
//!
//! - the oracle's own: `http://page.test` (the page), `http://api.test` (another port of the
//!   page's host: cross-origin, same-site) and `http://other.test` (cross-site);
//! - web-platform-tests': `http://web-platform.test:8000` (the page), and the same-site
//!   `http://www1.web-platform.test:8000`, `http://web-platform.test:8001`,
//!   `http://www2.web-platform.test:8000` and `http://www1.web-platform.test:8001`.
//!
//! At play time they become loopback origins (`http://127.0.0.1:<port>`, and `http://localhost:C`
//! for the cross-site one), and every URL of a case gets a path prefix (its token) so that no
//! preflight-cache entry carries over between cases. What was recorded is mapped back to the
//! placeholders of the case's naming.

/// Which placeholder origins a scenario is written against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Naming {
    /// `page.test`, `api.test`, `other.test`.
    #[default]
    Oracle,
    /// `web-platform.test:8000` and its WPT siblings.
    Wpt,
}

impl Naming {
    /// The naming a scenario uses: WPT's when it names `web-platform.test` anywhere.
    pub fn of(scenario: &serde_json::Value) -> Self {
        if scenario.to_string().contains("web-platform.test") {
            Self::Wpt
        } else {
            Self::Oracle
        }
    }
}

/// The real origins used for one recording session, and the naming of the case at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origins {
    /// Port of `http://127.0.0.1:A` (the page).
    pub page_port: u16,
    /// Port of `http://127.0.0.1:B` (api.test).
    pub api_port: u16,
    /// Port of `http://localhost:C` (other.test).
    pub other_port: u16,
    /// Ports of three more `http://127.0.0.1` origins (WPT's other same-site origins).
    pub alt_ports: [u16; 3],
    /// Which placeholders [`rewrite`](Self::rewrite) and [`unrewrite`](Self::unrewrite) use.
    pub naming: Naming,
}

/// Which of the servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The page's origin.
    Page,
    /// `http://api.test`, WPT's `http://www1.web-platform.test:8000`.
    Api,
    /// `http://other.test` (cross-site).
    Other,
    /// WPT's `http://web-platform.test:8001`.
    Alt1,
    /// WPT's `http://www2.web-platform.test:8000`.
    Alt2,
    /// WPT's `http://www1.web-platform.test:8001`.
    Alt3,
}

impl Role {
    /// All roles, in listener order.
    pub const ALL: [Self; 6] = [
        Self::Page,
        Self::Api,
        Self::Other,
        Self::Alt1,
        Self::Alt2,
        Self::Alt3,
    ];

    /// The placeholder host and port of this role in `naming`, if it has one.
    pub fn placeholder(self, naming: Naming) -> Option<(&'static str, u16)> {
        match (naming, self) {
            (Naming::Oracle, Self::Page) => Some(("page.test", 80)),
            (Naming::Oracle, Self::Api) => Some(("api.test", 80)),
            (Naming::Oracle, Self::Other) => Some(("other.test", 80)),
            (Naming::Wpt, Self::Page) => Some(("web-platform.test", 8000)),
            (Naming::Wpt, Self::Api) => Some(("www1.web-platform.test", 8000)),
            (Naming::Wpt, Self::Alt1) => Some(("web-platform.test", 8001)),
            (Naming::Wpt, Self::Alt2) => Some(("www2.web-platform.test", 8000)),
            (Naming::Wpt, Self::Alt3) => Some(("www1.web-platform.test", 8001)),
            _ => None,
        }
    }

    /// The placeholder host with its port when not 80 (`api.test`, `web-platform.test:8001`).
    pub fn placeholder_host(self, naming: Naming) -> Option<String> {
        self.placeholder(naming).map(|(host, port)| match port {
            80 => host.to_owned(),
            port => format!("{host}:{port}"),
        })
    }

    /// The placeholder origin, e.g. `http://api.test`.
    pub fn placeholder_origin(self, naming: Naming) -> Option<String> {
        self.placeholder_host(naming).map(|h| format!("http://{h}"))
    }
}

impl Origins {
    /// The same origins for a case written in `naming`.
    pub fn named(&self, naming: Naming) -> Self {
        Self {
            naming,
            ..self.clone()
        }
    }

    /// The real host (with port) for a role.
    pub fn real_host(&self, role: Role) -> String {
        match role {
            Role::Page => format!("127.0.0.1:{}", self.page_port),
            Role::Api => format!("127.0.0.1:{}", self.api_port),
            Role::Other => format!("localhost:{}", self.other_port),
            Role::Alt1 => format!("127.0.0.1:{}", self.alt_ports[0]),
            Role::Alt2 => format!("127.0.0.1:{}", self.alt_ports[1]),
            Role::Alt3 => format!("127.0.0.1:{}", self.alt_ports[2]),
        }
    }

    /// The real origin for a role, e.g. `http://127.0.0.1:41234`.
    pub fn real_origin(&self, role: Role) -> String {
        format!("http://{}", self.real_host(role))
    }

    /// The page's placeholder origin in this naming (`http://page.test`).
    pub fn page_placeholder(&self) -> String {
        Role::Page
            .placeholder_origin(self.naming)
            .unwrap_or_default()
    }

    /// The role whose placeholder origin (in this naming) is `origin`, exactly as serialized.
    pub fn role_of_placeholder_origin(&self, origin: &str) -> Option<Role> {
        self.named_roles()
            .find(|(_, placeholder)| placeholder == origin)
            .map(|(role, _)| role)
    }

    /// The roles this naming has placeholders for, with their placeholder origins.
    fn named_roles(&self) -> impl Iterator<Item = (Role, String)> + '_ {
        Role::ALL
            .into_iter()
            .filter_map(|role| Some((role, role.placeholder_origin(self.naming)?)))
    }

    /// `{"http://page.test": real, …}` style description for the record.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.named_roles()
                .map(|(role, placeholder)| (placeholder, self.real_origin(role).into()))
                .collect(),
        )
    }

    /// Rewrites every placeholder origin in free text (a header value such as
    /// `Access-Control-Allow-Origin`): `http://[userinfo@]api.test` → the real origin, keeping
    /// the scheme's case, and the host's case when the placeholder was written in capitals.
    /// With `prefix`, a URL's path gets `/<prefix>` inserted after the host.
    pub fn rewrite(&self, text: &str, prefix: Option<&str>) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if let Some((consumed, replacement)) = self.match_placeholder_url(&text[i..], prefix) {
                out.push_str(&replacement);
                i += consumed;
                continue;
            }
            let c = text[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// Rewrites a URL: its own placeholder origin gets the case's path prefix; placeholder origins
    /// further on (in its query, e.g. `?origin=http://page.test&…`) are rewritten without one.
    pub fn rewrite_url(&self, url: &str, prefix: &str) -> String {
        match self.match_placeholder_url(url, Some(prefix)) {
            Some((consumed, replacement)) => {
                format!("{replacement}{}", self.rewrite(&url[consumed..], None))
            }
            None => self.rewrite(url, None),
        }
    }

    /// Whether `text` writes a placeholder origin that differs from its serialization only by the
    /// case of its host, in a case that the real host cannot keep (mixed case, or capitals for an
    /// IP address): `Access-Control-Allow-Origin: http://API.TEST` would reach the browser as
    /// the real origin itself, and match where the scenario's value does not.
    pub fn loses_case(&self, text: &str) -> bool {
        let mut i = 0;
        while i < text.len() {
            if let Some((consumed, replacement)) = self.match_placeholder_url(&text[i..], None) {
                let written = &text[i + 7..i + consumed];
                let host = written.rsplit('@').next().unwrap_or(written);
                let real = &replacement[7..];
                let real_host = real.rsplit('@').next().unwrap_or(real);
                let kept = host == host.to_ascii_lowercase()
                    || (host == host.to_ascii_uppercase()
                        && real_host.bytes().any(|b| b.is_ascii_alphabetic()));
                let played_as_origin = replacement.starts_with("http://")
                    && !real.contains('@')
                    && real == real.to_ascii_lowercase();
                if !kept && played_as_origin {
                    return true;
                }
                i += consumed;
                continue;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// Rewrites a `Location` value: absolute and scheme-relative placeholder URLs as
    /// [`rewrite_url`](Self::rewrite_url), and path-absolute references (`/x`) get the prefix
    /// too. Other relative references resolve under the prefix by themselves.
    pub fn rewrite_location(&self, value: &str, prefix: &str) -> String {
        let t = value.trim_start_matches([' ', '\t']);
        let lead = &value[..value.len() - t.len()];
        if t.starts_with('/') && !t.starts_with("//") && !t.starts_with("/\\") {
            return format!("{lead}/{prefix}{t}");
        }
        if let Some(rest) = t.strip_prefix("//") {
            // Scheme-relative: reuse the absolute rewriting.
            let as_abs = self.rewrite_url(&format!("http://{rest}"), prefix);
            if let Some(stripped) = as_abs.strip_prefix("http:") {
                return format!("{lead}{stripped}");
            }
        }
        format!("{lead}{}", self.rewrite_url(t, prefix))
    }

    /// Tries to match `http://[userinfo@]HOST` at the start of `s`.
    fn match_placeholder_url(&self, s: &str, prefix: Option<&str>) -> Option<(usize, String)> {
        let scheme = s.get(..7)?;
        if !scheme.eq_ignore_ascii_case("http://") {
            return None;
        }
        let rest = &s[7..];
        // Optional userinfo: up to an '@' before any '/', '?', '#' or whitespace.
        let auth_end = rest
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '\\') || c.is_whitespace() || c == ',' || c == '"'
            })
            .unwrap_or(rest.len());
        let (userinfo, host_part) = match rest[..auth_end].rfind('@') {
            Some(at) => (&rest[..=at], &rest[at + 1..]),
            None => ("", rest),
        };
        for role in Role::ALL {
            let Some((ph, port)) = role.placeholder(self.naming) else {
                continue;
            };
            let Some(candidate) = host_part.get(..ph.len()) else {
                continue;
            };
            if !candidate.eq_ignore_ascii_case(ph) {
                continue;
            }
            let mut after = &host_part[ph.len()..];
            let mut consumed = 7 + userinfo.len() + ph.len();
            // The port: the placeholder's, written out or (80) left out.
            if let Some(p) = after.strip_prefix(':') {
                let digits = p.bytes().take_while(u8::is_ascii_digit).count();
                if p[..digits].parse::<u16>().ok() != Some(port) {
                    continue;
                }
                after = &p[digits..];
                consumed += 1 + digits;
            } else if port != 80 {
                continue;
            }
            let boundary = after.chars().next();
            let ok = match boundary {
                None => true,
                Some(c) => !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '@')),
            };
            if !ok {
                continue;
            }
            let mut host = self.real_host(role);
            if candidate.chars().any(|c| c.is_ascii_alphabetic())
                && candidate == candidate.to_ascii_uppercase()
            {
                host = host.to_ascii_uppercase();
            }
            let mut replacement = format!("{scheme}{userinfo}{host}");
            if let Some(p) = prefix {
                match boundary {
                    Some('/') => replacement.push_str(&format!("/{p}")),
                    _ => replacement.push_str(&format!("/{p}/")),
                }
            }
            return Some((consumed, replacement));
        }
        None
    }

    /// Maps real origins back to placeholders, and drops the case's path prefix after them:
    /// `http://127.0.0.1:B/<prefix>/x` → `http://api.test/x`. Bare `host:port` values (the
    /// `Host` header) are mapped when `host_only` is set.
    pub fn unrewrite(&self, text: &str, prefix: Option<&str>) -> String {
        let mut out = text.to_owned();
        for (role, ph) in self.named_roles() {
            let real = self.real_origin(role);
            if let Some(p) = prefix {
                out = replace_ci(&out, &format!("{real}/{p}/"), &format!("{ph}/"));
                out = replace_ci(&out, &format!("{real}/{p}?"), &format!("{ph}/?"));
                out = replace_ci(&out, &format!("{real}/{p}#"), &format!("{ph}/#"));
            }
            out = replace_ci_bounded(&out, &real, &ph);
            // The same origins behind userinfo (`http://user:pass@127.0.0.1:B/<prefix>/x`).
            let real = format!("@{}", self.real_host(role));
            let ph = format!("@{}", &ph["http://".len()..]);
            if let Some(p) = prefix {
                out = replace_ci(&out, &format!("{real}/{p}/"), &format!("{ph}/"));
            }
            out = replace_ci_bounded(&out, &real, &ph);
        }
        out
    }

    /// The ways a text writes placeholder origins other than the canonical lowercase
    /// `http://api.test`: `(real, as written)` pairs, e.g. `("HTTP://127.0.0.1:B", "HTTP://API.TEST")`,
    /// so that mapping back restores the case that the real host (an IP address) cannot keep.
    pub fn case_variants(&self, text: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if let Some((consumed, replacement)) = self.match_placeholder_url(&text[i..], None) {
                let written = &text[i..i + consumed];
                let canonical = written.to_ascii_lowercase();
                if written != canonical
                    && !written.contains('@')
                    && !out.iter().any(|(r, _)| *r == replacement)
                {
                    out.push((replacement, written.to_owned()));
                }
                i += consumed;
                continue;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// [`unrewrite`](Self::unrewrite), restoring first the case variants the scenario used
    /// (see [`case_variants`](Self::case_variants)).
    pub fn unrewrite_case(
        &self,
        text: &str,
        prefix: Option<&str>,
        variants: &[(String, String)],
    ) -> String {
        let mut out = text.to_owned();
        for (real, written) in variants {
            out = replace_exact_bounded(&out, real, written);
        }
        self.unrewrite(&out, prefix)
    }

    /// Maps a `Host` header value back (`127.0.0.1:B` → `api.test`).
    pub fn unrewrite_host(&self, value: &str) -> String {
        self.named_roles()
            .find(|(role, _)| value.eq_ignore_ascii_case(&self.real_host(*role)))
            .map_or_else(
                || value.to_owned(),
                |(_, ph)| ph["http://".len()..].to_owned(),
            )
    }

    /// The role whose real host is `host` (`127.0.0.1:B`).
    pub fn role_of_host(&self, host: &str) -> Option<Role> {
        self.named_roles()
            .map(|(role, _)| role)
            .find(|r| host.eq_ignore_ascii_case(&self.real_host(*r)))
    }
}

/// Case-insensitive replace of every occurrence.
fn replace_ci(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_owned();
    }
    let lower_h = haystack.to_ascii_lowercase();
    let lower_n = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(pos) = lower_h[from..].find(&lower_n) {
        let at = from + pos;
        out.push_str(&haystack[last..at]);
        out.push_str(with);
        last = at + needle.len();
        from = last;
    }
    out.push_str(&haystack[last..]);
    out
}

/// Like [`replace_ci`], but only where the match is not followed by a digit (so that
/// `http://127.0.0.1:4000` does not match inside `http://127.0.0.1:40001`).
fn replace_ci_bounded(haystack: &str, needle: &str, with: &str) -> String {
    let lower_h = haystack.to_ascii_lowercase();
    let lower_n = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(pos) = lower_h[from..].find(&lower_n) {
        let at = from + pos;
        let end = at + needle.len();
        if haystack[end..].starts_with(|c: char| c.is_ascii_digit()) {
            from = end;
            continue;
        }
        out.push_str(&haystack[last..at]);
        out.push_str(with);
        last = end;
        from = end;
    }
    out.push_str(&haystack[last..]);
    out
}

/// Case-sensitive replace where the match is not followed by a digit.
fn replace_exact_bounded(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(pos) = haystack[from..].find(needle) {
        let at = from + pos;
        let end = at + needle.len();
        if haystack[end..].starts_with(|c: char| c.is_ascii_digit()) {
            from = end;
            continue;
        }
        out.push_str(&haystack[last..at]);
        out.push_str(with);
        last = end;
        from = end;
    }
    out.push_str(&haystack[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o() -> Origins {
        Origins {
            page_port: 4001,
            api_port: 4002,
            other_port: 4003,
            alt_ports: [4004, 4005, 4006],
            naming: Naming::Oracle,
        }
    }

    #[test]
    fn rewrites_origins_in_header_values() {
        let o = o();
        assert_eq!(o.rewrite("http://page.test", None), "http://127.0.0.1:4001");
        assert_eq!(
            o.rewrite("http://page.test/", None),
            "http://127.0.0.1:4001/"
        );
        assert_eq!(o.rewrite("HTTP://PAGE.TEST", None), "HTTP://127.0.0.1:4001");
        assert_eq!(
            o.rewrite("HTTP://OTHER.TEST", None),
            "HTTP://LOCALHOST:4003"
        );
        assert_eq!(
            o.rewrite(" http://page.test, http://other.test ", None),
            " http://127.0.0.1:4001, http://localhost:4003 "
        );
        assert_eq!(
            o.rewrite("http://page.testing", None),
            "http://page.testing"
        );
        assert_eq!(
            o.rewrite("http://page.test:8080", None),
            "http://page.test:8080"
        );
        assert_eq!(
            o.rewrite("http://page.test:80", None),
            "http://127.0.0.1:4001"
        );
        assert_eq!(o.rewrite("null", None), "null");
        assert_eq!(o.rewrite("*", None), "*");
    }

    #[test]
    fn rewrites_urls_with_prefix() {
        let o = o();
        assert_eq!(
            o.rewrite("http://api.test/data?x=1", Some("t1")),
            "http://127.0.0.1:4002/t1/data?x=1"
        );
        assert_eq!(
            o.rewrite("http://api.test", Some("t1")),
            "http://127.0.0.1:4002/t1/"
        );
        assert_eq!(
            o.rewrite("http://api.test?q", Some("t1")),
            "http://127.0.0.1:4002/t1/?q"
        );
        assert_eq!(
            o.rewrite("http://user:pass@other.test/r", Some("t1")),
            "http://user:pass@localhost:4003/t1/r"
        );
    }

    #[test]
    fn rewrites_locations() {
        let o = o();
        assert_eq!(o.rewrite_location("/next", "t9"), "/t9/next");
        assert_eq!(o.rewrite_location("next", "t9"), "next");
        assert_eq!(
            o.rewrite_location("//other.test/x", "t9"),
            "//localhost:4003/t9/x"
        );
        assert_eq!(
            o.rewrite_location("http://page.test/x", "t9"),
            "http://127.0.0.1:4001/t9/x"
        );
        assert_eq!(
            o.rewrite_location("https://example.com/", "t9"),
            "https://example.com/"
        );
    }

    #[test]
    fn keeps_the_case_the_scenario_wrote() {
        let o = o();
        let scenario = r#"{"h": [["ACAO", "HTTP://PAGE.TEST"], ["X", "Http://page.test/"], ["Y", "http://api.test"]]}"#;
        let v = o.case_variants(scenario);
        assert_eq!(
            v,
            vec![
                (
                    "HTTP://127.0.0.1:4001".to_owned(),
                    "HTTP://PAGE.TEST".to_owned()
                ),
                (
                    "Http://127.0.0.1:4001".to_owned(),
                    "Http://page.test".to_owned()
                )
            ]
        );
        let msg =
            "has a value 'HTTP://127.0.0.1:4001' that is not equal to 'http://127.0.0.1:4001'";
        assert_eq!(
            o.unrewrite_case(msg, None, &v),
            "has a value 'HTTP://PAGE.TEST' that is not equal to 'http://page.test'"
        );
    }

    #[test]
    fn maps_back() {
        let o = o();
        let s = "Access to fetch at 'http://127.0.0.1:4002/t1/data?x=1' from origin 'http://127.0.0.1:4001' has been blocked";
        assert_eq!(
            o.unrewrite(s, Some("t1")),
            "Access to fetch at 'http://api.test/data?x=1' from origin 'http://page.test' has been blocked"
        );
        assert_eq!(
            o.unrewrite("http://localhost:4003/t1?x", Some("t1")),
            "http://other.test/?x"
        );
        assert_eq!(
            o.unrewrite("http://127.0.0.1:40012", None),
            "http://127.0.0.1:40012"
        );
        assert_eq!(
            o.unrewrite(
                "redirection URL http://user:pass@127.0.0.1:4002/t1/next has credentials",
                Some("t1")
            ),
            "redirection URL http://user:pass@api.test/next has credentials"
        );
        assert_eq!(o.unrewrite_host("localhost:4003"), "other.test");
        assert_eq!(o.role_of_host("127.0.0.1:4002"), Some(Role::Api));
    }

    #[test]
    fn wpt_naming() {
        let o = o().named(Naming::Wpt);
        assert_eq!(
            o.rewrite("http://www1.web-platform.test:8000/cors/x?a=1", Some("t1")),
            "http://127.0.0.1:4002/t1/cors/x?a=1"
        );
        assert_eq!(
            o.rewrite("http://web-platform.test:8001/x", None),
            "http://127.0.0.1:4004/x"
        );
        assert_eq!(
            o.rewrite("http://user:pass@www1.web-platform.test:8001/x", None),
            "http://user:pass@127.0.0.1:4006/x"
        );
        // Another port, or none, is not a placeholder of this naming; nor is page.test.
        for text in [
            "http://web-platform.test:8002/x",
            "http://web-platform.test/x",
            "http://web-platform.test:8000:80/x",
            "http://page.test/x",
        ] {
            assert_eq!(o.rewrite(text, None), text);
        }
        assert_eq!(
            o.unrewrite(
                "from origin 'http://127.0.0.1:4001' at http://127.0.0.1:4005/t1/y",
                Some("t1")
            ),
            "from origin 'http://web-platform.test:8000' at http://www2.web-platform.test:8000/y"
        );
        assert_eq!(o.unrewrite_host("127.0.0.1:4004"), "web-platform.test:8001");
        assert_eq!(o.page_placeholder(), "http://web-platform.test:8000");
        assert_eq!(o.role_of_host("localhost:4003"), None);
        assert_eq!(
            Naming::of(&serde_json::json!({"request": {"url": "http://web-platform.test:8000/"}})),
            Naming::Wpt
        );
    }

    #[test]
    fn urls_in_queries_get_no_prefix() {
        let o = o().named(Naming::Wpt);
        assert_eq!(
            o.rewrite_url(
                "http://www1.web-platform.test:8000/p.py?origin=http://web-platform.test:8000&x",
                "t1"
            ),
            "http://127.0.0.1:4002/t1/p.py?origin=http://127.0.0.1:4001&x"
        );
        assert_eq!(
            o.rewrite_location(
                " http://web-platform.test:8001/a?u=http://web-platform.test:8000",
                "t1"
            ),
            " http://127.0.0.1:4004/t1/a?u=http://127.0.0.1:4001"
        );
        assert_eq!(
            o.unrewrite(
                "http://127.0.0.1:4002/t1/p.py?origin=http://127.0.0.1:4001&x",
                Some("t1")
            ),
            "http://www1.web-platform.test:8000/p.py?origin=http://web-platform.test:8000&x"
        );
    }

    #[test]
    fn case_an_ip_address_cannot_keep() {
        let o = o();
        assert!(!o.loses_case("http://api.test"));
        assert!(!o.loses_case("HTTP://OTHER.TEST, http://page.test"));
        assert!(!o.loses_case("HTTP://PAGE.TEST"));
        assert!(o.loses_case("http://API.TEST"));
        assert!(o.loses_case("http://Other.test"));
        assert!(!o.loses_case("nothing here"));
    }
}
