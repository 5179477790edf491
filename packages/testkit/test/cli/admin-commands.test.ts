// The nagare command's admin tools run as processes against a broker: topics, configs, groups.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { run } from "../e2e/support/clients.ts";

const main = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));

function nagare(bootstrap: string, ...args: string[]) {
  return run(
    process.execPath,
    [main, ...args, ...(args.length > 1 ? ["--bootstrap-server", bootstrap] : [])],
    {
      timeoutMs: 30_000,
    },
  );
}

test("topics: create, list, describe, alter, delete; usage errors exit 2, broker refusals 1", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  let r = await nagare(
    b,
    "topics",
    "create",
    "--topic",
    "orders",
    "--partitions",
    "3",
    "--config",
    "retention.ms=60000",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "Created topic orders.\n");
  r = await nagare(b, "topics", "create", "--topic", "orders");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^nagare topics: .*TOPIC_ALREADY_EXISTS/);
  assert.equal(r.stderr.trim().split("\n").length, 1, "one line");
  assert.equal((await nagare(b, "topics", "create", "--topic", "orders", "--if-not-exists")).code, 0);
  await nagare(b, "topics", "create", "--topic", "audit");
  r = await nagare(b, "topics", "list");
  assert.equal(r.stdout, "audit\norders\n");
  r = await nagare(b, "topics", "describe", "--topic", "orders");
  const lines = r.stdout.trim().split("\n");
  assert.match(
    lines[0] ?? "",
    /^Topic: orders\tTopicId: [0-9a-f-]{36}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=60000$/,
  );
  assert.deepEqual(
    lines.slice(1),
    [0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1`),
  );
  assert.equal((await nagare(b, "topics", "alter", "--topic", "orders", "--partitions", "5")).code, 0);
  assert.match((await nagare(b, "topics", "describe", "--topic", "orders")).stdout, /PartitionCount: 5/);
  assert.equal((await nagare(b, "topics", "delete", "--topic", "audit")).code, 0);
  assert.equal((await nagare(b, "topics", "list")).stdout, "orders\n");
  r = await nagare(b, "topics", "create", "--partitions", "x", "--topic", "y");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected an integer, got "x"/);
  r = await nagare(b, "topics", "frobnicate");
  assert.equal(r.code, 2);
  r = await run(process.execPath, [main, "topics", "list", "--bootstrap-server", "127.0.0.1:1"], {
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no broker reachable/);
});

test("configs: describe and alter a topic's configs", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  await nagare(b, "topics", "create", "--topic", "cfg");
  let r = await nagare(
    b,
    "configs",
    "alter",
    "--entity-type",
    "topics",
    "--entity-name",
    "cfg",
    "--add-config",
    "retention.ms=5000,cleanup.policy=[delete,compact]",
  );
  assert.equal(r.code, 0, r.stderr);
  r = await nagare(b, "configs", "describe", "--entity-type", "topics", "--entity-name", "cfg");
  assert.match(r.stdout, /retention\.ms=5000 source=DYNAMIC_TOPIC_CONFIG/);
  assert.match(r.stdout, /cleanup\.policy=delete,compact source=DYNAMIC_TOPIC_CONFIG/);
  r = await nagare(
    b,
    "configs",
    "alter",
    "--entity-type",
    "topics",
    "--entity-name",
    "cfg",
    "--delete-config",
    "retention.ms",
  );
  r = await nagare(b, "configs", "describe", "--entity-type", "topics", "--entity-name", "cfg");
  assert.doesNotMatch(r.stdout, /retention\.ms/);
  r = await nagare(b, "configs", "describe", "--entity-type", "brokers", "--entity-name", "1", "--all");
  assert.match(r.stdout, /num\.partitions=1 source=DEFAULT_CONFIG/);
  r = await nagare(b, "configs", "describe", "--entity-type", "users", "--entity-name", "x");
  assert.equal(r.code, 2);
});

test("groups: list, describe with lag, reset offsets (dry run, then execute), delete", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  await nagare(b, "topics", "create", "--topic", "events", "--partitions", "2");
  const kafka = new Kafka({ brokers: [b], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (const partition of [0, 1])
    await producer.send({
      topic: "events",
      messages: Array.from({ length: 6 }, (_, i) => ({ partition, value: `v${i}` })),
    });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: "readers" });
  await consumer.connect();
  await consumer.subscribe({ topic: "events", fromBeginning: true });
  let seen = 0;
  await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => void seen++ });
  for (let i = 0; i < 200 && seen < 12; i++) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  let r = await nagare(b, "groups", "list");
  assert.equal(r.stdout, "readers\n");
  r = await nagare(b, "groups", "describe", "--group", "readers");
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("readers"))
    .map((l) => l.split(/\s+/).slice(0, 6));
  assert.deepEqual(rows, [
    ["readers", "events", "0", "6", "6", "0"],
    ["readers", "events", "1", "6", "6", "0"],
  ]);
  r = await nagare(
    b,
    "groups",
    "reset-offsets",
    "--group",
    "readers",
    "--topic",
    "events",
    "--to-offset",
    "2",
  );
  assert.match(r.stdout, /dry run/);
  assert.match(
    (await nagare(b, "groups", "describe", "--group", "readers")).stdout,
    /events\s+0\s+6\s+6\s+0/,
  );
  r = await nagare(
    b,
    "groups",
    "reset-offsets",
    "--group",
    "readers",
    "--topic",
    "events",
    "--to-offset",
    "2",
    "--execute",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    (await nagare(b, "groups", "describe", "--group", "readers")).stdout,
    /events\s+0\s+2\s+6\s+4/,
  );
  r = await nagare(
    b,
    "groups",
    "reset-offsets",
    "--group",
    "readers",
    "--topic",
    "events",
    "--to-latest",
    "--to-offset",
    "1",
  );
  assert.equal(r.code, 2);
  assert.equal((await nagare(b, "groups", "delete", "--group", "readers")).code, 0);
  assert.equal((await nagare(b, "groups", "list")).stdout, "");
  r = await nagare(b, "groups", "describe", "--group", "nobody");
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'nagare groups: group "nobody" does not exist\n');
});
