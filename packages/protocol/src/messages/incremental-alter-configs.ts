// IncrementalAlterConfigs (key 44). Introduced by KIP-339 to change individual config keys with
// SET, DELETE, APPEND or SUBTRACT operations instead of replacing a resource's whole config.
// v1 is the first flexible version (KIP-482).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const IncrementalAlterConfigs = defineApi({
  name: "IncrementalAlterConfigs",
  apiKey: 44,
  validVersions: "0-1",
  flexibleVersions: "1+",
  request: {
    name: "IncrementalAlterConfigsRequest",
    fields: [
      {
        name: "resources",
        type: "[]",
        struct: "AlterConfigsResource",
        versions: "0+",
        about: "The changes to make to each resource.",
        fields: [
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "configs",
            type: "[]",
            struct: "AlterableConfig",
            versions: "0+",
            about: "The config operations.",
            fields: [
              { name: "name", type: "string", versions: "0+", about: "The config key." },
              {
                name: "configOperation",
                type: "int8",
                versions: "0+",
                about: "0 = SET, 1 = DELETE, 2 = APPEND, 3 = SUBTRACT.",
              },
              {
                name: "value",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The operand value for the key.",
              },
            ],
          },
        ],
      },
      {
        name: "validateOnly",
        type: "bool",
        versions: "0+",
        about: "Validate the request without applying it.",
      },
    ],
  },
  response: {
    name: "IncrementalAlterConfigsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "responses",
        type: "[]",
        struct: "AlterConfigsResourceResponse",
        versions: "0+",
        about: "One result per resource.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The resource's error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The resource's error message, or null.",
          },
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
        ],
      },
    ],
  },
});

export type IncrementalAlterConfigsRequest = RequestValue<typeof IncrementalAlterConfigs>;
export type IncrementalAlterConfigsResponse = ResponseValue<typeof IncrementalAlterConfigs>;
export type IncrementalAlterConfigsRequestInput = RequestInput<typeof IncrementalAlterConfigs>;
export type IncrementalAlterConfigsResponseInput = ResponseInput<typeof IncrementalAlterConfigs>;
