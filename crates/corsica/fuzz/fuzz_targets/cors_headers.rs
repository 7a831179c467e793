//! The CORS check, max-age and exposure on arbitrary response headers: never a panic, and every
//! profile reaches the same pass or fail (they differ only in which error they name).
#![no_main]

use arbitrary::Arbitrary;
use corsica::Profile;
use corsica::check::cors_check;
use corsica::expose::cors_filtered_headers;
use corsica::header::HeaderList;
use corsica::header::name::is_forbidden_response_header_name;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "Access-Control-Allow-Origin",
    "access-control-allow-origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Set-Cookie",
    "X-A",
    "Content-Type",
];

#[derive(Debug, Arbitrary)]
struct Input {
    headers: Vec<(u8, String)>,
    origin_is_null: bool,
    credentials: bool,
}

fuzz_target!(|input: Input| {
    let list: HeaderList =
        input.headers.iter().map(|(n, v)| (NAMES[usize::from(*n) % NAMES.len()], v.as_str())).collect();
    let origin = if input.origin_is_null { "null" } else { "https://app.example" };
    let spec = cors_check(&list, origin, input.credentials, &Profile::SPEC).is_ok();
    for profile in Profile::ALL {
        assert_eq!(cors_check(&list, origin, input.credentials, &profile).is_ok(), spec, "{}", profile.name());
        let _ = corsica::preflight::max_age(&list, &profile, &mut Vec::new());
    }
    let visible = cors_filtered_headers(&list, input.credentials);
    assert!(visible.iter().all(|h| !is_forbidden_response_header_name(&h.name)));
});
