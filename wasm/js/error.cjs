// The CommonJS twin of error.js, for the node build (`corsica.js` requires it); the tests check
// that both behave alike. Keep the two in step.
"use strict";

/** Bad input: `path` names the field (`request.headers[2][0]`), `problem` says what is wrong. */
class CorsicaInputError extends Error {
  constructor(path, problem) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = "CorsicaInputError";
    this.path = path;
    this.problem = problem;
  }
}

exports.CorsicaInputError = CorsicaInputError;
