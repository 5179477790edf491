import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";

test("one broker per data dir; a graceful restart keeps every acknowledged message and continues the offsets", async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "nagare-lifecycle-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const first = await startBroker({ dataDir });
  await assert.rejects(startBroker({ dataDir }), /is in use by another broker/);

  const produce = async (bootstrap: string, from: number) => {
    const kafka = new Kafka({ brokers: [bootstrap], clientId: "lifecycle", logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const [result] = await producer.send({
      topic: "lifecycle",
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })),
    });
    await producer.disconnect();
    return result;
  };
  const before = await produce(first.bootstrap, 0);
  assert.equal(before?.baseOffset, "0");
  await first.stop();

  const second = await startBroker({ dataDir });
  t.after(() => second.stop());
  const after = await produce(second.bootstrap, 10);
  assert.equal(after?.baseOffset, "10");
});
