// CreatePartitions (key 37), v0–3: grows topics (KIP-195).
//
// Behaviour:
// - A topic named twice: INVALID_REQUEST "Duplicate topic in request." (answered once).
// - Unknown topic: UNKNOWN_TOPIC_OR_PARTITION. A count equal to or below the current one:
//   INVALID_PARTITIONS (partitions are never removed); above the per-topic limit: INVALID_PARTITIONS.
// - Manual assignments (non-null) must list exactly one entry per new partition, each placing it
//   on this node only (one broker, replication factor 1); else INVALID_REPLICA_ASSIGNMENT.
// - validateOnly runs the checks and changes nothing.
// - Success records the new count durably, then opens the new partitions' logs. Every topic is
//   reported, in request order.
//
// Not implemented: controller mutation quotas (THROTTLING_QUOTA_EXCEEDED), waiting for timeoutMs.

import {
  CreatePartitions,
  type CreatePartitionsRequest,
  type CreatePartitionsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { MetadataError } from "../metadata/metadata-error.ts";
import { type TopicProblem, validatePartitionCount } from "../metadata/topic-validation.ts";

type GrowTopic = CreatePartitionsRequest["topics"][number];
type TopicResult = NonNullable<CreatePartitionsResponseInput["results"]>[number];

const ok = (name: string): TopicResult => ({ name, errorCode: ErrorCode.NONE, errorMessage: null });
const failed = (name: string, problem: TopicProblem): TopicResult => ({
  name,
  errorCode: problem.errorCode,
  errorMessage: problem.message,
});

function checkGrowth(topic: GrowTopic, ctx: RequestContext): TopicProblem | undefined {
  const { metadata } = ctx.services;
  const current = metadata.topic(topic.name);
  if (!current)
    return {
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      message: `This server does not host this topic: ${topic.name}.`,
    };
  if (topic.count === current.partitions)
    return {
      errorCode: ErrorCode.INVALID_PARTITIONS,
      message: `Topic already has ${current.partitions} partition(s).`,
    };
  if (topic.count < current.partitions)
    return {
      errorCode: ErrorCode.INVALID_PARTITIONS,
      message:
        `The topic ${topic.name} currently has ${current.partitions} partition(s); ` +
        `${topic.count} would not be an increase.`,
    };
  const tooMany = validatePartitionCount(topic.count);
  if (tooMany) return tooMany;
  if (topic.assignments === null) return undefined;
  const additional = topic.count - current.partitions;
  if (topic.assignments.length !== additional)
    return {
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      message:
        `Attempted to add ${additional} additional partition(s), but only ` +
        `${topic.assignments.length} assignment(s) were specified.`,
    };
  for (const { brokerIds } of topic.assignments) {
    const node = metadata.nodeId;
    if (brokerIds.length === 0)
      return {
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        message: "The manual partition assignment includes an empty replica list.",
      };
    const unknown = brokerIds.find((id) => id !== node);
    if (unknown !== undefined)
      return {
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        message: `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`,
      };
    if (brokerIds.length > 1)
      return {
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        message: `The manual partition assignment includes the broker ${node} more than once.`,
      };
  }
  return undefined;
}

async function grow(topic: GrowTopic, validateOnly: boolean, ctx: RequestContext): Promise<TopicResult> {
  const problem = checkGrowth(topic, ctx);
  if (problem) return failed(topic.name, problem);
  if (validateOnly) return ok(topic.name);
  const { services } = ctx;
  try {
    const grown = await services.metadata.createPartitions(topic.name, topic.count);
    await services.replicas.ensurePartitions(grown);
    services.logger.info({ topic: topic.name, partitions: topic.count }, "partitions added");
    return ok(topic.name);
  } catch (error) {
    // A concurrent request deleted or grew the topic between the checks and the change.
    if (error instanceof MetadataError && error.code === "UNKNOWN_TOPIC")
      return failed(topic.name, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: error.message });
    if (error instanceof MetadataError && error.code === "INVALID_PARTITIONS")
      return failed(topic.name, { errorCode: ErrorCode.INVALID_PARTITIONS, message: error.message });
    throw error;
  }
}

export const createPartitionsHandler = defineHandler({
  api: CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  handle: async (request, ctx) => {
    const occurrences = new Map<string, number>();
    for (const { name } of request.topics) occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
    const answered = new Set<string>();
    const results: TopicResult[] = [];
    for (const topic of request.topics) {
      if (answered.has(topic.name)) continue;
      answered.add(topic.name);
      if ((occurrences.get(topic.name) ?? 0) > 1)
        results.push(
          failed(topic.name, {
            errorCode: ErrorCode.INVALID_REQUEST,
            message: "Duplicate topic in request.",
          }),
        );
      else results.push(await grow(topic, request.validateOnly, ctx));
    }
    return { throttleTimeMs: 0, results };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.topics.map(({ name }) => ({ name, errorCode, errorMessage: null })),
  }),
});
