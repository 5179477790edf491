// The broker's Prometheus metrics, in one registry per broker (never prom-client's global one, so
// several brokers in one process — tests — keep apart). Names follow the Kafka exporters' shape
// with a `nagare_` prefix:
// - per request (RequestObserver, fed by the dispatcher): nagare_requests_total{api,version},
//   nagare_request_errors_total{api,error} (every errorCode in the response, see error-codes.ts),
//   nagare_request_duration_seconds{api} (decode → response value; Fetch includes its long poll);
// - per topic: nagare_topic_bytes_in_total / nagare_topic_bytes_out_total (see topic-bytes.ts);
// - read from the broker's state on each scrape: per-partition log size, log start/end offset and
//   high watermark, partitions, offline partitions and log dirs, open connections, resident memory;
//   per consumer group: nagare_group_lag{group,topic,partition} (high watermark − committed offset,
//   for committed partitions), nagare_group_members{group}, nagare_group_state{group,state} (1).
// Offsets are exported as float64 (exact below 2^53).

import { errorName } from "@nagare/protocol";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RequestEvent, RequestObserver } from "../dispatch/dispatcher.ts";
import { countErrorCodes } from "./error-codes.ts";
import { fetchBytesOut, produceBytesIn } from "./topic-bytes.ts";

/** One hosted partition as a scrape sees it. */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly sizeBytes: number;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  /** Undefined when the partition is not (yet) hosted by the replica manager. */
  readonly highWatermark: bigint | undefined;
}

/** One consumer group as a scrape sees it. */
export interface GroupMetricsState {
  readonly group: string;
  readonly state: string;
  readonly members: number;
  readonly lag: Iterable<{ readonly topic: string; readonly partition: number; readonly lag: bigint }>;
}

/** What the gauges are read from, on each scrape. */
export interface BrokerStateSource {
  partitions(): Iterable<PartitionState>;
  groups(): Iterable<GroupMetricsState>;
  offlinePartitionCount(): number;
  offlineLogDirCount(): number;
  connectionCount(): number;
}

/** Seconds: sub-millisecond produce/metadata up to long-polled fetches (fetch.max.wait.ms). */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class BrokerMetrics implements RequestObserver {
  readonly registry = new Registry();
  private source: BrokerStateSource | undefined;

  private readonly requests: Counter<"api" | "version">;
  private readonly errors: Counter<"api" | "error">;
  private readonly latency: Histogram<"api">;
  private readonly bytesIn: Counter<"topic">;
  private readonly bytesOut: Counter<"topic">;
  private readonly logSize: Gauge<"topic" | "partition">;
  private readonly logStart: Gauge<"topic" | "partition">;
  private readonly logEnd: Gauge<"topic" | "partition">;
  private readonly highWatermark: Gauge<"topic" | "partition">;
  private readonly partitions: Gauge;
  private readonly offlinePartitions: Gauge;
  private readonly offlineLogDirs: Gauge;
  private readonly connections: Gauge;
  private readonly residentMemory: Gauge;
  private readonly groupLag: Gauge<"group" | "topic" | "partition">;
  private readonly groupMembers: Gauge<"group">;
  private readonly groupState: Gauge<"group" | "state">;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "nagare_requests_total",
      help: "Requests answered, per API and version",
      labelNames: ["api", "version"],
      registers,
    });
    this.errors = new Counter({
      name: "nagare_request_errors_total",
      help: "Error codes in responses (top-level and per topic/partition), per API and error",
      labelNames: ["api", "error"],
      registers,
    });
    this.latency = new Histogram({
      name: "nagare_request_duration_seconds",
      help: "Time from a request's arrival at the dispatcher to its response value, per API",
      labelNames: ["api"],
      buckets: latencyBuckets,
      registers,
    });
    this.bytesIn = new Counter({
      name: "nagare_topic_bytes_in_total",
      help: "Record bytes appended by Produce, per topic",
      labelNames: ["topic"],
      registers,
    });
    this.bytesOut = new Counter({
      name: "nagare_topic_bytes_out_total",
      help: "Record bytes returned by Fetch, per topic",
      labelNames: ["topic"],
      registers,
    });
    const perPartition = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ["topic", "partition"] as const, registers });
    this.logSize = perPartition("nagare_log_size_bytes", "Bytes of the partition's log segments");
    this.logStart = perPartition("nagare_log_start_offset", "The partition's log start offset");
    this.logEnd = perPartition("nagare_log_end_offset", "The partition's log end offset");
    this.highWatermark = perPartition("nagare_partition_high_watermark", "The partition's high watermark");
    this.partitions = new Gauge({ name: "nagare_partitions", help: "Partitions hosted", registers });
    this.offlinePartitions = new Gauge({
      name: "nagare_offline_partitions",
      help: "Partitions whose log is offline (failed to open or hit an I/O error)",
      registers,
    });
    this.offlineLogDirs = new Gauge({
      name: "nagare_offline_log_dirs",
      help: "Data directories that could not be loaded",
      registers,
    });
    this.connections = new Gauge({ name: "nagare_connections", help: "Open client connections", registers });
    this.residentMemory = new Gauge({
      name: "nagare_process_resident_memory_bytes",
      help: "Resident set size of the broker process",
      registers,
    });
    this.groupLag = new Gauge({
      name: "nagare_group_lag",
      help: "Consumer group lag: high watermark minus committed offset",
      labelNames: ["group", "topic", "partition"] as const,
      registers,
    });
    this.groupMembers = new Gauge({
      name: "nagare_group_members",
      help: "Members of a consumer group",
      labelNames: ["group"] as const,
      registers,
    });
    this.groupState = new Gauge({
      name: "nagare_group_state",
      help: "A consumer group's state (1 for the current one)",
      labelNames: ["group", "state"] as const,
      registers,
    });
  }

  /** Where the gauges are read from; until set, they are absent from the scrape. */
  setSource(source: BrokerStateSource): void {
    this.source = source;
  }

  onRequest(event: RequestEvent): void {
    const { api, response } = event;
    this.requests.inc({ api, version: String(event.apiVersion) });
    this.latency.observe({ api }, event.durationSeconds);
    for (const [code, count] of countErrorCodes(response))
      this.errors.inc({ api, error: errorName(code) }, count);
    if (api === "Produce")
      for (const [topic, bytes] of produceBytesIn(event.request, response))
        this.bytesIn.inc({ topic }, bytes);
    else if (api === "Fetch")
      for (const [topic, bytes] of fetchBytesOut(response)) this.bytesOut.inc({ topic }, bytes);
  }

  /** The Prometheus text exposition, gauges refreshed from the source first. */
  async scrape(): Promise<string> {
    this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private refresh(): void {
    this.residentMemory.set(process.memoryUsage.rss());
    const source = this.source;
    if (!source) return;
    // Deleted topics must disappear from the scrape: rebuild the per-partition series each time.
    for (const gauge of [this.logSize, this.logStart, this.logEnd, this.highWatermark]) gauge.reset();
    let count = 0;
    for (const p of source.partitions()) {
      const labels = { topic: p.topic, partition: String(p.partition) };
      this.logSize.set(labels, p.sizeBytes);
      this.logStart.set(labels, Number(p.logStartOffset));
      this.logEnd.set(labels, Number(p.logEndOffset));
      if (p.highWatermark !== undefined) this.highWatermark.set(labels, Number(p.highWatermark));
      count++;
    }
    this.partitions.set(count);
    this.offlinePartitions.set(source.offlinePartitionCount());
    this.offlineLogDirs.set(source.offlineLogDirCount());
    this.connections.set(source.connectionCount());
    for (const gauge of [this.groupLag, this.groupMembers, this.groupState]) gauge.reset();
    for (const g of source.groups()) {
      this.groupMembers.set({ group: g.group }, g.members);
      this.groupState.set({ group: g.group, state: g.state }, 1);
      for (const l of g.lag)
        this.groupLag.set({ group: g.group, topic: l.topic, partition: String(l.partition) }, Number(l.lag));
    }
  }
}
