// The `import` entry for node: the CommonJS build (which loads the .wasm synchronously),
// re-exported, so that `import` and `require` share one instance of the module and one
// CorsicaInputError class.
export * from "./corsica.js";

/** Nothing to wait for in node (the module is ready once imported); here for isomorphic code. */
export default async function init() {}

/** Nothing to do in node (the module is ready once imported); here for isomorphic code. */
export function initSync() {}
