// Partition choice, byte-compatible with the Java client: a keyed record goes to
// toPositive(murmur2(key)) % partitions (Utils.murmur2 / Utils.toPositive), so a key lands in the
// same partition whichever client wrote it; a keyless record goes to a "sticky" partition per
// topic that changes only when its batch is closed (KIP-480), so keyless traffic fills whole
// batches instead of spraying one record per partition.

export interface PartitionerArgs {
  readonly topic: string;
  /** The serialized key (null for a keyless record). */
  readonly key: Buffer | null;
  readonly partitionCount: number;
}

/** A custom partitioner: returns a partition index in [0, partitionCount). */
export type Partitioner = (args: PartitionerArgs) => number;

const seed = 0x9747b28c;
const m = 0x5bd1e995;

/** Kafka's murmur2 (32-bit, seed 0x9747b28c): a signed int32 exactly as Java's Utils.murmur2. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = seed ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k =
      ((data[i] as number) & 0xff) |
      (((data[i + 1] as number) & 0xff) << 8) |
      (((data[i + 2] as number) & 0xff) << 16) |
      (((data[i + 3] as number) & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The tail falls through from three bytes to one, as Java's switch does.
  const rest = length & 3;
  if (rest === 3) h ^= ((data[whole + 2] as number) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[whole + 1] as number) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[whole] as number) & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, which fails for MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Java's default partitioner gives a keyed record. */
export function keyPartition(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}

/**
 * The sticky partition of each topic for keyless records. A topic keeps its partition until the
 * accumulator closes the batch being filled there (full, or drained for sending); the next keyless
 * record then picks another partition at random, preferring ones with a leader.
 */
export class StickyPartitions {
  private readonly current = new Map<string, number>();
  /** The partition each topic last left, so that a switch goes somewhere else. */
  private readonly left = new Map<string, number>();
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  /** The topic's sticky partition, choosing one when there is none (or it is out of range). */
  partition(topic: string, partitionCount: number, available: readonly number[] = []): number {
    const known = this.current.get(topic);
    if (known !== undefined && known < partitionCount) return known;
    return this.choose(topic, partitionCount, available, known ?? this.left.get(topic));
  }

  /** The batch on `partition` closed: if it was the topic's sticky one, move on next time. */
  batchClosed(topic: string, partition: number): void {
    if (this.current.get(topic) !== partition) return;
    this.current.delete(topic);
    this.left.set(topic, partition);
  }

  private choose(
    topic: string,
    partitionCount: number,
    available: readonly number[],
    previous: number | undefined,
  ): number {
    const pool = available.length > 0 ? available : Array.from({ length: partitionCount }, (_, i) => i);
    // Never the partition just left, when there is another to go to.
    const candidates = pool.length > 1 ? pool.filter((p) => p !== previous) : pool;
    const chosen = candidates[Math.floor(this.random() * candidates.length)] ?? 0;
    this.current.set(topic, chosen);
    return chosen;
  }
}
