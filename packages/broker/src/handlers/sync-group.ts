// SyncGroup (key 14), v0–5: members fetch their assignment; the leader's request carries it. The
// leader's bytes are stored and returned to each member exactly as sent (followers that arrive
// before the leader wait for it). v5 checks protocol type and name against the group's.
//
// Not implemented: throttling.

import { SyncGroup, type SyncGroupResponseInput } from "@nagare/protocol";
import type { SyncOutcome } from "../coordinator/group/group-member.ts";
import { defineHandler } from "../dispatch/handler.ts";

function toResponse(outcome: SyncOutcome): SyncGroupResponseInput {
  return { throttleTimeMs: 0, ...outcome };
}

export const syncGroupHandler = defineHandler({
  api: SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const outcome = await ctx.services.groups.membership.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      protocolType: request.protocolType,
      protocolName: request.protocolName,
      assignments: request.assignments,
    });
    return toResponse(outcome);
  },
  errorResponse: (_request, errorCode) =>
    toResponse({ errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }),
});
