// key → latest offset for the dirty section of a log, in fixed memory (Kafka's SkimpyOffsetMap):
// an open-addressing table of 24-byte slots, each the MD5 digest of a key (16 bytes) and an int64
// offset. Keys are never stored, so the table costs the same for 10-byte and 10-KiB keys; two keys
// with the same digest would be taken for one key (a 2^-128 chance per pair, as in Kafka).
// The table is filled up to a load factor of 0.9 so probes stay short. Offsets are kept as two
// uint32 halves (all ones = empty slot) so probing allocates no bigints.

import { hash } from "node:crypto";

const digestBytes = 16;
const slotBytes = digestBytes + 8;
const emptyHalf = 0xffffffff;
export const offsetMapLoadFactor = 0.9;

export class OffsetMap {
  readonly slots: number;
  private readonly table: Buffer;
  private count = 0;

  /** A table of `slots` slots (at least 2: one always stays empty). */
  constructor(slots: number) {
    if (!Number.isSafeInteger(slots) || slots < 2)
      throw new RangeError(`offset map slots ${slots} must be ≥ 2`);
    this.slots = slots;
    this.table = Buffer.alloc(slots * slotBytes);
    for (let slot = 0; slot < slots; slot++)
      this.table.fill(0xff, slot * slotBytes + digestBytes, (slot + 1) * slotBytes);
  }

  /** Slots for `memoryBytes` of table (Kafka's log.cleaner.dedupe.buffer.size accounting). */
  static slotsFor(memoryBytes: number): number {
    return Math.max(2, Math.floor(memoryBytes / slotBytes));
  }

  static readonly bytesPerSlot = slotBytes;

  /** Keys stored. */
  get size(): number {
    return this.count;
  }

  /** Keys that fit before the load factor is reached. */
  get capacity(): number {
    return Math.max(1, Math.min(this.slots - 1, Math.floor(this.slots * offsetMapLoadFactor)));
  }

  /**
   * Records `offset` as the latest for `key` (a later put for the same key wins). Returns false,
   * storing nothing, when `key` is new and the map is at capacity.
   */
  put(key: Buffer, offset: bigint): boolean {
    const digest = hash("md5", key, "buffer");
    const at = this.find(digest);
    if (this.isEmpty(at)) {
      if (this.count >= this.capacity) return false;
      digest.copy(this.table, at);
      this.count++;
    }
    this.table.writeBigInt64BE(offset, at + digestBytes);
    return true;
  }

  /** The latest offset recorded for `key`, or undefined. */
  get(key: Buffer): bigint | undefined {
    const at = this.find(hash("md5", key, "buffer"));
    return this.isEmpty(at) ? undefined : this.table.readBigInt64BE(at + digestBytes);
  }

  private isEmpty(at: number): boolean {
    return (
      this.table.readUInt32BE(at + digestBytes) === emptyHalf &&
      this.table.readUInt32BE(at + digestBytes + 4) === emptyHalf
    );
  }

  /** Byte position of the slot holding `digest`, or of the empty slot where it would go. */
  private find(digest: Buffer): number {
    let slot = digest.readUInt32BE(0) % this.slots;
    // Terminates: the load factor keeps at least one slot empty.
    for (;;) {
      const at = slot * slotBytes;
      if (this.isEmpty(at) || this.table.compare(digest, 0, digestBytes, at, at + digestBytes) === 0)
        return at;
      slot = slot + 1 === this.slots ? 0 : slot + 1;
    }
  }
}
