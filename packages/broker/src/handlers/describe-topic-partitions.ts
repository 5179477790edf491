// DescribeTopicPartitions (key 75), v0: paged topic descriptions (KIP-966).
//
// Behaviour (Kafka's DescribeTopicPartitionsRequestHandler and
// KRaftMetadataCache.getTopicMetadataForDescribeTopicResponse):
// - An empty topic list means every topic; named topics are answered once each. Topics are sorted
//   by name and those sorting before the cursor's topic are skipped.
// - Paging: at most max(min(responsePartitionLimit, 2000), 1) partitions per response. The cursor's
//   topic starts at the cursor's partition, others at 0. When a topic does not fit, the response
//   ends with it and nextCursor points at its first partition left out; when the limit is used up
//   exactly, nextCursor points at partition 0 of the next topic; otherwise nextCursor is null.
// - Each partition: leader this node, the partition's leader epoch, replicas = ISR = [node],
//   eligibleLeaderReplicas and lastKnownElr empty, no offline replicas. A partition whose log is
//   not open (offline data dir) has no leader (-1), an empty ISR and this node offline.
// - Named topics that do not exist: UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION for an
//   illegal name) with the zero topic id; with the all-topics form none can be unknown.
// - topicAuthorizedOperations: Kafka always fills it in; with no ACLs that is every topic operation.
// - A cursor naming a topic missing from a non-empty topic list, or a negative cursor partition:
//   INVALID_REQUEST for every requested topic, as Kafka.
//
// Not implemented: TOPIC_AUTHORIZATION_FAILED, the max.request.partition.size.limit config (2000),
// throttling.

import {
  DescribeTopicPartitions,
  type DescribeTopicPartitionsRequest,
  type DescribeTopicPartitionsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import type { BrokerServices } from "../broker-services.ts";
import { defineHandler } from "../dispatch/handler.ts";
import { zeroUuid } from "../metadata/ids.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import { invalidTopicNameReason, isInternalTopic } from "../metadata/topic-validation.ts";
import { allTopicOperations } from "./metadata.ts";

type ResponseTopic = NonNullable<DescribeTopicPartitionsResponseInput["topics"]>[number];
type ResponsePartition = NonNullable<ResponseTopic["partitions"]>[number];
type Cursor = NonNullable<DescribeTopicPartitionsResponseInput["nextCursor"]>;

/** Kafka's max.request.partition.size.limit default. */
const maxPartitionsPerResponse = 2000;

function describePartition(topic: TopicMetadata, index: number, services: BrokerServices): ResponsePartition {
  const node = services.metadata.nodeId;
  const partition = services.replicas.partition(topic.name, index);
  const common = {
    errorCode: ErrorCode.NONE,
    partitionIndex: index,
    replicaNodes: [node],
    eligibleLeaderReplicas: [],
    lastKnownElr: [],
  };
  return partition
    ? { ...common, leaderId: node, leaderEpoch: partition.leaderEpoch, isrNodes: [node], offlineReplicas: [] }
    : { ...common, leaderId: -1, leaderEpoch: -1, isrNodes: [], offlineReplicas: [node] };
}

function unknownTopic(name: string): ResponseTopic {
  return {
    errorCode: invalidTopicNameReason(name)
      ? ErrorCode.INVALID_TOPIC_EXCEPTION
      : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    name,
    topicId: zeroUuid,
    isInternal: isInternalTopic(name),
    partitions: [],
    topicAuthorizedOperations: allTopicOperations,
  };
}

/** The topic names to describe, sorted, from the cursor's topic on; undefined when the cursor is invalid. */
function topicNames(request: DescribeTopicPartitionsRequest, services: BrokerServices): string[] | undefined {
  const from = request.cursor?.topicName ?? "";
  const all = request.topics.length === 0;
  const names = new Set(
    all ? services.metadata.topics().map((t) => t.name) : request.topics.map((t) => t.name),
  );
  const selected = [...names].filter((name) => name >= from).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (request.cursor && !all && !names.has(request.cursor.topicName)) return undefined;
  if (request.cursor && request.cursor.partitionIndex < 0) return undefined;
  return selected;
}

function errorResponse(request: DescribeTopicPartitionsRequest, errorCode: number) {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      errorCode,
      name: t.name,
      topicId: zeroUuid,
      isInternal: false,
      partitions: [],
    })),
    nextCursor: null,
  };
}

export const describeTopicPartitionsHandler = defineHandler({
  api: DescribeTopicPartitions,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const { services } = ctx;
    const names = topicNames(request, services);
    if (!names) return errorResponse(request, ErrorCode.INVALID_REQUEST);
    const fetchAll = request.topics.length === 0;
    let remaining = Math.max(Math.min(maxPartitionsPerResponse, request.responsePartitionLimit), 1);
    const topics: ResponseTopic[] = [];
    let nextCursor: Cursor | null = null;
    for (const name of names) {
      if (remaining === 0) {
        nextCursor = { topicName: name, partitionIndex: 0 };
        break;
      }
      const topic = services.metadata.topic(name);
      if (!topic) {
        if (!fetchAll) topics.push(unknownTopic(name));
        continue;
      }
      const start = request.cursor?.topicName === name ? request.cursor.partitionIndex : 0;
      const upper = Math.min(topic.partitions, start + remaining);
      const partitions: ResponsePartition[] = [];
      for (let index = start; index < upper; index++)
        partitions.push(describePartition(topic, index, services));
      topics.push({
        errorCode: ErrorCode.NONE,
        name,
        topicId: topic.topicId,
        isInternal: topic.internal,
        partitions,
        topicAuthorizedOperations: allTopicOperations,
      });
      if (upper < topic.partitions) {
        nextCursor = { topicName: name, partitionIndex: upper };
        break;
      }
      remaining -= partitions.length;
    }
    return { throttleTimeMs: 0, topics, nextCursor };
  },
  errorResponse: (request, errorCode) => errorResponse(request, errorCode),
});
