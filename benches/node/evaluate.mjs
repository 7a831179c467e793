// `evaluate` (one boundary crossing per scenario) and `evaluateMany` (one per batch) in node, on
// every conformance vector and on the issue-7 full verdict. A benchmark, never a test:
//
//   cargo xtask wasm && node benches/node/evaluate.mjs

import { corsica, fullVerdict, measure, packageVersion, vectors } from "./measure.mjs";

const { evaluate, evaluateMany } = corsica;
const all = vectors();
const batch = (scenario, n) => Array.from({ length: n }, () => scenario);

console.log(`corsica ${packageVersion()} (wasm/pkg) in node ${process.version}; ${all.length} vectors`);

await measure("evaluate, every vector in turn", () => {
  for (const scenario of all) evaluate(scenario);
  return all.length;
});
await measure(`evaluateMany, every vector in one batch (${all.length})`, () => evaluateMany(all).length);
await measure("evaluate, the full verdict (preflighted credentialed PUT)", () => {
  for (let i = 0; i < 100; i++) evaluate(fullVerdict);
  return 100;
});
for (const size of [100, 1000]) {
  const scenarios = batch(fullVerdict, size);
  await measure(`evaluateMany, the full verdict in batches of ${size}`, () => evaluateMany(scenarios).length);
}
