// Fetch (key 1). Advertised v0–12, served from v4: v0–3 expect message formats 0/1, which this
// broker does not write (Kafka 4 removed them too); they are answered UNSUPPORTED_VERSION by the
// dispatcher, and the range still starts at 0 so version-probing clients see no gap.
//
// Behaviour:
// - Per partition, whole batches from the one containing fetchOffset (the client skips records
//   before its offset), up to partitionMaxBytes and within the response's maxBytes across
//   partitions; the first partition with data returns at least one whole batch even when it is
//   larger (KIP-74). Record bytes are passed through as storage returns them.
// - read_uncommitted reads stop at the high watermark; read_committed ones at the last stable
//   offset (the first offset of an ongoing transaction, or the high watermark), and get the
//   aborted transactions overlapping the range read, so the client drops their records;
//   read_uncommitted gets a null list. preferredReadReplica is -1 (v11).
// - Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE outside
//   [logStartOffset, logEndOffset], FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH for a
//   currentLeaderEpoch (v9+) other than ours, KAFKA_STORAGE_ERROR (v6+; NOT_LEADER_OR_FOLLOWER
//   before). A failed partition answers offsets -1 and no records, as Kafka.
// - Long polling: when fewer than minBytes are readable (and no partition failed), the request
//   parks in the fetch purgatory until appends to its partitions bring the rest or maxWaitMs
//   passes, then answers with whatever is readable.
// - Fetch sessions (KIP-227, v7+): full, sessionless and incremental fetches, see
//   replica/fetch-sessions.ts; FETCH_SESSION_ID_NOT_FOUND and INVALID_FETCH_SESSION_EPOCH are
//   top-level errors with no partitions.
//
// Not implemented: follower fetches (replicaId ≥ 0 reads like a consumer), diverging epochs
// (v12: one leader epoch, so a consumer's last fetched epoch never diverges), racks, throttling,
// topic ids (v13+).

import { ErrorCode, Fetch, type FetchRequest, type FetchResponseInput } from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import type { FetchOutcome, FetchTarget } from "../replica/fetch-sessions.ts";
import { leaderEpochError, lookupPartition, storageErrorCode } from "../replica/partition-lookup.ts";

type TopicResponse = NonNullable<FetchResponseInput["responses"]>[number];
type PartitionResponse = NonNullable<TopicResponse["partitions"]>[number];

const readCommitted = 1;
const noRecords = Buffer.alloc(0);

function failure(target: FetchTarget, errorCode: number): FetchOutcome {
  return {
    target,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    records: noRecords,
    abortedTransactions: null,
  };
}

async function readPartition(
  target: FetchTarget,
  maxBytes: number,
  minOneBatch: boolean,
  committedOnly: boolean,
  ctx: RequestContext,
): Promise<FetchOutcome> {
  const codes = { storageErrorKnown: ctx.apiVersion >= 6 };
  const found = await lookupPartition(ctx.services, target.topic, target.partition, codes);
  if (found.errorCode !== undefined) return failure(target, found.errorCode);
  const { partition } = found;
  const epochError = leaderEpochError(target.currentLeaderEpoch, partition);
  if (epochError !== ErrorCode.NONE) return failure(target, epochError);
  // One snapshot of the high watermark and LSO bounds the read and is what the client is told.
  const highWatermark = partition.highWatermark;
  const lastStableOffset = partition.lastStableOffset;
  const upperBound = committedOnly ? lastStableOffset : highWatermark;
  try {
    const { records } =
      maxBytes > 0 || minOneBatch
        ? await partition.log.read(target.fetchOffset, {
            maxBytes: Math.max(0, maxBytes),
            upperBound,
            minOneBatch,
            allocate: ctx.allocateRecords,
          })
        : await partition.log.read(target.fetchOffset, { maxBytes: 0, upperBound: target.fetchOffset });
    return {
      target,
      errorCode: ErrorCode.NONE,
      highWatermark,
      lastStableOffset,
      logStartOffset: partition.log.logStartOffset,
      records,
      abortedTransactions:
        committedOnly && records.length > 0
          ? partition.log.abortedTransactions(target.fetchOffset, upperBound)
          : committedOnly
            ? []
            : null,
    };
  } catch (error) {
    const errorCode = storageErrorCode(error, codes);
    if (errorCode !== ErrorCode.OFFSET_OUT_OF_RANGE)
      ctx.services.logger.warn(
        { topic: target.topic, partition: target.partition, error: String(error) },
        "fetch read failed",
      );
    return failure(target, errorCode);
  }
}

/** Reads the targets in order, sharing the response's maxBytes (KIP-74). */
async function readAll(targets: readonly FetchTarget[], request: FetchRequest, ctx: RequestContext) {
  const outcomes: FetchOutcome[] = [];
  let remaining = request.maxBytes;
  let bytes = 0;
  for (const target of targets) {
    const limit = Math.min(target.maxBytes, remaining);
    const outcome = await readPartition(
      target,
      limit,
      bytes === 0,
      request.isolationLevel === readCommitted,
      ctx,
    );
    outcomes.push(outcome);
    bytes += outcome.records.length;
    remaining = Math.max(0, remaining - outcome.records.length);
  }
  return { outcomes, bytes };
}

function partitionResponse(outcome: FetchOutcome): PartitionResponse {
  return {
    partitionIndex: outcome.target.partition,
    errorCode: outcome.errorCode,
    highWatermark: outcome.highWatermark,
    lastStableOffset: outcome.lastStableOffset,
    logStartOffset: outcome.logStartOffset,
    abortedTransactions: outcome.abortedTransactions === null ? null : [...outcome.abortedTransactions],
    preferredReadReplica: -1,
    records: outcome.records,
  };
}

/** Consecutive partitions of one topic share a topic entry (Kafka builds its response the same way). */
function groupByTopic(outcomes: readonly FetchOutcome[]): TopicResponse[] {
  const topics: { topic: string; partitions: PartitionResponse[] }[] = [];
  for (const outcome of outcomes) {
    let last = topics[topics.length - 1];
    if (!last || last.topic !== outcome.target.topic) {
      last = { topic: outcome.target.topic, partitions: [] };
      topics.push(last);
    }
    last.partitions.push(partitionResponse(outcome));
  }
  return topics;
}

function targetsOf(request: FetchRequest): FetchTarget[] {
  return request.topics.flatMap((topic) =>
    topic.partitions.map((p) => ({
      topic: topic.topic,
      partition: p.partition,
      fetchOffset: p.fetchOffset,
      maxBytes: p.partitionMaxBytes,
      currentLeaderEpoch: p.currentLeaderEpoch,
    })),
  );
}

export const fetchHandler = defineHandler({
  api: Fetch,
  minVersion: 0,
  acceptedFrom: 4,
  maxVersion: 12,
  async handle(request, ctx) {
    const sessions = ctx.services.replicas.fetchSessions;
    // Below v7 the session fields take their defaults (id 0, epoch -1): a sessionless full fetch.
    const context = sessions.newContext({
      sessionId: request.sessionId,
      sessionEpoch: request.sessionEpoch,
      targets: targetsOf(request),
      forgotten: request.forgottenTopicsData.map((f) => ({ topic: f.topic, partitions: f.partitions })),
    });
    if (context.kind === "error")
      return { throttleTimeMs: 0, errorCode: context.errorCode, sessionId: 0, responses: [] };
    const { targets } = context;
    let { outcomes, bytes } = await readAll(targets, request, ctx);
    const failed = outcomes.some((o) => o.errorCode !== ErrorCode.NONE);
    if (request.maxWaitMs > 0 && bytes < request.minBytes && targets.length > 0 && !failed) {
      await ctx.services.replicas.awaitAppends(targets, request.minBytes - bytes, request.maxWaitMs);
      ({ outcomes, bytes } = await readAll(targets, request, ctx));
    }
    const answer = sessions.respond(context, outcomes);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: answer.sessionId,
      responses: groupByTopic(answer.outcomes),
    };
  },
  errorResponse(request, errorCode) {
    const outcomes = targetsOf(request).map((target) => failure(target, errorCode));
    return {
      throttleTimeMs: 0,
      errorCode,
      sessionId: 0,
      responses: groupByTopic(outcomes),
    };
  },
});
