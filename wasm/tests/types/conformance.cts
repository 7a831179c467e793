// Type-checked by types.test.mjs (tsconfig.conformance.json: node's fetch types).
// `corsica/conformance` through `require` (jest's default mode).
import conformance = require("corsica/conformance");

const handler: conformance.Handler = (request) => new Response(null, { status: request.method === "OPTIONS" ? 204 : 200 });
const pending: Promise<conformance.ConformanceReport> = conformance.checkServer(handler, {
  origins: ["https://a.example"], methods: [], headers: [], credentials: false,
});
const privateNetwork: Promise<boolean | undefined> = pending.then((report) => report.counterexample?.privateNetwork);
void privateNetwork;
