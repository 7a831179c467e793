// The playground in real headless Chromium: load it, fill a case by typing, check the verdict
// and the console line shown, open the shared link, and go through every preset. Writes a
// screenshot of a blocked case to target/playground-screenshot.png (and to
// wasm/playground/screenshot.png with CORSICA_UPDATE_SCREENSHOT=1).

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";

import { evaluate } from "corsica";

import { launch, page, serve } from "../../tests/chromium-helpers.mjs";
import { root, wasmDir } from "../../tests/helpers.mjs";
import { presets } from "../presets.js";

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await serve({ "/pkg/": path.join(wasmDir, "pkg"), "/": path.join(wasmDir, "playground") });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url, errors) {
  const tab = await page(browser, errors);
  await tab.setViewport({ width: 1400, height: 1000 });
  await tab.goto(url);
  await tab.waitForSelector("body[data-ready]", { timeout: 15000 });
  return tab;
}

/** Replaces the value of a field, as a person would (select all, type). */
async function type(tab, selector, text) {
  await tab.focus(selector);
  await tab.$eval(selector, (field) => field.select());
  await tab.keyboard.press("Backspace");
  if (text !== "") await tab.type(selector, text);
}

const text = (tab, selector) => tab.$eval(selector, (element) => element.textContent.trim());

test("fill a case by hand: blocked, the console line, then fixed; the link reproduces it", async () => {
  const errors = [];
  const tab = await open(`${server.url}/`, errors);
  // A credentialed PUT with a JSON body, and a server that answers the preflight with `*`.
  await type(tab, "#origin", "https://shop.example");
  await type(tab, "#url", "https://api.example/cart/items/7");
  await type(tab, "#method", "PUT");
  await type(tab, "#headers", "Content-Type: application/json");
  await tab.select("#credentials", "include");
  await type(tab, '#rules .rule[data-rule="0"] [data-field="headers"]', "Access-Control-Allow-Origin: *");
  await tab.click("#add-rule");
  await tab.select('#rules .rule[data-rule="0"] [data-field="preflight"]', "true");
  await type(tab, '#rules .rule[data-rule="0"] [data-field="status"]', "204");
  await type(
    tab,
    '#rules .rule[data-rule="0"] [data-field="headers"]',
    "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: content-type",
  );
  await tab.select("#profile", "chromium");

  assert.equal(await text(tab, '[data-testid="verdict-chromium"]'), "BLOCKED");
  const expected =
    "Access to fetch at 'https://api.example/cart/items/7' from origin 'https://shop.example' has been " +
    "blocked by CORS policy: Response to preflight request doesn't pass access control check: The value " +
    "of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the " +
    "request's credentials mode is 'include'.";
  assert.equal(await text(tab, '[data-testid="console-chromium"]'), expected);
  assert.match(await text(tab, '[data-testid="console-line-firefox"]'), /Cross-Origin Request Blocked/);
  assert.match(await text(tab, '[data-testid="fix-chromium"]'), /Access-Control-Allow-Origin: https:\/\/shop\.example/);
  // The network panel shows the preflight exactly as sent.
  const preflight = await tab.$$eval('[data-testid="exchange"]', (rows) => rows[0].textContent);
  assert.match(preflight, /OPTIONS/);
  assert.match(preflight, /Access-Control-Request-Headers: content-type/);

  await tab.setViewport({ width: 1400, height: 1000 });
  const shot = path.join(root, "target/playground-screenshot.png");
  mkdirSync(path.dirname(shot), { recursive: true });
  await tab.screenshot({ path: shot, fullPage: true });
  if (process.env.CORSICA_UPDATE_SCREENSHOT) copyFileSync(shot, path.join(wasmDir, "playground/screenshot.png"));

  // The fix: echo the origin and allow credentials, on both answers.
  const allow = "Access-Control-Allow-Origin: https://shop.example\nAccess-Control-Allow-Credentials: true";
  await type(tab, '#rules .rule[data-rule="0"] [data-field="headers"]', `${allow}\nAccess-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: content-type`);
  await type(tab, '#rules .rule[data-rule="1"] [data-field="headers"]', allow);
  assert.equal(await text(tab, '[data-testid="verdict-chromium"]'), "ALLOWED");
  assert.match(await text(tab, '[data-testid="console-chromium"]'), /no CORS error/);

  // The link reproduces the case in a fresh page.
  const link = await tab.$eval("#share-link", (input) => input.value);
  assert.match(link, /#case=[A-Za-z0-9_-]+$/);
  const again = await open(link, errors);
  assert.equal(await again.$eval("#origin", (input) => input.value), "https://shop.example");
  assert.equal(await again.$eval("#credentials", (select) => select.value), "include");
  assert.equal(await again.$eval("#profile", (select) => select.value), "chromium");
  assert.equal(await text(again, '[data-testid="verdict-chromium"]'), "ALLOWED");
  assert.deepEqual(errors, []);
});

test("every preset shows the engine's verdict and console line, side by side", async () => {
  const errors = [];
  const tab = await open(`${server.url}/`, errors);
  for (const preset of presets) {
    await tab.click(`button[data-preset="${preset.id}"]`);
    await tab.select("#profile", "all");
    for (const profile of ["spec", "chromium", "firefox", "webkit"]) {
      const output = evaluate({ ...preset.scenario, profile });
      assert.equal(
        await text(tab, `[data-testid="verdict-${profile}"]`),
        output.verdict.toUpperCase(),
        `${preset.id} in ${profile}`,
      );
      assert.equal(
        await text(tab, `[data-testid="console-${profile}"]`),
        output.error?.message ?? "(no CORS error: fetch() resolves)",
        `${preset.id} in ${profile}`,
      );
    }
  }
  assert.deepEqual(errors, []);
});

test("bad input names the field instead of a result", async () => {
  const errors = [];
  const tab = await open(`${server.url}/`, errors);
  await type(tab, "#url", "api.example/data");
  assert.match(await text(tab, "#input-error"), /request\.url: not a URL/);
  assert.ok(await tab.$eval("#url", (input) => input.classList.contains("invalid")));
  await type(tab, "#url", "https://api.example/data");
  assert.equal(await tab.$eval("#input-error", (element) => element.hidden), true);
  assert.deepEqual(errors, []);
});

test("a damaged link falls back to the default case", async () => {
  const errors = [];
  const tab = await open(`${server.url}/#case=not-base64!!`, errors);
  assert.equal(await text(tab, '[data-testid="verdict-spec"]'), "BLOCKED");
  assert.deepEqual(errors, []);
});
