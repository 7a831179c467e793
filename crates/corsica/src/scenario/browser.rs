//! A browser tab through which a scenario's requests run.

use alloc::string::String;
use core::time::Duration;

use super::{InputError, Output, ProfileName, RequestInput, Server, render};
use crate::cache::PreflightCache;
use crate::fetch::{Fetch, Outcome, Verdict, run};
use crate::message::Context;
use crate::profile::{Engine, Profile};
use crate::warning::{Warning, WarningKind};

/// A browser tab: a profile, a preflight cache and a clock, through which requests run one after
/// another (the `requests` scenario, the npm `Browser` class, live probes).
#[derive(Clone, Debug)]
pub struct Browser {
    name: ProfileName,
    profile: Profile,
    cache: PreflightCache,
    now: Duration,
    trace: bool,
    /// For a browser profile: the preflight cache of the same requests under `spec`, so that an
    /// allowed verdict the standard would block is flagged (`SpecWouldBlock`).
    spec_cache: Option<PreflightCache>,
    /// Whether later requests will follow: the `spec` run then keeps its cache in step even
    /// when the browser blocks; for a single request it only runs when the browser allows.
    more_to_come: bool,
}

impl Browser {
    /// A browser of profile `name`, at time zero, with an empty preflight cache.
    pub fn new(name: ProfileName) -> Self {
        let profile = Profile::of(name.into());
        Self {
            name,
            profile,
            cache: PreflightCache::new(&profile),
            now: Duration::ZERO,
            trace: false,
            spec_cache: (profile.engine != Engine::Spec)
                .then(|| PreflightCache::new(&Profile::SPEC)),
            more_to_come: true,
        }
    }

    /// A browser that runs a single request and is then dropped.
    pub(super) fn for_one_request(name: ProfileName) -> Self {
        Self {
            more_to_come: false,
            ..Self::new(name)
        }
    }

    /// Records the step trace in each output.
    #[must_use]
    pub fn with_trace(mut self, trace: bool) -> Self {
        self.trace = trace;
        self
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The current time, since the browser started.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Moves the clock to `at` (never backwards).
    pub fn set_time(&mut self, at: Duration) {
        self.now = self.now.max(at);
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Runs one request (validated at `path` for error messages) against `server`.
    pub fn fetch(
        &mut self,
        input: &RequestInput,
        path: &str,
        server: &Server<'_>,
        id: Option<String>,
    ) -> Result<Output, InputError> {
        let name = self.name;
        self.run(input, path, server, |outcome, context| {
            render(id, name, outcome, context)
        })
    }

    /// [`Browser::fetch`], the output appended to `out` as compact JSON rather than built.
    #[cfg(feature = "json")]
    pub fn fetch_json(
        &mut self,
        input: &RequestInput,
        path: &str,
        server: &Server<'_>,
        id: Option<&str>,
        out: &mut String,
    ) -> Result<(), InputError> {
        let profile = self.name;
        self.run(input, path, server, |outcome, context| {
            let json = crate::json::OutcomeJson {
                id,
                profile,
                outcome,
                context,
            };
            crate::json::ToJson::write_json(&json, out);
        })
    }

    /// Runs one request against `server` and hands its outcome to `render`, with what its
    /// messages are worded with.
    fn run<T>(
        &mut self,
        input: &RequestInput,
        path: &str,
        server: &Server<'_>,
        render: impl FnOnce(&Outcome, &Context<'_>) -> T,
    ) -> Result<T, InputError> {
        let page = input.page_url(path)?;
        let output = match input.to_request_parsed(path, server.parsed(&input.url))? {
            Ok(request) => {
                let mut fetch = Fetch::new(&request, &self.profile, &mut self.cache, self.now);
                if self.trace {
                    fetch = fetch.with_trace();
                }
                let mut outcome = run(fetch, |sent| server.respond(sent));
                let shadow = self.more_to_come || outcome.verdict == Verdict::Allowed;
                if let Some(spec_cache) = self.spec_cache.as_mut().filter(|_| shadow) {
                    let spec = Fetch::new(&request, &Profile::SPEC, spec_cache, self.now);
                    let spec = run(spec, |sent| server.respond(sent));
                    let explained = outcome
                        .warnings
                        .iter()
                        .any(|w| w.kind.explains_a_deviation());
                    if let (Verdict::Allowed, Some(failure), false) =
                        (outcome.verdict, &spec.failure, explained)
                    {
                        let warning =
                            Warning::new(WarningKind::SpecWouldBlock, failure.kind.name());
                        outcome.warnings.push(warning);
                    }
                }
                let context = Context {
                    page: page.as_ref(),
                    ..outcome.context(&request, &self.profile)
                };
                render(&outcome, &context)
            }
            Err((rejection, url)) => {
                let outcome = Outcome::rejected(&rejection, &url);
                let context = Context {
                    profile: &self.profile,
                    origin: &input.origin,
                    page: page.as_ref(),
                    initial_url: &url,
                    method: &input.method,
                    credentials: input.credentials.into(),
                    response_headers: None,
                    target_address_space: input.target_address_space.map(Into::into),
                };
                render(&outcome, &context)
            }
        };
        Ok(output)
    }
}
