// GetTelemetrySubscriptions (key 71). Introduced by KIP-714 (client metrics): a client asks which
// metrics to push, how often, and with which compression. Only v0 exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const GetTelemetrySubscriptions = defineApi({
  name: "GetTelemetrySubscriptions",
  apiKey: 71,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "GetTelemetrySubscriptionsRequest",
    fields: [
      {
        name: "clientInstanceId",
        type: "uuid",
        versions: "0+",
        about: "The client instance id; the zero UUID on the first request.",
      },
    ],
  },
  response: {
    name: "GetTelemetrySubscriptionsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "clientInstanceId",
        type: "uuid",
        versions: "0+",
        about: "The id assigned by the broker if the request's was zero, else zero.",
      },
      {
        name: "subscriptionId",
        type: "int32",
        versions: "0+",
        about: "Identifies the client's current subscription set.",
      },
      {
        name: "acceptedCompressionTypes",
        type: "[]int8",
        versions: "0+",
        about: "The compression types the broker accepts in PushTelemetry.",
      },
      {
        name: "pushIntervalMs",
        type: "int32",
        versions: "0+",
        about: "The push interval: the lowest interval in the subscription set.",
      },
      {
        name: "telemetryMaxBytes",
        type: "int32",
        versions: "0+",
        about: "The largest metrics payload the broker accepts in PushTelemetry.",
      },
      {
        name: "deltaTemporality",
        type: "bool",
        versions: "0+",
        about: "Whether monotonic metrics are sent as deltas (else cumulative).",
      },
      {
        name: "requestedMetrics",
        type: "[]string",
        versions: "0+",
        about: "Metric name prefixes to push; empty for none, one empty string for all.",
      },
    ],
  },
});

export type GetTelemetrySubscriptionsRequest = RequestValue<typeof GetTelemetrySubscriptions>;
export type GetTelemetrySubscriptionsResponse = ResponseValue<typeof GetTelemetrySubscriptions>;
export type GetTelemetrySubscriptionsRequestInput = RequestInput<typeof GetTelemetrySubscriptions>;
export type GetTelemetrySubscriptionsResponseInput = ResponseInput<typeof GetTelemetrySubscriptions>;
