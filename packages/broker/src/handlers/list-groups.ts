// ListGroups (key 16), v0–5: every group with its protocol type; v4+ filters by state (names
// compared case-insensitively, as Kafka) and reports it; v5+ filters by type and reports it — all
// groups here are "classic" (KIP-848 consumer groups are not served).

import { ErrorCode, ListGroups } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const listGroupsHandler = defineHandler({
  api: ListGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const groups = ctx.services.groups.list(request.statesFilter, request.typesFilter).map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
      groupState: g.state,
      groupType: "classic",
    }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
});
