// `checkServer` against real apps in-process: Hono with hono/cors, itty-router with its cors(),
// and a Next.js route module (exported OPTIONS, GET …), each as the app object or module itself.

import assert from "node:assert/strict";
import test from "node:test";

import { evaluate } from "corsica";
import { ATTACKER, checkServer } from "corsica/conformance";

import { PAGE, POLICY, URL, hono, itty, reflect } from "./fixtures/apps.cjs";
import * as nextRoute from "./fixtures/next-route.mjs";

const options = { url: URL, seed: 11, numRuns: 150 };

/** The request the minimal counterexample should be: a plain GET from `origin`. */
const plainGet = (origin) => ({
  origin, url: URL, method: "GET", headers: [], mode: "cors", credentials: "same-origin", address_space: "loopback",
});

function assertConforms(report) {
  assert.equal(report.conforms, true, JSON.stringify(report.counterexample, null, 2));
  assert.equal(report.cases, options.numRuns);
}

test("Hono with hono/cors listing the policy's origin conforms", async () => {
  assertConforms(await checkServer(hono([PAGE]), POLICY, options));
});

test("Hono with hono/cors reflecting every origin with credentials fails on the plainest foreign origin", async () => {
  const report = await checkServer(hono(reflect), POLICY, options);
  assert.equal(report.conforms, false);
  const { request, privateNetwork, violations, scenario } = report.counterexample;
  assert.deepEqual(request, plainGet(ATTACKER));
  assert.equal(privateNetwork, false);
  assert.deepEqual(
    violations.filter((v) => v.rule === "OriginNotAllowed").map((v) => v.profile),
    ["spec", "chromium", "firefox", "webkit"],
  );
  assert.deepEqual(
    violations[0].evidence.headers.filter(([n]) => n.startsWith("access-control-allow-")),
    [["access-control-allow-credentials", "true"], ["access-control-allow-origin", ATTACKER]],
  );
  assert.equal(evaluate(scenario).verdict, "allowed");
});

test("itty-router's cors() sends no Vary: Origin: a hygiene finding on the plainest allowed request", async () => {
  const report = await checkServer(itty([PAGE], { vary: false, expose: true }), POLICY, options);
  assert.equal(report.conforms, false);
  const [first] = report.counterexample.violations;
  assert.deepEqual(report.counterexample.request, plainGet(PAGE));
  assert.equal(first.rule, "VaryOriginMissing");
  assert.equal(first.subject, `Access-Control-Allow-Origin: ${PAGE}`);
  assert.equal(first.evidence.other_origin, ATTACKER);
  assert.equal(first.evidence.other_origin_answer, "(none)");
});

test("itty-router's cors() exposes its exposeHeaders on preflights only: the header stays hidden", async () => {
  const report = await checkServer(itty([PAGE], { vary: true, expose: false }), POLICY, options);
  assert.equal(report.conforms, false);
  assert.deepEqual(report.counterexample.request, plainGet(PAGE));
  assert.deepEqual(
    report.counterexample.violations.map((v) => [v.profile, v.rule, v.subject]),
    ["spec", "chromium", "firefox", "webkit"].map((profile) => [profile, "ExposedHeaderHidden", "x-request-id"]),
  );
});

test("itty-router with both added conforms; reflecting with credentials fails", async () => {
  assertConforms(await checkServer(itty([PAGE], { vary: true, expose: true }), POLICY, options));
  const report = await checkServer(itty(reflect, { vary: true, expose: true }), POLICY, options);
  assert.deepEqual(report.counterexample.request, plainGet(ATTACKER));
  assert.equal(report.counterexample.violations[0].rule, "OriginNotAllowed");
});

test("a Next.js route module (exported OPTIONS, GET, POST, PUT, DELETE) conforms", async () => {
  assertConforms(await checkServer(nextRoute, POLICY, options));
});

test("a route module without PUT: the allowed PUT is blocked (405 without CORS headers)", async () => {
  const { OPTIONS, GET, POST, DELETE } = nextRoute;
  const report = await checkServer({ OPTIONS, GET, POST, DELETE }, POLICY, options);
  assert.equal(report.conforms, false);
  const { request, violations } = report.counterexample;
  assert.deepEqual([request.origin, request.method, request.headers], [PAGE, "PUT", []]);
  assert.equal(violations[0].rule, "AllowedRequestBlocked");
  assert.equal(violations[0].subject, "MissingAllowOriginHeader");
});
