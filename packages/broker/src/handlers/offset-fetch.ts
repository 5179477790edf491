// OffsetFetch (key 9), v0–9: a group's committed offsets. v0–7 ask for one group (topics null
// from v2: every committed offset); v8+ for several groups at once. A partition without a
// committed offset answers offset -1, leader epoch -1 and empty metadata, with no error.
//
// require_stable (v7+): partitions an open transaction wrote offsets for answer
// UNSTABLE_OFFSET_COMMIT until it ends (KIP-447).
//
// Not implemented: v10 (topic ids). memberId/memberEpoch (v9) only concern KIP-848 consumer
// groups, which are not served, and are ignored.

import { ErrorCode, OffsetFetch, type OffsetFetchResponseInput } from "@nagare/protocol";
import type { FetchedOffset, TopicPartitions, TopicResult } from "../coordinator/group/offsets.ts";
import { defineHandler } from "../dispatch/handler.ts";

type Asked = readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[] | null;

function asked(topics: Asked): TopicPartitions<number>[] | null {
  return topics === null ? null : topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes }));
}

function withError(topics: Asked, errorCode: number): TopicResult<FetchedOffset>[] {
  return (topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: "",
      errorCode,
    })),
  }));
}

export const offsetFetchHandler = defineHandler({
  api: OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx): Promise<OffsetFetchResponseInput> {
    const { offsets } = ctx.services.groups;
    if (ctx.apiVersion >= 8) {
      const groups = request.groups.map((g) => {
        const result = offsets.fetch(g.groupId, asked(g.topics), request.requireStable);
        return { groupId: g.groupId, topics: result.topics, errorCode: result.errorCode };
      });
      return { throttleTimeMs: 0, groups };
    }
    const result = offsets.fetch(
      request.groupId,
      asked(ctx.apiVersion >= 2 ? request.topics : (request.topics ?? [])),
    );
    // Before v2 there is no top-level error: it goes to every partition asked for.
    if (ctx.apiVersion < 2 && result.errorCode !== ErrorCode.NONE)
      return { throttleTimeMs: 0, topics: withError(request.topics, result.errorCode) };
    return { throttleTimeMs: 0, topics: result.topics, errorCode: result.errorCode };
  },
  errorResponse: (request, errorCode, ctx) =>
    ctx.apiVersion >= 8
      ? {
          throttleTimeMs: 0,
          groups: request.groups.map((g) => ({
            groupId: g.groupId,
            topics: withError(g.topics, errorCode),
            errorCode,
          })),
        }
      : { throttleTimeMs: 0, topics: withError(request.topics, errorCode), errorCode },
});
