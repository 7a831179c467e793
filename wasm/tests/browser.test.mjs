// The Browser class replays requests as one tab would: its preflight cache answers while its
// entries live, on the clock the caller moves. Each `requests` vector replayed through a Browser
// gives the results evaluate() gives for the scenario.

import assert from "node:assert/strict";
import test from "node:test";

import { Browser, evaluate, evaluateMany } from "corsica";

import { loadVectors } from "./helpers.mjs";

const page = "https://app.example";
const request = { origin: page, url: "https://api.example/items/7", method: "PUT", headers: [["X-Token", "t"]] };
const server = [
  {
    method: "OPTIONS",
    status: 204,
    headers: [
      ["Access-Control-Allow-Origin", page],
      ["Access-Control-Allow-Methods", "PUT"],
      ["Access-Control-Allow-Headers", "x-token"],
      ["Access-Control-Max-Age", "600"],
    ],
  },
  { method: "PUT", status: 200, headers: [["Access-Control-Allow-Origin", page]] },
];
const fromCache = (output) => output.exchanges.map((e) => e.from_cache);

test("the preflight cache answers until max-age passes, on the caller's clock", () => {
  const browser = new Browser("chromium");
  assert.equal(browser.profile, "chromium");
  assert.equal(browser.now, 0);
  assert.deepEqual(fromCache(browser.fetch(request, server)), [false, false]);
  browser.advance(300);
  assert.equal(browser.now, 300);
  const cached = browser.fetch(request, server);
  assert.deepEqual(fromCache(cached), [true, false]);
  assert.equal("response" in cached.exchanges[0], false); // nothing was sent
  assert.equal(cached.verdict, "allowed");
  browser.setTime(600); // max-age 600 s: the entry has expired
  assert.deepEqual(fromCache(browser.fetch(request, server)), [false, false]);
  browser.setTime(10); // the clock never goes back
  assert.equal(browser.now, 600);
});

test("each browser has its own cache", () => {
  const one = new Browser();
  const two = new Browser();
  one.fetch(request, server);
  assert.deepEqual(fromCache(one.fetch(request, server)), [true, false]);
  assert.deepEqual(fromCache(two.fetch(request, server)), [false, false]);
});

test("the trace option records the steps", () => {
  const traced = new Browser("spec", { trace: true }).fetch(request, server);
  assert.ok(traced.trace.length > 0);
  assert.ok(traced.trace.every((step) => step.anchor.startsWith("https://")));
  assert.equal("trace" in new Browser().fetch(request, server), false);
});

test("every `requests` vector replayed through a Browser gives evaluate()'s results", () => {
  const multi = loadVectors()
    .map((v) => v.vector)
    .filter((v) => Array.isArray(v.requests));
  assert.ok(multi.length >= 10, `${multi.length} multi-request vectors`);
  for (const vector of multi) {
    const expected = evaluate(vector).results;
    const browser = new Browser(vector.profile ?? "spec", { trace: vector.trace ?? false });
    let last = 0;
    vector.requests.forEach((item, i) => {
      const { at, server: own, ...rest } = item;
      last = at ?? last;
      browser.setTime(last);
      const output = browser.fetch(own ? { ...rest, server: own } : rest, vector.server ?? []);
      assert.deepStrictEqual(output, expected[i], `${vector.id} request ${i}`);
    });
  }
});

test("evaluateMany() gives evaluate()'s outputs, in order", () => {
  const vectors = loadVectors().map((v) => v.vector);
  const batch = [];
  for (let i = 0; i < 5000; i++) batch.push(vectors[(i * 7919) % vectors.length]);
  const outputs = evaluateMany(batch);
  assert.equal(outputs.length, batch.length);
  outputs.forEach((output, i) => assert.deepStrictEqual(output, evaluate(batch[i])));
  assert.deepEqual(evaluateMany([]), []);
});
