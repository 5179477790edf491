// Kafka's offset checkpoint files (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
// cleaner-offset-checkpoint), byte-compatible with Kafka's:
//
//   0                      version
//   2                      number of entries
//   orders 0 1520          <topic> <partition> <offset>, one per line
//   my.topic-name 3 88
//
// Reading is strict: a wrong version, a count that disagrees with the lines, a malformed or
// duplicated entry makes the whole file "corrupt" — reported to the caller, who treats it as
// missing (recovery from 0, log start at the first segment), never an exception. Writing is atomic
// (temp file, fsync, rename, fsync of the directory): a crash leaves the old file or the new one.

import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./durable-fs.ts";
import { isValidTopicName, partitionDirName } from "./partition-dir-name.ts";

export const checkpointVersion = 0;

export interface CheckpointEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export type CheckpointRead =
  | { readonly status: "ok"; readonly entries: readonly CheckpointEntry[] }
  | { readonly status: "missing"; readonly entries: readonly CheckpointEntry[] }
  | { readonly status: "corrupt"; readonly entries: readonly CheckpointEntry[]; readonly problem: string };

const int32Max = 2147483647;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const entryPattern = /^(\S+)\s+(\d+)\s+(-?\d+)$/;

/** The file's text for `entries` (Kafka writes a newline after every line). */
export function formatOffsetCheckpoint(entries: readonly CheckpointEntry[]): string {
  const lines = [String(checkpointVersion), String(entries.length)];
  for (const { topic, partition, offset } of entries) lines.push(`${topic} ${partition} ${offset}`);
  return `${lines.join("\n")}\n`;
}

/** Parses a checkpoint's text; returns the entries or what is wrong with it. */
export function parseOffsetCheckpoint(text: string): CheckpointEntry[] | string {
  // An empty file is what Kafka creates before its first write: no entries.
  if (text === "") return [];
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === "") lines.pop();
  const [versionLine, countLine, ...entryLines] = lines;
  if (versionLine === undefined || !/^\d+$/.test(versionLine))
    return `malformed version line "${versionLine}"`;
  if (Number(versionLine) !== checkpointVersion)
    return `unsupported version ${versionLine} (expected ${checkpointVersion})`;
  if (countLine === undefined) return "the entry count line is missing";
  if (!/^\d+$/.test(countLine)) return `malformed entry count "${countLine}"`;
  const expected = Number(countLine);
  if (entryLines.length !== expected) return `expected ${expected} entries, found ${entryLines.length}`;
  const entries: CheckpointEntry[] = [];
  const seen = new Set<string>();
  for (const [i, line] of entryLines.entries()) {
    const match = entryPattern.exec(line);
    const where = `line ${i + 3}`;
    if (!match) return `${where}: malformed entry "${line}"`;
    const [, topic = "", partitionText = "", offsetText = ""] = match;
    if (!isValidTopicName(topic)) return `${where}: invalid topic name "${topic}"`;
    const partition = Number(partitionText);
    if (!Number.isSafeInteger(partition) || partition > int32Max)
      return `${where}: partition ${partitionText} is out of range`;
    const offset = BigInt(offsetText);
    if (offset < int64Min || offset > int64Max) return `${where}: offset ${offsetText} is not an int64`;
    const key = partitionDirName(topic, partition);
    if (seen.has(key)) return `${where}: ${key} appears twice`;
    seen.add(key);
    entries.push({ topic, partition, offset });
  }
  return entries;
}

/** Reads a checkpoint file; a missing or corrupt file yields no entries and says so. */
export async function readOffsetCheckpoint(path: string): Promise<CheckpointRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing", entries: [] };
    return { status: "corrupt", entries: [], problem: `cannot read ${path}: ${String(error)}` };
  }
  const parsed = parseOffsetCheckpoint(text);
  if (typeof parsed === "string") return { status: "corrupt", entries: [], problem: `${path}: ${parsed}` };
  return { status: "ok", entries: parsed };
}

/** Replaces the checkpoint atomically (`<path>.tmp`, fsync, rename, fsync of the directory). */
export function writeOffsetCheckpoint(path: string, entries: readonly CheckpointEntry[]): Promise<void> {
  return writeFileAtomic(path, formatOffsetCheckpoint(entries));
}

/** Entries by partition directory name (`<topic>-<partition>`). */
export function checkpointOffsets(entries: readonly CheckpointEntry[]): Map<string, bigint> {
  return new Map(entries.map((e) => [partitionDirName(e.topic, e.partition), e.offset]));
}
