// The group coordinator's settings, read once from the broker configs (Kafka's names).

import type { BrokerConfig } from "../../config/broker-config.ts";

export interface GroupSettings {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly initialRebalanceDelayMs: number;
  readonly maxSize: number;
  readonly offsetMetadataMaxBytes: number;
  readonly offsetsRetentionMs: number;
  readonly offsetsRetentionCheckIntervalMs: number;
}

export function groupSettingsFrom(config: BrokerConfig): GroupSettings {
  const n = (key: string) => Number(config.values[key]);
  return {
    minSessionTimeoutMs: n("group.min.session.timeout.ms"),
    maxSessionTimeoutMs: n("group.max.session.timeout.ms"),
    initialRebalanceDelayMs: n("group.initial.rebalance.delay.ms"),
    maxSize: n("group.max.size"),
    offsetMetadataMaxBytes: n("offset.metadata.max.bytes"),
    offsetsRetentionMs: n("offsets.retention.minutes") * 60_000,
    offsetsRetentionCheckIntervalMs: n("offsets.retention.check.interval.ms"),
  };
}
