// Heartbeat (key 12), v0–4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to
// rejoin. Errors: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID (v3+ static members).

import { Heartbeat } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const heartbeatHandler = defineHandler({
  api: Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const errorCode = ctx.services.groups.membership.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
    });
    return { throttleTimeMs: 0, errorCode };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
});
