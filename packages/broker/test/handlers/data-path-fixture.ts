// Test support for the data-path handlers: real storage in a temp dir, the real replica manager,
// and a minimal in-memory MetadataImage stand-in (the embedded one is tested on its own). `call`
// round-trips requests and responses through the codec at the given version, as the wire does.

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  type ApiDecl,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type RequestInput,
  type RequestValue,
  type ResponseValue,
} from "@nagare/protocol";
import { defaultLogConfig, LogManager } from "@nagare/storage";
import type { BrokerServices } from "../../src/broker-services.ts";
import { resolveBrokerConfig } from "../../src/config/broker-config.ts";
import { GroupCoordinator } from "../../src/coordinator/group/group-coordinator.ts";
import { openTransactionCoordinator } from "../../src/coordinator/txn/open-txn-coordinator.ts";
import type { Handler, RequestContext } from "../../src/dispatch/handler.ts";
import { HandlerRegistry } from "../../src/dispatch/registry.ts";
import { silentLogger } from "../../src/logger.ts";
import type { MetadataImage, TopicMetadata } from "../../src/metadata/metadata-image.ts";
import { createReplicaManager } from "../../src/replica/local-replica-manager.ts";
import type { ReplicaManager } from "../../src/replica/replica-manager.ts";

class TestMetadata implements MetadataImage {
  readonly nodeId = 1;
  private readonly byName = new Map<string, TopicMetadata>();

  topic(name: string): TopicMetadata | undefined {
    return this.byName.get(name);
  }
  topicById(topicId: string): TopicMetadata | undefined {
    return [...this.byName.values()].find((t) => t.topicId === topicId);
  }
  topics(): readonly TopicMetadata[] {
    return [...this.byName.values()];
  }
  async createTopic(name: string, partitions: number, configs: Readonly<Record<string, string>>) {
    const topic = { name, topicId: randomUUID(), partitions, configs, internal: name.startsWith("__") };
    this.byName.set(name, topic);
    return topic;
  }
  async deleteTopic(name: string): Promise<void> {
    this.byName.delete(name);
  }
  async createPartitions(name: string, totalPartitions: number): Promise<TopicMetadata> {
    const topic = { ...(this.byName.get(name) as TopicMetadata), partitions: totalPartitions };
    this.byName.set(name, topic);
    return topic;
  }
  async setTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<TopicMetadata> {
    const topic = { ...(this.byName.get(name) as TopicMetadata), configs };
    this.byName.set(name, topic);
    return topic;
  }
  async close(): Promise<void> {}
}

export interface DataPath {
  readonly services: BrokerServices;
  readonly dir: string;
  /** Creates the topic and opens its partitions, as CreateTopics does. */
  createTopic(name: string, partitions?: number, configs?: Record<string, string>): Promise<TopicMetadata>;
}

export async function dataPath(
  t: TestContext,
  options: {
    clock?: () => number;
    replicas?: (inner: ReplicaManager) => ReplicaManager;
    /** Broker config overrides (Kafka names). */
    config?: Record<string, string>;
  } = {},
): Promise<DataPath> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-data-path-"));
  const clock = options.clock ?? Date.now;
  const config = resolveBrokerConfig({ overrides: { "log.dirs": dir, ...options.config } });
  const quiet = { info() {}, warn() {}, error() {} };
  const logs = await LogManager.open({
    logDirs: [dir],
    defaultConfig: defaultLogConfig,
    clock,
    logger: quiet,
    cleaner: { enable: false },
  });
  const inner = createReplicaManager({ logs, config, clock, logger: silentLogger });
  const replicas = options.replicas ? options.replicas(inner) : inner;
  const metadata = new TestMetadata();
  const host = { metadata, logs, replicas, logger: silentLogger, config, clock };
  const groups = await GroupCoordinator.open(host, config);
  const transactions = await openTransactionCoordinator(host, config, groups, dir);
  t.after(async () => {
    await groups.stop();
    await transactions.stop();
    await inner.close();
    await logs.close();
    await rm(dir, { recursive: true, force: true });
  });
  const services: BrokerServices = {
    config,
    clusterId: "test-cluster",
    clock,
    logger: silentLogger,
    registry: new HandlerRegistry([]),
    logs,
    metadata,
    replicas,
    groups,
    transactions,
  };
  return {
    services,
    dir,
    async createTopic(name, partitions = 1, configs = {}) {
      const topic = await metadata.createTopic(name, partitions, configs);
      await replicas.ensurePartitions(topic);
      return topic;
    },
  };
}

let correlationId = 0;

/** Encodes `body` at `version`, decodes it as the broker would, handles it, round-trips the answer. */
export async function call<A extends ApiDecl>(
  handler: Handler<A>,
  services: BrokerServices,
  version: number,
  body: RequestInput<A>,
  clientId: string | null = "test-client",
): Promise<ResponseValue<A> | undefined> {
  const header = { apiVersion: version, correlationId: ++correlationId, clientId };
  const frame = Buffer.concat(encodeRequest(handler.api, header, body)).subarray(4);
  const decoded = decodeRequest(frame, () => handler.api);
  const ctx: RequestContext = {
    header: decoded.header,
    apiVersion: version,
    connection: { id: 1, remoteAddress: "127.0.0.1", listenerName: "PLAINTEXT" },
    services,
  };
  const response = await handler.handle(decoded.body as RequestValue<A>, ctx);
  if (response === undefined) return undefined;
  const out = Buffer.concat(
    encodeResponse(handler.api, version, { correlationId: header.correlationId }, response),
  );
  return decodeResponse(handler.api, version, out.subarray(4)).body;
}
