// DescribeUserScramCredentials (key 50). Introduced by KIP-554 so SCRAM credentials can be listed
// without ZooKeeper; returns each user's mechanisms and iteration counts, never the secrets. Only
// v0 exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeUserScramCredentials = defineApi({
  name: "DescribeUserScramCredentials",
  apiKey: 50,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "DescribeUserScramCredentialsRequest",
    fields: [
      {
        name: "users",
        type: "[]",
        struct: "UserName",
        versions: "0+",
        nullableVersions: "0+",
        about: "The users to describe, or null (or empty) for all.",
        fields: [{ name: "name", type: "string", versions: "0+", about: "The user name." }],
      },
    ],
  },
  response: {
    name: "DescribeUserScramCredentialsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "errorCode",
        type: "int16",
        versions: "0+",
        about: "The request-level error code (authorization or internal failures only).",
      },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The request-level error message, if any.",
      },
      {
        name: "results",
        type: "[]",
        struct: "DescribeUserScramCredentialsResult",
        versions: "0+",
        about: "One result per user.",
        fields: [
          { name: "user", type: "string", versions: "0+", about: "The user name." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The user's error code." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The user's error message, if any.",
          },
          {
            name: "credentialInfos",
            type: "[]",
            struct: "CredentialInfo",
            versions: "0+",
            about: "The user's SCRAM credentials.",
            fields: [
              { name: "mechanism", type: "int8", versions: "0+", about: "The SCRAM mechanism." },
              { name: "iterations", type: "int32", versions: "0+", about: "The iteration count." },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeUserScramCredentialsRequest = RequestValue<typeof DescribeUserScramCredentials>;
export type DescribeUserScramCredentialsResponse = ResponseValue<typeof DescribeUserScramCredentials>;
export type DescribeUserScramCredentialsRequestInput = RequestInput<typeof DescribeUserScramCredentials>;
export type DescribeUserScramCredentialsResponseInput = ResponseInput<typeof DescribeUserScramCredentials>;
