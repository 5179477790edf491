// Loads an optional native (N-API) dependency. The codecs that use one fall back to pure
// TypeScript (CRC-32C) or report UNSUPPORTED_COMPRESSION (snappy, lz4) when it is missing, so a
// platform without a prebuilt binary can still load the protocol package. createRequire is used
// because these packages are CommonJS and loading must be allowed to fail without failing the
// importing module.

import { createRequire } from "node:module";

const requireFromHere = createRequire(import.meta.url);

/** Returns the module's exports, or null when it (or its platform binary) cannot be loaded. */
export function loadOptionalNativeModule<T>(id: string): T | null {
  try {
    return requireFromHere(id) as T;
  } catch {
    return null;
  }
}
