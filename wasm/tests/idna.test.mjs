// The one way the npm package answers differently from the native engine: it is built without
// IDNA tables (wasm/Cargo.toml says how, wasm/README.md "Size" says why), so a host written in
// Unicode is not a host there, and a punycode label is not checked against the IDNA tables. Each
// kind of difference, against the native engine; everything in ASCII agrees (vectors.test.mjs).

import assert from "node:assert/strict";
import test from "node:test";

import { CorsicaInputError, evaluate } from "corsica";

import { nativeEval } from "./helpers.mjs";

const origin = "https://app.example";
const any = [{ status: 200, headers: [["Access-Control-Allow-Origin", "*"]] }];

/** The package's answer: the output, or `{input_error: {path, message}}` as the CLI writes it. */
function npm(scenario) {
  try {
    return evaluate(scenario);
  } catch (error) {
    assert.ok(error instanceof CorsicaInputError, String(error));
    return { input_error: { path: error.path, message: error.problem } };
  }
}

/** [what, scenario, check of the package's answer, check of the native answer] */
const cases = [
  [
    "a request URL with a host in Unicode is refused as input",
    { request: { origin, url: "https://☕.example/x" }, server: any },
    (out) => assert.deepEqual(out.input_error, { path: "request.url", message: "not a URL (invalid international domain name)" }),
    (out) => assert.deepEqual(out.exchanges.map((e) => e.request.url), ["https://xn--53h.example/x"]),
  ],
  [
    "a server rule's URL with a host in Unicode is refused as input",
    { request: { origin, url: "https://api.example/x" }, server: [{ url: "https://☕.example/y", status: 200 }] },
    (out) => assert.equal(out.input_error?.path, "server[0].url"),
    (out) => assert.equal(out.verdict, "blocked"),
  ],
  [
    "a page origin with a host in Unicode is refused at the same field, in other words",
    { request: { origin: "https://☕.example", url: "https://api.example/x" }, server: any },
    (out) => assert.equal(out.input_error?.path, "request.origin"),
    (out) => assert.equal(out.input_error?.path, "request.origin"),
  ],
  [
    "a redirect to a host in Unicode is not a URL",
    {
      request: { origin, url: "https://api.example/x" },
      server: [{ url: "https://api.example/x", status: 301, headers: [["Location", "https://☕.example/y"], ["Access-Control-Allow-Origin", "*"]] }, ...any],
    },
    (out) => assert.equal(out.error?.kind, "InvalidRedirectLocation"),
    (out) => assert.equal(out.exchanges[1]?.request.url, "https://xn--53h.example/y"),
  ],
  [
    "Access-Control-Allow-Origin with a host in Unicode is an invalid value, not a mismatch",
    { profile: "chromium", request: { origin, url: "https://api.example/x" }, server: [{ status: 200, headers: [["Access-Control-Allow-Origin", "https://☕.example"]] }] },
    (out) => assert.equal(out.error?.kind, "InvalidAllowOriginValue"),
    (out) => assert.equal(out.error?.kind, "AllowOriginMismatch"),
  ],
  [
    "a punycode label that decodes to what IDNA disallows is accepted",
    { request: { origin, url: "https://xn--a.example/x" }, server: any },
    (out) => assert.equal(out.verdict, "allowed"),
    (out) => assert.deepEqual(out.input_error, { path: "request.url", message: "not a URL (invalid international domain name)" }),
  ],
];

test("without IDNA tables: each documented difference, against the native engine", () => {
  const native = nativeEval(cases.map(([, scenario]) => scenario));
  cases.forEach(([what, scenario, checkNpm, checkNative], i) => {
    const ours = npm(scenario);
    assert.notDeepStrictEqual(ours, native[i], `${what}: agrees with the native engine now`);
    checkNpm(ours);
    checkNative(native[i]);
  });
});

test("hosts written in punycode get the native engine's answer", () => {
  const scenarios = [
    { request: { origin, url: "https://xn--53h.example/x" }, server: any },
    { request: { origin, url: "https://XN--53H.example/x" }, server: any },
    { request: { origin: "https://xn--53h.example", url: "https://api.example/x" }, server: [{ status: 200, headers: [["Access-Control-Allow-Origin", "https://xn--53h.example"]] }] },
    { request: { origin, url: "https://api.example/x" }, server: [{ url: "https://api.example/x", status: 302, headers: [["Location", "https://xn--53h.example/y"], ["Access-Control-Allow-Origin", "*"]] }, ...any] },
  ];
  const native = nativeEval(scenarios);
  scenarios.forEach((scenario, i) => assert.deepStrictEqual(npm(scenario), native[i], JSON.stringify(scenario)));
});
