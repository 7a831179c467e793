//! Recordings as scenarios: the server's real answers become a scenario's `server` rules, so
//! `corsica eval` replays a live exchange offline.

use std::time::{SystemTime, UNIX_EPOCH};

use corsica::lna::AddressSpace;
use corsica::scenario::{ProfileName, RequestInput, Scenario, ServerRule, Space};
use corsica::url::Host;

use crate::client::{Received, WireRequest};
use crate::error::NetError;

/// The server rules that replay these exchanges: one rule per method, URL and kind
/// (preflight or not), the first answer winning. A request that got a network error gets no
/// rule, so the replay gets a network error too. The rule's `address_space` is the address
/// space the connection reached, for hosts that are names (Local Network Access).
pub fn server_rules<'a>(
    exchanges: impl IntoIterator<Item = (&'a WireRequest, bool, &'a Result<Received, NetError>)>,
) -> Vec<ServerRule> {
    let mut rules: Vec<ServerRule> = Vec::new();
    for (request, preflight, result) in exchanges {
        let Ok(received) = result else { continue };
        if !(100..=999).contains(&received.status) {
            continue;
        }
        let url = without_fragment(&request.url);
        let seen = rules.iter().any(|rule| {
            rule.method.as_deref() == Some(request.method.as_str())
                && rule.url.as_deref() == Some(url)
                && rule.preflight == Some(preflight)
        });
        if seen {
            continue;
        }
        let named = matches!(request.url.host(), Some(Host::Domain(_)));
        let headers: Vec<(&str, &str)> = received
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let mut rule = serde_json::json!({
            "method": request.method,
            "url": url,
            "preflight": preflight,
            "status": received.status,
            "headers": headers,
        });
        if named {
            rule["address_space"] = serde_json::json!(space(received.address_space()));
        }
        // Built through JSON, so that fields the format adds later keep their defaults.
        rules.push(serde_json::from_value(rule).expect("a valid server rule"));
    }
    rules
}

/// The scenario format's spelling of an address space.
pub fn space(space: AddressSpace) -> Space {
    match space {
        AddressSpace::Loopback => Space::Loopback,
        AddressSpace::Local => Space::Local,
        AddressSpace::Public => Space::Public,
    }
}

fn without_fragment(url: &corsica::Url) -> &str {
    let s = url.as_str();
    s.split_once('#').map_or(s, |(before, _)| before)
}

/// A single-request scenario (built through JSON, so that fields the format adds later keep
/// their defaults).
pub fn scenario(
    id: &str,
    profile: ProfileName,
    request: &RequestInput,
    server: Vec<ServerRule>,
    trace: bool,
    source: &str,
) -> Scenario {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "profile": profile,
        "request": request,
        "server": server,
        "trace": trace,
        "source": source,
    }))
    .expect("a valid scenario")
}

/// The current time as RFC 3339 (UTC, seconds), for `source` fields.
pub fn timestamp() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(seconds)
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_798_761_599), "2026-12-31T23:59:59Z");
    }
}
