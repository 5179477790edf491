// Builds the transaction coordinator over this broker's __transaction_state, with markers that
// also settle transactional offsets in the group coordinator, and starts it (load + recovery).

import type { BrokerConfig } from "../../config/broker-config.ts";
import type { GroupCoordinator } from "../group/group-coordinator.ts";
import { offsetsTopicName } from "../group/offsets-topic.ts";
import type { TopicHost } from "../state-topic.ts";
import { ProducerIdManager } from "./producer-ids.ts";
import { transactionTopic } from "./transaction-topic.ts";
import { TransactionCoordinator } from "./txn-coordinator.ts";
import { MarkerWriter } from "./txn-markers.ts";
import { txnSettingsFrom } from "./txn-settings.ts";

export async function openTransactionCoordinator(
  host: TopicHost,
  config: BrokerConfig,
  groups: GroupCoordinator,
  dataDir: string,
): Promise<TransactionCoordinator> {
  const markers = new MarkerWriter({
    replicas: host.replicas,
    clock: host.clock,
    logger: host.logger,
    onMarker: (topic, partition, producerId, commit) => {
      if (topic === offsetsTopicName) groups.offsets.completeTransaction(producerId, commit, partition);
    },
  });
  const coordinator = new TransactionCoordinator({
    topic: transactionTopic(host),
    producerIds: await ProducerIdManager.open(dataDir),
    markers,
    settings: txnSettingsFrom(config),
    clock: host.clock,
    logger: host.logger,
  });
  await coordinator.start();
  return coordinator;
}
