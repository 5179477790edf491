// A broker without the network for the topic handler tests: real embedded metadata, a real
// LogManager on a temp dir and the real replica manager, requests encoded at a chosen version,
// run through the real dispatcher (so version-dependent fields and error responses are exercised)
// and the response decoded again.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  type ApiDecl,
  decodeResponse,
  encodeRequest,
  type RequestInput,
  type ResponseValue,
} from "@nagare/protocol";
import { LogManager } from "@nagare/storage";
import type { BrokerServices } from "../../src/broker-services.ts";
import { resolveBrokerConfig } from "../../src/config/broker-config.ts";
import { GroupCoordinator } from "../../src/coordinator/group/group-coordinator.ts";
import { openTransactionCoordinator } from "../../src/coordinator/txn/open-txn-coordinator.ts";
import { Dispatcher } from "../../src/dispatch/dispatcher.ts";
import { HandlerRegistry } from "../../src/dispatch/registry.ts";
import { configHandlers } from "../../src/handlers/config-handlers.ts";
import { topicHandlers } from "../../src/handlers/topic-handlers.ts";
import { silentLogger } from "../../src/logger.ts";
import { openEmbeddedMetadata } from "../../src/metadata/embedded-metadata.ts";
import { createReplicaManager, topicLogConfig } from "../../src/replica/local-replica-manager.ts";

export interface TopicBroker {
  readonly services: BrokerServices;
  readonly dir: string;
  call<A extends ApiDecl>(api: A, version: number, body: RequestInput<A>): Promise<ResponseValue<A>>;
  /** Closes everything (also done after the test); the data dir stays until the test ends. */
  close(): Promise<void>;
}

const quietStorage = { info() {}, warn() {}, error() {} };

/** Brokers to close before a test's temp dirs are removed (after-hooks run in registration order). */
const openBrokers = new WeakMap<TestContext, (() => Promise<void>)[]>();

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-topics-"));
  t.after(async () => {
    for (const close of openBrokers.get(t) ?? []) await close();
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Starts the pieces on `dir` (a fresh temp dir when omitted) with config overrides. */
export async function topicBroker(
  t: TestContext,
  overrides: Record<string, string> = {},
  dataDir?: string,
): Promise<TopicBroker> {
  const dir = dataDir ?? (await tempDir(t));
  const config = resolveBrokerConfig({ overrides: { "log.dirs": dir, ...overrides } });
  const clock = Date.now;
  const { metadata, clusterId } = await openEmbeddedMetadata({ dir, nodeId: config.nodeId, clock });
  const logs = await LogManager.open({
    logDirs: [dir],
    defaultConfig: topicLogConfig(config, {}),
    configFor: (topic) => topicLogConfig(config, metadata.topic(topic)?.configs ?? {}),
    clock,
    logger: quietStorage,
  });
  const replicas = createReplicaManager({ logs, config, clock, logger: silentLogger });
  for (const topic of metadata.topics()) await replicas.ensurePartitions(topic);
  const host = { metadata, logs, replicas, logger: silentLogger, config, clock };
  const groups = await GroupCoordinator.open(host, config);
  const transactions = await openTransactionCoordinator(host, config, groups, dir);
  const services: BrokerServices = {
    config,
    clusterId,
    clock,
    logger: silentLogger,
    registry: new HandlerRegistry([...topicHandlers, ...configHandlers]),
    logs,
    metadata,
    replicas,
    groups,
    transactions,
  };
  const dispatcher = new Dispatcher(services);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await groups.stop();
      await transactions.stop();
      await replicas.close();
      await logs.close();
      await metadata.close();
    })();
    return closing;
  };
  openBrokers.set(t, [...(openBrokers.get(t) ?? []), close]);
  t.after(close);
  let correlationId = 0;
  return {
    services,
    dir,
    close,
    async call(api, version, body) {
      const request = Buffer.concat(
        encodeRequest(
          api,
          { apiVersion: version, correlationId: ++correlationId, clientId: "topic-test" },
          body,
        ),
      ).subarray(4);
      const chunks = await dispatcher.handle(request, {
        id: 1,
        remoteAddress: "127.0.0.1",
        listenerName: "PLAINTEXT",
      });
      if (!chunks) throw new Error(`${api.name} v${version} sent no response`);
      return decodeResponse(api, version, Buffer.concat(chunks).subarray(4)).body;
    },
  };
}
