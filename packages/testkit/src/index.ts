// @nagare/testkit: a real Nagare broker, in process, on a free 127.0.0.1 port with a temporary data
// directory — for Nagare's own tests and for users' test suites.
//
//   const broker = await startBroker();            // { bootstrap: "127.0.0.1:40123", … }
//   … point any Kafka client at broker.bootstrap …
//   await broker.stop();                            // graceful stop; the temp dir is removed

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Broker, createLogger, type Logger, resolveBrokerConfig, silentLogger } from "@nagare/broker";

export interface StartBrokerOptions {
  /** Data directory to use (kept on stop). A temporary one is created and removed when omitted. */
  readonly dataDir?: string;
  /**
   * Broker configs by Kafka name, applied over the test defaults (a free 127.0.0.1 port, the data
   * dir, no HTTP server, group.initial.rebalance.delay.ms=0).
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Start the operations HTTP server (/metrics, /health, /ready) on a free 127.0.0.1 port. Off by
   * default: tests running side by side must not fight over the broker's default port 9644.
   */
  readonly http?: boolean;
  /** Logs are discarded unless a logger is given or NAGARE_TEST_LOG=1. */
  readonly logger?: Logger;
}

export interface StartedBroker {
  /** `host:port` for a client's bootstrap servers. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `http://127.0.0.1:<port>` of the operations HTTP server, when started with `http: true`. */
  readonly httpUrl: string | undefined;
  /** Its Prometheus endpoint (`${httpUrl}/metrics`). */
  readonly metricsUrl: string | undefined;
  readonly broker: Broker;
  stop(): Promise<void>;
}

export async function startBroker(options: StartBrokerOptions = {}): Promise<StartedBroker> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "nagare-testkit-")));
  const config = resolveBrokerConfig({
    overrides: {
      listeners: "PLAINTEXT://127.0.0.1:0",
      "log.dirs": dataDir,
      "nagare.http.listener": options.http ? "http://127.0.0.1:0" : "none",
      // As Kafka's own test harnesses: a group's first rebalance need not wait for more members.
      "group.initial.rebalance.delay.ms": "0",
      ...options.config,
    },
  });
  const logger = options.logger ?? (process.env.NAGARE_TEST_LOG === "1" ? createLogger() : silentLogger);
  const broker = await Broker.start(config, { logger });
  const listener = broker.listeners[0];
  if (!listener) throw new Error("the broker has no listener");
  const host = listener.host === "" ? "127.0.0.1" : listener.host;
  let stopped: Promise<void> | undefined;
  const httpUrl = broker.operations?.url;
  return {
    bootstrap: `${host}:${listener.port}`,
    host,
    port: listener.port,
    dataDir,
    httpUrl,
    metricsUrl: httpUrl === undefined ? undefined : `${httpUrl}/metrics`,
    broker,
    stop: () => {
      stopped ??= (async () => {
        await broker.stop();
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

export {
  type BrokerProcess,
  type BrokerProcessOptions,
  freePort,
  type ProcessExit,
  startBrokerProcess,
} from "./broker-process.ts";
