// OffsetCommit (key 8), v0–9: stores a group's positions. Each accepted partition becomes an
// OffsetCommitValue record in __consumer_offsets, appended before the response is sent.
//
// Behaviour (Kafka's OffsetMetadataManager and KafkaApis):
// - generation -1 with no member id: a standalone ("simple") commit, accepted while the group has
//   no members — the group is created when missing. Otherwise the member, static instance and
//   generation are checked (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION), a group in
//   CompletingRebalance answers REBALANCE_IN_PROGRESS, and a missing group answers
//   ILLEGAL_GENERATION (GROUP_ID_NOT_FOUND from v9). A commit also counts as a heartbeat.
// - per partition: OFFSET_METADATA_TOO_LARGE above offset.metadata.max.bytes,
//   UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist; a failed append answers
//   COORDINATOR_NOT_AVAILABLE / NOT_COORDINATOR / INVALID_COMMIT_OFFSET_SIZE as Kafka maps them.
// - the leader epoch (v6+) and metadata string are stored and returned by OffsetFetch.
//
// Not implemented: v10 (topic ids, for KIP-848 consumers); retentionTimeMs (v2–4) is accepted and
// ignored (offsets.retention.minutes applies, as for every client since Kafka 2.1's defaults).

import { OffsetCommit, type OffsetCommitResponseInput } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { commitTopics, failedCommit, partitionExists } from "./committed-offsets-request.ts";

export const offsetCommitHandler = defineHandler({
  api: OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx): Promise<OffsetCommitResponseInput> {
    const { metadata } = ctx.services;
    const topics = await ctx.services.groups.offsets.commit(
      {
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        generationId: request.generationIdOrMemberEpoch,
        apiVersion: ctx.apiVersion,
        topics: commitTopics(request.topics),
      },
      partitionExists(metadata),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: failedCommit,
});
