export * from "./corsica.js";
import type { InitInput, SyncInitInput } from "./corsica.js";

/**
 * Loads and instantiates the .wasm (by default the `corsica_bg.wasm` shipped with the package;
 * bundlers copy it), once. Call it before anything else.
 */
export default function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<void>;

/** Instantiates the .wasm synchronously from its bytes or a compiled module, once. */
export function initSync(options: { module: SyncInitInput }): void;
