// Type-checked by types.test.mjs (tsc --strict, node16 resolution: the `node` + `import`
// declarations). Every line that must not compile carries @ts-expect-error.

import init, {
  Browser,
  CorsicaInputError,
  checkResponse,
  classify,
  evaluate,
  evaluateMany,
  explain,
  exposedHeaders,
  preflightRequest,
  type CheckOutput,
  type Classification,
  type ErrorKind,
  type HeaderPair,
  type Output,
  type ProfileName,
  type RequestInput,
  type Scenario,
  type ScenarioOutput,
  type SentOutput,
  type ServerRule,
} from "corsica";

await init();

const request: RequestInput = {
  origin: "https://app.example",
  url: "https://api.example/data",
  method: "PUT",
  headers: [["Content-Type", "application/json"]],
  credentials: "include",
};
const server: ServerRule[] = [
  { method: "OPTIONS", status: 204, headers: [["Access-Control-Allow-Origin", "https://app.example"]] },
  { status: 200 },
];
const scenario: Scenario = { profile: "firefox", request, server };

const output: ScenarioOutput = evaluate(scenario);
if ("verdict" in output) {
  const single: Output = output;
  const verdict: "allowed" | "blocked" = single.verdict;
  const kind: ErrorKind | undefined = single.error?.kind;
  const stage: "request" | "preflight" | "response" | "redirect" | undefined = single.error?.stage;
  const cached: boolean = single.exchanges[0].from_cache;
  const readable: HeaderPair[] | undefined = single.response?.headers;
  void [verdict, kind, stage, cached, readable];
  // @ts-expect-error: a verdict is allowed or blocked
  const wrong: "maybe" = single.verdict;
  void wrong;
} else {
  const results: Output[] = output.results;
  void results;
}

const outputs: ScenarioOutput[] = evaluateMany([scenario, { requests: [request, { ...request, at: 5 }], server }]);
const text: string = explain(scenario);
const classification: Classification = classify(request, "chromium");
const preflight: SentOutput | null = preflightRequest(request);
const check: CheckOutput = checkResponse(request, { status: 204, headers: [] }, { preflight: true, profile: "webkit" });
const exposed: HeaderPair[] = exposedHeaders({ status: 200, headers: [["X-A", "1"]] }, "include");
void [outputs, text, classification, preflight, check, exposed];

const browser = new Browser("spec", { trace: true });
const profile: ProfileName = browser.profile;
browser.advance(10);
browser.setTime(20);
const now: number = browser.now;
const fetched: Output = browser.fetch(request, server);
void [profile, now, fetched];

try {
  evaluate({ request: { ...request, url: "relative" } });
} catch (error) {
  if (error instanceof CorsicaInputError) {
    const where: string = error.path;
    const what: string = error.problem;
    const base: Error = error;
    void [where, what, base];
  }
}

// @ts-expect-error: origin is a string
evaluate({ request: { origin: 1, url: "https://a.example/" } });
// @ts-expect-error: an unknown mode
classify({ ...request, mode: "corss" });
// @ts-expect-error: an unknown profile
new Browser("safari");
// @ts-expect-error: a header is a [name, value] pair
evaluate({ request: { ...request, headers: [["X-A"]] } });
// @ts-expect-error: status is a number
checkResponse(request, { status: "200" });
