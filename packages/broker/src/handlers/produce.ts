// Produce (key 0). Advertised v0–11, served from v3: v0–2 (message formats 0/1) are answered
// UNSUPPORTED_VERSION by the dispatcher, as Kafka 4 does — the range still starts at 0 because
// librdkafka enables compression only when Produce v0 is advertised.
//
// Behaviour:
// - acks 1 and -1 (all): the batches are validated and appended by storage (CRC-32C, sizes,
//   timestamps, max.message.bytes, offsets assigned in place), then answered. One node is the
//   whole ISR, so the high watermark reaches the appended offsets at once and acks=all needs no
//   purgatory. acks 0: appended the same way, and no response is sent. Any other acks value:
//   INVALID_REQUIRED_ACKS for every partition, nothing appended.
// - Partitions append concurrently (each partition's own queue orders its appends); the response
//   lists topics and partitions in request order.
// - Per-partition errors: UNKNOWN_TOPIC_OR_PARTITION (Produce never creates topics, as in Kafka:
//   Metadata does), INVALID_TOPIC_EXCEPTION for internal topics (only Kafka's admin client id may
//   write them), and storage's codes: CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE,
//   INVALID_TIMESTAMP, INVALID_RECORD (v8+; CORRUPT_MESSAGE before), KAFKA_STORAGE_ERROR (v4+;
//   NOT_LEADER_OR_FOLLOWER before, as Kafka). An empty or null record set is INVALID_RECORD, as
//   Kafka's "exactly one record batch" check gives. A failed partition answers offsets -1.
// - logAppendTimeMs is the broker time for LogAppendTime topics, else -1; logStartOffset (v5+);
//   errorMessage (v8+) for rejected batches.
//
// - Idempotent and transactional batches (producer id ≥ 0) go through storage's producer state:
//   a retried batch (same producer, epoch and sequences as one of its last five) is answered
//   with its original offsets and not written again; a sequence gap answers
//   OUT_OF_ORDER_SEQUENCE_NUMBER, a stale epoch INVALID_PRODUCER_EPOCH (e.g. after a transaction
//   marker of a newer epoch fenced the producer).
//
// Not implemented: recordErrors' batch indexes (the list stays empty, errorMessage says what
// failed), more than one batch per partition is accepted rather than rejected, throttling, v12
// (assumes transactions v2, KIP-890) and topic ids (v13), checking that a transactional batch's
// partition was added to its transaction (KIP-890 part 1). v10 answers no currentLeader hint
// (clients refresh metadata).

import { ErrorCode, Produce, type ProduceRequest, type ProduceResponseInput } from "@nagare/protocol";
import { StorageError } from "@nagare/storage";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { lookupPartition, type StorageCodeOptions, storageErrorCode } from "../replica/partition-lookup.ts";

type TopicResponse = NonNullable<ProduceResponseInput["responses"]>[number];
type PartitionResponse = NonNullable<TopicResponse["partitionResponses"]>[number];

/** Kafka's admin client id: the only client allowed to write internal topics. */
const adminClientId = "__admin_client";

function failed(index: number, errorCode: number, errorMessage: string | null = null): PartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
  };
}

async function appendPartition(
  topicName: string,
  index: number,
  records: Buffer | null,
  ctx: RequestContext,
): Promise<PartitionResponse> {
  const version = ctx.apiVersion;
  const codes: StorageCodeOptions = { storageErrorKnown: version >= 4, invalidRecordKnown: version >= 8 };
  const found = await lookupPartition(ctx.services, topicName, index, codes);
  if (found.errorCode !== undefined) return failed(index, found.errorCode);
  if (found.topic.internal && ctx.header.clientId !== adminClientId)
    return failed(index, ErrorCode.INVALID_TOPIC_EXCEPTION, `cannot append to internal topic ${topicName}`);
  if (records === null || records.length === 0)
    return failed(
      index,
      codes.invalidRecordKnown ? ErrorCode.INVALID_RECORD : ErrorCode.CORRUPT_MESSAGE,
      "a produce request must carry a record batch for each partition",
    );
  try {
    const result = await found.partition.append(records);
    return {
      index,
      errorCode: ErrorCode.NONE,
      baseOffset: result.firstOffset,
      logAppendTimeMs: result.logAppendTime,
      logStartOffset: result.logStartOffset,
      recordErrors: [],
      errorMessage: null,
    };
  } catch (error) {
    const errorCode = storageErrorCode(error, codes);
    if (!(error instanceof StorageError) || errorCode === ErrorCode.KAFKA_STORAGE_ERROR)
      ctx.services.logger.error(
        { topic: topicName, partition: index, correlationId: ctx.header.correlationId, error: String(error) },
        "produce append failed",
      );
    return failed(index, errorCode, error instanceof StorageError ? error.message : null);
  }
}

function everyPartition(request: ProduceRequest, errorCode: number): ProduceResponseInput {
  return {
    responses: request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => failed(p.index, errorCode)),
    })),
    throttleTimeMs: 0,
  };
}

export const produceHandler = defineHandler({
  api: Produce,
  minVersion: 0,
  acceptedFrom: 3,
  maxVersion: 11,
  async handle(request, ctx) {
    const { acks } = request;
    if (acks !== 0 && acks !== 1 && acks !== -1)
      return everyPartition(request, ErrorCode.INVALID_REQUIRED_ACKS);
    // Every append settles before the handler returns, even when one throws: the connection
    // reuses the request's memory once it is answered (net/connection.ts).
    const settled = await Promise.allSettled(
      request.topicData.flatMap((topic) =>
        topic.partitionData.map((p) => appendPartition(topic.name, p.index, p.records, ctx)),
      ),
    );
    let next = 0;
    const responses: TopicResponse[] = request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map(() => {
        const result = settled[next++] as PromiseSettledResult<PartitionResponse>;
        if (result.status === "rejected") throw result.reason;
        return result.value;
      }),
    }));
    // acks=0: the producer reads no response (Kafka closes the connection on an error instead;
    // the client then refreshes metadata — not done here).
    if (acks === 0) return undefined;
    return { responses, throttleTimeMs: 0 };
  },
  errorResponse: (request, errorCode) => everyPartition(request, errorCode),
});
