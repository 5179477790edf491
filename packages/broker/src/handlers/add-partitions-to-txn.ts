// AddPartitionsToTxn (key 24), v0–3: the partitions a transaction is about to write. Unknown
// partitions answer UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED (nothing is
// added), as Kafka; otherwise every partition gets the coordinator's answer.
//
// Not served: v4–5 (KIP-890: batched, broker-to-coordinator verification; clients use v3 and
// below).

import { AddPartitionsToTxn, type AddPartitionsToTxnResponseInput, ErrorCode } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { fencedForVersion } from "./producer-fenced.ts";

type TopicResult = NonNullable<AddPartitionsToTxnResponseInput["resultsByTopicV3AndBelow"]>[number];

function results(
  topics: readonly { name: string; partitions: number[] }[],
  code: (topic: string, partition: number) => number,
): TopicResult[] {
  return topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((partitionIndex) => ({
      partitionIndex,
      partitionErrorCode: code(t.name, partitionIndex),
    })),
  }));
}

export const addPartitionsToTxnHandler = defineHandler({
  api: AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const topics = request.v3AndBelowTopics;
    const { metadata } = ctx.services;
    const exists = (topic: string, partition: number) => {
      const found = metadata.topic(topic);
      return found !== undefined && partition >= 0 && partition < found.partitions;
    };
    if (topics.some((t) => t.partitions.some((p) => !exists(t.name, p))))
      return {
        throttleTimeMs: 0,
        resultsByTopicV3AndBelow: results(topics, (t, p) =>
          exists(t, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        ),
      };
    const errorCode = await ctx.services.transactions.addPartitions(
      request.v3AndBelowTransactionalId,
      request.v3AndBelowProducerId,
      request.v3AndBelowProducerEpoch,
      topics.map((t) => ({ topic: t.name, partitions: t.partitions })),
    );
    const answer = fencedForVersion(errorCode, ctx.apiVersion, 2);
    return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results(topics, () => answer) };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    resultsByTopicV3AndBelow: results(request.v3AndBelowTopics, () => errorCode),
  }),
});
