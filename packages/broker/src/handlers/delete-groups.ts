// DeleteGroups (key 42), v0–2: removes groups without members, with their committed offsets
// (tombstones in __consumer_offsets). GROUP_ID_NOT_FOUND for unknown groups, NON_EMPTY_GROUP while
// members remain, INVALID_GROUP_ID for an empty name.

import { DeleteGroups } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const deleteGroupsHandler = defineHandler({
  api: DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    return { throttleTimeMs: 0, results: await ctx.services.groups.deleteGroups(request.groupsNames) };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
});
