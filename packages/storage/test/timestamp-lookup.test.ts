import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeBatch, encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";

const now = 1_700_000_000_000;

async function openLog(t: { after: (fn: () => Promise<void>) => void }): Promise<PartitionLog> {
  const root = await mkdtemp(join(tmpdir(), "nagare-ts-"));
  const { log } = await PartitionLog.open({
    dir: join(root, "t-0"),
    config: parseLogConfig({}),
    clock: () => now,
  });
  t.after(async () => {
    await log.close();
    await rm(root, { recursive: true, force: true });
  });
  return log;
}

function batchAt(timestamps: readonly number[]): Buffer {
  return encodeMessages(timestamps.map((ts, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: BigInt(ts) })));
}

test("a batch straddling the log start offset that reaches the time only below it is passed over", async (t) => {
  const log = await openLog(t);
  await log.append(batchAt([1000, 5000, 1001, 1002, 1003])); // offsets 0-4: 5000 sits at offset 1
  await log.append(batchAt([4000, 4001, 4002])); // offsets 5-7, same segment
  await log.deleteRecordsBefore(2n);
  assert.deepEqual(await log.offsetForTimestamp(3000n), { offset: 5n, timestamp: 4000n });
  assert.deepEqual(await log.offsetForTimestamp(1002n), { offset: 3n, timestamp: 1002n });
  assert.equal(await log.offsetForTimestamp(4003n), undefined);
});

test("a batch whose header claims a larger maxTimestamp than its records is passed over", async (t) => {
  const log = await openLog(t);
  const record = {
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: 0,
    key: null,
    value: Buffer.from("x"),
    headers: [],
  };
  await log.append(encodeBatch({ baseTimestamp: 1000n, maxTimestamp: 9000n, records: [record] })); // offset 0
  await log.append(batchAt([8000])); // offset 1
  assert.deepEqual(await log.offsetForTimestamp(5000n), { offset: 1n, timestamp: 8000n });
});
