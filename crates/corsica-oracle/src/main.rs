//! The `corsica-oracle` command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use corsica_oracle::browser::DriverOptions;
use corsica_oracle::generate;
use corsica_oracle::install::{self, BrowserKind};
use corsica_oracle::record::{self, RecordOptions};

const USAGE: &str = "\
corsica-oracle: record what real browsers do with CORS scenarios

USAGE:
  corsica-oracle record --scenarios FILE.jsonl|VECTORS.json... --out FILE.jsonl
                        [--browser chromium|firefox|webkit|all] [--runs N] [--limit N]
                        [--fetch-timeout SECONDS] [--batch-size N] [--serial] [--no-install] [--quiet]
                        [--chromium-arg ARG]... [--firefox-pref 'NAME, VALUE']...
  corsica-oracle generate --seed S --count N [--out FILE.jsonl]
  corsica-oracle install [--browser chromium|firefox|webkit|all]

Scenarios use the placeholder origins http://page.test (the page), http://api.test
(same-site, another port) and http://other.test (cross-site), or WPT's
http://web-platform.test:8000 (the page), http://www1.web-platform.test:8000,
http://web-platform.test:8001, http://www2.web-platform.test:8000 and
http://www1.web-platform.test:8001. --scenarios may be repeated; a vector file
(a JSON array, strings are comments) is read like JSONL; a `*` in a file name
matches the files of its directory (`spec-tests/vectors/wpt-*.json`).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corsica-oracle: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    flags: Vec<(String, Option<String>)>,
}

impl Args {
    fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Self, String> {
        let mut flags = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
                _ => (a.clone(), None),
            };
            if with_value.contains(&name.as_str()) {
                let v = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .ok_or_else(|| format!("{name} needs a value"))?
                        .clone(),
                };
                flags.push((name, Some(v)));
            } else if switches.contains(&name.as_str()) {
                flags.push((name, None));
            } else {
                return Err(format!("unknown argument `{a}`\n\n{USAGE}"));
            }
        }
        Ok(Self { flags })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    fn num<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.get(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| format!("{name}: `{v}` is not a number"))
            })
            .transpose()
    }
}

fn browsers(spec: Option<&str>) -> Result<Vec<BrowserKind>, String> {
    match spec.unwrap_or("all") {
        "all" => Ok(BrowserKind::ALL.to_vec()),
        list => list
            .split(',')
            .map(|b| {
                BrowserKind::parse(b.trim()).ok_or_else(|| {
                    format!("unknown browser `{b}` (chromium, firefox, webkit, all)")
                })
            })
            .collect(),
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some(cmd) = args.first() else {
        eprint!("{USAGE}");
        return Err("no command".into());
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "record" => {
            let a = Args::parse(
                rest,
                &[
                    "--browser",
                    "--scenarios",
                    "--out",
                    "--runs",
                    "--limit",
                    "--fetch-timeout",
                    "--batch-size",
                    "--chromium-arg",
                    "--firefox-pref",
                ],
                &["--no-install", "--quiet", "--serial"],
            )?;
            let scenarios: Vec<PathBuf> =
                a.all("--scenarios").into_iter().map(Into::into).collect();
            if scenarios.is_empty() {
                return Err("record needs --scenarios FILE.jsonl".into());
            }
            let out_path = PathBuf::from(a.get("--out").ok_or("record needs --out FILE.jsonl")?);
            let opts = RecordOptions {
                browsers: browsers(a.get("--browser"))?,
                runs: a.num("--runs")?.unwrap_or(1).max(1),
                fetch_timeout: Duration::from_secs_f64(
                    a.num::<f64>("--fetch-timeout")?.unwrap_or(5.0).max(0.5),
                ),
                batch_size: a.num("--batch-size")?.unwrap_or(50).max(1),
                driver: DriverOptions {
                    chromium_args: a.all("--chromium-arg"),
                    firefox_prefs: a.all("--firefox-pref"),
                },
                progress: !a.has("--quiet"),
                install: !a.has("--no-install"),
                serial: a.has("--serial"),
            };
            let inputs = record::read_all_scenarios(&scenarios, a.num("--limit")?)?;
            let mut out = record::open_out(&out_path)?;
            let timings = record::record(&inputs, &opts, &mut out)?;
            out.flush().map_err(|e| e.to_string())?;
            for t in timings {
                eprintln!(
                    "{}: {} recorded, {} not playable, {} unstable, {} browser failures, {} restarts, {:.1} s",
                    t.browser.name(),
                    t.played,
                    t.unsupported,
                    t.unstable,
                    t.failures,
                    t.restarts,
                    t.elapsed.as_secs_f64()
                );
            }
            eprintln!("wrote {}", out_path.display());
            Ok(())
        }
        "generate" => {
            let a = Args::parse(rest, &["--seed", "--count", "--out"], &[])?;
            let seed: u64 = a.num("--seed")?.ok_or("generate needs --seed S")?;
            let count: usize = a.num("--count")?.ok_or("generate needs --count N")?;
            let mut text = String::new();
            for s in generate::generate(seed, count) {
                text.push_str(&serde_json::to_string(&s).map_err(|e| e.to_string())?);
                text.push('\n');
            }
            match a.get("--out") {
                Some(p) => std::fs::write(p, text).map_err(|e| format!("{p}: {e}"))?,
                None => std::io::stdout()
                    .write_all(text.as_bytes())
                    .map_err(|e| e.to_string())?,
            }
            Ok(())
        }
        "install" => {
            let a = Args::parse(rest, &["--browser"], &[])?;
            let kinds = browsers(a.get("--browser"))?;
            install::ensure(&kinds, &mut |m| eprintln!("{m}"))?;
            for k in kinds {
                let v = install::package_version(k.main_package()).unwrap_or_else(|| "?".into());
                eprintln!(
                    "{}: {} ({} {v})",
                    k.name(),
                    install::executable(k).display(),
                    k.main_package()
                );
            }
            Ok(())
        }
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}
