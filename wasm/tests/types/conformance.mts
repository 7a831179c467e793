// Type-checked by types.test.mjs (tsconfig.conformance.json: node's fetch types).
// `corsica/conformance` through `import`.
import { PolicyError, checkServer, parsePolicy, type ConformanceReport, type Rule } from "corsica/conformance";

const report: ConformanceReport = await checkServer("http://127.0.0.1:8080/api", {
  origins: ["https://*.example.com"], methods: ["PUT"], headers: [], credentials: true, private_network: true,
});
const rule: Rule | undefined = report.counterexample?.violations[0]?.rule;
const otherOrigin: string | undefined = report.counterexample?.violations[0]?.evidence.other_origin;
// @ts-expect-error `credentials` is required
void checkServer("http://127.0.0.1:8080/api", { origins: [], methods: [], headers: [] });
// A route module (Next.js) and an app with a fetch method (Hono, itty-router) are targets too.
void checkServer({ GET: async () => Response.json({}) }, parsePolicy({ origins: [], methods: [], headers: [], credentials: false }));
void checkServer({ fetch: (request: Request) => new Response(request.body) }, { origins: [], methods: [], headers: [], credentials: false });
void [rule, otherOrigin, PolicyError];
