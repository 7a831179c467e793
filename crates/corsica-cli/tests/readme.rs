//! The README's `corsica explain` examples show the binary's real output: every
//! ```` ```console ```` block whose first line is `$ corsica …` must match what the command
//! prints today.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_console_blocks_are_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().expect("a closed block");
        let (command, expected) = block.split_once('\n').expect("a command line");
        let Some(args) = command.strip_prefix("$ corsica ") else {
            continue;
        };
        let output = Command::new(env!("CARGO_BIN_EXE_corsica"))
            .args(args.split_whitespace())
            .current_dir(&root)
            .output()
            .expect("corsica runs");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "README output of `{command}` is stale"
        );
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the README shows at least two explain examples"
    );
}
