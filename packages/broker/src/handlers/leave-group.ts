// LeaveGroup (key 13), v0–5: members leave at once instead of waiting for their session to
// expire. v0–2 name one member (its error is the response's); v3+ a batch, each member answered
// (an admin may remove static members by group.instance.id alone, with an empty member id).

import { ErrorCode, LeaveGroup, type LeaveGroupResponseInput } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const leaveGroupHandler = defineHandler({
  api: LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx): Promise<LeaveGroupResponseInput> {
    const batch = ctx.apiVersion >= 3;
    const leaving = batch
      ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
      : [{ memberId: request.memberId, groupInstanceId: null }];
    const result = ctx.services.groups.membership.leaveGroup(request.groupId, leaving);
    if (batch) return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members };
    const errorCode =
      result.errorCode !== ErrorCode.NONE ? result.errorCode : (result.members[0]?.errorCode ?? 0);
    return { throttleTimeMs: 0, errorCode, members: [] };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, members: [] }),
});
