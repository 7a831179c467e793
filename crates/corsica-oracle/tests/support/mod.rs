//! What the live recordings share: play inputs in browsers, fail on a browser failure.

use corsica_oracle::install::BrowserKind;
use corsica_oracle::record::{self, Input, RecordOptions};
use serde_json::Value;

/// Records `inputs` in `browsers` (one run) and returns the recording's lines. A browser that
/// cannot start or fails a scenario fails the test: nothing is skipped.
pub(crate) fn record_in(inputs: &[Input], browsers: &[BrowserKind]) -> Vec<Value> {
    let opts = RecordOptions {
        browsers: browsers.to_vec(),
        progress: false,
        ..RecordOptions::default()
    };
    let mut out = Vec::new();
    let timings = record::record(inputs, &opts, &mut out)
        .unwrap_or_else(|e| panic!("the oracle could not record (is a browser missing?): {e}"));
    for t in &timings {
        eprintln!(
            "{}: {:.1} s, {} restarts",
            t.browser.name(),
            t.elapsed.as_secs_f64(),
            t.restarts
        );
        assert_eq!(t.failures, 0, "{} had browser failures", t.browser.name());
    }
    String::from_utf8(out)
        .expect("the recording is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}
