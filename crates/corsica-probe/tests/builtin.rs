//! The probe and the audit against the built-in loopback servers: the correct API gets no
//! finding, each mistake gets the finding it is known for.

use std::sync::Arc;

use corsica::scenario::{ProfileName, RequestInput, Scenario, ScenarioOutput};
use corsica_probe::audit::{AuditOptions, AuditReport, audit};
use corsica_probe::fixture::{Config, LoopbackServer, Policy};
use corsica_probe::probe::probe;
use corsica_probe::{BrowserHeaders, Client, ClientConfig, Session};

const PAGE: &str = "http://localhost:5173";

fn session() -> Session {
    Session::new(
        Client::new(ClientConfig::default()).expect("a client"),
        BrowserHeaders::default(),
    )
}

async fn audit_of(config: Config) -> AuditReport {
    let server = LoopbackServer::start(config)
        .await
        .expect("a loopback server");
    let options = AuditOptions {
        origins: vec![PAGE.into()],
        ..AuditOptions::default()
    };
    let report = audit(Arc::new(session()), server.url("/api/data"), &options).await;
    server.stop().await;
    assert!(report.error.is_none(), "{:?}", report.error);
    report
}

fn patterns(report: &AuditReport) -> Vec<u8> {
    report.findings().map(|f| f.pattern).collect()
}

#[tokio::test]
async fn the_correct_api_gets_no_finding() {
    let report = audit_of(Config::Correct(Policy::json_api(PAGE))).await;
    assert_eq!(patterns(&report), Vec::<u8>::new(), "{}", report.to_text());
    assert!(!report.has_security_finding());
}

#[tokio::test]
async fn each_mistake_gets_its_finding() {
    let cases = [
        (Config::Reflecting, vec![1, 4, 31]),
        (Config::WildcardWithCredentials, vec![16, 17]),
        (
            Config::NginxIfPreflight {
                origin: PAGE.into(),
            },
            vec![35],
        ),
        (Config::AuthorizationUnderWildcard, vec![16, 28]),
        (
            Config::TrailingSlash {
                origin: PAGE.into(),
            },
            vec![19],
        ),
    ];
    for (config, expected) in cases {
        let report = audit_of(config.clone()).await;
        let mut found = patterns(&report);
        found.sort_unstable();
        assert_eq!(found, expected, "{config:?}\n{}", report.to_text());
    }
}

#[tokio::test]
async fn a_probe_replays_offline() {
    let server = LoopbackServer::start(Config::NginxIfPreflight {
        origin: PAGE.into(),
    })
    .await
    .expect("a loopback server");
    let input: RequestInput = serde_json::from_value(serde_json::json!({
        "origin": PAGE,
        "url": server.url("/api/data").as_str(),
        "method": "PUT",
        "headers": [["Content-Type", "application/json"]],
        "credentials": "include",
    }))
    .unwrap();
    let session = session();
    let all = [
        ProfileName::Spec,
        ProfileName::Chromium,
        ProfileName::Firefox,
        ProfileName::Webkit,
    ];
    let report = probe(&session, &input, &all, false).await.unwrap();
    // One preflight on the wire, whatever the number of profiles.
    assert_eq!(session.requests_sent(), 1);
    server.stop().await;
    for result in &report.results {
        assert!(result.replays);
        let error = result.output.error.as_ref().expect("blocked");
        assert_eq!(error.kind, "PreflightMissingAllowOriginHeader");
        // The recording, without the server, gives the same output.
        let vector = result.replay_json();
        let scenario = Scenario::from_json(&vector.to_string()).unwrap();
        let ScenarioOutput::Single(replayed) = scenario.evaluate().unwrap() else {
            panic!("one request");
        };
        assert_eq!(serde_json::to_value(&replayed).unwrap(), vector["expected"]);
    }
}
