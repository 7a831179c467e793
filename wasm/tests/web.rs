//! `wasm-bindgen-test` in node and in headless Chromium (`cargo xtask test` runs both): every
//! conformance vector through the bindings, inside the WebAssembly module, against the engine
//! called directly and against the vector's `expected` subset; bad input as a `CorsicaInputError`;
//! the `Browser` class's cache.

/// Every `spec-tests/vectors/*.json`, as (file name, text) (written by `build.rs`).
const VECTOR_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/vectors.rs"));

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_vector_file_is_included() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec-tests/vectors");
    let count = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    assert_eq!(count, VECTOR_FILES.len());
}

#[cfg(target_arch = "wasm32")]
mod in_wasm {
    use corsica::scenario::Scenario;
    use corsica_wasm::{Browser, evaluate, evaluate_many, explain};
    use serde_json::Value;
    use tsify::Ts;
    use wasm_bindgen::{JsCast as _, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::VECTOR_FILES;

    fn js(json: &str) -> JsValue {
        js_sys::JSON::parse(json).expect("valid JSON")
    }

    fn rust(value: &JsValue) -> Value {
        let text: String = js_sys::JSON::stringify(value).expect("JSON").into();
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn vectors() -> Vec<Value> {
        VECTOR_FILES
            .iter()
            .flat_map(|(name, text)| {
                let items: Vec<Value> = serde_json::from_str(text).expect(name);
                items.into_iter().filter(Value::is_object)
            })
            .collect()
    }

    /// A property of a thrown value.
    fn property(value: &JsValue, name: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The ids of a list of `id  # reason` lines: `spec-tests/expected-failures.txt`, and
    /// `without-idna.txt` (vectors the package answers differently for want of IDNA tables).
    fn ids(list: &'static str) -> Vec<&'static str> {
        list.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split('#').next().map(str::trim))
            .collect()
    }

    #[wasm_bindgen_test]
    fn every_vector_through_the_bindings() {
        let expected_failures = ids(include_str!("../../spec-tests/expected-failures.txt"));
        let without_idna = ids(include_str!("without-idna.txt"));
        let vectors = vectors();
        assert!(vectors.len() >= 600, "{} vectors", vectors.len());
        let mut failures = Vec::new();
        for vector in &vectors {
            let json = vector.to_string();
            let id = vector["id"].as_str().unwrap_or_default();
            let output = match evaluate(Ts::new_unchecked(js(&json))) {
                Ok(output) => rust(&output.js_value()),
                Err(error) => {
                    failures.push(format!("{id}: threw {:?}", property(&error, "message")));
                    continue;
                }
            };
            let direct = Scenario::from_json(&json)
                .and_then(|s| s.evaluate())
                .map(|o| serde_json::to_value(o).expect("outputs serialize"));
            if direct.as_ref().ok() != Some(&output) {
                failures.push(format!("{id}: differs from the engine called directly"));
            }
            let mismatches = spec_tests::subset_mismatches(&vector["expected"], &output);
            let listed = expected_failures.contains(&id) || without_idna.contains(&id);
            match (mismatches.is_empty(), listed) {
                (true, true) => failures.push(format!(
                    "{id}: passes but is in expected-failures.txt or without-idna.txt"
                )),
                (false, false) => failures.push(format!("{id}: {}", mismatches.join("; "))),
                _ => {}
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[wasm_bindgen_test]
    fn a_batch_crosses_once_and_gives_the_same_outputs() {
        let vectors = vectors();
        let batch = Value::Array(vectors.clone()).to_string();
        let outputs = rust(&evaluate_many(&js(&batch)).expect("valid scenarios"));
        let outputs = outputs.as_array().expect("an array");
        assert_eq!(outputs.len(), vectors.len());
        for (vector, output) in vectors.iter().zip(outputs) {
            let one = rust(
                &evaluate(Ts::new_unchecked(js(&vector.to_string())))
                    .unwrap()
                    .js_value(),
            );
            assert_eq!(&one, output, "{}", vector["id"]);
        }
    }

    #[wasm_bindgen_test]
    fn bad_input_throws_a_corsica_input_error() {
        let error = evaluate(Ts::new_unchecked(js(
            r#"{"request": {"origin": "https://a.example", "url": "https://b.example/", "headers": [["X-A", 1]]}}"#,
        )))
        .expect_err("bad input");
        assert!(error.is_instance_of::<js_sys::Error>());
        assert_eq!(
            property(&error, "name").as_string().as_deref(),
            Some("CorsicaInputError")
        );
        assert_eq!(
            property(&error, "path").as_string().as_deref(),
            Some("request.headers[0][1]")
        );
        assert!(
            property(&error, "problem")
                .as_string()
                .is_some_and(|p| !p.is_empty())
        );

        let error = evaluate_many(&js(
            r#"[{"request": {"origin": "x", "url": "https://b.example/"}}]"#,
        ))
        .expect_err("bad input");
        assert_eq!(
            property(&error, "path").as_string().as_deref(),
            Some("[0].request.origin")
        );

        let error = explain(Ts::new_unchecked(JsValue::UNDEFINED)).expect_err("bad input");
        assert_eq!(property(&error, "path").as_string().as_deref(), Some(""));
    }

    #[wasm_bindgen_test]
    fn the_browser_class_caches_preflights() {
        let request =
            js(r#"{"origin": "https://a.example", "url": "https://b.example/x", "method": "PUT"}"#);
        let server = js(
            r#"[{"method": "OPTIONS", "status": 204, "headers": [["Access-Control-Allow-Origin", "https://a.example"], ["Access-Control-Allow-Methods", "PUT"], ["Access-Control-Max-Age", "10"]]},
                {"status": 200, "headers": [["Access-Control-Allow-Origin", "https://a.example"]]}]"#,
        );
        let mut browser =
            Browser::new(Some(JsValue::from_str("firefox")), None).expect("a profile");
        let from_cache = |browser: &mut Browser| {
            let output = rust(
                &browser
                    .fetch(Ts::new_unchecked(request.clone()), &server)
                    .unwrap()
                    .js_value(),
            );
            output["exchanges"][0]["from_cache"].as_bool()
        };
        assert_eq!(from_cache(&mut browser), Some(false));
        browser.advance(5.0).unwrap();
        assert_eq!(from_cache(&mut browser), Some(true));
        browser.set_time(10.0).unwrap();
        assert_eq!(from_cache(&mut browser), Some(false));
        assert!(browser.advance(-1.0).is_err());
        assert_eq!(browser.now(), 10.0);
        assert_eq!(browser.profile(), "firefox");
    }
}
