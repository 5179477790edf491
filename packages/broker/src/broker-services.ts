// What handlers reach the broker's state through. One instance per broker; every piece is owned
// by the event loop (no locks), partitions serialise their own mutations.

import type { LogManager } from "@nagare/storage";
import type { BrokerConfig } from "./config/broker-config.ts";
import type { GroupCoordinator } from "./coordinator/group/group-coordinator.ts";
import type { TransactionCoordinator } from "./coordinator/txn/txn-coordinator.ts";
import type { HandlerRegistry } from "./dispatch/registry.ts";
import type { Logger } from "./logger.ts";
import type { MetadataImage } from "./metadata/metadata-image.ts";
import type { ReplicaManager } from "./replica/replica-manager.ts";

export interface BrokerServices {
  readonly config: BrokerConfig;
  readonly clusterId: string;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly registry: HandlerRegistry;
  readonly logs: LogManager;
  /** Topics, partitions, topic ids and configs (persisted). */
  readonly metadata: MetadataImage;
  /** Partitions hosted here: their logs, high watermarks, delayed fetches. */
  readonly replicas: ReplicaManager;
  /** Consumer groups and committed offsets (state in __consumer_offsets). */
  readonly groups: GroupCoordinator;
  /** Producer ids, transactions and their markers (state in __transaction_state). */
  readonly transactions: TransactionCoordinator;
}
