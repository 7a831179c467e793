// `corsica/conformance`: checkServer against in-process fetch-style handlers and against base
// URLs on 127.0.0.1 (a reflecting server fails with the minimal counterexample, whose scenario
// `evaluate` replays with the same verdict; a correct one passes); bad policies; the arbitraries
// in a property of your own.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import test from "node:test";

import fc from "fast-check";
import { evaluate } from "corsica";
import {
  ATTACKER,
  NetworkError,
  PolicyError,
  checkServer,
  originCandidates,
  parsePolicy,
  requestArbitrary,
  scenarioArbitrary,
} from "corsica/conformance";

const PAGE = "https://app.example";
const policy = {
  origins: [PAGE],
  methods: ["GET", "PUT", "DELETE"],
  headers: ["content-type", "authorization"],
  credentials: true,
  max_age: 600,
};

/**
 * A fetch-style handler: allows PAGE (or, when `reflect`, any origin), with credentials, and
 * private-network access when `privateNetwork`; `Vary: Origin` on every answer, or only on
 * grants when `varyOnGrantsOnly`.
 */
function handler({ reflect, privateNetwork = false, varyOnGrantsOnly = false }) {
  return (request) => {
    const origin = request.headers.get("origin");
    const allowed = reflect ? origin : origin === PAGE ? origin : null;
    const headers = new Headers(allowed || !varyOnGrantsOnly ? { Vary: "Origin" } : {});
    if (allowed) {
      headers.set("Access-Control-Allow-Origin", allowed);
      headers.set("Access-Control-Allow-Credentials", "true");
    }
    if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
      if (allowed) {
        headers.set("Access-Control-Allow-Methods", "GET, PUT, DELETE");
        headers.set("Access-Control-Allow-Headers", "content-type, authorization");
        headers.set("Access-Control-Max-Age", "600");
        if (privateNetwork && request.headers.get("access-control-request-private-network") === "true") {
          headers.set("Access-Control-Allow-Private-Network", "true");
        }
      }
      return new Response(null, { status: 204, headers });
    }
    return new Response("{}", { status: 200, headers });
  };
}

const minimalForeignRequest = (url) => ({
  origin: ATTACKER,
  url,
  method: "GET",
  headers: [],
  mode: "cors",
  credentials: "same-origin",
  address_space: "loopback",
});

function assertReflectionFound(report, url) {
  assert.equal(report.conforms, false);
  const { request, violations, scenario } = report.counterexample;
  assert.deepEqual(request, minimalForeignRequest(url));
  assert.equal(violations[0].rule, "OriginNotAllowed");
  assert.equal(violations[0].profile, "spec");
  assert.deepEqual(
    violations.filter((v) => v.rule === "OriginNotAllowed").map((v) => v.profile),
    ["spec", "chromium", "firefox", "webkit"],
  );
  // The scenario replays offline with the live verdict.
  assert.equal(evaluate(scenario).verdict, "allowed");
}

test("an in-process reflecting handler fails with the plainest foreign origin", async () => {
  const report = await checkServer(handler({ reflect: true }), policy, { seed: 1, numRuns: 200 });
  assertReflectionFound(report, "http://localhost/");
});

test("an in-process correct handler conforms", async () => {
  const report = await checkServer(handler({ reflect: false }), policy, { seed: 1, numRuns: 300 });
  assert.equal(report.conforms, true, JSON.stringify(report.counterexample, null, 2));
  assert.equal(report.cases, 300);
});

test("a handler that forgets Vary fails on the plainest allowed request", async () => {
  const forgetful = async (request) => {
    const response = await handler({ reflect: false })(request);
    const headers = new Headers(response.headers);
    headers.delete("vary");
    return new Response(response.body, { status: response.status, headers });
  };
  const report = await checkServer(forgetful, policy, { seed: 2 });
  assert.equal(report.conforms, false);
  const { request, violations } = report.counterexample;
  assert.deepEqual([request.origin, request.method, request.headers], [PAGE, "GET", []]);
  assert.equal(violations[0].rule, "VaryOriginMissing");
  assert.equal(violations[0].evidence.other_origin_answer, "(none)");
});

test("Vary: Origin on grants only: the plainest refusal of a foreign origin is a hygiene finding", async () => {
  const report = await checkServer(handler({ reflect: false, varyOnGrantsOnly: true }), policy, { seed: 2 });
  assert.equal(report.conforms, false);
  const { request, violations } = report.counterexample;
  assert.deepEqual(request, minimalForeignRequest("http://localhost/"));
  assert.deepEqual(
    [violations[0].rule, violations[0].subject, violations[0].evidence.verdict],
    ["VaryOriginMissing", "Access-Control-Allow-Origin: (none)", "blocked"],
  );
  assert.equal(violations[0].evidence.other_origin, PAGE);
  assert.equal(violations[0].evidence.other_origin_answer, PAGE);
});

test("private-network preflights: refused when the policy allows them, granted when it does not", async () => {
  const allowing = { ...policy, private_network: true };
  const refused = await checkServer(handler({ reflect: false }), allowing, { seed: 3 });
  assert.equal(refused.conforms, false);
  const { request, privateNetwork, violations, scenario } = refused.counterexample;
  // The plainest preflighted request the policy allows, its preflight asking for the private network.
  assert.deepEqual([request.origin, request.method, request.headers, privateNetwork], [PAGE, "PUT", [], true]);
  assert.deepEqual([violations[0].rule, violations[0].subject], ["PrivateNetworkRefused", "access-control-allow-private-network"]);
  assert.ok(scenario.server[0].headers.every(([name]) => name.toLowerCase() !== "access-control-allow-private-network"));

  assert.equal((await checkServer(handler({ reflect: false, privateNetwork: true }), allowing, { seed: 3 })).conforms, true);
  const granting = await checkServer(handler({ reflect: false, privateNetwork: true }), policy, { seed: 3 });
  assert.equal(granting.counterexample.privateNetwork, true);
  assert.deepEqual(
    [granting.counterexample.violations[0].rule, granting.counterexample.violations[0].subject],
    ["GrantsMoreThanPolicy", "Access-Control-Allow-Private-Network: true"],
  );
});

/** Serves `handle` on 127.0.0.1 through node:http; returns the base URL and a stop function. */
async function serve(handle) {
  const server = createServer(async (req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([n, v]) => (Array.isArray(v) ? v.map((x) => [n, x]) : [[n, v]])),
    });
    const response = await handle(request);
    res.writeHead(response.status, [...response.headers]);
    res.end(await response.text());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/api/data`, stop: () => new Promise((r) => server.close(r)) };
}

test("a reflecting server on loopback fails, a correct one conforms", async () => {
  const reflecting = await serve(handler({ reflect: true }));
  try {
    assertReflectionFound(await checkServer(reflecting.url, policy, { seed: 3, numRuns: 50 }), reflecting.url);
  } finally {
    await reflecting.stop();
  }
  const correct = await serve(handler({ reflect: false }));
  try {
    const report = await checkServer(correct.url, policy, { seed: 3, numRuns: 50 });
    assert.equal(report.conforms, true, JSON.stringify(report.counterexample, null, 2));
  } finally {
    await correct.stop();
  }
});

test("a handler that throws, or never answers, is a NetworkError", async () => {
  await assert.rejects(
    checkServer(() => { throw new Error("boom"); }, policy, { seed: 1 }),
    (error) => error instanceof NetworkError && /: boom$/.test(error.message),
  );
  await assert.rejects(
    checkServer(() => new Promise(() => {}), policy, { seed: 1, timeout: 50 }),
    (error) => error instanceof NetworkError && /no answer within 50 ms$/.test(error.message),
  );
});

test("a bad policy is a PolicyError naming the key", () => {
  const cases = [
    [{ ...policy, colour: "red" }, "colour"],
    [{ ...policy, credentials: undefined }, "credentials"],
    [{ ...policy, origins: ["https://app.example/"] }, "origins[0]"],
    [{ ...policy, origins: ["https://a*.example.com"] }, "origins[0]"],
    [{ ...policy, headers: ["*"] }, "headers[0]"],
    [{ ...policy, methods: ["GET", "TRACE"] }, "methods[1]"],
    [{ ...policy, max_age: -1 }, "max_age"],
  ];
  for (const [input, key] of cases) {
    assert.throws(() => parsePolicy(input), (e) => e instanceof PolicyError && e.key === key, key);
  }
  const wildcard = parsePolicy({ origins: ["https://*.example.com"], methods: [], headers: [], credentials: false });
  assert.equal(wildcard.origins[0].domain, "example.com");
  // A parsed policy is accepted wherever a policy goes, even one with no origin.
  const none = parsePolicy({ origins: [], methods: [], headers: [], credentials: false });
  assert.deepEqual(originCandidates(none), [ATTACKER, "null"]);
  assert.doesNotThrow(() => requestArbitrary(none, "https://api.example/"));
});

test("the arbitraries serve properties of your own", () => {
  const url = "https://api.example/data";
  fc.assert(
    fc.property(requestArbitrary(policy, url), (request) => {
      const { verdict } = evaluate({ request, server: [] });
      // No server answers: a cross-origin request never resolves.
      return verdict === "blocked";
    }),
    { numRuns: 200, seed: 4 },
  );
  fc.assert(
    fc.property(scenarioArbitrary({ ...policy, credentials: false }, url), (scenario) => {
      const output = evaluate(scenario);
      // Allowed under the spec implies the page's origin was granted.
      const acao = scenario.server[1].headers.find(([n]) => n === "Access-Control-Allow-Origin")?.[1];
      return output.verdict === "blocked" || acao === "*" || acao === scenario.request.origin;
    }),
    { numRuns: 300, seed: 5 },
  );
});
