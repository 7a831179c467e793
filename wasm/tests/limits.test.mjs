// The npm package's bad input with the exact CorsicaInputError each gives (path and problem), and
// the scenario limits at their boundary (README.md, "Limits"): the limit itself is evaluated,
// one more throws.

import assert from "node:assert/strict";
import test from "node:test";

import { CorsicaInputError, evaluate } from "corsica";

const ok = { origin: "https://app.example", url: "https://api.example/" };
const rule = { status: 200, headers: [["Access-Control-Allow-Origin", "*"]] };

/** What `fn()` throws, or undefined. */
function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function assertInputError(scenario, path, problem, what) {
  const error = thrown(() => evaluate(scenario));
  assert.ok(error instanceof CorsicaInputError, `${what}: ${error}`);
  assert.deepEqual({ path: error.path, problem: error.problem }, { path, problem }, what);
}

/** [what, scenario, path, problem] */
const rows = [
  ["no request", {}, "request", "missing: give request (or requests)"],
  ["an origin with a path", { request: { ...ok, origin: "https://app.example/" } }, "request.origin",
    "not a serialized origin: write scheme://host[:port] with no path, no trailing slash and no default port"],
  ["an opaque origin spelled as a URL", { request: { ...ok, origin: "data:,x" } }, "request.origin",
    "the scheme has no tuple origin (use \"null\" for an opaque origin)"],
  ["a relative URL", { request: { ...ok, url: "/x" } }, "request.url", "not a URL (relative URL without a base)"],
  ["a port out of range", { request: { ...ok, url: "https://a.example:99999/" } }, "request.url",
    "not a URL (invalid port number)"],
  ["a header value that is a number", { request: { ...ok, headers: [["X", 1]] } }, "request.headers[0][1]",
    "invalid type: integer `1`, expected a string"],
  ["a status of 1000", { request: ok, server: [{ status: 1000 }] }, "server[0].status", "must be from 100 to 999"],
  ["a status beyond u16", { request: ok, server: [{ status: 70000 }] }, "server[0].status",
    "invalid value: integer `70000`, expected u16"],
  ["a rule header name with a space", { request: ok, server: [{ status: 200, headers: [["a b", "c"]] }] },
    "server[0].headers[0][0]", "not a header name (an HTTP token)"],
  ["a time going back", { requests: [{ ...ok, at: 2 }, { ...ok, at: 1 }] }, "requests[1].at",
    "must be a number of seconds, no earlier than the request before it"],
  ["a rule of a request item", { requests: [{ ...ok, server: [{ status: 1 }] }] }, "requests[0].server[0].status",
    "must be from 100 to 999"],
];

test("each bad scenario throws the CorsicaInputError of its row", () => {
  for (const [what, scenario, path, problem] of rows) assertInputError(scenario, path, problem, what);
});

const pairs = (n) => Array.from({ length: n }, (_, i) => [`X-${i}`, "v"]);
const urlOf = (bytes) => `https://api.example/${"a".repeat(bytes - "https://api.example/".length)}`;
/** Header pairs, `Access-Control-Allow-Origin: *` first, of exactly `bytes` bytes of names and values. */
function listOf(bytes) {
  const pairs = [["Access-Control-Allow-Origin", "*"]];
  let left = bytes - "Access-Control-Allow-Origin".length - 1;
  for (let i = 0; left > 0; i++) {
    const name = `X-${i}`;
    const value = Math.min(left - name.length, 65536);
    pairs.push([name, "v".repeat(value)]);
    left -= name.length + value;
  }
  return pairs;
}
/** An `https://aaa…a.example` origin of exactly `bytes` bytes (labels of 63 bytes at most). */
function originOf(bytes) {
  const room = bytes - "https://".length - ".example".length;
  let host = "";
  while (host.length < room) {
    if (host) host += ".";
    host += "a".repeat(Math.min(63, room - host.length));
  }
  return `https://${host}.example`;
}

/** [limit, the scenario for a size n, the limit, path, problem] */
const limits = [
  ["headers in a request", (n) => ({ request: { ...ok, headers: pairs(n) }, server: [rule] }), 1024,
    "request.headers", "at most 1024 headers"],
  ["headers in a rule", (n) => ({ request: ok, server: [{ status: 200, headers: pairs(n) }] }), 1024,
    "server[0].headers", "at most 1024 headers"],
  ["bytes of a header value", (n) => ({ request: { ...ok, headers: [["X", "v".repeat(n)]] }, server: [rule] }),
    65536, "request.headers[0]", "longer than 65536 bytes"],
  ["bytes of a response header value",
    (n) => ({ request: ok, server: [{ status: 200, headers: [...rule.headers, ["X", "v".repeat(n)]] }] }),
    65536, "server[0].headers[1]", "longer than 65536 bytes"],
  ["bytes of a rule's header list", (n) => ({ request: ok, server: [{ status: 200, headers: listOf(n) }] }), 262144,
    "server[0].headers", "names and values longer than 262144 bytes in all"],
  ["server rules", (n) => ({ request: ok, server: Array(n).fill(rule) }), 1024, "server", "at most 1024 rules"],
  ["requests", (n) => ({ requests: Array(n).fill(ok), server: [rule] }), 1024, "requests", "needs 1 to 1024 requests"],
  ["bytes of the URL", (n) => ({ request: { ...ok, url: urlOf(n) }, server: [rule] }), 8192, "request.url",
    "longer than 8192 bytes"],
  ["bytes of the origin", (n) => ({ request: { ...ok, origin: originOf(n) }, server: [rule] }), 8192,
    "request.origin", "longer than 8192 bytes"],
];

test("each limit: the limit is evaluated, one more throws naming the field", () => {
  for (const [what, scenario, limit, path, problem] of limits) {
    assert.doesNotThrow(() => evaluate(scenario(limit)), what);
    assertInputError(scenario(limit + 1), path, problem, what);
  }
});
