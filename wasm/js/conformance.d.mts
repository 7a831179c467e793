// Types of the `import` entry of `corsica/conformance`: those of conformance.cjs.
export * from "./conformance.cjs";
