// "range" (Kafka's RangeAssignor, the Java client's first default): per topic, the members that
// subscribe to it in member order each take a contiguous range; the first `partitions % members`
// take one extra. Eager only.

import type { TopicPartition } from "../../types.ts";
import {
  compareMembers,
  compareStrings,
  emptyAssignment,
  type GroupMember,
  type PartitionAssignor,
} from "./assignor.ts";

export const rangeAssignor: PartitionAssignor = {
  name: "range",
  supportedProtocols: ["eager"],
  assign(partitionsPerTopic, members) {
    const result = emptyAssignment(members);
    const sorted = [...members].sort(compareMembers);
    const topics = [...partitionsPerTopic.keys()].sort(compareStrings);
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic) ?? 0;
      const consumers = sorted.filter((m) => m.subscription.topics.includes(topic));
      if (consumers.length === 0) continue;
      const quota = Math.floor(count / consumers.length);
      const extra = count % consumers.length;
      consumers.forEach((member: GroupMember, i) => {
        const start = quota * i + Math.min(i, extra);
        const length = quota + (i < extra ? 1 : 0);
        const list = result.get(member.memberId) as TopicPartition[];
        for (let p = start; p < start + length; p++) list.push({ topic, partition: p });
      });
    }
    return result;
  },
};
