export * from "./corsica.js";

/** Nothing to wait for in node (the module is ready once imported); here for isomorphic code. */
export default function init(): Promise<void>;

/** Nothing to do in node (the module is ready once imported); here for isomorphic code. */
export function initSync(): void;
