// UpdateFeatures (key 57). Introduced by KIP-584 to change cluster-wide finalized feature levels;
// flexible from v0. v1 replaces AllowDowngrade with a per-feature UpgradeType and adds
// ValidateOnly (KIP-778); v2 no longer returns per-feature results, only the top-level error.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const UpdateFeatures = defineApi({
  name: "UpdateFeatures",
  apiKey: 57,
  validVersions: "0-2",
  flexibleVersions: "0+",
  request: {
    name: "UpdateFeaturesRequest",
    fields: [
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        default: 60000,
        about: "How long to wait before timing out, in ms.",
      },
      {
        name: "featureUpdates",
        type: "[]",
        struct: "FeatureUpdateKey",
        versions: "0+",
        about: "The finalized feature levels to change.",
        fields: [
          { name: "feature", type: "string", versions: "0+", about: "The feature name." },
          {
            name: "maxVersionLevel",
            type: "int16",
            versions: "0+",
            about: "The new max version level; below 1 deletes the finalized feature.",
          },
          {
            name: "allowDowngrade",
            type: "bool",
            versions: "0",
            about: "Allow lowering or deleting the level (v0 only, see upgradeType).",
          },
          {
            name: "upgradeType",
            type: "int8",
            versions: "1+",
            default: 1,
            about: "1 = upgrade only, 2 = safe (lossless) downgrade, 3 = unsafe (lossy) downgrade.",
          },
        ],
      },
      {
        name: "validateOnly",
        type: "bool",
        versions: "1+",
        about: "Validate the changes without applying them.",
      },
    ],
  },
  response: {
    name: "UpdateFeaturesResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The top-level error message, or null.",
      },
      {
        name: "results",
        type: "[]",
        struct: "UpdatableFeatureResult",
        versions: "0-1",
        about: "The result of each feature update (v0-1 only).",
        fields: [
          { name: "feature", type: "string", versions: "0+", about: "The feature name." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The feature's error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The feature's error message, or null.",
          },
        ],
      },
    ],
  },
});

export type UpdateFeaturesRequest = RequestValue<typeof UpdateFeatures>;
export type UpdateFeaturesResponse = ResponseValue<typeof UpdateFeatures>;
export type UpdateFeaturesRequestInput = RequestInput<typeof UpdateFeatures>;
export type UpdateFeaturesResponseInput = ResponseInput<typeof UpdateFeatures>;
