// SyncGroup (key 14). v1 adds throttle time to the response; v2 throttles after answering
// (KIP-219); v3 adds the group instance id of static members (KIP-345); v4 is the first flexible
// version (KIP-482); v5 carries the protocol type and name both ways, and the coordinator rejects
// a request whose values disagree with the group's (KIP-559).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const SyncGroup = defineApi({
  name: "SyncGroup",
  apiKey: 14,
  validVersions: "0-5",
  flexibleVersions: "4+",
  request: {
    name: "SyncGroupRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      { name: "generationId", type: "int32", versions: "0+", about: "The group generation." },
      { name: "memberId", type: "string", versions: "0+", about: "The member id given by the coordinator." },
      {
        name: "groupInstanceId",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        default: null,
        about: "The static member's instance id, or null.",
      },
      {
        name: "protocolType",
        type: "string",
        versions: "5+",
        nullableVersions: "5+",
        default: null,
        about: "The group's protocol type.",
      },
      {
        name: "protocolName",
        type: "string",
        versions: "5+",
        nullableVersions: "5+",
        default: null,
        about: "The group's selected protocol.",
      },
      {
        name: "assignments",
        type: "[]",
        struct: "SyncGroupRequestAssignment",
        versions: "0+",
        about: "The leader's assignment for each member.",
        fields: [
          { name: "memberId", type: "string", versions: "0+", about: "The member id." },
          { name: "assignment", type: "bytes", versions: "0+", about: "The member's assignment." },
        ],
      },
    ],
  },
  response: {
    name: "SyncGroupResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "protocolType",
        type: "string",
        versions: "5+",
        nullableVersions: "5+",
        default: null,
        about: "The group's protocol type.",
      },
      {
        name: "protocolName",
        type: "string",
        versions: "5+",
        nullableVersions: "5+",
        default: null,
        about: "The group's selected protocol.",
      },
      { name: "assignment", type: "bytes", versions: "0+", about: "This member's assignment." },
    ],
  },
});

export type SyncGroupRequest = RequestValue<typeof SyncGroup>;
export type SyncGroupResponse = ResponseValue<typeof SyncGroup>;
export type SyncGroupRequestInput = RequestInput<typeof SyncGroup>;
export type SyncGroupResponseInput = ResponseInput<typeof SyncGroup>;
