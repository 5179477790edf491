// RenewDelegationToken (key 39). Delegation tokens come from KIP-48. v1 changes nothing on the
// wire, the broker now answers before applying a quota throttle (KIP-219); v2 is the first
// flexible version (KIP-482). v0 is deprecated and gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const RenewDelegationToken = defineApi({
  name: "RenewDelegationToken",
  apiKey: 39,
  validVersions: "0-2",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "RenewDelegationTokenRequest",
    fields: [
      { name: "hmac", type: "bytes", versions: "0+", about: "The HMAC of the token to renew." },
      { name: "renewPeriodMs", type: "int64", versions: "0+", about: "The renewal period in ms." },
    ],
  },
  response: {
    name: "RenewDelegationTokenResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "expiryTimestampMs",
        type: "int64",
        versions: "0+",
        about: "The token's new expiry time (ms).",
      },
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
    ],
  },
});

export type RenewDelegationTokenRequest = RequestValue<typeof RenewDelegationToken>;
export type RenewDelegationTokenResponse = ResponseValue<typeof RenewDelegationToken>;
export type RenewDelegationTokenRequestInput = RequestInput<typeof RenewDelegationToken>;
export type RenewDelegationTokenResponseInput = ResponseInput<typeof RenewDelegationToken>;
