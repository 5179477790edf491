// What OffsetCommit and TxnOffsetCommit share: their topics as the group coordinator takes them,
// and the existence check for the partitions they name.

import type { CommitPartition, PartitionExists, TopicPartitions } from "../coordinator/group/offsets.ts";
import type { MetadataImage } from "../metadata/metadata-image.ts";

interface RequestTopic {
  readonly name: string;
  readonly partitions: readonly {
    readonly partitionIndex: number;
    readonly committedOffset: bigint;
    readonly committedLeaderEpoch: number;
    readonly committedMetadata: string | null;
  }[];
}

export function commitTopics(topics: readonly RequestTopic[]): TopicPartitions<CommitPartition>[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      committedOffset: p.committedOffset,
      committedLeaderEpoch: p.committedLeaderEpoch,
      committedMetadata: p.committedMetadata,
    })),
  }));
}

export function partitionExists(metadata: MetadataImage): PartitionExists {
  return (topic, partition) => {
    const found = metadata.topic(topic);
    return found !== undefined && partition >= 0 && partition < found.partitions;
  };
}

/** The response answering every partition of the request with `errorCode` (whole-request failures). */
export function failedCommit(request: { readonly topics: readonly RequestTopic[] }, errorCode: number) {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}
