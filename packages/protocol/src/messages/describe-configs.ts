// DescribeConfigs (key 32). v1 adds IncludeSynonyms in the request and each entry's ConfigSource
// and synonym list in the response (KIP-226); v2 changes nothing on the wire, the broker now
// answers before applying a quota throttle (KIP-219); v3 adds IncludeDocumentation and each
// entry's ConfigType and Documentation (KIP-569); v4 is the first flexible version (KIP-482).
// v0 is deprecated and gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeConfigs = defineApi({
  name: "DescribeConfigs",
  apiKey: 32,
  validVersions: "0-4",
  deprecatedVersions: "0",
  flexibleVersions: "4+",
  request: {
    name: "DescribeConfigsRequest",
    fields: [
      {
        name: "resources",
        type: "[]",
        struct: "DescribeConfigsResource",
        versions: "0+",
        about: "The resources whose configs are wanted.",
        fields: [
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "configurationKeys",
            type: "[]string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The config keys to describe, or null for all of them.",
          },
        ],
      },
      {
        name: "includeSynonyms",
        type: "bool",
        versions: "1+",
        about: "Whether to return the synonyms of each config.",
      },
      {
        name: "includeDocumentation",
        type: "bool",
        versions: "3+",
        about: "Whether to return the documentation of each config.",
      },
    ],
  },
  response: {
    name: "DescribeConfigsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "DescribeConfigsResult",
        versions: "0+",
        about: "One result per requested resource.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The error message, or null on success.",
          },
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "configs",
            type: "[]",
            struct: "DescribeConfigsResourceResult",
            versions: "0+",
            about: "The described config entries.",
            fields: [
              { name: "name", type: "string", versions: "0+", about: "The config name." },
              {
                name: "value",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The config value (null when sensitive).",
              },
              {
                name: "readOnly",
                type: "bool",
                versions: "0+",
                about: "Whether the config cannot be altered.",
              },
              {
                name: "isDefault",
                type: "bool",
                versions: "0",
                about: "Whether the config is unset (v0 only).",
              },
              {
                name: "configSource",
                type: "int8",
                versions: "1+",
                default: -1,
                about: "Where the value comes from; -1 is a placeholder for v0.",
              },
              {
                name: "isSensitive",
                type: "bool",
                versions: "0+",
                about: "Whether the config is sensitive.",
              },
              {
                name: "synonyms",
                type: "[]",
                struct: "DescribeConfigsSynonym",
                versions: "1+",
                about: "Other sources of this config, in order of precedence.",
                fields: [
                  { name: "name", type: "string", versions: "1+", about: "The synonym's config name." },
                  {
                    name: "value",
                    type: "string",
                    versions: "1+",
                    nullableVersions: "0+",
                    about: "The synonym's value.",
                  },
                  { name: "source", type: "int8", versions: "1+", about: "Where the synonym comes from." },
                ],
              },
              {
                name: "configType",
                type: "int8",
                versions: "3+",
                about: "The config's data type (BOOLEAN, STRING, INT, …), 0 if unknown.",
              },
              {
                name: "documentation",
                type: "string",
                versions: "3+",
                nullableVersions: "0+",
                about: "The config's documentation.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeConfigsRequest = RequestValue<typeof DescribeConfigs>;
export type DescribeConfigsResponse = ResponseValue<typeof DescribeConfigs>;
export type DescribeConfigsRequestInput = RequestInput<typeof DescribeConfigs>;
export type DescribeConfigsResponseInput = ResponseInput<typeof DescribeConfigs>;
