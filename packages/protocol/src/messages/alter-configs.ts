// AlterConfigs (key 33). Replaces the whole dynamic config of each resource; superseded by
// IncrementalAlterConfigs (KIP-339) but still served. v1 changes nothing on the wire, the broker
// now answers before applying a quota throttle (KIP-219); v2 is the first flexible version
// (KIP-482).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AlterConfigs = defineApi({
  name: "AlterConfigs",
  apiKey: 33,
  validVersions: "0-2",
  flexibleVersions: "2+",
  request: {
    name: "AlterConfigsRequest",
    fields: [
      {
        name: "resources",
        type: "[]",
        struct: "AlterConfigsResource",
        versions: "0+",
        about: "The new config of each resource.",
        fields: [
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "configs",
            type: "[]",
            struct: "AlterableConfig",
            versions: "0+",
            about: "The config entries to set.",
            fields: [
              { name: "name", type: "string", versions: "0+", about: "The config key." },
              {
                name: "value",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The value to set for the key.",
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
    name: "AlterConfigsResponse",
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

export type AlterConfigsRequest = RequestValue<typeof AlterConfigs>;
export type AlterConfigsResponse = ResponseValue<typeof AlterConfigs>;
export type AlterConfigsRequestInput = RequestInput<typeof AlterConfigs>;
export type AlterConfigsResponseInput = ResponseInput<typeof AlterConfigs>;
