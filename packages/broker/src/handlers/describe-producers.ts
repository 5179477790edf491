// DescribeProducers (key 61), v0: the idempotent/transactional producers a partition remembers
// (KIP-664 tooling for hanging transactions): id, epoch, last sequence and timestamp, coordinator
// epoch and the first offset of the producer's ongoing transaction (-1 when none).

import { DescribeProducers, ErrorCode } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { lookupPartition, storageErrorCode } from "../replica/partition-lookup.ts";

export const describeProducersHandler = defineHandler({
  api: DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const codes = { storageErrorKnown: true };
    const topics = await Promise.all(
      request.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(
          t.partitionIndexes.map(async (partitionIndex) => {
            const found = await lookupPartition(ctx.services, t.name, partitionIndex, codes);
            if (found.errorCode !== undefined)
              return { partitionIndex, errorCode: found.errorCode, errorMessage: null, activeProducers: [] };
            try {
              const activeProducers = found.partition.log.producers().map((p) => ({
                producerId: p.producerId,
                producerEpoch: p.producerEpoch,
                lastSequence: p.lastSequence,
                lastTimestamp: p.lastTimestamp,
                coordinatorEpoch: p.coordinatorEpoch,
                currentTxnStartOffset: p.currentTxnStartOffset,
              }));
              return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
            } catch (error) {
              return {
                partitionIndex,
                errorCode: storageErrorCode(error, codes),
                errorMessage: null,
                activeProducers: [],
              };
            }
          }),
        ),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        errorCode,
        errorMessage: null,
        activeProducers: [],
      })),
    })),
  }),
});
