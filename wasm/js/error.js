// The error every corsica function throws for input that does not fit the scenario format.
// The WebAssembly module imports this class (wasm/src/error.rs) and the package exports it;
// error.cjs is its CommonJS twin for the node build. Keep the two in step.

/** Bad input: `path` names the field (`request.headers[2][0]`), `problem` says what is wrong. */
export class CorsicaInputError extends Error {
  constructor(path, problem) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = "CorsicaInputError";
    this.path = path;
    this.problem = problem;
  }
}
