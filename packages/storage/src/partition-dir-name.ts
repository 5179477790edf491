// Partition directories are named `<topic>-<partition>` as in Kafka. Topic names may themselves
// contain dashes and dots, so the name is split at its LAST dash. A directory being deleted is
// renamed `<topic>-<partition>.<unique id>-delete` first (Kafka's form), which never parses as a
// partition directory (its "partition" part is not a number).

const int32Max = 2147483647;
/** Kafka's legal topic characters and maximum length (Topic.java). */
const topicPattern = /^[a-zA-Z0-9._-]{1,249}$/;

export const deleteDirSuffix = "-delete";

export interface TopicPartitionName {
  readonly topic: string;
  readonly partition: number;
}

export function isValidTopicName(topic: string): boolean {
  return topicPattern.test(topic) && topic !== "." && topic !== "..";
}

export function isValidPartition(partition: number): boolean {
  return Number.isInteger(partition) && partition >= 0 && partition <= int32Max;
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** The topic and partition a directory name denotes, or undefined when it is not one. */
export function parsePartitionDirName(name: string): TopicPartitionName | undefined {
  const dash = name.lastIndexOf("-");
  if (dash <= 0) return undefined;
  const topic = name.slice(0, dash);
  const partitionText = name.slice(dash + 1);
  if (!/^\d{1,10}$/.test(partitionText) || !isValidTopicName(topic)) return undefined;
  const partition = Number(partitionText);
  // "007" would not round-trip to the same directory name; Kafka never writes it.
  if (!isValidPartition(partition) || String(partition) !== partitionText) return undefined;
  return { topic, partition };
}

/**
 * A fresh name to rename a partition directory to before removing it; like Kafka, the topic is
 * shortened when the whole name would pass the 255-byte file name limit.
 */
export function deleteDirName(topic: string, partition: number, uniqueId: string): string {
  const suffix = `-${partition}.${uniqueId}${deleteDirSuffix}`;
  return `${topic.slice(0, Math.max(1, 255 - suffix.length))}${suffix}`;
}
