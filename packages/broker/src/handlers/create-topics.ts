// CreateTopics (key 19), v0–7.
//
// Behaviour (Kafka's checks, codes and messages, in Kafka's order):
// - A name given twice in one request: INVALID_REQUEST "Duplicate topic name." (answered once).
// - Illegal name or a '.'/'_' collision with an existing topic: INVALID_TOPIC_EXCEPTION; an
//   existing topic: TOPIC_ALREADY_EXISTS.
// - Configs: a null value, an unknown key or an invalid value: INVALID_CONFIG with the reason.
// - Without assignments: replication factor -1 means default.replication.factor, partitions -1 mean
//   num.partitions (KIP-464; accepted at every version); 0 or below -1 is INVALID_REPLICATION_FACTOR
//   / INVALID_PARTITIONS; a factor above 1 is INVALID_REPLICATION_FACTOR (one broker).
// - With manual assignments: partitions and factor must both be -1 (else INVALID_REQUEST); each
//   partition must be assigned exactly to this node, indexes 0..n-1 once each (else
//   INVALID_REPLICA_ASSIGNMENT).
// - validateOnly (v1+) runs every check and creates nothing.
// - Success creates the topic in metadata, then its logs; v5+ answers the partition count, the
//   replication factor and the effective configs; v7 the topic id (zero for validateOnly).
// - errorMessage is sent from v1 (the codec leaves it out of v0).
//
// Not implemented: create-topic policies (POLICY_VIOLATION), controller mutation quotas
// (THROTTLING_QUOTA_EXCEEDED), waiting for timeoutMs (creation completes before we answer).

import {
  CreateTopics,
  type CreateTopicsRequest,
  type CreateTopicsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { zeroUuid } from "../metadata/ids.ts";
import { MetadataError } from "../metadata/metadata-error.ts";
import { topicConfigEntries } from "../metadata/topic-config-entries.ts";
import {
  createTopicWithLogs,
  resolveReplicationFactor,
  type TopicProblem,
  validateNewTopicName,
  validatePartitionCount,
  validateTopicConfigs,
} from "../metadata/topic-validation.ts";

type CreatableTopic = CreateTopicsRequest["topics"][number];
type TopicResult = NonNullable<CreateTopicsResponseInput["topics"]>[number];

interface TopicPlan {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Record<string, string>;
}

function failure(name: string, problem: TopicProblem): TopicResult {
  return { name, errorCode: problem.errorCode, errorMessage: problem.message, configs: [] };
}

const assignmentProblem = (message: string): TopicProblem => ({
  errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
  message,
});

/** Manual assignments: every partition on this node exactly once, indexes 0..n-1. */
function checkAssignments(topic: CreatableTopic, nodeId: number): { partitions: number } | TopicProblem {
  if (topic.replicationFactor !== -1)
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      message: "A manual partition assignment was specified, but replication factor was not set to -1.",
    };
  if (topic.numPartitions !== -1)
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      message: "A manual partition assignment was specified, but numPartitions was not set to -1.",
    };
  const indexes = new Set<number>();
  for (const { partitionIndex, brokerIds } of topic.assignments) {
    if (indexes.has(partitionIndex))
      return assignmentProblem(`Found multiple manual partition assignments for partition ${partitionIndex}`);
    indexes.add(partitionIndex);
    if (brokerIds.length === 0)
      return assignmentProblem("The manual partition assignment includes an empty replica list.");
    const unknown = brokerIds.find((id) => id !== nodeId);
    if (unknown !== undefined)
      return assignmentProblem(
        `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`,
      );
    if (brokerIds.length > 1)
      return assignmentProblem(
        `The manual partition assignment includes the broker ${nodeId} more than once.`,
      );
  }
  const tooMany = validatePartitionCount(indexes.size);
  if (tooMany) return tooMany;
  for (let i = 0; i < indexes.size; i++)
    if (!indexes.has(i))
      return assignmentProblem("partitions should be a consecutive 0-based integer sequence");
  return { partitions: indexes.size };
}

function planTopic(topic: CreatableTopic, ctx: RequestContext): TopicPlan | TopicProblem {
  const { metadata, config } = ctx.services;
  const { name } = topic;
  const nameProblem = validateNewTopicName(name, metadata);
  if (nameProblem) return nameProblem;
  if (metadata.topic(name))
    return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${name}' already exists.` };
  const nullConfigs = topic.configs.filter((c) => c.value === null).map((c) => c.name);
  if (nullConfigs.length > 0)
    return {
      errorCode: ErrorCode.INVALID_CONFIG,
      message: `Null value not supported for topic configs: ${nullConfigs.join(",")}`,
    };
  const configs: Record<string, string> = {};
  for (const { name: key, value } of topic.configs) configs[key] = value ?? "";
  const configProblem = validateTopicConfigs(config, configs);
  if (configProblem) return configProblem;
  if (topic.assignments.length > 0) {
    const assigned = checkAssignments(topic, metadata.nodeId);
    if ("errorCode" in assigned) return assigned;
    return { partitions: assigned.partitions, replicationFactor: 1, configs };
  }
  const factor = resolveReplicationFactor(topic.replicationFactor, config);
  if ("errorCode" in factor) return factor;
  const partitions = topic.numPartitions === -1 ? config.numPartitions : topic.numPartitions;
  const partitionProblem = validatePartitionCount(partitions);
  if (partitionProblem) return partitionProblem;
  return { partitions, replicationFactor: factor.replicationFactor, configs };
}

async function createTopic(
  topic: CreatableTopic,
  validateOnly: boolean,
  ctx: RequestContext,
): Promise<TopicResult> {
  const plan = planTopic(topic, ctx);
  if ("errorCode" in plan) return failure(topic.name, plan);
  let topicId = zeroUuid;
  if (!validateOnly) {
    try {
      topicId = (await createTopicWithLogs(ctx.services, topic.name, plan.partitions, plan.configs)).topicId;
    } catch (error) {
      if (error instanceof MetadataError && error.code === "TOPIC_ALREADY_EXISTS")
        return failure(topic.name, { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: error.message });
      ctx.services.logger.error({ topic: topic.name, err: error }, "creating a topic failed");
      return failure(topic.name, {
        errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return {
    name: topic.name,
    topicId,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: plan.partitions,
    replicationFactor: plan.replicationFactor,
    configs: topicConfigEntries(ctx.services.config, plan.configs),
  };
}

export const createTopicsHandler = defineHandler({
  api: CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  handle: async (request, ctx) => {
    const occurrences = new Map<string, number>();
    for (const { name } of request.topics) occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
    const answered = new Set<string>();
    const topics: TopicResult[] = [];
    for (const topic of request.topics) {
      if (answered.has(topic.name)) continue;
      answered.add(topic.name);
      if ((occurrences.get(topic.name) ?? 0) > 1)
        topics.push(
          failure(topic.name, { errorCode: ErrorCode.INVALID_REQUEST, message: "Duplicate topic name." }),
        );
      else topics.push(await createTopic(topic, request.validateOnly, ctx));
    }
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map(({ name }) => ({ name, errorCode, errorMessage: null, configs: [] })),
  }),
});
