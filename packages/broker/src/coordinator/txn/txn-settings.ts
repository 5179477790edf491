// The transaction coordinator's settings, read once from the broker configs (Kafka's names).

import type { BrokerConfig } from "../../config/broker-config.ts";
import type { TxnSettings } from "./txn-coordinator.ts";

export function txnSettingsFrom(config: BrokerConfig): TxnSettings {
  const n = (key: string) => Number(config.values[key]);
  return {
    maxTimeoutMs: n("transaction.max.timeout.ms"),
    abortTimedOutIntervalMs: n("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
    idExpirationMs: n("transactional.id.expiration.ms"),
    removeExpiredIntervalMs: n("transaction.remove.expired.transaction.cleanup.interval.ms"),
  };
}
