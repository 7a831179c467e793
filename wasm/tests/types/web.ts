// Type-checked by types.test.mjs with bundler resolution: the browser entry's declarations.
import init, { initSync, evaluate, type Output } from "corsica";

await init();
await init({ module_or_path: new URL("https://cdn.example/corsica_bg.wasm") });
initSync({ module: new Uint8Array(8) });
const output = evaluate({ request: { origin: "https://a.example", url: "https://b.example/" } }) as Output;
const verdict: "allowed" | "blocked" = output.verdict;
void verdict;
