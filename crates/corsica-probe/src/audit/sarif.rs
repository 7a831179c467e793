//! Audit reports as [SARIF 2.1.0](https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
//! for code-scanning dashboards: one rule per pattern (`CORS000` to `CORS043`), one result per
//! finding or note, located at the audited URL.

use serde_json::{Value, json};

use super::patterns::{PATTERNS, Severity};
use super::{AuditReport, Finding, Impact, Reach};

/// The SARIF log for `reports`.
pub fn sarif(reports: &[AuditReport]) -> Value {
    let rules: Vec<Value> = PATTERNS
        .iter()
        .map(|p| {
            let mut properties = json!({
                "tags": [p.severity.as_str(), "cors"],
            });
            if p.severity == Severity::Security {
                properties["security-severity"] = json!("7.5");
            }
            json!({
                "id": p.id(),
                "name": p.name,
                "shortDescription": {"text": p.name},
                "fullDescription": {"text": p.summary},
                "help": {"text": p.fix},
                "defaultConfiguration": {"level": if p.severity == Severity::Security { "error" } else { "warning" }},
                "properties": properties,
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report
                .findings
                .iter()
                .map(move |finding| result(report.target.as_str(), finding))
        })
        .collect();
    let notifications: Vec<Value> = reports
        .iter()
        .filter_map(|r| {
            r.error.as_ref().map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{}: {e}", r.target)},
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "corsica",
                "informationUri": "https://github.com/corsica-rs/corsica",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": reports.iter().all(|r| r.error.is_none()),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

fn level(finding: &Finding) -> &'static str {
    match (finding.impact, finding.severity, finding.reach) {
        (Impact::Note, _, _) => "note",
        (_, Severity::Security, Reach::Browser) => "error",
        (_, Severity::Cache | Severity::Hygiene, _) => "note",
        _ => "warning",
    }
}

fn result(target: &str, finding: &Finding) -> Value {
    let pattern = finding.pattern();
    let mut properties = json!({
        "severity": finding.severity,
        "impact": finding.impact,
        "reach": finding.reach,
        "exploitable": finding.is_exploitable(),
        "allowedUnder": finding.allowed_under,
    });
    if let Some(evidence) = finding.evidence.first() {
        properties["request"] = json!(format!(
            "{} {}",
            evidence.request.method, evidence.request.url
        ));
    }
    json!({
        "ruleId": pattern.id(),
        "ruleIndex": finding.pattern,
        "level": level(finding),
        "message": {"text": format!("{}. {} Fix: {}", finding.title, finding.detail, finding.fix)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": target}}}],
        "partialFingerprints": {"corsica/pattern-target": format!("{}:{target}", pattern.id())},
        "properties": properties,
    })
}
