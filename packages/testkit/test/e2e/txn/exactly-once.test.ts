// Exactly-once consume-transform-produce (KIP-98, KIP-447): a processor reads `in` (read_committed)
// in a group, writes one "out:{value}" per input to `out` and commits the consumed offsets inside
// the same transaction (TxnOffsetCommit). It is SIGKILLed while a transaction has sent its output
// and its offsets but is not committed; a new processor with the same transactional.id and group
// fences it (InitProducerId aborts the open transaction, output and offsets both) and continues
// from the last committed offsets. In the end `out` read_committed holds each input exactly once,
// while read_uncommitted also shows the aborted attempt. confluent-kafka
// (send_offsets_to_transaction) and kafkajs (transaction.sendOffsets), each as a child process.

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  produceSpread,
  waitFor,
} from "../support/group-clients.ts";
import { Processor, readTopics } from "../support/txn-clients.ts";

const partitions = 3;
const count = 60;
const batch = 5;

async function scenario(t: { after(fn: () => unknown): void }, client: "confluent-kafka" | "kafkajs") {
  const defer = cleanups(t);
  const { broker } = await brokerWithTopics(defer, { in: partitions, out: partitions });
  const inputs = await produceSpread(broker.bootstrap, "in", partitions, "in", count);
  const options = { input: "in", output: "out", group: "eos", transactionalId: "eos-processor", batch };

  // First run: three transactions commit, the fourth sends everything but its commit.
  const first = new Processor(defer, client, broker.bootstrap, { ...options, pauseAt: 3 });
  await waitFor(
    "the first processor to stall inside its 4th transaction",
    () => first.events.paused !== undefined,
    45_000,
    () => first.log(),
  );
  assert.deepEqual(first.events.errors, [], first.log());
  assert.equal(first.events.committed.length, 3, first.log());
  const abandoned = first.events.paused ?? [];
  assert.ok(abandoned.length > 0, "the stalled transaction carries output");
  await first.kill();

  // Second run: same transactional.id and group; it finishes the input.
  const second = new Processor(defer, client, broker.bootstrap, options);
  const done = () => new Set([...first.committedValues(), ...second.committedValues()]).size === count;
  await waitFor("the second processor to commit the rest of the input", done, 60_000, () => second.log());
  await second.close();
  assert.deepEqual(second.events.errors, [], second.log());

  // Nothing committed twice, by the processors' own account: the second resumed at the offsets
  // committed in the first run's transactions, and the abandoned batch's offsets were discarded.
  assertExactlyOnce(
    [...first.committedValues(), ...second.committedValues()],
    inputs,
    `${client}: inputs processed in committed transactions`,
  );
  for (const value of abandoned)
    assert.ok(second.committedValues().includes(value), `${value} (abandoned) was processed again`);

  const committed = await readTopics(broker.bootstrap, "read_committed", [`out:${partitions}`]);
  assertExactlyOnce(
    committed.messages.map((m) => m.value ?? ""),
    inputs.map((v) => `out:${v}`),
    `${client}: out read_committed`,
  );
  for (const m of committed.messages)
    assert.equal(
      Number(m.value?.split("-")[1]) % partitions,
      m.partition,
      `${m.value} in its input's partition`,
    );
  const uncommitted = await readTopics(broker.bootstrap, "read_uncommitted", [`out:${partitions}`]);
  assert.equal(
    uncommitted.messages.length,
    count + abandoned.length,
    "read_uncommitted also shows the aborted attempt's output",
  );
}

test("confluent-kafka: consume-transform-produce with send_offsets_to_transaction survives a SIGKILL exactly once", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  await scenario(t, "confluent-kafka");
});

test("kafkajs: consume-transform-produce with sendOffsets survives a SIGKILL exactly once", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  await scenario(t, "kafkajs");
});
