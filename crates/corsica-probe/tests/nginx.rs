//! nginx (Debian's `nginx-light`) with the recipes of the common guides, run in the foreground
//! with its own prefix and configuration in a temporary directory: the allowlist recipe passes;
//! the `if ($request_method = 'OPTIONS')` block that drops every outer `add_header` is probed as
//! a preflight without Access-Control-Allow-Origin; `*` with credentials, a missing `always` and
//! reflection are found.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{
    Process, audit_url, free_port, manifest_dir, missing, patterns, probe_json_put, runs,
};

/// The nginx binary: `$CORSICA_PROBE_NGINX`, Debian's `/usr/sbin/nginx`, or `nginx` on the PATH.
fn nginx_binary() -> PathBuf {
    let candidates = [
        std::env::var_os("CORSICA_PROBE_NGINX").map(PathBuf::from),
        Some(PathBuf::from("/usr/sbin/nginx")),
        Some(PathBuf::from("nginx")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| runs(p, &["-v"]))
        .unwrap_or_else(|| {
            missing(
                "nginx",
                "run `cargo xtask test` (it installs Debian's nginx-light as root), or `apt-get install -y nginx-light`",
            )
        })
}

/// One nginx with every recipe, in a temporary prefix, stopped by PID and cleaned up on drop.
struct Nginx {
    process: Option<Process>,
    prefix: PathBuf,
}

impl Nginx {
    fn start() -> Self {
        let binary = nginx_binary();
        let prefix = std::env::temp_dir().join(format!("corsica-nginx-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&prefix);
        std::fs::create_dir_all(prefix.join("tmp")).expect("a temporary prefix");
        let fixtures = manifest_dir().join("tests/fixtures/nginx");
        let port = free_port();
        let config = std::fs::read_to_string(fixtures.join("nginx.conf.in"))
            .expect("nginx.conf.in")
            .replace("@PREFIX@", &prefix.display().to_string())
            .replace("@PORT@", &port.to_string());
        std::fs::write(prefix.join("nginx.conf"), config).expect("nginx.conf");
        for include in ["cors-allowlist-always.conf", "cors-allowlist.conf"] {
            std::fs::copy(fixtures.join(include), prefix.join(include)).expect("an include");
        }
        let mut command = Command::new(&binary);
        command
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .arg("-e")
            .arg(prefix.join("error.log"));
        let process = Process::on_port("nginx", command, port);
        Self {
            process: Some(process),
            prefix,
        }
    }

    fn process(&self) -> &Process {
        self.process.as_ref().expect("running")
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        drop(self.process.take());
        let _ = std::fs::remove_dir_all(&self.prefix);
    }
}

fn log(prefix: &Path) -> String {
    std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default()
}

#[tokio::test]
async fn nginx_recipes() {
    let nginx = Nginx::start();
    let server = nginx.process();

    // 1. The allowlist recipe: no finding.
    let report = audit_url(server.url("/correct/data")).await;
    assert_eq!(
        patterns(&report),
        Vec::<u8>::new(),
        "{}\n{}",
        report.to_text(),
        log(&nginx.prefix)
    );
    let allowed = probe_json_put(&server.url("/correct/data")).await;
    assert!(allowed.allowed_everywhere());

    // 2. The `if` block: the probe reports a preflight without Access-Control-Allow-Origin.
    let url = server.url("/if-block/data");
    let probe = probe_json_put(&url).await;
    for result in &probe.results {
        let error = result.output.error.as_ref().expect("blocked");
        assert_eq!(
            error.kind,
            "PreflightMissingAllowOriginHeader",
            "{}",
            result.profile.as_str()
        );
        assert_eq!(error.stage, "preflight");
        let preflight = &result.output.exchanges[0];
        assert_eq!(preflight.kind, "preflight");
        let response = preflight.response.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(response.status, 204);
        assert!(
            response
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("access-control-allow-methods"))
        );
        assert!(
            !response
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("access-control-allow-origin"))
        );
    }
    let report = audit_url(url).await;
    assert_eq!(patterns(&report), vec![35], "{}", report.to_text());

    // 3. `*` with credentials.
    let report = audit_url(server.url("/wildcard-credentials/data")).await;
    assert_eq!(patterns(&report), vec![16, 17], "{}", report.to_text());

    // 4. No `always`: the 404 loses the headers.
    let report = audit_url(server.url("/no-always/data")).await;
    assert_eq!(patterns(&report), vec![34], "{}", report.to_text());

    // 5. Reflection.
    let report = audit_url(server.url("/reflect/data")).await;
    let found = patterns(&report);
    assert!(
        found.contains(&1) && found.contains(&31),
        "{}",
        report.to_text()
    );
    assert!(report.has_security_finding());

    drop(nginx);
}
