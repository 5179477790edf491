// "cooperative-sticky" (Kafka's CooperativeStickyAssignor, KIP-429): a balanced assignment that
// keeps as many partitions as possible with their current owners, and never hands a partition
// straight from one member to another. A partition that must move is left out of this round's
// assignment: its owner sees it gone and revokes it, then rejoins, and the next round — in which
// nobody owns it — gives it to its new member.
//
// Ownership comes from each member's ownedPartitions (subscription v1+) with the generation they
// belong to (v2+, or the 4-byte generation this assignor puts in userData for older readers, as
// Kafka's does). When two members claim one partition, the newer generation wins (the other is a
// zombie that has not noticed it lost it); on a tie the first member in member order keeps it.
//
// Balance: unowned partitions go, in topic/partition order, to the eligible member holding the
// fewest; then partitions move from a member to an eligible one holding at least two fewer until
// no such move exists (each move lowers the sum of squared counts, so this ends). With identical
// subscriptions every member ends with ⌊n/m⌋ or ⌈n/m⌉ partitions.

import type { TopicPartition } from "../../types.ts";
import {
  compareMembers,
  comparePartitions,
  compareStrings,
  type GroupMember,
  type PartitionAssignor,
} from "./assignor.ts";

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/** The member's generation: the v2+ field, else the userData int32 (-1 when neither). */
export function memberGeneration(member: GroupMember): number {
  const { generationId, userData } = member.subscription;
  if (generationId >= 0) return generationId;
  if (userData !== null && userData.length >= 4) return userData.readInt32BE(0);
  return -1;
}

export const cooperativeStickyAssignor: PartitionAssignor = {
  name: "cooperative-sticky",
  supportedProtocols: ["eager", "cooperative"],
  subscriptionUserData(generation) {
    const data = Buffer.allocUnsafe(4);
    data.writeInt32BE(generation);
    return data;
  },
  assign(partitionsPerTopic, members) {
    const sorted = [...members].sort(compareMembers);
    const subscribes = (m: GroupMember, topic: string) => m.subscription.topics.includes(topic);
    const exists = (tp: TopicPartition) =>
      tp.partition >= 0 && tp.partition < (partitionsPerTopic.get(tp.topic) ?? 0);

    // Current owners: the newest generation's claim on each partition.
    const owner = new Map<string, { memberId: string; generation: number }>();
    for (const member of sorted) {
      const generation = memberGeneration(member);
      for (const tp of member.subscription.ownedPartitions) {
        if (!exists(tp) || !subscribes(member, tp.topic)) continue;
        const current = owner.get(key(tp));
        if (current === undefined || generation > current.generation)
          owner.set(key(tp), { memberId: member.memberId, generation });
      }
    }

    const assignment = new Map<string, TopicPartition[]>(sorted.map((m) => [m.memberId, []]));
    const all: TopicPartition[] = [];
    for (const topic of [...partitionsPerTopic.keys()].sort(compareStrings))
      for (let partition = 0; partition < (partitionsPerTopic.get(topic) ?? 0); partition++)
        all.push({ topic, partition });

    const unowned: TopicPartition[] = [];
    for (const tp of all) {
      if (!sorted.some((m) => subscribes(m, tp.topic))) continue;
      const current = owner.get(key(tp));
      if (current) assignment.get(current.memberId)?.push(tp);
      else unowned.push(tp);
    }

    const count = (m: GroupMember) => assignment.get(m.memberId)?.length ?? 0;
    const leastLoaded = (topic: string, below = Number.POSITIVE_INFINITY): GroupMember | undefined => {
      let best: GroupMember | undefined;
      for (const m of sorted)
        if (subscribes(m, topic) && count(m) < below && (best === undefined || count(m) < count(best)))
          best = m;
      return best;
    };

    for (const tp of unowned) {
      const target = leastLoaded(tp.topic);
      if (target) assignment.get(target.memberId)?.push(tp);
    }

    // Move partitions from the most loaded members while a move narrows the gap.
    for (let moved = true; moved; ) {
      moved = false;
      const byLoad = [...sorted].sort((a, b) => count(b) - count(a) || compareMembers(a, b));
      for (const source of byLoad) {
        const list = assignment.get(source.memberId) ?? [];
        // Prefer giving away partitions the source did not own before (fresh ones move for free).
        const candidates = [...list].sort(
          (a, b) =>
            Number(owner.get(key(a))?.memberId === source.memberId) -
              Number(owner.get(key(b))?.memberId === source.memberId) || comparePartitions(b, a),
        );
        for (const tp of candidates) {
          const target = leastLoaded(tp.topic, count(source) - 1);
          if (!target) continue;
          list.splice(list.indexOf(tp), 1);
          assignment.get(target.memberId)?.push(tp);
          moved = true;
          break;
        }
        if (moved) break;
      }
    }

    // KIP-429: a partition still owned by another member is withheld until that member revokes it.
    for (const [memberId, list] of assignment) {
      const kept = list.filter((tp) => {
        const current = owner.get(key(tp));
        return current === undefined || current.memberId === memberId;
      });
      assignment.set(memberId, kept.sort(comparePartitions));
    }
    return assignment;
  },
};
