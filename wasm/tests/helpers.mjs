// Shared by the node tests of the npm package (`node --test wasm/tests/`, run by
// `cargo xtask test` after `cargo xtask wasm` has built wasm/pkg and linked it as
// wasm/node_modules/corsica).

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built package. */
export const pkg = path.join(root, "wasm/pkg");
/** The folder of wasm/package.json (its node_modules holds the tools and the `corsica` link). */
export const wasmDir = path.join(root, "wasm");

/** The native `corsica` binary (CORSICA_CLI, or target/debug/corsica, built if missing). */
export function cli() {
  if (process.env.CORSICA_CLI) return process.env.CORSICA_CLI;
  const binary = path.join(root, "target/debug/corsica");
  if (!existsSync(binary)) {
    const built = spawnSync("cargo", ["build", "-q", "-p", "corsica-cli"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) throw new Error("cannot build corsica-cli");
  }
  return binary;
}

/**
 * The native engine's answer for each scenario: `corsica eval --jsonl`, one scenario per line.
 * Each item is the output object, or `{input_error: {path, message}}`.
 */
export function nativeEval(scenarios) {
  const input = scenarios.map((s) => JSON.stringify(s)).join("\n") + "\n";
  const run = spawnSync(cli(), ["eval", "--jsonl"], { input, maxBuffer: 1 << 30, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`corsica eval --jsonl failed: ${run.stderr}`);
  const lines = run.stdout.split("\n").filter((l) => l.trim() !== "");
  if (lines.length !== scenarios.length) {
    throw new Error(`corsica eval --jsonl: ${lines.length} lines for ${scenarios.length} scenarios`);
  }
  return lines.map((l) => JSON.parse(l));
}

/** Every vector of spec-tests/vectors/*.json, in file and array order, with its file name. */
export function loadVectors() {
  const dir = path.join(root, "spec-tests/vectors");
  const vectors = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    for (const item of JSON.parse(readFileSync(path.join(dir, file), "utf8"))) {
      if (typeof item !== "string") vectors.push({ file, vector: item });
    }
  }
  return vectors;
}

/** spec-tests/expected-failures.txt: id → reason. */
export function expectedFailures() {
  return idList(path.join(root, "spec-tests/expected-failures.txt"));
}

/**
 * wasm/tests/without-idna.txt: the vectors the package answers differently for want of IDNA
 * tables, id → what it answers.
 */
export function withoutIdna() {
  return idList(path.join(wasmDir, "tests/without-idna.txt"));
}

/** A list of `id  # reason` lines (blank lines and `#` comments skipped): id → reason. */
function idList(file) {
  const map = new Map();
  if (!existsSync(file)) return map;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    const [id, reason] = text.split("#").map((s) => s.trim());
    map.set(id, reason);
  }
  return map;
}

/**
 * The mismatches of `actual` against the subset `expected`, as spec-tests/README.md says:
 * objects match on the keys `expected` has, arrays element by element with the same length,
 * scalars by equality.
 */
export function subsetMismatches(expected, actual, at = "$", out = []) {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push(`${at}: expected an object, got ${JSON.stringify(actual)}`);
      return out;
    }
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) out.push(`${at}.${key}: missing from the output`);
      else subsetMismatches(value, actual[key], `${at}.${key}`, out);
    }
  } else if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((e, i) => subsetMismatches(e, actual[i], `${at}[${i}]`, out));
  } else if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return out;
}

/**
 * The scenarios of the recorded browser corpora (spec-tests/recorded/*.jsonl), each with the
 * profile of the browser that played it, without `tags` (which only the oracle reads).
 */
export function recordedScenarios() {
  const dir = path.join(root, "spec-tests/recorded");
  if (!existsSync(dir)) return [];
  const scenarios = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    for (const line of readFileSync(path.join(dir, file), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const record = JSON.parse(line);
      const name = record.browser?.name ?? "";
      const profile = ["chromium", "firefox", "webkit"].find((p) => name.startsWith(p));
      const { tags, ...scenario } = record.scenario;
      if (!profile) continue;
      scenarios.push({ file, id: `${record.id}@${profile}`, scenario: { ...scenario, profile } });
    }
  }
  return scenarios;
}
