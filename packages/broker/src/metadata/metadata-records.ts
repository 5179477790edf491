// The records of the embedded metadata log, one JSON object per line, and the state they build.
// Every change is a record; a snapshot record replaces everything before it (written when the log
// is compacted). Lines enter as `unknown` and are narrowed here; anything that does not fit is
// reported as undefined so the reader can tell a torn tail from corruption.

import { isTopicId } from "./ids.ts";
import { isValidTopicName } from "./topic-name.ts";

export interface TopicState {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

export type MetadataRecord =
  | { readonly type: "snapshot"; readonly topics: readonly TopicState[] }
  | ({ readonly type: "createTopic" } & TopicState)
  | { readonly type: "deleteTopic"; readonly name: string; readonly topicId: string }
  | { readonly type: "createPartitions"; readonly name: string; readonly partitions: number }
  | {
      readonly type: "setConfigs";
      readonly name: string;
      readonly configs: Readonly<Record<string, string>>;
    };

/** Partitions are int32 indexes; more than this many per topic is refused earlier, by validation. */
const maxPartitions = 2147483647;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPartitionCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= maxPartitions;
}

function asConfigs(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") return undefined;
    out[key] = v;
  }
  return out;
}

function asTopic(value: unknown): TopicState | undefined {
  if (!isObject(value)) return undefined;
  const { name, topicId, partitions } = value;
  const configs = asConfigs(value.configs);
  if (typeof name !== "string" || !isValidTopicName(name)) return undefined;
  if (typeof topicId !== "string" || !isTopicId(topicId)) return undefined;
  if (!isPartitionCount(partitions) || !configs) return undefined;
  return { name, topicId, partitions, configs };
}

/** The record a line holds, or undefined when the line is not a well-formed record. */
export function parseRecord(line: string): MetadataRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { name } = value;
  switch (value.type) {
    case "snapshot": {
      if (!Array.isArray(value.topics)) return undefined;
      const topics: TopicState[] = [];
      for (const t of value.topics) {
        const topic = asTopic(t);
        if (!topic) return undefined;
        topics.push(topic);
      }
      return { type: "snapshot", topics };
    }
    case "createTopic": {
      const topic = asTopic(value);
      return topic && { type: "createTopic", ...topic };
    }
    case "deleteTopic":
      if (typeof name !== "string" || typeof value.topicId !== "string") return undefined;
      return { type: "deleteTopic", name, topicId: value.topicId };
    case "createPartitions":
      if (typeof name !== "string" || !isPartitionCount(value.partitions)) return undefined;
      return { type: "createPartitions", name, partitions: value.partitions };
    case "setConfigs": {
      const configs = asConfigs(value.configs);
      if (typeof name !== "string" || !configs) return undefined;
      return { type: "setConfigs", name, configs };
    }
    default:
      return undefined;
  }
}

/** The line for a record, with the time it was written (for operators reading the file). */
export function formatRecord(record: MetadataRecord, time: number): string {
  return `${JSON.stringify({ ...record, time: new Date(time).toISOString() })}\n`;
}

/**
 * Applies a record to the topic map. Returns an explanation when the record does not fit the
 * state (a change to a topic that does not exist): the log is then inconsistent.
 */
export function applyRecord(topics: Map<string, TopicState>, record: MetadataRecord): string | undefined {
  switch (record.type) {
    case "snapshot":
      topics.clear();
      for (const topic of record.topics) topics.set(topic.name, topic);
      return undefined;
    case "createTopic": {
      if (topics.has(record.name)) return `topic ${record.name} created twice`;
      const { type: _, ...topic } = record;
      topics.set(record.name, topic);
      return undefined;
    }
    case "deleteTopic": {
      const topic = topics.get(record.name);
      if (!topic || topic.topicId !== record.topicId) return `deletion of unknown topic ${record.name}`;
      topics.delete(record.name);
      return undefined;
    }
    case "createPartitions": {
      const topic = topics.get(record.name);
      if (!topic) return `partitions added to unknown topic ${record.name}`;
      if (record.partitions < topic.partitions) return `topic ${record.name} shrank`;
      topics.set(record.name, { ...topic, partitions: record.partitions });
      return undefined;
    }
    case "setConfigs": {
      const topic = topics.get(record.name);
      if (!topic) return `configs set on unknown topic ${record.name}`;
      topics.set(record.name, { ...topic, configs: record.configs });
      return undefined;
    }
  }
}
