// ListOffsets (key 2), v0–9.
//
// Behaviour, per partition (Kafka's Partition.fetchOffsetForTimestamp):
// - -2 earliest and -4 earliest-local (v8+; no tiered storage, so the same): the log start offset.
// - -1 latest: the high watermark (read_uncommitted) or the last stable offset (read_committed:
//   the first offset of an ongoing transaction, or the high watermark); timestamp lookups are
//   bounded the same way.
// - -3 max timestamp (v7+, KIP-734): the first record carrying the largest timestamp, and that
//   timestamp; -1/-1 on an empty log.
// - -5 latest tiered (v9+): no tiered storage, so offset -1 and timestamp -1, as Kafka answers.
// - A timestamp ≥ 0 (and any other value, as Kafka): the first offset whose record timestamp is ≥
//   it, with that timestamp; -1/-1 when there is none below the high watermark.
// - leaderEpoch (v4+) is this partition's epoch for a found offset, -1 otherwise.
// - v0 answers oldStyleOffsets: the offset found (at most maxNumOffsets of them, so at most one).
// - Errors: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST for a partition named twice (v1+, as
//   Kafka), FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH for a currentLeaderEpoch (v4+) other than
//   ours, KAFKA_STORAGE_ERROR (v4+; NOT_LEADER_OR_FOLLOWER before).
//
// Not implemented: v0's list of segment base offsets (Kafka's legacy fetchOffsetsBefore), v10+
// (remote-storage timeouts and -6), follower requests (replicaId ≥ 0 are answered as consumers).

import {
  ErrorCode,
  ListOffsets,
  type ListOffsetsRequest,
  type ListOffsetsResponseInput,
} from "@nagare/protocol";
import { decodeBatch, TimestampType } from "@nagare/protocol/records";
import type { TimestampLookup } from "@nagare/storage";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { leaderEpochError, lookupPartition, storageErrorCode } from "../replica/partition-lookup.ts";
import type { Partition } from "../replica/replica-manager.ts";

/** ListOffsets isolationLevel (v2+): 1 = read_committed. */
const readCommitted = 1;

type TopicResponse = NonNullable<ListOffsetsResponseInput["topics"]>[number];
type PartitionResponse = NonNullable<TopicResponse["partitions"]>[number];
type RequestPartition = ListOffsetsRequest["topics"][number]["partitions"][number];

const latest = -1n;
const earliest = -2n;
const maxTimestamp = -3n;
const earliestLocal = -4n;
const latestTiered = -5n;

function answer(
  index: number,
  errorCode: number,
  found?: TimestampLookup,
  leaderEpoch = -1,
): PartitionResponse {
  return {
    partitionIndex: index,
    errorCode,
    oldStyleOffsets: found && found.offset >= 0n ? [found.offset] : [],
    timestamp: found?.timestamp ?? -1n,
    offset: found?.offset ?? -1n,
    leaderEpoch: found && found.offset >= 0n ? leaderEpoch : -1,
  };
}

/**
 * The first record of the batch holding `offset` whose timestamp is the batch's max timestamp
 * (storage tracks the max timestamp per batch; Kafka answers the record's own offset).
 */
async function maxTimestampRecord(partition: Partition, found: TimestampLookup, upperBound: bigint) {
  const { records } = await partition.log.read(found.offset, { maxBytes: 1, upperBound, minOneBatch: true });
  if (records.length === 0) return found;
  try {
    const batch = decodeBatch(records, { verifyCrc: false });
    const logAppendTime = batch.timestampType === TimestampType.LOG_APPEND_TIME;
    for (const record of batch.records) {
      const timestamp = logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta;
      if (timestamp === found.timestamp)
        return { offset: batch.baseOffset + BigInt(record.offsetDelta), timestamp };
    }
  } catch {
    // Undecodable (e.g. a codec missing): the batch-level answer is still within the batch.
  }
  return found;
}

async function lookup(
  partition: Partition,
  timestamp: bigint,
  upperBound: bigint,
): Promise<TimestampLookup | undefined> {
  const log = partition.log;
  switch (timestamp) {
    case earliest:
    case earliestLocal:
      return { offset: log.logStartOffset, timestamp: -1n };
    case latest:
      return { offset: upperBound, timestamp: -1n };
    case latestTiered:
      return undefined;
    case maxTimestamp: {
      const found = log.maxTimestampOffset();
      if (!found || found.offset >= upperBound) return undefined;
      return maxTimestampRecord(partition, found, upperBound);
    }
    default: {
      const found = await log.offsetForTimestamp(timestamp);
      return found && found.offset < upperBound ? found : undefined;
    }
  }
}

async function listPartition(
  topic: string,
  p: RequestPartition,
  committedOnly: boolean,
  ctx: RequestContext,
): Promise<PartitionResponse> {
  const codes = { storageErrorKnown: ctx.apiVersion >= 4 };
  const found = await lookupPartition(ctx.services, topic, p.partitionIndex, codes);
  if (found.errorCode !== undefined) return answer(p.partitionIndex, found.errorCode);
  const { partition } = found;
  const epochError = leaderEpochError(p.currentLeaderEpoch, partition);
  if (epochError !== ErrorCode.NONE) return answer(p.partitionIndex, epochError);
  if (ctx.apiVersion === 0 && p.maxNumOffsets <= 0) return answer(p.partitionIndex, ErrorCode.NONE);
  try {
    // read_committed stops at the last stable offset (Kafka's lastFetchableOffset).
    const bound = committedOnly ? partition.lastStableOffset : partition.highWatermark;
    const result = await lookup(partition, p.timestamp, bound);
    return answer(p.partitionIndex, ErrorCode.NONE, result, partition.leaderEpoch);
  } catch (error) {
    ctx.services.logger.warn(
      { topic, partition: p.partitionIndex, error: String(error) },
      "list offsets failed",
    );
    return answer(p.partitionIndex, storageErrorCode(error, codes));
  }
}

function duplicates(request: ListOffsetsRequest): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const topic of request.topics)
    for (const p of topic.partitions) {
      const key = `${topic.name}:${p.partitionIndex}`;
      if (seen.has(key)) twice.add(key);
      seen.add(key);
    }
  return twice;
}

export const listOffsetsHandler = defineHandler({
  api: ListOffsets,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    const twice = ctx.apiVersion >= 1 ? duplicates(request) : new Set<string>();
    const topics = await Promise.all(
      request.topics.map(async (topic) => ({
        name: topic.name,
        partitions: await Promise.all(
          topic.partitions.map((p) =>
            twice.has(`${topic.name}:${p.partitionIndex}`)
              ? answer(p.partitionIndex, ErrorCode.INVALID_REQUEST)
              : listPartition(topic.name, p, request.isolationLevel === readCommitted, ctx),
          ),
        ),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => answer(p.partitionIndex, errorCode)),
    })),
  }),
});
