// DeleteRecords (key 21), v0–2: advances partitions' log start offsets (KIP-107).
//
// Behaviour, per partition (Kafka's ReplicaManager.deleteRecordsOnLocalLog and
// Partition.deleteRecordsOnLeader):
// - Offset -1 means the high watermark. Records below the offset become unreadable and whole
//   segments below it are deleted; an offset at or below the current log start offset changes
//   nothing. The answer's lowWatermark is the log start offset afterwards (on one replica, the low
//   watermark Kafka waits for is reached at once, so timeoutMs is never needed).
// - Errors (lowWatermark -1): UNKNOWN_TOPIC_OR_PARTITION; INVALID_TOPIC_EXCEPTION for internal
//   topics; POLICY_VIOLATION when cleanup.policy lacks "delete" (compact-only topics);
//   OFFSET_OUT_OF_RANGE for an offset above the high watermark or below -1; KAFKA_STORAGE_ERROR
//   (v1+; NOT_LEADER_OR_FOLLOWER for v0, which predates KIP-112).
// - Results in request order; a partition named twice is deleted twice (idempotent).
//
// Not implemented: the log start offset reaches disk with the periodic checkpoint (as in Kafka),
// not before the response; throttling.

import {
  DeleteRecords,
  type DeleteRecordsRequest,
  type DeleteRecordsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { isInternalTopic } from "../metadata/topic-validation.ts";
import { lookupPartition, storageErrorCode } from "../replica/partition-lookup.ts";

type RequestPartition = DeleteRecordsRequest["topics"][number]["partitions"][number];
type TopicResult = NonNullable<DeleteRecordsResponseInput["topics"]>[number];
type PartitionResult = NonNullable<TopicResult["partitions"]>[number];

/** DeleteRecordsRequest.HIGH_WATERMARK. */
const highWatermarkOffset = -1n;

const failed = (partitionIndex: number, errorCode: number): PartitionResult => ({
  partitionIndex,
  lowWatermark: -1n,
  errorCode,
});

async function deletePartition(
  topic: string,
  p: RequestPartition,
  ctx: RequestContext,
): Promise<PartitionResult> {
  if (isInternalTopic(topic)) return failed(p.partitionIndex, ErrorCode.INVALID_TOPIC_EXCEPTION);
  const codes = { storageErrorKnown: ctx.apiVersion >= 1 };
  const found = await lookupPartition(ctx.services, topic, p.partitionIndex, codes);
  if (found.errorCode !== undefined) return failed(p.partitionIndex, found.errorCode);
  const { partition } = found;
  try {
    if (!partition.log.config.cleanupPolicyDelete)
      return failed(p.partitionIndex, ErrorCode.POLICY_VIOLATION);
    const highWatermark = partition.highWatermark;
    const offset = p.offset === highWatermarkOffset ? highWatermark : p.offset;
    if (offset < 0n || offset > highWatermark) return failed(p.partitionIndex, ErrorCode.OFFSET_OUT_OF_RANGE);
    const lowWatermark = await partition.log.deleteRecordsBefore(offset);
    return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
  } catch (error) {
    ctx.services.logger.warn(
      { topic, partition: p.partitionIndex, error: String(error) },
      "delete records failed",
    );
    return failed(p.partitionIndex, storageErrorCode(error, codes));
  }
}

export const deleteRecordsHandler = defineHandler({
  api: DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const topics = await Promise.all(
      request.topics.map(async (topic) => ({
        name: topic.name,
        partitions: await Promise.all(topic.partitions.map((p) => deletePartition(topic.name, p, ctx))),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => failed(p.partitionIndex, errorCode)),
    })),
  }),
});
