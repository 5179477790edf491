// SaslHandshake (key 17). v0: after a successful handshake the client sends raw SASL tokens on the
// connection, outside Kafka's request framing; v1 has the same schema, but the tokens then travel
// in SaslAuthenticate requests (KIP-152). The API never became flexible and cannot be bumped
// further because of how clients up to 2.4 negotiate it (KAFKA-9577). v0 is deprecated (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const SaslHandshake = defineApi({
  name: "SaslHandshake",
  apiKey: 17,
  validVersions: "0-1",
  deprecatedVersions: "0",
  flexibleVersions: "none",
  request: {
    name: "SaslHandshakeRequest",
    fields: [
      { name: "mechanism", type: "string", versions: "0+", about: "The SASL mechanism the client picked." },
    ],
  },
  response: {
    name: "SaslHandshakeResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "mechanisms",
        type: "[]string",
        versions: "0+",
        about: "The SASL mechanisms the server has enabled.",
      },
    ],
  },
});

export type SaslHandshakeRequest = RequestValue<typeof SaslHandshake>;
export type SaslHandshakeResponse = ResponseValue<typeof SaslHandshake>;
export type SaslHandshakeRequestInput = RequestInput<typeof SaslHandshake>;
export type SaslHandshakeResponseInput = ResponseInput<typeof SaslHandshake>;
