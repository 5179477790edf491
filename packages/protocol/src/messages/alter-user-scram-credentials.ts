// AlterUserScramCredentials (key 51). Introduced by KIP-554 so SCRAM credentials can be created,
// updated and deleted without ZooKeeper; the client sends the salt and salted password, never
// the password itself. Only v0 exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AlterUserScramCredentials = defineApi({
  name: "AlterUserScramCredentials",
  apiKey: 51,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "AlterUserScramCredentialsRequest",
    fields: [
      {
        name: "deletions",
        type: "[]",
        struct: "ScramCredentialDeletion",
        versions: "0+",
        about: "The credentials to delete.",
        fields: [
          { name: "name", type: "string", versions: "0+", about: "The user name." },
          { name: "mechanism", type: "int8", versions: "0+", about: "The SCRAM mechanism." },
        ],
      },
      {
        name: "upsertions",
        type: "[]",
        struct: "ScramCredentialUpsertion",
        versions: "0+",
        about: "The credentials to create or replace.",
        fields: [
          { name: "name", type: "string", versions: "0+", about: "The user name." },
          { name: "mechanism", type: "int8", versions: "0+", about: "The SCRAM mechanism." },
          { name: "iterations", type: "int32", versions: "0+", about: "The iteration count." },
          { name: "salt", type: "bytes", versions: "0+", about: "The client-generated random salt." },
          { name: "saltedPassword", type: "bytes", versions: "0+", about: "The salted password." },
        ],
      },
    ],
  },
  response: {
    name: "AlterUserScramCredentialsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "AlterUserScramCredentialsResult",
        versions: "0+",
        about: "One result per affected user.",
        fields: [
          { name: "user", type: "string", versions: "0+", about: "The user name." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The error message, if any.",
          },
        ],
      },
    ],
  },
});

export type AlterUserScramCredentialsRequest = RequestValue<typeof AlterUserScramCredentials>;
export type AlterUserScramCredentialsResponse = ResponseValue<typeof AlterUserScramCredentials>;
export type AlterUserScramCredentialsRequestInput = RequestInput<typeof AlterUserScramCredentials>;
export type AlterUserScramCredentialsResponseInput = ResponseInput<typeof AlterUserScramCredentials>;
