// The client against a Kafka implementation we did not write: librdkafka's mock cluster (3
// brokers, from Debian's librdkafka-dev), compiled from support/mock-cluster.c for this run.
// Produce, consume and group membership must work there as against our broker.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Consumer, type ConsumerRecord, Producer } from "@nagare/client";
import { requireTool, run } from "../e2e/support/clients.ts";

const source = fileURLToPath(new URL("./support/mock-cluster.c", import.meta.url));

async function startMockCluster(t: { after(fn: () => unknown): void }, topics: string[]): Promise<string[]> {
  requireTool("/usr/include/librdkafka/rdkafka_mock.h", "librdkafka-dev");
  const dir = await mkdtemp(join(tmpdir(), "nagare-mock-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const binary = join(dir, "mock-cluster");
  const built = await run("cc", ["-o", binary, source, "-lrdkafka"], { timeoutMs: 60_000 });
  assert.equal(built.code, 0, built.stderr);
  const child: ChildProcess = spawn(binary, topics, { stdio: ["pipe", "pipe", "ignore"] });
  t.after(() => {
    child.stdin?.end();
    child.kill("SIGKILL");
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the mock cluster printed no bootstrap address")),
      10_000,
    );
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.split("\n")[0] as string);
      }
    });
  });
  return line.split(",");
}

test("produce and consume against librdkafka's mock cluster", async (t) => {
  const brokers = await startMockCluster(t, ["orders:3"]);
  const producer = new Producer({ brokers, clientId: "interop" });
  await producer.connect();
  const sent = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      producer.send({ topic: "orders", key: `k${i % 7}`, value: `v${i}`, headers: { n: String(i) } }),
    ),
  );
  await producer.close();
  assert.deepEqual(new Set(sent.map((m) => m.partition)).size > 1, true, "keys spread over partitions");
  const consumer = new Consumer({ brokers, clientId: "interop", autoOffsetReset: "earliest" });
  await consumer.connect();
  consumer.assign([0, 1, 2].map((partition) => ({ topic: "orders", partition })));
  const got: ConsumerRecord<string | null, string | null>[] = [];
  for await (const record of consumer) {
    got.push(record);
    if (got.length === 60) break;
  }
  await consumer.close();
  assert.deepEqual(got.map((r) => r.value).sort(), sent.map((_, i) => `v${i}`).sort());
  for (const r of got) {
    const i = Number(r.value?.slice(1));
    assert.equal(r.key, `k${i % 7}`);
    assert.equal(r.headers.find((h) => h.key === "n")?.value?.toString(), String(i));
    const meta = sent[i];
    assert.deepEqual([r.partition, r.offset], [meta?.partition, meta?.offset]);
  }
});

// One member at a time: the mock answers a follower's SyncGroup that arrives after the leader's
// with INVALID_REQUEST (it completes the round on the leader's assignments alone; Kafka and Nagare
// answer the follower its assignment), so concurrent members race there. Sequential members
// exercise the same membership protocol: join, sync, commit, leave, and a rejoin resuming after
// the commit.
test("group membership on the mock cluster: join, consume, commit, leave; the next member resumes after the commit", async (t) => {
  const brokers = await startMockCluster(t, ["events:3"]);
  const producer = new Producer({ brokers, clientId: "interop" });
  await producer.connect();
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      producer.send({ topic: "events", partition: i % 3, value: `e${i}` }),
    ),
  );
  await producer.close();
  const member = () =>
    new Consumer({
      brokers,
      groupId: "g",
      clientId: "interop",
      autoOffsetReset: "earliest",
      enableAutoCommit: false,
      // The mock holds a rejoin for its session timeout minus 1 s after a member left.
      sessionTimeoutMs: 6000,
    });
  const first = member();
  await first.connect();
  first.subscribe(["events"]);
  const firstSeen: string[] = [];
  for await (const r of first) {
    firstSeen.push(r.value ?? "");
    if (firstSeen.length === 20) break;
  }
  assert.deepEqual(
    first
      .assignment()
      .map((p) => p.partition)
      .sort(),
    [0, 1, 2],
    "the only member owns every partition",
  );
  assert.ok(first.groupMetadata().generationId > 0);
  await first.commit();
  const committed = await first.committed([0, 1, 2].map((partition) => ({ topic: "events", partition })));
  assert.equal(
    committed.reduce((sum, c) => sum + Number(c.offset), 0),
    20,
    "20 records committed in all",
  );
  await first.close();

  const second = member();
  await second.connect();
  second.subscribe(["events"]);
  const secondSeen: string[] = [];
  for await (const r of second) {
    secondSeen.push(r.value ?? "");
    if (secondSeen.length === 20) break;
  }
  await second.close();
  assert.deepEqual(
    [...firstSeen, ...secondSeen].sort(),
    Array.from({ length: 40 }, (_, i) => `e${i}`).sort(),
    "the second member continued exactly after the first one's commit",
  );
});
