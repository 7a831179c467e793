//! "Extract header list values" and "get, decode, and split" on arbitrary header values: never a
//! panic, and every element of a valid list is a token.
#![no_main]

use corsica::header::HeaderList;
use corsica::header::list_values::{ListValues, extract_delta_seconds, extract_tokens, split};
use corsica::header::name::is_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|values: Vec<String>| {
    let list: HeaderList = values.iter().map(|v| ("Access-Control-Allow-Methods", v.as_str())).collect();
    match extract_tokens(&list, "access-control-allow-methods") {
        ListValues::Absent => assert!(values.is_empty()),
        ListValues::Invalid(bad) => assert!(!is_token(bad)),
        ListValues::Valid(tokens) => assert!(tokens.iter().all(|t| is_token(t))),
    }
    let _ = extract_delta_seconds(&list, "access-control-allow-methods");
    for value in &values {
        assert!(split(value).count() >= 1);
    }
});
