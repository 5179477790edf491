// The replica manager of a single broker: every partition of every topic is hosted here, led at
// epoch 0. It opens partition logs through the LogManager with the topic's LogConfig (broker
// log.* defaults overlaid with the topic's overrides), keeps the Partition objects, and owns the
// fetch purgatory and the fetch session cache.

import { type LogConfig, type LogManager, logConfigDefs, parseLogConfig } from "@nagare/storage";
import { type BrokerConfig, topicConfigDefaults } from "../config/broker-config.ts";
import type { Logger } from "../logger.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import { FetchPurgatory } from "./fetch-purgatory.ts";
import { FetchSessionCache } from "./fetch-sessions.ts";
import { LocalPartition, partitionKey } from "./partition.ts";
import type { Partition, ReplicaManager } from "./replica-manager.ts";

export interface ReplicaManagerOptions {
  readonly logs: LogManager;
  readonly config: BrokerConfig;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Parked fetches at most (default 10,000). */
  readonly maxDelayedFetches?: number;
  /** max.incremental.fetch.session.cache.slots (1000). */
  readonly maxFetchSessions?: number;
}

/**
 * A topic's LogConfig: the broker's defaults (log.* → topic names) overlaid with the topic's
 * overrides. Topic configs storage does not know (min.insync.replicas, compression.type …) are
 * not log settings and are skipped here.
 */
export function topicLogConfig(config: BrokerConfig, overrides: Readonly<Record<string, string>>): LogConfig {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...topicConfigDefaults(config), ...overrides }))
    if (logConfigDefs[key]) values[key] = value;
  return parseLogConfig(values);
}

export function createReplicaManager(options: ReplicaManagerOptions): ReplicaManager {
  return new LocalReplicaManager(options);
}

class LocalReplicaManager implements ReplicaManager {
  readonly fetchSessions: FetchSessionCache;
  private readonly logs: LogManager;
  private readonly config: BrokerConfig;
  private readonly logger: Logger;
  private readonly purgatory: FetchPurgatory;
  private readonly partitions = new Map<string, LocalPartition>();

  constructor(options: ReplicaManagerOptions) {
    this.logs = options.logs;
    this.config = options.config;
    this.logger = options.logger;
    this.purgatory = new FetchPurgatory(
      options.maxDelayedFetches === undefined ? {} : { maxWaiting: options.maxDelayedFetches },
    );
    this.fetchSessions = new FetchSessionCache({
      clock: options.clock,
      ...(options.maxFetchSessions === undefined ? {} : { maxSessions: options.maxFetchSessions }),
    });
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.partitions.get(partitionKey(topic, index));
  }

  async ensurePartitions(topic: TopicMetadata): Promise<void> {
    const config = topicLogConfig(this.config, topic.configs);
    const missing: number[] = [];
    for (let index = 0; index < topic.partitions; index++)
      if (!this.partitions.has(partitionKey(topic.name, index))) missing.push(index);
    await Promise.all(
      missing.map(async (index) => {
        const existing = this.logs.getLog(topic.name, index);
        const log = existing ?? (await this.logs.createLog(topic.name, index, config));
        // A log loaded at start-up was opened with the default config.
        if (existing) existing.updateConfig(config);
        const key = partitionKey(topic.name, index);
        if (this.partitions.has(key)) return; // opened by a concurrent call
        this.partitions.set(
          key,
          new LocalPartition({
            topic: topic.name,
            index,
            log,
            onAppend: (partition, bytes) => this.purgatory.onAppend(partition.key, bytes),
          }),
        );
      }),
    );
  }

  async removeTopic(name: string): Promise<void> {
    const indexes = new Set<number>();
    for (const partition of this.partitions.values())
      if (partition.topic === name) indexes.add(partition.index);
    for (const { topic, partition } of this.logs.allLogs()) if (topic === name) indexes.add(partition);
    for (const index of indexes) {
      const key = partitionKey(name, index);
      this.partitions.delete(key);
      this.purgatory.onRemoved(key);
    }
    for (const index of [...indexes].sort((a, b) => a - b)) await this.logs.deleteLog(name, index);
    if (indexes.size > 0)
      this.logger.info({ topic: name, partitions: indexes.size }, "topic partitions removed");
  }

  updateTopicConfig(topic: TopicMetadata): void {
    this.logs.updateConfig(topic.name, topicLogConfig(this.config, topic.configs));
  }

  async awaitAppends(
    partitions: readonly { readonly topic: string; readonly partition: number }[],
    bytes: number,
    maxWaitMs: number,
  ): Promise<void> {
    await this.purgatory.wait(
      partitions.map((p) => partitionKey(p.topic, p.partition)),
      bytes,
      maxWaitMs,
    );
  }

  async close(): Promise<void> {
    this.purgatory.close();
    this.fetchSessions.clear();
    this.partitions.clear();
  }
}
