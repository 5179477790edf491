import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApiVersionsResponse } from "../src/messages/api-versions.ts";

test("declaration-derived types carry every field", () => {
  const value: ApiVersionsResponse = {
    errorCode: 0,
    apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
  assert.equal(value.apiKeys[0]?.maxVersion, 4);
});
