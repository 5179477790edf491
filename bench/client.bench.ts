// The client benchmark (issue 7): `nagare perf produce|consume` (our client) side by side with
// kafkajs doing the same work, against one Nagare broker running as a child process.
//
//   npm run bench:client        (about two minutes)
//
// Work: 200,000 records of 1 KiB (random bytes), acks=all, no compression, one 3-partition topic
// per run; then the same records read back from the beginning, in a consumer group. kafkajs has
// no batching across send() calls, so it gets what a kafkajs user writes for bulk: sendBatch
// calls of 1,000 records, up to 5 at a time; consuming uses eachBatch. Our producer gets what a
// Kafka user tuning for throughput sets: batch.size 1000000 (linger.ms 5), under the broker's
// default message.max.bytes (1048588), as bench/broker.bench.ts gives kcat; a third
// run keeps Kafka's defaults (batch.size 16384) for comparison. The consumers keep their defaults
// (1 MiB per partition, 50 MiB per fetch, both). Every client runs in this process, one at a
// time: a warm-up round, then three measured rounds (BENCH_ROUNDS), reported as medians with
// every run's figure; the configs are printed with the results. Target: ours ≥ 2× kafkajs for
// 1 KiB records.

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Admin } from "@nagare/client";
import { Kafka, logLevel } from "kafkajs";
import { consumePerf, producePerf } from "../packages/cli/src/commands/perf.ts";
import { startBrokerProcess } from "../packages/testkit/src/index.ts";

const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const measuredRounds = Number(process.env.BENCH_ROUNDS ?? 3);
const recordSize = 1024;

/** Our producer runs: throughput-tuned (the comparison) and Kafka's defaults (for reference). */
const nagareRuns = {
  nagare: { batchSize: 1_000_000, lingerMs: 5 },
  "nagare-defaults": { batchSize: 16_384, lingerMs: 5 },
} as const;
type Client = keyof typeof nagareRuns | "kafkajs";

interface Row {
  readonly name: string;
  readonly seconds: number;
}

async function kafkajsProduce(bootstrap: string, topic: string): Promise<number> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: "kafkajs-bench", logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const payload = randomBytes(recordSize);
  const chunk = Array.from({ length: 1000 }, () => ({ value: payload }));
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < records) {
      const count = Math.min(1000, records - next);
      next += count;
      await producer.send({ topic, acks: -1, messages: count === 1000 ? chunk : chunk.slice(0, count) });
    }
  };
  await Promise.all(Array.from({ length: 5 }, worker));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return seconds;
}

async function kafkajsConsume(bootstrap: string, topic: string, group: string): Promise<number> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: "kafkajs-bench", logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: group, maxBytesPerPartition: 1048576, maxBytes: 52428800 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("kafkajs consume timed out")), 120_000);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        if (count >= records) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return seconds;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-bench-client-"));
  const broker = await startBrokerProcess({
    dataDir: dir,
    config: { "group.initial.rebalance.delay.ms": "0" },
  });
  const admin = new Admin({ brokers: [broker.bootstrap] });
  try {
    await admin.connect();
    const rows: Row[] = [];
    // One warm-up round, then `measuredRounds`: each row reports the median and the range, as
    // single sub-second runs on this 2-core machine vary by a third.
    const rounds = ["warm-up", ...Array.from({ length: measuredRounds }, (_, i) => `run-${i + 1}`)];
    for (const round of rounds) {
      for (const client of ["nagare", "kafkajs", "nagare-defaults"] as const satisfies readonly Client[]) {
        const topic = `${client}-${round}`;
        await admin.createTopics([{ name: topic, partitions: 3 }]);
        const produceSeconds =
          client !== "kafkajs"
            ? (
                await producePerf({
                  bootstrapServer: broker.bootstrap,
                  topic,
                  numRecords: records,
                  recordSize,
                  throughput: -1,
                  acks: "all",
                  compression: "none",
                  ...nagareRuns[client],
                  progress: false,
                })
              ).seconds
            : await kafkajsProduce(broker.bootstrap, topic);
        const consumeSeconds =
          client !== "kafkajs"
            ? (
                await consumePerf({
                  bootstrapServer: broker.bootstrap,
                  topic,
                  messages: records,
                  group: `${topic}-g`,
                  timeoutMs: 30_000,
                  progress: false,
                })
              ).seconds
            : await kafkajsConsume(broker.bootstrap, topic, `${topic}-g`);
        if (round !== "warm-up") {
          rows.push(
            { name: `produce ${client}`, seconds: produceSeconds },
            { name: `consume ${client}`, seconds: consumeSeconds },
          );
        }
      }
    }
    const mib = (records * recordSize) / (1024 * 1024);
    console.log(
      `Node ${process.version}; ${records} records × ${recordSize} B = ${mib.toFixed(0)} MiB per run; broker as a child process`,
    );
    const { nagare, "nagare-defaults": defaults } = nagareRuns;
    console.log(
      [
        "configs (acks=all, no compression, 3 partitions; consumers in a group, from the beginning):",
        `  nagare           producer batchSize ${nagare.batchSize}, lingerMs ${nagare.lingerMs}, idempotent; consumer defaults (maxPartitionFetchBytes 1 MiB, fetchMaxBytes 50 MiB, maxPollRecords 500), batches()`,
        "  kafkajs          producer sendBatch of 1000 records, 5 concurrent; consumer maxBytesPerPartition 1 MiB, maxBytes 50 MiB, eachBatch",
        `  nagare-defaults  producer batchSize ${defaults.batchSize} (Kafka's default), lingerMs ${defaults.lingerMs}; consumer as nagare (reads these 16 KiB batches)`,
        "",
      ].join("\n"),
    );
    console.log(
      `${"benchmark".padEnd(24)} ${"seconds".padStart(8)} ${"records/s".padStart(11)} ${"MiB/s".padStart(8)}  MiB/s of each run`,
    );
    const names = [...new Set(rows.map((r) => r.name))];
    const median = (name: string) => {
      const sorted = rows
        .filter((r) => r.name === name)
        .map((r) => r.seconds)
        .sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    };
    for (const name of names) {
      const seconds = median(name);
      const each = rows.filter((r) => r.name === name).map((r) => (mib / r.seconds).toFixed(0));
      console.log(
        `${name.padEnd(24)} ${seconds.toFixed(2).padStart(8)} ${Math.round(records / seconds)
          .toString()
          .padStart(11)} ${(mib / seconds).toFixed(1).padStart(8)}  ${each.join(", ")}`,
      );
    }
    const ratio = (what: string, client: "nagare" | "nagare-defaults") => {
      const x = median(`${what} kafkajs`) / median(`${what} ${client}`);
      const verdict =
        client === "nagare" ? ` (target ≥ 2×) ${x >= 2 ? "MET" : "MISSED"}` : " (for reference)";
      console.log(`${what}: ${client} is ${x.toFixed(2)}× kafkajs (medians)${verdict}`);
    };
    console.log("");
    ratio("produce", "nagare");
    ratio("consume", "nagare");
    ratio("produce", "nagare-defaults");
    ratio("consume", "nagare-defaults");
  } finally {
    await admin.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
