// `corsica/conformance` under jest (its default CommonJS mode: the `require` entry) and vitest
// (the `import` entry): each runs its suite in runners/ and must pass every test of it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import test from "node:test";

import { wasmDir } from "./helpers.mjs";

const runners = path.join(wasmDir, "tests/runners");
const bin = (name) => path.join(wasmDir, "node_modules/.bin", name);

function run(program, args) {
  const result = spawnSync(bin(program), args, { cwd: wasmDir, encoding: "utf8", env: { ...process.env, CI: "1", NO_COLOR: "1" } });
  return { status: result.status, output: result.stdout + result.stderr };
}

test("jest (CommonJS) runs corsica/conformance", () => {
  const { status, output } = run("jest", ["--rootDir", path.join(runners, "jest"), "--testMatch", "**/*.spec.cjs", "--ci"]);
  assert.equal(status, 0, output);
  assert.match(output, /Tests:\s+4 passed, 4 total/, output);
});

test("vitest runs corsica/conformance", () => {
  const { status, output } = run("vitest", ["run", "--root", path.join(runners, "vitest")]);
  assert.equal(status, 0, output);
  assert.match(output, /Tests\s+2 passed \(2\)/, output);
});
