// Shared by the node benchmarks: the built package, the vectors, and a timer that reports the
// median throughput of several runs with its spread. Benchmarks, never tests.

import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The npm package as `cargo xtask wasm` builds it (wasm/pkg), through its `require` entry. */
export const corsica = createRequire(import.meta.url)(path.join(root, "wasm/pkg/corsica.js"));

/** The version of the built package. */
export function packageVersion() {
  return JSON.parse(readFileSync(path.join(root, "wasm/pkg/package.json"), "utf8")).version;
}

/** Every conformance vector (spec-tests/vectors/*.json) as a scenario, without `expected`. */
export function vectors() {
  const dir = path.join(root, "spec-tests/vectors");
  const scenarios = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    for (const item of JSON.parse(readFileSync(path.join(dir, file), "utf8"))) {
      if (typeof item === "string") continue;
      const { expected, source, ...scenario } = item;
      scenarios.push(scenario);
    }
  }
  return scenarios;
}

/**
 * The issue-7 case: a preflighted credentialed `PUT` with three headers, both answers allowing it
 * (the criterion benchmark's "full verdict").
 */
export const fullVerdict = {
  profile: "chromium",
  request: {
    origin: "https://app.example",
    url: "https://api.example/items/7",
    method: "PUT",
    headers: [["Content-Type", "application/json"], ["Authorization", "Bearer t"], ["X-Request-Id", "42"]],
    credentials: "include",
  },
  server: [
    {
      method: "OPTIONS",
      status: 204,
      headers: [
        ["Access-Control-Allow-Origin", "https://app.example"],
        ["Access-Control-Allow-Credentials", "true"],
        ["Access-Control-Allow-Methods", "PUT"],
        ["Access-Control-Allow-Headers", "content-type, authorization, x-request-id"],
        ["Access-Control-Max-Age", "600"],
      ],
    },
    {
      status: 200,
      headers: [
        ["Access-Control-Allow-Origin", "https://app.example"],
        ["Access-Control-Allow-Credentials", "true"],
        ["Content-Type", "application/json"],
      ],
    },
  ],
};

const format = (n) => Math.round(n).toLocaleString("en-US");

/** The median of `values` and their extremes. */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

/**
 * Runs `round` (which processes some items and returns how many) again and again for at least
 * `ms` milliseconds per run, `runs` times after one warm-up run; prints and returns the median
 * items per second (wall clock, `process.hrtime.bigint`) with the slowest and fastest run, and the
 * median per second of CPU time (`process.cpuUsage`, which a machine shared with other jobs
 * distorts less).
 */
export async function measure(name, round, { runs = 9, ms = 300, unit = "verdicts" } = {}) {
  const rates = [];
  const cpuRates = [];
  for (let run = -1; run < runs; run++) {
    let items = 0;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const until = started + BigInt(ms) * 1_000_000n;
    let now = started;
    do {
      items += await round();
      now = process.hrtime.bigint();
    } while (now < until);
    const used = process.cpuUsage(cpu);
    if (run >= 0) {
      rates.push(items / (Number(now - started) / 1e9));
      cpuRates.push(items / ((used.user + used.system) / 1e6));
    }
  }
  const result = { ...summary(rates), cpu: summary(cpuRates).median };
  console.log(
    `${name}: ${format(result.median)} ${unit}/s [${format(result.min)}, ${format(result.max)}], ` +
      `${format(1e9 / result.median)} ns each; per CPU second ${format(result.cpu)} ` +
      `(median of ${runs} runs of ≥ ${ms} ms)`,
  );
  return result;
}
