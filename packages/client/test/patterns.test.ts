import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { batchesOf } from "../src/patterns/batching.ts";
import { deadLetterHeaders, processWithRetry } from "../src/patterns/retry.ts";
import type { ConsumerRecord, ProducerRecord, RecordMetadata } from "../src/types.ts";

const record: ConsumerRecord<string, string> = {
  topic: "orders",
  partition: 2,
  offset: 41n,
  timestamp: 1_700_000_000_000,
  timestampType: "CreateTime",
  key: "k",
  value: "v",
  headers: [{ key: "trace", value: Buffer.from("t-1") }],
  leaderEpoch: 0,
};

function recordingSend() {
  const sent: ProducerRecord<string, string>[] = [];
  const send = async (r: ProducerRecord<string, string>): Promise<RecordMetadata> => {
    sent.push(r);
    return { topic: r.topic, partition: 0, offset: 0n, timestamp: 0 };
  };
  return { sent, send };
}

test("retries with backoff until the handler succeeds", async () => {
  let calls = 0;
  const started = Date.now();
  const outcome = await processWithRetry(
    record,
    async () => {
      if (++calls < 3) throw new Error("flaky");
    },
    { retries: 5, initialBackoffMs: 20 },
  );
  assert.deepEqual(outcome, { status: "processed", attempts: 3 });
  assert.ok(Date.now() - started >= 16 + 32, "backed off twice (20 ms, then 40 ms, ±20%)");
});

test("a record that keeps failing goes to the dead-letter topic with its origin and error", async () => {
  const { sent, send } = recordingSend();
  const outcome = await processWithRetry(
    record,
    async () => {
      throw new TypeError("bad payload");
    },
    { retries: 2, initialBackoffMs: 1, deadLetter: { topic: "orders.dlq", send } },
  );
  assert.equal(outcome.status, "dead-lettered");
  assert.equal(outcome.attempts, 3);
  assert.equal(sent.length, 1);
  const dead = sent[0] as ProducerRecord<string, string>;
  assert.deepEqual(
    [dead.topic, dead.key, dead.value, dead.timestamp],
    ["orders.dlq", "k", "v", record.timestamp],
  );
  const headers = Object.fromEntries(
    (dead.headers as { key: string; value: Buffer | null }[]).map((h) => [h.key, h.value?.toString()]),
  );
  assert.deepEqual(headers, {
    trace: "t-1",
    [deadLetterHeaders.topic]: "orders",
    [deadLetterHeaders.partition]: "2",
    [deadLetterHeaders.offset]: "41",
    [deadLetterHeaders.timestamp]: String(record.timestamp),
    [deadLetterHeaders.errorName]: "TypeError",
    [deadLetterHeaders.errorMessage]: "bad payload",
    [deadLetterHeaders.attempts]: "3",
  });
});

test("non-retriable errors skip the retries; without a dead-letter topic the error is thrown", async () => {
  const { sent, send } = recordingSend();
  let calls = 0;
  const outcome = await processWithRetry(
    record,
    async () => {
      calls++;
      throw new RangeError("permanent");
    },
    { retries: 5, isRetriable: (e) => !(e instanceof RangeError), deadLetter: { topic: "dlq", send } },
  );
  assert.deepEqual([outcome.status, calls, sent.length], ["dead-lettered", 1, 1]);
  await assert.rejects(
    processWithRetry(record, async () => Promise.reject(new Error("nope")), {
      retries: 1,
      initialBackoffMs: 1,
    }),
    /nope/,
  );
});

async function* timed(items: [number, number][]): AsyncGenerator<number> {
  for (const [value, delayMs] of items) {
    await new Promise((r) => setTimeout(r, delayMs));
    yield value;
  }
}

test("batches close at maxSize, or maxWaitMs after their first item, and the tail is flushed", async () => {
  const batches: number[][] = [];
  for await (const batch of batchesOf(
    timed([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 150],
      [6, 0],
    ]),
    { maxSize: 3, maxWaitMs: 60 },
  ))
    batches.push(batch);
  assert.deepEqual(batches, [[1, 2, 3], [4], [5, 6]]);
  await assert.rejects(batchesOf(timed([]), { maxSize: 0, maxWaitMs: 1 }).next(), RangeError);
});

test("SIGTERM runs close and exits 0 once it has finished", async () => {
  const script = `
    import { closeOnSignals } from ${JSON.stringify(fileURLToPath(new URL("../src/patterns/shutdown.ts", import.meta.url)))};
    closeOnSignals(async () => { console.log("closing"); await new Promise((r) => setTimeout(r, 100)); console.log("closed"); });
    console.log("ready");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out === "ready\n") child.kill("SIGTERM");
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0);
  assert.equal(out, "ready\nclosing\nclosed\n");
});
