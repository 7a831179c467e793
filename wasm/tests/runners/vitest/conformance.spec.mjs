// vitest: `import … from "corsica/conformance"` and the apps of ../../fixtures. Run by
// ../../runners.test.mjs.

import { evaluate } from "corsica";
import { ATTACKER, checkServer } from "corsica/conformance";
import { expect, test } from "vitest";

import { PAGE, POLICY, URL, hono, itty, reflect } from "../../fixtures/apps.cjs";
import * as nextRoute from "../../fixtures/next-route.mjs";

const options = { url: URL, seed: 5, numRuns: 100 };

test("Hono with hono/cors and a Next.js route module conform", async () => {
  for (const app of [hono([PAGE]), nextRoute]) {
    const report = await checkServer(app, POLICY, options);
    expect(report.counterexample).toBeNull();
    expect(report.conforms).toBe(true);
  }
});

test("itty-router reflecting every origin with credentials fails on the plainest foreign origin", async () => {
  const report = await checkServer(itty(reflect, { vary: true, expose: true }), POLICY, options);
  expect(report.conforms).toBe(false);
  expect(report.counterexample.request).toMatchObject({ origin: ATTACKER, method: "GET", headers: [] });
  expect(report.counterexample.violations[0].rule).toBe("OriginNotAllowed");
  expect(evaluate(report.counterexample.scenario).verdict).toBe("allowed");
});
