// Checks shared by CreateTopics, Metadata auto-creation, CreatePartitions (and later Produce
// auto-creation), with Kafka's error codes and messages, and the one way topics are created:
// metadata first, then the partition logs.

import { ErrorCode } from "@nagare/protocol";
import { type LogConfig, logConfigDefs, parseLogConfig, StorageError } from "@nagare/storage";
import type { BrokerServices } from "../broker-services.ts";
import { type BrokerConfig, topicConfigDefaults } from "../config/broker-config.ts";
import { extraTopicConfigProblem } from "./extra-topic-configs.ts";
import type { MetadataImage, TopicMetadata } from "./metadata-image.ts";
import { collidingTopic, invalidTopicNameReason } from "./topic-name.ts";

export { collidingTopic, invalidTopicNameReason, isInternalTopic, isValidTopicName } from "./topic-name.ts";

/** A refused request part: the Kafka error code and the message for clients that take one. */
export interface TopicProblem {
  readonly errorCode: number;
  readonly message: string;
}

/**
 * Partitions per topic. Kafka bounds partitions per request (10,000); here every partition is a
 * directory with open files, so the same bound applies per topic.
 */
export const maxPartitionsPerTopic = 10_000;

/** The brokers partitions can be placed on: only this one. */
const brokerCount = 1;

/** The topic name is legal and does not collide with an existing topic ('.' vs '_'). */
export function validateNewTopicName(name: string, metadata: MetadataImage): TopicProblem | undefined {
  const reason = invalidTopicNameReason(name);
  if (reason) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: reason };
  const other = collidingTopic(
    name,
    metadata.topics().map((t) => t.name),
  );
  if (other)
    return {
      errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
      message: `Topic '${name}' collides with existing topic: ${other}`,
    };
  return undefined;
}

export function validatePartitionCount(partitions: number): TopicProblem | undefined {
  if (!Number.isInteger(partitions) || partitions < 1)
    return {
      errorCode: ErrorCode.INVALID_PARTITIONS,
      message: "Number of partitions was set to an invalid non-positive value.",
    };
  if (partitions > maxPartitionsPerTopic)
    return {
      errorCode: ErrorCode.INVALID_PARTITIONS,
      message: `Number of partitions ${partitions} is above this broker's limit of ${maxPartitionsPerTopic} per topic.`,
    };
  return undefined;
}

/** -1 means the broker default (default.replication.factor), which is also bound by the broker count. */
export function resolveReplicationFactor(
  replicationFactor: number,
  config: BrokerConfig,
): { replicationFactor: number } | TopicProblem {
  if (replicationFactor === 0 || replicationFactor < -1)
    return {
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      message: "Replication factor must be larger than 0, or -1 to use the default value.",
    };
  const resolved =
    replicationFactor === -1 ? Number(config.values["default.replication.factor"] ?? "1") : replicationFactor;
  if (resolved > brokerCount)
    return {
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      message:
        `Unable to replicate the partition ${resolved} time(s): The target replication factor of ${resolved} ` +
        `cannot be reached because only ${brokerCount} broker(s) are registered.`,
    };
  return { replicationFactor: resolved };
}

/**
 * The topic's effective log config: Kafka's defaults, then the broker's log.* values, then the
 * overrides the log acts on (the others are not log settings; see extra-topic-configs.ts).
 */
export function effectiveLogConfig(
  config: BrokerConfig,
  overrides: Readonly<Record<string, string>>,
): LogConfig {
  const values: Record<string, string> = { ...topicConfigDefaults(config) };
  for (const [key, value] of Object.entries(overrides)) if (logConfigDefs[key]) values[key] = value;
  return parseLogConfig(values);
}

/** Unknown keys and invalid values → INVALID_CONFIG naming the key. */
export function validateTopicConfigs(
  config: BrokerConfig,
  overrides: Readonly<Record<string, string>>,
): TopicProblem | undefined {
  for (const [key, value] of Object.entries(overrides)) {
    if (logConfigDefs[key]) continue;
    const problem = extraTopicConfigProblem(key, value);
    if (problem) return { errorCode: ErrorCode.INVALID_CONFIG, message: problem };
  }
  try {
    effectiveLogConfig(config, overrides);
    return undefined;
  } catch (error) {
    if (error instanceof StorageError) return { errorCode: ErrorCode.INVALID_CONFIG, message: error.message };
    throw error;
  }
}

/**
 * Creates the topic in metadata, then opens its partition logs (removing stale ones first). Callers validated the name,
 * partition count and configs; a topic created concurrently makes the MetadataError
 * TOPIC_ALREADY_EXISTS reach the caller.
 */
export async function createTopicWithLogs(
  services: Pick<BrokerServices, "metadata" | "logs" | "replicas" | "logger">,
  name: string,
  partitions: number,
  configs: Readonly<Record<string, string>>,
): Promise<TopicMetadata> {
  const topic = await services.metadata.createTopic(name, partitions, configs);
  // Logs on disk under a name that was just created are stale: a deletion interrupted by a crash
  // after the metadata change. Reusing them would resurrect the old topic's records.
  if (services.logs.allLogs().some((log) => log.topic === name)) {
    services.logger.warn(
      { topic: name },
      "removing stale partition logs left by an earlier topic of this name",
    );
    await services.replicas.removeTopic(name);
  }
  await services.replicas.ensurePartitions(topic);
  services.logger.info({ topic: name, topicId: topic.topicId, partitions }, "topic created");
  return topic;
}
