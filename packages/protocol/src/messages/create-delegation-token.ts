// CreateDelegationToken (key 38). Delegation tokens come from KIP-48. v1 changes nothing on the
// wire, the broker now answers before applying a quota throttle (KIP-219); v2 is the first
// flexible version (KIP-482); v3 lets the request name the token's owner and returns the
// requester's principal (KIP-373). v0 is deprecated and gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const CreateDelegationToken = defineApi({
  name: "CreateDelegationToken",
  apiKey: 38,
  validVersions: "0-3",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "CreateDelegationTokenRequest",
    fields: [
      {
        name: "ownerPrincipalType",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        about: "The owner's principal type; null means the requesting principal.",
      },
      {
        name: "ownerPrincipalName",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        about: "The owner's principal name; null means the requesting principal.",
      },
      {
        name: "renewers",
        type: "[]",
        struct: "CreatableRenewers",
        versions: "0+",
        about: "The principals allowed to renew the token.",
        fields: [
          { name: "principalType", type: "string", versions: "0+", about: "The principal type." },
          { name: "principalName", type: "string", versions: "0+", about: "The principal name." },
        ],
      },
      {
        name: "maxLifetimeMs",
        type: "int64",
        versions: "0+",
        about: "The token's maximum lifetime in ms, or -1 for the broker default.",
      },
    ],
  },
  response: {
    name: "CreateDelegationTokenResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      { name: "principalType", type: "string", versions: "0+", about: "The token owner's principal type." },
      { name: "principalName", type: "string", versions: "0+", about: "The token owner's principal name." },
      {
        name: "tokenRequesterPrincipalType",
        type: "string",
        versions: "3+",
        about: "The requester's principal type.",
      },
      {
        name: "tokenRequesterPrincipalName",
        type: "string",
        versions: "3+",
        about: "The requester's principal name.",
      },
      { name: "issueTimestampMs", type: "int64", versions: "0+", about: "When the token was issued." },
      { name: "expiryTimestampMs", type: "int64", versions: "0+", about: "When the token expires." },
      {
        name: "maxTimestampMs",
        type: "int64",
        versions: "0+",
        about: "The latest the token can be renewed to.",
      },
      { name: "tokenId", type: "string", versions: "0+", about: "The token id." },
      { name: "hmac", type: "bytes", versions: "0+", about: "The token's HMAC." },
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
    ],
  },
});

export type CreateDelegationTokenRequest = RequestValue<typeof CreateDelegationToken>;
export type CreateDelegationTokenResponse = ResponseValue<typeof CreateDelegationToken>;
export type CreateDelegationTokenRequestInput = RequestInput<typeof CreateDelegationToken>;
export type CreateDelegationTokenResponseInput = ResponseInput<typeof CreateDelegationToken>;
