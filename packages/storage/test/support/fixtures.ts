// Helpers shared by the log manager, fault and crash tests.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchMessages, decodeBatches, encodeMessages } from "@nagare/protocol/records";
import type { PartitionLog } from "../../src/partition-log.ts";
import type { LogFields, StorageLogger } from "../../src/storage-logger.ts";

export const baseTime = 1_700_000_000_000;

export interface TestContextLike {
  after(fn: () => Promise<void>): void;
}

const cleanups = new WeakMap<TestContextLike, (() => Promise<unknown>)[]>();

/**
 * Registers `fn` to run when the test ends, in reverse order of registration (node:test runs
 * `after` hooks first-registered-first): a log manager is closed before its directory is removed.
 */
export function onCleanup(t: TestContextLike, fn: () => Promise<unknown>): void {
  let stack = cleanups.get(t);
  if (!stack) {
    const fresh: (() => Promise<unknown>)[] = [];
    cleanups.set(t, fresh);
    t.after(async () => {
      for (const cleanup of fresh.reverse()) await cleanup();
    });
    stack = fresh;
  }
  stack.push(fn);
}

export async function tempDir(t: TestContextLike, prefix = "nagare-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** One batch of `count` records valued `<tag>:<i>` (offsets are assigned by the log). */
export function batch(tag: string, count: number, options: { size?: number; ts?: number } = {}): Buffer {
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({
      key: `${tag}-k${i}`,
      value: `${tag}:${i}`.padEnd(options.size ?? 0, "."),
      timestamp: BigInt((options.ts ?? baseTime) + i),
    })),
  );
}

/** `<offset>=<value>` for every record of whole batches (CRC checked by the decoder). */
export function values(records: Buffer): string[] {
  return decodeBatches(records).flatMap((b) =>
    batchMessages(b).map((m) => `${m.offset}=${m.value?.toString().replace(/\.+$/, "")}`),
  );
}

/** Every record from the log start to the log end, read segment by segment (read stops at a segment's end). */
export async function readAll(log: PartitionLog): Promise<string[]> {
  const all: string[] = [];
  for (let offset = log.logStartOffset, reads = 0; offset < log.logEndOffset && reads < 100_000; reads++) {
    const got = values((await log.read(offset, { maxBytes: 1 << 20 })).records).filter(
      (v) => BigInt(v.slice(0, v.indexOf("="))) >= offset,
    );
    if (got.length === 0) throw new Error(`nothing readable at ${offset} below ${log.logEndOffset}`);
    all.push(...got);
    const last = got[got.length - 1] as string;
    offset = BigInt(last.slice(0, last.indexOf("="))) + 1n;
  }
  return all;
}

export interface LoggedEvent {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly fields: LogFields;
}

export function captureLogger(): StorageLogger & { events: LoggedEvent[] } {
  const events: LoggedEvent[] = [];
  const at =
    (level: LoggedEvent["level"]) =>
    (message: string, fields: LogFields = {}) => {
      events.push({ level, message, fields });
    };
  return { events, info: at("info"), warn: at("warn"), error: at("error") };
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
