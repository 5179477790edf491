// The handler registry: one handler per API key. ApiVersions is computed from it, so only what is
// implemented is advertised.

import type { ApiDecl } from "@nagare/protocol";
import { apiCodec } from "@nagare/protocol";
import type { Handler } from "./handler.ts";

export class HandlerRegistry {
  private readonly byKey = new Map<number, Handler>();

  constructor(handlers: readonly Handler[]) {
    for (const handler of handlers) this.register(handler);
  }

  private register(handler: Handler): void {
    const key = handler.api.apiKey;
    if (this.byKey.has(key)) throw new Error(`two handlers for api key ${key} (${handler.api.name})`);
    const codec = apiCodec(handler.api as ApiDecl);
    if (handler.minVersion < codec.minVersion || handler.maxVersion > codec.maxVersion)
      throw new Error(
        `${handler.api.name} serves v${handler.minVersion}-${handler.maxVersion} beyond its declaration`,
      );
    this.byKey.set(key, handler);
  }

  get(apiKey: number): Handler | undefined {
    return this.byKey.get(apiKey);
  }

  /** (apiKey, min, max) for every handler, ordered by key: the ApiVersions answer. */
  advertised(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return [...this.byKey.values()]
      .map((h) => ({ apiKey: h.api.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }
}
