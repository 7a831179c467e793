//! The scripted server of a scenario: its rules, validated, answering the requests sent.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{InputError, ServerRule, check_headers, limits, parse_url};
use crate::fetch::{ExchangeKind, SentRequest};
use crate::response::{NetworkError, Response};
use crate::url::Url;

/// A server rule, validated: its URL parsed, the rest read from the rule as it answers.
#[derive(Clone, Debug)]
struct Rule<'a> {
    rule: &'a ServerRule,
    url: Option<Url>,
}

impl Rule<'_> {
    /// The rule's response; an invalid response when a header value holds a NUL byte: browsers'
    /// HTTP parsers refuse it (observed in Chromium, Firefox and WebKit:
    /// `net::ERR_INVALID_HTTP_RESPONSE`, `CORS request did not succeed`, no line).
    fn response(&self) -> Result<Response, NetworkError> {
        let rule = self.rule;
        if rule.headers.iter().any(|(_, value)| value.contains('\0')) {
            return Err(NetworkError::InvalidResponse);
        }
        let mut response = Response::with_headers(
            rule.status,
            rule.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        response.address_space = rule.address_space.map(Into::into);
        Ok(response)
    }
}

/// The scripted server: the first rule that matches answers; none → a network error.
#[derive(Clone, Debug)]
pub struct Server<'a> {
    rules: Vec<Rule<'a>>,
}

impl<'a> Server<'a> {
    /// How many rules' URLs [`Server::parsed`] looks at: so few that comparing costs less than
    /// the parse it saves, however long the URLs.
    const URLS_REMEMBERED: usize = 8;

    /// Validates `rules` (the scenario's `server`).
    pub fn new(rules: &'a [ServerRule]) -> Result<Self, InputError> {
        if rules.len() > limits::MAX_RULES {
            return Err(InputError::new(
                "server",
                alloc::format!("at most {} rules", limits::MAX_RULES),
            ));
        }
        let mut server = Self {
            rules: Vec::with_capacity(rules.len()),
        };
        for (i, rule) in rules.iter().enumerate() {
            // Paths are only written out for an error: the happy path allocates none.
            if !(100..=999).contains(&rule.status) {
                return Err(InputError::new(
                    alloc::format!("server[{i}].status"),
                    "must be from 100 to 999",
                ));
            }
            let url = match rule.url.as_deref() {
                Some(url) => Some(match server.parsed(url) {
                    Some(parsed) => parsed.clone(),
                    None => parse_url(url, || alloc::format!("server[{i}].url"))?,
                }),
                None => None,
            };
            check_headers(&rule.headers, || alloc::format!("server[{i}].headers"))?;
            if let Some(j) = rule
                .headers
                .iter()
                .position(|(name, _)| !crate::header::name::is_header_name(name))
            {
                return Err(InputError::new(
                    alloc::format!("server[{i}].headers[{j}][0]"),
                    "not a header name (an HTTP token)",
                ));
            }
            server.rules.push(Rule { rule, url });
        }
        Ok(server)
    }

    /// The URL `text` parses to, when one of the first rules gives that very text (parsed
    /// already): a URL the rules and the request share is parsed once.
    pub(super) fn parsed(&self, text: &str) -> Option<&Url> {
        self.rules
            .iter()
            .take(Self::URLS_REMEMBERED)
            .find(|rule| rule.rule.url.as_deref() == Some(text))?
            .url
            .as_ref()
    }

    /// The answer to `request`: no rule matches → the connection is refused.
    pub fn respond(&self, request: &SentRequest) -> Result<Response, NetworkError> {
        self.rules
            .iter()
            .find(|rule| {
                rule.rule
                    .preflight
                    .is_none_or(|p| p == (request.kind == ExchangeKind::Preflight))
                    && rule
                        .rule
                        .method
                        .as_deref()
                        .is_none_or(|m| m == request.method)
                    && rule
                        .url
                        .as_ref()
                        .is_none_or(|u| as_served(u) == as_served(&request.url))
            })
            .map_or(Err(NetworkError::ConnectionRefused), Rule::response)
    }
}

/// The URL as a server sees it: without userinfo (never sent) or fragment.
fn as_served(url: &Url) -> Cow<'_, str> {
    let s = url.without_fragment();
    if url.username().is_empty() && url.password().is_none() {
        return Cow::Borrowed(s);
    }
    let mut bare = url.clone();
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    bare.set_fragment(None);
    Cow::Owned(String::from(bare.as_str()))
}
