// Heartbeat (key 12). v1 adds throttle time to the response; v2 throttles after answering
// (KIP-219); v3 adds the group instance id of static members (KIP-345); v4 is the first flexible
// version (KIP-482).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const Heartbeat = defineApi({
  name: "Heartbeat",
  apiKey: 12,
  validVersions: "0-4",
  flexibleVersions: "4+",
  request: {
    name: "HeartbeatRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      { name: "generationId", type: "int32", versions: "0+", about: "The group generation." },
      { name: "memberId", type: "string", versions: "0+", about: "The member id." },
      {
        name: "groupInstanceId",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        default: null,
        about: "The static member's instance id, or null.",
      },
    ],
  },
  response: {
    name: "HeartbeatResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
    ],
  },
});

export type HeartbeatRequest = RequestValue<typeof Heartbeat>;
export type HeartbeatResponse = ResponseValue<typeof Heartbeat>;
export type HeartbeatRequestInput = RequestInput<typeof Heartbeat>;
export type HeartbeatResponseInput = ResponseInput<typeof Heartbeat>;
