//! The `corsica` npm package: `cargo xtask wasm` builds it into `wasm/pkg/`, the `test` task runs
//! its tests, `cargo xtask playground` serves the playground.
//!
//! The build installs what it needs and skips what is already there: the `wasm32-unknown-unknown`
//! target, `wasm-bindgen-cli` at exactly the version of the `wasm-bindgen` crate in `Cargo.lock`,
//! and the npm tools of `wasm/package.json` (`binaryen`'s `wasm-opt`, `typescript`,
//! `puppeteer-core`, `esbuild`; `vitest`, `jest`, `hono` and `itty-router` for the tests of
//! `corsica/conformance`). The package holds two builds of the same crate:
//!
//! - `corsica_bg.wasm`, for browsers and bundlers (the ES-module glue of `--target web`), built
//!   for size: opt-level `z`, then `wasm-opt` for size (`SIZE_PASSES`), by a pinned nightly Rust
//!   with `std` rebuilt for size (`-Z build-std`, immediate-abort panics, no panic locations: 22
//!   KB less gzipped than stable's prebuilt `std`, whose panic machinery, messages and locations
//!   come along otherwise). The build installs that nightly (with `rust-src` and the wasm target)
//!   the first time.
//! - `corsica_node.wasm`, for node (the CommonJS glue of `--target nodejs`, which reads it from
//!   disk), built for speed by stable Rust: opt-level 3, then `wasm-opt -O3`; 1.8 times as many
//!   verdicts a second as the size build, at about 1.6 times its size.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{cargo, ensure_rustup, root, step};

/// The target the package is built for.
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile of the browsers' build (`wasm/Cargo.toml`): for size.
const PROFILE: &str = "wasm";
/// The cargo profile of node's build (`wasm/Cargo.toml`): for speed.
const NODE_PROFILE: &str = "wasm-node";
/// The size budget of the gzipped `.wasm`.
const GZIP_BUDGET: u64 = 60 * 1024;
/// The nightly Rust that builds the package's `.wasm`: pinned, because the flags below are
/// unstable and have changed between nightlies (`panic_immediate_abort` became
/// `-Cpanic=immediate-abort` in 2025).
const NIGHTLY: &str = "nightly-2026-05-20";
/// The flags of the package's build (target artifacts only: with `--target`, build scripts and
/// proc macros are built without them): a panic aborts at once, with no message, location or
/// formatting machinery behind it (the package never panics on any input: the tests feed it
/// bad input, which throws `CorsicaInputError`).
const RUSTFLAGS: &str = "-Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort";
/// `std` rebuilt for the package: only what it uses, with `optimize_for_size` (smaller sorting
/// and string routines).
const BUILD_STD: [&str; 2] = [
    "-Zbuild-std=std,panic_abort",
    "-Zbuild-std-features=optimize_for_size",
];
/// `core`, `alloc` and `compiler_builtins` at opt-level 3, as in the prebuilt `std`: at the
/// profile's `z`, their small routines (vector growth, `String::push`, comparisons, `memcmp`)
/// made the package 10% slower a verdict, for no gain in size. (Cargo warns that these package
/// specs match nothing in the workspace; they apply to the `std` it builds.)
const STD_OPT_LEVEL: [&str; 6] = [
    "--config",
    "profile.wasm.package.core.opt-level=3",
    "--config",
    "profile.wasm.package.alloc.opt-level=3",
    "--config",
    "profile.wasm.package.compiler_builtins.opt-level=3",
];
/// The `wasm-opt` passes of the browsers' build: `-Oz` twice over the control flow rebuilt from
/// scratch (`--flatten --rereloop`), until a round no longer shrinks it (`--converge`): 0.8 KB
/// smaller gzipped than one `-Oz`, in twice the time (about 20 s).
const SIZE_PASSES: [&str; 5] = ["--flatten", "--rereloop", "-Oz", "-Oz", "--converge"];
/// The features rustc emits for `wasm32-unknown-unknown`, which `wasm-opt` must accept.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn wasm_dir() -> PathBuf {
    root().join("wasm")
}

/// The build directory (shared by the root workspace and the wasm crate's own).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// `cargo` in the wasm crate's own workspace (`wasm/Cargo.toml`, with its own lockfile), building
/// into the root's target directory.
fn wasm_cargo() -> Command {
    let mut command = cargo();
    command
        .current_dir(wasm_dir())
        .env("CARGO_TARGET_DIR", target_dir());
    command
}

/// The pinned nightly with `rust-src` and the wasm target, installed if any of them is missing.
fn ensure_nightly() -> Result<(), String> {
    let sysroot = Command::new("rustup")
        .args(["run", NIGHTLY, "rustc", "--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let ready = sysroot.is_some_and(|root| {
        let rustlib = root.join("lib/rustlib");
        rustlib.join("src/rust/library/std").is_dir() && rustlib.join(WASM_TARGET).is_dir()
    });
    if ready {
        return Ok(());
    }
    step(
        &format!("install {NIGHTLY} with rust-src and {WASM_TARGET} (for the package's build)"),
        Command::new("rustup").args([
            "toolchain",
            "install",
            NIGHTLY,
            "--profile",
            "minimal",
            "--component",
            "rust-src",
            "--target",
            WASM_TARGET,
        ]),
    )
}

/// `cargo` of the pinned nightly in the wasm crate's workspace, with `std` rebuilt for size.
fn nightly_wasm_build() -> Command {
    let mut command = Command::new("rustup");
    command
        .args([
            "run",
            NIGHTLY,
            "cargo",
            "build",
            "--locked",
            "--target",
            WASM_TARGET,
        ])
        .args(["--profile", PROFILE])
        .args(BUILD_STD)
        .args(STD_OPT_LEVEL)
        .current_dir(wasm_dir())
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", RUSTFLAGS)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO");
    command
}

/// The file name of node's build in the package.
const NODE_WASM: &str = "corsica_node.wasm";

/// The CommonJS glue of `--target nodejs`, reading node's build instead of `corsica_bg.wasm`.
fn reading_node_wasm(glue: &str) -> Result<String, String> {
    let read = "`${__dirname}/corsica_bg.wasm`";
    if glue.matches(read).count() != 1 {
        return Err(format!(
            "the node glue of wasm-bindgen no longer reads {read} once: update reading_node_wasm"
        ));
    }
    Ok(glue.replace(read, &format!("`${{__dirname}}/{NODE_WASM}`")))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The package folder.
fn pkg_dir() -> PathBuf {
    wasm_dir().join("pkg")
}

fn npm_bin(name: &str) -> PathBuf {
    wasm_dir().join("node_modules/.bin").join(name)
}

/// Runs `program --version`, if it can be run.
fn version_of(program: &Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A program that must be installed by hand.
fn require(program: &str, install: &str) -> Result<String, String> {
    version_of(Path::new(program)).ok_or_else(|| format!("`{program}` is missing: {install}"))
}

/// The version of `package` in the wasm crate's `Cargo.lock`.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = wasm_dir().join("Cargo.lock");
    let text = fs::read_to_string(&lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = text
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = text[start..]
        .find('"')
        .ok_or_else(|| format!("Cargo.lock: bad version of {package}"))?;
    Ok(text[start..start + end].to_owned())
}

/// The `wasm-bindgen` CLI at exactly the version of the crate, installed if need be.
fn ensure_wasm_bindgen() -> Result<PathBuf, String> {
    let version = locked_version("wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        PathBuf::from,
    );
    let installed = cargo_home.join("bin/wasm-bindgen");
    for candidate in [PathBuf::from("wasm-bindgen"), installed.clone()] {
        if version_of(&candidate).as_deref() == Some(wanted.as_str()) {
            return Ok(candidate);
        }
    }
    let exact = format!("={version}");
    let locked = step(
        &format!("install wasm-bindgen-cli {version} (--locked; a few minutes)"),
        Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &exact,
            "--locked",
        ]),
    );
    if locked.is_err() {
        // Its lockfile may name a dependency version the registry does not carry (yanked, or a
        // mirror that lags): resolve afresh; the CLI itself is still exactly `version`.
        step(
            &format!("install wasm-bindgen-cli {version} (dependencies resolved afresh)"),
            Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &exact]),
        )?;
    }
    if version_of(&installed).as_deref() == Some(wanted.as_str()) {
        Ok(installed)
    } else {
        Err(format!(
            "wasm-bindgen-cli {version} was installed but {} does not report it",
            installed.display()
        ))
    }
}

/// Whether `dir/node_modules` was installed from `dir/package-lock.json` as it is now.
fn npm_installed_fresh(dir: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(&dir.join("package-lock.json")),
        modified(&dir.join("node_modules/.package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    }
}

/// `npm ci` in `dir` (`what` names what it installs).
fn npm_ci(dir: &Path, what: &str) -> Result<(), String> {
    step(
        &format!("npm ci ({what})"),
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// The npm tools of `wasm/package.json`, installed (`npm ci`) when missing or out of date.
fn ensure_npm_tools() -> Result<(), String> {
    require(
        "node",
        "install Node.js 18 or later (Debian: apt-get install nodejs npm)",
    )?;
    require("npm", "install npm (Debian: apt-get install npm)")?;
    let complete = ["wasm-opt", "tsc", "esbuild", "vite", "vitest", "jest"]
        .iter()
        .all(|bin| npm_bin(bin).exists())
        && ["hono", "itty-router", "fast-check"]
            .iter()
            .all(|package| wasm_dir().join("node_modules").join(package).exists());
    if npm_installed_fresh(&wasm_dir()) && complete {
        return Ok(());
    }
    npm_ci(
        &wasm_dir(),
        "wasm/: binaryen, typescript, puppeteer-core, vite, vitest, jest, hono, …",
    )
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The size of `path` gzipped at level 9 (through node, which the package needs anyway).
fn gzip_size(path: &Path) -> Result<u64, String> {
    let script = "process.stdout.write(String(require('zlib').gzipSync(require('fs').readFileSync(process.argv[1]), {level: 9}).length))";
    let output = Command::new("node")
        .args(["-e", script])
        .arg(path)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| format!("cannot measure the gzipped size of {}", path.display()))
}

/// The workspace version (the package's version).
fn workspace_version() -> Result<String, String> {
    let manifest = root().join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let section = text
        .split("[workspace.package]")
        .nth(1)
        .ok_or("Cargo.toml has no [workspace.package]")?;
    section
        .lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("version")?
                .trim()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| String::from("Cargo.toml: no workspace version"))
}

/// The package's `package.json`.
fn package_json(version: &str) -> String {
    format!(
        r#"{{
  "name": "corsica",
  "version": "{version}",
  "description": "The browser's CORS verdict without a browser: a browser-faithful model of the CORS protocol of the WHATWG Fetch Standard (WebAssembly).",
  "license": "MIT OR Apache-2.0",
  "repository": {{
    "type": "git",
    "url": "git+https://github.com/corsica-rs/corsica.git",
    "directory": "wasm"
  }},
  "keywords": ["cors", "fetch", "preflight", "whatwg", "browser", "testing", "webassembly"],
  "engines": {{
    "node": ">=18"
  }},
  "main": "./corsica.js",
  "types": "./corsica.d.ts",
  "exports": {{
    ".": {{
      "node": {{
        "import": {{
          "types": "./corsica.d.mts",
          "default": "./corsica.mjs"
        }},
        "require": {{
          "types": "./corsica.d.ts",
          "default": "./corsica.js"
        }}
      }},
      "default": {{
        "types": "./web/index.d.ts",
        "default": "./web/index.js"
      }}
    }},
    "./conformance": {{
      "import": {{
        "types": "./conformance.d.mts",
        "default": "./conformance.mjs"
      }},
      "require": {{
        "types": "./conformance.d.cts",
        "default": "./conformance.cjs"
      }}
    }},
    "./corsica_bg.wasm": "./corsica_bg.wasm",
    "./package.json": "./package.json"
  }},
  "peerDependencies": {{
    "fast-check": ">=3.0.0"
  }},
  "peerDependenciesMeta": {{
    "fast-check": {{
      "optional": true
    }}
  }},
  "files": [
    "corsica_bg.wasm",
    "corsica_node.wasm",
    "corsica.js",
    "corsica.d.ts",
    "corsica.mjs",
    "corsica.d.mts",
    "conformance.cjs",
    "conformance.d.cts",
    "conformance.mjs",
    "conformance.d.mts",
    "snippets/",
    "web/"
  ]
}}
"#
    )
}

/// `cargo xtask wasm`: builds the npm package into `wasm/pkg/`.
pub(crate) fn build() -> Result<(), String> {
    let started = Instant::now();
    ensure_nightly()?;
    ensure_rustup("target", WASM_TARGET)?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    ensure_npm_tools()?;

    step(
        &format!(
            "cargo +{NIGHTLY} build -p corsica-wasm ({WASM_TARGET}, profile {PROFILE}, std built for size)"
        ),
        &mut nightly_wasm_build(),
    )?;
    step(
        &format!("cargo build -p corsica-wasm ({WASM_TARGET}, profile {NODE_PROFILE})"),
        wasm_cargo().args([
            "build",
            "--locked",
            "--target",
            WASM_TARGET,
            "--profile",
            NODE_PROFILE,
        ]),
    )?;
    let built =
        |profile: &str| target_dir().join(format!("{WASM_TARGET}/{profile}/corsica_wasm.wasm"));
    let staging = target_dir().join("wasm-pkg");
    let _ = fs::remove_dir_all(&staging);
    for (target, profile, extra) in [
        ("nodejs", NODE_PROFILE, None),
        ("web", PROFILE, Some("--omit-default-module-path")),
    ] {
        let out = staging.join(target);
        let mut command = Command::new(&wasm_bindgen);
        command
            .args(["--target", target, "--out-name", "corsica", "--out-dir"])
            .arg(&out)
            .arg(built(profile));
        command.args(extra);
        step(&format!("wasm-bindgen --target {target}"), &mut command)?;
    }

    let pkg = pkg_dir();
    let _ = fs::remove_dir_all(&pkg);
    fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let wasm = pkg.join("corsica_bg.wasm");
    let node_wasm = pkg.join(NODE_WASM);
    for (passes, from, to) in [
        (
            SIZE_PASSES.as_slice(),
            staging.join("web/corsica_bg.wasm"),
            &wasm,
        ),
        (&["-O3"], staging.join("nodejs/corsica_bg.wasm"), &node_wasm),
    ] {
        let mut opt = Command::new(npm_bin("wasm-opt"));
        opt.args(passes)
            .args(["--strip-debug", "--strip-producers"])
            .args(WASM_FEATURES)
            .arg(from)
            .arg("-o")
            .arg(to);
        step(
            &format!("wasm-opt {} ({})", passes.join(" "), file_name(to)),
            &mut opt,
        )?;
    }

    // node: the CommonJS glue at the top, reading node's .wasm next to it; its snippet is the
    // CommonJS twin of js/error.js. The `import` entry re-exports it.
    let js = wasm_dir().join("js");
    let node_glue = staging.join("nodejs/corsica.js");
    let node_glue =
        fs::read_to_string(&node_glue).map_err(|e| format!("{}: {e}", node_glue.display()))?;
    write(&pkg.join("corsica.js"), &reading_node_wasm(&node_glue)?)?;
    copy(
        &staging.join("nodejs/corsica.d.ts"),
        &pkg.join("corsica.d.ts"),
    )?;
    copy(&js.join("node.mjs"), &pkg.join("corsica.mjs"))?;
    copy(&js.join("node.d.mts"), &pkg.join("corsica.d.mts"))?;
    // `corsica/conformance` (node): fast-check arbitraries and `checkServer`, CommonJS over
    // the CommonJS glue; the `import` entry re-exports it.
    for file in [
        "conformance.cjs",
        "conformance.d.cts",
        "conformance.mjs",
        "conformance.d.mts",
    ] {
        copy(&js.join(file), &pkg.join(file))?;
    }
    let snippets = files_under(&staging.join("nodejs/snippets"))?;
    let twin = |name: &Path| name.file_name().is_some_and(|n| n == "error.js");
    if snippets.len() != 1 || !twin(&snippets[0]) {
        return Err(format!(
            "expected one snippet (js/error.js) from wasm-bindgen, found {snippets:?}"
        ));
    }
    copy(
        &js.join("error.cjs"),
        &pkg.join("snippets").join(&snippets[0]),
    )?;

    // Browsers and bundlers: the ES-module glue in web/, its snippet as written, and the entry
    // that points it at the .wasm one folder up.
    let web = pkg.join("web");
    copy(&staging.join("web/corsica.js"), &web.join("corsica.js"))?;
    copy(&staging.join("web/corsica.d.ts"), &web.join("corsica.d.ts"))?;
    for snippet in files_under(&staging.join("web/snippets"))? {
        copy(
            &staging.join("web/snippets").join(&snippet),
            &web.join("snippets").join(&snippet),
        )?;
    }
    copy(&js.join("web.js"), &web.join("index.js"))?;
    copy(&js.join("web.d.ts"), &web.join("index.d.ts"))?;
    write(&web.join("package.json"), "{\n  \"type\": \"module\"\n}\n")?;

    write(
        &pkg.join("package.json"),
        &package_json(&workspace_version()?),
    )?;
    copy(&wasm_dir().join("README.md"), &pkg.join("README.md"))?;

    let raw = fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
    let gzipped = gzip_size(&wasm)?;
    let node_raw = fs::metadata(&node_wasm).map_err(|e| e.to_string())?.len();
    eprintln!(
        "xtask wasm: {} in {:.0} s; corsica_bg.wasm (browsers) is {raw} bytes ({:.1} KiB), {gzipped} bytes gzipped ({:.1} KiB; budget {} KiB); {NODE_WASM} (node) is {node_raw} bytes, {} gzipped",
        pkg.display(),
        started.elapsed().as_secs_f64(),
        raw as f64 / 1024.0,
        gzipped as f64 / 1024.0,
        GZIP_BUDGET / 1024,
        gzip_size(&node_wasm)?,
    );
    if gzipped > GZIP_BUDGET {
        eprintln!(
            "xtask wasm: WARNING: corsica_bg.wasm is over the {} KiB budget (see wasm/README.md, \"Size\")",
            GZIP_BUDGET / 1024
        );
    }
    Ok(())
}

/// The node benchmarks' folder (`benches/node`: plain node scripts, mentoss as a devDependency).
fn node_benches_dir() -> PathBuf {
    root().join("benches/node")
}

/// `cargo xtask bench` calls this: builds the package (which prints the size of the `.wasm`, raw
/// and gzipped, against the budget), installs the node benchmarks' dependencies (mentoss) when
/// missing or out of date, and runs the node benchmarks, which print their figures: `evaluate`
/// and `evaluateMany` per second, and corsica against mentoss on the same cases. Timings are
/// printed, never checked.
pub(crate) fn bench() -> Result<(), String> {
    build()?;
    let benches = node_benches_dir();
    if !npm_installed_fresh(&benches) {
        npm_ci(&benches, "benches/node: mentoss")?;
    }
    for script in ["evaluate.mjs", "mentoss.mjs"] {
        step(
            &format!("node benches/node/{script}"),
            Command::new("node")
                .arg(benches.join(script))
                .current_dir(root()),
        )?;
    }
    Ok(())
}

/// The gzipped size of `corsica_bg.wasm` that the package README states ("**N bytes raw, M bytes
/// gzipped**").
fn readme_gzip_size() -> Result<u64, String> {
    let readme = wasm_dir().join("README.md");
    let text = fs::read_to_string(&readme).map_err(|e| format!("{}: {e}", readme.display()))?;
    let before = text
        .split_once(" bytes gzipped**")
        .map(|(before, _)| before)
        .ok_or("wasm/README.md does not state the size (\"**N bytes raw, M bytes gzipped**\")")?;
    let digits: String = before
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .map_err(|_| String::from("wasm/README.md: the gzipped size is not a number"))
}

/// Checks the package's `.wasm` against the size its README states: more than 5% larger fails
/// (something large came in by accident, or the README is out of date), more than 5% smaller
/// asks for the README to be updated. The budget itself (60 KB gzipped) is not met yet.
fn check_size() -> Result<(), String> {
    let gzipped = gzip_size(&pkg_dir().join("corsica_bg.wasm"))?;
    let stated = readme_gzip_size()?;
    if gzipped * 100 > stated * 105 {
        return Err(format!(
            "corsica_bg.wasm is {gzipped} bytes gzipped, more than 5% over the {stated} that wasm/README.md states: find what came in (node benches/node/wasm-size.mjs on a `wasm-opt -Oz -g` build) or update the README"
        ));
    }
    if gzipped * 100 < stated * 95 {
        eprintln!(
            "xtask wasm: corsica_bg.wasm is {gzipped} bytes gzipped, more than 5% under the {stated} that wasm/README.md states: update the README"
        );
    }
    Ok(())
}

/// The content type of a file the playground serves.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file that `url_path` names: `/pkg/…` in the package, anything else in the playground.
fn resolve(url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    if path
        .split('/')
        .any(|segment| segment == ".." || segment.contains('\\'))
    {
        return None;
    }
    let (base, rest) = match path.strip_prefix("/pkg/") {
        Some(rest) => (pkg_dir(), rest),
        None => (wasm_dir().join("playground"), path.trim_start_matches('/')),
    };
    let file = base.join(if rest.is_empty() { "index.html" } else { rest });
    file.is_file().then_some(file)
}

/// Answers one HTTP/1.1 request with a static file (GET and HEAD only).
fn serve(mut stream: std::net::TcpStream) {
    use std::io::{BufRead as _, BufReader, Write as _};
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let (status, kind, body) = match (method, resolve(target)) {
        ("GET" | "HEAD", Some(file)) => match fs::read(&file) {
            Ok(body) => ("200 OK", content_type(&file), body),
            Err(_) => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
        },
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
        _ => (
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n".to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

/// `cargo xtask playground [--port N] [--no-build]`: builds the package (unless `--no-build`)
/// and serves the playground on loopback until interrupted.
pub(crate) fn playground() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let mut port = 8765_u16;
    let mut build_first = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--port" => {
                port = rest
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port takes a port number")?;
            }
            "--no-build" => build_first = false,
            other => return Err(format!("playground: unknown argument {other}")),
        }
    }
    if build_first || !pkg_dir().join("web/index.js").exists() {
        build()?;
    }
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("corsica playground: http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream));
    }
    Ok(())
}

/// Installs Debian packages that are missing (`apt-get`, as root), or says what to install.
fn ensure_apt(packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| {
            !Command::new("dpkg")
                .args(["-s", package])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    eprintln!("==> apt-get install {}", missing.join(" "));
    if install()
        || (Command::new("apt-get")
            .arg("update")
            .status()
            .is_ok_and(|s| s.success())
            && install())
    {
        Ok(())
    } else {
        Err(format!(
            "the Debian packages {} are missing and apt-get could not install them (run as root: apt-get install {})",
            missing.join(", "),
            missing.join(" ")
        ))
    }
}

/// Links the package as `wasm/node_modules/corsica`, so the tests import it by name.
fn link_package() -> Result<(), String> {
    let link = wasm_dir().join("node_modules/corsica");
    if fs::read_link(&link).is_ok_and(|target| target == Path::new("../pkg")) {
        return Ok(());
    }
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink("../pkg", &link)
        .map_err(|e| format!("cannot link {}: {e}", link.display()))
}

/// The npm package's tests (a step of `cargo xtask test`): builds the package, then runs the
/// node tests (`node --test wasm/tests/ wasm/playground/tests/`: every vector against the native
/// CLI, input errors, entry points, the Browser class, the TypeScript declarations, `npm pack`,
/// Chromium and Vite, the README's examples, the playground in Chromium, `corsica/conformance`
/// against Hono, itty-router and a Next.js route module, and under vitest and jest), `wasm-bindgen-test` in
/// node and in headless Chromium, and clippy for `wasm32-unknown-unknown`.
pub(crate) fn test() -> Result<(), String> {
    let started = Instant::now();
    build()?;
    check_size()?;
    link_package()?;
    ensure_apt(&["chromium", "chromium-driver"])?;
    step(
        "cargo fmt --check (wasm/)",
        wasm_cargo().args(["fmt", "--check"]),
    )?;
    step(
        &format!("cargo clippy -p corsica-wasm ({WASM_TARGET})"),
        wasm_cargo().args([
            "clippy",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "cargo test -p corsica-wasm --lib (natively: the glue's unit tests)",
        wasm_cargo().args(["test", "--lib"]),
    )?;
    // With the workspace's features, so `cargo xtask test` reuses what its tests built instead
    // of building the dependencies again for `corsica-cli`'s features alone.
    step(
        "cargo build --bin corsica (the native side of the comparisons)",
        cargo().args(["build", "--workspace", "--all-features", "--bin", "corsica"]),
    )?;
    step(
        "node --test wasm/tests/ wasm/playground/tests/",
        Command::new("node")
            .args(["--test", "wasm/tests/", "wasm/playground/tests/"])
            .current_dir(root())
            .env("CORSICA_CLI", target_dir().join("debug/corsica")),
    )?;
    let runner = ensure_wasm_bindgen()?.with_file_name("wasm-bindgen-test-runner");
    let runner_var = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER";
    let wasm_test = || {
        let mut command = wasm_cargo();
        command
            .args(["test", "--target", WASM_TARGET, "--test", "web"])
            .env(runner_var, &runner);
        command
    };
    step("wasm-bindgen-test in node", &mut wasm_test())?;
    step(
        "wasm-bindgen-test in headless Chromium",
        wasm_test()
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
    )?;
    eprintln!(
        "xtask wasm tests: passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
