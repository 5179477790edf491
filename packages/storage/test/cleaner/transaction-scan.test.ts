import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ControlRecordType,
  decodeBatches,
  encodeEndTxnMarkerBatch,
  encodeMessages,
  readEndTxnMarker,
} from "@nagare/protocol/records";
import type { PartitionLog } from "../../src/partition-log.ts";
import { compactedFixture } from "./cleaner-test-kit.ts";

interface Seen {
  readonly offset: bigint;
  readonly what: string;
}

/** Records as "key=value" and markers as "COMMIT(pid)"/"ABORT(pid)", by offset. */
async function contents(log: PartitionLog): Promise<Seen[]> {
  const out: Seen[] = [];
  let offset = log.logStartOffset;
  for (let reads = 0; reads < 10_000 && offset < log.logEndOffset; reads++) {
    const { records } = await log.read(offset, { maxBytes: 1 << 20 });
    if (records.length === 0) break;
    for (const batch of decodeBatches(records)) {
      const marker = readEndTxnMarker(batch);
      if (marker)
        out.push({
          offset: batch.baseOffset,
          what: `${marker.type === ControlRecordType.COMMIT ? "COMMIT" : "ABORT"}(${batch.producerId})`,
        });
      else
        for (const r of batch.records)
          out.push({ offset: batch.baseOffset + BigInt(r.offsetDelta), what: `${r.key}=${r.value}` });
      offset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

test("aborted records never hide committed ones and are removed; markers stay; undecided transactions stop the clean", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t);
  const ts = BigInt(clock.now);
  const txn = (producerId: bigint, entries: [string, string][]) =>
    log.append(
      encodeMessages(
        entries.map(([key, value]) => ({ key, value, timestamp: ts })),
        { isTransactional: true, producerId, producerEpoch: 0, baseSequence: 0 },
      ),
    );
  const marker = (producerId: bigint, type: ControlRecordType) =>
    log.append(
      encodeEndTxnMarkerBatch({ type, producerId, producerEpoch: 0, coordinatorEpoch: 1, timestamp: ts }),
      {
        origin: "coordinator",
      },
    );
  const plain = (key: string, value: string) => log.append(encodeMessages([{ key, value, timestamp: ts }]));

  await plain("a", "plain-1"); // 0
  await txn(1n, [["a", "committed"]]); // 1
  await marker(1n, ControlRecordType.COMMIT); // 2
  await txn(2n, [
    ["a", "aborted"],
    ["b", "aborted"],
  ]); // 3-4
  await plain("c", "plain-1"); // 5
  await marker(2n, ControlRecordType.ABORT); // 6
  await log.roll();
  await plain("c", "plain-2"); // 7
  await txn(3n, [["d", "undecided"]]); // 8: no marker in the closed segments
  await plain("c", "plain-3"); // 9
  await log.roll();
  await plain("d", "later"); // 10
  await log.roll();
  await marker(3n, ControlRecordType.COMMIT); // 11, in the active segment

  const result = await cleaner.clean(log, 0n, clock.now);
  assert.ok(result);
  assert.equal(result.cleanedUpTo, 7n, "the clean stops at the segment holding the undecided transaction");
  assert.deepEqual(await contents(log), [
    { offset: 1n, what: "a=committed" },
    { offset: 2n, what: "COMMIT(1)" },
    { offset: 5n, what: "c=plain-1" },
    { offset: 6n, what: "ABORT(2)" },
    { offset: 7n, what: "c=plain-2" },
    { offset: 8n, what: "d=undecided" },
    { offset: 9n, what: "c=plain-3" },
    { offset: 10n, what: "d=later" },
    { offset: 11n, what: "COMMIT(3)" },
  ]);

  // Once the marker is in a closed segment, the transaction is decided and the rest is cleanable.
  await log.roll();
  await plain("z", "end");
  const second = await cleaner.clean(log, result.cleanedUpTo, clock.now);
  assert.ok(second);
  assert.deepEqual(await contents(log), [
    { offset: 1n, what: "a=committed" },
    { offset: 2n, what: "COMMIT(1)" },
    { offset: 6n, what: "ABORT(2)" },
    { offset: 9n, what: "c=plain-3" },
    { offset: 10n, what: "d=later" },
    { offset: 11n, what: "COMMIT(3)" },
    { offset: 12n, what: "z=end" },
  ]);
});
