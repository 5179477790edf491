// JoinGroup (key 11). v1 adds the rebalance timeout (KIP-62); v2 adds throttle time to the
// response; v3 throttles after answering (KIP-219); v4 makes a new member join again with the id
// the coordinator handed out (KIP-394); v5 adds the group instance id of static members (KIP-345);
// v6 is the first flexible version (KIP-482); v7 returns the protocol type and lets the protocol
// name be null (KIP-559); v8 adds a join reason (KIP-800); v9 adds SkipAssignment to the response
// (KIP-814). v0-1 are deprecated and gone from Kafka 4 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const JoinGroup = defineApi({
  name: "JoinGroup",
  apiKey: 11,
  validVersions: "0-9",
  deprecatedVersions: "0-1",
  flexibleVersions: "6+",
  request: {
    name: "JoinGroupRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      {
        name: "sessionTimeoutMs",
        type: "int32",
        versions: "0+",
        about: "How long without a heartbeat before the member is considered dead, in ms.",
      },
      {
        name: "rebalanceTimeoutMs",
        type: "int32",
        versions: "1+",
        default: -1,
        about: "How long the coordinator waits for members to rejoin during a rebalance, in ms.",
      },
      { name: "memberId", type: "string", versions: "0+", about: "The member id given by the coordinator." },
      {
        name: "groupInstanceId",
        type: "string",
        versions: "5+",
        nullableVersions: "5+",
        default: null,
        about: "The static member's instance id, or null.",
      },
      {
        name: "protocolType",
        type: "string",
        versions: "0+",
        about: "The kind of protocols the member implements (e.g. consumer).",
      },
      {
        name: "protocols",
        type: "[]",
        struct: "JoinGroupRequestProtocol",
        versions: "0+",
        about: "The protocols the member supports.",
        fields: [
          { name: "name", type: "string", versions: "0+", about: "The protocol name." },
          { name: "metadata", type: "bytes", versions: "0+", about: "The protocol metadata." },
        ],
      },
      {
        name: "reason",
        type: "string",
        versions: "8+",
        nullableVersions: "8+",
        default: null,
        about: "Why the member joins or rejoins.",
      },
    ],
  },
  response: {
    name: "JoinGroupResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "2+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      { name: "generationId", type: "int32", versions: "0+", default: -1, about: "The group generation." },
      {
        name: "protocolType",
        type: "string",
        versions: "7+",
        nullableVersions: "7+",
        default: null,
        about: "The group's protocol type.",
      },
      {
        name: "protocolName",
        type: "string",
        versions: "0+",
        nullableVersions: "7+",
        about: "The protocol the coordinator selected.",
      },
      { name: "leader", type: "string", versions: "0+", about: "The member id of the group leader." },
      {
        name: "skipAssignment",
        type: "bool",
        versions: "9+",
        default: false,
        about: "Whether the leader must skip computing the assignment.",
      },
      { name: "memberId", type: "string", versions: "0+", about: "The member id given by the coordinator." },
      {
        name: "members",
        type: "[]",
        struct: "JoinGroupResponseMember",
        versions: "0+",
        about: "The group members (sent to the leader only).",
        fields: [
          { name: "memberId", type: "string", versions: "0+", about: "The member id." },
          {
            name: "groupInstanceId",
            type: "string",
            versions: "5+",
            nullableVersions: "5+",
            default: null,
            about: "The static member's instance id, or null.",
          },
          { name: "metadata", type: "bytes", versions: "0+", about: "The member's protocol metadata." },
        ],
      },
    ],
  },
});

export type JoinGroupRequest = RequestValue<typeof JoinGroup>;
export type JoinGroupResponse = ResponseValue<typeof JoinGroup>;
export type JoinGroupRequestInput = RequestInput<typeof JoinGroup>;
export type JoinGroupResponseInput = ResponseInput<typeof JoinGroup>;
