// Idempotent producers: a batch the broker appended but whose acknowledgement was lost is retried
// with the same producer id, epoch and sequence, and the broker answers the retry as a duplicate
// with the original offsets instead of appending it again (KIP-98). The fault comes from a proxy
// (support/fault-proxy.ts) that forwards the 2nd Produce request, discards the broker's response
// and closes the client connection. kafkajs (idempotent: true) and confluent-kafka
// (enable.idempotence) each send 5 rounds of 10 messages to one partition; every message must be in
// the log exactly once, in order, at offsets 0..49, and each round acknowledged at its first offset.
// A control run without idempotence shows the same fault duplicates the dropped round.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { debianPython, requireTool, run } from "../support/clients.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { cleanups, createTopics, type Defer, openAdmin } from "../support/group-clients.ts";
import { pyTxnClient, readTopics } from "../support/txn-clients.ts";

const rounds = 5;
const perRound = 10;
const count = rounds * perRound;

/** A broker behind a fault proxy (the proxy is what Metadata advertises), with topic `topic`. */
async function proxiedBroker(defer: Defer, topic: string): Promise<{ proxy: FaultProxy; bootstrap: string }> {
  const proxy = await startFaultProxy();
  defer(() => proxy.close());
  const broker = await startBroker({
    config: { "advertised.listeners": `PLAINTEXT://127.0.0.1:${proxy.port}` },
  });
  defer(() => broker.stop());
  proxy.target = broker.port;
  const bootstrap = `127.0.0.1:${proxy.port}`;
  const admin = await openAdmin(defer, bootstrap);
  await createTopics(admin, { [topic]: 1 });
  return { proxy, bootstrap };
}

/** Sends `rounds` rounds with kafkajs; returns each round's acknowledged base offset. */
async function sendWithKafkajs(bootstrap: string, topic: string, idempotent: boolean): Promise<number[]> {
  const kafka = new Kafka({
    brokers: [bootstrap],
    clientId: "kafkajs-idempotent",
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const producer = kafka.producer({ idempotent, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const baseOffsets: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const [result] = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: perRound }, (_, j) => ({
          partition: 0,
          value: `m-${r * perRound + j}`,
        })),
      });
      baseOffsets.push(Number(result?.baseOffset));
    }
    return baseOffsets;
  } finally {
    await producer.disconnect();
  }
}

/** The log read back: exactly m-0..m-49 at offsets 0..49 (read_uncommitted: everything written). */
async function assertLogExactlyOnce(bootstrap: string, topic: string, what: string): Promise<void> {
  const { messages } = await readTopics(bootstrap, "read_uncommitted", [`${topic}:1`]);
  assert.deepEqual(
    messages.map((m) => `${m.offset}:${m.value}`),
    Array.from({ length: count }, (_, i) => `${i}:m-${i}`),
    `${what}: every message once, in order, contiguous offsets`,
  );
}

test("kafkajs idempotent producer: a Produce whose response was lost is retried, not duplicated", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { proxy, bootstrap } = await proxiedBroker(defer, "idem-kafkajs");
  proxy.dropProduceResponse(2);
  const baseOffsets = await sendWithKafkajs(bootstrap, "idem-kafkajs", true);
  assert.equal(proxy.dropped.length, 1, "the proxy dropped one Produce response");
  assert.ok(
    proxy.produceRequests > rounds,
    `the dropped round was sent again (${proxy.produceRequests} Produce requests)`,
  );
  assert.deepEqual(
    baseOffsets,
    Array.from({ length: rounds }, (_, r) => r * perRound),
    "each round acknowledged at its original offsets (the retry answered as a duplicate)",
  );
  await assertLogExactlyOnce(bootstrap, "idem-kafkajs", "kafkajs");
});

test("confluent-kafka enable.idempotence: a Produce whose response was lost is retried, not duplicated", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { proxy, bootstrap } = await proxiedBroker(defer, "idem-confluent");
  proxy.dropProduceResponse(2);
  const result = await run(
    debianPython,
    [pyTxnClient, "idempotent", bootstrap, "idem-confluent", "0", String(rounds), String(perRound), "m"],
    { timeoutMs: 90_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as { delivered: (number | null)[]; errors: string[] };
  assert.equal(proxy.dropped.length, 1, "the proxy dropped one Produce response");
  assert.ok(
    proxy.produceRequests > rounds,
    `the dropped round was sent again (${proxy.produceRequests} Produce requests)`,
  );
  assert.deepEqual(
    summary,
    { delivered: Array.from({ length: count }, (_, i) => i), errors: [] },
    "every message delivered at its original offset",
  );
  await assertLogExactlyOnce(bootstrap, "idem-confluent", "confluent-kafka");
});

test("control: without idempotence the same lost response makes kafkajs write the round twice", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { proxy, bootstrap } = await proxiedBroker(defer, "idem-control");
  proxy.dropProduceResponse(2);
  const baseOffsets = await sendWithKafkajs(bootstrap, "idem-control", false);
  assert.equal(proxy.dropped.length, 1, "the proxy dropped one Produce response");
  // Round 1 was appended at 10..19, its retry again at 20..29; the rounds after it shift by 10.
  assert.deepEqual(baseOffsets, [0, 20, 30, 40, 50]);
  const { messages } = await readTopics(bootstrap, "read_uncommitted", ["idem-control:1"]);
  assert.equal(messages.length, count + perRound, "the dropped round is in the log twice");
});
