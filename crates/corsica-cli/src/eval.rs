//! `corsica eval`.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use corsica::json::ToJson as _;
use corsica::scenario::{InputError, Scenario};
use serde_json::json;

use crate::EXIT_INPUT;
use crate::input::{describe, load};

/// The longest line `--jsonl` accepts.
pub(crate) const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// `corsica eval [FILE]`
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario file (JSON); standard input when absent or `-`.
    file: Option<PathBuf>,
    /// Read one scenario per line (JSON Lines) and write one output per line; a bad line gives
    /// an error object for that line and the stream goes on.
    #[arg(long)]
    jsonl: bool,
    /// Pretty-print the output.
    #[arg(long, conflicts_with = "jsonl")]
    pretty: bool,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if args.jsonl {
        return match stream(args.file.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("corsica eval: {e}");
                ExitCode::from(EXIT_INPUT)
            }
        };
    }
    let outcome = load(args.file.as_deref())
        .and_then(|scenario| scenario.evaluate().map_err(|e| describe(&e)));
    match outcome {
        Ok(output) => {
            let text = if args.pretty {
                serde_json::to_string_pretty(&output).expect("outputs serialize")
            } else {
                output.to_json()
            };
            let line = text + "\n";
            crate::print_out("eval", &line).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Err(message) => {
            eprintln!("corsica eval: {message}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

/// Appends to `out` the output line for one input line: the output object, or an error object
/// (with the scenario's `id` when it has one).
pub(crate) fn eval_line(line: &str, number: usize, out: &mut String) {
    let scenario = match Scenario::from_json(line) {
        Ok(scenario) => scenario,
        Err(error) => return error_object(id_of(line), number, &error, out),
    };
    match scenario.evaluate_json(out) {
        Ok(()) => out.push('\n'),
        Err(error) => error_object(scenario.id, number, &error, out),
    }
}

fn error_object(id: Option<String>, number: usize, error: &InputError, out: &mut String) {
    let object = json!({
        "id": id,
        "line": number,
        "input_error": {"path": error.path, "message": error.problem},
    });
    out.push_str(&object.to_string());
    out.push('\n');
}

/// The `id` of a line that does not parse as a scenario, if it is JSON with a string `id`.
fn id_of(line: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    value.get("id")?.as_str().map(str::to_owned)
}

fn stream(path: Option<&Path>) -> Result<(), String> {
    let mut reader: Box<dyn BufRead> = match path {
        Some(p) if p != Path::new("-") => Box::new(io::BufReader::with_capacity(
            64 * 1024,
            std::fs::File::open(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        _ => Box::new(io::stdin().lock()),
    };
    let mut writer = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut line = Vec::with_capacity(4096);
    let mut out = String::with_capacity(4096);
    let mut number = 0;
    loop {
        let read = read_line(&mut reader, &mut line).map_err(|e| format!("reading input: {e}"))?;
        number += 1;
        out.clear();
        match read {
            Line::Eof => break,
            Line::TooLong => {
                let error = InputError {
                    path: String::new(),
                    problem: format!("the line is longer than {MAX_LINE_BYTES} bytes"),
                };
                error_object(None, number, &error, &mut out);
            }
            Line::Text => match std::str::from_utf8(&line) {
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => eval_line(text.trim(), number, &mut out),
                Err(_) => {
                    let error = InputError {
                        path: String::new(),
                        problem: String::from("the line is not UTF-8"),
                    };
                    error_object(None, number, &error, &mut out);
                }
            },
        }
        writer
            .write_all(out.as_bytes())
            .map_err(|e| format!("writing output: {e}"))?;
        // Flush whenever no more input is waiting: a line in gets its answer out at once.
        if reader.fill_buf().map_or(true, <[u8]>::is_empty) {
            writer.flush().map_err(|e| format!("writing output: {e}"))?;
        }
    }
    writer.flush().map_err(|e| format!("writing output: {e}"))
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The end of the input.
    Eof,
    /// A line (in the buffer, without its `\n`).
    Text,
    /// A line longer than [`MAX_LINE_BYTES`], skipped.
    TooLong,
}

/// Reads one line into `line`, keeping at most [`MAX_LINE_BYTES`] so memory stays bounded.
pub(crate) fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Line> {
    line.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Line::Eof,
                (true, true) => Line::TooLong,
                (true, false) => Line::Text,
            });
        }
        any = true;
        let newline = memchr::memchr(b'\n', available);
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE_BYTES {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let consumed = newline.map_or(available.len(), |i| i + 1);
        reader.consume(consumed);
        if newline.is_some() {
            return Ok(if too_long { Line::TooLong } else { Line::Text });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bounded() {
        let mut input = io::Cursor::new(b"a\nbb\n\nccc".to_vec());
        let mut line = Vec::new();
        assert_eq!(read_line(&mut input, &mut line).unwrap(), Line::Text);
        assert_eq!(line, b"a");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), Line::Text);
        assert_eq!(line, b"bb");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), Line::Text);
        assert_eq!(line, b"");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), Line::Text);
        assert_eq!(line, b"ccc");
        assert_eq!(read_line(&mut input, &mut line).unwrap(), Line::Eof);
    }

    #[test]
    fn bad_lines_keep_their_id() {
        let mut out = String::new();
        eval_line(
            r#"{"id": "x", "request": {"origin": "nope", "url": "https://a.example/"}}"#,
            3,
            &mut out,
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["id"], "x");
        assert_eq!(value["line"], 3);
        assert_eq!(value["input_error"]["path"], "request.origin");

        out.clear();
        eval_line(r#"{"id": "y", "request": {"origin": 1}}"#, 4, &mut out);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["id"], "y");
        assert_eq!(value["input_error"]["path"], "request.origin");
    }
}
