// What consumers see of transactions (KIP-98): a transaction over three partitions of two topics is
// visible to read_committed consumers once committed and never once aborted, while
// read_uncommitted consumers see both; kafkajs and confluent-kafka each commit one and abort one,
// read back by confluent-kafka at both isolation levels and by kcat read_committed. And the last
// stable offset: read_committed stops before an open transaction's first message — also before
// non-transactional messages written after it — until the transaction commits; ListOffsets with
// isolation_level=1 answers the LSO, with 0 the high watermark.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { debianPython, requireTool } from "../support/clients.ts";
import { cleanups, createTopics, kafkaFor, openAdmin, waitFor } from "../support/group-clients.ts";
import { consumeWithKcat, kcat } from "../support/messages.ts";
import {
  kafkajsTxnProducer,
  latestOffset,
  PyTxnProducer,
  readTopics,
  valuesByPartition,
} from "../support/txn-clients.ts";

/** Three partitions across two topics. */
const parts = [
  { t: "txn-a", p: 0 },
  { t: "txn-a", p: 1 },
  { t: "txn-b", p: 0 },
] as const;
const specs = ["txn-a:2", "txn-b:1"];

/** Two messages per partition: `${prefix}-0` … `${prefix}-5`, message i to partition i % 3. */
function spread(prefix: string): { t: string; p: number; v: string }[] {
  return Array.from({ length: 6 }, (_, i) => {
    const { t, p } = parts[i % 3] as { t: string; p: number };
    return { t, p, v: `${prefix}-${i}` };
  });
}

/** The expected per-partition view of several spreads, in the order they were written. */
function expectedView(prefixes: readonly string[]): Map<string, string[]> {
  const view = new Map<string, string[]>();
  for (const { t, p } of parts) view.set(`${t}:${p}`, []);
  for (const prefix of prefixes) for (const m of spread(prefix)) view.get(`${m.t}:${m.p}`)?.push(m.v);
  return view;
}

test("committed transactions are visible to read_committed, aborted ones only to read_uncommitted (kafkajs and confluent-kafka)", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  requireTool(kcat, "kcat");
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { "txn-a": 2, "txn-b": 1 });

  const kafkajs = await kafkajsTxnProducer(defer, broker.bootstrap, "visibility-kafkajs");
  const toKafkajs = (prefix: string) =>
    [...Map.groupBy(spread(prefix), (m) => m.t)].map(([topic, ms]) => ({
      topic,
      messages: ms.map((m) => ({ partition: m.p, value: m.v })),
    }));
  const committed = await kafkajs.transaction();
  await committed.sendBatch({ topicMessages: toKafkajs("kjs-commit"), acks: -1 });
  await committed.commit();
  const aborted = await kafkajs.transaction();
  await aborted.sendBatch({ topicMessages: toKafkajs("kjs-abort"), acks: -1 });
  await aborted.abort();

  const confluent = new PyTxnProducer(defer, broker.bootstrap, { transactionalId: "visibility-confluent" });
  await confluent.init();
  await confluent.begin();
  await confluent.send(spread("ck-commit"));
  await confluent.commit();
  await confluent.begin();
  await confluent.send(spread("ck-abort"));
  await confluent.abort();

  // Commit and abort return once the outcome is decided; the markers that make it visible follow.
  const highWatermarks = new Map<string, number>();
  await waitFor(
    "every partition's last stable offset to reach its high watermark",
    async () => {
      for (const { t: topic, p } of parts) {
        const hw = await latestOffset(broker.port, topic, p, "read_uncommitted");
        highWatermarks.set(`${topic}:${p}`, hw);
        if ((await latestOffset(broker.port, topic, p, "read_committed")) !== hw) return false;
      }
      return true;
    },
    15_000,
  );
  // Each partition: 4 transactions × (2 messages + 1 marker).
  for (const [key, hw] of highWatermarks) assert.equal(hw, 12, `${key} high watermark`);

  const readCommitted = await readTopics(broker.bootstrap, "read_committed", specs);
  assert.deepEqual(
    valuesByPartition(readCommitted.messages),
    expectedView(["kjs-commit", "ck-commit"]),
    "read_committed: both committed transactions, on every partition, nothing aborted",
  );
  assert.deepEqual(readCommitted.eof, highWatermarks, "read_committed reads up to the end");

  const readUncommitted = await readTopics(broker.bootstrap, "read_uncommitted", specs);
  assert.deepEqual(
    valuesByPartition(readUncommitted.messages),
    expectedView(["kjs-commit", "kjs-abort", "ck-commit", "ck-abort"]),
    "read_uncommitted: every transactional message, committed or aborted",
  );

  const kcatView = [
    ...(await consumeWithKcat(broker.bootstrap, "txn-a", ["-X", "isolation.level=read_committed"])),
    ...(await consumeWithKcat(broker.bootstrap, "txn-b", ["-X", "isolation.level=read_committed"])),
  ].map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, value: m.value }));
  assert.deepEqual(
    valuesByPartition(kcatView),
    expectedView(["kjs-commit", "ck-commit"]),
    "kcat read_committed: the committed transactions only",
  );
});

test("read_committed stops at the last stable offset before an open transaction until it commits", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { "txn-a": 2, "txn-b": 1 });

  const plain = kafkaFor(broker.bootstrap, "plain-producer").producer();
  await plain.connect();
  defer(() => plain.disconnect());
  const sendPlain = async (prefix: string) => {
    for (const m of spread(prefix))
      await plain.send({ topic: m.t, acks: -1, messages: [{ partition: m.p, value: m.v }] });
  };

  await sendPlain("before"); // offsets 0, 1 of every partition
  const open = new PyTxnProducer(defer, broker.bootstrap, { transactionalId: "visibility-open" });
  await open.init();
  await open.begin();
  const openOffsets = await open.send(spread("open")); // offsets 2, 3
  assert.deepEqual(openOffsets, [2, 2, 2, 3, 3, 3], "the open transaction's messages follow the first two");
  await sendPlain("after"); // offsets 4, 5: after the open transaction, not part of it

  for (const { t: topic, p } of parts) {
    const key = `${topic}:${p}`;
    assert.equal(
      await latestOffset(broker.port, topic, p, "read_committed"),
      2,
      `${key}: LSO = first open offset`,
    );
    assert.equal(await latestOffset(broker.port, topic, p, "read_uncommitted"), 6, `${key}: high watermark`);
  }
  const whileOpen = await readTopics(broker.bootstrap, "read_committed", specs);
  assert.deepEqual(
    valuesByPartition(whileOpen.messages),
    expectedView(["before"]),
    "read_committed: only what precedes the open transaction (not even the later plain messages)",
  );
  assert.deepEqual(
    whileOpen.eof,
    new Map(parts.map(({ t: topic, p }) => [`${topic}:${p}`, 2])),
    "read_committed ends at the LSO",
  );
  const uncommitted = await readTopics(broker.bootstrap, "read_uncommitted", specs);
  assert.deepEqual(valuesByPartition(uncommitted.messages), expectedView(["before", "open", "after"]));

  await open.commit();
  await waitFor(
    "the LSO to pass the committed transaction (its markers written)",
    async () => {
      for (const { t: topic, p } of parts)
        if ((await latestOffset(broker.port, topic, p, "read_committed")) !== 7) return false;
      return true;
    },
    15_000,
  );
  const afterCommit = await readTopics(broker.bootstrap, "read_committed", specs);
  assert.deepEqual(
    valuesByPartition(afterCommit.messages),
    expectedView(["before", "open", "after"]),
    "read_committed after the commit: the transaction and the messages behind it",
  );
});
