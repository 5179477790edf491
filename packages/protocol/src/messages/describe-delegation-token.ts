// DescribeDelegationToken (key 41). Delegation tokens come from KIP-48. v1 changes nothing on the
// wire, the broker now answers before applying a quota throttle (KIP-219); v2 is the first
// flexible version (KIP-482); v3 adds each token's requester principal (KIP-373). v0 is
// deprecated and gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeDelegationToken = defineApi({
  name: "DescribeDelegationToken",
  apiKey: 41,
  validVersions: "0-3",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "DescribeDelegationTokenRequest",
    fields: [
      {
        name: "owners",
        type: "[]",
        struct: "DescribeDelegationTokenOwner",
        versions: "0+",
        nullableVersions: "0+",
        about: "The owners whose tokens to describe, or null for all tokens.",
        fields: [
          { name: "principalType", type: "string", versions: "0+", about: "The owner's principal type." },
          { name: "principalName", type: "string", versions: "0+", about: "The owner's principal name." },
        ],
      },
    ],
  },
  response: {
    name: "DescribeDelegationTokenResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "tokens",
        type: "[]",
        struct: "DescribedDelegationToken",
        versions: "0+",
        about: "The matching tokens.",
        fields: [
          { name: "principalType", type: "string", versions: "0+", about: "The owner's principal type." },
          { name: "principalName", type: "string", versions: "0+", about: "The owner's principal name." },
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
          { name: "issueTimestamp", type: "int64", versions: "0+", about: "When the token was issued (ms)." },
          { name: "expiryTimestamp", type: "int64", versions: "0+", about: "When the token expires (ms)." },
          {
            name: "maxTimestamp",
            type: "int64",
            versions: "0+",
            about: "The latest the token can be renewed to (ms).",
          },
          { name: "tokenId", type: "string", versions: "0+", about: "The token id." },
          { name: "hmac", type: "bytes", versions: "0+", about: "The token's HMAC." },
          {
            name: "renewers",
            type: "[]",
            struct: "DescribedDelegationTokenRenewer",
            versions: "0+",
            about: "The principals allowed to renew the token.",
            fields: [
              {
                name: "principalType",
                type: "string",
                versions: "0+",
                about: "The renewer's principal type.",
              },
              {
                name: "principalName",
                type: "string",
                versions: "0+",
                about: "The renewer's principal name.",
              },
            ],
          },
        ],
      },
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
    ],
  },
});

export type DescribeDelegationTokenRequest = RequestValue<typeof DescribeDelegationToken>;
export type DescribeDelegationTokenResponse = ResponseValue<typeof DescribeDelegationToken>;
export type DescribeDelegationTokenRequestInput = RequestInput<typeof DescribeDelegationToken>;
export type DescribeDelegationTokenResponseInput = ResponseInput<typeof DescribeDelegationToken>;
