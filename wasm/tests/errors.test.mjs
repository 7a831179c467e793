// Bad input throws a CorsicaInputError (a real Error subclass) naming the field, as the native
// CLI names it; never a panic, a WebAssembly trap, or a thrown string.

import assert from "node:assert/strict";
import test from "node:test";

import {
  Browser,
  CorsicaInputError,
  checkResponse,
  classify,
  evaluate,
  evaluateMany,
  explain,
  exposedHeaders,
  preflightRequest,
} from "corsica";

import { loadVectors, nativeEval } from "./helpers.mjs";

const ok = { origin: "https://app.example", url: "https://api.example/data" };
const rule = { status: 200, headers: [["Access-Control-Allow-Origin", "*"]] };

/** [what, scenario, the path the error must name] */
const cases = [
  ["not an object", [], ""],
  ["a string", "scenario", ""],
  ["null", null, ""],
  ["no request", { server: [] }, "request"],
  ["request and requests", { request: ok, requests: [ok] }, "requests"],
  ["an unknown top-level field", { request: ok, reqest: ok }, "reqest"],
  ["an unknown profile", { profile: "chrome", request: ok }, "profile"],
  ["trace not a boolean", { request: ok, trace: "yes" }, "trace"],
  ["id not a string", { id: 7, request: ok }, "id"],
  ["origin missing", { request: { url: ok.url } }, "request"],
  ["origin not a string", { request: { ...ok, origin: 1 } }, "request.origin"],
  ["origin not an origin", { request: { ...ok, origin: "app.example" } }, "request.origin"],
  ["url relative", { request: { ...ok, url: "/data" } }, "request.url"],
  ["method not a string", { request: { ...ok, method: ["GET"] } }, "request.method"],
  ["headers not a list", { request: { ...ok, headers: { a: "b" } } }, "request.headers"],
  ["a header without its value", { request: { ...ok, headers: [["X-A", "1"], ["X-B"]] } }, "request.headers[1]"],
  ["a header with three parts", { request: { ...ok, headers: [["X-A", "1", "2"]] } }, "request.headers[0]"],
  ["a header name not a string", { request: { ...ok, headers: [[1, "x"]] } }, "request.headers[0][0]"],
  ["a header value not a string", { request: { ...ok, headers: [["X-A", 1]] } }, "request.headers[0][1]"],
  ["an unknown mode", { request: { ...ok, mode: "corss" } }, "request.mode"],
  ["an unknown credentials mode", { request: { ...ok, credentials: "all" } }, "request.credentials"],
  ["an unknown redirect mode", { request: { ...ok, redirect: "never" } }, "request.redirect"],
  ["an unknown request field", { request: { ...ok, bodyy: "x" } }, "request.bodyy"],
  ["request.at", { request: { ...ok, at: 1 } }, "request.at"],
  ["server not a list", { request: ok, server: rule }, "server"],
  ["a rule without status", { request: ok, server: [{ headers: [] }] }, "server[0]"],
  ["a status out of range", { request: ok, server: [rule, { status: 99 }] }, "server[1].status"],
  ["a status as a string", { request: ok, server: [{ status: "200" }] }, "server[0].status"],
  ["a fractional status", { request: ok, server: [{ status: 200.5 }] }, "server[0].status"],
  ["a rule URL that is not one", { request: ok, server: [{ status: 200, url: "api" }] }, "server[0].url"],
  ["a rule header name that is not a token", { request: ok, server: [{ status: 200, headers: [["Bad Name", "x"]] }] }, "server[0].headers[0][0]"],
  ["an unknown rule field", { request: ok, server: [{ ...rule, bodyy: "x" }] }, "server[0].bodyy"],
  ["no requests", { requests: [] }, "requests"],
  ["a time going back", { requests: [{ ...ok, at: 5 }, { ...ok, at: 1 }] }, "requests[1].at"],
  ["a negative time", { requests: [{ ...ok, at: -1 }] }, "requests[0].at"],
  ["deep in requests", { requests: [ok, ok, { ...ok, headers: [["X", "1"], [2, "x"]] }] }, "requests[2].headers[1][0]"],
];

test("each bad scenario throws a CorsicaInputError naming the field the CLI names", () => {
  const native = nativeEval(cases.map(([, scenario]) => scenario));
  cases.forEach(([what, scenario, path], i) => {
    const thrown = (() => {
      try {
        evaluate(scenario);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(thrown instanceof CorsicaInputError, `${what}: ${thrown}`);
    assert.ok(thrown instanceof Error, what);
    assert.equal(thrown.name, "CorsicaInputError", what);
    assert.equal(thrown.path, path, what);
    assert.equal(thrown.message, path ? `${path}: ${thrown.problem}` : thrown.problem, what);
    assert.ok(thrown.problem.length > 0, what);
    assert.equal(typeof thrown.stack, "string", what);
    const cli = native[i].input_error;
    assert.ok(cli, `${what}: the CLI accepted it`);
    assert.equal(thrown.path, cli.path, `${what}: the CLI names ${cli.path}`);
    // The same words, without serde_json's position in a text the caller never saw.
    assert.equal(thrown.problem, cli.message.replace(/ at line \d+ column \d+$/, ""), what);
  });
});

test("values JSON cannot hold are refused as input, not crashes", () => {
  const cyclic = { request: { ...ok } };
  cyclic.request.self = cyclic;
  for (const [what, value] of [
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("x")],
    ["a BigInt", { request: { ...ok, method: 1n } }],
    ["a cycle", cyclic],
    ["a throwing toJSON", { toJSON() { throw new Error("no"); } }],
  ]) {
    assert.throws(() => evaluate(value), CorsicaInputError, what);
    assert.throws(() => evaluateMany(value), CorsicaInputError, what);
    assert.throws(() => explain(value), CorsicaInputError, what);
  }
});

test("evaluateMany names the scenario's index", () => {
  assert.throws(
    () => evaluateMany([{ request: ok }, { request: ok }, { request: { ...ok, mode: "x" } }]),
    (error) => error instanceof CorsicaInputError && error.path === "[2].request.mode",
  );
  assert.throws(
    () => evaluateMany([{ request: ok }, { request: { ...ok, url: "nope" } }]),
    (error) => error instanceof CorsicaInputError && error.path === "[1].request.url",
  );
  assert.throws(() => evaluateMany({ request: ok }), (e) => e instanceof CorsicaInputError && e.path === "");
});

test("the single steps and the Browser name their arguments", () => {
  const named = (fn, path) =>
    assert.throws(fn, (e) => e instanceof CorsicaInputError && e.path === path, path);
  named(() => classify({ origin: "x", url: ok.url }), "request.origin");
  named(() => classify(ok, "chrome"), "profile");
  named(() => preflightRequest({ ...ok, headers: [[1, "x"]] }), "request.headers[0][0]");
  named(() => checkResponse(ok, { status: 1000 }), "response.status");
  named(() => checkResponse(ok, { status: 200, headers: [["a b", "c"]] }), "response.headers[0][0]");
  named(() => checkResponse(ok, rule, { preflight: "yes" }), "options.preflight");
  named(() => checkResponse(ok, rule, { preflight: true }), "response");
  named(() => exposedHeaders({ status: 200, headers: 5 }), "response.headers");
  named(() => exposedHeaders(rule, "everything"), "credentials");
  named(() => new Browser("safari"), "profile");
  named(() => new Browser("spec", { trace: 1 }), "options.trace");
  const browser = new Browser();
  named(() => browser.fetch({ ...ok, mode: 3 }, []), "request.mode");
  named(() => browser.fetch(ok, [{ status: 42 }]), "server[0].status");
  named(() => browser.fetch(ok, "nothing"), "server");
  named(() => browser.advance(-1), "seconds");
  named(() => browser.advance(Number.NaN), "seconds");
  named(() => browser.setTime(Infinity), "seconds");
});

/** A small deterministic random source (mulberry32). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Hosts in Unicode are the package's one documented difference (no IDNA tables: idna.test.mjs
// checks them against the native engine), so the URLs here spell their host in punycode.
const oddValues = [
  null, true, 0, -1, 1.5, 1e300, 65536, "", " ", "\u0000", "☕", "é".repeat(300), "x".repeat(9000),
  "https://xn--53h.example", "http://[::1]:80/", "https://a.example:99999", "null", "GET", "OPTIONS",
  [], [[]], [["a"]], [["a", "b", "c"]], {}, { a: 1 }, [1, 2], "cors", "include", "manual",
];

/** Replaces one value somewhere in `value` (objects and arrays) with an odd one. */
function mutate(value, next) {
  if (value === null || typeof value !== "object" || next() < 0.25) {
    return oddValues[Math.floor(next() * oddValues.length)];
  }
  const copy = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return copy;
  const key = keys[Math.floor(next() * keys.length)];
  if (next() < 0.1 && !Array.isArray(copy)) delete copy[key];
  else copy[key] = mutate(copy[key], next);
  return copy;
}

test("3000 mutated vectors: never a crash, and the native engine's answer or field", () => {
  const next = random(42);
  const vectors = loadVectors().map((v) => v.vector);
  const inputs = Array.from({ length: 3000 }, () => {
    const base = vectors[Math.floor(next() * vectors.length)];
    const { expected, source, ...scenario } = base;
    return mutate(mutate(scenario, next), next);
  });
  const native = nativeEval(inputs);
  const problems = [];
  inputs.forEach((input, i) => {
    try {
      const output = evaluate(input);
      assert.deepStrictEqual(output, native[i]);
    } catch (error) {
      if (!(error instanceof CorsicaInputError)) {
        problems.push(`${JSON.stringify(input).slice(0, 300)}: ${error?.stack ?? error}`);
      } else if (!native[i].input_error || native[i].input_error.path !== error.path) {
        problems.push(`${JSON.stringify(input).slice(0, 300)}: ${error.path} / ${JSON.stringify(native[i]).slice(0, 300)}`);
      }
    }
  });
  assert.deepEqual(problems.slice(0, 5), []);
  // The module is still alive after all that.
  assert.equal(evaluate({ request: ok, server: [rule] }).verdict, "allowed");
});
