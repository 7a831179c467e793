//! The audit report as text and as JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{AuditReport, Coverage, Evidence, Finding, OriginsSource, Reach, Severity};
use crate::client::Received;

/// A heading and which findings go under it.
type Group = (&'static str, fn(&Finding) -> bool);

/// Request headers shown in text evidence.
const SHOWN_REQUEST: [&str; 5] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-request-private-network",
    "authorization",
];

impl AuditReport {
    /// The report for a person: the findings grouped (exploitable, parser robustness,
    /// functional, cache), each with its evidence and fix, then the notes in one line each.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "Audit of {}", self.target);
        let origins = if self.origins.is_empty() {
            String::from("none known (pass --origin): only the checks that need none ran")
        } else {
            format!(
                "{}{}",
                self.origins.join(", "),
                match self.origins_source {
                    OriginsSource::Given => "",
                    OriginsSource::Inferred =>
                        " (inferred from the fixed Access-Control-Allow-Origin the server sends to any origin)",
                    OriginsSource::Unknown => "",
                }
            )
        };
        let _ = writeln!(text, "  legitimate origins: {origins}");
        if let Some(error) = &self.error {
            let _ = writeln!(text, "  error: {error}");
            return text;
        }
        let count =
            |pred: fn(&Coverage) -> bool| self.coverage.iter().filter(|(_, c)| pred(c)).count();
        let _ = writeln!(
            text,
            "  {} requests in {:.1} s; patterns: {} checked, {} not applicable, {} skipped",
            self.requests,
            self.elapsed.as_secs_f64(),
            count(|c| *c == Coverage::Checked),
            count(|c| matches!(c, Coverage::NotApplicable(_))),
            count(|c| matches!(c, Coverage::Skipped(_))),
        );
        let groups: [Group; 4] = [
            ("Exploitable by a web page", Finding::is_exploitable),
            (
                "Security, parser robustness only (no browser sends these probes)",
                |f| f.severity == Severity::Security && f.reach == Reach::ParserOnly,
            ),
            (
                "Functional: browsers block what the server means to allow",
                |f| f.severity == Severity::Functional,
            ),
            ("Cache and hygiene", |f| {
                matches!(f.severity, Severity::Cache | Severity::Hygiene)
            }),
        ];
        for (heading, belongs) in &groups {
            let members: Vec<&Finding> = self.findings().filter(|f| belongs(f)).collect();
            if members.is_empty() {
                continue;
            }
            let _ = writeln!(text, "\n{heading} ({})", members.len());
            for finding in members {
                write_finding(&mut text, finding);
            }
        }
        let notes: Vec<&Finding> = self.notes().collect();
        if !notes.is_empty() {
            let _ = writeln!(text, "\nNotes (not findings: the server may mean them)");
            for note in notes {
                let _ = writeln!(text, "  - #{} {}", note.pattern, note.title);
            }
        }
        let skipped: Vec<String> = self
            .coverage
            .iter()
            .filter_map(|(n, c)| match c {
                Coverage::Skipped(why) => Some(format!("#{n} ({why})")),
                _ => None,
            })
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(text, "\nSkipped: {}", skipped.join("; "));
        }
        let security = self.count(Severity::Security);
        let total = self.findings().count();
        let _ = writeln!(
            text,
            "\n{}",
            if total == 0 {
                String::from("No finding.")
            } else {
                format!(
                    "{total} finding{}: {security} security, {} functional, {} cache, {} hygiene.",
                    if total == 1 { "" } else { "s" },
                    self.count(Severity::Functional),
                    self.count(Severity::Cache),
                    self.count(Severity::Hygiene),
                )
            }
        );
        text
    }

    /// The report as JSON (see the README for the shape).
    pub fn to_json(&self) -> Value {
        json!({
            "target": self.target.as_str(),
            "origins": self.origins,
            "origins_source": self.origins_source,
            "requests": self.requests,
            "elapsed_ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "error": self.error.as_ref().map(|e| json!({"kind": e.kind(), "message": e.to_string()})),
            "summary": {
                "security": self.count(Severity::Security),
                "exploitable": self.findings().filter(|f| f.is_exploitable()).count(),
                "functional": self.count(Severity::Functional),
                "cache": self.count(Severity::Cache),
                "hygiene": self.count(Severity::Hygiene),
                "notes": self.notes().count(),
            },
            "findings": self.findings.iter().map(finding_json).collect::<Vec<_>>(),
            "coverage": self.coverage.iter().map(|(n, c)| match c {
                Coverage::Checked => json!({"pattern": n, "status": "checked"}),
                Coverage::NotApplicable(why) => json!({"pattern": n, "status": "not-applicable", "reason": why}),
                Coverage::Skipped(why) => json!({"pattern": n, "status": "skipped", "reason": why}),
            }).collect::<Vec<_>>(),
        })
    }
}

fn write_finding(text: &mut String, finding: &Finding) {
    let _ = writeln!(
        text,
        "  [{} · {}] #{} {}",
        finding.severity.as_str(),
        finding.impact.as_str(),
        finding.pattern,
        finding.title
    );
    for line in wrap(&finding.detail, 92) {
        let _ = writeln!(text, "      {line}");
    }
    for evidence in finding.evidence.iter().take(2) {
        write_evidence(text, evidence);
    }
    if finding.evidence.len() > 2 {
        let _ = writeln!(
            text,
            "      (+{} more requests in --json)",
            finding.evidence.len() - 2
        );
    }
    let mut lines = wrap(&finding.fix, 92).into_iter();
    if let Some(first) = lines.next() {
        let _ = writeln!(text, "      Fix: {first}");
    }
    for line in lines {
        let _ = writeln!(text, "           {line}");
    }
}

fn write_evidence(text: &mut String, evidence: &Evidence) {
    let request = &evidence.request;
    let _ = writeln!(text, "      Evidence: {}", evidence.label);
    let _ = writeln!(text, "        > {} {}", request.method, request.url);
    for header in &request.headers {
        let name = header.name.to_ascii_lowercase();
        if SHOWN_REQUEST.contains(&name.as_str()) {
            let _ = writeln!(text, "        > {}: {}", header.name, escape(&header.value));
        } else if name == "cookie" {
            let _ = writeln!(text, "        > Cookie: (a cookie)");
        }
    }
    match &evidence.response {
        Ok(response) => {
            let _ = writeln!(text, "        < {}", response.status);
            for header in &response.headers {
                let name = header.name.to_ascii_lowercase();
                if name.starts_with("access-control-") || name == "vary" || name == "location" {
                    let _ = writeln!(text, "        < {}: {}", header.name, escape(&header.value));
                }
            }
        }
        Err(error) => {
            let _ = writeln!(text, "        < no response: {error}");
        }
    }
}

/// Control characters shown as escapes, long values cut.
fn escape(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(160)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if value.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Words wrapped at `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A response as JSON.
pub(crate) fn response_json(response: &Received) -> Value {
    json!({
        "status": response.status,
        "version": response.version.as_str(),
        "headers": response.headers.to_pairs(),
        "elapsed_ms": u64::try_from(response.elapsed.as_millis()).unwrap_or(u64::MAX),
        "body": {
            "bytes": response.body.bytes,
            "complete": response.body.complete,
            "start": response.body.snippet_text(),
        },
    })
}

fn evidence_json(evidence: &Evidence) -> Value {
    json!({
        "label": evidence.label,
        "request": {
            "method": evidence.request.method,
            "url": evidence.request.url.as_str(),
            "headers": evidence.request.headers.to_pairs(),
        },
        "response": evidence.response.as_ref().ok().map(response_json),
        "error": evidence.response.as_ref().err().map(|e| json!({"kind": e.kind(), "message": e.to_string()})),
    })
}

pub(crate) fn finding_json(finding: &Finding) -> Value {
    let pattern = finding.pattern();
    json!({
        "id": pattern.id(),
        "pattern": finding.pattern,
        "name": pattern.name,
        "severity": finding.severity,
        "impact": finding.impact,
        "reach": finding.reach,
        "exploitable": finding.is_exploitable(),
        "title": finding.title,
        "detail": finding.detail,
        "fix": finding.fix,
        "allowed_under": finding.allowed_under,
        "evidence": finding.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
        "replay": finding.replay,
    })
}
