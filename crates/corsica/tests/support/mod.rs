//! What the JSON tests share: the conformance vectors as JSON texts.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

/// Every scenario of `spec-tests/vectors/*.json` (bare strings in those files are comments), as
/// `(file: id, JSON text)`, in file order.
pub(crate) fn vector_texts() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec-tests/vectors");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for file in files {
        let items: Vec<Value> = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        for item in items.into_iter().filter(Value::is_object) {
            texts.push((
                format!("{}: {}", file.display(), item["id"]),
                item.to_string(),
            ));
        }
    }
    texts
}
