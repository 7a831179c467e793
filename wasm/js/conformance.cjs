// `corsica/conformance`: property-based conformance checking of a server's CORS behaviour
// against a declared policy, with fast-check (an optional peer dependency of the package: only
// this entry needs it). The engine (`evaluate`, `Browser`) decides what each browser does with
// the server's real answers; this module generates the requests, delivers them, and compares the
// verdicts with the policy. The same rules as the Rust crate `corsica-conformance`.
//
// CommonJS, like the node build it requires, so that jest's default mode can `require` it; the
// `import` entry (conformance.mjs) re-exports it, so that `import` and `require` share one
// instance (one PolicyError class).
"use strict";

const fc = require("fast-check");

const { Browser, evaluate } = require("./corsica.js");

const PROFILES = ["spec", "chromium", "firefox", "webkit"];
const SAFELISTED_METHODS = ["GET", "HEAD", "POST"];
const NORMALIZED_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
const SAFELISTED_RESPONSE_HEADERS = [
  "cache-control", "content-language", "content-length", "content-type", "expires",
  "last-modified", "pragma",
];
const KEYS = ["origins", "methods", "headers", "credentials", "expose", "max_age", "private_network"];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Marks the policies `parsePolicy` returned. */
const PARSED = Symbol("corsica.policy");

/** The plainest origin outside any policy. */
const ATTACKER = "https://attacker.example";

/** A policy that cannot be used: `key` names the key at fault (`origins[1]`). */
class PolicyError extends Error {
  constructor(key, problem) {
    super(key ? `policy key \`${key}\`: ${problem}` : `policy: ${problem}`);
    this.name = "PolicyError";
    this.key = key;
    this.problem = problem;
  }
}

/** A request got no HTTP answer (the handler threw, the server refused or timed out). */
class NetworkError extends Error {
  constructor(request, cause) {
    super(`${request}: ${cause?.message ?? cause}`, { cause });
    this.name = "NetworkError";
    this.request = request;
  }
}

/** The serialized origin of `text`, or null when it is not one exactly. */
function serializedOrigin(text) {
  try {
    const url = new URL(text);
    if (!["http:", "https:", "ws:", "wss:", "ftp:"].includes(url.protocol)) return null;
    return url.origin === text ? url : null;
  } catch {
    return null;
  }
}

function normalizeMethod(method) {
  return NORMALIZED_METHODS.find((m) => m === method.toUpperCase()) ?? method;
}

/** Parses one entry of `origins`. */
function originPattern(entry, key) {
  if (typeof entry !== "string") throw new PolicyError(key, "an origin is a string");
  if (entry === "*") return { kind: "any", instance: "https://anyone.example" };
  if (entry === "null") return { kind: "null", instance: "null" };
  if (!entry.includes("*")) {
    if (!serializedOrigin(entry)) {
      throw new PolicyError(key, `${JSON.stringify(entry)} is not an origin: write scheme://host[:port] as browsers send it (lowercase, no path, no trailing slash, no default port), a pattern https://*.example.com, "null" or "*"`);
    }
    return { kind: "exact", origin: entry, instance: entry };
  }
  const bad = () => new PolicyError(key, `${JSON.stringify(entry)}: a pattern's \`*\` must be the whole leftmost label of the host, as in https://*.example.com`);
  const [scheme, rest] = entry.split("://");
  if (rest === undefined || !rest.startsWith("*.") || rest.slice(2).includes("*")) throw bad();
  const probe = serializedOrigin(`${scheme}://wildcard.${rest.slice(2)}`);
  if (!probe) throw new PolicyError(key, `${JSON.stringify(entry)} is not an origin pattern`);
  return {
    kind: "subdomains",
    scheme: probe.protocol,
    domain: probe.hostname.slice("wildcard.".length),
    port: probe.port,
    instance: `${scheme}://app.${rest.slice(2)}`,
  };
}

function patternMatches(pattern, origin) {
  switch (pattern.kind) {
    case "any": return true;
    case "null": return origin === "null";
    case "exact": return origin === pattern.origin;
    default: {
      const url = serializedOrigin(origin);
      if (!url || url.protocol !== pattern.scheme || url.port !== pattern.port) return false;
      const front = url.hostname.endsWith(`.${pattern.domain}`)
        ? url.hostname.slice(0, -pattern.domain.length - 1) : "";
      return front !== "" && front.split(".").every((label) => label !== "");
    }
  }
}

/**
 * Validates a policy object with the keys of the policy file (`origins`, `methods`, `headers`,
 * `credentials`, optional `expose`, `max_age`, `private_network`); throws a `PolicyError` naming
 * the key at fault. Origin patterns: `*` stands for one or more whole labels, the scheme and port
 * must match (see the README).
 */
function parsePolicy(input) {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new PolicyError("", "a policy is an object");
  }
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) throw new PolicyError(key, `unknown key, expected one of ${KEYS.join(", ")}`);
  }
  for (const key of ["origins", "methods", "headers"]) {
    if (!Array.isArray(input[key])) throw new PolicyError(key, "missing, or not a list");
  }
  if (typeof input.credentials !== "boolean") throw new PolicyError("credentials", "missing, or not a boolean");
  const names = (key, list) => list.map((name, i) => {
    if (typeof name !== "string" || !TOKEN.test(name)) {
      throw new PolicyError(`${key}[${i}]`, `${JSON.stringify(name)} is not a header name (an HTTP token)`);
    }
    return name.toLowerCase();
  });
  const policy = {
    [PARSED]: true,
    origins: input.origins.map((o, i) => originPattern(o, `origins[${i}]`)),
    methods: input.methods.map((m, i) => {
      if (typeof m !== "string" || !TOKEN.test(m)) throw new PolicyError(`methods[${i}]`, `${JSON.stringify(m)} is not a method (an HTTP token)`);
      if (["CONNECT", "TRACE", "TRACK"].includes(m.toUpperCase())) throw new PolicyError(`methods[${i}]`, `${JSON.stringify(m)} is a forbidden method: fetch() refuses it`);
      return normalizeMethod(m);
    }),
    headers: names("headers", input.headers),
    credentials: input.credentials,
    expose: names("expose", input.expose ?? []),
    maxAge: input.max_age ?? null,
    privateNetwork: input.private_network ?? false,
  };
  if (policy.maxAge !== null && !(Number.isInteger(policy.maxAge) && policy.maxAge >= 0)) {
    throw new PolicyError("max_age", "a number of seconds (a whole number, 0 or more)");
  }
  if (typeof policy.privateNetwork !== "boolean") throw new PolicyError("private_network", "not a boolean");
  if (policy.credentials) {
    const wildcard = [["origins", input.origins], ["methods", input.methods], ["headers", input.headers]]
      .map(([key, list]) => [key, list.indexOf("*")]).find(([, i]) => i >= 0);
    if (wildcard) {
      throw new PolicyError(`${wildcard[0]}[${wildcard[1]}]`, "`*` cannot be combined with credentials = true: browsers never honour a wildcard on credentialed requests; list what is allowed");
    }
  }
  return policy;
}

const allowsOrigin = (p, origin) => p.origins.some((o) => patternMatches(o, origin));
const allowsMethod = (p, m) => SAFELISTED_METHODS.includes(m) || p.methods.some((x) => x === m || x === "*");
const allowsHeader = (p, name) => p.headers.some((h) => h === name.toLowerCase() || (h === "*" && name.toLowerCase() !== "authorization"));
const exposes = (p, name) => p.expose.some((h) => h === name.toLowerCase() || h === "*");

function unique(list) {
  const seen = new Set();
  return list.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Origins around the allowlist, plainest first (see the Rust `strategy::origin_candidates`). */
function originCandidates(policy) {
  const allowed = policy.origins.map((o) => o.instance).filter((o) => o !== "null");
  const all = [...allowed, ATTACKER, "null"];
  for (const origin of allowed) {
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    const host = url.hostname;
    const port = url.port ? `:${url.port}` : "";
    const otherPort = `:${(Number(url.port) || (scheme === "https" ? 443 : 80)) + 1}`;
    const parent = host.split(".").slice(1).join(".");
    all.push(
      `${scheme === "https" ? "http" : "https"}://${host}`,
      `${scheme}://${host}${otherPort}`,
      `${scheme}://${host}.attacker.example${port}`,
      `${scheme}://evil${host}${port}`,
      `${scheme}://sub.${host}${port}`,
      `${scheme}://${host}.${port}`,
    );
    if (parent.includes(".")) all.push(`${scheme}://${parent}${port}`);
  }
  return unique(all.filter((o) => o === "null" || serializedOrigin(o)));
}

/** Methods: safelisted, the policy's, the policy's in odd case, common ones outside it. */
function methodCandidates(policy) {
  const listed = policy.methods.filter((m) => m !== "*");
  const odd = listed.flatMap((m) => [m.toLowerCase(), m[0].toUpperCase() + m.slice(1).toLowerCase()]);
  return unique([...SAFELISTED_METHODS, ...listed, ...odd, "PUT", "DELETE", "PATCH", "patch", "OPTIONS", "PROPFIND"]);
}

/** Request headers: safelisted with safe values, the policy's, unsafe values, Authorization. */
function headerCandidates(policy) {
  const listed = policy.headers.filter((h) => h !== "*");
  return unique([
    ["Accept", "*/*"], ["Content-Type", "text/plain"], ["Accept-Language", "en-US"],
    ...listed.flatMap((h) => [[h, "corsica"], [h.toUpperCase(), "corsica"]]),
    ["Content-Type", "application/json"], ["Authorization", "Bearer corsica"],
    ["X-Corsica-Unlisted", "1"], ["Accept-Language", 'en;q="1"'],
  ]);
}

/** fast-check arbitrary of a page's origin near the policy (shrinks toward the allowed ones). */
function originArbitrary(policy) {
  return fc.constantFrom(...originCandidates(parsed(policy)));
}

/** fast-check arbitrary of a method near the policy. */
function methodArbitrary(policy) {
  return fc.constantFrom(...methodCandidates(parsed(policy)));
}

/** fast-check arbitrary of zero to three request headers near the policy. */
function headersArbitrary(policy) {
  return fc.array(fc.constantFrom(...headerCandidates(parsed(policy))), { maxLength: 3 });
}

/** fast-check arbitrary of a credentials mode. */
function credentialsArbitrary() {
  return fc.constantFrom("same-origin", "omit", "include");
}

function parsed(policy) {
  return policy?.[PARSED] ? policy : parsePolicy(policy);
}

/**
 * fast-check arbitrary of a request (the scenario format's `RequestInput`) a page could make to
 * `url`, near the policy's boundaries.
 */
function requestArbitrary(policy, url) {
  const p = parsed(policy);
  return fc.record({
    origin: originArbitrary(p),
    url: fc.constant(String(url)),
    method: methodArbitrary(p),
    headers: headersArbitrary(p),
    mode: fc.constant("cors"),
    credentials: credentialsArbitrary(),
    // The page sits in the loopback address space: Local Network Access never decides a case.
    address_space: fc.constant("loopback"),
  });
}

/**
 * fast-check arbitrary of a case of the check: a request near the policy, and (one time in ten;
 * shrinks toward no) whether its preflights ask for private-network access.
 */
function caseArbitrary(policy, url) {
  return fc.record({
    request: requestArbitrary(policy, url),
    privateNetwork: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
  });
}

/**
 * fast-check arbitrary of a scenario: a request near the policy to `url`, and a server whose
 * preflight and actual answers carry CORS headers drawn near the policy.
 */
function scenarioArbitrary(policy, url) {
  const p = parsed(policy);
  const fixed = p.origins.map((o) => o.instance);
  return fc.record({
    request: requestArbitrary(p, url),
    acao: fc.constantFrom("reflect", "none", "*", "null", ...fixed, ...fixed.map((o) => `${o}/`)),
    acac: fc.boolean(),
    acam: fc.subarray(["*", ...methodCandidates(p)]),
    acah: fc.subarray(unique(["*", "authorization", ...p.headers])),
    maxAge: fc.option(fc.integer({ min: 0, max: 90000 })),
    status: fc.constantFrom(200, 204, 404, 500),
  }).map(({ request, acao, acac, acam, acah, maxAge, status }) => {
    const cors = [];
    if (acao !== "none") cors.push(["Access-Control-Allow-Origin", acao === "reflect" ? request.origin : acao]);
    if (acac) cors.push(["Access-Control-Allow-Credentials", "true"]);
    const preflight = [...cors, ["Access-Control-Allow-Methods", acam.join(", ")], ["Access-Control-Allow-Headers", acah.join(", ")]];
    if (maxAge !== null) preflight.push(["Access-Control-Max-Age", String(maxAge)]);
    return {
      id: "generated",
      request,
      server: [
        { preflight: true, status, headers: preflight },
        { preflight: false, status: 200, headers: cors },
      ],
    };
  });
}

const lower = (headers) => headers.map(([n, v]) => [n.toLowerCase(), v]);
const get = (headers, name) => {
  const values = lower(headers).filter(([n]) => n === name).map(([, v]) => v);
  return values.length ? values.join(", ") : null;
};
const tokens = (headers, name) => (get(headers, name) ?? "").split(",").map((t) => t.trim()).filter(Boolean);
const corsHeaders = (headers) => headers.filter(([n]) => /^access-control-|^vary$/i.test(n));

const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/**
 * The fetch-style handler of an in-process `target`, or null for a base URL: a function as is;
 * an object with a `fetch` method (a Hono app, an itty-router router) through it; a route module
 * exporting functions named after methods (a Next.js route handler) dispatched as Next.js does
 * (HEAD falls back to GET, OPTIONS when not exported answers 204 with `Allow`, any other method
 * not exported is 405).
 */
function handlerOf(target) {
  if (typeof target === "function") return target;
  if (target === null || typeof target !== "object") return null;
  if (typeof target.fetch === "function") return (request) => target.fetch(request);
  const exported = ROUTE_METHODS.filter((m) => typeof target[m] === "function");
  if (exported.length === 0) return null;
  return (request) => {
    const method = request.method === "HEAD" && !target.HEAD ? "GET" : request.method;
    if (typeof target[method] === "function") return target[method](request);
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: [...exported, "OPTIONS"].join(", ") } });
    return new Response(null, { status: 405, headers: { Allow: exported.join(", ") } });
  };
}

/** Delivers wire requests to an in-process handler, or to a base URL over the network. */
function transport(handler, timeout) {
  return async ({ method, url, headers }) => {
    const init = { method, headers, redirect: "manual", signal: AbortSignal.timeout(timeout) };
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
    });
    let response;
    try {
      response = await Promise.race([
        handler ? Promise.resolve().then(() => handler(new Request(url, init))) : fetch(url, init),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (!(response instanceof Response)) throw new Error("the handler did not return a Response");
    await response.body?.cancel();
    return { status: response.status, headers: [...response.headers] };
  };
}

/** Runs `request` under `profile`, sending each request the engine asks for (memoized). */
async function live(request, profile, send) {
  const rules = [];
  for (let hop = 0; hop < 25; hop++) {
    const output = evaluate({ profile, request, server: rules });
    const pending = output.exchanges.find((e) => !e.from_cache && e.response === null);
    if (!pending) return { output, rules };
    const answer = await send(pending.request);
    rules.push({ method: pending.request.method, url: pending.request.url, preflight: pending.kind === "preflight", status: answer.status, headers: answer.headers });
  }
  throw new Error("more than 25 hops");
}

/** What the policy says of a request, as `output` shows the browser sent it. */
function expected(policy, request, output) {
  if (!["simple", "preflight"].includes(output.classification)) return null;
  if (!allowsOrigin(policy, request.origin)) return { rule: "OriginNotAllowed", subject: request.origin };
  if (request.credentials === "include" && !policy.credentials) return { rule: "CredentialsNotAllowed", subject: "credentials: include" };
  const preflight = output.exchanges.find((e) => e.kind === "preflight");
  if (preflight) {
    const method = get(preflight.request.headers, "access-control-request-method") ?? "";
    if (!allowsMethod(policy, method)) return { rule: "MethodNotAllowed", subject: method };
    const header = tokens(preflight.request.headers, "access-control-request-headers").find((h) => !allowsHeader(policy, h));
    if (header) return { rule: "HeaderNotAllowed", subject: header };
  }
  return { rule: null };
}

const ACAO = "access-control-allow-origin";
const ACAPN = "access-control-allow-private-network";
const isPreflight = (wire) => wire.method === "OPTIONS" && get(wire.headers, "access-control-request-method") !== null;
const variesOnOrigin = (headers) => tokens(headers, "vary").some((v) => v.toLowerCase() === "origin" || v === "*");

/**
 * `send`, with `Access-Control-Request-Private-Network: true` added to preflights, as Chrome's
 * Private Network Access sent them to a more private address space.
 */
const privateNetworkPreflights = (send) => (wire) => (isPreflight(wire)
  ? send({ ...wire, headers: [...wire.headers, ["Access-Control-Request-Private-Network", "true"]] })
  : send(wire));

/**
 * The origin whose answer shows whether an answer to `origin` depends on `Origin`: an unrelated
 * one for an allowed origin, the policy's first allowed origin for another (null if it has none).
 */
function contrastOrigin(policy, origin) {
  if (allowsOrigin(policy, origin)) return origin === ATTACKER ? "https://other.example" : ATTACKER;
  return policy.origins[0]?.instance ?? null;
}

/**
 * Every rule a case (`request`, and whether its preflights ask for private-network access)
 * breaks under each profile.
 */
async function judge(policy, { request, privateNetwork }, profiles, sendPlain) {
  const send = privateNetwork ? privateNetworkPreflights(sendPlain) : sendPlain;
  const violations = [];
  const runs = {};
  for (const profile of profiles) {
    const { output, rules } = await live(request, profile, send);
    runs[profile] = rules;
    const expectation = expected(policy, request, output);
    if (!expectation) continue;
    const last = output.exchanges.at(-1)?.response?.headers ?? [];
    const violation = (rule, subject, headers = last, extra = {}) => ({
      profile, rule, subject,
      evidence: { verdict: output.verdict, error: output.error?.kind ?? null, headers: corsHeaders(headers), ...extra },
    });
    if (expectation.rule && output.verdict === "allowed") violations.push(violation(expectation.rule, expectation.subject));
    if (!expectation.rule && output.verdict === "blocked") violations.push(violation("AllowedRequestBlocked", output.error?.kind ?? ""));
    if (!expectation.rule && output.verdict === "allowed") {
      const listed = tokens(last, "access-control-expose-headers").map((t) => t.toLowerCase());
      const all = listed.includes("*") && request.credentials !== "include";
      for (const name of policy.expose.filter((n) => n !== "*" && !SAFELISTED_RESPONSE_HEADERS.includes(n))) {
        if (!all && !listed.includes(name)) violations.push(violation("ExposedHeaderHidden", name));
      }
      const preflight = output.exchanges.find((e) => e.kind === "preflight" && !e.from_cache);
      if (privateNetwork && policy.privateNetwork && preflight && get(preflight.response.headers, ACAPN) !== "true") {
        violations.push(violation("PrivateNetworkRefused", "access-control-allow-private-network", preflight.response.headers));
      }
      if (policy.maxAge !== null && preflight) {
        const tab = new Browser(profile);
        tab.fetch(request, rules);
        tab.setTime(policy.maxAge);
        const later = tab.fetch(request, rules);
        tab.free();
        if (later.exchanges.some((e) => e.kind === "preflight" && e.from_cache)) {
          const answer = preflight.response.headers;
          violations.push(violation("PreflightCachedTooLong", `Access-Control-Max-Age: ${get(answer, "access-control-max-age")}`, answer));
        }
      }
    }
    const allowed = allowsOrigin(policy, request.origin);
    for (const exchange of output.exchanges.filter((e) => e.response && !e.from_cache)) {
      const headers = exchange.response.headers;
      if (allowed) {
        for (const grant of grants(policy, headers)) violations.push(violation("GrantsMoreThanPolicy", grant, headers));
      }
      // Vary: Origin on answers a cache could store (not preflights), unless they grant every
      // origin alike: when another origin gets another Access-Control-Allow-Origin, a cache
      // can serve one origin's answer to the other (an allowed origin's to a foreign page, or a
      // refusal to an allowed one).
      const acao = get(headers, ACAO);
      const other = contrastOrigin(policy, request.origin);
      if (exchange.kind !== "request" || acao === "*" || other === null || variesOnOrigin(headers)) continue;
      const wire = { ...exchange.request, headers: exchange.request.headers.map(([n, v]) => [n, n.toLowerCase() === "origin" ? other : v]) };
      const otherAcao = get((await send(wire)).headers, ACAO);
      if (otherAcao !== acao) {
        violations.push(violation("VaryOriginMissing", `Access-Control-Allow-Origin: ${acao ?? "(none)"}`, headers, { other_origin: other, other_origin_answer: otherAcao ?? "(none)" }));
      }
    }
  }
  // A hygiene finding shows under every profile that sent the same request: keep the first.
  const seen = new Set();
  return {
    runs,
    violations: violations.filter((v) => {
      if (!["GrantsMoreThanPolicy", "VaryOriginMissing"].includes(v.rule)) return true;
      const key = `${v.rule} ${v.subject}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** The CORS headers of an answer to an allowed origin that grant more than the policy. */
function grants(policy, headers) {
  const out = [];
  if (get(headers, "access-control-allow-origin") === "*" && !policy.origins.some((o) => o.kind === "any")) out.push("Access-Control-Allow-Origin: *");
  if (get(headers, "access-control-allow-credentials") === "true" && !policy.credentials) out.push("Access-Control-Allow-Credentials: true");
  if (get(headers, "access-control-allow-private-network") === "true" && !policy.privateNetwork) out.push("Access-Control-Allow-Private-Network: true");
  for (const m of tokens(headers, "access-control-allow-methods")) if (!allowsMethod(policy, m)) out.push(`Access-Control-Allow-Methods: ${m}`);
  for (const h of tokens(headers, "access-control-allow-headers")) if (!allowsHeader(policy, h)) out.push(`Access-Control-Allow-Headers: ${h}`);
  for (const h of tokens(headers, "access-control-expose-headers")) {
    if (!exposes(policy, h) && !SAFELISTED_RESPONSE_HEADERS.includes(h.toLowerCase())) out.push(`Access-Control-Expose-Headers: ${h}`);
  }
  return out;
}

/**
 * Checks a server against `policy` with generated browser requests, under every profile and the
 * Fetch Standard.
 *
 * `target`: a base URL (`"http://127.0.0.1:8080/api/data"`, requested over the network), or an
 * in-process app called with requests to `options.url`: a fetch-style handler
 * `(request: Request) => Response | Promise<Response>`, an object with such a `fetch` method (a
 * Hono app, an itty-router router), or a route module exporting `GET`, `OPTIONS` … (a Next.js
 * route handler; see `handlerOf`).
 *
 * Resolves to `{ conforms, cases, seed, counterexample }`; the counterexample (the minimal failing
 * request, after fast-check's shrinking, keeping the rule first broken) carries `violations` and a
 * `scenario` that `evaluate()` and `corsica eval` replay with the same verdict. Rejects with a
 * `NetworkError` when a request gets no HTTP answer within `options.timeout` ms, and with a
 * `PolicyError` for a bad policy.
 */
async function checkServer(target, policy, options = {}) {
  const p = parsed(policy);
  const {
    numRuns = 100,
    seed = Date.now() ^ 0,
    profiles = PROFILES,
    timeout = 10_000,
  } = options;
  const handler = handlerOf(target);
  if (!handler && typeof target !== "string" && !(target instanceof URL)) {
    throw new TypeError("checkServer: the target is a base URL, a fetch-style handler, an object with a fetch method, or a route module exporting GET, OPTIONS …");
  }
  const { url = handler ? "http://localhost/" : String(target) } = options;
  const deliver = transport(handler, timeout);
  const memo = new Map();
  const send = (wire) => {
    const key = JSON.stringify([wire.method, wire.url, wire.headers]);
    if (!memo.has(key)) {
      memo.set(key, deliver(wire).catch((error) => {
        throw new NetworkError(`${wire.method} ${wire.url}`, error);
      }));
    }
    return memo.get(key);
  };
  let firstRule = null;
  let networkError = null;
  let bug = null;
  const property = fc.asyncProperty(caseArbitrary(p, url), async (testCase) => {
    // After an error, the run only winds down: the error is the report.
    if (networkError || bug) return true;
    let violations;
    try {
      ({ violations } = await judge(p, testCase, profiles, send));
    } catch (error) {
      if (error instanceof NetworkError) networkError = error;
      else bug = error;
      return true;
    }
    const kept = firstRule === null ? violations : violations.filter((v) => v.rule === firstRule);
    if (kept.length === 0) return true;
    firstRule ??= kept[0].rule;
    return false;
  });
  const details = await fc.check(property, { numRuns, seed });
  if (networkError) throw networkError;
  if (bug) throw bug;
  if (!details.failed) return { conforms: true, cases: details.numRuns, seed, counterexample: null };
  // fast-check's shrinking stops at a local minimum when the failing values of a field are not
  // contiguous (the allowed origin fails, the attacker passes, `null` fails again): try each
  // field's plainer candidates in order, each header removed, and no private-network preflight.
  let [testCase] = details.counterexample;
  const breaks = async (candidate) => (await judge(p, candidate, profiles, send)).violations.some((v) => v.rule === firstRule);
  const before = (list, value) => list.slice(0, Math.max(0, list.indexOf(value)));
  const request = (c, change) => ({ ...c, request: { ...c.request, ...change } });
  const fields = [
    (c) => before(originCandidates(p), c.request.origin).map((origin) => request(c, { origin })),
    (c) => before(methodCandidates(p), c.request.method).map((method) => request(c, { method })),
    (c) => before(["same-origin", "omit", "include"], c.request.credentials).map((credentials) => request(c, { credentials })),
    (c) => c.request.headers.map((_, i) => request(c, { headers: c.request.headers.filter((__, j) => j !== i) })),
    (c) => (c.privateNetwork ? [{ ...c, privateNetwork: false }] : []),
  ];
  for (const variants of fields) {
    for (const candidate of variants(testCase)) {
      if (await breaks(candidate)) {
        testCase = candidate;
        break;
      }
    }
  }
  const { violations, runs } = await judge(p, testCase, profiles, send);
  const first = violations.findIndex((v) => v.rule === firstRule);
  violations.unshift(...violations.splice(first, 1));
  const scenario = { id: "counterexample", profile: violations[0].profile, request: testCase.request, server: runs[violations[0].profile], source: "corsica/conformance: minimal counterexample" };
  return {
    conforms: false,
    cases: details.numRuns,
    seed,
    counterexample: { ...testCase, violations, scenario, shrinks: details.numShrinks },
  };
}

module.exports = {
  ATTACKER,
  NetworkError,
  PolicyError,
  checkServer,
  credentialsArbitrary,
  headerCandidates,
  headersArbitrary,
  methodArbitrary,
  methodCandidates,
  originArbitrary,
  originCandidates,
  parsePolicy,
  requestArbitrary,
  scenarioArbitrary,
};
