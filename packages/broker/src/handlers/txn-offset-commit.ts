// TxnOffsetCommit (key 28), v0–4: offsets written as part of a transaction (a consume-transform-
// produce loop's sendOffsetsToTransaction). They are appended to __consumer_offsets as a
// transactional batch of the producer and become visible to OffsetFetch only when the
// transaction's COMMIT marker lands there; an abort drops them. v3+ carry the member's generation
// and id, checked as for OffsetCommit (KIP-447); the group's state is not checked otherwise.
//
// Not served: v5 (transactions v2, KIP-890 part 2).

import { TxnOffsetCommit } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { commitTopics, failedCommit, partitionExists } from "./committed-offsets-request.ts";

export const txnOffsetCommitHandler = defineHandler({
  api: TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const { metadata } = ctx.services;
    const topics = await ctx.services.groups.offsets.txnCommit(
      {
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        generationId: request.generationId,
        apiVersion: ctx.apiVersion,
        producerId: request.producerId,
        producerEpoch: request.producerEpoch,
        topics: commitTopics(request.topics),
      },
      partitionExists(metadata),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: failedCommit,
});
