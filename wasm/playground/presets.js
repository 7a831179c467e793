// The playground's presets: the situations behind most "blocked by CORS policy" questions.
// Each is a scenario in the scenario format, with a title and what it shows.

const app = "https://app.example";
const api = "https://api.example";

/** @type {{id: string, title: string, note: string, scenario: import("../pkg/web/index.js").Scenario}[]} */
export const presets = [
  {
    id: "works",
    title: "Works: JSON POST, preflighted",
    note: "A POST with Content-Type: application/json is preflighted; the server answers the OPTIONS request and the POST with the page's origin.",
    scenario: {
      request: { origin: app, url: `${api}/orders`, method: "POST", headers: [["Content-Type", "application/json"]] },
      server: [
        {
          preflight: true,
          status: 204,
          headers: [
            ["Access-Control-Allow-Origin", app],
            ["Access-Control-Allow-Methods", "GET, POST"],
            ["Access-Control-Allow-Headers", "Content-Type"],
            ["Access-Control-Max-Age", "600"],
          ],
        },
        { preflight: false, status: 201, headers: [["Access-Control-Allow-Origin", app], ["Vary", "Origin"]] },
      ],
    },
  },
  {
    id: "missing-acao",
    title: "Missing Access-Control-Allow-Origin",
    note: "The server answers but never says the page may read the answer: the request reaches the server, the page gets a network error.",
    scenario: {
      request: { origin: app, url: `${api}/data` },
      server: [{ status: 200, headers: [["Content-Type", "application/json"]] }],
    },
  },
  {
    id: "wildcard-credentials",
    title: "* with credentials",
    note: "credentials: 'include' (cookies) and Access-Control-Allow-Origin: * never go together: the server must echo the origin and send Access-Control-Allow-Credentials: true.",
    scenario: {
      request: { origin: app, url: `${api}/me`, credentials: "include" },
      server: [{ status: 200, headers: [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"]] }],
    },
  },
  {
    id: "authorization-wildcard",
    title: "Authorization under Access-Control-Allow-Headers: *",
    note: "The standard says the * of Access-Control-Allow-Headers never covers Authorization; browsers part from it here. Compare them side by side.",
    profile: "all",
    scenario: {
      request: { origin: app, url: `${api}/items`, headers: [["Authorization", "Bearer secret"]] },
      server: [
        { preflight: true, status: 204, headers: [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Headers", "*"]] },
        { preflight: false, status: 200, headers: [["Access-Control-Allow-Origin", "*"]] },
      ],
    },
  },
  {
    id: "nginx-if",
    title: "nginx: an if block drops the headers from the preflight",
    note: "In nginx, add_header inside `if ($request_method = OPTIONS) { … return 204; }` replaces every add_header of the enclosing block, so the preflight answer lacks Access-Control-Allow-Origin while the actual answer has it.",
    scenario: {
      request: { origin: app, url: `${api}/items/7`, method: "PUT", headers: [["Content-Type", "application/json"]] },
      server: [
        {
          preflight: true,
          status: 204,
          headers: [
            ["Access-Control-Allow-Methods", "GET, PUT, DELETE"],
            ["Access-Control-Allow-Headers", "Content-Type"],
            ["Content-Length", "0"],
          ],
        },
        { preflight: false, status: 200, headers: [["Access-Control-Allow-Origin", app]] },
      ],
    },
  },
  {
    id: "trailing-slash",
    title: "A trailing slash in Access-Control-Allow-Origin",
    note: "An origin has no path: https://app.example/ is not https://app.example.",
    scenario: {
      request: { origin: app, url: `${api}/data` },
      server: [{ status: 200, headers: [["Access-Control-Allow-Origin", `${app}/`]] }],
    },
  },
  {
    id: "port",
    title: "The port is part of the origin",
    note: "A dev server on :3000 calling an API on :8080: the allowed origin must carry the page's port.",
    scenario: {
      request: { origin: "http://localhost:3000", url: "http://localhost:8080/api/todos" },
      server: [{ status: 200, headers: [["Access-Control-Allow-Origin", "http://localhost"]] }],
    },
  },
  {
    id: "preflight-method",
    title: "A method the preflight does not allow",
    note: "DELETE is not CORS-safelisted: it needs Access-Control-Allow-Methods on the preflight answer.",
    scenario: {
      request: { origin: app, url: `${api}/items/7`, method: "DELETE" },
      server: [
        { preflight: true, status: 204, headers: [["Access-Control-Allow-Origin", app], ["Access-Control-Allow-Methods", "GET, POST"]] },
        { preflight: false, status: 204, headers: [["Access-Control-Allow-Origin", app]] },
      ],
    },
  },
  {
    id: "redirect-taint",
    title: "Redirect to another origin: Origin becomes null",
    note: "After a redirect from one cross origin to another, the request's origin is serialized as null; the final server must allow `null` (or *).",
    scenario: {
      request: { origin: app, url: `${api}/download` },
      server: [
        {
          url: `${api}/download`,
          status: 302,
          headers: [["Access-Control-Allow-Origin", app], ["Location", "https://cdn.example/files/report.pdf"]],
        },
        { url: "https://cdn.example/files/report.pdf", status: 200, headers: [["Access-Control-Allow-Origin", app]] },
      ],
    },
  },
  {
    id: "private-network",
    title: "A public page calling a private address",
    note: "Local Network Access: a page on the public internet fetching a device on the local network (192.168.x.x) needs a secure context and the user's permission in Chromium.",
    profile: "chromium",
    scenario: {
      request: { origin: "http://public.example", url: "http://192.168.1.10/api/status" },
      server: [{ status: 200, headers: [["Access-Control-Allow-Origin", "*"]] }],
    },
  },
  {
    id: "expose",
    title: "A header the script cannot read",
    note: "The fetch resolves, but response.headers only shows the safelisted headers and those listed in Access-Control-Expose-Headers.",
    scenario: {
      request: { origin: app, url: `${api}/page/2` },
      server: [{ status: 200, headers: [["Access-Control-Allow-Origin", app], ["Content-Type", "application/json"], ["X-Total-Count", "120"], ["Link", `<${api}/page/3>; rel="next"`]] }],
    },
  },
];
