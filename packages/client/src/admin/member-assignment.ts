// The partitions in a consumer-protocol member assignment (ConsumerProtocolAssignment: version,
// then topic → partitions; later versions only append fields), for DescribeGroups' view.

import { Reader } from "@nagare/protocol";
import type { TopicPartition } from "../types.ts";

export function decodeMemberAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  try {
    const r = new Reader(bytes);
    r.int16();
    const topics = r.int32();
    r.checkCount(topics, 6);
    const out: TopicPartition[] = [];
    for (let i = 0; i < topics; i++) {
      const topic = r.utf8(r.int16());
      const count = r.int32();
      r.checkCount(count, 4);
      for (let j = 0; j < count; j++) out.push({ topic, partition: r.int32() });
    }
    return out;
  } catch {
    return [];
  }
}
