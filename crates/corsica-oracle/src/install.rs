//! Finding the browsers, and installing Debian's packages when they are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The three engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BrowserKind {
    /// Debian's `chromium`.
    Chromium,
    /// Debian's `firefox-esr`.
    Firefox,
    /// WebKitGTK's MiniBrowser under Xvfb.
    Webkit,
}

impl BrowserKind {
    /// All of them.
    pub const ALL: [Self; 3] = [Self::Chromium, Self::Firefox, Self::Webkit];

    /// `chromium`, `firefox`, `webkit`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
            Self::Webkit => "webkit",
        }
    }

    /// Parses a name given on the command line.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "chromium" | "chrome" => Some(Self::Chromium),
            "firefox" | "firefox-esr" => Some(Self::Firefox),
            "webkit" | "webkitgtk" | "minibrowser" => Some(Self::Webkit),
            _ => None,
        }
    }

    /// Debian packages it needs.
    pub fn packages(self) -> &'static [&'static str] {
        match self {
            Self::Chromium => &["chromium"],
            Self::Firefox => &["firefox-esr"],
            Self::Webkit => &["libwebkit2gtk-4.1-0", "xvfb"],
        }
    }

    /// The package whose version is the browser's.
    pub fn main_package(self) -> &'static str {
        self.packages()[0]
    }

    /// The files that must exist, with the environment variable that can override each.
    fn binaries(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Chromium => vec![("CORSICA_CHROMIUM", "/usr/bin/chromium")],
            Self::Firefox => vec![("CORSICA_FIREFOX", "/usr/bin/firefox-esr")],
            Self::Webkit => vec![
                ("CORSICA_MINIBROWSER", MINIBROWSER),
                ("CORSICA_XVFB", "/usr/bin/Xvfb"),
            ],
        }
    }
}

/// Where Debian's WebKitGTK puts MiniBrowser.
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

fn resolve(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The main executable of a browser (or Xvfb for [`xvfb`]).
pub fn executable(kind: BrowserKind) -> PathBuf {
    let (var, default) = kind.binaries()[0];
    resolve(var, default)
}

/// The Xvfb executable.
pub fn xvfb() -> PathBuf {
    resolve("CORSICA_XVFB", "/usr/bin/Xvfb")
}

fn missing(kinds: &[BrowserKind]) -> Vec<(BrowserKind, PathBuf)> {
    let mut out = Vec::new();
    for &k in kinds {
        for (var, default) in k.binaries() {
            let p = resolve(var, default);
            if !Path::new(&p).exists() {
                out.push((k, p));
            }
        }
    }
    out
}

/// Makes sure the browsers are there, running `apt-get update && apt-get install -y …` for the
/// packages that are missing (once). Errors name what is missing.
pub fn ensure(kinds: &[BrowserKind], log: &mut dyn FnMut(&str)) -> Result<(), String> {
    let absent = missing(kinds);
    if absent.is_empty() {
        return Ok(());
    }
    let mut packages: Vec<&str> = Vec::new();
    for (k, _) in &absent {
        for p in k.packages() {
            if !packages.contains(p) {
                packages.push(p);
            }
        }
    }
    let what = absent
        .iter()
        .map(|(k, p)| format!("{} ({})", k.name(), p.display()))
        .collect::<Vec<_>>()
        .join(", ");
    if !nix::unistd::Uid::effective().is_root() {
        return Err(format!(
            "missing: {what}; not running as root, so cannot install. Run: apt-get update && apt-get install -y {}",
            packages.join(" ")
        ));
    }
    log(&format!(
        "corsica-oracle: missing {what}; installing {} with apt-get",
        packages.join(" ")
    ));
    let run = |args: &[&str]| -> Result<(), String> {
        let status = Command::new("apt-get")
            .args(["-o", "DPkg::Lock::Timeout=300"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("apt-get {} failed ({status})", args.join(" ")))
        }
    };
    run(&["update"]).map_err(|e| format!("missing: {what}; {e}"))?;
    let mut args = vec!["install", "-y"];
    args.extend(packages.iter().copied());
    run(&args).map_err(|e| format!("missing: {what}; {e}"))?;
    let still = missing(kinds);
    if still.is_empty() {
        Ok(())
    } else {
        let what = still
            .iter()
            .map(|(k, p)| format!("{} ({})", k.name(), p.display()))
            .collect::<Vec<_>>()
            .join(", ");
        Err(format!(
            "still missing after apt-get install {}: {what}",
            packages.join(" ")
        ))
    }
}

/// The Debian package version (`156.0.8078.108-1~deb12u1`), if installed.
pub fn package_version(package: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", package])
        .output()
        .ok()?;
    let v = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !v.is_empty()).then_some(v)
}

/// The upstream part of a Debian version: `156.0.8078.108-1~deb12u1` → `156.0.8078.108`.
pub fn upstream_version(debian: &str) -> String {
    let no_epoch = debian.split_once(':').map_or(debian, |(_, v)| v);
    no_epoch
        .rsplit_once('-')
        .map_or(no_epoch, |(v, _)| v)
        .to_owned()
}

/// What `--version` prints (Chromium, Firefox), first line.
pub fn version_output(exe: &Path) -> Option<String> {
    let out = Command::new(exe).arg("--version").output().ok()?;
    let s = String::from_utf8_lossy(&out.stdout);
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            upstream_version("156.0.8078.108-1~deb12u1"),
            "156.0.8078.108"
        );
        assert_eq!(upstream_version("153.7.0esr-1~deb12u1"), "153.7.0esr");
        assert_eq!(upstream_version("2:21.1.7-3+deb12u13"), "21.1.7");
        assert_eq!(upstream_version("2.50.6"), "2.50.6");
    }

    #[test]
    fn names() {
        for k in BrowserKind::ALL {
            assert_eq!(BrowserKind::parse(k.name()), Some(k));
        }
    }
}
