// Types of `corsica/conformance` (conformance.cjs; conformance.d.mts re-exports them). They use
// the fetch types `Request`, `Response` and `URL` of node (`@types/node`) or of the DOM lib.

import type { Arbitrary } from "fast-check";
import type { Credentials, ErrorKind, HeaderPair, ProfileName, RequestInput, Scenario, ServerRule } from "./corsica.js";

/** A policy as written: the keys of the policy file. */
export interface PolicyInput {
  /** Exact origins, patterns `https://*.example.com` (one or more whole labels), `null`, `*`. */
  origins: string[];
  /** Methods beyond GET, HEAD and POST; `*` for any (not with credentials). */
  methods: string[];
  /** Request-header names beyond the safelisted ones; `*` for any but Authorization. */
  headers: string[];
  /** Whether credentialed requests are allowed. */
  credentials: boolean;
  /** Response headers scripts may read. */
  expose?: string[];
  /** The longest a preflight may be cached, in seconds. */
  max_age?: number;
  /**
   * Whether private-network preflights (`Access-Control-Request-Private-Network: true`) are
   * answered with `Access-Control-Allow-Private-Network: true`.
   */
  private_network?: boolean;
}

declare const parsed: unique symbol;

/** A validated policy, from `parsePolicy` (opaque; pass it wherever a `PolicyInput` goes). */
export interface Policy {
  readonly [parsed]: true;
  readonly origins: readonly unknown[];
}

/** The rules of the check. */
export type Rule =
  | "OriginNotAllowed" | "MethodNotAllowed" | "HeaderNotAllowed" | "CredentialsNotAllowed"
  | "AllowedRequestBlocked" | "PreflightCachedTooLong" | "ExposedHeaderHidden" | "PrivateNetworkRefused"
  | "VaryOriginMissing" | "GrantsMoreThanPolicy";

/** A rule broken under a profile. */
export interface Violation {
  profile: ProfileName;
  rule: Rule;
  /** The origin, method or header at fault, or the header granting too much. */
  subject: string;
  evidence: {
    verdict: "allowed" | "blocked";
    error: ErrorKind | null;
    /** The CORS headers and Vary of the response concerned. */
    headers: HeaderPair[];
    /** For VaryOriginMissing: the other origin asked … */
    other_origin?: string;
    /** … and the Access-Control-Allow-Origin it gets (`(none)` when absent). */
    other_origin_answer?: string;
  };
}

/** The result of `checkServer`. */
export interface ConformanceReport {
  conforms: boolean;
  cases: number;
  seed: number;
  counterexample: {
    request: RequestInput;
    /** Whether the preflights carried `Access-Control-Request-Private-Network: true`. */
    privateNetwork: boolean;
    violations: Violation[];
    /** Replays with `evaluate()` or `corsica eval`, with the live verdict. */
    scenario: Scenario;
    shrinks: number;
  } | null;
}

export interface CheckOptions {
  /** Cases to generate (default 100). */
  numRuns?: number;
  /** fast-check's seed (default: from the clock; reported). */
  seed?: number;
  /** Profiles judged (default all four). */
  profiles?: ProfileName[];
  /** Milliseconds allowed for each request (default 10000). */
  timeout?: number;
  /** The URL requests go to (default: the target URL, or http://localhost/ for a handler). */
  url?: string;
}

/** A fetch-style handler: Hono's `app.fetch`, itty-router's `router.fetch`, your own … */
export type Handler = (request: Request) => Response | Promise<Response>;

/** An app with a fetch-style `fetch` method: a Hono app, an itty-router router … */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * A route module exporting handlers named after methods: a Next.js route handler
 * (`app/api/…/route.ts`), dispatched as Next.js does (HEAD falls back to GET; OPTIONS, when not
 * exported, answers 204 with `Allow`; another method not exported is 405).
 */
export type RouteModule = {
  [M in "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS"]?: Handler;
};

/** What `checkServer` checks: a base URL, or an in-process app. */
export type Target = string | URL | Handler | FetchApp | RouteModule;

export class PolicyError extends Error {
  readonly key: string;
  readonly problem: string;
}

export class NetworkError extends Error {
  readonly request: string;
}

export const ATTACKER: string;

export function parsePolicy(input: PolicyInput): Policy;
export function checkServer(target: Target, policy: PolicyInput | Policy, options?: CheckOptions): Promise<ConformanceReport>;

export function originCandidates(policy: Policy): string[];
export function methodCandidates(policy: Policy): string[];
export function headerCandidates(policy: Policy): HeaderPair[];
export function originArbitrary(policy: PolicyInput | Policy): Arbitrary<string>;
export function methodArbitrary(policy: PolicyInput | Policy): Arbitrary<string>;
export function headersArbitrary(policy: PolicyInput | Policy): Arbitrary<HeaderPair[]>;
export function credentialsArbitrary(): Arbitrary<Credentials>;
export function requestArbitrary(policy: PolicyInput | Policy, url: string | URL): Arbitrary<RequestInput>;
export function scenarioArbitrary(policy: PolicyInput | Policy, url: string | URL): Arbitrary<Scenario & { server: ServerRule[] }>;
