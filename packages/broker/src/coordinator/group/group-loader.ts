// Rebuilds the groups from __consumer_offsets at start-up by replaying its records in log order:
// the latest offset per group/topic/partition and the latest metadata per group win, tombstones
// delete. A group with members comes back Stable with their assignments (its members must then
// heartbeat within their session timeouts, or they are removed and the group rebalances).
// Transactional offsets wait for their transaction's marker: a commit applies them, an abort drops
// them, and a transaction still open at the end of the log leaves them pending.

import { CodecError } from "@nagare/protocol";
import type { StoredEntry } from "../state-topic.ts";
import { ClassicGroup } from "./classic-group.ts";
import { groupSubscribedTopics } from "./consumer-protocol.ts";
import { GroupMember } from "./group-member.ts";
import type { GroupStore } from "./group-store.ts";
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  type GroupMetadataValue,
} from "./offsets-topic-records.ts";

export interface LoadReport {
  readonly records: number;
  readonly skipped: number;
  readonly groups: number;
}

export async function loadGroups(
  store: GroupStore,
  entries: AsyncIterable<StoredEntry>,
): Promise<LoadReport> {
  let count = 0;
  let skipped = 0;
  for await (const entry of entries) {
    if (entry.kind === "marker") {
      store.completeTxn(entry.producerId, entry.commit, entry.partition);
      continue;
    }
    count++;
    try {
      if (!applyRecord(store, entry)) skipped++;
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      skipped++;
      store.logger.warn({ error: error.message }, "skipping an unreadable __consumer_offsets record");
    }
  }
  for (const group of store.groups.values()) group.subscribedTopics = groupSubscribedTopics(group);
  return { records: count, skipped, groups: store.groups.size };
}

/** False for records of kinds this coordinator does not keep (e.g. Kafka's KIP-848 groups). */
function applyRecord(store: GroupStore, record: StoredEntry & { kind: "record" }): boolean {
  const key = decodeOffsetsTopicKey(record.key);
  if (key === undefined) return false;
  if (key.kind === "offset" && record.transactionalProducer !== undefined) {
    // A TxnOffsetCommit: pending until its transaction's marker (later in this partition).
    if (record.value === null) return true;
    const pending = store.pendingTxn.get(record.transactionalProducer) ?? [];
    pending.push({
      groupId: key.group,
      topic: key.topic,
      partition: key.partition,
      committed: decodeOffsetCommitValue(record.value),
    });
    store.pendingTxn.set(record.transactionalProducer, pending);
    return true;
  }
  if (key.kind === "offset") {
    if (record.value === null) {
      store.get(key.group)?.deleteOffset(key.topic, key.partition);
      return true;
    }
    store.getOrCreate(key.group).setOffset(key.topic, key.partition, decodeOffsetCommitValue(record.value));
    return true;
  }
  if (record.value === null) {
    store.groups.delete(key.group);
    return true;
  }
  const value = decodeGroupMetadataValue(record.value);
  const previous = store.get(key.group);
  const group = new ClassicGroup(key.group, Number(value.currentStateTimestamp));
  if (previous) for (const [topic, partitions] of previous.offsets) group.offsets.set(topic, partitions);
  restoreMetadata(group, value);
  store.groups.set(key.group, group);
  return true;
}

function restoreMetadata(group: ClassicGroup, value: GroupMetadataValue): void {
  for (const stored of value.members) {
    const member = new GroupMember({
      memberId: stored.memberId,
      groupInstanceId: stored.groupInstanceId,
      clientId: stored.clientId,
      clientHost: stored.clientHost,
      rebalanceTimeoutMs: stored.rebalanceTimeoutMs,
      sessionTimeoutMs: stored.sessionTimeoutMs,
      protocolType: value.protocolType,
      protocols: [{ name: value.protocol ?? "", metadata: stored.subscription }],
    });
    member.assignment = stored.assignment;
    group.add(member);
  }
  group.generationId = value.generation;
  group.protocolType = value.protocolType === "" ? null : value.protocolType;
  group.protocolName = value.protocol;
  group.leaderId = value.leader;
  // Restored directly (not a transition): a group with members resumes its last generation.
  group.state = value.members.length > 0 ? "Stable" : "Empty";
}
