// AlterClientQuotas (key 49). Introduced by KIP-546 to set or remove the quotas of user,
// client-id and ip entities; quota values are float64. v1 is the first flexible version.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AlterClientQuotas = defineApi({
  name: "AlterClientQuotas",
  apiKey: 49,
  validVersions: "0-1",
  flexibleVersions: "1+",
  request: {
    name: "AlterClientQuotasRequest",
    fields: [
      {
        name: "entries",
        type: "[]",
        struct: "EntryData",
        versions: "0+",
        about: "The quota changes, per entity.",
        fields: [
          {
            name: "entity",
            type: "[]",
            struct: "EntityData",
            versions: "0+",
            about: "The components of the entity.",
            fields: [
              { name: "entityType", type: "string", versions: "0+", about: "The entity type." },
              {
                name: "entityName",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The entity name, or null for the default entity.",
              },
            ],
          },
          {
            name: "ops",
            type: "[]",
            struct: "OpData",
            versions: "0+",
            about: "The quota changes for the entity.",
            fields: [
              { name: "key", type: "string", versions: "0+", about: "The quota config key." },
              {
                name: "value",
                type: "float64",
                versions: "0+",
                about: "The value to set; ignored on removal.",
              },
              {
                name: "remove",
                type: "bool",
                versions: "0+",
                about: "Remove the quota instead of setting it.",
              },
            ],
          },
        ],
      },
      {
        name: "validateOnly",
        type: "bool",
        versions: "0+",
        about: "Validate the changes without applying them.",
      },
    ],
  },
  response: {
    name: "AlterClientQuotasResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "entries",
        type: "[]",
        struct: "EntryData",
        versions: "0+",
        about: "The results, per entity.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The error message, or null on success.",
          },
          {
            name: "entity",
            type: "[]",
            struct: "EntityData",
            versions: "0+",
            about: "The components of the entity.",
            fields: [
              { name: "entityType", type: "string", versions: "0+", about: "The entity type." },
              {
                name: "entityName",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The entity name, or null for the default entity.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type AlterClientQuotasRequest = RequestValue<typeof AlterClientQuotas>;
export type AlterClientQuotasResponse = ResponseValue<typeof AlterClientQuotas>;
export type AlterClientQuotasRequestInput = RequestInput<typeof AlterClientQuotas>;
export type AlterClientQuotasResponseInput = ResponseInput<typeof AlterClientQuotas>;
