// The int16 `attributes` field of a v2 batch: compression codec in bits 0-2, timestamp type in
// bit 3, transactional bit 4, control bit 5, delete-horizon bit 6 (KIP-534). The remaining bits
// are unused and written as zero. Names follow Kafka's CompressionType / TimestampType.

export const CompressionType = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

export const TimestampType = { CREATE_TIME: 0, LOG_APPEND_TIME: 1 } as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_MASK = 0x10;
export const CONTROL_MASK = 0x20;
export const DELETE_HORIZON_MASK = 0x40;

const COMPRESSION_NAMES = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

export function isCompressionType(value: number): value is CompressionType {
  return Number.isInteger(value) && value >= 0 && value <= 4;
}

/** The `compression.type` config spelling of a codec ("none", "gzip", …). */
export function compressionName(codec: CompressionType): string {
  return COMPRESSION_NAMES[codec];
}

/** Parses a `compression.type` value; null when it names no codec (including "producer"). */
export function compressionFromName(name: string): CompressionType | null {
  const index = (COMPRESSION_NAMES as readonly string[]).indexOf(name);
  return index < 0 ? null : (index as CompressionType);
}

export interface BatchAttributes {
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizonMs: boolean;
}

export function encodeAttributes(attributes: BatchAttributes): number {
  return (
    attributes.compression |
    (attributes.timestampType === TimestampType.LOG_APPEND_TIME ? TIMESTAMP_TYPE_MASK : 0) |
    (attributes.isTransactional ? TRANSACTIONAL_MASK : 0) |
    (attributes.isControl ? CONTROL_MASK : 0) |
    (attributes.hasDeleteHorizonMs ? DELETE_HORIZON_MASK : 0)
  );
}
