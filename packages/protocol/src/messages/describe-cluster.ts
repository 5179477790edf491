// DescribeCluster (key 60), an admin-side view of the cluster (KIP-700); flexible from v0. v1 adds
// the endpoint type so controllers can be described too, with MISMATCHED_ENDPOINT_TYPE and
// UNSUPPORTED_ENDPOINT_TYPE as top-level errors (KIP-919); v2 can include fenced brokers and
// flags them (KIP-1073).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeCluster = defineApi({
  name: "DescribeCluster",
  apiKey: 60,
  validVersions: "0-2",
  flexibleVersions: "0+",
  request: {
    name: "DescribeClusterRequest",
    fields: [
      {
        name: "includeClusterAuthorizedOperations",
        type: "bool",
        versions: "0+",
        about: "Whether to return the cluster's authorized operations.",
      },
      {
        name: "endpointType",
        type: "int8",
        versions: "1+",
        default: 1,
        about: "Which endpoints to describe: 1 brokers, 2 controllers.",
      },
      {
        name: "includeFencedBrokers",
        type: "bool",
        versions: "2+",
        about: "Whether to list fenced brokers as well.",
      },
    ],
  },
  response: {
    name: "DescribeClusterResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The top-level error message, or null.",
      },
      {
        name: "endpointType",
        type: "int8",
        versions: "1+",
        default: 1,
        about: "Which endpoints were described: 1 brokers, 2 controllers.",
      },
      { name: "clusterId", type: "string", versions: "0+", about: "The cluster id." },
      {
        name: "controllerId",
        type: "int32",
        versions: "0+",
        default: -1,
        entityType: "brokerId",
        about: "The controller's id, or -1.",
      },
      {
        name: "brokers",
        type: "[]",
        struct: "DescribeClusterBroker",
        versions: "0+",
        about: "The described brokers (or controllers).",
        fields: [
          {
            name: "brokerId",
            type: "int32",
            versions: "0+",
            entityType: "brokerId",
            about: "The broker id.",
          },
          { name: "host", type: "string", versions: "0+", about: "The broker's host name." },
          { name: "port", type: "int32", versions: "0+", about: "The broker's port." },
          {
            name: "rack",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            default: null,
            about: "The broker's rack, or null.",
          },
          { name: "isFenced", type: "bool", versions: "2+", about: "Whether the broker is fenced." },
        ],
      },
      {
        name: "clusterAuthorizedOperations",
        type: "int32",
        versions: "0+",
        default: -2147483648,
        about: "Bitfield of operations allowed on the cluster.",
      },
    ],
  },
});

export type DescribeClusterRequest = RequestValue<typeof DescribeCluster>;
export type DescribeClusterResponse = ResponseValue<typeof DescribeCluster>;
export type DescribeClusterRequestInput = RequestInput<typeof DescribeCluster>;
export type DescribeClusterResponseInput = ResponseInput<typeof DescribeCluster>;
