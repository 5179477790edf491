// Shared pieces of the consumer tests: a consumer running its iterator in the background and
// recording what it got and every rebalance event, and a kafkajs producer for test data.

import { Consumer, type ConsumerOptions, type TopicPartition } from "@nagare/client";
import { type Defer, kafkaFor, tp, waitFor } from "../../e2e/support/group-clients.ts";

export interface Got {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string | null;
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  readonly got: Got[];
  /** Rebalance events in order: ["assigned", ["t:0", …]] … */
  readonly events: [string, string[]][];
  /** The partitions held now (`topic:partition`, sorted). */
  held(): string[];
  /** The iterator's end (rejects if it threw). */
  readonly done: Promise<void>;
}

const names = (tps: readonly TopicPartition[]): string[] =>
  tps.map((p) => tp(p.topic, p.partition)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

/** A consumer iterating in the background; closed at the end of the test if still open. */
export function runConsumer(
  defer: Defer,
  options: ConsumerOptions,
  setup: (consumer: Consumer) => void,
): RunningConsumer {
  const consumer = new Consumer(options);
  const got: Got[] = [];
  const events: [string, string[]][] = [];
  let held = new Set<string>();
  consumer.on("assigned", (tps) => {
    events.push(["assigned", names(tps)]);
    for (const n of names(tps)) held.add(n);
  });
  consumer.on("revoked", (tps) => {
    events.push(["revoked", names(tps)]);
    for (const n of names(tps)) held.delete(n);
  });
  consumer.on("lost", (tps) => {
    events.push(["lost", names(tps)]);
    held = new Set();
  });
  setup(consumer);
  const done = (async () => {
    for await (const r of consumer)
      got.push({ topic: r.topic, partition: r.partition, offset: Number(r.offset), value: r.value });
  })();
  done.catch(() => {});
  defer(() => consumer.close());
  return {
    consumer,
    got,
    events,
    held: () => [...held].sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    done,
  };
}

/** Waits until `count` records arrived in total across `runners`. */
export async function waitForCount(
  runners: readonly RunningConsumer[],
  count: number,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    `${count} records`,
    () => runners.reduce((n, r) => n + r.got.length, 0) >= count,
    timeoutMs,
    () =>
      runners
        .map((r, i) => `consumer ${i}: ${r.got.length} records, events ${JSON.stringify(r.events)}`)
        .join("\n"),
  );
}

/** Produces messages with kafkajs (acks=all), each to the partition and with the timestamp given. */
export async function produce(
  bootstrap: string,
  topic: string,
  messages: readonly { partition: number; value: string; timestamp?: number }[],
): Promise<void> {
  const producer = kafkaFor(bootstrap, "consumer-test-producer").producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        partition: m.partition,
        value: m.value,
        ...(m.timestamp === undefined ? {} : { timestamp: String(m.timestamp) }),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** The values of `got`, sorted (for set comparisons). */
export const sortedValues = (got: readonly Got[]): string[] =>
  got.map((g) => g.value ?? "").sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
