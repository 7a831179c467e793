// The package's entry points, through its `exports` map: node's `require` and `import` load
// synchronously and share one instance; the browser entry (tested in Chromium by
// chromium.test.mjs) also runs in node once given the .wasm's bytes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import test from "node:test";
import { pathToFileURL } from "node:url";

import init, * as corsica from "corsica";

import { pkg, wasmDir } from "./helpers.mjs";

const scenario = {
  request: { origin: "https://app.example", url: "https://api.example/data", method: "PUT" },
  server: [
    {
      method: "OPTIONS",
      status: 204,
      headers: [["Access-Control-Allow-Origin", "https://app.example"], ["Access-Control-Allow-Methods", "PUT"]],
    },
    { status: 200, headers: [["Access-Control-Allow-Origin", "https://app.example"]] },
  ],
};

/** Runs `code` in a fresh node process in wasm/ (where node_modules/corsica is the package). */
function node(args, code) {
  const run = spawnSync(process.execPath, [...args, "-e", code], { cwd: wasmDir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test("require('corsica') loads synchronously (CommonJS)", () => {
  const result = node(
    [],
    `const c = require("corsica");
     const output = c.evaluate(${JSON.stringify(scenario)});
     let error;
     try { c.evaluate({}); } catch (e) { error = e; }
     console.log(JSON.stringify({
       file: require.resolve("corsica"),
       verdict: output.verdict,
       kinds: output.exchanges.map((e) => e.kind),
       isInputError: error instanceof c.CorsicaInputError && error instanceof Error,
       exports: Object.keys(c).sort(),
     }));`,
  );
  assert.equal(path.relative(pkg, result.file), "corsica.js");
  assert.equal(result.verdict, "allowed");
  assert.deepEqual(result.kinds, ["preflight", "request"]);
  assert.ok(result.isInputError);
  assert.deepEqual(result.exports, [
    "Browser",
    "CorsicaInputError",
    "checkResponse",
    "classify",
    "evaluate",
    "evaluateMany",
    "explain",
    "exposedHeaders",
    "preflightRequest",
  ]);
});

test("import 'corsica' loads synchronously (ES module) and shares the CommonJS instance", () => {
  const result = node(
    ["--input-type=module"],
    `import { evaluate, CorsicaInputError } from "corsica";
     import { createRequire } from "node:module";
     const required = createRequire(import.meta.url)("corsica");
     const output = evaluate(${JSON.stringify(scenario)});
     console.log(JSON.stringify({
       file: import.meta.resolve("corsica"),
       verdict: output.verdict,
       sameClass: required.CorsicaInputError === CorsicaInputError,
       sameFunction: required.evaluate === evaluate,
     }));`,
  );
  assert.equal(result.file, pathToFileURL(path.join(pkg, "corsica.mjs")).href);
  assert.equal(result.verdict, "allowed");
  assert.ok(result.sameClass);
  assert.ok(result.sameFunction);
});

test("init() and initSync() exist in node for isomorphic code, and do nothing", async () => {
  await init();
  corsica.initSync();
  assert.equal(corsica.evaluate(scenario).verdict, "allowed");
});

test("the browser entry runs in node too, given the .wasm's bytes", async () => {
  const web = await import(pathToFileURL(path.join(pkg, "web/index.js")).href);
  web.initSync({ module: readFileSync(path.join(pkg, "corsica_bg.wasm")) });
  web.initSync({ module: readFileSync(path.join(pkg, "corsica_bg.wasm")) }); // once is enough
  assert.deepStrictEqual(web.evaluate(scenario), corsica.evaluate(scenario));
  assert.throws(() => web.evaluate({}), web.CorsicaInputError);
  // Each build has its own class (the CommonJS one for node, the ES one for browsers).
  assert.notEqual(web.CorsicaInputError, corsica.CorsicaInputError);
  assert.equal(web.explain(scenario), corsica.explain(scenario));
});

test("both CorsicaInputError classes behave alike", async () => {
  const web = await import(pathToFileURL(path.join(pkg, "web/index.js")).href);
  for (const Class of [corsica.CorsicaInputError, web.CorsicaInputError]) {
    const error = new Class("request.url", "not a URL");
    assert.ok(error instanceof Error);
    assert.equal(error.name, "CorsicaInputError");
    assert.equal(error.message, "request.url: not a URL");
    assert.equal(error.path, "request.url");
    assert.equal(error.problem, "not a URL");
    assert.equal(new Class("", "bad").message, "bad");
    assert.equal(Object.prototype.toString.call(error), "[object Error]");
  }
});
