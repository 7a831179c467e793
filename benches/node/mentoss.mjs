// corsica against mentoss (the npm fetch mocker that simulates CORS), in the same run on the same
// cases: each case is a scenario of the scenario format, which this script also turns into a
// mentoss MockServer and FetchMocker. It prints where their verdicts differ, then the throughput of
// each and the ratio. A benchmark, never a test (benches/node/README.md says why they differ):
//
//   cargo xtask wasm && (cd benches/node && npm ci) && node benches/node/mentoss.mjs

import { FetchMocker, MockServer } from "mentoss";

import { corsica, measure } from "./measure.mjs";

const origin = "https://app.example";
const url = "https://api.example/data";
const acao = (value = origin) => ["Access-Control-Allow-Origin", value];

/** [name, request (beyond origin and url), server rules] */
const cases = [
  ["simple GET, ACAO *", {}, [{ status: 200, headers: [acao("*")] }]],
  ["simple GET, no ACAO", {}, [{ status: 200, headers: [] }]],
  ["simple GET, ACAO with a trailing slash", {}, [{ status: 200, headers: [acao(`${origin}/`)] }]],
  ["simple GET, two ACAO values", {}, [{ status: 200, headers: [acao(`${origin}, https://b.example`)] }]],
  ["credentialed GET, ACAO *", { credentials: "include" }, [{ status: 200, headers: [acao("*")] }]],
  [
    "credentialed GET, ACAO origin, ACAC true",
    { credentials: "include" },
    [{ status: 200, headers: [acao(), ["Access-Control-Allow-Credentials", "true"]] }],
  ],
  [
    "credentialed GET, Expose-Headers *",
    { credentials: "include" },
    [{ status: 200, headers: [acao(), ["Access-Control-Allow-Credentials", "true"], ["Access-Control-Expose-Headers", "*"]] }],
  ],
  [
    "POST text/plain;charset=UTF-8 (safelisted)",
    { method: "POST", headers: [["Content-Type", "text/plain;charset=UTF-8"]] },
    [{ method: "POST", status: 200, headers: [acao()] }],
  ],
  [
    "PUT JSON, preflight allows it",
    { method: "PUT", headers: [["Content-Type", "application/json"]] },
    [
      { method: "OPTIONS", status: 204, headers: [acao(), ["Access-Control-Allow-Methods", "PUT"], ["Access-Control-Allow-Headers", "content-type"]] },
      { method: "PUT", status: 200, headers: [acao()] },
    ],
  ],
  [
    "PUT JSON, preflight without Allow-Methods",
    { method: "PUT", headers: [["Content-Type", "application/json"]] },
    [
      { method: "OPTIONS", status: 204, headers: [acao(), ["Access-Control-Allow-Headers", "content-type"]] },
      { method: "PUT", status: 200, headers: [acao()] },
    ],
  ],
  [
    "DELETE, preflight 404",
    { method: "DELETE" },
    [
      { method: "OPTIONS", status: 404, headers: [acao()] },
      { method: "DELETE", status: 204, headers: [acao()] },
    ],
  ],
  [
    "Authorization under Allow-Headers *",
    { headers: [["Authorization", "Bearer t"]] },
    [
      { method: "OPTIONS", status: 204, headers: [acao("*"), ["Access-Control-Allow-Headers", "*"]] },
      { method: "GET", status: 200, headers: [acao("*")] },
    ],
  ],
  [
    "credentialed PUT, preflight with ACAC true",
    { method: "PUT", credentials: "include", headers: [["X-Request-Id", "1"]] },
    [
      {
        method: "OPTIONS",
        status: 204,
        headers: [acao(), ["Access-Control-Allow-Credentials", "true"], ["Access-Control-Allow-Methods", "PUT"], ["Access-Control-Allow-Headers", "x-request-id"]],
      },
      { method: "PUT", status: 200, headers: [acao(), ["Access-Control-Allow-Credentials", "true"]] },
    ],
  ],
  [
    "a forbidden request header (Cookie) set by the page",
    { headers: [["Cookie", "a=1"]] },
    [{ status: 200, headers: [acao("*")] }],
  ],
  [
    "lowercase method 'put' with Allow-Methods PUT",
    { method: "put" },
    [
      { method: "OPTIONS", status: 204, headers: [acao(), ["Access-Control-Allow-Methods", "PUT"]] },
      { status: 200, headers: [acao()] },
    ],
  ],
  [
    "Allow-Methods 'put' (lowercase) for a PUT",
    { method: "PUT" },
    [
      { method: "OPTIONS", status: 204, headers: [acao(), ["Access-Control-Allow-Methods", "put"]] },
      { status: 200, headers: [acao()] },
    ],
  ],
  [
    "credentialed preflight answered Allow-Headers *",
    { credentials: "include", headers: [["X-Request-Id", "1"]] },
    [
      { method: "OPTIONS", status: 204, headers: [acao(), ["Access-Control-Allow-Credentials", "true"], ["Access-Control-Allow-Headers", "*"]] },
      { status: 200, headers: [acao(), ["Access-Control-Allow-Credentials", "true"]] },
    ],
  ],
  [
    "Expose-Headers listed without a space after the comma",
    {},
    [{ status: 200, headers: [acao(), ["Access-Control-Expose-Headers", "X-A,X-B"], ["X-A", "1"], ["X-B", "2"]] }],
  ],
];

const scenarios = cases.map(([id, request, server]) => ({
  id,
  request: { origin, url, ...request },
  server,
}));

/** The methods a rule answers in mentoss (which needs one): its own, or those the case sends. */
function methodsOf(rule, request) {
  if (rule.method) return [rule.method];
  const sent = (request.method ?? "GET").toUpperCase();
  return sent === "OPTIONS" ? ["OPTIONS"] : ["OPTIONS", sent];
}

/** Plays a scenario through mentoss: "allowed" when fetch() resolves, "blocked" when it rejects. */
async function mentossVerdict({ request, server }) {
  const mock = new MockServer(new URL(request.url).origin);
  for (const rule of server) {
    for (const method of methodsOf(rule, request)) {
      mock.route({ method, url: new URL(request.url).pathname }, {
        status: rule.status,
        headers: Object.fromEntries(rule.headers ?? []),
      });
    }
  }
  const mocker = new FetchMocker({ servers: [mock], baseUrl: request.origin });
  try {
    const response = await mocker.fetch(request.url, {
      method: request.method ?? "GET",
      headers: request.headers ?? [],
      credentials: request.credentials ?? "same-origin",
      mode: request.mode ?? "cors",
    });
    // mentoss's Response adds a Content-Type of its own (for the empty body): only the headers the
    // scenario's server sends are compared.
    const sent = new Set(server.flatMap((rule) => (rule.headers ?? []).map(([name]) => name.toLowerCase())));
    return { verdict: "allowed", exposed: [...response.headers.keys()].filter((name) => sent.has(name)).sort() };
  } catch (error) {
    return { verdict: "blocked", reason: String(error.message ?? error) };
  }
}

/** What the page's script can read: the verdict, and the header names `response.headers` has. */
function readable(output) {
  const exposed = (output.response?.headers ?? []).map(([name]) => name.toLowerCase()).sort();
  return output.verdict === "allowed" ? `allowed, reads [${exposed}]` : "blocked";
}

console.log("case | corsica (spec profile) | mentoss");
let differences = 0;
for (const scenario of scenarios) {
  const ours = corsica.evaluate(scenario);
  const theirs = await mentossVerdict(scenario);
  const mine = readable(ours);
  const other = theirs.verdict === "allowed" ? `allowed, reads [${theirs.exposed}]` : "blocked";
  const same = mine === other;
  if (!same) differences++;
  const why = ours.error ? ` (${ours.error.kind})` : "";
  const reason = theirs.reason?.split("\n")[0].replace(/^.*CORS policy: /, "").slice(0, 100);
  console.log(`${same ? " " : "≠"} ${scenario.id} | ${mine}${why} | ${other}${reason && !same ? ` (${reason})` : ""}`);
}
console.log(`${differences} of ${scenarios.length} cases differ\n`);

const them = await measure("mentoss, one case after another", async () => {
  for (const scenario of scenarios) await mentossVerdict(scenario);
  return scenarios.length;
}, { runs: 5, ms: 1000, unit: "scenarios" });
const one = await measure("corsica evaluate, one case after another", () => {
  for (const scenario of scenarios) corsica.evaluate(scenario);
  return scenarios.length;
}, { unit: "scenarios" });
const batch = Array.from({ length: 1000 / scenarios.length + 1 }, () => scenarios).flat();
const many = await measure(`corsica evaluateMany, the cases in batches of ${batch.length}`, () => corsica.evaluateMany(batch).length, { unit: "scenarios" });
console.log(
  `ratio: evaluate ${Math.round(one.median / them.median).toLocaleString("en-US")}× mentoss, ` +
    `evaluateMany ${Math.round(many.median / them.median).toLocaleString("en-US")}× mentoss`,
);
