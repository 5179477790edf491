// The client's view of a Kafka cluster: bootstrap, a metadata cache refreshed on demand (after
// errors that mean it is stale) and on a timer (metadata.max.age.ms), one connection per broker
// (reconnected with exponential backoff and jitter), partition leaders and coordinators.

import { FindCoordinator, Metadata } from "@nagare/protocol";
import { type BrokerAddress, BrokerConnection } from "../connection/broker-connection.ts";
import { KafkaConnectionError, KafkaProtocolError } from "../errors.ts";
import { backoffDelay, sleep } from "../retry.ts";

export interface ClusterOptions {
  /** `host:port` list. */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Default 300000 (Kafka's metadata.max.age.ms). */
  readonly metadataMaxAgeMs?: number;
  /** Retries of a failed request before the error reaches the caller (default 5). */
  readonly retries?: number;
  /** Kafka's retry.backoff.ms (default 100) and retry.backoff.max.ms (default 1000). */
  readonly retryBackoffMs?: number;
  readonly retryBackoffMaxMs?: number;
}

export interface PartitionInfo {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the partition has no leader right now. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly errorCode: number;
}

export interface TopicInfo {
  readonly name: string;
  readonly topicId: string;
  readonly isInternal: boolean;
  readonly errorCode: number;
  readonly partitions: readonly PartitionInfo[];
}

export interface BrokerInfo extends BrokerAddress {
  readonly nodeId: number;
  readonly rack: string | null;
}

export interface MetadataSnapshot {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: ReadonlyMap<number, BrokerInfo>;
  readonly topics: ReadonlyMap<string, TopicInfo>;
  readonly fetchedAt: number;
}

export type CoordinatorType = "group" | "transaction";

export function parseBrokerList(brokers: readonly string[]): BrokerAddress[] {
  return brokers.map((entry) => {
    const at = entry.lastIndexOf(":");
    const host = at > 0 ? entry.slice(0, at) : entry;
    const port = at > 0 ? Number(entry.slice(at + 1)) : 9092;
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new KafkaConnectionError(`invalid broker address "${entry}": expected host:port`);
    return { host: host.replace(/^\[|\]$/g, ""), port };
  });
}

export class Cluster {
  readonly clientId: string;
  private readonly options: ClusterOptions;
  private readonly bootstrap: BrokerAddress[];
  private readonly connections = new Map<string, Promise<BrokerConnection>>();
  private snapshot: MetadataSnapshot | undefined;
  private refreshing: Promise<MetadataSnapshot> | undefined;
  /** Topics the client uses: a refresh asks for these (all topics when undefined). */
  private readonly interest = new Set<string>();
  private readonly coordinators = new Map<string, number>();
  private closed = false;

  constructor(options: ClusterOptions) {
    this.options = options;
    this.clientId = options.clientId ?? "nagare";
    this.bootstrap = parseBrokerList(options.brokers);
    if (this.bootstrap.length === 0) throw new KafkaConnectionError("no bootstrap brokers given");
  }

  get retries(): number {
    return this.options.retries ?? 5;
  }

  /** Delay before retry number `attempt` (0-based): exponential with ±20% jitter. */
  backoff(attempt: number): number {
    return backoffDelay(attempt, this.options.retryBackoffMs ?? 100, this.options.retryBackoffMaxMs ?? 1000);
  }

  private key(address: BrokerAddress): string {
    return `${address.host}:${address.port}`;
  }

  /** The connection to an address, opened on first use and reopened after it closed. */
  connectTo(address: BrokerAddress): Promise<BrokerConnection> {
    if (this.closed) return Promise.reject(new KafkaConnectionError("the client is closed"));
    const key = this.key(address);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const opening = BrokerConnection.connect({
      ...address,
      clientId: this.clientId,
      ...(this.options.requestTimeoutMs !== undefined
        ? { requestTimeoutMs: this.options.requestTimeoutMs }
        : {}),
      ...(this.options.connectTimeoutMs !== undefined
        ? { connectTimeoutMs: this.options.connectTimeoutMs }
        : {}),
    });
    this.connections.set(key, opening);
    opening.then(
      (connection) =>
        connection.onClose(() => {
          if (this.connections.get(key) === opening) this.connections.delete(key);
        }),
      () => {
        if (this.connections.get(key) === opening) this.connections.delete(key);
      },
    );
    return opening;
  }

  /** A connection to the broker with this node id (from the metadata). */
  async connectToNode(nodeId: number): Promise<BrokerConnection> {
    let broker = (await this.metadata()).brokers.get(nodeId);
    if (!broker) broker = (await this.refresh()).brokers.get(nodeId);
    if (!broker) throw new KafkaConnectionError(`broker ${nodeId} is not in the cluster metadata`);
    return this.connectTo(broker);
  }

  /** Any live broker: a known one, else a bootstrap address (tried in turn). */
  async anyConnection(): Promise<BrokerConnection> {
    for (const pending of this.connections.values()) {
      const connection = await pending.catch(() => undefined);
      if (connection && !connection.closed) return connection;
    }
    const candidates = [...(this.snapshot?.brokers.values() ?? []), ...this.bootstrap];
    let last: unknown;
    for (const address of candidates) {
      try {
        return await this.connectTo(address);
      } catch (error) {
        last = error;
      }
    }
    throw new KafkaConnectionError(
      `no broker reachable (tried ${candidates.map((a) => this.key(a)).join(", ")})`,
      {
        cause: last,
      },
    );
  }

  /** Adds topics to those a refresh asks for. */
  addTopics(topics: Iterable<string>): void {
    for (const topic of topics) this.interest.add(topic);
  }

  /** Cached metadata, refreshed when older than metadata.max.age.ms or missing `topics`. */
  async metadata(topics: readonly string[] = []): Promise<MetadataSnapshot> {
    this.addTopics(topics);
    return this.cachedMetadata(topics) ?? this.refresh();
  }

  /** The cached metadata when metadata() would return it without a request, else undefined. */
  cachedMetadata(topics: readonly string[] = []): MetadataSnapshot | undefined {
    const snapshot = this.snapshot;
    const maxAge = this.options.metadataMaxAgeMs ?? 300_000;
    if (snapshot && Date.now() - snapshot.fetchedAt < maxAge && topics.every((t) => snapshot.topics.has(t)))
      return snapshot;
    return undefined;
  }

  /** Fetches metadata now (one request at a time; concurrent callers share it). */
  refresh(): Promise<MetadataSnapshot> {
    this.refreshing ??= this.fetchMetadata().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchMetadata(): Promise<MetadataSnapshot> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      try {
        const connection = await this.anyConnection();
        const topics =
          this.interest.size > 0 ? [...this.interest].map((name) => ({ name, topicId: zeroUuid })) : null;
        const response = await connection.send(Metadata, {
          topics,
          allowAutoTopicCreation: true,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        });
        this.snapshot = toSnapshot(response);
        return this.snapshot;
      } catch (error) {
        last = error;
        if (error instanceof KafkaProtocolError && !error.retriable) throw error;
        await sleep(this.backoff(attempt));
      }
    }
    throw last;
  }

  /** Every topic of the cluster, fetched now (Metadata for all topics; nothing is created or cached). */
  async allTopics(): Promise<Map<string, TopicInfo>> {
    const connection = await this.anyConnection();
    const response = await connection.send(Metadata, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    return topicsFromMetadata(response);
  }

  /** The partition's leader, refreshing metadata while there is none (bounded retries). */
  async leaderFor(topic: string, partition: number): Promise<number> {
    let snapshot = await this.metadata([topic]);
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const info = snapshot.topics.get(topic)?.partitions.find((p) => p.partition === partition);
      if (info && info.leader >= 0) return info.leader;
      await sleep(this.backoff(attempt));
      snapshot = await this.refresh();
    }
    throw new KafkaProtocolError(5, `no leader for ${topic}-${partition}`); // LEADER_NOT_AVAILABLE
  }

  /** The group or transaction coordinator for `key`, cached until `forgetCoordinator`. */
  async coordinator(type: CoordinatorType, key: string): Promise<BrokerConnection> {
    const cacheKey = `${type}:${key}`;
    const known = this.coordinators.get(cacheKey);
    if (known !== undefined) return this.connectToNode(known);
    let last: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      try {
        const connection = await this.anyConnection();
        const version = connection.versionFor(FindCoordinator);
        const keyType = type === "group" ? 0 : 1;
        const response = await connection.send(FindCoordinator, { key, keyType, coordinatorKeys: [key] });
        const answer =
          version !== undefined && version >= 4
            ? (response.coordinators[0] ?? { errorCode: 15, nodeId: -1 })
            : { errorCode: response.errorCode, nodeId: response.nodeId };
        if (answer.errorCode !== 0)
          throw new KafkaProtocolError(answer.errorCode, `FindCoordinator ${type} ${key}`);
        this.coordinators.set(cacheKey, answer.nodeId);
        return await this.connectToNode(answer.nodeId);
      } catch (error) {
        last = error;
        if (error instanceof KafkaProtocolError && !error.retriable) throw error;
        await sleep(this.backoff(attempt));
      }
    }
    throw last;
  }

  /** After NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE: look it up again next time. */
  forgetCoordinator(type: CoordinatorType, key: string): void {
    this.coordinators.delete(`${type}:${key}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const pending of all) (await pending.catch(() => undefined))?.close();
  }
}

const zeroUuid = "00000000-0000-0000-0000-000000000000";

function toSnapshot(response: import("@nagare/protocol").MetadataResponse): MetadataSnapshot {
  const brokers = new Map<number, BrokerInfo>(
    response.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack }]),
  );
  return {
    clusterId: response.clusterId,
    controllerId: response.controllerId,
    brokers,
    topics: topicsFromMetadata(response),
    fetchedAt: Date.now(),
  };
}

/** The topics of a Metadata response, partitions in index order. */
export function topicsFromMetadata(
  response: import("@nagare/protocol").MetadataResponse,
): Map<string, TopicInfo> {
  const topics = new Map<string, TopicInfo>();
  for (const t of response.topics) {
    if (t.name === null) continue;
    topics.set(t.name, {
      name: t.name,
      topicId: t.topicId,
      isInternal: t.isInternal,
      errorCode: t.errorCode,
      partitions: t.partitions
        .map((p) => ({
          topic: t.name as string,
          partition: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          errorCode: p.errorCode,
        }))
        .sort((a, b) => a.partition - b.partition),
    });
  }
  return topics;
}
