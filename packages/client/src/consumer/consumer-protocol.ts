// The "consumer" embedded protocol of the classic group protocol: the metadata a member sends in
// JoinGroup (ConsumerProtocolSubscription) and the assignment the leader hands out through
// SyncGroup (ConsumerProtocolAssignment), each prefixed by an int16 version, never flexible
// (Kafka's clients/src/main/resources/common/message/ConsumerProtocol*.json).
//
// Subscription v0: topics, userData; v1 adds ownedPartitions (KIP-429); v2 the generation id the
// owned partitions belong to; v3 the rack id (KIP-881). Assignment v0-v3 all carry partitions and
// userData. As Kafka does, a newer version is read with the newest layout we know (later versions
// may only append fields), and bytes after the known fields are ignored.

import type { TopicPartition } from "../types.ts";

export const CONSUMER_PROTOCOL_TYPE = "consumer";
export const CONSUMER_PROTOCOL_VERSION = 3;

export interface Subscription {
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  readonly ownedPartitions: readonly TopicPartition[];
  /** The generation the owned partitions were assigned in, -1 when unknown (v2+). */
  readonly generationId: number;
  readonly rackId: string | null;
}

export interface Assignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Buffer | null;
}

export class ConsumerProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConsumerProtocolError";
  }
}

/** Encodes at `version` (default 3); topics and owned partitions are sorted as Kafka does. */
export function encodeSubscription(
  subscription: Partial<Subscription> & Pick<Subscription, "topics">,
  version = CONSUMER_PROTOCOL_VERSION,
): Buffer {
  const out = new Out();
  out.int16(version);
  const topics = [...subscription.topics].sort();
  out.int32(topics.length);
  for (const topic of topics) out.string(topic);
  out.bytes(subscription.userData ?? null);
  if (version >= 1) writeTopicPartitions(out, sortPartitions(subscription.ownedPartitions ?? []));
  if (version >= 2) out.int32(subscription.generationId ?? -1);
  if (version >= 3) out.nullableString(subscription.rackId ?? null);
  return out.finish();
}

export function decodeSubscription(buf: Buffer): Subscription {
  const input = new In(buf, "subscription");
  const version = input.version();
  const topicCount = input.arrayLength();
  const topics: string[] = [];
  for (let i = 0; i < topicCount; i++) topics.push(input.string());
  const userData = input.bytes();
  const ownedPartitions = version >= 1 ? readTopicPartitions(input) : [];
  const generationId = version >= 2 ? input.int32() : -1;
  const rackId = version >= 3 ? input.nullableString() : null;
  return { topics, userData, ownedPartitions, generationId, rackId: rackId === "" ? null : rackId };
}

/** Partitions are grouped by topic in first-seen order, as Kafka's serializer does. */
export function encodeAssignment(assignment: Assignment, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const out = new Out();
  out.int16(version);
  writeTopicPartitions(out, assignment.partitions);
  out.bytes(assignment.userData);
  return out.finish();
}

/** An empty buffer (a member the leader gave nothing, as some clients send) is an empty assignment. */
export function decodeAssignment(buf: Buffer): Assignment {
  if (buf.length === 0) return { partitions: [], userData: null };
  const input = new In(buf, "assignment");
  input.version();
  const partitions = readTopicPartitions(input);
  const userData = input.bytes();
  return { partitions, userData };
}

function sortPartitions(partitions: readonly TopicPartition[]): TopicPartition[] {
  return [...partitions].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
}

function writeTopicPartitions(out: Out, partitions: readonly TopicPartition[]): void {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = byTopic.get(topic);
    if (list) list.push(partition);
    else byTopic.set(topic, [partition]);
  }
  out.int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    out.string(topic);
    out.int32(list.length);
    for (const p of list) out.int32(p);
  }
}

function readTopicPartitions(input: In): TopicPartition[] {
  const result: TopicPartition[] = [];
  const topicCount = input.arrayLength();
  for (let i = 0; i < topicCount; i++) {
    const topic = input.string();
    const count = input.arrayLength();
    for (let j = 0; j < count; j++) result.push({ topic, partition: input.int32() });
  }
  return result;
}

/** A growable big-endian writer for the classic (non-flexible) encodings. */
class Out {
  private readonly chunks: Buffer[] = [];

  int16(value: number): void {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(value);
    this.chunks.push(b);
  }

  int32(value: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(value);
    this.chunks.push(b);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.int16(bytes.length);
    this.chunks.push(bytes);
  }

  nullableString(value: string | null): void {
    if (value === null) this.int16(-1);
    else this.string(value);
  }

  bytes(value: Buffer | null): void {
    if (value === null) {
      this.int32(-1);
      return;
    }
    this.int32(value.length);
    this.chunks.push(value);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A bounds-checked reader: every shortfall is a ConsumerProtocolError naming the message. */
class In {
  private offset = 0;
  private readonly buf: Buffer;
  private readonly what: string;

  constructor(buf: Buffer, what: string) {
    this.buf = buf;
    this.what = what;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buf.length)
      throw new ConsumerProtocolError(`consumer protocol ${this.what} is truncated at byte ${this.offset}`);
  }

  version(): number {
    const version = this.int16();
    if (version < 0) throw new ConsumerProtocolError(`consumer protocol ${this.what} has version ${version}`);
    return version;
  }

  int16(): number {
    this.need(2);
    const value = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An array length; null arrays read as empty. Bounded by the bytes left (each item ≥ 1 byte). */
  arrayLength(): number {
    const length = this.int32();
    if (length < 0) return 0;
    if (length > this.buf.length - this.offset)
      throw new ConsumerProtocolError(
        `consumer protocol ${this.what}: array length ${length} exceeds the input`,
      );
    return length;
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ConsumerProtocolError(`consumer protocol ${this.what}: null string`);
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    this.need(length);
    const value = this.buf.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    this.need(length);
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}
