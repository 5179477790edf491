// `nagare perf produce|consume` — kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh:
// a progress bar on stderr while running (when it is a terminal), then Kafka's summary lines:
// records/s, MB/s and latency percentiles for produce; MB and messages per second for consume.

import { randomBytes } from "node:crypto";
import { type Acks, bytes, type CompressionName, Consumer, Producer } from "@nagare/client";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { bootstrapOption, brokersOf, integer, runProgram, UsageError, withAdmin } from "./common.ts";

export interface ProducePerfOptions {
  readonly bootstrapServer: string;
  readonly topic: string;
  readonly numRecords: number;
  readonly recordSize: number;
  /** Records per second; -1 for as fast as possible. */
  readonly throughput: number;
  readonly acks: Acks;
  readonly compression: CompressionName;
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly progress: boolean;
}

export interface ProducePerfResult {
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly latencyMs: { avg: number; max: number; p50: number; p95: number; p99: number; p999: number };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function bar(total: number, enabled: boolean): { update(n: number): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  const progress = new SingleBar({
    format: "{bar} {percentage}% | {value}/{total} records | {eta}s left",
    stream: process.stderr,
    hideCursor: true,
  });
  progress.start(total, 0);
  return { update: (n) => progress.update(n), stop: () => progress.stop() };
}

export async function producePerf(o: ProducePerfOptions): Promise<ProducePerfResult> {
  const producer = new Producer<Buffer | null, Buffer | null>({
    brokers: brokersOf(o.bootstrapServer),
    clientId: "nagare-producer-perf",
    keySerializer: bytes,
    valueSerializer: bytes,
    acks: o.acks,
    idempotent: o.acks === "all",
    compression: o.compression,
    lingerMs: o.lingerMs,
    batchSize: o.batchSize,
  });
  await producer.connect();
  // Random bytes, as Kafka's tool uses by default: compression has little to gain.
  const payload = randomBytes(o.recordSize);
  const latencies = new Float64Array(o.numRecords);
  const progress = bar(o.numRecords, o.progress);
  const started = performance.now();
  let done = 0;
  let failure: unknown;
  // Outstanding sends are counted rather than kept in a set: a promise chain per record would
  // cost the producer's own fast path much of what it saves (GC, microtasks).
  let outstanding = 0;
  let allDone: (() => void) | undefined;
  const settled = () => {
    if (--outstanding === 0) allDone?.();
  };
  const fail = (error: unknown) => {
    failure ??= error;
    settled();
  };
  const record = { topic: o.topic, value: payload };
  try {
    for (let i = 0; i < o.numRecords && failure === undefined; i++) {
      if (o.throughput > 0) {
        const due = started + (i * 1000) / o.throughput;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      const sentAt = performance.now();
      outstanding++;
      producer.send(record).then(() => {
        latencies[i] = performance.now() - sentAt;
        done++;
        if ((done & 1023) === 0) progress.update(done);
        settled();
      }, fail);
      // Let callbacks run now and then so the event loop is not starved by a tight send loop.
      if ((i & 1023) === 1023) await new Promise((r) => setImmediate(r));
    }
    if (outstanding > 0) await new Promise<void>((resolve) => (allDone = resolve));
  } finally {
    await producer.close();
    progress.update(done);
    progress.stop();
  }
  if (failure !== undefined) throw failure;
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, o.numRecords).sort();
  let sum = 0;
  for (const l of sorted) sum += l;
  return {
    records: o.numRecords,
    seconds,
    recordsPerSec: o.numRecords / seconds,
    mbPerSec: (o.numRecords * o.recordSize) / (1024 * 1024) / seconds,
    latencyMs: {
      avg: sum / Math.max(1, sorted.length),
      max: sorted[sorted.length - 1] ?? 0,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
    },
  };
}

export interface ConsumePerfOptions {
  readonly bootstrapServer: string;
  readonly topic: string;
  readonly messages: number;
  readonly group?: string;
  readonly timeoutMs: number;
  readonly progress: boolean;
}

export interface ConsumePerfResult {
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSec: number;
  readonly messagesPerSec: number;
}

export async function consumePerf(o: ConsumePerfOptions): Promise<ConsumePerfResult> {
  const consumer = new Consumer<Buffer | null, Buffer | null>({
    brokers: brokersOf(o.bootstrapServer),
    clientId: "nagare-consumer-perf",
    keyDeserializer: bytes,
    valueDeserializer: bytes,
    autoOffsetReset: "earliest",
    enableAutoCommit: false,
    ...(o.group !== undefined ? { groupId: o.group } : {}),
  });
  await consumer.connect();
  const progress = bar(o.messages, o.progress);
  let count = 0;
  let size = 0;
  const started = performance.now();
  // As Kafka's ConsumerPerformance: the clock stops at the last record, before close().
  let ended: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void consumer.close(), o.timeoutMs);
  };
  try {
    if (o.group !== undefined) consumer.subscribe([o.topic]);
    else {
      const partitions = await withAdmin(o.bootstrapServer, async (admin) =>
        ((await admin.describeTopics([o.topic]))[0]?.partitions ?? []).map((p) => ({
          topic: o.topic,
          partition: p.partition,
        })),
      );
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    arm();
    for await (const batch of consumer.batches()) {
      for (const r of batch.records) size += (r.value?.length ?? 0) + (r.key?.length ?? 0);
      count += batch.records.length;
      if ((count & 1023) < batch.records.length) progress.update(Math.min(count, o.messages));
      arm();
      if (count >= o.messages) break;
    }
    ended = performance.now();
  } finally {
    clearTimeout(timer);
    progress.update(Math.min(count, o.messages));
    progress.stop();
    await consumer.close();
  }
  const seconds = ((ended ?? performance.now()) - started) / 1000;
  return {
    messages: count,
    bytes: size,
    seconds,
    mbPerSec: size / (1024 * 1024) / seconds,
    messagesPerSec: count / seconds,
  };
}

function codecOf(text: string): CompressionName {
  if (!["none", "gzip", "snappy", "lz4", "zstd"].includes(text))
    throw new UsageError(`--compression-type must be none, gzip, snappy, lz4 or zstd`);
  return text as CompressionName;
}

function program(): Command {
  const perf = new Command("perf").description("producer and consumer performance tests");
  perf
    .command("produce")
    .description("send --num-records records of --record-size bytes and report throughput and latency")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic to write to")
    .requiredOption("--num-records <n>", "how many records", integer)
    .requiredOption("--record-size <bytes>", "bytes per record", integer)
    .option("--throughput <n>", "records per second, -1 for unthrottled", integer, -1)
    .option("--acks <acks>", "0, 1 or all", "all")
    .option("--compression-type <codec>", "none, gzip, snappy, lz4, zstd", "none")
    .option("--linger-ms <ms>", "batching delay", integer, 5)
    .option("--batch-size <bytes>", "batch size", integer, 16384)
    .action(
      async (o: {
        bootstrapServer: string;
        topic: string;
        numRecords: number;
        recordSize: number;
        throughput: number;
        acks: string;
        compressionType: string;
        lingerMs: number;
        batchSize: number;
      }) => {
        if (!(o.numRecords > 0 && o.recordSize >= 0))
          throw new UsageError("--num-records must be positive and --record-size not negative");
        const acks: Acks =
          o.acks === "all" || o.acks === "-1"
            ? "all"
            : o.acks === "1"
              ? 1
              : o.acks === "0"
                ? 0
                : (() => {
                    throw new UsageError(`--acks must be 0, 1 or all`);
                  })();
        const r = await producePerf({
          ...o,
          acks,
          compression: codecOf(o.compressionType),
          progress: process.stderr.isTTY === true,
        });
        const f = (n: number) => n.toFixed(2);
        console.log(
          `${r.records} records sent, ${f(r.recordsPerSec)} records/sec (${f(r.mbPerSec)} MB/sec), ${f(r.latencyMs.avg)} ms avg latency, ${f(r.latencyMs.max)} ms max latency, ${f(r.latencyMs.p50)} ms 50th, ${f(r.latencyMs.p95)} ms 95th, ${f(r.latencyMs.p99)} ms 99th, ${f(r.latencyMs.p999)} ms 99.9th.`,
        );
      },
    );
  perf
    .command("consume")
    .description("read --messages records and report throughput")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic to read")
    .requiredOption("--messages <n>", "how many records", integer)
    .option("--group <id>", "consume in this group (default: assign every partition)")
    .option("--timeout-ms <ms>", "give up after this long without records", integer, 10_000)
    .action(
      async (o: {
        bootstrapServer: string;
        topic: string;
        messages: number;
        group?: string;
        timeoutMs: number;
      }) => {
        const r = await consumePerf({ ...o, progress: process.stderr.isTTY === true });
        const f = (n: number) => n.toFixed(4);
        console.log("data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, seconds");
        console.log(
          `${f(r.bytes / (1024 * 1024))}, ${f(r.mbPerSec)}, ${r.messages}, ${f(r.messagesPerSec)}, ${f(r.seconds)}`,
        );
        if (r.messages < o.messages)
          throw new Error(`only ${r.messages} of ${o.messages} records arrived within --timeout-ms`);
      },
    );
  return perf;
}

export function runPerf(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "perf");
}
