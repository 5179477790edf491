// AddOffsetsToTxn (key 25), v0–4: the group's __consumer_offsets partition joins the transaction,
// so TxnOffsetCommit can write offsets that become visible when it commits (sendOffsetsToTransaction).

import { AddOffsetsToTxn, ErrorCode } from "@nagare/protocol";
import { offsetsTopicName } from "../coordinator/group/offsets-topic.ts";
import { defineHandler } from "../dispatch/handler.ts";
import { fencedForVersion } from "./producer-fenced.ts";

export const addOffsetsToTxnHandler = defineHandler({
  api: AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const { groups, transactions } = ctx.services;
    if (request.groupId === "") return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
    try {
      await groups.topic.ensureCreated();
    } catch {
      return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    }
    const errorCode = await transactions.addPartitions(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      [{ topic: offsetsTopicName, partitions: [groups.topic.partitionFor(request.groupId)] }],
    );
    return { throttleTimeMs: 0, errorCode: fencedForVersion(errorCode, ctx.apiVersion, 2) };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
});
