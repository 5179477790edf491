import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { LogCleaner } from "../src/cleaner/log-cleaner.ts";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";
import { segmentFileName } from "../src/segment.ts";
import {
  appendEntries,
  compactedConfig,
  describeRecords,
  expectedAfterClean,
  type ModelRecord,
  manualClock,
  random,
  readAll,
  tempLogDir,
} from "./cleaner/cleaner-test-kit.ts";

const child = new URL("./fixtures/clean-crash-child.ts", import.meta.url).pathname;
const config = { ...compactedConfig };
const childTimeoutMs = 30_000;

/** A template log of many segments (so a clean has several groups) and its model. */
async function buildTemplate(dir: string, now: number): Promise<ModelRecord[]> {
  const { log } = await PartitionLog.open({ dir, config: parseLogConfig(config), clock: () => now });
  const model: ModelRecord[] = [];
  const next = random(99);
  for (let b = 0; b < 60; b++) {
    const entries = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
      key: `key-${Math.floor(next() * 20)}`,
      value: next() < 0.1 ? null : `value-${b}`.padEnd(40, "."),
    }));
    await appendEntries(log, model, entries, now - 1000);
  }
  await log.close();
  return model;
}

interface ChildRun {
  readonly steps: string[];
  readonly finished: boolean;
}

/** Runs the child until it finishes or kills itself at step `killAt`; kills it on timeout. */
function runChild(dir: string, now: number, killAt: number | string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(now), String(killAt), JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => {
      if (proc.pid !== undefined) process.kill(proc.pid, "SIGKILL");
    }, childTimeoutMs);
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      const lines = out.split("\n").filter((l) => l !== "");
      const finished = lines.includes("finished");
      if (!finished && signal !== "SIGKILL") reject(new Error(`child exited ${code} ${signal}: ${err}`));
      else if (!finished && typeof killAt === "number" && lines.length !== killAt)
        reject(new Error(`child was killed early: ${out} ${err}`));
      else
        resolve({
          steps: lines.filter((l) => l !== "finished").map((l) => l.split(" ")[1] as string),
          finished,
        });
    });
  });
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /\.(cleaned|swap|deleted)$/.test(n));
}

/** No record is lost or changed: every record is the model's record at its offset, every latest survives. */
function assertNothingLost(
  records: readonly ModelRecord[],
  model: readonly ModelRecord[],
  when: string,
): void {
  const byOffset = new Map(model.map((r) => [r.offset, r]));
  let previous = -1n;
  for (const r of records) {
    assert.ok(r.offset > previous, `${when}: offsets increase`);
    previous = r.offset;
    const original = byOffset.get(r.offset);
    assert.equal(original?.key, r.key, `${when}: key at ${r.offset}`);
    assert.equal(original?.value, r.value, `${when}: value at ${r.offset}`);
  }
  const latest = new Map<string, bigint>();
  for (const r of model) latest.set(r.key, r.offset);
  for (const [key, offset] of latest)
    assert.ok(
      records.some((r) => r.offset === offset),
      `${when}: latest record of ${key} at ${offset} survives`,
    );
}

test("a crash at every step of a clean loses nothing; a restart completes or discards the swap", async (t) => {
  const dir = await tempLogDir(t);
  const template = `${dir}-template`;
  const clock = manualClock();
  const model = await buildTemplate(template, clock.now);
  const reached = new Set<string>();
  const cleaner = new LogCleaner({});
  t.after(() => cleaner.close());
  let finished = false;
  let commits = 0;
  for (let killAt = 1; killAt <= 40 && !finished; killAt++) {
    await rm(dir, { recursive: true, force: true });
    await cp(template, dir, { recursive: true });
    const run = await runChild(dir, clock.now, killAt);
    finished = run.finished;
    const when = finished
      ? "after a finished clean"
      : `after a crash at step ${killAt} (${run.steps.at(-1)})`;
    for (const step of run.steps) reached.add(step);
    if (finished) commits = run.steps.filter((s) => s === "swap-committed").length;

    const { log } = await PartitionLog.open({
      dir,
      config: parseLogConfig(config),
      clock: clock.read,
      recover: true,
    });
    try {
      assert.deepEqual(await leftovers(dir), [], `${when}: no temporary files remain`);
      assertNothingLost(await readAll(log), model, when);
      // The log is whole: a new clean reaches the same result as an uninterrupted one.
      const result = await cleaner.clean(log, 0n, clock.now);
      assert.ok(result && result.aborted === undefined);
      assert.deepEqual(
        describeRecords(await readAll(log)),
        describeRecords(expectedAfterClean(model, result.cleanedUpTo)),
        `${when}: cleaning again`,
      );
    } finally {
      await log.close();
    }
  }
  assert.ok(finished, "the clean finished once no step was killed");
  assert.ok(commits >= 2, `a partial commit was tested (${commits} groups)`);
  assert.deepEqual([...reached].sort(), ["cleaned", "done", "replaced-deleted", "swap-committed"]);
});

test("a crash between renaming the new indexes and the new .log keeps the new indexes", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const model = await buildTemplate(dir, clock.now);
  const run = await runChild(dir, clock.now, "replaced-deleted");
  assert.equal(run.steps.at(-1), "replaced-deleted");
  // Finish step 4 for the indexes only, as a crash just before the .log's rename would leave it.
  const swapped = (await readdir(dir))
    .filter((n) => n.endsWith(".log.swap"))
    .map((n) => BigInt(n.slice(0, 20)));
  assert.ok(swapped.length > 0);
  for (const base of swapped)
    for (const suffix of [".index", ".timeindex"])
      await rename(
        join(dir, `${segmentFileName(base, suffix)}.swap`),
        join(dir, segmentFileName(base, suffix)),
      );

  const { log } = await PartitionLog.open({ dir, config: parseLogConfig(config), clock: clock.read });
  t.after(() => log.close());
  assert.deepEqual(await leftovers(dir), []);
  const records = await readAll(log);
  assertNothingLost(records, model, "index renamed, .log not");
  assert.deepEqual(
    describeRecords(records),
    describeRecords(expectedAfterClean(model, log.active.baseOffset)),
  );
});

test("index .swap files whose .log never reached .swap are dropped and the old segment keeps its index", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const model = await buildTemplate(dir, clock.now);
  const run = await runChild(dir, clock.now, "cleaned");
  assert.deepEqual(run.steps, ["cleaned"]);
  // A crash after the indexes were renamed to .swap, before the .log (the commit point).
  const cleaned = (await readdir(dir))
    .filter((n) => n.endsWith(".log.cleaned"))
    .map((n) => BigInt(n.slice(0, 20)));
  const base = cleaned[0] as bigint;
  for (const suffix of [".index", ".timeindex"])
    await rename(
      join(dir, `${segmentFileName(base, suffix)}.cleaned`),
      join(dir, `${segmentFileName(base, suffix)}.swap`),
    );

  const { log } = await PartitionLog.open({ dir, config: parseLogConfig(config), clock: clock.read });
  t.after(() => log.close());
  assert.deepEqual(await leftovers(dir), []);
  assert.deepEqual(describeRecords(await readAll(log)), describeRecords(model), "nothing was cleaned");
  const old = log.segments.find((s) => s.baseOffset === base);
  assert.ok(old && old.offsetIndex.entries > 0, "the old segment's own index is in place");
  const located = await old.locate(old.nextOffset - 1n);
  assert.equal(located?.lastOffset, old.nextOffset - 1n, "and it points into the old .log");
});
