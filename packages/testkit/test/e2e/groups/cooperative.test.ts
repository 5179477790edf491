// Cooperative (incremental) rebalancing, KIP-429: librdkafka's "cooperative-sticky" assignor runs
// in the clients; the broker only sees members rejoining in repeated rounds (the first round
// revokes the partitions that move, the second hands them out). Two confluent-kafka members
// share a 6-partition topic, a third joins while messages keep coming: the survivors keep a
// subset of what they had (sticky), the newcomer gets the rest, and with commits after every
// batch every message is processed exactly once.

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  allValues,
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  closeAll,
  PyMember,
  produceSpread,
  track,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";

const topic = "incremental";
const partitions = 6;
const group = "cooperative";

test("cooperative-sticky members (confluent-kafka): a third member joins in incremental rounds, nothing lost or repeated", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { [topic]: partitions });
  const options = {
    group,
    topics: [topic],
    autoCommit: false,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    strategy: ["cooperative-sticky"],
  };
  const start = (name: string) =>
    track(defer, new PyMember("confluent-kafka", broker.bootstrap, options, name));
  const a = start("cooperative a");
  const b = start("cooperative b");
  const before = await waitForStableGroup(admin, group, 2, [a, b]);
  assert.equal(before.protocol, "cooperative-sticky");

  const produced = await produceSpread(broker.bootstrap, topic, partitions, "c1", 120);
  const processed = () => {
    const seen = new Set(allValues([a, b, c]));
    return produced.every((v) => seen.has(v));
  };
  const c = start("cooperative c");
  const after = await waitForStableGroup(admin, group, 3, [a, b, c]);
  produced.push(...(await produceSpread(broker.bootstrap, topic, partitions, "c2", 120)));
  await waitFor("every message processed by the three members", processed, 60_000, () =>
    [a, b, c].map((m) => m.log()).join("\n"),
  );

  // Sticky and incremental: a survivor only gives partitions away, it never swaps them.
  const partsOf = (view: typeof before, clientMember: string) =>
    view.members.find((m) => m.memberId === clientMember)?.parts ?? [];
  for (const survivor of before.members) {
    const kept = partsOf(after, survivor.memberId);
    assert.ok(kept.length > 0, `${survivor.memberId} keeps partitions`);
    for (const part of kept)
      assert.ok(survivor.parts.includes(part), `${part} stayed with ${survivor.memberId}`);
  }
  const all = after.members.flatMap((m) => m.parts);
  assert.equal(new Set(all).size, partitions, "every partition assigned once");
  assert.equal(all.length, partitions);
  // Two rounds at least: the generation moved by two or more while c joined.
  const generations = a.assignments.map((e) => e.generation).filter((g): g is number => g !== null);
  assert.ok(
    Math.max(...generations) - Math.min(...generations) >= 2,
    `generations seen by a: ${generations}`,
  );

  await closeAll([a, b, c]);
  assertExactlyOnce(allValues([a, b, c]), produced, "cooperative group");
});
