//! The MIME-type essence parser agrees with `data-url`'s full WHATWG parser on every input.
#![no_main]

use core::str::FromStr;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let mut buf = vec![0u8; input.len()];
    let ours = corsica::mime::essence(input, &mut buf).map(str::to_owned);
    let theirs = data_url::mime::Mime::from_str(input).ok().map(|m| format!("{}/{}", m.type_, m.subtype));
    assert_eq!(ours, theirs, "{input:?}");
});
