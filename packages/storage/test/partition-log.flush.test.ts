// fsync bookkeeping under truncation: an fsync that overlapped a truncation must not move the
// recovery point past the new log end (it would claim unflushed, rewritten offsets are durable),
// and a durable append whose offsets a truncation removed must still resolve.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";

const now = 1_700_000_000_000;

function batch(count: number): Buffer {
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({
      key: `k${i}`,
      value: "v".repeat(200),
      timestamp: BigInt(now + i),
    })),
  );
}

async function openLog(
  t: { after: (fn: () => Promise<void>) => void },
  values: Record<string, string>,
): Promise<PartitionLog> {
  const root = await mkdtemp(join(tmpdir(), "nagare-flush-"));
  const { log } = await PartitionLog.open({
    dir: join(root, "t-0"),
    config: parseLogConfig(values),
    clock: () => now,
  });
  t.after(async () => {
    await log.close();
    await rm(root, { recursive: true, force: true });
  });
  return log;
}

/** Rejects when `promise` has not settled by the deadline (a hang is the failure being tested). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

test("flushes racing truncations never leave the recovery point past the log end", async (t) => {
  const log = await openLog(t, { "segment.bytes": "4096" }); // rolls flush in the background too
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 5; i++) await log.append(batch(3));
    const flushing = log.flush();
    const truncating = log.truncateTo(log.logEndOffset - BigInt(1 + (round % 9)));
    await within(Promise.all([flushing, truncating]), 10_000, `round ${round}`);
    assert.ok(
      log.recoveryPoint <= log.logEndOffset,
      `round ${round}: ${log.recoveryPoint} > ${log.logEndOffset}`,
    );
  }
  await log.flush();
  assert.equal(log.recoveryPoint, log.logEndOffset);
});

test("a durable append whose offsets are truncated away while it waits for its fsync still resolves", async (t) => {
  const log = await openLog(t, { "flush.messages": "1" });
  await log.append(batch(2));
  for (let round = 0; round < 20; round++) {
    const appending = log.append(batch(4));
    const truncating = log.truncateTo(2n);
    await within(Promise.all([appending, truncating]), 10_000, `round ${round}`);
    assert.equal(log.logEndOffset, 2n);
    assert.ok(log.recoveryPoint <= 2n);
  }
});
