//! The engine's URL parser never panics: parsing, joining a reference to a parsed base, the
//! origin and its serialization, and the setters the engine calls. (Its answers are held to the
//! `url` crate by `tests/url.rs`; `url` itself is not called here, because one of its debug
//! assertions fires on some inputs, and the fuzz targets run with debug assertions on.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    // The first line is a base URL, the rest a reference to join to it.
    let (base, reference) = input.split_once('\n').unwrap_or((input, ""));
    for parsed in [corsica::Url::parse(base), corsica::Url::parse(reference)] {
        let Ok(mut url) = parsed else { continue };
        let _ = url.origin().ascii_serialization();
        if let Ok(joined) = url.join(reference) {
            let _ = joined.origin().ascii_serialization();
            let _ = (joined.host_str(), joined.port_or_known_default(), joined.path());
        }
        url.set_fragment(Some(reference));
        let _ = url.set_username(reference);
        let _ = url.set_password(Some(base));
        let _ = url.set_password(None);
        url.set_fragment(None);
        let _ = corsica::Url::parse(url.as_str());
    }
});
