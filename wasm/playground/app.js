// The corsica playground: a form for one scenario (the page's fetch() and the server's rules),
// evaluated on every change by the npm package's browser build, under one browser profile or
// all four. The whole state lives in the URL fragment, so a link reproduces a case.

import init, { CorsicaInputError, evaluate, explain } from "../pkg/web/index.js";
import { presets } from "./presets.js";

const PROFILES = ["spec", "chromium", "firefox", "webkit"];
const NAMES = { spec: "The standard", chromium: "Chromium", firefox: "Firefox", webkit: "WebKit" };
const CLASSIFICATION = {
  "same-origin": "a same-origin request: no CORS",
  simple: "a cross-origin request without a preflight",
  preflight: "a cross-origin request with a preflight",
  "no-cors": "a no-cors request: an opaque response",
  navigate: "a navigation: no CORS",
  disallowed: "refused before anything was sent",
};

/** @type {{profile: string, preset: string | null, scenario: any}} */
let state;

// ---------------------------------------------------------------------------------------------
// The URL fragment: `#case=` and the state as base64url-encoded JSON.

function encodeState(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeState(hash) {
  const match = /^#case=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match) return null;
  try {
    const binary = atob(match[1].replaceAll("-", "+").replaceAll("_", "/"));
    const value = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (value && typeof value === "object" && value.scenario && typeof value.scenario === "object") {
      return { profile: PROFILES.includes(value.profile) || value.profile === "all" ? value.profile : "spec", preset: value.preset ?? null, scenario: value.scenario };
    }
  } catch {
    // A damaged link: start from the default case.
  }
  return null;
}

function fromPreset(preset) {
  return { profile: preset.profile ?? "spec", preset: preset.id, scenario: structuredClone(preset.scenario) };
}

// ---------------------------------------------------------------------------------------------
// DOM helpers.

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes: nothing is parsed). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "className") element.className = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return element;
}

/** Text with `code` spans, as the engine writes its fixes. */
function rich(text) {
  return text.split("`").map((part, i) => (i % 2 === 1 ? h("code", {}, part) : part));
}

// ---------------------------------------------------------------------------------------------
// The form.

const headersToText = (headers = []) => headers.map(([name, value]) => `${name}: ${value}`).join("\n");

function textToHeaders(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const colon = line.indexOf(":");
      return colon < 0 ? [line, ""] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
}

const REQUEST_FIELDS = ["origin", "url", "method", "mode", "credentials", "redirect"];
const OPTIONAL_FIELDS = ["address_space", "target_address_space"];

function fillForm() {
  const request = state.scenario.request ?? {};
  $("origin").value = request.origin ?? "";
  $("url").value = request.url ?? "";
  $("method").value = request.method ?? "GET";
  $("mode").value = request.mode ?? "cors";
  $("credentials").value = request.credentials ?? "same-origin";
  $("redirect").value = request.redirect ?? "follow";
  $("headers").value = headersToText(request.headers);
  $("use_cors_preflight").checked = request.use_cors_preflight === true;
  for (const field of OPTIONAL_FIELDS) $(field).value = request[field] ?? "";
  $("local_network_permission").value = request.local_network_permission ?? "prompt";
  $("advanced").open ||= Boolean(
    request.use_cors_preflight || request.address_space || request.target_address_space ||
      (request.local_network_permission && request.local_network_permission !== "prompt"),
  );
  $("profile").value = state.profile;
  renderRules();
}

function readRequest() {
  const request = { origin: $("origin").value.trim(), url: $("url").value.trim() };
  const method = $("method").value.trim();
  if (method !== "" && method !== "GET") request.method = method;
  const headers = textToHeaders($("headers").value);
  if (headers.length > 0) request.headers = headers;
  for (const [field, fallback] of [["mode", "cors"], ["credentials", "same-origin"], ["redirect", "follow"]]) {
    if ($(field).value !== fallback) request[field] = $(field).value;
  }
  if ($("use_cors_preflight").checked) request.use_cors_preflight = true;
  for (const field of OPTIONAL_FIELDS) if ($(field).value) request[field] = $(field).value;
  if ($("local_network_permission").value !== "prompt") {
    request.local_network_permission = $("local_network_permission").value;
  }
  return request;
}

const ANSWERS = [
  ["true", "the preflight (OPTIONS)"],
  ["false", "the request itself"],
  ["", "any request"],
];

function renderRules() {
  const container = $("rules");
  container.replaceChildren();
  (state.scenario.server ?? []).forEach((rule, i) => {
    const answers = rule.preflight === true ? "true" : rule.preflight === false ? "false" : "";
    const card = h(
      "fieldset",
      { className: "rule", "data-rule": i },
      h("legend", {}, `Rule ${i + 1}`),
      h(
        "div",
        { className: "grid3" },
        h("label", {}, "Answers",
          h("select", { "data-field": "preflight" },
            ANSWERS.map(([value, text]) => h("option", { value, selected: value === answers }, text)))),
        h("label", {}, "Status", h("input", { "data-field": "status", type: "number", min: 100, max: 999, value: rule.status ?? "" })),
        h("label", {}, "Method", h("input", { "data-field": "method", value: rule.method ?? "", placeholder: "any method", spellcheck: "false" })),
      ),
      h("label", { className: "block" }, "URL",
        h("input", { "data-field": "url", value: rule.url ?? "", placeholder: "any URL", spellcheck: "false" })),
      h("label", { className: "block" }, "Response headers ", h("small", {}, "one ", h("code", {}, "Name: value"), " per line"),
        h("textarea", { "data-field": "headers", rows: 4, spellcheck: "false" }, headersToText(rule.headers))),
      h("button", { type: "button", className: "remove", onclick: () => {
        state.scenario.server.splice(i, 1);
        changed({ rules: true });
      } }, "Remove this rule"),
    );
    container.append(card);
  });
}

function readRules() {
  return [...document.querySelectorAll("#rules .rule")].map((card) => {
    const field = (name) => card.querySelector(`[data-field="${name}"]`);
    const rule = {};
    const answers = field("preflight").value;
    if (answers !== "") rule.preflight = answers === "true";
    const method = field("method").value.trim();
    if (method !== "") rule.method = method;
    const url = field("url").value.trim();
    if (url !== "") rule.url = url;
    const status = field("status").value;
    rule.status = status === "" ? 0 : Number(status);
    const headers = textToHeaders(field("headers").value);
    if (headers.length > 0) rule.headers = headers;
    return rule;
  });
}

function readForm() {
  state.scenario = { request: readRequest(), server: readRules() };
  state.profile = $("profile").value;
}

/** After an edit: read the form (unless the rules were just re-drawn), forget the preset, redraw. */
function changed({ rules = false } = {}) {
  if (rules) {
    renderRules();
  }
  readForm();
  state.preset = null;
  $("preset-note").hidden = true;
  for (const button of document.querySelectorAll("#presets button")) button.classList.remove("active");
  render();
}

// ---------------------------------------------------------------------------------------------
// The results.

function exchangeRow(exchange, i, failed) {
  const { request, response } = exchange;
  const status = exchange.from_cache
    ? h("span", { className: "muted" }, "(from the preflight cache)")
    : response === null
      ? h("span", { className: "bad" }, "(failed) net::ERR_CONNECTION_REFUSED")
      : h("span", { className: response.status >= 400 ? "bad" : "" }, String(response.status));
  const headerList = (headers, sign) =>
    headers.length === 0
      ? h("li", { className: "muted" }, "(none)")
      : headers.map(([name, value]) => h("li", {}, h("span", { className: "sign" }, sign), h("b", {}, name), ": ", value));
  return h(
    "details",
    { className: "exchange", "data-testid": "exchange", open: failed },
    h(
      "summary",
      {},
      h("span", { className: "n" }, String(i + 1)),
      h("span", { className: "method" }, request.method),
      h("span", { className: "url", title: request.url }, request.url),
      status,
      h("span", { className: "type" }, exchange.kind === "preflight" ? "preflight" : "fetch"),
      request.credentials ? h("span", { className: "muted" }, "cookies") : null,
      failed ? h("span", { className: "cors-error" }, "CORS error") : null,
    ),
    h(
      "div",
      { className: "headers" },
      h("div", {}, h("h4", {}, "Request headers (as sent)"), h("ul", {}, headerList(request.headers, ">"))),
      exchange.from_cache
        ? h("div", {}, h("h4", {}, "Response"), h("p", { className: "muted" }, "Nothing was sent: the preflight cache answered."))
        : h("div", {}, h("h4", {}, "Response headers"),
            response === null ? h("p", { className: "bad" }, "No response: no rule matched (a refused connection).")
              : h("ul", {}, headerList(response.headers, "<"))),
    ),
  );
}

function traceList(trace) {
  return h(
    "ol",
    { className: "trace" },
    trace.map((step) =>
      h("li", {}, h("a", { href: step.anchor, target: "_blank", rel: "noopener" }, step.algorithm), ": ", step.note),
    ),
  );
}

function column(profile, output, compact) {
  const blocked = output.verdict === "blocked";
  return h(
    "article",
    { className: `result ${blocked ? "blocked" : "allowed"}`, "data-profile": profile },
    h(
      "header",
      {},
      h("h3", {}, NAMES[profile]),
      h("p", { className: "verdict", "data-testid": `verdict-${profile}` }, blocked ? "BLOCKED" : "ALLOWED"),
      h("p", { className: "classification" }, CLASSIFICATION[output.classification] ?? output.classification),
    ),
    h("h4", {}, "Console"),
    blocked
      ? h("p", { className: "console error", "data-testid": `console-${profile}` }, output.error.message)
      : h("p", { className: "console quiet", "data-testid": `console-${profile}` }, "(no CORS error: fetch() resolves)"),
    output.warnings.map((w) => h("p", { className: "console warning" }, `${w.kind}: ${w.message}`)),
    blocked
      ? h("div", { className: "fix", "data-testid": `fix-${profile}` }, h("h4", {}, "Fix"), h("p", {}, rich(output.error.fix)),
          h("p", { className: "muted" }, `${output.error.kind}, at the ${output.error.stage} stage`))
      : null,
    h("h4", {}, "Network"),
    output.exchanges.length === 0
      ? h("p", { className: "muted" }, "Nothing was sent.")
      : h("div", { className: "network" }, output.exchanges.map((exchange, i) =>
          exchangeRow(exchange, i, blocked && i === output.exchanges.length - 1 && output.error.stage !== "request"))),
    output.response
      ? h("div", { className: "visible" }, h("h4", {}, "What the script sees"),
          h("p", {}, `response.type "${output.response.type}", status ${output.response.status}`),
          h("p", {}, "response.headers: ",
            output.response.headers.length === 0 ? h("span", { className: "muted" }, "nothing readable")
              : output.response.headers.map(([n, v], i) => [i > 0 ? ", " : "", h("code", {}, `${n}: ${v}`)])))
      : null,
    output.trace?.length
      ? h("details", { className: "steps", open: !compact }, h("summary", {}, "Why: the steps that decided"), traceList(output.trace))
      : null,
  );
}

function highlight(path) {
  for (const element of document.querySelectorAll(".invalid")) element.classList.remove("invalid");
  const request = /^request\.(\w+)/.exec(path);
  const rule = /^server\[(\d+)\](?:\.(\w+))?/.exec(path);
  let element = null;
  if (request) element = $(request[1]);
  else if (rule) {
    const card = document.querySelector(`#rules .rule[data-rule="${rule[1]}"]`);
    element = rule[2] ? card?.querySelector(`[data-field="${rule[2]}"]`) : card;
  }
  element?.classList.add("invalid");
}

function render() {
  const scenario = { ...state.scenario, trace: true };
  const outputs = {};
  try {
    for (const profile of PROFILES) outputs[profile] = evaluate({ ...scenario, profile });
    $("input-error").hidden = true;
    highlight("");
  } catch (error) {
    const message = error instanceof CorsicaInputError ? `${error.path || "the case"}: ${error.problem}` : String(error);
    $("input-error").textContent = `This case cannot be evaluated: ${message}`;
    $("input-error").hidden = false;
    highlight(error.path ?? "");
    updateLink();
    return;
  }
  const shown = state.profile === "all" ? PROFILES : [state.profile];
  const results = $("results");
  results.className = state.profile === "all" ? "side-by-side" : "single";
  results.replaceChildren(...shown.map((profile) => column(profile, outputs[profile], shown.length > 1)));

  $("console-lines").replaceChildren(
    ...["chromium", "firefox", "webkit"].map((profile) => {
      const output = outputs[profile];
      return h(
        "tr",
        { "data-testid": `console-line-${profile}` },
        h("th", {}, NAMES[profile]),
        h("td", { className: output.verdict }, output.verdict),
        h(
          "td",
          {},
          output.error
            ? h("p", { className: "console error" }, output.error.message)
            : output.warnings.length === 0
              ? h("p", { className: "console quiet" }, "(nothing)")
              : null,
          output.warnings.map((w) => h("p", { className: "console warning" }, w.message)),
        ),
      );
    }),
  );
  $("explain").textContent = explain({ ...scenario, profile: state.profile === "all" ? "spec" : state.profile });
  updateLink();
}

function updateLink() {
  const hash = `#case=${encodeState(state)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  $("share-link").value = location.href;
}

// ---------------------------------------------------------------------------------------------
// Start.

function showPreset(id) {
  for (const button of document.querySelectorAll("#presets button")) {
    button.classList.toggle("active", button.dataset.preset === id);
  }
  const preset = presets.find((p) => p.id === id);
  $("preset-note").hidden = !preset;
  $("preset-note").textContent = preset ? preset.note : "";
}

function load(hash) {
  state = decodeState(hash) ?? fromPreset(presets.find((p) => p.id === "missing-acao"));
  fillForm();
  showPreset(state.preset);
  render();
}

async function main() {
  try {
    await init();
  } catch (error) {
    $("input-error").textContent = `The WebAssembly module did not load: ${error}`;
    $("input-error").hidden = false;
    return;
  }
  $("presets").append(
    h("span", { className: "label" }, "Common cases:"),
    ...presets.map((preset) =>
      h("button", { type: "button", "data-preset": preset.id, onclick: () => {
        state = fromPreset(preset);
        fillForm();
        showPreset(preset.id);
        render();
      } }, preset.title),
    ),
  );
  $("request-form").addEventListener("input", () => changed());
  $("rules").addEventListener("input", () => changed());
  $("rules").addEventListener("change", () => changed());
  $("profile").addEventListener("change", () => {
    state.profile = $("profile").value;
    render();
  });
  $("add-rule").addEventListener("click", () => {
    readForm();
    state.scenario.server.push({ status: 200, headers: [["Access-Control-Allow-Origin", state.scenario.request.origin || "*"]] });
    changed({ rules: true });
  });
  $("copy-link").addEventListener("click", async () => {
    $("share-link").select();
    try {
      await navigator.clipboard.writeText($("share-link").value);
      $("copy-link").textContent = "Copied";
    } catch {
      document.execCommand?.("copy");
    }
  });
  window.addEventListener("hashchange", () => load(location.hash));
  load(location.hash);
  document.body.dataset.ready = "true";
}

main();
