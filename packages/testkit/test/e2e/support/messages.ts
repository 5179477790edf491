// Consumers for the end-to-end tests (kcat, kafka-python, confluent-kafka — all by partition
// assignment, no consumer groups) that read topics back as one common message shape, the checks
// the tests share, and Kafka's Java-compatible murmur2 partitioner as the reference for keys.

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { debianPython, run } from "./clients.ts";

export const kcat = "/usr/bin/kcat";
export const pyClient = fileURLToPath(new URL("./py-client.py", import.meta.url));

export interface Consumed {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly (readonly [string, string | null])[];
  readonly timestamp: number;
  readonly timestampType: "create" | "logappend";
}

function lines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line.trim() !== "");
}

/** Reads a whole topic with kcat -C (assign mode) from the beginning to the end. */
export async function consumeWithKcat(
  bootstrap: string,
  topic: string,
  extra: readonly string[] = [],
): Promise<Consumed[]> {
  const result = await run(
    kcat,
    ["-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-J", ...extra],
    { timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  return lines(result.stdout).map((line) => {
    const m = JSON.parse(line) as {
      topic: string;
      partition: number;
      offset: number;
      tstype: string;
      ts: number;
      key: string | null;
      payload: string | null;
      headers?: (string | null)[];
    };
    const headers: [string, string | null][] = [];
    const flat = m.headers ?? [];
    for (let i = 0; i + 1 < flat.length; i += 2) headers.push([String(flat[i]), flat[i + 1] ?? null]);
    return {
      topic: m.topic,
      partition: m.partition,
      offset: m.offset,
      key: m.key,
      value: m.payload,
      headers,
      timestamp: m.ts,
      timestampType: m.tstype === "logappend" ? "logappend" : "create",
    };
  });
}

/** Reads whole topics (`name:partitions`) with a Python client, assigning every partition. */
export async function consumeWithPython(
  lib: "kafka-python" | "confluent-kafka",
  bootstrap: string,
  specs: readonly string[],
): Promise<Consumed[]> {
  const result = await run(debianPython, [pyClient, "consume", lib, bootstrap, ...specs], {
    timeoutMs: 120_000,
  });
  assert.equal(result.code, 0, result.stderr);
  return lines(result.stdout).map((line) => {
    const m = JSON.parse(line) as {
      t: string;
      p: number;
      o: number;
      k: string | null;
      v: string | null;
      h: [string, string | null][];
      ts: number;
      tt: string;
    };
    return {
      topic: m.t,
      partition: m.p,
      offset: m.o,
      key: m.k,
      value: m.v,
      headers: m.h,
      timestamp: m.ts,
      timestampType: m.tt === "logappend" ? "logappend" : "create",
    };
  });
}

/** Produces the standard sequence (key-i%97, prefix-i, headers seq/src, CreateTime base+i). */
export async function produceWithPython(
  lib: "kafka-python" | "confluent-kafka",
  bootstrap: string,
  topic: string,
  codec: string,
  count: number,
  prefix: string,
  baseTimestamp: number,
): Promise<void> {
  const result = await run(
    debianPython,
    [pyClient, "produce", lib, bootstrap, topic, codec, String(count), prefix, String(baseTimestamp)],
    { timeoutMs: 120_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as { delivered: number; errors: string[] };
  assert.deepEqual(summary, { delivered: count, errors: [] }, `${lib} ${codec} → ${topic}`);
}

export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export interface Expected {
  readonly prefix: string;
  readonly count: number;
  /** Headers carry seq and src (kcat can only send constant headers: src alone). */
  readonly seqHeader: boolean;
  /** Exact CreateTime base+i, or the window the producer ran in. */
  readonly timestamps: { readonly base: number } | { readonly from: number; readonly to: number };
}

/**
 * Checks one topic read back: every message exactly once with its key, value, headers and
 * timestamp; per partition, offsets 0,1,2,… and the producer's order.
 */
export function checkTopic(messages: readonly Consumed[], expected: Expected, what: string): void {
  assert.equal(messages.length, expected.count, `${what}: message count`);
  for (const [partition, list] of groupBy(messages, (m) => m.partition)) {
    list.forEach((m, i) => {
      if (m.offset !== i) assert.fail(`${what}: partition ${partition} offset ${m.offset} at position ${i}`);
    });
    let last = -1;
    for (const m of list) {
      const seq = Number(m.value?.slice(expected.prefix.length + 1));
      if (!(seq > last)) assert.fail(`${what}: partition ${partition} out of order at offset ${m.offset}`);
      last = seq;
    }
  }
  const seen = new Set<number>();
  for (const m of messages) {
    const i = Number(m.value?.slice(expected.prefix.length + 1));
    assert.equal(m.value, `${expected.prefix}-${i}`, `${what}: value`);
    assert.equal(m.key, `key-${i % 97}`, `${what}: key of ${m.value}`);
    const headers = expected.seqHeader
      ? [
          ["seq", String(i)],
          ["src", expected.prefix],
        ]
      : [["src", expected.prefix]];
    assert.deepEqual(m.headers, headers, `${what}: headers of ${m.value}`);
    assert.equal(m.timestampType, "create", `${what}: timestamp type`);
    if ("base" in expected.timestamps)
      assert.equal(m.timestamp, expected.timestamps.base + i, `${what}: timestamp of ${m.value}`);
    else if (m.timestamp < expected.timestamps.from || m.timestamp > expected.timestamps.to)
      assert.fail(`${what}: timestamp ${m.timestamp} of ${m.value} outside the produce window`);
    seen.add(i);
  }
  assert.equal(seen.size, expected.count, `${what}: every sequence number once`);
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as the Java client hashes keys. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= (data[whole + 2] as number) << 16;
  if (rest >= 2) h ^= (data[whole + 1] as number) << 8;
  if (rest >= 1) {
    h ^= data[whole] as number;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Java's default partitioner picks for a keyed record. */
export function javaPartition(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions;
}
