// OffsetForLeaderEpoch (key 23), v0–4: the end offset of a leader epoch (KIP-101, KIP-279,
// KIP-320). Consumers call it after a leader change to check their position was not truncated.
//
// Behaviour: each partition has one leader epoch (the partition's, 0 on this single node) that
// started at the log start offset, so Kafka's LeaderEpochFileCache.endOffsetFor reduces to:
// - requested epoch -1 (undefined): leaderEpoch -1, endOffset -1;
// - our epoch: our epoch and the log end offset;
// - an epoch above ours (unknown): leaderEpoch -1, endOffset -1;
// - an epoch below ours: the requested epoch and the log start offset (where ours began).
// All with error NONE. Fencing by currentLeaderEpoch (v2+, KIP-320): FENCED_LEADER_EPOCH when it is
// below ours, UNKNOWN_LEADER_EPOCH when above. Errors: UNKNOWN_TOPIC_OR_PARTITION,
// KAFKA_STORAGE_ERROR (v1+; NOT_LEADER_OR_FOLLOWER for v0, which predates KIP-112).
// replicaId (v3+): followers (≥ 0), consumers (-1) and debug requesters (-2) are answered alike,
// since every hosted partition is led here. Results in request order.
//
// Not implemented: an epoch history (leader epochs never change on one node), throttling.

import {
  ErrorCode,
  OffsetForLeaderEpoch,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponseInput,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { leaderEpochError, lookupPartition } from "../replica/partition-lookup.ts";
import type { Partition } from "../replica/replica-manager.ts";

type RequestPartition = OffsetForLeaderEpochRequest["topics"][number]["partitions"][number];
type TopicResult = NonNullable<OffsetForLeaderEpochResponseInput["topics"]>[number];
type PartitionResult = NonNullable<TopicResult["partitions"]>[number];

const undefinedEpoch = -1;

const failed = (partition: number, errorCode: number): PartitionResult => ({
  errorCode,
  partition,
  leaderEpoch: undefinedEpoch,
  endOffset: -1n,
});

/** Kafka's endOffsetFor over an epoch cache holding only the partition's current epoch. */
export function endOffsetForEpoch(
  requestedEpoch: number,
  partition: Pick<Partition, "leaderEpoch" | "log">,
): { leaderEpoch: number; endOffset: bigint } {
  const current = partition.leaderEpoch;
  if (requestedEpoch === undefinedEpoch || requestedEpoch > current)
    return { leaderEpoch: undefinedEpoch, endOffset: -1n };
  if (requestedEpoch === current) return { leaderEpoch: current, endOffset: partition.log.logEndOffset };
  // Older than any epoch we know: our epoch's start offset, so a follower or consumer restarts from
  // data that still exists.
  return { leaderEpoch: requestedEpoch, endOffset: partition.log.logStartOffset };
}

async function lookupEpoch(
  topic: string,
  p: RequestPartition,
  ctx: RequestContext,
): Promise<PartitionResult> {
  const codes = { storageErrorKnown: ctx.apiVersion >= 1 };
  const found = await lookupPartition(ctx.services, topic, p.partition, codes);
  if (found.errorCode !== undefined) return failed(p.partition, found.errorCode);
  const fenced = leaderEpochError(p.currentLeaderEpoch, found.partition);
  if (fenced !== ErrorCode.NONE) return failed(p.partition, fenced);
  return {
    errorCode: ErrorCode.NONE,
    partition: p.partition,
    ...endOffsetForEpoch(p.leaderEpoch, found.partition),
  };
}

export const offsetForLeaderEpochHandler = defineHandler({
  api: OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const topics = await Promise.all(
      request.topics.map(async (topic) => ({
        topic: topic.topic,
        partitions: await Promise.all(topic.partitions.map((p) => lookupEpoch(topic.topic, p, ctx))),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((p) => failed(p.partition, errorCode)),
    })),
  }),
});
