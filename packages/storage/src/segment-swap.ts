// How compaction puts cleaned segments in place of the segments they were cleaned from, so that a
// crash at any moment leaves either all of the old segments or the new one (Kafka's protocol):
//
// 1. The cleaner writes `<base>.log.cleaned` (+ `.index.cleaned`, `.timeindex.cleaned`), fsynced.
//    A restart deletes every `.cleaned` file: the swap never happened.
// 2. Under the partition's queue, the indexes and then the .log are renamed to `.swap`, and the
//    directory is fsynced. The rename of the `.log` is the commit point: from then on a restart
//    completes the swap (below). Index `.swap` files without a `.log.swap` were never committed
//    and are deleted.
// 3. The segment list is updated and the replaced segments are deleted (renamed `.deleted`, then
//    unlinked once in-flight reads finish).
// 4. The new segment's indexes and then its .log lose the `.swap` suffix; the directory is fsynced.
//
// Completing a swap at open: the `.log.swap` covers the offsets [base, next offset) — the cleaner
// keeps the last batch of every cleaned segment (empty if need be) so that range reaches the end of
// the last segment it replaces. Every segment file whose base offset lies in that range is an old
// segment (the new segment's own base is the first replaced segment's base), so it is deleted, and
// the `.swap` files take their final names. An index already renamed to its final name (a crash in
// step 4) has no `.swap` twin and is kept.

import { open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDirectory } from "./durable-fs.ts";
import type { LogSegment } from "./segment.ts";
import { scanBatchHeaders } from "./segment-scan.ts";

export const cleanedSuffix = ".cleaned";
export const swapSuffix = ".swap";

/** Points of the swap a test can stop at (each is reached once per replacement segment or swap). */
export type SwapStep = "swap-committed" | "replaced-deleted";

export interface ReplaceSegmentsOptions {
  /** One per replaced segment: the swap fails when a segment's size changed (truncated) since. */
  readonly expectedSizes?: readonly number[];
  /** Test hook, awaited after each step. */
  readonly onStep?: (step: SwapStep) => void | Promise<void>;
}

/**
 * Steps 2-4 for segments already checked to be in the log; `install` updates the segment list.
 * Runs inside the partition's queue.
 */
export async function swapSegments(
  dir: string,
  replaced: readonly LogSegment[],
  replacement: readonly LogSegment[],
  install: () => void,
  onStep: ReplaceSegmentsOptions["onStep"],
): Promise<void> {
  const staged = replacement.filter((s) => !replaced.includes(s) && s.suffix !== "");
  for (const segment of staged) {
    await segment.changeSuffix(swapSuffix);
    await onStep?.("swap-committed");
  }
  await fsyncDirectory(dir);
  install();
  for (const segment of replaced) if (!replacement.includes(segment)) await segment.delete();
  await onStep?.("replaced-deleted");
  for (const segment of staged) await segment.changeSuffix("");
  await fsyncDirectory(dir);
}

const segmentFile = /^(\d{20})\.(log|index|timeindex|txnindex)$/;
const swapFile = /^(\d{20})\.(log|index|timeindex|txnindex)\.swap$/;

/**
 * Completes swaps a crash interrupted after their commit point and drops uncommitted index
 * `.swap` files. Returns the directory listing afterwards (`entries` when there was nothing to do).
 */
export async function completeInterruptedSwaps(dir: string, entries: readonly string[]): Promise<string[]> {
  const swaps = entries.filter((name) => swapFile.test(name));
  if (swaps.length === 0) return [...entries];
  const committed = swaps
    .filter((name) => name.endsWith(".log.swap"))
    .map((name) => BigInt(name.slice(0, 20)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of swaps) {
    if (!committed.includes(BigInt(name.slice(0, 20)))) await rm(join(dir, name), { force: true });
  }
  for (const base of committed) {
    const name = (suffix: string) => `${base.toString().padStart(20, "0")}${suffix}`;
    const next = await nextOffsetOf(join(dir, name(".log.swap")), base);
    const current = new Set(await readdir(dir));
    for (const file of current) {
      const match = segmentFile.exec(file);
      if (!match) continue;
      const fileBase = BigInt(match[1] as string);
      const covered = fileBase === base || (fileBase > base && fileBase < next);
      // The new segment's index already took its final name when it has no `.swap` twin.
      const isNewIndex = fileBase === base && match[2] !== "log" && !current.has(`${file}${swapSuffix}`);
      if (covered && !isNewIndex) await rm(join(dir, file), { force: true });
    }
    for (const suffix of [".index", ".timeindex", ".txnindex", ".log"]) {
      if (current.has(name(`${suffix}${swapSuffix}`)))
        await rename(join(dir, name(`${suffix}${swapSuffix}`)), join(dir, name(suffix)));
    }
  }
  await fsyncDirectory(dir);
  return readdir(dir);
}

/** The offset after the last whole batch of a .log file (its base offset when empty). */
async function nextOffsetOf(path: string, base: bigint): Promise<bigint> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    let next = base;
    await scanBatchHeaders(handle, 0, size, (batch) => {
      next = batch.lastOffset + 1n;
      return true;
    });
    return next;
  } finally {
    await handle.close();
  }
}
