// The browser entry in real headless Chromium: loaded as an ES module from a static server,
// and bundled by Vite from `import … from "corsica"`.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { evaluateMany, explain } from "corsica";

import { launch, page, serve } from "./chromium-helpers.mjs";
import { loadVectors, root, wasmDir } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("every vector through the browser build in Chromium gives node's outputs", async () => {
  const server = await serve({ "/pkg/": path.join(wasmDir, "pkg"), "/": path.join(wasmDir, "tests/fixtures") });
  const errors = [];
  try {
    const tab = await page(browser, errors);
    await tab.goto(`${server.url}/blank.html`);
    const vectors = loadVectors().map((v) => v.vector);
    const result = await tab.evaluate(async (vectors) => {
      const corsica = await import("/pkg/web/index.js");
      await corsica.default();
      let thrown;
      try {
        corsica.evaluate({ request: { origin: "https://a.example", url: "relative" } });
      } catch (error) {
        thrown = {
          isInputError: error instanceof corsica.CorsicaInputError,
          isError: error instanceof Error,
          path: error.path,
          name: error.name,
        };
      }
      const browserTab = new corsica.Browser("webkit");
      const request = { origin: "https://a.example", url: "https://b.example/", method: "DELETE" };
      const server = [
        { method: "OPTIONS", status: 204, headers: [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Methods", "DELETE"]] },
        { status: 204, headers: [["Access-Control-Allow-Origin", "*"]] },
      ];
      browserTab.fetch(request, server);
      return {
        outputs: corsica.evaluateMany(vectors),
        explained: corsica.explain(vectors[0]),
        thrown,
        cached: browserTab.fetch(request, server).exchanges[0].from_cache,
      };
    }, vectors);
    assert.deepStrictEqual(result.outputs, evaluateMany(vectors));
    assert.equal(result.explained, explain(vectors[0]));
    assert.deepEqual(result.thrown, { isInputError: true, isError: true, path: "request.url", name: "CorsicaInputError" });
    assert.equal(result.cached, true);
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
});

test("a front-end bundled by Vite imports the package by name and runs in Chromium", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "corsica-vite-"));
  try {
    const vite = path.join(wasmDir, "node_modules/.bin/vite");
    const app = path.join(wasmDir, "tests/fixtures/vite-app");
    const build = spawnSync(vite, ["build", app, "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: root,
      encoding: "utf8",
    });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    const server = await serve({ "/": out });
    const errors = [];
    try {
      const tab = await page(browser, errors);
      await tab.goto(`${server.url}/`);
      await tab.waitForFunction(() => window.result !== undefined, { timeout: 15000 });
      const result = await tab.evaluate(() => window.result);
      assert.deepEqual(result, {
        verdict: "blocked",
        kind: "WildcardOriginNotAllowed",
        thrown: { isInputError: true, isError: true, path: "request.origin" },
      });
      assert.deepEqual(errors, []);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
