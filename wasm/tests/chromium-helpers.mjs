// Headless Chromium (Debian's /usr/bin/chromium) through puppeteer-core, and a static file
// server on loopback, for chromium.test.mjs and the playground's tests.

import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";

import puppeteer from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * Serves files on 127.0.0.1 from `mounts` ({"/url/prefix/": "/dir"}, longest prefix first).
 * Resolves to {url, close}.
 */
export function serve(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    const prefix = prefixes.find((p) => url.pathname.startsWith(p));
    const relative = decodeURIComponent(url.pathname.slice(prefix?.length ?? 0));
    let file = prefix && path.join(mounts[prefix], relative);
    if (file && existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file || relative.split("/").includes("..") || !existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections(); // Chromium keeps its connections alive
          }),
      });
    });
  });
}

/** Headless Chromium. */
export function launch() {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A new page that fails the test on any page error or console error. */
export async function page(browser, errors) {
  const tab = await browser.newPage();
  tab.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  tab.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return tab;
}
