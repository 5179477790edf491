// Restart with the real `nagare broker` command in a child process: stop it with SIGTERM (graceful:
// exit 0 and the clean-shutdown marker) and, separately, SIGKILL (the recovery path); start it again
// on the same data dir and port; everything acknowledged with acks=all is still readable and new
// produces continue at the right offsets. (A killed process loses nothing the kernel already has:
// with the default flush policy the data is in the page cache.)

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, startBrokerProcess } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { requireTool } from "./support/clients.ts";
import { consumeWithKcat, kcat } from "./support/messages.ts";

const topic = "durable";
const partitions = 3;

/** The start-up summary the broker logs (pino JSON lines). */
function startupSummary(output: string): { recoveredPartitions?: number } {
  for (const line of output.split("\n")) {
    if (!line.includes("nagare broker started")) continue;
    return JSON.parse(line) as { recoveredPartitions?: number };
  }
  throw new Error(`no start-up summary in:\n${output}`);
}

/** Produces `count` keyed messages with acks=all; returns the acknowledged messages per partition. */
async function produce(bootstrap: string, from: number, count: number) {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: "restart", logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const acked: { partition: number; baseOffset: number }[] = [];
    for (let i = from; i < from + count; i += 50) {
      const results = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 50 }, (_, j) => ({ key: `k${(i + j) % 11}`, value: `v${i + j}` })),
      });
      for (const r of results) acked.push({ partition: r.partition, baseOffset: Number(r.baseOffset) });
    }
    return acked;
  } finally {
    await producer.disconnect();
  }
}

async function createTopic(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: "restart", logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Every message in the topic: contiguous offsets from 0 per partition; the values in order. */
async function readAll(bootstrap: string): Promise<{ values: Set<string>; ends: number[] }> {
  const messages = await consumeWithKcat(bootstrap, topic);
  const ends = Array.from({ length: partitions }, () => 0);
  for (const m of messages) {
    assert.equal(m.offset, ends[m.partition], `contiguous offsets in partition ${m.partition}`);
    ends[m.partition] = m.offset + 1;
  }
  return { values: new Set(messages.map((m) => m.value ?? "")), ends };
}

async function restartCase(t: { after(fn: () => unknown): void }, signal: "SIGTERM" | "SIGKILL") {
  requireTool(kcat, "kcat");
  const dataDir = await mkdtemp(join(tmpdir(), `nagare-restart-${signal}-`));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const bootstrap = `127.0.0.1:${port}`;
  const marker = join(dataDir, ".kafka_cleanshutdown");

  const first = await startBrokerProcess({ port, dataDir });
  t.after(() => first.child.kill("SIGKILL"));
  await createTopic(bootstrap);
  await produce(bootstrap, 0, 600);
  const before = await readAll(bootstrap);
  assert.equal(before.values.size, 600);
  assert.equal(existsSync(marker), false, "no clean-shutdown marker while running");

  const exit = await first.stop(signal);
  if (signal === "SIGTERM") {
    assert.deepEqual(exit, { code: 0, signal: null }, first.output());
    assert.ok(existsSync(marker), "clean-shutdown marker written on SIGTERM");
  } else {
    assert.equal(exit.signal, "SIGKILL");
    assert.equal(existsSync(marker), false, "no clean-shutdown marker after a kill");
  }

  const second = await startBrokerProcess({ port, dataDir });
  t.after(() => second.child.kill("SIGKILL"));
  const summary = startupSummary(second.output());
  // A graceful stop leaves nothing to recover; after a kill every partition log is recovered.
  assert.equal(summary.recoveredPartitions, signal === "SIGTERM" ? 0 : partitions, second.output());
  const after = await readAll(bootstrap);
  assert.deepEqual(after.ends, before.ends, "every partition has all its acknowledged messages");
  assert.deepEqual(after.values, before.values);

  // New produces continue at each partition's log end offset.
  const acked = await produce(bootstrap, 600, 300);
  const firstNew = new Map<number, number>();
  for (const a of acked) if (!firstNew.has(a.partition)) firstNew.set(a.partition, a.baseOffset);
  for (const [partition, baseOffset] of firstNew)
    assert.equal(baseOffset, before.ends[partition], `partition ${partition} continues at its end offset`);
  const final = await readAll(bootstrap);
  assert.equal(final.values.size, 900);
  assert.deepEqual((await second.stop("SIGTERM")).code, 0);
}

test("SIGTERM: graceful stop (exit 0, clean-shutdown marker); after restart everything is readable and offsets continue", async (t) => {
  await restartCase(t, "SIGTERM");
});

test("SIGKILL: after restart (recovery) everything acknowledged is readable and offsets continue", async (t) => {
  await restartCase(t, "SIGKILL");
});
