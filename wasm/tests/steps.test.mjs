// The single steps agree with the whole fetch, vector by vector: classify() with the output's
// classification, preflightRequest() with the first exchange, checkResponse() with the verdict
// where the checked response decided it, exposedHeaders() with what the script sees.

import assert from "node:assert/strict";
import test from "node:test";

import { checkResponse, classify, evaluate, exposedHeaders, preflightRequest } from "corsica";

import { loadVectors } from "./helpers.mjs";

/** Single-request vectors with their output. */
const cases = loadVectors()
  .map((v) => v.vector)
  .filter((v) => v.request)
  .map((vector) => ({ vector, output: evaluate(vector), profile: vector.profile ?? "spec" }));

test("classify() gives the output's classification", () => {
  assert.ok(cases.length > 400);
  for (const { vector, output, profile } of cases) {
    assert.equal(classify(vector.request, profile), output.classification, vector.id);
  }
});

test("preflightRequest() gives the preflight the fetch sends first", () => {
  let preflights = 0;
  for (const { vector, output, profile } of cases) {
    const first = output.exchanges[0];
    const expected = first?.kind === "preflight" ? first.request : null;
    if (output.classification !== "preflight" && expected === null) {
      assert.equal(preflightRequest(vector.request, profile), null, vector.id);
      continue;
    }
    if (expected === null) continue; // refused before the preflight (bad port, LNA, …)
    preflights += 1;
    assert.deepStrictEqual(preflightRequest(vector.request, profile), expected, vector.id);
  }
  assert.ok(preflights > 100, `${preflights} preflights`);
});

test("checkResponse() on the preflight's answer agrees with the fetch", () => {
  let checked = 0;
  for (const { vector, output, profile } of cases) {
    const first = output.exchanges[0];
    if (first?.kind !== "preflight" || !first.response) continue;
    const result = checkResponse(vector.request, first.response, { preflight: true, profile });
    if (output.exchanges.length > 1) {
      // The fetch went on after this preflight: it passed.
      checked += 1;
      assert.equal(result.verdict, "allowed", vector.id);
      assert.equal(result.error, null, vector.id);
    } else if (output.error?.stage === "preflight") {
      checked += 1;
      assert.equal(result.verdict, "blocked", vector.id);
      assert.deepStrictEqual(result.error, output.error, vector.id);
    }
  }
  assert.ok(checked > 100, `${checked} preflight answers`);
});

test("checkResponse() on the answer to the request itself agrees with the fetch", () => {
  let checked = 0;
  for (const { vector, output, profile } of cases) {
    const actual = output.exchanges.filter((e) => e.kind === "request");
    const redirected = actual.length !== 1 || [301, 302, 303, 307, 308].includes(actual[0].response?.status);
    if (redirected || !actual[0].response || output.error?.stage === "preflight") continue;
    if (output.warnings.some((w) => w.kind === "LocalNetworkAccess")) continue;
    checked += 1;
    const result = checkResponse(vector.request, actual[0].response, { profile });
    assert.equal(result.verdict, output.verdict, vector.id);
    assert.deepStrictEqual(result.error, output.error, vector.id);
  }
  assert.ok(checked > 200, `${checked} answers`);
});

test("exposedHeaders() gives what the script of a CORS response sees", () => {
  let checked = 0;
  for (const { vector, output } of cases) {
    if (output.response?.type !== "cors") continue;
    const actual = output.exchanges.filter((e) => e.kind === "request").at(-1);
    checked += 1;
    assert.deepStrictEqual(
      exposedHeaders(actual.response, vector.request.credentials),
      output.response.headers,
      vector.id,
    );
  }
  assert.ok(checked > 50, `${checked} CORS responses`);
});
