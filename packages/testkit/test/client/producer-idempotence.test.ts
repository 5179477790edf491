// Idempotent retries: a proxy lets one Produce request reach the broker, drops its response and
// closes the connection. The producer cannot know the batch was written and sends it again; with
// idempotence the broker recognises the sequence and answers the original offsets, so the log
// holds every record once, in order. Without idempotence the same fault writes duplicates —
// which shows the fault really happens.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Producer } from "@nagare/client";
import { startBroker } from "@nagare/testkit";
import { requireTool } from "../e2e/support/clients.ts";
import { startFaultProxy } from "../e2e/support/fault-proxy.ts";
import { consumeWithKcat, kcat } from "../e2e/support/messages.ts";

async function brokerBehindProxy(t: import("node:test").TestContext) {
  const proxy = await startFaultProxy();
  t.after(() => proxy.close());
  const broker = await startBroker({
    config: { "num.partitions": "1", "advertised.listeners": `PLAINTEXT://127.0.0.1:${proxy.port}` },
  });
  t.after(() => broker.stop());
  proxy.target = broker.port;
  return { proxy, broker, bootstrap: `127.0.0.1:${proxy.port}` };
}

/** Sends `rounds` × `perRound` records m<first>, m<first+1>, …, awaiting each round. */
async function sendRounds(producer: Producer, topic: string, rounds: number, perRound: number, first = 0) {
  const offsets: bigint[] = [];
  for (let r = 0; r < rounds; r++) {
    const metadata = await Promise.all(
      Array.from({ length: perRound }, (_, i) =>
        producer.send({ topic, value: `m${first + r * perRound + i}` }),
      ),
    );
    offsets.push(...metadata.map((m) => m.offset));
  }
  return offsets;
}

test("a Produce response lost with its connection: the retry is not written twice", async (t) => {
  requireTool(kcat, "kcat");
  const { proxy, broker, bootstrap } = await brokerBehindProxy(t);
  const producer = new Producer({ brokers: [bootstrap], lingerMs: 5, retryBackoffMs: 10 });
  t.after(() => producer.close());
  await producer.connect();
  assert.ok(producer.isIdempotent);
  const before = await sendRounds(producer, "idem", 2, 25);
  proxy.dropProduceResponse(1);
  const during = await sendRounds(producer, "idem", 4, 25, 50);
  assert.equal(proxy.dropped.length, 1, "one response was dropped");
  const offsets = [...before, ...during];
  assert.deepEqual(
    offsets,
    Array.from({ length: 150 }, (_, i) => BigInt(i)),
    "the retried batch resolves with the offsets it got the first time",
  );
  const read = await consumeWithKcat(broker.bootstrap, "idem");
  assert.deepEqual(
    read.map((m) => m.value),
    Array.from({ length: 150 }, (_, i) => `m${i}`),
    "every record exactly once, in order",
  );
});

test("the same fault without idempotence duplicates the batch (the fault is real)", async (t) => {
  requireTool(kcat, "kcat");
  const { proxy, broker, bootstrap } = await brokerBehindProxy(t);
  const producer = new Producer({ brokers: [bootstrap], idempotent: false, retryBackoffMs: 10 });
  t.after(() => producer.close());
  await sendRounds(producer, "plain", 1, 25);
  proxy.dropProduceResponse(1);
  await sendRounds(producer, "plain", 1, 25, 25);
  assert.equal(proxy.dropped.length, 1);
  const read = await consumeWithKcat(broker.bootstrap, "plain");
  assert.equal(read.length, 75, "25 + 25 + the same 25 again");
});

test("several batches in flight when the connection drops still land once and in order", async (t) => {
  requireTool(kcat, "kcat");
  const { proxy, broker, bootstrap } = await brokerBehindProxy(t);
  // Tiny batches and no linger: many Produce requests in flight on one connection.
  const producer = new Producer({ brokers: [bootstrap], lingerMs: 0, batchSize: 100, retryBackoffMs: 10 });
  t.after(() => producer.close());
  await producer.connect();
  proxy.dropProduceResponse(3);
  const offsets = await sendRounds(producer, "inflight", 1, 200);
  assert.equal(proxy.dropped.length, 1);
  assert.ok(proxy.produceRequests >= 10, `${proxy.produceRequests} Produce requests`);
  assert.deepEqual(
    offsets,
    Array.from({ length: 200 }, (_, i) => BigInt(i)),
  );
  const read = await consumeWithKcat(broker.bootstrap, "inflight");
  assert.deepEqual(
    read.map((m) => m.value),
    Array.from({ length: 200 }, (_, i) => `m${i}`),
  );
});
