//! The preflight check on arbitrary answers: never a panic, and a browser profile never fails what
//! the spec passes (browsers are only more lenient here: `Authorization` under `*`).
#![no_main]

use arbitrary::Arbitrary;
use corsica::header::HeaderList;
use corsica::header::safelist::cors_unsafe_request_header_names;
use corsica::preflight::{PreflightInput, check_preflight_response};
use corsica::{Profile, Response};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Location",
];

#[derive(Debug, Arbitrary)]
struct Input {
    status: u16,
    answer: Vec<(u8, String)>,
    method: String,
    request_headers: Vec<(String, String)>,
    credentials: bool,
    use_cors_preflight: bool,
}

fuzz_target!(|input: Input| {
    let headers: HeaderList = input.answer.iter().map(|(n, v)| (NAMES[usize::from(*n) % NAMES.len()], v.as_str())).collect();
    let response = Response { status: input.status % 1000, headers, address_space: None };
    let request_headers: HeaderList = input.request_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let unsafe_names = cors_unsafe_request_header_names(&request_headers, &Profile::SPEC);
    let request = PreflightInput {
        origin: "https://app.example",
        method: &input.method,
        headers: &request_headers,
        unsafe_names: &unsafe_names,
        credentials: input.credentials,
        use_cors_preflight: input.use_cors_preflight,
    };
    let spec = check_preflight_response(&response, &request, &Profile::SPEC).is_ok();
    for profile in [Profile::FIREFOX, Profile::WEBKIT] {
        let browser = check_preflight_response(&response, &request, &profile).is_ok();
        assert!(browser || !spec, "{} fails what the spec passes", profile.name());
    }
});
