// The entry for browsers and bundlers: the `--target web` glue of the size build (corsica_bg.wasm). Call
// `await init()` once before anything else (or `initSync({ module })` with the .wasm's bytes or
// a compiled WebAssembly.Module).
import initWasm, { initSync as initWasmSync } from "./corsica.js";

export * from "./corsica.js";

// Bundlers (webpack, Vite, Parcel, …) see this pattern and ship the file.
const wasmUrl = new URL("../corsica_bg.wasm", import.meta.url);

/** Loads and instantiates the .wasm (from next to the package, or from `module_or_path`); once. */
export default async function init(options) {
  await initWasm(options ?? { module_or_path: wasmUrl });
}

/** Instantiates the .wasm synchronously from its bytes or a compiled module; once. */
export function initSync(options) {
  initWasmSync(options);
}
