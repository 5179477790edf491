// Errors of the metadata store, with stable codes. Handlers map the topic-level ones to Kafka error
// codes (a concurrent request may have created or deleted the topic between validation and the
// change); the start-up ones stop the broker with a message that says what to do.

export type MetadataErrorCode =
  | "TOPIC_ALREADY_EXISTS"
  | "UNKNOWN_TOPIC"
  | "INVALID_PARTITIONS"
  | "NODE_ID_MISMATCH"
  | "INVALID_META_PROPERTIES"
  | "CORRUPT_METADATA_LOG"
  | "METADATA_CLOSED";

export class MetadataError extends Error {
  readonly code: MetadataErrorCode;

  constructor(code: MetadataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MetadataError";
    this.code = code;
  }
}
