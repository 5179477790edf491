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
  type BatchSeal,
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
  sealBatch,
} from "./batch.ts";
export { BatchHeader } from "./batch-header.ts";
export { BATCH_HEADER_SIZE, BATCH_LENGTH_PREFIX, CURRENT_MAGIC, MIN_BATCH_LENGTH } from "./batch-layout.ts";
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
