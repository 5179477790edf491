// SaslAuthenticate (key 36). v0 wraps the SASL tokens exchanged after a v1 SaslHandshake in Kafka
// requests, so errors can be reported (KIP-152); v1 adds the session lifetime to the response, for
// re-authentication (KIP-368); v2 is the first flexible version (KIP-482).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const SaslAuthenticate = defineApi({
  name: "SaslAuthenticate",
  apiKey: 36,
  validVersions: "0-2",
  flexibleVersions: "2+",
  request: {
    name: "SaslAuthenticateRequest",
    fields: [
      {
        name: "authBytes",
        type: "bytes",
        versions: "0+",
        about: "The client's SASL token, as the mechanism defines it.",
      },
    ],
  },
  response: {
    name: "SaslAuthenticateResponse",
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
        name: "authBytes",
        type: "bytes",
        versions: "0+",
        about: "The server's SASL token, as the mechanism defines it.",
      },
      {
        name: "sessionLifetimeMs",
        type: "int64",
        versions: "1+",
        default: 0n,
        about: "Session lifetime in ms after which the client must re-authenticate, or 0 for none.",
      },
    ],
  },
});

export type SaslAuthenticateRequest = RequestValue<typeof SaslAuthenticate>;
export type SaslAuthenticateResponse = ResponseValue<typeof SaslAuthenticate>;
export type SaslAuthenticateRequestInput = RequestInput<typeof SaslAuthenticate>;
export type SaslAuthenticateResponseInput = ResponseInput<typeof SaslAuthenticate>;
