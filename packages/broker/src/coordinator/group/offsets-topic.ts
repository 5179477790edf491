// __consumer_offsets: the compacted topic holding group metadata and committed offsets.

import { StateTopic, type TopicHost } from "../state-topic.ts";

export const offsetsTopicName = "__consumer_offsets";

export function offsetsTopic(host: TopicHost): StateTopic {
  return new StateTopic(host, {
    name: offsetsTopicName,
    partitionsConfig: "offsets.topic.num.partitions",
    segmentBytesConfig: "offsets.topic.segment.bytes",
  });
}
