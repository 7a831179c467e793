// jest in its default (CommonJS) mode: `require("corsica/conformance")` and the apps of
// ../../fixtures/apps.cjs. Run by ../../runners.test.mjs.

const { evaluate } = require("corsica");
const { ATTACKER, PolicyError, checkServer } = require("corsica/conformance");

const { PAGE, POLICY, URL, hono, itty, reflect } = require("../../fixtures/apps.cjs");

const options = { url: URL, seed: 5, numRuns: 100 };

test("Hono with hono/cors listing the policy's origin conforms", async () => {
  const report = await checkServer(hono([PAGE]), POLICY, options);
  expect(report.counterexample).toBeNull();
  expect(report.conforms).toBe(true);
});

test("Hono reflecting every origin with credentials fails on the plainest foreign origin", async () => {
  const report = await checkServer(hono(reflect), POLICY, options);
  expect(report.conforms).toBe(false);
  expect(report.counterexample.request.origin).toBe(ATTACKER);
  expect(report.counterexample.request.method).toBe("GET");
  expect(report.counterexample.violations[0].rule).toBe("OriginNotAllowed");
  expect(evaluate(report.counterexample.scenario).verdict).toBe("allowed");
});

test("itty-router without Vary: Origin fails on hygiene", async () => {
  const report = await checkServer(itty([PAGE], { vary: false, expose: true }), POLICY, options);
  expect(report.counterexample.request.origin).toBe(PAGE);
  expect(report.counterexample.violations[0].rule).toBe("VaryOriginMissing");
});

test("a bad policy rejects with a PolicyError naming the key", async () => {
  await expect(checkServer(hono([PAGE]), { ...POLICY, max_age: -1 }, options)).rejects.toThrow(PolicyError);
  await expect(checkServer(hono([PAGE]), { ...POLICY, max_age: -1 }, options)).rejects.toMatchObject({ key: "max_age" });
});
