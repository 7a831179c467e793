// Type-checked by types.test.mjs: the `node` + `require` declarations.
import corsica = require("corsica");

const output = corsica.evaluate({ request: { origin: "https://a.example", url: "https://b.example/" } });
const classification: corsica.Classification = corsica.classify({ origin: "null", url: "https://b.example/" });
const error: typeof corsica.CorsicaInputError = corsica.CorsicaInputError;
void [output, classification, error];
