// The `import` entry of `corsica/conformance`: the CommonJS module (conformance.cjs), re-exported,
// so that `import` and `require` share one instance of it.
export * from "./conformance.cjs";
