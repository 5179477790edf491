// Byte layout of the RecordBatch v2 header (magic 2, KIP-98), as documented in the Kafka protocol
// guide's "Record Batch" section. Every field is big-endian; offsets are relative to the start of
// the batch. `batchLength` counts the bytes after itself, so a whole batch is
// BATCH_LENGTH_PREFIX + batchLength bytes. The CRC-32C covers attributes .. end of batch, which
// leaves baseOffset and partitionLeaderEpoch free to be patched by the broker.

export const BASE_OFFSET_OFFSET = 0; // int64
export const BATCH_LENGTH_OFFSET = 8; // int32
export const PARTITION_LEADER_EPOCH_OFFSET = 12; // int32
export const MAGIC_OFFSET = 16; // int8
export const CRC_OFFSET = 17; // uint32
export const ATTRIBUTES_OFFSET = 21; // int16
export const LAST_OFFSET_DELTA_OFFSET = 23; // int32
export const BASE_TIMESTAMP_OFFSET = 27; // int64
export const MAX_TIMESTAMP_OFFSET = 35; // int64
export const PRODUCER_ID_OFFSET = 43; // int64
export const PRODUCER_EPOCH_OFFSET = 51; // int16
export const BASE_SEQUENCE_OFFSET = 53; // int32
export const RECORD_COUNT_OFFSET = 57; // int32
export const RECORDS_OFFSET = 61;

/** Size of the fixed header; the records section starts right after it. */
export const BATCH_HEADER_SIZE = RECORDS_OFFSET;
/** Bytes before (and including) the batchLength field: baseOffset + batchLength. */
export const BATCH_LENGTH_PREFIX = PARTITION_LEADER_EPOCH_OFFSET;
/** The smallest legal batchLength: a header with an empty records section. */
export const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - BATCH_LENGTH_PREFIX;
/** The first byte the CRC covers. */
export const CRC_START_OFFSET = ATTRIBUTES_OFFSET;
/** The only message format this package reads and writes. */
export const CURRENT_MAGIC = 2;
