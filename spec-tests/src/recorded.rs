//! The recorded corpora in `spec-tests/recorded/`, and the differences expected in them.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{load_listing, root};

/// Every record of `files` (default: every `spec-tests/recorded/*.jsonl` and `*.jsonl.gz`).
pub fn load_recordings(files: &[PathBuf]) -> Result<Vec<Value>, String> {
    let files = if files.is_empty() {
        default_files()?
    } else {
        files.to_vec()
    };
    let mut records = Vec::new();
    for file in files {
        let text = read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            records.push(
                serde_json::from_str(line)
                    .map_err(|e| format!("{}:{}: {e}", file.display(), n + 1))?,
            );
        }
    }
    Ok(records)
}

/// A recording, gzipped (`.jsonl.gz`) or not.
fn read(file: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    if file.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(fs::File::open(file)?).read_to_string(&mut text)?;
    } else {
        fs::File::open(file)?.read_to_string(&mut text)?;
    }
    Ok(text)
}

fn default_files() -> Result<Vec<PathBuf>, String> {
    let dir = root().join("recorded");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.to_str()
                .is_some_and(|p| p.ends_with(".jsonl") || p.ends_with(".jsonl.gz"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// `expected-differences.txt`: `id browser check  # reason`.
pub fn load_expected_differences(
    path: &Path,
) -> Result<BTreeMap<(String, String, String), String>, String> {
    let listing = load_listing(path, &["id", "browser", "check"])?;
    Ok(listing
        .into_iter()
        .map(|(key, reason)| ((key[0].clone(), key[1].clone(), key[2].clone()), reason))
        .collect())
}
