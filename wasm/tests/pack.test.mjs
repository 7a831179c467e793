// `npm pack --dry-run` ships exactly what a user needs.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import test from "node:test";

import { pkg } from "./helpers.mjs";

const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));

test("npm pack --dry-run lists exactly the package's files", () => {
  const run = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkg, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const [packed] = JSON.parse(run.stdout);
  const files = packed.files.map((f) => f.path).sort();
  // wasm-bindgen names the snippet folder after the crate and a hash.
  const snippet = (dir) =>
    files.find((f) => new RegExp(`^${dir}snippets/corsica-wasm-[0-9a-f]+/js/error\\.js$`).test(f));
  assert.deepEqual(
    files,
    [
      "README.md",
      "conformance.cjs",
      "conformance.d.cts",
      "conformance.d.mts",
      "conformance.mjs",
      "corsica.d.mts",
      "corsica.d.ts",
      "corsica.js",
      "corsica.mjs",
      "corsica_bg.wasm",
      "corsica_node.wasm",
      "package.json",
      snippet(""),
      "web/corsica.d.ts",
      "web/corsica.js",
      "web/index.d.ts",
      "web/index.js",
      "web/package.json",
      snippet("web/"),
    ].sort(),
  );
  assert.equal(packed.name, "corsica");
  assert.equal(packed.version, manifest.version);
});

test("package.json: the exports map and its files", () => {
  assert.equal(manifest.name, "corsica");
  assert.equal(manifest.main, "./corsica.js");
  assert.deepEqual(manifest.exports["."], {
    node: {
      import: { types: "./corsica.d.mts", default: "./corsica.mjs" },
      require: { types: "./corsica.d.ts", default: "./corsica.js" },
    },
    default: { types: "./web/index.d.ts", default: "./web/index.js" },
  });
  assert.deepEqual(manifest.exports["./conformance"], {
    import: { types: "./conformance.d.mts", default: "./conformance.mjs" },
    require: { types: "./conformance.d.cts", default: "./conformance.cjs" },
  });
  // fast-check is needed only by corsica/conformance, and then it is the user's own copy.
  assert.deepEqual(manifest.peerDependencies, { "fast-check": ">=3.0.0" });
  assert.deepEqual(manifest.peerDependenciesMeta, { "fast-check": { optional: true } });
  assert.equal(manifest.dependencies, undefined);
  assert.equal(JSON.parse(readFileSync(path.join(pkg, "web/package.json"), "utf8")).type, "module");
});

test("node reads its own build (corsica_node.wasm); browsers and bundlers the size build", () => {
  const nodeGlue = readFileSync(path.join(pkg, "corsica.js"), "utf8");
  assert.match(nodeGlue, /`\$\{__dirname\}\/corsica_node\.wasm`/);
  assert.doesNotMatch(nodeGlue, /corsica_bg\.wasm/);
  const webEntry = readFileSync(path.join(pkg, "web/index.js"), "utf8");
  assert.match(webEntry, /new URL\("\.\.\/corsica_bg\.wasm", import\.meta\.url\)/);
  // Two builds of one crate: the same exports.
  const exportsOf = (file) =>
    WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(path.join(pkg, file))))
      .map((e) => e.name)
      .sort();
  assert.deepEqual(exportsOf("corsica_node.wasm"), exportsOf("corsica_bg.wasm"));
});
