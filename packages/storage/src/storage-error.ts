// Errors the log reports. `code` is the Kafka error name the broker answers with (storage does not
// import the protocol's error table; the broker maps the name to its number).

export type StorageErrorCode =
  | "CORRUPT_MESSAGE"
  | "INVALID_RECORD"
  | "MESSAGE_TOO_LARGE"
  | "RECORD_LIST_TOO_LARGE"
  | "INVALID_TIMESTAMP"
  | "UNSUPPORTED_FOR_MESSAGE_FORMAT"
  | "OFFSET_OUT_OF_RANGE"
  | "KAFKA_STORAGE_ERROR"
  | "INVALID_CONFIG"
  | "INVALID_TOPIC_EXCEPTION"
  | "LOG_CLOSED"
  // Idempotent and transactional producers (producer-append.ts).
  | "INVALID_PRODUCER_EPOCH"
  | "OUT_OF_ORDER_SEQUENCE_NUMBER"
  | "DUPLICATE_SEQUENCE_NUMBER"
  | "INVALID_TXN_STATE"
  | "TRANSACTION_COORDINATOR_FENCED";

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageError";
    this.code = code;
  }
}
