// DescribeClientQuotas (key 48). Introduced by KIP-546 to describe the quotas of user, client-id
// and ip entities matching a set of filters; quota values are float64. v1 is the first flexible
// version.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeClientQuotas = defineApi({
  name: "DescribeClientQuotas",
  apiKey: 48,
  validVersions: "0-1",
  flexibleVersions: "1+",
  request: {
    name: "DescribeClientQuotasRequest",
    fields: [
      {
        name: "components",
        type: "[]",
        struct: "ComponentData",
        versions: "0+",
        about: "The filters an entity must match.",
        fields: [
          {
            name: "entityType",
            type: "string",
            versions: "0+",
            about: "The entity type the filter applies to.",
          },
          {
            name: "matchType",
            type: "int8",
            versions: "0+",
            about: "0 = exact name, 1 = default entity, 2 = any specified name.",
          },
          {
            name: "match",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The name to match, or null when the match type needs none.",
          },
        ],
      },
      {
        name: "strict",
        type: "bool",
        versions: "0+",
        about: "Exclude entities that have entity types not named in the filters.",
      },
    ],
  },
  response: {
    name: "DescribeClientQuotasResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The error message, or null on success.",
      },
      {
        name: "entries",
        type: "[]",
        struct: "EntryData",
        versions: "0+",
        nullableVersions: "0+",
        about: "The matching entities and their quotas (null on error).",
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
            name: "values",
            type: "[]",
            struct: "ValueData",
            versions: "0+",
            about: "The entity's quota values.",
            fields: [
              { name: "key", type: "string", versions: "0+", about: "The quota config key." },
              { name: "value", type: "float64", versions: "0+", about: "The quota value." },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeClientQuotasRequest = RequestValue<typeof DescribeClientQuotas>;
export type DescribeClientQuotasResponse = ResponseValue<typeof DescribeClientQuotas>;
export type DescribeClientQuotasRequestInput = RequestInput<typeof DescribeClientQuotas>;
export type DescribeClientQuotasResponseInput = ResponseInput<typeof DescribeClientQuotas>;
