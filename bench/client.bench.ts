// The client benchmark (issue 7): `nagare perf produce|consume` (our client) side by side with
// kafkajs doing the same work, against one Nagare broker running as a child process.
//
//   npm run bench:client        (about a minute)
//
// Work: 200,000 records of 1 KiB (random bytes), acks=all, no compression, one 3-partition topic
// per run; then the same records read back from the beginning. kafkajs has no batching across
// send() calls, so it gets what a kafkajs user writes for bulk: sendBatch calls of 1,000 records,
// up to 5 at a time; consuming uses eachBatch. Both clients run in this process, one at a time,
// after a warm-up round. Target: ours ≥ 2× kafkajs for 1 KiB records.

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Admin } from "@nagare/client";
import { Kafka, logLevel } from "kafkajs";
import { consumePerf, producePerf } from "../packages/cli/src/commands/perf.ts";
import { startBrokerProcess } from "../packages/testkit/src/index.ts";

const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const recordSize = 1024;

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
    const rounds = ["warm-up", "measured"] as const;
    for (const round of rounds) {
      for (const client of ["nagare", "kafkajs"] as const) {
        const topic = `${client}-${round}`;
        await admin.createTopics([{ name: topic, partitions: 3 }]);
        const produceSeconds =
          client === "nagare"
            ? (
                await producePerf({
                  bootstrapServer: broker.bootstrap,
                  topic,
                  numRecords: records,
                  recordSize,
                  throughput: -1,
                  acks: "all",
                  compression: "none",
                  lingerMs: 5,
                  batchSize: 16384,
                  progress: false,
                })
              ).seconds
            : await kafkajsProduce(broker.bootstrap, topic);
        const consumeSeconds =
          client === "nagare"
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
        if (round === "measured") {
          rows.push(
            { name: `produce ${client}`, seconds: produceSeconds },
            { name: `consume ${client}`, seconds: consumeSeconds },
          );
        }
      }
    }
    const mib = (records * recordSize) / (1024 * 1024);
    console.log(
      `Node ${process.version}; ${records} records × ${recordSize} B = ${mib.toFixed(0)} MiB per run; broker as a child process\n`,
    );
    console.log(
      `${"benchmark".padEnd(20)} ${"seconds".padStart(8)} ${"records/s".padStart(11)} ${"MiB/s".padStart(8)}`,
    );
    for (const r of rows)
      console.log(
        `${r.name.padEnd(20)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(records / r.seconds)
          .toString()
          .padStart(11)} ${(mib / r.seconds).toFixed(1).padStart(8)}`,
      );
    const ratio = (what: string) => {
      const ours = rows.find((r) => r.name === `${what} nagare`)?.seconds ?? Number.NaN;
      const theirs = rows.find((r) => r.name === `${what} kafkajs`)?.seconds ?? Number.NaN;
      const x = theirs / ours;
      console.log(`${what}: nagare is ${x.toFixed(2)}× kafkajs (target ≥ 2×) ${x >= 2 ? "MET" : "MISSED"}`);
    };
    console.log("");
    ratio("produce");
    ratio("consume");
  } finally {
    await admin.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
