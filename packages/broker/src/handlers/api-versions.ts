// ApiVersions (key 18), v0–4. The answer is computed from the handler registry, so exactly what is
// served is advertised. Requests above v4 are answered by the dispatcher with UNSUPPORTED_VERSION
// and our list in a v0 body (KIP-511). No features are advertised (no KRaft feature levels).

import { ApiVersions, ErrorCode } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const apiVersionsHandler = defineHandler({
  api: ApiVersions,
  minVersion: 0,
  maxVersion: 4,
  handle: async (_request, ctx) => ({
    errorCode: ErrorCode.NONE,
    apiKeys: ctx.services.registry.advertised(),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
  }),
  errorResponse: (_request, errorCode, ctx) => ({
    errorCode,
    apiKeys: ctx.services.registry.advertised(),
  }),
});
