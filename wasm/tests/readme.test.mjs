// The README's TypeScript examples compile under `tsc --strict` against the package, and run:
// the node:test example passes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import test from "node:test";

import { wasmDir } from "./helpers.mjs";

const readme = readFileSync(path.join(wasmDir, "README.md"), "utf8");
// The examples are the ```ts blocks that import the package (the API listing is not code).
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((code) => /from "corsica(\/conformance)?"/.test(code));

test("the README's examples compile and run", () => {
  assert.ok(examples.length >= 4, `${examples.length} examples`);
  // Inside wasm/ so that `corsica` resolves to the package; node_modules is not in git.
  const dir = path.join(wasmDir, "node_modules/.cache/corsica-readme");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = examples.map((code, i) => {
    const file = path.join(dir, `example-${i}.mts`);
    writeFileSync(file, code);
    return file;
  });
  const tsc = spawnSync(
    path.join(wasmDir, "node_modules/.bin/tsc"),
    [
      "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--lib", "es2022,esnext.disposable", "--types", "node", "--outDir", dir, ...files,
    ],
    { cwd: wasmDir, encoding: "utf8" },
  );
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  for (const [i, code] of examples.entries()) {
    const js = path.join(dir, `example-${i}.mjs`);
    const run = code.includes("node:test")
      ? spawnSync(process.execPath, ["--test", js], { encoding: "utf8" })
      : spawnSync(process.execPath, [js], { encoding: "utf8" });
    assert.equal(run.status, 0, `example ${i}:\n${run.stdout}${run.stderr}`);
  }
});
