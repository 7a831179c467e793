//! `corsica probe`: one page request, sent to a live server as each browser profile would send
//! it, judged by the engine, and recorded as a replayable scenario.

use corsica::fetch::Outcome;
use corsica::scenario::InputError;
use corsica::scenario::{Output, ProfileName, RequestInput, Scenario, ScenarioOutput, render};
use corsica::{Profile, Verdict};

use crate::client::WireRequest;
use crate::error::NetError;
use crate::record::{scenario, server_rules, timestamp};
use crate::session::{Hop, LiveOutcome, Session, Transport};

/// The result of probing one request under each profile asked for.
#[derive(Clone, Debug)]
pub struct ProbeReport {
    /// The page's request.
    pub request: RequestInput,
    /// One result per profile, in the order asked for.
    pub results: Vec<ProfileResult>,
}

/// What one browser profile does with the request against the live server.
#[derive(Clone, Debug)]
pub struct ProfileResult {
    /// The profile.
    pub profile: ProfileName,
    /// The scenario-format output: verdict, exchanges with the real answers, console line, fix.
    pub output: Output,
    /// The request and the recorded answers as a scenario that `corsica eval` replays offline.
    pub scenario: Scenario,
    /// The live run: each hop on the wire (`None` when `fetch()` throws before sending).
    pub live: Option<LiveOutcome>,
    /// The offline replay of [`scenario`](Self::scenario) gives the live verdict and exchanges.
    /// False only when the server answered the same method and URL differently within the run
    /// (the scenario format keys its rules on them); [`output`](Self::output) is then the live
    /// outcome's.
    pub replays: bool,
}

impl ProfileResult {
    /// Whether `fetch()` resolves.
    pub fn allowed(&self) -> bool {
        self.output.verdict == Verdict::Allowed.as_str()
    }

    /// The scenario with the output as its `expected` field: a conformance vector, which
    /// `corsica eval` replays (it ignores `expected`).
    pub fn replay_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(&self.scenario).expect("scenarios serialize");
        if let serde_json::Value::Object(map) = &mut value {
            map.insert(
                String::from("expected"),
                serde_json::to_value(&self.output).expect("outputs serialize"),
            );
        }
        value
    }

    /// The network errors met on the way.
    pub fn network_errors(&self) -> Vec<(&WireRequest, &NetError)> {
        self.live
            .iter()
            .flat_map(|live| live.network_errors().map(|(hop, e)| (&*hop.wire, e)))
            .collect()
    }
}

impl ProbeReport {
    /// Allowed under every profile probed.
    pub fn allowed_everywhere(&self) -> bool {
        self.results.iter().all(ProfileResult::allowed)
    }

    /// Every distinct network error met, with the request that met it.
    pub fn network_errors(&self) -> Vec<(&WireRequest, &NetError)> {
        let mut errors: Vec<(&WireRequest, &NetError)> = Vec::new();
        for result in &self.results {
            for (wire, error) in result.network_errors() {
                if !errors.iter().any(|(w, _)| *w == wire) {
                    errors.push((wire, error));
                }
            }
        }
        errors
    }
}

/// Probes `input` under each of `profiles` through `session`. Bad input (a malformed origin or
/// URL) is an `Err` naming the field; everything the network does is in the report.
pub async fn probe<T: Transport>(
    session: &Session<T>,
    input: &RequestInput,
    profiles: &[ProfileName],
    trace: bool,
) -> Result<ProbeReport, InputError> {
    let request = input.to_request("request")?;
    let mut results = Vec::with_capacity(profiles.len());
    for &name in profiles {
        let profile = Profile::of(name.into());
        let (live, shadow) = match &request {
            Ok(request) => {
                let live = session.fetch_fresh(request, &profile).await;
                // A browser profile's verdict is compared with the standard's (the scenario's
                // `SpecWouldBlock` warning), so the standard's requests are recorded too.
                let shadow = if name == ProfileName::Spec {
                    None
                } else {
                    Some(session.fetch_fresh(request, &Profile::SPEC).await)
                };
                (Some(live), shadow)
            }
            Err(_) => (None, None),
        };
        let hops = live
            .iter()
            .chain(shadow.iter())
            .flat_map(|l| l.hops.iter())
            .map(Hop::recorded);
        let mut source = format!("corsica probe, recorded {}", timestamp());
        for (hop, error) in live.iter().flat_map(LiveOutcome::network_errors) {
            source.push_str(&format!(
                "; {} {}: network error: {error}",
                hop.wire.method, hop.wire.url
            ));
        }
        let scenario = scenario(
            &format!("probe/{}", name.as_str()),
            name,
            input,
            server_rules(hops),
            trace,
            &source,
        );
        let replayed = match scenario.evaluate()? {
            ScenarioOutput::Single(output) => output,
            ScenarioOutput::Multi(_) => unreachable!("a probe scenario has one request"),
        };
        let (output, replays) = match (&live, &request) {
            (Some(live), Ok(request)) if !same_run(&replayed, &live.outcome) => {
                let context = live.outcome.context(request, &profile);
                (
                    render(scenario.id.clone(), name, &live.outcome, &context),
                    false,
                )
            }
            _ => (replayed, true),
        };
        results.push(ProfileResult {
            profile: name,
            output,
            scenario,
            live,
            replays,
        });
    }
    Ok(ProbeReport {
        request: input.clone(),
        results,
    })
}

/// Whether the replay sent the same requests, got the same statuses and reached the same verdict.
fn same_run(replayed: &Output, live: &Outcome) -> bool {
    replayed.verdict == live.verdict.as_str()
        && replayed.exchanges.len() == live.exchanges.len()
        && replayed
            .exchanges
            .iter()
            .zip(&live.exchanges)
            .all(|(r, l)| {
                r.request.method == l.request.method
                    && r.request.url == l.request.url.as_str()
                    && r.response.as_ref().map(|o| o.as_ref().map(|x| x.status))
                        == (!l.from_cache).then(|| l.response.as_ref().map(|x| x.status))
            })
}
