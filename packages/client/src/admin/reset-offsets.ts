// kafka-consumer-groups.sh --reset-offsets as a computation: where each partition of the chosen
// topics would move to — earliest, latest, a time (the first record at or after it; the log end
// when there is none, as Kafka), an offset, or a shift from the committed offset (both clamped
// to the log).

import type { TopicPartition } from "../types.ts";
import type { Admin } from "./admin.ts";

export type ResetTarget =
  | { readonly to: "earliest" | "latest" }
  | { readonly to: "timestamp"; readonly timestamp: number }
  | { readonly to: "offset"; readonly offset: bigint }
  | { readonly to: "shift"; readonly by: bigint };

export async function plannedResets(
  admin: Admin,
  groupId: string,
  topics: readonly string[] | "all",
  target: ResetTarget,
): Promise<(TopicPartition & { offset: bigint })[]> {
  const committed = await admin.listGroupOffsets(groupId);
  const names = topics === "all" ? [...new Set(committed.map((c) => c.topic))] : topics;
  if (names.length === 0) return [];
  const partitions = (await admin.describeTopics(names)).flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partition })),
  );
  const [earliest, latest] = await Promise.all([
    admin.listOffsets(partitions.map((p) => ({ ...p, spec: "earliest" as const }))),
    admin.listOffsets(partitions.map((p) => ({ ...p, spec: "latest" as const }))),
  ]);
  if (target.to === "earliest")
    return partitions.map((p, i) => ({ ...p, offset: earliest[i]?.offset ?? 0n }));
  if (target.to === "latest") return partitions.map((p, i) => ({ ...p, offset: latest[i]?.offset ?? 0n }));
  if (target.to === "timestamp") {
    const found = await admin.listOffsets(
      partitions.map((p) => ({ ...p, spec: { timestamp: target.timestamp } })),
    );
    return partitions.map((p, i) => {
      const offset = found[i]?.offset ?? -1n;
      return { ...p, offset: offset < 0n ? (latest[i]?.offset ?? 0n) : offset };
    });
  }
  const absolute = target.to === "offset" ? target.offset : undefined;
  const shift = target.to === "shift" ? target.by : 0n;
  return partitions.map((p, i) => {
    const current = committed.find((c) => c.topic === p.topic && c.partition === p.partition)?.offset ?? -1n;
    const wanted = absolute ?? (current >= 0n ? current : 0n) + shift;
    const low = earliest[i]?.offset ?? 0n;
    const high = latest[i]?.offset ?? wanted;
    return { ...p, offset: wanted < low ? low : wanted > high ? high : wanted };
  });
}
