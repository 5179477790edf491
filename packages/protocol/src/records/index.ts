// Public API of RecordBatch v2 (magic 2): header view, scanning, records, compression, CRC-32C,
// whole-batch codec and transaction markers. Legacy v0/v1 message sets are not supported.

export { CodecError, type CodecErrorCode } from "../codec/codec-error.ts";
export {
  type BatchAttributes,
  CompressionType,
  compressionFromName,
  compressionName,
  encodeAttributes,
  isCompressionType,
  TimestampType,
} from "./attributes.ts";
export {
  batchRecordsSection,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecodeBatchesOptions,
  type DecodeBatchOptions,
  decodeBatch,
  decodeBatches,
  encodeBatch,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  type RecordBatch,
  type RecordBatchInput,
} from "./batch.ts";
export { BatchHeader } from "./batch-header.ts";
export {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_OFFSET,
  BATCH_LENGTH_PREFIX,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  MIN_BATCH_LENGTH,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
} from "./batch-layout.ts";
export {
  type BatchProbe,
  type BatchSpan,
  type BatchSplit,
  probeBatch,
  type ScanOptions,
  scanBatches,
  splitBatches,
  type TruncatedTail,
} from "./batch-scan.ts";
export { type CompressOptions, compress, decompress } from "./compression.ts";
export {
  type ControlRecordKey,
  ControlRecordType,
  decodeControlRecordKey,
  decodeEndTxnMarkerValue,
  type EndTxnMarker,
  type EndTxnMarkerBatchInput,
  encodeControlRecordKey,
  encodeEndTxnMarkerBatch,
  encodeEndTxnMarkerValue,
  readEndTxnMarker,
} from "./control-record.ts";
export { type Crc32cFunction, crc32c, crc32cNative, crc32cSoftware } from "./crc32c.ts";
export {
  decodeRecord,
  encodeRecord,
  type KafkaRecord,
  MIN_RECORD_SIZE,
  type RecordHeader,
  readRecord,
  sizeOfRecord,
  sizeOfRecordBody,
  writeRecord,
} from "./record.ts";
export {
  batchMessages,
  type ConsumedMessage,
  encodeMessages,
  type Message,
  type MessageBatchOptions,
  type MessageHeader,
} from "./simple-messages.ts";
export { isXerialSnappy, type SnappyFormat, XERIAL_MAGIC } from "./snappy.ts";
