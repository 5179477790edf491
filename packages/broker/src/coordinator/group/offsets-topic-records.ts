// The records of __consumer_offsets, in Kafka's own formats so its tools can read our topic:
// key version 0/1 = OffsetCommitKey {group, topic, partition}, key version 2 = GroupMetadataKey
// {group}; values OffsetCommitValue (written as v3: offset, leader epoch, metadata, commit
// timestamp) and GroupMetadataValue (written as v3: protocol type, generation, protocol, leader,
// state timestamp, members). A null value is a tombstone (offset deleted, group deleted). Versions
// 0-3 of both values are read; other key versions (Kafka's KIP-848 groups) are reported unknown.

import { CodecError, Reader, Writer } from "@nagare/protocol";

export interface OffsetCommitKey {
  readonly kind: "offset";
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

export interface GroupMetadataKey {
  readonly kind: "group";
  readonly group: string;
}

export type OffsetsTopicKey = OffsetCommitKey | GroupMetadataKey;

export interface OffsetCommitValue {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: bigint;
}

export interface StoredMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly subscription: Buffer;
  readonly assignment: Buffer;
}

export interface GroupMetadataValue {
  readonly protocolType: string;
  readonly generation: number;
  readonly protocol: string | null;
  readonly leader: string | null;
  readonly currentStateTimestamp: bigint;
  readonly members: readonly StoredMember[];
}

function writeString(w: Writer, value: string | null): void {
  if (value === null) {
    w.int16(-1);
    return;
  }
  const length = Buffer.byteLength(value, "utf8");
  if (length > 0x7fff) throw new CodecError("INVALID_VALUE", `string of ${length} bytes is too long`);
  w.int16(length);
  w.utf8(value, length);
}

function writeBytes(w: Writer, value: Buffer): void {
  w.int32(value.length);
  w.bytes(value);
}

function readString(r: Reader): string {
  const value = readNullableString(r);
  if (value === null) throw new CodecError("MALFORMED", "null where a string is required");
  return value;
}

function readNullableString(r: Reader): string | null {
  const length = r.int16();
  if (length < 0) return null;
  return r.utf8(length);
}

function readBytes(r: Reader): Buffer {
  const length = r.int32();
  if (length < 0) return Buffer.alloc(0);
  return Buffer.from(r.take(length));
}

export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Buffer {
  const w = new Writer(64);
  w.int16(1);
  writeString(w, group);
  writeString(w, topic);
  w.int32(partition);
  return w.toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  const w = new Writer(64);
  w.int16(2);
  writeString(w, group);
  return w.toBuffer();
}

export function encodeOffsetCommitValue(value: OffsetCommitValue): Buffer {
  const w = new Writer(64);
  w.int16(3);
  w.int64(value.offset);
  w.int32(value.leaderEpoch);
  writeString(w, value.metadata);
  w.int64(value.commitTimestamp);
  return w.toBuffer();
}

export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const w = new Writer(256);
  w.int16(3);
  writeString(w, value.protocolType);
  w.int32(value.generation);
  writeString(w, value.protocol);
  writeString(w, value.leader);
  w.int64(value.currentStateTimestamp);
  w.int32(value.members.length);
  for (const m of value.members) {
    writeString(w, m.memberId);
    writeString(w, m.groupInstanceId);
    writeString(w, m.clientId);
    writeString(w, m.clientHost);
    w.int32(m.rebalanceTimeoutMs);
    w.int32(m.sessionTimeoutMs);
    writeBytes(w, m.subscription);
    writeBytes(w, m.assignment);
  }
  return w.toBuffer();
}

/** The key, or undefined for key versions this coordinator does not use. Throws CodecError. */
export function decodeOffsetsTopicKey(key: Buffer): OffsetsTopicKey | undefined {
  const r = new Reader(key);
  const version = r.int16();
  if (version === 0 || version === 1)
    return { kind: "offset", group: readString(r), topic: readString(r), partition: r.int32() };
  if (version === 2) return { kind: "group", group: readString(r) };
  return undefined;
}

function checkValueVersion(version: number, what: string): void {
  if (version < 0 || version > 3)
    throw new CodecError("UNSUPPORTED_VERSION", `${what} version ${version} is not supported (0-3)`);
}

export function decodeOffsetCommitValue(value: Buffer): OffsetCommitValue {
  const r = new Reader(value);
  const version = r.int16();
  checkValueVersion(version, "OffsetCommitValue");
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = readString(r);
  const commitTimestamp = r.int64();
  if (version === 1) r.int64(); // expireTimestamp: per-commit retention is gone since Kafka 2.1
  return { offset, leaderEpoch, metadata, commitTimestamp };
}

export function decodeGroupMetadataValue(value: Buffer): GroupMetadataValue {
  const r = new Reader(value);
  const version = r.int16();
  checkValueVersion(version, "GroupMetadataValue");
  const protocolType = readString(r);
  const generation = r.int32();
  const protocol = readNullableString(r);
  const leader = readNullableString(r);
  const currentStateTimestamp = version >= 2 ? r.int64() : -1n;
  const count = r.int32();
  r.checkCount(count, 20);
  const members: StoredMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = readString(r);
    const groupInstanceId = version >= 3 ? readNullableString(r) : null;
    const clientId = readString(r);
    const clientHost = readString(r);
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = readBytes(r);
    const assignment = readBytes(r);
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}
