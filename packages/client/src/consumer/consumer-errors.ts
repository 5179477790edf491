// Errors only the consumer raises, with Kafka's names for them.

import { KafkaClientError } from "../errors.ts";
import type { TopicPartition } from "../types.ts";

/**
 * A commit the group rejected because this member is no longer part of the generation it
 * committed for (Kafka's CommitFailedException): its partitions may already belong to another
 * member. Not retriable: the next poll rejoins, and the records since the last commit may be
 * delivered again.
 */
export class CommitFailedError extends KafkaClientError {
  constructor(message: string, cause: unknown) {
    super(message, false, { cause });
    this.name = "CommitFailedError";
  }
}

/** autoOffsetReset "none" and no committed offset (Kafka's NoOffsetForPartitionException). */
export class NoOffsetForPartitionError extends KafkaClientError {
  readonly partitions: readonly TopicPartition[];

  constructor(partitions: readonly TopicPartition[]) {
    super(
      `no committed offset for ${partitions.map((p) => `${p.topic}-${p.partition}`).join(", ")} and autoOffsetReset is "none": seek first`,
      false,
    );
    this.name = "NoOffsetForPartitionError";
    this.partitions = partitions;
  }
}
