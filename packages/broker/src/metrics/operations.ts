// The broker's operations surface: metrics plus the HTTP server that exposes them, started as soon
// as the Kafka listeners are bound (so /health answers while storage recovers) and attached to the
// broker's state once it has started (then /ready turns 200).

import type { BrokerServices } from "../broker-services.ts";
import { parseHttpListener } from "../config/http-listener.ts";
import type { Logger } from "../logger.ts";
import { BrokerMetrics, type GroupMetricsState, type PartitionState } from "./broker-metrics.ts";
import { OpsServer, type Readiness } from "./ops-server.ts";

export interface OperationsOptions {
  /** The `nagare.http.listener` value. */
  readonly listener: string | null | undefined;
  readonly connectionCount: () => number;
  readonly logger: Logger;
}

export class Operations {
  readonly metrics: BrokerMetrics;
  private readonly server: OpsServer;
  private readonly connectionCount: () => number;
  private services: BrokerServices | undefined;

  private constructor(metrics: BrokerMetrics, server: OpsServer, connectionCount: () => number) {
    this.metrics = metrics;
    this.server = server;
    this.connectionCount = connectionCount;
  }

  /** Starts metrics and the HTTP server, or returns undefined when `nagare.http.listener` is none. */
  static async start(options: OperationsOptions): Promise<Operations | undefined> {
    const spec = parseHttpListener(options.listener ?? "", "nagare.http.listener");
    if (!spec) return undefined;
    const metrics = new BrokerMetrics();
    let operations: Operations | undefined;
    const server = await OpsServer.listen(spec, {
      metrics,
      readiness: () => operations?.readiness() ?? { ready: false, reason: "starting" },
      onError: (error) => options.logger.warn({ err: error }, "metrics scrape failed"),
    });
    operations = new Operations(metrics, server, options.connectionCount);
    return operations;
  }

  /** `http://host:port` of the HTTP server. */
  get url(): string {
    return this.server.url;
  }

  /** The broker has started: gauges read its state, /ready answers from it. */
  attach(services: BrokerServices): void {
    this.services = services;
    this.metrics.setSource({
      partitions: () => partitionStates(services),
      groups: () => groupStates(services),
      offlinePartitionCount: () => services.logs.offlinePartitions().length,
      offlineLogDirCount: () => services.logs.offlineDirs.length,
      connectionCount: this.connectionCount,
    });
  }

  readiness(): Readiness {
    const services = this.services;
    if (!services) return { ready: false, reason: "starting" };
    const offline = services.logs.offlineDirs;
    if (offline.length > 0)
      return { ready: false, reason: `offline log dirs: ${offline.map((d) => d.dataDir).join(", ")}` };
    return { ready: true, reason: "ready" };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

function* groupStates(services: BrokerServices): Generator<GroupMetricsState> {
  for (const group of services.groups.groups) {
    const lag: { topic: string; partition: number; lag: bigint }[] = [];
    for (const [topic, partitions] of group.offsets)
      for (const [partition, committed] of partitions) {
        const hw = services.replicas.partition(topic, partition)?.highWatermark;
        if (hw !== undefined)
          lag.push({ topic, partition, lag: hw > committed.offset ? hw - committed.offset : 0n });
      }
    yield { group: group.groupId, state: group.state, members: group.members.size, lag };
  }
}

function* partitionStates(services: BrokerServices): Generator<PartitionState> {
  for (const { topic, partition, log } of services.logs.allLogs()) {
    yield {
      topic,
      partition,
      sizeBytes: log.size,
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
      highWatermark: services.replicas.partition(topic, partition)?.highWatermark,
    };
  }
}
