// ApiVersions (key 18). v1 adds throttle time; v3 is the first flexible version and carries the
// client's software name and version (KIP-511) and the feature tagged fields (KIP-584); v4 only
// allows SupportedFeatures.MinVersion = 0 (KAFKA-17011). The response header is always v0
// (see ../codec/headers.ts), whatever the request version.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ApiVersions = defineApi({
  name: "ApiVersions",
  apiKey: 18,
  validVersions: "0-4",
  flexibleVersions: "3+",
  request: {
    name: "ApiVersionsRequest",
    fields: [
      { name: "clientSoftwareName", type: "string", versions: "3+", about: "The name of the client." },
      { name: "clientSoftwareVersion", type: "string", versions: "3+", about: "The version of the client." },
    ],
  },
  response: {
    name: "ApiVersionsResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code." },
      {
        name: "apiKeys",
        type: "[]",
        struct: "ApiVersion",
        versions: "0+",
        about: "The APIs supported by the broker.",
        fields: [
          { name: "apiKey", type: "int16", versions: "0+", about: "The API index." },
          {
            name: "minVersion",
            type: "int16",
            versions: "0+",
            about: "The minimum supported version, inclusive.",
          },
          {
            name: "maxVersion",
            type: "int16",
            versions: "0+",
            about: "The maximum supported version, inclusive.",
          },
        ],
      },
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      {
        name: "supportedFeatures",
        type: "[]",
        struct: "SupportedFeatureKey",
        versions: "3+",
        taggedVersions: "3+",
        tag: 0,
        about: "Features supported by the broker.",
        fields: [
          { name: "name", type: "string", versions: "3+", about: "The name of the feature." },
          { name: "minVersion", type: "int16", versions: "3+", about: "The minimum supported version." },
          { name: "maxVersion", type: "int16", versions: "3+", about: "The maximum supported version." },
        ],
      },
      {
        name: "finalizedFeaturesEpoch",
        type: "int64",
        versions: "3+",
        taggedVersions: "3+",
        tag: 1,
        default: -1n,
        about: "Epoch of the finalized features, -1 if unknown.",
      },
      {
        name: "finalizedFeatures",
        type: "[]",
        struct: "FinalizedFeatureKey",
        versions: "3+",
        taggedVersions: "3+",
        tag: 2,
        about: "Cluster-wide finalized features.",
        fields: [
          { name: "name", type: "string", versions: "3+", about: "The name of the feature." },
          { name: "maxVersionLevel", type: "int16", versions: "3+", about: "Finalized max version level." },
          { name: "minVersionLevel", type: "int16", versions: "3+", about: "Finalized min version level." },
        ],
      },
      {
        name: "zkMigrationReady",
        type: "bool",
        versions: "3+",
        taggedVersions: "3+",
        tag: 3,
        default: false,
        about: "Set by a KRaft controller when ZK migration is configured.",
      },
    ],
  },
});

export type ApiVersionsRequest = RequestValue<typeof ApiVersions>;
export type ApiVersionsResponse = ResponseValue<typeof ApiVersions>;
export type ApiVersionsRequestInput = RequestInput<typeof ApiVersions>;
export type ApiVersionsResponseInput = ResponseInput<typeof ApiVersions>;
