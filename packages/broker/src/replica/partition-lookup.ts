// Shared by the data-path handlers: find a hosted partition by topic name and index, and turn
// storage failures into Kafka error codes a given request version knows.

import { ErrorCode } from "@nagare/protocol";
import { StorageError } from "@nagare/storage";
import type { BrokerServices } from "../broker-services.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import type { Partition } from "./replica-manager.ts";

export type PartitionLookup =
  | { readonly partition: Partition; readonly topic: TopicMetadata; readonly errorCode?: undefined }
  | { readonly errorCode: number; readonly message?: string };

/**
 * The partition, or UNKNOWN_TOPIC_OR_PARTITION when the topic or index does not exist. A topic in
 * the metadata whose logs are not open yet (created by another path) is opened here.
 */
export async function lookupPartition(
  services: BrokerServices,
  topicName: string,
  index: number,
  codes: StorageCodeOptions,
): Promise<PartitionLookup> {
  const topic = services.metadata.topic(topicName);
  if (!topic || !Number.isInteger(index) || index < 0 || index >= topic.partitions)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  let partition = services.replicas.partition(topic.name, index);
  if (!partition) {
    try {
      await services.replicas.ensurePartitions(topic);
    } catch (error) {
      return { errorCode: storageErrorCode(error, codes), message: String(error) };
    }
    partition = services.replicas.partition(topic.name, index);
  }
  return partition ? { partition, topic } : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
}

export interface StorageCodeOptions {
  /** KAFKA_STORAGE_ERROR (KIP-112) exists in this request version (Produce v4+, Fetch v6+). */
  readonly storageErrorKnown: boolean;
  /** INVALID_RECORD (KIP-467) exists in this request version (Produce v8+). */
  readonly invalidRecordKnown?: boolean;
}

/**
 * The Kafka error code for an exception from storage. Codes the request version predates become
 * their older equivalents: KAFKA_STORAGE_ERROR → NOT_LEADER_OR_FOLLOWER (Kafka does the same),
 * INVALID_RECORD → CORRUPT_MESSAGE. Anything that is not a StorageError is UNKNOWN_SERVER_ERROR.
 */
export function storageErrorCode(error: unknown, options: StorageCodeOptions): number {
  if (!(error instanceof StorageError)) return ErrorCode.UNKNOWN_SERVER_ERROR;
  switch (error.code) {
    case "KAFKA_STORAGE_ERROR":
      return options.storageErrorKnown ? ErrorCode.KAFKA_STORAGE_ERROR : ErrorCode.NOT_LEADER_OR_FOLLOWER;
    case "INVALID_RECORD":
      return options.invalidRecordKnown ? ErrorCode.INVALID_RECORD : ErrorCode.CORRUPT_MESSAGE;
    case "LOG_CLOSED":
      // The partition is closing (topic deletion, shutdown): retriable, the client refreshes metadata.
      return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    case "INVALID_CONFIG":
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return ErrorCode[error.code];
  }
}

/** Leader-epoch fencing (KIP-320): -1 skips the check. */
export function leaderEpochError(currentLeaderEpoch: number, partition: Partition): number {
  if (currentLeaderEpoch === -1 || currentLeaderEpoch === partition.leaderEpoch) return ErrorCode.NONE;
  return currentLeaderEpoch < partition.leaderEpoch
    ? ErrorCode.FENCED_LEADER_EPOCH
    : ErrorCode.UNKNOWN_LEADER_EPOCH;
}
