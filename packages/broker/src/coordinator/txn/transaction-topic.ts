// __transaction_state: the compacted topic holding every transactional id's state.

import { StateTopic, type TopicHost } from "../state-topic.ts";

export const transactionTopicName = "__transaction_state";

export function transactionTopic(host: TopicHost): StateTopic {
  return new StateTopic(host, {
    name: transactionTopicName,
    partitionsConfig: "transaction.state.log.num.partitions",
    segmentBytesConfig: "transaction.state.log.segment.bytes",
  });
}
