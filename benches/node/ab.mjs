// Two builds of the npm package measured in turns in one node process: the CPU time per verdict
// of each, on the same work, rounds alternating which goes first. On a shared machine whose speed
// drifts from minute to minute, this compares two builds where separate runs cannot. A
// measurement aid, never a test:
//
//   node benches/node/ab.mjs OLD/wasm/pkg/corsica.js NEW/wasm/pkg/corsica.js

import { createRequire } from "node:module";
import path from "node:path";

import { fullVerdict, vectors } from "./measure.mjs";

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node ab.mjs OLD/corsica.js NEW/corsica.js");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const builds = { old: require(path.resolve(before)), new: require(path.resolve(after)) };
const all = vectors();
const batch = Array.from({ length: 1000 }, () => fullVerdict);
const work = {
  "the full verdict, evaluateMany of 1,000": (c) => c.evaluateMany(batch).length,
  "every vector, evaluateMany": (c) => c.evaluateMany(all).length,
  "every vector, evaluate": (c) => {
    for (const scenario of all) c.evaluate(scenario);
    return all.length;
  },
};
const ROUNDS = 21;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const [what, run] of Object.entries(work)) {
  const cpu = { old: [], new: [] };
  for (const name of ["old", "new"]) for (let i = 0; i < 3; i++) run(builds[name]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? ["old", "new"] : ["new", "old"]) {
      const start = process.cpuUsage();
      let verdicts = 0;
      for (let i = 0; i < 3; i++) verdicts += run(builds[name]);
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / verdicts);
    }
  }
  const [old, now] = [median(cpu.old), median(cpu.new)];
  console.log(
    `${what}: old ${old.toFixed(1)} µs CPU a verdict, new ${now.toFixed(1)} µs (${(old / now).toFixed(2)}×; median of ${ROUNDS} rounds)`,
  );
}
