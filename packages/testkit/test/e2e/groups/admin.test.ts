// The admin view of a group, through kafkajs's admin (ListGroups, DescribeGroups, OffsetFetch,
// DeleteGroups), kafka-python's KafkaAdminClient (list_consumer_groups, describe_consumer_groups,
// list_consumer_group_offsets), OffsetDelete (no installed client has it: a raw v0 request built by
// our codec) and /metrics (nagare_group_lag, nagare_group_members, nagare_group_state).
// Known numbers: "stock" gets 30 messages per partition, "archive" 5; the group commits stock 10/20/30
// as its active member and archive 3/5 as a simple (generation -1) commit while it was empty, so
// the lag is stock 20/10/0 and archive 2/0. A null commit metadata reads back as "" (Kafka's
// NO_METADATA), which kafka-python shows as is and kafkajs's fetchOffsets maps to null.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, OffsetCommit, OffsetDelete } from "@nagare/protocol";
import type { Admin } from "kafkajs";
import { debianPython, requireTool, run } from "../support/clients.ts";
import {
  brokerWithTopics,
  cleanups,
  describeGroup,
  KafkajsMember,
  produceSpread,
  pyGroupClient,
  tp,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";
import { samples } from "../support/prometheus.ts";
import { request } from "../support/raw-request.ts";

const group = "inventory";

/** Committed offset (and metadata) per `topic:partition`; -1 where there is none. */
async function committed(admin: Admin): Promise<Map<string, [number, string | null]>> {
  const result = new Map<string, [number, string | null]>();
  for (const t of await admin.fetchOffsets({ groupId: group, topics: ["stock", "archive"] }))
    for (const p of t.partitions) result.set(tp(t.topic, p.partition), [Number(p.offset), p.metadata]);
  return result;
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<string, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [tp(topic, o.partition), Number(o.high)]));
}

async function metrics(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return response.text();
}

/** nagare_group_lag of the group per `topic:partition`. */
function lagSamples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^nagare_group_lag\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
    );
    if (labels.group === group)
      result.set(tp(labels.topic ?? "", Number(labels.partition)), Number(match[2]));
  }
  return result;
}

function stateSamples(text: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const state of ["Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"])
    for (const value of samples(text, "nagare_group_state", { group, state })) result[state] = value;
  return result;
}

async function offsetDelete(port: number, topics: Record<string, number[]>) {
  const response = await request(port, OffsetDelete, 0, {
    groupId: group,
    topics: Object.entries(topics).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((partitionIndex) => ({ partitionIndex })),
    })),
  });
  const errors: Record<string, number> = {};
  for (const t of response.topics)
    for (const p of t.partitions) errors[tp(t.name, p.partitionIndex)] = p.errorCode;
  return { errorCode: response.errorCode, errors };
}

interface PythonAdminView {
  groups: [string, string][];
  described: {
    group: string;
    state: string;
    protocolType: string;
    protocol: string;
    members: { memberId: string; clientId: string; parts: string[] }[];
  }[];
  offsets: Record<string, [number, string]>;
}

async function pythonAdminView(bootstrap: string): Promise<PythonAdminView> {
  const result = await run(debianPython, [pyGroupClient, "admin", bootstrap, group], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as PythonAdminView;
}

test("admin view of a group: list, describe, offsets, lag (admin and /metrics), OffsetDelete, DeleteGroups", async (t) => {
  requireTool(debianPython, "python3-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { stock: 3, archive: 2 }, { http: true });
  const metricsUrl = broker.metricsUrl as string;
  await produceSpread(broker.bootstrap, "stock", 3, "s", 90);
  await produceSpread(broker.bootstrap, "archive", 2, "a", 10);

  // Before anything happened the group does not exist: Kafka describes it as Dead with no members.
  assert.deepEqual(await describeGroup(admin, group), {
    state: "Dead",
    protocol: "",
    protocolType: "",
    members: [],
  });
  assert.equal(
    (await admin.listGroups()).groups.find((g) => g.groupId === group),
    undefined,
  );
  await assert.rejects(
    admin.deleteGroups(["never-existed"]),
    (error: Error & { groups?: { error: { type: string } }[] }) => {
      assert.equal(error.groups?.[0]?.error.type, "GROUP_ID_NOT_FOUND");
      return true;
    },
  );

  // A simple commit (generation -1, no member id: what Java's AdminClient.alterConsumerGroupOffsets
  // sends) creates the group, Empty. kafkajs's setOffsets joins the group instead, so raw OffsetCommit v8.
  const simple = await request(broker.port, OffsetCommit, 8, {
    groupId: group,
    generationIdOrMemberEpoch: -1,
    memberId: "",
    groupInstanceId: null,
    topics: [
      {
        name: "archive",
        partitions: [
          { partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, committedMetadata: "archived" },
          { partitionIndex: 1, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
    ],
  });
  assert.deepEqual(
    simple.topics.flatMap((x) => x.partitions.map((p) => [x.name, p.partitionIndex, p.errorCode])),
    [
      ["archive", 0, ErrorCode.NONE],
      ["archive", 1, ErrorCode.NONE],
    ],
  );
  const created = await describeGroup(admin, group);
  assert.deepEqual(
    [created.state, created.members.length],
    ["Empty", 0],
    "a simple commit creates an Empty group",
  );

  const member = await KafkajsMember.start(
    defer,
    broker.bootstrap,
    { group, topics: ["stock"], autoCommit: false },
    "stock-keeper",
  );
  await waitForStableGroup(admin, group, 1, [member]);
  await waitFor(
    "the member to read every stock message",
    () => member.received.length >= 90,
    30_000,
    () => member.log(),
  );
  await member.commit([
    { topic: "stock", partition: 0, offset: 10, metadata: "checkpoint-7" },
    { topic: "stock", partition: 1, offset: 20 },
    { topic: "stock", partition: 2, offset: 30 },
  ]);

  // kafkajs admin
  assert.deepEqual(
    (await admin.listGroups()).groups.filter((g) => g.groupId === group),
    [{ groupId: group, protocolType: "consumer" }],
  );
  const view = await describeGroup(admin, group);
  assert.equal(view.state, "Stable");
  assert.equal(view.protocolType, "consumer");
  assert.equal(view.protocol, "RoundRobinAssigner", "kafkajs's default assigner");
  assert.equal(view.members.length, 1);
  assert.equal(view.members[0]?.clientId, "stock-keeper");
  assert.deepEqual(view.members[0]?.topics, ["stock"]);
  assert.deepEqual(view.members[0]?.parts, ["stock:0", "stock:1", "stock:2"]);
  const offsets = await committed(admin);
  assert.deepEqual(
    offsets,
    new Map<string, [number, string | null]>([
      ["stock:0", [10, "checkpoint-7"]],
      ["stock:1", [20, null]],
      ["stock:2", [30, null]],
      ["archive:0", [3, "archived"]],
      ["archive:1", [5, null]],
    ]),
    "OffsetFetch: offsets and metadata as committed (kafkajs turns Kafka's empty metadata into null)",
  );
  const ends = new Map([...(await endOffsets(admin, "stock")), ...(await endOffsets(admin, "archive"))]);
  const expectedLag = new Map([
    ["stock:0", 20],
    ["stock:1", 10],
    ["stock:2", 0],
    ["archive:0", 2],
    ["archive:1", 0],
  ]);
  assert.deepEqual(
    new Map([...offsets].map(([key, [offset]]) => [key, (ends.get(key) ?? Number.NaN) - offset])),
    expectedLag,
    "lag from the admin: end offset − committed",
  );

  // kafka-python KafkaAdminClient
  const py = await pythonAdminView(broker.bootstrap);
  assert.deepEqual(
    py.groups.filter(([g]) => g === group),
    [[group, "consumer"]],
  );
  assert.equal(py.described.length, 1);
  assert.deepEqual(
    {
      ...py.described[0],
      members: py.described[0]?.members.map((m) => ({ clientId: m.clientId, parts: m.parts })),
    },
    {
      group,
      state: "Stable",
      protocolType: "consumer",
      protocol: "RoundRobinAssigner",
      members: [{ clientId: "stock-keeper", parts: ["stock:0", "stock:1", "stock:2"] }],
    },
  );
  assert.deepEqual(py.offsets, {
    "stock:0": [10, "checkpoint-7"],
    "stock:1": [20, ""],
    "stock:2": [30, ""],
    "archive:0": [3, "archived"],
    "archive:1": [5, ""],
  });

  // /metrics
  let text = await metrics(metricsUrl);
  assert.deepEqual(lagSamples(text), expectedLag, "nagare_group_lag");
  assert.deepEqual(samples(text, "nagare_group_members", { group }), [1]);
  assert.equal(stateSamples(text).Stable, 1);
  assert.equal(
    Object.values(stateSamples(text)).reduce((a, b) => a + b, 0),
    1,
    "exactly one state is current",
  );

  // Produce more: the lag follows the high watermark.
  await produceSpread(broker.bootstrap, "stock", 3, "s", 3, 90);
  await waitFor(
    "nagare_group_lag to follow the high watermark",
    async () => {
      text = await metrics(metricsUrl);
      return lagSamples(text).get("stock:2") === 1;
    },
    10_000,
    () => text,
  );
  assert.equal(lagSamples(text).get("stock:0"), 21);

  // OffsetDelete with an active member: its subscribed topic is refused, the other one is not.
  assert.deepEqual(await offsetDelete(broker.port, { stock: [0], archive: [0] }), {
    errorCode: ErrorCode.NONE,
    errors: { "stock:0": ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, "archive:0": ErrorCode.NONE },
  });
  assert.equal((await committed(admin)).get("archive:0")?.[0], -1, "archive:0 deleted");
  assert.deepEqual((await committed(admin)).get("stock:0"), [10, "checkpoint-7"]);
  // DeleteGroups refuses a group with members.
  await assert.rejects(
    admin.deleteGroups([group]),
    (error: Error & { groups?: { error: { type: string } }[] }) => {
      assert.equal(error.groups?.[0]?.error.type, "NON_EMPTY_GROUP");
      return true;
    },
  );

  // The member leaves: the group is Empty and keeps its offsets.
  await member.close();
  const empty = await describeGroup(admin, group);
  assert.deepEqual([empty.state, empty.members.length], ["Empty", 0]);
  text = await metrics(metricsUrl);
  assert.deepEqual(samples(text, "nagare_group_members", { group }), [0]);
  assert.equal(stateSamples(text).Empty, 1);
  assert.deepEqual(
    lagSamples(text),
    new Map([
      ["stock:0", 21],
      ["stock:1", 11],
      ["stock:2", 1],
      ["archive:1", 0],
    ]),
    "lag only where an offset is committed (archive:0 was deleted)",
  );
  assert.deepEqual(await offsetDelete(broker.port, { stock: [2] }), {
    errorCode: ErrorCode.NONE,
    errors: { "stock:2": ErrorCode.NONE },
  });
  assert.equal((await committed(admin)).get("stock:2")?.[0], -1, "stock:2 deleted");

  await admin.deleteGroups([group]);
  assert.equal(
    (await admin.listGroups()).groups.find((g) => g.groupId === group),
    undefined,
  );
  assert.equal((await describeGroup(admin, group)).state, "Dead");
  assert.deepEqual(
    [...(await committed(admin)).values()].map(([offset]) => offset),
    [-1, -1, -1, -1, -1],
    "no offsets after DeleteGroups",
  );
  text = await metrics(metricsUrl);
  assert.equal(text.includes(`group="${group}"`), false, "no group metrics after DeleteGroups");
});
