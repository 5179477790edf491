// "roundrobin" (Kafka's RoundRobinAssignor): every partition of every subscribed topic, sorted by
// topic then partition, dealt in turn to the members in member order, skipping members that do
// not subscribe to the partition's topic. Eager only.

import type { TopicPartition } from "../../types.ts";
import { compareMembers, compareStrings, emptyAssignment, type PartitionAssignor } from "./assignor.ts";

export const roundRobinAssignor: PartitionAssignor = {
  name: "roundrobin",
  supportedProtocols: ["eager"],
  assign(partitionsPerTopic, members) {
    const result = emptyAssignment(members);
    const sorted = [...members].sort(compareMembers);
    if (sorted.length === 0) return result;
    let next = 0;
    for (const topic of [...partitionsPerTopic.keys()].sort(compareStrings)) {
      const count = partitionsPerTopic.get(topic) ?? 0;
      if (!sorted.some((m) => m.subscription.topics.includes(topic))) continue;
      for (let partition = 0; partition < count; partition++) {
        // The circular iterator advances past members that do not subscribe to this topic.
        while (!(sorted[next % sorted.length]?.subscription.topics.includes(topic) ?? false)) next++;
        const member = sorted[next % sorted.length];
        next++;
        if (member) (result.get(member.memberId) as TopicPartition[]).push({ topic, partition });
      }
    }
    return result;
  },
};
