// The part of the consumer protocol (protocol type "consumer") the coordinator reads: the topics a
// member subscribes to, from the subscription it sends in JoinGroup. Every version starts with the
// v0 layout (version, topics), so only that prefix is parsed, as Kafka does. OffsetDelete needs
// it: offsets of a topic the group still consumes cannot be deleted.

import { Reader } from "@nagare/protocol";
import type { ClassicGroup } from "./classic-group.ts";

export const consumerProtocolType = "consumer";

/** The subscribed topics, or undefined when the bytes are not a consumer subscription. */
export function subscriptionTopics(subscription: Buffer): string[] | undefined {
  try {
    const r = new Reader(subscription);
    r.int16(); // version: later versions only append fields
    const count = r.int32();
    r.checkCount(count, 2);
    const topics: string[] = [];
    for (let i = 0; i < count; i++) {
      const length = r.int16();
      if (length < 0) return undefined;
      topics.push(r.utf8(length));
    }
    return topics;
  } catch {
    return undefined;
  }
}

/**
 * Every topic the members of a consumer-protocol group subscribe to; undefined for other protocol
 * types, or when a subscription cannot be read (then no topic is known to be unused).
 */
export function groupSubscribedTopics(group: ClassicGroup): ReadonlySet<string> | undefined {
  if (group.protocolType !== consumerProtocolType) return undefined;
  const topics = new Set<string>();
  for (const member of group.members.values()) {
    const subscribed = subscriptionTopics(member.metadataFor(group.protocolName));
    if (subscribed === undefined) return undefined;
    for (const topic of subscribed) topics.add(topic);
  }
  return topics;
}
