// LeaveGroup (key 13). v1 adds throttle time to the response; v2 throttles after answering
// (KIP-219); v3 removes a batch of members, each by member id and group instance id, with a result
// per member (KIP-345); v4 is the first flexible version (KIP-482); v5 adds a per-member leave
// reason (KIP-800).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const LeaveGroup = defineApi({
  name: "LeaveGroup",
  apiKey: 13,
  validVersions: "0-5",
  flexibleVersions: "4+",
  request: {
    name: "LeaveGroupRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      { name: "memberId", type: "string", versions: "0-2", about: "The id of the member leaving." },
      {
        name: "members",
        type: "[]",
        struct: "MemberIdentity",
        versions: "3+",
        about: "The members leaving.",
        fields: [
          { name: "memberId", type: "string", versions: "3+", about: "The id of the member leaving." },
          {
            name: "groupInstanceId",
            type: "string",
            versions: "3+",
            nullableVersions: "3+",
            default: null,
            about: "The instance id of the member leaving, or null.",
          },
          {
            name: "reason",
            type: "string",
            versions: "5+",
            nullableVersions: "5+",
            default: null,
            about: "Why the member leaves.",
          },
        ],
      },
    ],
  },
  response: {
    name: "LeaveGroupResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "members",
        type: "[]",
        struct: "MemberResponse",
        versions: "3+",
        about: "The result for each member leaving.",
        fields: [
          { name: "memberId", type: "string", versions: "3+", about: "The member id." },
          {
            name: "groupInstanceId",
            type: "string",
            versions: "3+",
            nullableVersions: "3+",
            about: "The member's instance id, or null.",
          },
          { name: "errorCode", type: "int16", versions: "3+", about: "The error code, or 0." },
        ],
      },
    ],
  },
});

export type LeaveGroupRequest = RequestValue<typeof LeaveGroup>;
export type LeaveGroupResponse = ResponseValue<typeof LeaveGroup>;
export type LeaveGroupRequestInput = RequestInput<typeof LeaveGroup>;
export type LeaveGroupResponseInput = ResponseInput<typeof LeaveGroup>;
