// The broker: opens metadata and storage, hosts the partitions, binds the listeners, dispatches
// requests. `stop()` is the graceful shutdown: stop accepting, answer in-flight requests, close the
// logs (fsync), write checkpoints and the clean-shutdown marker.

import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { LogManager, parseLogConfig } from "@nagare/storage";
import type { BrokerServices } from "./broker-services.ts";
import { type BrokerConfig, topicConfigDefaults } from "./config/broker-config.ts";
import type { ListenerSpec } from "./config/listeners.ts";
import { GroupCoordinator } from "./coordinator/group/group-coordinator.ts";
import { openTransactionCoordinator } from "./coordinator/txn/open-txn-coordinator.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { Dispatcher } from "./dispatch/dispatcher.ts";
import { HandlerRegistry } from "./dispatch/registry.ts";
import { allHandlers } from "./handlers/index.ts";
import { type Logger, RateLimitedLog } from "./logger.ts";
import { openEmbeddedMetadata } from "./metadata/embedded-metadata.ts";
import { Operations } from "./metrics/operations.ts";
import { Listeners } from "./net/listeners.ts";
import { createReplicaManager, topicLogConfig } from "./replica/local-replica-manager.ts";

export interface BrokerOptions {
  readonly logger: Logger;
  readonly clock?: () => number;
}

const shutdownGraceMs = 10_000;

export class Broker {
  readonly services: BrokerServices;
  /** Listeners as bound (port 0 resolved). */
  readonly listeners: readonly ListenerSpec[];
  private readonly net: Listeners;
  private stopping: Promise<void> | undefined;

  private readonly unlocks: readonly (() => Promise<void>)[];
  /** Metrics and the /metrics, /health, /ready HTTP server (nagare.http.listener); none when disabled. */
  readonly operations: Operations | undefined;

  private constructor(
    services: BrokerServices,
    listeners: readonly ListenerSpec[],
    net: Listeners,
    unlocks: readonly (() => Promise<void>)[],
    operations: Operations | undefined,
  ) {
    this.services = services;
    this.listeners = listeners;
    this.net = net;
    this.unlocks = unlocks;
    this.operations = operations;
  }

  static async start(config: BrokerConfig, options: BrokerOptions): Promise<Broker> {
    const clock = options.clock ?? Date.now;
    const logger = options.logger;
    // Listeners are bound before any data is touched: a port in use fails the start cleanly.
    // Connections that arrive while storage opens are closed; clients retry.
    const net = new Listeners();
    let dispatcher: Dispatcher | undefined;
    const badInputLog = new RateLimitedLog(logger);
    const bound = await net.bind(config.listeners, () =>
      dispatcher
        ? {
            dispatcher,
            maxRequestBytes: config.socketRequestMaxBytes,
            idleMs: config.connectionsMaxIdleMs,
            maxInFlight: 100,
            maxPendingResponseBytes: 64 * 1024 * 1024,
            logger,
            badInputLog,
            clock,
          }
        : undefined,
    );
    const unlocks: (() => Promise<void>)[] = [];
    let operations: Operations | undefined;
    try {
      // /health answers from here on; /ready once the broker has started (attach below).
      operations = await Operations.start({
        listener: config.values["nagare.http.listener"],
        connectionCount: () => net.connectionCount,
        logger,
      });
      const logDirs = config.logDirs.map((dir) => resolve(dir));
      for (const dir of logDirs) {
        await mkdir(dir, { recursive: true });
        unlocks.push(await lockDataDir(dir));
      }
      const { metadata, clusterId } = await openEmbeddedMetadata({
        dir: logDirs[0] as string,
        nodeId: config.nodeId,
        clock,
      });
      const logs = await LogManager.open({
        logDirs,
        defaultConfig: parseLogConfig(topicConfigDefaults(config)),
        configFor: (topic) => topicLogConfig(config, metadata.topic(topic)?.configs ?? {}),
        clock,
        logger: {
          info: (message, fields) => logger.info(fields ?? {}, message),
          warn: (message, fields) => logger.warn(fields ?? {}, message),
          error: (message, fields) => logger.error(fields ?? {}, message),
        },
        intervals: intervalsFrom(config),
        producerIdExpirationMs: Number(config.values["producer.id.expiration.ms"]),
        cleaner: { enable: config.values["log.cleaner.enable"] === "true" },
      });
      const replicas = createReplicaManager({ logs, config, clock, logger });
      for (const topic of metadata.topics()) await replicas.ensurePartitions(topic);
      const host = { metadata, logs, replicas, logger, config, clock };
      const groups = await GroupCoordinator.open(host, config);
      const transactions = await openTransactionCoordinator(host, config, groups, logDirs[0] as string);
      const boundSpecs = bound.map(({ spec, port }) => ({ ...spec, port }));
      // An advertised listener on port 0 means "the port the same-named listener got".
      const advertisedListeners = config.advertisedListeners.map((spec) =>
        spec.port === 0 ? { ...spec, port: bound.find((b) => b.spec.name === spec.name)?.port ?? 0 } : spec,
      );
      const services: BrokerServices = {
        config: { ...config, advertisedListeners },
        clusterId,
        clock,
        logger,
        registry: new HandlerRegistry(allHandlers),
        logs,
        metadata,
        replicas,
        groups,
        transactions,
      };
      dispatcher = new Dispatcher(services, operations?.metrics);
      operations?.attach(services);
      logger.info(
        {
          nodeId: config.nodeId,
          clusterId,
          listeners: boundSpecs.map((l) => `${l.name}://${l.host}:${l.port}`),
          advertisedListeners: advertisedListeners.map((l) => `${l.name}://${l.host}:${l.port}`),
          logDirs,
          topics: metadata.topics().length,
          recoveredPartitions: logs.recoveryReports.length,
          configSources: config.sources,
          http: operations?.url ?? "disabled",
        },
        "nagare broker started",
      );
      return new Broker(services, boundSpecs, net, unlocks, operations);
    } catch (error) {
      await operations?.close();
      await net.close(0);
      for (const unlock of unlocks) await unlock();
      throw error;
    }
  }

  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const { logger } = this.services;
      await this.operations?.close();
      // Parked JoinGroup/SyncGroup requests are answered first, so connections can drain.
      await this.services.groups.stop();
      await this.services.transactions.stop();
      await this.net.close(shutdownGraceMs);
      await this.services.replicas.close();
      await this.services.logs.close();
      await this.services.metadata.close();
      for (const unlock of this.unlocks) await unlock();
      logger.info({}, "nagare broker stopped");
    })();
    return this.stopping;
  }
}

function intervalsFrom(config: BrokerConfig) {
  const ms = (key: string, fallback: number) => {
    const value = Number(config.values[key]);
    return Number.isFinite(value) && value <= Number.MAX_SAFE_INTEGER ? value : fallback;
  };
  return {
    flushCheckMs: ms("log.flush.scheduler.interval.ms", Number.POSITIVE_INFINITY),
    checkpointMs: ms("log.flush.offset.checkpoint.interval.ms", 60_000),
    retentionCheckMs: ms("log.retention.check.interval.ms", 300_000),
    cleanerBackoffMs: ms("log.cleaner.backoff.ms", 15_000),
    producerIdExpirationCheckMs: ms("producer.id.expiration.check.interval.ms", 600_000),
  };
}
