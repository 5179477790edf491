// ConsumerGroupHeartbeat (key 68), the join/heartbeat/leave call of the consumer group protocol
// (KIP-848), flexible from v0. v1 adds a subscription by regular expression (KIP-848), and the
// response may then carry INVALID_REGULAR_EXPRESSION.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ConsumerGroupHeartbeat = defineApi({
  name: "ConsumerGroupHeartbeat",
  apiKey: 68,
  validVersions: "0-1",
  flexibleVersions: "0+",
  request: {
    name: "ConsumerGroupHeartbeatRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      {
        name: "memberId",
        type: "string",
        versions: "0+",
        about: "The member id, kept for the member's whole lifetime.",
      },
      {
        name: "memberEpoch",
        type: "int32",
        versions: "0+",
        about: "The member epoch: 0 joins, -1 leaves, -2 leaves as a static member that will return.",
      },
      {
        name: "instanceId",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The instance id, or null if unset or unchanged.",
      },
      {
        name: "rackId",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The rack id, or null if unset or unchanged.",
      },
      {
        name: "rebalanceTimeoutMs",
        type: "int32",
        versions: "0+",
        default: -1,
        about: "How long the coordinator waits for revocations, in ms; -1 if unchanged.",
      },
      {
        name: "subscribedTopicNames",
        type: "[]string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        entityType: "topicName",
        about: "The subscribed topics, or null if unchanged.",
      },
      {
        name: "subscribedTopicRegex",
        type: "string",
        versions: "1+",
        nullableVersions: "1+",
        default: null,
        about: "The subscription regular expression, or null if unchanged.",
      },
      {
        name: "serverAssignor",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The server-side assignor to use, or null if unset or unchanged.",
      },
      {
        name: "topicPartitions",
        type: "[]",
        struct: "TopicPartitions",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The partitions the member owns, or null if unchanged.",
        fields: [
          { name: "topicId", type: "uuid", versions: "0+", about: "The topic id." },
          { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes." },
        ],
      },
    ],
  },
  response: {
    name: "ConsumerGroupHeartbeatResponse",
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
        name: "memberId",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The member id, given when the member joins with epoch 0.",
      },
      { name: "memberEpoch", type: "int32", versions: "0+", about: "The member epoch." },
      { name: "heartbeatIntervalMs", type: "int32", versions: "0+", about: "The heartbeat interval in ms." },
      {
        name: "assignment",
        type: "{}",
        struct: "Assignment",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The member's assignment, or null if not sent.",
        fields: [
          {
            name: "topicPartitions",
            type: "[]",
            struct: "TopicPartitions",
            versions: "0+",
            about: "The partitions the member may use right away.",
            fields: [
              { name: "topicId", type: "uuid", versions: "0+", about: "The topic id." },
              { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes." },
            ],
          },
        ],
      },
    ],
  },
});

export type ConsumerGroupHeartbeatRequest = RequestValue<typeof ConsumerGroupHeartbeat>;
export type ConsumerGroupHeartbeatResponse = ResponseValue<typeof ConsumerGroupHeartbeat>;
export type ConsumerGroupHeartbeatRequestInput = RequestInput<typeof ConsumerGroupHeartbeat>;
export type ConsumerGroupHeartbeatResponseInput = ResponseInput<typeof ConsumerGroupHeartbeat>;
