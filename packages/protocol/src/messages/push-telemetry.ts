// PushTelemetry (key 72). Introduced by KIP-714 (client metrics): a client pushes its metrics,
// serialized as OpenTelemetry MetricsData protobuf and possibly compressed, to a broker. Only v0
// exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const PushTelemetry = defineApi({
  name: "PushTelemetry",
  apiKey: 72,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "PushTelemetryRequest",
    fields: [
      { name: "clientInstanceId", type: "uuid", versions: "0+", about: "The client instance id." },
      {
        name: "subscriptionId",
        type: "int32",
        versions: "0+",
        about: "The subscription set the metrics were collected for.",
      },
      {
        name: "terminating",
        type: "bool",
        versions: "0+",
        about: "Whether the client is closing the connection.",
      },
      {
        name: "compressionType",
        type: "int8",
        versions: "0+",
        about: "The compression codec applied to the metrics.",
      },
      {
        name: "metrics",
        type: "bytes",
        versions: "0+",
        about: "The metrics as OpenTelemetry MetricsData v1 protobuf.",
      },
    ],
  },
  response: {
    name: "PushTelemetryResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
    ],
  },
});

export type PushTelemetryRequest = RequestValue<typeof PushTelemetry>;
export type PushTelemetryResponse = ResponseValue<typeof PushTelemetry>;
export type PushTelemetryRequestInput = RequestInput<typeof PushTelemetry>;
export type PushTelemetryResponseInput = ResponseInput<typeof PushTelemetry>;
