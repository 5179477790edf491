// Transactions across a broker crash: the real `nagare broker` process is SIGKILLed with one
// transaction in each state and restarted on the same data dir (the coordinator reloads
// __transaction_state, the partitions their producer state and transaction index). confluent-kafka
// producers, three partitions of two topics, per partition in this order:
//   fenced   begun, sent, never ended; after the restart a new producer with its transactional.id
//            fences it (InitProducerId aborts it)
//   expired  begun, sent, never ended, transaction.timeout.ms 3000; after the restart the
//            coordinator aborts it on timeout
//   aborted  abort_transaction returned
//   committed commit_transaction returned, and the broker is killed immediately after (its
//            markers may not all be written: the coordinator must complete the commit on restart)
// After the restart read_committed shows every committed message on every partition and nothing
// of the others; new transactions commit.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DescribeTransactions } from "@nagare/protocol";
import { freePort, startBrokerProcess } from "@nagare/testkit";
import { debianPython, requireTool } from "../support/clients.ts";
import { cleanups, createTopics, openAdmin, waitFor } from "../support/group-clients.ts";
import { consumeWithKcat, kcat } from "../support/messages.ts";
import { request } from "../support/raw-request.ts";
import {
  latestOffset,
  PyTxnProducer,
  readTopics,
  txnSnapshot,
  valuesByPartition,
} from "../support/txn-clients.ts";

const parts = [
  { t: "rec-a", p: 0 },
  { t: "rec-a", p: 1 },
  { t: "rec-b", p: 0 },
] as const;
const specs = ["rec-a:2", "rec-b:1"];

/** One message per partition: `${prefix}-0` … `${prefix}-2`. */
function onEach(prefix: string): { t: string; p: number; v: string }[] {
  return parts.map(({ t, p }, i) => ({ t, p, v: `${prefix}-${i}` }));
}

function view(prefixes: readonly string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const { t, p } of parts) result.set(`${t}:${p}`, []);
  for (const prefix of prefixes) for (const m of onEach(prefix)) result.get(`${m.t}:${m.p}`)?.push(m.v);
  return result;
}

/** DescribeTransactions: the state of each transactional id. */
async function states(port: number, ids: readonly string[]): Promise<Record<string, string>> {
  const response = await request(port, DescribeTransactions, 0, { transactionalIds: [...ids] });
  return Object.fromEntries(response.transactionStates.map((s) => [s.transactionalId, s.transactionState]));
}

const config = {
  // Check for timed-out transactions twice a second rather than every 10 s.
  "transaction.abort.timed.out.transaction.cleanup.interval.ms": "500",
  "transaction.state.log.num.partitions": "5",
};

test("SIGKILL with transactions ongoing, just committed and aborted: after restart only committed data is visible", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  requireTool(kcat, "kcat");
  const defer = cleanups(t);
  const dataDir = await mkdtemp(join(tmpdir(), "nagare-txn-recovery-"));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const bootstrap = `127.0.0.1:${port}`;

  const first = await startBrokerProcess({ dataDir, port, config });
  defer(() => first.stop("SIGKILL"));
  const admin = await openAdmin(defer, bootstrap);
  await createTopics(admin, { "rec-a": 2, "rec-b": 1 });
  await admin.disconnect();

  const fenced = new PyTxnProducer(defer, bootstrap, { transactionalId: "rec-fenced" });
  const expired = new PyTxnProducer(defer, bootstrap, {
    transactionalId: "rec-expired",
    transactionTimeoutMs: 3000,
  });
  const aborted = new PyTxnProducer(defer, bootstrap, { transactionalId: "rec-aborted" });
  const committed = new PyTxnProducer(defer, bootstrap, { transactionalId: "rec-committed" });
  await Promise.all([fenced.init(), expired.init(), aborted.init(), committed.init()]);
  for (const [producer, prefix] of [
    [fenced, "fenced"],
    [expired, "expired"],
    [aborted, "aborted"],
    [committed, "committed"],
  ] as const) {
    await producer.begin();
    await producer.send(onEach(prefix));
  }
  await aborted.abort();
  await committed.commit();
  const killed = await first.stop("SIGKILL");
  assert.equal(killed.signal, "SIGKILL");
  // The producers die with the broker: nothing of theirs may finish the transactions.
  await Promise.all([fenced.kill(), expired.kill(), aborted.kill(), committed.kill()]);

  const second = await startBrokerProcess({ dataDir, port, config });
  defer(() => second.stop("SIGKILL"));
  let snapshot = "";
  const ids = ["rec-fenced", "rec-expired", "rec-aborted", "rec-committed"];
  const detail = () => `${snapshot}\n${second.output().slice(-8000)}`;
  /**
   * Every partition's LSO equals its high watermark (nothing open), which is at least `minimum`.
   * Not exactly: a commit or abort found in PrepareCommit/PrepareAbort at load is completed by
   * writing its markers again (Kafka does the same; a repeated marker is harmless).
   */
  const resolved = async (minimum: number) => {
    snapshot = await txnSnapshot(port, parts, ids);
    for (const { t: topic, p } of parts) {
      const hw = await latestOffset(port, topic, p, "read_uncommitted");
      if (hw < minimum || (await latestOffset(port, topic, p, "read_committed")) !== hw) return false;
    }
    return true;
  };

  // "expired" goes on its timeout; "fenced" stays open (it has the default 60 s timeout), holding
  // every partition's LSO at its first message, until a new producer takes its id over.
  const before = await readTopics(bootstrap, "read_committed", specs);
  assert.deepEqual(
    valuesByPartition(before.messages, before.eof.keys()),
    view([]),
    "read_committed before fencing: held at the LSO",
  );
  for (const { t: topic, p } of parts)
    assert.equal(await latestOffset(port, topic, p, "read_committed"), 0, `${topic}:${p} LSO before fencing`);

  // Kafka keeps an open transaction open across a coordinator restart (only its timeout or a new
  // producer ends it).
  assert.equal((await states(port, ids))["rec-fenced"], "Ongoing", detail());

  const successor = new PyTxnProducer(defer, bootstrap, { transactionalId: "rec-fenced" });
  await successor.init();
  // Per partition: 4 messages and the markers of fenced, expired, aborted and committed.
  await waitFor(
    "every transaction to be resolved (LSO = high watermark ≥ 8)",
    () => resolved(8),
    20_000,
    detail,
  );
  assert.deepEqual(
    await states(port, ids),
    {
      "rec-fenced": "Empty",
      "rec-expired": "CompleteAbort",
      "rec-aborted": "CompleteAbort",
      "rec-committed": "CompleteCommit",
    },
    "the coordinator's view: fenced and aborted (the new producer holds rec-fenced), expired aborted, committed committed",
  );
  const after = await readTopics(bootstrap, "read_committed", specs);
  assert.deepEqual(
    valuesByPartition(after.messages),
    view(["committed"]),
    "read_committed after restart: the committed transaction on every partition, nothing else",
  );
  const everything = await readTopics(bootstrap, "read_uncommitted", specs);
  assert.deepEqual(
    valuesByPartition(everything.messages),
    view(["fenced", "expired", "aborted", "committed"]),
    "read_uncommitted: all four transactions' messages survived the crash",
  );

  // New transactions work: the successor and a producer reusing the committed id.
  const again = new PyTxnProducer(defer, bootstrap, { transactionalId: "rec-committed" });
  await again.init();
  await again.begin();
  await again.send(onEach("again"));
  await again.commit();
  await successor.begin();
  await successor.send(onEach("successor"));
  await successor.commit();
  await waitFor("the new transactions' markers", () => resolved(12), 15_000, detail);
  const final = await readTopics(bootstrap, "read_committed", specs);
  assert.deepEqual(valuesByPartition(final.messages), view(["committed", "again", "successor"]));
  const kcatView = [
    ...(await consumeWithKcat(bootstrap, "rec-a", ["-X", "isolation.level=read_committed"])),
    ...(await consumeWithKcat(bootstrap, "rec-b", ["-X", "isolation.level=read_committed"])),
  ].map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, value: m.value }));
  assert.deepEqual(
    valuesByPartition(kcatView),
    view(["committed", "again", "successor"]),
    "kcat read_committed",
  );
  assert.equal((await second.stop("SIGTERM")).code, 0, detail());
});
