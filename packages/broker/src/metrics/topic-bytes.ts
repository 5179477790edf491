// Record bytes per topic, derived from Produce requests and Fetch responses as the dispatcher sees
// them — Kafka's BytesInPerSec / BytesOutPerSec, without hooks in the handlers.
// - Produce (bytes in): the record set of every partition the response answered with NONE; with
//   acks=0 there is no response, and every partition's record set is counted.
// - Fetch (bytes out): the record set returned for every partition.
// Topics are matched by name (Produce/Fetch by topic id, v13+, are not served).

interface ProducePartitionData {
  readonly index?: number;
  readonly records?: Buffer | null;
}
interface ProduceTopicData {
  readonly name?: string;
  readonly partitionData?: readonly ProducePartitionData[];
}
interface ProducePartitionResponse {
  readonly index?: number;
  readonly errorCode?: number;
}
interface ProduceTopicResponse {
  readonly name?: string;
  readonly partitionResponses?: readonly ProducePartitionResponse[];
}

function asArray<T>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function add(into: Map<string, number>, topic: string, bytes: number): void {
  if (bytes > 0) into.set(topic, (into.get(topic) ?? 0) + bytes);
}

/** Bytes appended per topic by one Produce request (`response` undefined for acks=0). */
export function produceBytesIn(request: unknown, response: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const succeeded = new Set<string>();
  for (const topic of asArray<ProduceTopicResponse>(field(response, "responses")))
    for (const p of topic.partitionResponses ?? [])
      if (p.errorCode === 0) succeeded.add(`${topic.name}:${p.index}`);
  for (const topic of asArray<ProduceTopicData>(field(request, "topicData"))) {
    if (topic.name === undefined) continue;
    for (const p of topic.partitionData ?? []) {
      if (response !== undefined && !succeeded.has(`${topic.name}:${p.index}`)) continue;
      add(out, topic.name, p.records?.length ?? 0);
    }
  }
  return out;
}

interface FetchPartitionResponse {
  readonly records?: Buffer | null;
}
interface FetchTopicResponse {
  readonly topic?: string;
  readonly partitions?: readonly FetchPartitionResponse[];
}

/** Record bytes per topic one Fetch response carries. */
export function fetchBytesOut(response: unknown): Map<string, number> {
  const out = new Map<string, number>();
  for (const topic of asArray<FetchTopicResponse>(field(response, "responses"))) {
    if (topic.topic === undefined) continue;
    for (const p of topic.partitions ?? []) add(out, topic.topic, p.records?.length ?? 0);
  }
  return out;
}
