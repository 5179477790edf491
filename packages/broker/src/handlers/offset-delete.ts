// OffsetDelete (key 47), v0: removes a group's committed offsets for some partitions (tombstones
// in __consumer_offsets). GROUP_ID_NOT_FOUND for an unknown group; NON_EMPTY_GROUP for a group
// with members that does not use the consumer protocol; GROUP_SUBSCRIBED_TO_TOPIC for partitions
// of a topic an active member subscribes to (read from the members' consumer subscriptions).

import { OffsetDelete } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

export const offsetDeleteHandler = defineHandler({
  api: OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const result = await ctx.services.groups.offsets.delete(
      request.groupId,
      request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
    );
    return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, topics: [] }),
});
